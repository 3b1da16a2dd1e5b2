"""`make nlu-eval` (tools/nlu_eval/): floors on the held-out sets for both understandings, the sets
kept apart from the model, their shape, and the NLU Evaluation Tool export.

The held-out sets (tests/data/heldout.<locale>.yaml) measure; nothing is tuned on them and none of
their utterances may enter the model. The tests on them skip until they exist. Each locale's
classifier trains once a session (a few seconds).
"""
from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

pytest.importorskip("sklearn", reason="scikit-learn (the `test` extra) is not installed: "
                                      "pip install -e '.[test]'")

from tools.nlu_eval import annotation, heldout, scoring  # noqa: E402
from tools.nlu_eval.__main__ import EXIT_BAD_DATA, main  # noqa: E402
from tools.nlu_eval.classifier import split_invocation  # noqa: E402

LOCALES = heldout.LOCALES
# The goals (issue: conversation v2), and the floors this test holds: the share of held-out
# utterances each understanding gets right (intent and slots). A floor sits a little under the
# score measured when it was last raised, so a change that loses understanding fails here;
# raise it as the model improves, up to the goal. (a) the offline chat's understanding,
# devkit/nlu.py; (b) TF-IDF + linear SVM (scikit-learn) trained only on the model.
GOALS = {"offline": 0.95, "classifier": 0.90}
# Last checked when the sets held 907 / 812 rows: (a) 96.0% / 96.9%, (b) 94.0% / 94.2%. The
# floors are the goals now that both are met: a change that loses understanding fails here.
FLOORS: dict[tuple[str, str], float] = {
    ("offline", "en-US"): GOALS["offline"], ("offline", "es-US"): GOALS["offline"],
    ("classifier", "en-US"): GOALS["classifier"], ("classifier", "es-US"): GOALS["classifier"],
}
OPEN = {"en-US": "open", "es-US": "abre"}


def _rows(locale: str) -> list[heldout.Row]:
    path = heldout.path_for(locale)
    if not path.is_file():
        pytest.skip(f"{path.relative_to(ROOT)} is not written yet")
    return heldout.load(locale)


def _fitting_rows(locale: str) -> list[heldout.Row]:
    """The rows, when the model can score every one; else skip: the mismatch is one failure,
    test_held_out_set_size_intents_and_slot_ids's, not one a test."""
    rows = _rows(locale)
    if heldout.problems(rows, heldout.load_model(locale)):
        pytest.skip(f"heldout.{locale}.yaml names intents, slots or ids that "
                    f"interaction_models/{locale}.json lacks (see "
                    "test_held_out_set_size_intents_and_slot_ids)")
    return rows


def _floor_cases() -> list:
    return [pytest.param(which, locale, id=f"{which}-{locale}")
            for which in GOALS for locale in LOCALES]


@pytest.mark.parametrize("which, locale", _floor_cases())
def test_held_out_accuracy_floor(which, locale, record_property):
    _fitting_rows(locale)
    result = scoring.evaluate(locale)
    accuracy = result.accuracy(which)
    record_property(f"nlu_eval_{which}_{locale}", accuracy)
    misses = [f"  {c.expected} -> {c.got} x{c.count}" for c in
              scoring.confusions(result.outcomes[which])]
    line = (f"{scoring.NAMES[which]} {locale}: {result.right(which)}/{len(result.rows)} = "
            f"{accuracy:.1%} (floor {FLOORS[which, locale]:.0%}, goal {GOALS[which]:.0%}"
            f"{', met' if accuracy >= GOALS[which] else ', not yet met'})")
    print("\n" + line, file=sys.stderr)
    assert accuracy >= FLOORS[which, locale], line + "\n" + "\n".join(misses)


@pytest.mark.parametrize("locale", LOCALES)
def test_held_out_utterances_are_not_model_samples(locale):
    rows = _rows(locale)
    copies = heldout.copies_of_samples(rows, heldout.load_model(locale))
    assert copies == [], "held-out utterances that are samples of the model (with any slot " \
        "value), so they measure nothing:\n" + "\n".join(
            f"  row {r.number} {r.say!r} = {intent} sample {sample!r}"
            for r, intent, sample in copies)


@pytest.mark.parametrize("locale", LOCALES)
def test_held_out_set_size_intents_and_slot_ids(locale):
    rows = _rows(locale)
    assert len(rows) >= heldout.MIN_ROWS, f"{len(rows)} rows; needs {heldout.MIN_ROWS}"
    problems = heldout.problems(rows, heldout.load_model(locale))
    assert problems == [], f"heldout.{locale}.yaml does not fit interaction_models/{locale}.json:" \
        "\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_held_out_annotation_set_round_trips(locale, suffix, tmp_path):
    rows = _fitting_rows(locale)
    found, notes = annotation.heldout_annotations(locale)
    launches = sum(r.intent == heldout.LAUNCH for r in rows)
    assert launches <= len(rows) - len(found) <= launches + len(notes)
    out = tmp_path / f"annotations.{locale}{suffix}"
    annotation.write(found, out)
    assert _read_back(out) == [(a.utterance, a.intent, a.slots) for a in found]


