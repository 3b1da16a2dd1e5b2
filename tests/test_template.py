"""template.yaml: cfn-lint passes, and the promises cfn-lint cannot check hold.

cfn-lint validates the SAM and CloudFormation schemas (property names, types, allowed values).
It does not know what this skill needs: that only our skill may invoke the function, that the
role can do exactly what skill/storage/dynamodb.py does, that the environment names settings the
skill reads. Each such promise is a function returning its problems; a test runs each against
the real template, and another against a copy broken on purpose, so every check can fail.
"""
from __future__ import annotations

import ast
import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest
from cfnlint.decode import decode

from skill import metrics
from skill.settings import LOCALE_EMERGENCY_VARIABLE, Settings
from skill.storage.dynamodb import PARTITION_KEY, TTL_ATTRIBUTE

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template.yaml"

ALEXA_TIMEOUT_S = 8
TABLE_ACTIONS = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"}
LOG_ACTIONS = {"logs:CreateLogStream", "logs:PutLogEvents"}
# What the function must be told; every name must also be one the skill reads.
REQUIRED_ENV = {"PERSISTENCE", "TABLE_NAME", "MEMORY_TTL_DAYS", "SKILL_ID", "CLINIC_NAME",
                "CLINIC_PHONE", "CLINIC_APPOINTMENT_URL", "EMERGENCY_NUMBER", "REMINDER_DAYS"}
MIN_PYTHON_MINOR = 11  # the code runs on 3.11 and newer


def load_template(path: Path = TEMPLATE) -> dict:
    """The template as plain data; !Ref, !GetAtt and !Sub become their long forms."""
    template, errors = decode(str(path))
    assert not errors, [str(e) for e in errors]
    return json.loads(json.dumps(template))


@pytest.fixture(scope="module")
def template() -> dict:
    return load_template()


# --- reading the template --------------------------------------------------------------

def resources_of_type(template: dict, kind: str) -> dict[str, dict]:
    return {name: r for name, r in template.get("Resources", {}).items() if r.get("Type") == kind}


def only(template: dict, kind: str) -> tuple[str, dict]:
    found = resources_of_type(template, kind)
    assert len(found) == 1, f"expected one {kind}, found {sorted(found)}"
    return next(iter(found.items()))


def function(template: dict) -> tuple[str, dict]:
    return only(template, "AWS::Serverless::Function")


def props(resource: dict) -> dict:
    return resource.get("Properties", {})


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def ref(name: str) -> dict:
    return {"Ref": name}


def get_att(name: str, attribute: str) -> dict:
    return {"Fn::GetAtt": [name, attribute]}


def resolve(value: Any, template: dict, stack: str = "back-spasm-helper") -> Any:
    """A value as CloudFormation would see it: parameters at their defaults, a made-up skill id
    for SkillId, resources by their logical names, AWS::StackName as `stack`."""
    pseudo = {"AWS::StackName": stack, "SkillId": "amzn1.ask.skill.0000-test"}
    parameters = template.get("Parameters", {})

    def named(name: str) -> str:
        if name in pseudo:
            return pseudo[name]
        if name in parameters:
            return str(parameters[name].get("Default", f"<{name}>"))
        return f"<{name}>"

    if isinstance(value, dict) and set(value) == {"Ref"}:
        return named(value["Ref"])
    if isinstance(value, dict) and set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
        return re.sub(r"\$\{([^}!]+)\}", lambda m: named(m.group(1)), value["Fn::Sub"])
    return value


def policy_statements(template: dict) -> list[dict]:
    """Every IAM statement the function can act with: its role's inline policies, and any
    policies SAM would attach (Policies on the function)."""
    statements = []
    for _, role in resources_of_type(template, "AWS::IAM::Role").items():
        for policy in props(role).get("Policies", []):
            statements += as_list(policy.get("PolicyDocument", {}).get("Statement", []))
    for entry in as_list(props(function(template)[1]).get("Policies", [])):
        if isinstance(entry, dict):
            statements += as_list(entry.get("Statement", []))
    return statements


# --- the promises ----------------------------------------------------------------------

