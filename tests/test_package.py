"""The Lambda zip (deploy/package.py): reproducible, without boto3, and self-contained.

The zip is built twice per session (wheels cached in build/wheels/, fetched from PyPI once).
It holds pure Python only, so the machine that tests it runs the very files Lambda gets.
"""
from __future__ import annotations

import json
import re
import stat
import sys
import time
import uuid
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from conftest import ROOT, CheckedClient
from support.conversations import walk_away
from skill import speech
from devkit import envelopes

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy import package  # noqa: E402
from deploy.invoke import UnpackedLambda, make_writable, runtime_folder, unpack  # noqa: E402

YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zips")
    first = package.build("skill", folder / "first.zip")
    second = package.build("skill", folder / "second.zip")
    return Path(first["zip"]), Path(second["zip"]), first


@pytest.fixture(scope="module")
def zip_path(builds):
    return builds[0]


@pytest.fixture(scope="module")
def names(zip_path):
    with zipfile.ZipFile(zip_path) as archive:
        return archive.namelist()


@pytest.fixture
def task(zip_path, tmp_path):
    """The zip unpacked into an empty, read-only folder, as Lambda's /var/task."""
    folder = unpack(zip_path, tmp_path / "task")
    yield folder
    make_writable(folder)


def test_two_builds_are_the_same_bytes(builds):
    first, second, _ = builds
    assert first.read_bytes() == second.read_bytes()


def test_entries_are_sorted_with_fixed_time_and_mode(zip_path, names, monkeypatch, tmp_path):
    with zipfile.ZipFile(zip_path) as archive:
        infos = archive.infolist()
    assert names == sorted(names)
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {stat.S_IMODE(info.external_attr >> 16) for info in infos} == {0o644}
    # SOURCE_DATE_EPOCH moves every timestamp, and only the timestamps.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(time.mktime((2026, 5, 4, 3, 2, 0, 0, 0, 0)))
                                                 - time.timezone))
    later = Path(package.build("skill", tmp_path / "later.zip")["zip"])
    with zipfile.ZipFile(later) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 5, 4, 3, 2, 0)}
        assert archive.namelist() == names
        with zipfile.ZipFile(zip_path) as original:
            assert all(archive.read(n) == original.read(n) for n in names)


def test_holds_the_entry_point_the_skill_and_its_content_as_json(names):
    assert "lambda_function.py" in names
    assert "skill/__init__.py" in names and "skill/app.py" in names
    locales = {Path(n).stem for n in names if re.fullmatch(r"skill/content/[^/]+\.json", n)}
    assert locales == {p.stem for p in (ROOT / "skill" / "content").glob("*.yaml")}
    assert not [n for n in names if n.endswith((".yaml", ".yml"))], "YAML compiled to JSON"
    assert not [n for n in names if n.startswith(("devkit/", "webservice/"))], \
        "only the runtime package: the web service and the developer kit are their own"


def test_leaves_out_what_the_lambda_runtime_has_and_any_bytecode_or_compiled_code(names):
    tops = {n.split("/")[0] for n in names}
    for runtime_package in ("boto3", "botocore", "s3transfer", "jmespath"):
        assert runtime_package not in tops
        assert not [t for t in tops if t.lower().startswith(runtime_package + "-")]
    assert "yaml" not in tops and "_yaml" not in tops, "PyYAML is not needed on Lambda"
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".so", ".pyd"))]
    assert not [n for n in names if n.startswith("bin/")], "no console scripts"


