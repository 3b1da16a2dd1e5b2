# Each target creates .venv and installs what it needs when missing, so a fresh clone works.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run serve lint test soak bench-web skill-package ask smoke package bench screens nlu-eval \
	clinical-review clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[web,chat,aws,test,package]'
	touch $(STAMP)

## run: chat with the skill through the real Lambda handler (ARGS="--trace", "--speak DIR",
## "--demo" for the sample conversation)
run: $(STAMP)
	$(PY) -m devkit.chat $(ARGS)

## serve: the skill as a web service on waitress, 127.0.0.1:3000 (needs SKILL_ID, or
## ARGS=--no-verify for local tries; ARGS="--host H --port P --dev" also work)
serve: $(STAMP)
	$(PY) -m webservice $(ARGS)

## lint: ruff (pyflakes, pycodestyle's errors, lines of 100 columns) on everything, and mypy on
## the runtime and the tools (pyproject's [tool.ruff] and [tool.mypy]); a few seconds. .ci/run
## runs it before the tests, and tests/test_lint.py within them, so a new error fails CI.
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy

## test: every test
test: $(STAMP)
	$(PY) -m pytest

## soak: every test, with the long versions of the hostile-condition tests: SOAK=1 (tests read it
## to grow; the fuzzer then draws fresh cases each run) and FUZZ_CASES=100000
soak: $(STAMP)
	SOAK=1 FUZZ_CASES=$${FUZZ_CASES:-100000} $(PY) -m pytest $(ARGS)

## bench-web: requests per second of the web service under wrk, next to a hello-world skill
## behind the same service (ARGS="--seconds 10 --runs 5"); falls back to a Python client without wrk
bench-web: $(STAMP)
	$(PY) bench/web_rps.py $(ARGS)

## skill-package: build/skill-package (skill.json, interaction models, icons drawn from the clinic's
## SVG), build/ask-resources.json for `ask deploy` and build/privacy.md (the privacy notice to host
## at PRIVACY_URL); LOG_RETENTION_DAYS=N when the stack's LogRetentionDays is not 30; needs
## LAMBDA_ARN (the SAM stack's SkillFunctionArn), e.g.
## make skill-package LAMBDA_ARN=arn:aws:lambda:us-east-1:123456789012:function:NAME (ARGS="--out DIR")
skill-package: $(STAMP)
	$(PY) deploy/skill_package.py $(ARGS)

## ask: the ASK CLI, pinned with the antlr4ts fix (deploy/ask_cli/; `npm ci` there on first use,
## needs Node 18+), run in build/ for ASK_PROFILE (default: the CLI's "default"), the profile
## `make skill-package ASK_PROFILE=...` keyed the skill id by: ARGS="configure", ARGS="deploy"
ask: $(STAMP)
	$(PY) deploy/ask_cli.py -- $(ARGS)

## smoke: the deployed skill through the ASK CLI's simulator (`ask dialog --replay`, ASK_PROFILE):
## the tests' conversations (expected replies from the local handler) and the held-out utterances'
## intents; prints what differs, writes build/smoke/report.json, exit 1 on any difference
## (ARGS="--locale es-US --only nlu --nlu-rows 50"); needs SKILL_ID or make skill-package's id
smoke: $(STAMP)
	$(PY) -m tools.smoke $(ARGS)

## package: build/lambda.zip for template.yaml (`sam deploy` uploads it): the skill, lambda_function.py
## and their pinned dependencies, without boto3; the same bytes every time
## with .pyc compiled by the runtime's Python (python3.12, on PATH or through pyenv; a clear error
## naming how to get it when missing); ARGS="--pyc-python PATH" names one, ARGS=--no-pyc ships none
package: $(STAMP)
	$(PY) deploy/package.py $(ARGS)

## bench: the skill against a hello-world skill, both packaged and run as Lambda runs them, plus
## the web service; prints a table of ratios against the goals (ARGS="--runs 9 --no-web ...").
## Not part of `make test`.
bench: $(STAMP)
	$(PY) bench/lambda_bench.py $(ARGS)

## screens: docs/echo-show-*.png, the skill's screens drawn by Amazon's APL renderer
## (apl-viewhost-web) in headless Chromium, each button pressed and answered; needs Node 18+ and
## Chromium (Debian: apt-get install chromium; or CHROMIUM=/path/to/chrome). Not part of make test.
screens: $(STAMP)
	$(PY) tools/apl_preview/preview.py

## nlu-eval: language understanding on the held-out utterances (tests/data/heldout.<locale>.yaml):
## the offline chat's and a TF-IDF classifier's trained only on the model, per locale, with the
## confusions; a report, exit 0 below the goals (ARGS="--locale es-US", "--skip-unfit", or
## "--annotation-set en-US build/nlu/annotations.en-US.json" for Amazon's NLU Evaluation Tool)
nlu-eval: $(STAMP)
	$(PY) -m tools.nlu_eval $(ARGS)

## clinical-review: build/clinical-review.md, for the clinic's clinicians to sign off before release:
## every question, outcome and relief step as spoken (both locales) with its source, the decision
## rules, and the vignettes with the outcome the check gives each (ARGS="--out PATH")
clinical-review: $(STAMP)
	$(PY) -m tools.clinical_review $(ARGS)

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis .mypy_cache .ruff_cache