def skill_id_problems(template: dict) -> list[str]:
    problems = []
    parameter = template.get("Parameters", {}).get("SkillId")
    if parameter is None:
        return ["no SkillId parameter"]
    if "Default" in parameter:
        problems.append("SkillId has a Default, so a deploy need not name the skill")
    _, fn = function(template)
    events = props(fn).get("Events", {})
    alexa = [e for e in events.values() if e.get("Type") == "AlexaSkill"]
    if len(alexa) != 1 or props(alexa[0]).get("SkillId") != ref("SkillId"):
        problems.append("the function needs one AlexaSkill event with SkillId: !Ref SkillId")
    others = sorted(e.get("Type") for e in events.values() if e.get("Type") != "AlexaSkill")
    if others:
        problems.append(f"other triggers could invoke the function: {others}")
    if props(fn).get("Environment", {}).get("Variables", {}).get("SKILL_ID") != ref("SkillId"):
        problems.append("SKILL_ID is not !Ref SkillId, so the skill would not check it")
    return problems


def permission_problems(template: dict) -> list[str]:
    problems = []
    table, _ = only(template, "AWS::DynamoDB::Table")
    log_group, _ = only(template, "AWS::Logs::LogGroup")
    role, _ = only(template, "AWS::IAM::Role")
    _, fn = function(template)
    if props(fn).get("Role") != get_att(role, "Arn"):
        problems.append("the function must use our role: SAM's own adds "
                        "AWSLambdaBasicExecutionRole (every log group in the account)")
    if props(only(template, "AWS::IAM::Role")[1]).get("ManagedPolicyArns"):
        problems.append("the role has managed policies")
    granted = {"table": set(), "logs": set()}
    for statement in policy_statements(template):
        actions = set(as_list(statement.get("Action", [])))
        resources = as_list(statement.get("Resource", []))
        if statement.get("Effect") != "Allow" or "NotAction" in statement or \
                "NotResource" in statement:
            problems.append(f"unexpected statement {statement}")
        elif resources == [get_att(table, "Arn")] and actions <= TABLE_ACTIONS:
            granted["table"] |= actions
        elif resources == [get_att(log_group, "Arn")] and actions <= LOG_ACTIONS:
            granted["logs"] |= actions
        else:
            problems.append(f"grants {sorted(actions)} on {resources}")
    if granted["table"] != TABLE_ACTIONS:
        problems.append(f"table actions {sorted(granted['table'])}, want {sorted(TABLE_ACTIONS)}")
    if granted["logs"] != LOG_ACTIONS:
        problems.append(f"log actions {sorted(granted['logs'])}, want {sorted(LOG_ACTIONS)}")
    return problems


def table_problems(template: dict) -> list[str]:
    _, table = only(template, "AWS::DynamoDB::Table")
    p = props(table)
    problems = []
    if p.get("BillingMode") != "PAY_PER_REQUEST":
        problems.append("not on demand (BillingMode: PAY_PER_REQUEST)")
    if p.get("KeySchema") != [{"AttributeName": PARTITION_KEY, "KeyType": "HASH"}]:
        problems.append(
            f"the key is not {PARTITION_KEY!r} alone, as skill/storage/dynamodb.py reads")
    if p.get("TimeToLiveSpecification") != {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}:
        problems.append(f"TTL is not on for {TTL_ATTRIBUTE!r}, the attribute the skill writes")
    if p.get("SSESpecification", {}).get("SSEEnabled") is not True:
        problems.append("encryption with a KMS key is off")
    if p.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled") is not True:
        problems.append("point-in-time recovery is off")
    return problems


def function_problems(template: dict) -> list[str]:
    _, fn = function(template)
    p = props(fn)
    problems = []
    if p.get("Architectures") != ["arm64"]:
        problems.append(f"architectures {p.get('Architectures')}, want [arm64]")
    runtime = re.fullmatch(r"python3\.(\d+)", str(p.get("Runtime")))
    if not runtime or int(runtime.group(1)) < MIN_PYTHON_MINOR:
        problems.append(f"runtime {p.get('Runtime')}: want python3.{MIN_PYTHON_MINOR} or newer")
    timeout = p.get("Timeout")
    if not isinstance(timeout, (int, float)) or not 0 < timeout < ALEXA_TIMEOUT_S:
        problems.append(f"timeout {timeout!r}: must be set, under Alexa's {ALEXA_TIMEOUT_S} s")
    if not isinstance(p.get("MemorySize"), int):
        problems.append("memory size not chosen")
    module, _, attribute = str(p.get("Handler")).rpartition(".")
    if f"{module}.{attribute}" != "lambda_function.lambda_handler" or \
            attribute not in module_names(ROOT / "lambda" / f"{module}.py"):
        problems.append(f"handler {p.get('Handler')!r} is not lambda/lambda_function.py's "
                        f"lambda_handler")
    return problems