def test_every_dependency_of_every_shipped_distribution_is_shipped_or_in_the_runtime(zip_path):
    from packaging.requirements import Requirement
    from packaging.version import Version

    environment = package.marker_environment(package.runtime_version())
    with zipfile.ZipFile(zip_path) as archive:
        metadatas = [archive.read(n).decode() for n in archive.namelist()
                     if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
    shipped = {}
    requirements = []
    for text in metadatas:
        fields = dict(re.findall(r"^(Name|Version): (.+)$", text, re.M))
        shipped[package.normalize(fields["Name"])] = Version(fields["Version"])
        requirements += re.findall(r"^Requires-Dist: (.+)$", text, re.M)
    assert {"ask-sdk-core", "ask-sdk-model", "urllib3"} <= set(shipped)
    # The skill talks to DynamoDB itself (skill/storage/dynamodb.py): the SDK's adapter, and
    # boto3 with it, stay out.
    assert "ask-sdk-dynamodb-persistence-adapter" not in shipped
    for text in requirements:
        requirement = Requirement(text)
        if requirement.marker and not requirement.marker.evaluate(environment):
            continue
        name = package.normalize(requirement.name)
        if name in package.RUNTIME_PROVIDED:
            continue
        assert name in shipped, f"{text} is not in the zip"
        assert requirement.specifier.contains(shipped[name], prereleases=True), text


def test_shared_libraries_fit_the_runtimes_botocore(zip_path):
    """Lambda's botocore imports the zip's dateutil and urllib3 (the code folder comes first)."""
    from packaging.requirements import Requirement
    from packaging.version import Version

    with zipfile.ZipFile(zip_path) as archive:
        versions = {package.normalize(m[1]): Version(m[2]) for m in
                    (re.match(r"([^/]+)-([^-/]+)\.dist-info/METADATA$", n)
                     for n in archive.namelist())
                    if m}
    environment = package.marker_environment(package.runtime_version())
    checked = 0
    for text in metadata.requires("botocore") or []:
        requirement = Requirement(text)
        if requirement.marker and not requirement.marker.evaluate(environment):
            continue
        name = package.normalize(requirement.name)
        if name in versions:
            assert requirement.specifier.contains(versions[name], prereleases=True), \
                f"botocore needs {text}; the zip has {versions[name]}"
            checked += 1
    assert checked >= 2  # python-dateutil and urllib3


def test_compiled_content_is_exactly_the_yaml(zip_path):
    with zipfile.ZipFile(zip_path) as archive:
        for locale in speech.available_locales():
            compiled = json.loads(archive.read(f"skill/content/{locale}.json"))
            assert compiled == speech._parse(locale)


def test_builds_for_the_runtime_and_code_the_template_deploys(builds):
    template = (ROOT / "template.yaml").read_text()
    assert builds[2]["runtime"] == re.search(r"Runtime:\s*(python3\.\d+)", template)[1]
    assert re.search(r"^\s*CodeUri:\s*build/lambda\.zip(\s|$)", template, re.M)


def whole_check(client) -> list:
    replies = [client.launch(), client.say("StartCheckIntent")]
    while replies[-1].state.get("pending") == "triage" and not replies[-1].ends_session:
        asked = replies[-1].state["question"]
        replies.append(client.say("AgeIntent", age="30") if asked == "age" else client.say(NO))
        assert replies[-1].state.get("question") != asked
    return replies


def test_the_unpacked_zip_runs_a_whole_check_alone(task, tmp_path):
    env = {"PERSISTENCE": "sqlite", "DATA_DIR": str(tmp_path / "data")}
    with UnpackedLambda(task, env) as function:
        client = CheckedClient(function)
        replies = whole_check(client)
        report = function.close()
    assert "not medical advice" in replies[0].speech and "911" in replies[0].speech
    asked = [r.state.get("question") for r in replies if r.state.get("pending") == "triage"]
    assert len(asked) == len(set(asked)) >= 12, "every safety question, once"
    outcome = replies[-1].speech.lower()
    assert "home" in outcome and "911" not in outcome
    assert report["outside"] == [], "only the zip and the standard library were used"
    # Cold-start laziness: no HTTP stack (only reminders need it), no YAML, no AWS off
    # DynamoDB, no XML parser (only "repeat" needs it), no HTML entity table.
    assert not {"requests", "urllib3", "yaml", "boto3", "botocore", "xml", "html"} & \
        set(report["top_level"])
    assert not list(task.rglob("__pycache__")), "no bytecode written into the code folder"
    assert (tmp_path / "data" / "memory.sqlite3").is_file()


def test_the_unpacked_zip_keeps_memory_in_dynamodb_without_boto3(task, tmp_path):
    from moto_server import MotoServer

    moto = MotoServer().start()
    try:
        import boto3

        dynamodb = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing",
            region_name="us-east-1").client("dynamodb", endpoint_url=moto.url)
        dynamodb.create_table(TableName="Memory", BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
        env = {"AWS_LAMBDA_FUNCTION_NAME": "back-spasm-helper", "TABLE_NAME": "Memory",
               "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
               "AWS_SECRET_ACCESS_KEY": "testing", "DYNAMODB_ENDPOINT_URL": moto.url,
               "AWS_CONFIG_FILE": str(tmp_path / "none"), "NO_PROXY": "127.0.0.1",
               "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
               "AWS_EC2_METADATA_DISABLED": "true"}
        runtime = runtime_folder(tmp_path / "runtime")
        user = f"amzn1.ask.account.PACKAGE-{uuid.uuid4()}"
        for visit in (1, 2):
            with UnpackedLambda(task, env, extra_paths=[runtime]) as function:
                client = CheckedClient(function, user_id=user)
                reply = client.launch()
                walk_away(client)  # the session's one write
                report = function.close()
            assert report["outside"] == []
            # Signed and sent with the standard library (skill/storage/sigv4.py): the
            # runtime's boto3 and botocore are on the path, and never loaded.
            assert not {"boto3", "botocore", "urllib3"} & set(report["top_level"])
        items = dynamodb.scan(TableName="Memory")["Items"]
    finally:
        moto.close()
    assert "not medical advice" not in reply.speech, "the second cold start read the first visit"
    assert len(items) == 1 and items[0]["attributes"]["M"]["visits"]["N"] == "2"
    assert user not in json.dumps(items)


def test_pyc_only_from_an_interpreter_of_the_runtimes_version(tmp_path):
    host = "%d.%d" % sys.version_info[:2]
    if host == package.runtime_version():
        pytest.skip("this interpreter is the runtime's version")
    with pytest.raises(package.PackageError, match=f"Python {host}.*runtime is Python"):
        package.build("skill", tmp_path / "pyc.zip", pyc_python=sys.executable)
    assert not (tmp_path / "pyc.zip").exists()


def test_shipped_pyc_are_unchecked_hash_and_the_zip_still_runs(tmp_path, monkeypatch):
    host = "%d.%d" % sys.version_info[:2]
    monkeypatch.setattr(package, "runtime_version", lambda template=None: host)
    built = Path(package.build("skill", tmp_path / "pyc.zip", pyc_python=sys.executable)["zip"])
    with zipfile.ZipFile(built) as archive:
        names = archive.namelist()
        sources = [n for n in names if n.endswith(".py")]
        tag = sys.implementation.cache_tag
        for source in sources:
            folder, _, file = source.rpartition("/")
            cached = f"{folder + '/' if folder else ''}__pycache__/{file[:-3]}.{tag}.pyc"
            assert cached in names, f"no bytecode for {source}"
        header = archive.read(f"skill/__pycache__/app.{tag}.pyc")[:16]
    assert int.from_bytes(header[4:8], "little") == 0b01, "hash-based, source never checked"
    folder = unpack(built, tmp_path / "task")
    try:
        with UnpackedLambda(folder, {"PERSISTENCE": "none"}) as function:
            reply = CheckedClient(function).launch()
            report = function.close()
        assert "not medical advice" in reply.speech and report["outside"] == []
    finally:
        make_writable(folder)


def test_make_package_ships_the_runtimes_pyc_and_the_zip_runs_there_without_a_warning(tmp_path):
    """`make package` (package.main) compiles the .pyc with the runtime's Python, found on PATH
    or through pyenv; that Python runs the unpacked zip: every request type answered, nothing on
    stderr (no SyntaxWarning from a dependency compiled at a cold start)."""
    version = package.runtime_version()
    try:
        python = package.find_python(version)
    except package.PackageError as missing:
        pytest.skip(str(missing))
    out = tmp_path / "lambda.zip"
    assert package.main(["--out", str(out)]) == 0
    tag = f"cpython-{version.replace('.', '')}"
    with zipfile.ZipFile(out) as archive:
        assert f"skill/__pycache__/app.{tag}.pyc" in archive.namelist()
    folder = unpack(out, tmp_path / "task")
    try:
        with UnpackedLambda(folder, {"PERSISTENCE": "none"}, python=python) as function:
            client = CheckedClient(function)
            replies = whole_check(client)
            ended = client.send(envelopes.session_ended())
            can = client.send(envelopes.can_fulfill("StartReliefIntent"))
            stderr = function.stderr()
            report = function.close()
    finally:
        make_writable(folder)
    assert "not medical advice" in replies[0].speech and "home" in replies[-1].speech.lower()
    assert "outputSpeech" not in ended.response
    assert can.response["canFulfillIntent"]["canFulfill"] == "YES"
    assert report["outside"] == []
    assert "Warning" not in stderr, stderr[-2000:]