# -- the tool itself, on sets made here (no held-out file needed) ------------------------------

def _model_rows(locale: str) -> list[dict]:
    """A small set made of the model's own samples, slots filled, plus a launch and a fallback:
    the tool's plumbing, not a measure."""
    model = heldout.load_model(locale)
    rows = [{"say": f"{OPEN[locale]} {model.invocation_name}", "intent": heldout.LAUNCH},
            {"say": "zqx vlorp", "intent": heldout.FALLBACK}]
    for name, intent in model.intents.items():
        for sample in intent.get("samples", [])[:2]:
            slots, text = {}, sample
            for declared in intent.get("slots", []):
                mark = f"{{{declared['name']}}}"
                if mark not in text:
                    continue
                if declared["type"] == heldout.NUMBER_TYPE:
                    text, slots[declared["name"]] = text.replace(mark, "3"), "3"
                else:
                    value = model.types[declared["type"]][0]
                    text = text.replace(mark, value["name"]["value"])
                    slots[declared["name"]] = value.get("id") or value["name"]["value"]
            rows.append({"say": text, "intent": name, **({"slots": slots} if slots else {})})
    return rows


def _write_set(folder: Path, locale: str, rows: list[dict]) -> None:
    heldout.path_for(locale, folder).write_text(yaml.safe_dump(rows, allow_unicode=True),
                                                encoding="utf-8")


def _read_back(out: Path) -> list[tuple[str, str, dict[str, str]]]:
    if out.suffix == ".csv":
        with out.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames[:3] == ["utterance", "referenceTimestamp", "intent"]
            return [(r["utterance"], r["intent"],
                     {k[5:-1]: v for k, v in r.items() if k.startswith("slot[") and v})
                    for r in reader]
    data = json.loads(out.read_text(encoding="utf-8"))["data"]
    assert all(d["inputs"]["referenceTimestamp"] for d in data)
    return [(d["inputs"]["utterance"], d["expected"][0]["intent"]["name"],
             {k: v["value"] for k, v in d["expected"][0]["intent"].get("slots", {}).items()})
            for d in data]


@pytest.mark.parametrize("locale", LOCALES)
def test_copies_of_samples_are_found_with_any_slot_value(locale):
    model = heldout.load_model(locale)
    rows = [heldout.Row(r["say"].upper() + "?!", r["intent"], r.get("slots") or {}, n)
            for n, r in enumerate(_model_rows(locale)[2:], 1)]
    assert len(heldout.copies_of_samples(rows, model)) == len(rows)
    assert heldout.copies_of_samples([heldout.Row("zqx vlorp", heldout.FALLBACK)], model) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_classifier_learns_the_model_and_opens_the_skill(locale):
    understood = scoring.understandings(locale)
    classifier, model = understood.classifier, understood.model
    assert math.isfinite(classifier.threshold) and 0 < classifier.cv_accuracy <= 1
    rows = [heldout.Row(r["say"], r["intent"], r.get("slots") or {})
            for r in _model_rows(locale)]
    right = [scoring.classifier_outcome(classifier, r).ok for r in rows[2:]]
    assert sum(right) / len(right) >= 0.9  # its own training samples
    assert classifier.predict(rows[0].say).intent == heldout.LAUNCH
    assert split_invocation(f"Alexa, {OPEN[locale]} {model.invocation_name.title()}.", model) \
        == (True, "")
    assert split_invocation(rows[2].say, model) == (False, rows[2].say)


def test_cli_reports_and_exits_2_on_missing_or_bad_sets(tmp_path, capsys):
    _write_set(tmp_path, "en-US", _model_rows("en-US"))
    assert main(["--locale", "en-US", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "(a) offline chat" in out and "(b) TF-IDF" in out and "goal >= 95%" in out
    assert main(["--data", str(tmp_path)]) == EXIT_BAD_DATA  # no es-US set there
    assert "heldout.es-US.yaml does not exist" in capsys.readouterr().err
    _write_set(tmp_path, "en-US", [{"say": "hello there", "intent": "NoSuchIntent"}])
    assert main(["--locale", "en-US", "--data", str(tmp_path)]) == EXIT_BAD_DATA
    assert "no intent NoSuchIntent" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_annotation_export_round_trips(suffix, tmp_path, capsys):
    rows = _model_rows("en-US")
    _write_set(tmp_path, "en-US", rows)
    out = tmp_path / f"out{suffix}"
    assert main(["--annotation-set", "en-US", str(out), "--data", str(tmp_path)]) == 0
    found, _ = annotation.heldout_annotations("en-US", tmp_path)
    assert len(found) == len(rows) - 1  # the LaunchRequest cannot be an annotation
    assert _read_back(out) == [(a.utterance, a.intent, a.slots) for a in found]
    assert any(a.slots for a in found)
    assert main(["--annotation-set", "en-US", str(tmp_path / "out.txt"),
                 "--data", str(tmp_path)]) == EXIT_BAD_DATA