def module_names(path: Path) -> set[str]:
    """The names a module defines at top level (by assignment or def)."""
    if not path.is_file():
        return set()
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def environment_problems(template: dict) -> list[str]:
    _, fn = function(template)
    variables = props(fn).get("Environment", {}).get("Variables", {})
    known = set(Settings.ENV.values())
    problems = [f"{name} is not a setting the skill reads (skill/settings.py)"
                for name in sorted(set(variables) - known)
                if not LOCALE_EMERGENCY_VARIABLE.fullmatch(name)]
    problems += [f"{name} is missing" for name in sorted(REQUIRED_ENV - set(variables))]
    table, _ = only(template, "AWS::DynamoDB::Table")
    if variables.get("TABLE_NAME") != ref(table):
        problems.append("TABLE_NAME is not the template's table")
    if variables.get("PERSISTENCE") != "dynamodb":
        problems.append("PERSISTENCE is not dynamodb")
    if not problems:
        # The skill must start with the template's defaults (a bad phone number stops it).
        try:
            Settings.from_env({k: str(resolve(v, template)) for k, v in variables.items()})
        except ValueError as error:
            problems.append(f"the defaults stop the skill: {error}")
    return problems


def log_problems(template: dict) -> list[str]:
    name, group = only(template, "AWS::Logs::LogGroup")
    _, fn = function(template)
    problems = []
    if "RetentionInDays" not in props(group):
        problems.append("the log group keeps logs forever (no RetentionInDays)")
    if group.get("DeletionPolicy") not in ("Retain", "Delete") or \
            group.get("UpdateReplacePolicy") != group.get("DeletionPolicy"):
        problems.append("the log group's DeletionPolicy (and UpdateReplacePolicy) is not chosen")
    logging_config = props(fn).get("LoggingConfig", {})
    if logging_config.get("LogGroup") != ref(name):
        problems.append("the function's LoggingConfig does not point at the log group")
    # Lambda sets Python's root logger level only from ApplicationLogLevel, which needs JSON;
    # otherwise it stays at WARNING and the skill's INFO line a request is lost.
    if logging_config.get("LogFormat") != "JSON" or \
            logging_config.get("ApplicationLogLevel") not in ("INFO", "DEBUG", "TRACE"):
        problems.append("the skill's INFO lines would be dropped: want LogFormat JSON and "
                        "ApplicationLogLevel INFO")
    function_name = resolve(props(fn).get("FunctionName"), template)
    group_name = resolve(props(group).get("LogGroupName"), template)
    if not isinstance(function_name, str) or group_name != f"/aws/lambda/{function_name}":
        problems.append(f"log group {group_name!r} is not /aws/lambda/<function name> "
                        f"({function_name!r})")
    return problems


def output_problems(template: dict) -> list[str]:
    fn_name, _ = function(template)
    table, _ = only(template, "AWS::DynamoDB::Table")
    values = [o.get("Value") for o in template.get("Outputs", {}).values()]
    problems = []
    # With an alias, SAM gives Alexa's permission to the alias alone: the endpoint must be it.
    alias = props(function(template)[1]).get("AutoPublishAlias")
    endpoint = ref(f"{fn_name}.Alias") if alias else get_att(fn_name, "Arn")
    if endpoint not in values:
        problems.append(f"no output with the skill's endpoint ({endpoint})")
    if ref(table) not in values:
        problems.append("no output with the table's name")
    return problems


def metric_env(template: dict) -> tuple[Any, Any]:
    variables = props(function(template)[1]).get("Environment", {}).get("Variables", {})
    return variables.get("METRICS_NAMESPACE"), variables.get("METRICS_SERVICE")


def alarm_problems(template: dict) -> list[str]:
    """Errors, throttles, slow answers near Alexa's 8 s and DynamoDB throttling each raise an
    alarm, every alarm tells the one topic, and an e-mail subscription is optional."""
    alarms = resources_of_type(template, "AWS::CloudWatch::Alarm")
    topic, _ = only(template, "AWS::SNS::Topic")
    problems = [f"{name} does not notify the topic" for name, alarm in alarms.items()
                if props(alarm).get("AlarmActions") != [ref(topic)]]
    watched = set()
    for alarm in alarms.values():
        p = props(alarm)
        watched.add((p.get("Namespace"), p.get("MetricName"), p.get("ExtendedStatistic")))
        for query in p.get("Metrics", []):
            metric = query.get("MetricStat", {}).get("Metric", {})
            watched.add((metric.get("Namespace"), metric.get("MetricName"), None))
        if p.get("Namespace") == "AWS/Lambda" and p.get("MetricName") == "Duration" and \
                not 0 < p.get("Threshold", 0) < ALEXA_TIMEOUT_S * 1000:
            problems.append("the duration alarm is not under Alexa's 8 s")
        if p.get("TreatMissingData") != "notBreaching":
            problems.append("an alarm would fire on a quiet day (TreatMissingData)")
    namespace, _ = metric_env(template)
    wanted = {("AWS/Lambda", "Errors", None), ("AWS/Lambda", "Throttles", None),
              ("AWS/Lambda", "Duration", "p99"), ("AWS/DynamoDB", "ReadThrottleEvents", None),
              ("AWS/DynamoDB", "WriteThrottleEvents", None),
              (namespace, "ErrorsAnswered", None), (namespace, "MemoryFailures", None)}
    problems += [f"no alarm on {w}" for w in sorted(wanted - watched, key=str)]
    ours = {m for n, m, _ in watched if n == namespace}
    problems += [f"an alarm watches {m}, which the skill never writes" for m in
                 sorted(ours - set(metrics.UNITS))]
    subscriptions = resources_of_type(template, "AWS::SNS::Subscription")
    if not subscriptions or any(s.get("Condition") != "HasAlarmEmail" or
                                props(s).get("Endpoint") != ref("AlarmEmail")
                                for s in subscriptions.values()):
        problems.append("the e-mail subscription is missing or not optional (HasAlarmEmail)")
    if template.get("Parameters", {}).get("AlarmEmail", {}).get("Default") != "":
        problems.append("AlarmEmail must default to none")
    return problems


def dashboard_metrics(template: dict) -> list[list]:
    _, board = only(template, "AWS::CloudWatch::Dashboard")
    body = json.loads(resolve(props(board).get("DashboardBody"), template))
    return [row for widget in body["widgets"]
            for row in widget.get("properties", {}).get("metrics", [])]


def dashboard_problems(template: dict) -> list[str]:
    """Every metric the skill writes is on the dashboard, in the namespace and dimension the
    function is told to write; nothing on it that the skill never writes."""
    namespace, service = metric_env(template)
    problems = []
    if namespace is None or service != ref("AWS::StackName"):
        problems.append("the function is not told METRICS_NAMESPACE and METRICS_SERVICE "
                        "(the stack's name)")
    shown = set()
    for row in dashboard_metrics(template):
        if row[0] in ("AWS/Lambda", "AWS/DynamoDB"):
            continue
        name, dimension, value = row[1:4]
        if row[0] != namespace or dimension != metrics.DIMENSION or \
                value != resolve(ref("AWS::StackName"), template):
            problems.append(f"{row[:4]} is not where the skill writes")
        shown.add(name)
    problems += [f"{m} is not on the dashboard" for m in sorted(set(metrics.UNITS) - shown)]
    problems += [f"{m} is on the dashboard but never written" for m in
                 sorted(shown - set(metrics.UNITS))]
    return problems


CHECKS: dict[str, Callable[[dict], list[str]]] = {
    "skill id": skill_id_problems,
    "permissions": permission_problems,
    "table": table_problems,
    "function": function_problems,
    "environment": environment_problems,
    "logs": log_problems,
    "outputs": output_problems,
    "alarms": alarm_problems,
    "dashboard": dashboard_problems,
}


@pytest.mark.parametrize("check", CHECKS)
def test_template_keeps_its_promise(template, check):
    assert CHECKS[check](template) == []


# --- each check fails on a template broken on purpose ----------------------------------

def fn_props(t: dict) -> dict:
    return props(function(t)[1])


def table_props(t: dict) -> dict:
    return props(only(t, "AWS::DynamoDB::Table")[1])


def statements(t: dict) -> list[dict]:
    return props(only(t, "AWS::IAM::Role")[1])["Policies"][0]["PolicyDocument"]["Statement"]


def table_statement(t: dict) -> dict:
    return next(s for s in statements(t) if "dynamodb:GetItem" in as_list(s["Action"]))


def rename_setting(t: dict) -> None:
    variables = fn_props(t)["Environment"]["Variables"]
    variables["CLINIC_TELEPHONE"] = variables.pop("CLINIC_PHONE")


BREAKS: list[tuple[str, str, Callable[[dict], None]]] = [
    ("skill id", "SkillId default", lambda t: t["Parameters"]["SkillId"].update(Default="x")),
    ("skill id", "no AlexaSkill SkillId",
     lambda t: fn_props(t)["Events"]["AlexaSkill"].pop("Properties")),
    ("skill id", "another trigger", lambda t: fn_props(t)["Events"].update(
        Web={"Type": "Api", "Properties": {"Path": "/", "Method": "post"}})),
    ("skill id", "SKILL_ID unset",
     lambda t: fn_props(t)["Environment"]["Variables"].pop("SKILL_ID")),
    ("permissions", "Scan too", lambda t: table_statement(t)["Action"].append("dynamodb:Scan")),
    ("permissions", "no DeleteItem",
     lambda t: table_statement(t)["Action"].remove("dynamodb:DeleteItem")),
    ("permissions", "every table", lambda t: table_statement(t).update(Resource="*")),
    ("permissions", "all DynamoDB", lambda t: table_statement(t).update(Action="dynamodb:*")),
    ("permissions", "creates tables", lambda t: statements(t).append(
        {"Effect": "Allow", "Action": "dynamodb:CreateTable", "Resource": "*"})),
    ("permissions", "any log group", lambda t: statements(t)[1].update(
        Resource="arn:aws:logs:*:*:*")),
    ("permissions", "SAM's role", lambda t: fn_props(t).pop("Role")),
    ("permissions", "SAM policy", lambda t: fn_props(t).update(
        Policies=[{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}])),
    ("table", "provisioned", lambda t: table_props(t).update(BillingMode="PROVISIONED")),
    ("table", "TTL off", lambda t: table_props(t)["TimeToLiveSpecification"].update(Enabled=False)),
    ("table", "TTL attribute", lambda t: table_props(t)["TimeToLiveSpecification"].update(
        AttributeName="ttl")),
    ("table", "unencrypted", lambda t: table_props(t).pop("SSESpecification")),
    ("table", "no PITR", lambda t: table_props(t).pop("PointInTimeRecoverySpecification")),
    ("function", "x86", lambda t: fn_props(t).update(Architectures=["x86_64"])),
    ("function", "old python", lambda t: fn_props(t).update(Runtime="python3.9")),
    ("function", "timeout 8 s", lambda t: fn_props(t).update(Timeout=8)),
    ("function", "no timeout", lambda t: fn_props(t).pop("Timeout")),
    ("function", "handler", lambda t: fn_props(t).update(Handler="lambda_function.handler")),
    ("environment", "renamed setting", rename_setting),
    ("environment", "no table",
     lambda t: fn_props(t)["Environment"]["Variables"].pop("TABLE_NAME")),
    ("environment", "bad default phone",
     lambda t: t["Parameters"]["ClinicPhone"].update(Default="call us")),
    ("logs", "no retention", lambda t: props(only(t, "AWS::Logs::LogGroup")[1]).pop(
        "RetentionInDays")),
    ("logs", "other group name", lambda t: props(only(t, "AWS::Logs::LogGroup")[1]).update(
        LogGroupName="/aws/lambda/something-else")),
    ("logs", "not wired", lambda t: fn_props(t).pop("LoggingConfig")),
    ("logs", "text format", lambda t: fn_props(t)["LoggingConfig"].update(LogFormat="Text")),
    ("logs", "warnings only", lambda t: fn_props(t)["LoggingConfig"].update(
        ApplicationLogLevel="WARN")),
    ("outputs", "no ARN", lambda t: t["Outputs"].pop("SkillFunctionArn")),
    ("outputs", "function, not alias", lambda t: t["Outputs"]["SkillFunctionArn"].update(
        Value=get_att("SkillFunction", "Arn"))),
    ("logs", "no deletion policy", lambda t: only(t, "AWS::Logs::LogGroup")[1].pop(
        "DeletionPolicy")),
    ("alarms", "no throttle alarm", lambda t: t["Resources"].pop("ThrottlesAlarm")),
    ("alarms", "no DynamoDB alarm", lambda t: t["Resources"].pop("MemoryThrottledAlarm")),
    ("alarms", "slow alarm at 9 s", lambda t: props(t["Resources"]["SlowAnswersAlarm"]).update(
        Threshold=9000)),
    ("alarms", "silent alarm", lambda t: props(t["Resources"]["FunctionErrorsAlarm"]).pop(
        "AlarmActions")),
    ("alarms", "e-mail required", lambda t: t["Resources"]["AlarmEmailSubscription"].pop(
        "Condition")),
    ("alarms", "a metric never written", lambda t: props(
        t["Resources"]["MemoryFailuresAlarm"]).update(MetricName="StoreFailures")),
    ("dashboard", "a metric left off", lambda t: props(only(t, "AWS::CloudWatch::Dashboard")[1])
     .update(DashboardBody={"Fn::Sub": props(only(t, "AWS::CloudWatch::Dashboard")[1])[
         "DashboardBody"]["Fn::Sub"].replace('"RemindersSet"', '"RemindersMade"')})),
    ("dashboard", "not told the namespace", lambda t: fn_props(t)["Environment"][
        "Variables"].pop("METRICS_NAMESPACE")),
]


@pytest.mark.parametrize("check, mutate", [(c, m) for c, _, m in BREAKS],
                         ids=[f"{c}: {why}" for c, why, _ in BREAKS])
def test_each_check_catches_a_broken_template(template, check, mutate):
    broken = copy.deepcopy(template)
    mutate(broken)
    assert CHECKS[check](broken) != []


# --- cfn-lint --------------------------------------------------------------------------

def cfn_lint(path: Path) -> subprocess.CompletedProcess:
    """`cfn-lint PATH` from this interpreter's environment, offline: cfn-lint ships its
    schemas and fetches nothing unless asked (--update-specs); the proxy variables point at
    a closed port, so any attempt to reach the network fails instead of hanging."""
    program = shutil.which("cfn-lint", path=str(Path(sys.executable).parent)) or \
        shutil.which("cfn-lint")
    assert program, "cfn-lint is not installed (pyproject's test extra)"
    closed = "http://127.0.0.1:9"
    env = {**os.environ, "HTTP_PROXY": closed, "HTTPS_PROXY": closed, "http_proxy": closed,
           "https_proxy": closed, "NO_PROXY": "", "no_proxy": ""}
    return subprocess.run([program, str(path)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


def test_cfn_lint_passes():
    result = cfn_lint(TEMPLATE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cfn_lint_catches_a_mistake(tmp_path):
    # A misspelt property name in the AlexaSkill event.
    text = TEMPLATE.read_text()
    broken = text.replace("            SkillId: !Ref SkillId", "            SkilId: !Ref SkillId")
    assert broken != text
    (tmp_path / "template.yaml").write_text(broken)
    result = cfn_lint(tmp_path / "template.yaml")
    assert result.returncode != 0 and "SkilId" in result.stdout, result.stdout + result.stderr


# --- SAM's own translator ----------------------------------------------------------------

@pytest.mark.parametrize("snap_start", ["None", "PublishedVersions"])
def test_sam_translates_the_template(snap_start, monkeypatch):
    """What `sam deploy` sends CloudFormation, made by SAM's own code (samtranslator): Alexa's
    permission on the alias the endpoint names, SnapStart as chosen, every alarm and the
    dashboard kept. cfn-lint checks SAM's schema but does not run the translator."""
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")  # the translator wants a region
    document = yaml_parse(TEMPLATE.read_text())
    # `sam deploy` uploads build/lambda.zip and puts its S3 address here first.
    document["Resources"]["SkillFunction"]["Properties"]["CodeUri"] = "s3://bucket/lambda.zip"

    class NoManagedPolicies:
        def load(self) -> dict:
            return {}

    out = transform(document, {"SnapStart": snap_start, "SkillId": "amzn1.ask.skill.1"},
                    NoManagedPolicies())
    kinds = {name: r["Type"] for name, r in out["Resources"].items()}
    alias = next(n for n, k in kinds.items() if k == "AWS::Lambda::Alias")
    permissions = [r["Properties"] for r in out["Resources"].values()
                   if r["Type"] == "AWS::Lambda::Permission"]
    assert permissions == [{"Action": "lambda:InvokeFunction", "FunctionName": ref(alias),
                            "Principal": "alexa-appkit.amazon.com",
                            "EventSourceToken": ref("SkillId")}]
    assert out["Outputs"]["SkillFunctionArn"]["Value"] == ref(alias)
    fn = out["Resources"]["SkillFunction"]["Properties"]
    assert fn["SnapStart"] == {"ApplyOn": ref("SnapStart")}
    assert list(kinds.values()).count("AWS::CloudWatch::Alarm") == 6
    assert "AWS::CloudWatch::Dashboard" in kinds.values()
