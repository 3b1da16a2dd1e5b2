"""`make nlu-eval`: per locale, the share of held-out utterances each understanding gets right.

    python -m tools.nlu_eval                  # both locales, tests/data/heldout.<locale>.yaml
    python -m tools.nlu_eval --locale es-US --examples 5
    python -m tools.nlu_eval --data DIR       # heldout.<locale>.yaml files in another folder
    python -m tools.nlu_eval --annotation-set en-US build/nlu/annotations.en-US.csv   # or .json

A report: the exit status is 0 whatever the scores; 2 when a held-out file is missing, malformed,
or names an intent, slot or id the model lacks (--skip-unfit scores the other rows instead).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from devkit.learned import SVM_C

from .annotation import heldout_annotations, write
from .classifier import CV_FOLDS, FALLBACK_QUANTILE
from .heldout import DATA_DIR, LAUNCH, LOCALES, MIN_ROWS, HeldoutError, path_for
from .scoring import GOALS, NAMES, LocaleReport, confusions, evaluate

EXIT_BAD_DATA = 2


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def report(result: LocaleReport, examples: int, out=None) -> None:
    out = out or sys.stdout
    model, classifier = result.understood.model, result.understood.classifier
    rows = result.rows
    launches = sum(r.intent == LAUNCH for r in rows)
    print(f"\n== {result.locale}: {len(rows)} held-out utterances scored "
          f"({path_for(result.locale).name}; {launches} LaunchRequest rows; "
          f"{len(model.intents)} intents in the model)", file=out)
    if len(rows) < MIN_ROWS:
        print(f"   note: fewer than {MIN_ROWS} rows; the shares below move by "
              f"{_percent(1 / len(rows))} a row", file=out)
    if result.left_out:
        print("   WARNING: rows left out (--skip-unfit), the model cannot express them yet:\n     "
              + "\n     ".join(result.left_out), file=out)
    if result.copies:
        print(f"   WARNING: {len(result.copies)} held-out utterances are samples of the model, so "
              "they measure nothing: " + "; ".join(f"row {r.number} = {i} {s!r}"
                                                   for r, i, s in result.copies[:5]), file=out)
    copied = {r.number for r, _, _ in result.copies}
    for which in ("offline", "classifier"):
        accuracy, goal = result.accuracy(which), GOALS[which]
        line = (f"   {NAMES[which]:<36} {result.right(which):>4}/{len(rows):<4} "
                f"{_percent(accuracy):>6}   goal >= {goal:.0%}: "
                f"{'met' if accuracy >= goal else 'BELOW'}")
        fresh = [o.ok for o in result.outcomes[which] if o.row.number not in copied]
        if copied and fresh:
            line += (f"   (on the {len(fresh)} that are not samples: "
                     f"{sum(fresh)}/{len(fresh)} {_percent(sum(fresh) / len(fresh))})")
        print(line, file=out)
    print(f"   (b) trained on the model's {classifier.samples} samples ({classifier.training_size} "
          f"with slots filled), C={SVM_C:g}; {CV_FOLDS}-fold grouped CV on them "
          f"{_percent(classifier.cv_accuracy)}\n"
          f"       fallback when the top decision score < {classifier.threshold:.3f}, the "
          f"{FALLBACK_QUANTILE:.0%} quantile of the CV top scores (held-out rows play no "
          "part)\n       LaunchRequest rows: right when the text is the invocation pattern "
          "(open / launch / start + invocation name)", file=out)
    for which in ("offline", "classifier"):
        found = confusions(result.outcomes[which], examples)
        if not found:
            continue
        print(f"   {NAMES[which].split(' ')[0]} misses, expected -> got:", file=out)
        for confusion in found:
            said = "; ".join(
                f"{o.row.say!r}"
                + (f" {o.row.slots} got {o.slots}" if o.got == o.row.intent else "")
                for o in confusion.examples)
            print(f"     {confusion.expected} -> {confusion.got}  x{confusion.count}"
                  + (f"  e.g. {said}" if said else ""), file=out)


def summary_line(result: LocaleReport) -> str:
    return (f"{result.locale}: (a) {_percent(result.accuracy('offline'))} "
            f"(goal {GOALS['offline']:.0%}), (b) {_percent(result.accuracy('classifier'))} "
            f"(goal {GOALS['classifier']:.0%}) on {len(result.rows)} utterances"
            + (" (rows the model cannot express left out)" if result.left_out else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.nlu_eval", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--locale", action="append", choices=LOCALES,
                        help="a locale to measure (repeatable; default: all)")
    parser.add_argument("--data", type=Path, default=DATA_DIR,
                        help="the folder of heldout.<locale>.yaml (default: tests/data)")
    parser.add_argument("--examples", type=int, default=2,
                        help="examples per confusion (default 2)")
    parser.add_argument("--skip-unfit", action="store_true",
                        help="score the rows the model can express and list the others (an "
                             "intent, slot or id the model lacks yet) instead of exiting 2")
    parser.add_argument("--annotation-set", nargs=2, metavar=("LOCALE", "OUT"),
                        help="write the locale's held-out set as an NLU Evaluation Tool annotation "
                             "set to OUT (.csv or .json) instead of measuring")
    parser.add_argument("--reference-timestamp",
                        help="the annotations' referenceTimestamp (default: now, UTC)")
    args = parser.parse_args(argv)

    if args.annotation_set:
        return export(*args.annotation_set, data_dir=args.data, stamp=args.reference_timestamp,
                      skip_unfit=args.skip_unfit)
    failed = []
    results = []
    for locale in args.locale or LOCALES:
        try:
            results.append(evaluate(locale, args.data, args.skip_unfit))
        except HeldoutError as error:
            failed.append(f"{locale}: {error}")
            continue
        report(results[-1], args.examples)
    print("", file=sys.stdout)
    for result in results:
        print(summary_line(result))
    for message in failed:
        print(f"nlu-eval: cannot measure {message}", file=sys.stderr)
    if any("does not fit" in message for message in failed):
        print("nlu-eval: --skip-unfit (make nlu-eval ARGS=--skip-unfit) scores the rows the model "
              "can express and lists the others", file=sys.stderr)
    return EXIT_BAD_DATA if failed else 0


def export(locale: str, out: str, *, data_dir: Path, stamp: str | None,
           skip_unfit: bool = False) -> int:
    if locale not in LOCALES:
        print(f"nlu-eval: unknown locale {locale!r} (one of {', '.join(LOCALES)})", file=sys.stderr)
        return EXIT_BAD_DATA
    if Path(out).suffix.lower() not in (".csv", ".json"):
        print(f"nlu-eval: {out}: write the annotation set as .csv or .json", file=sys.stderr)
        return EXIT_BAD_DATA
    try:
        found, notes = heldout_annotations(locale, data_dir, skip_unfit)
    except HeldoutError as error:
        print(f"nlu-eval: cannot export {locale}: {error}", file=sys.stderr)
        return EXIT_BAD_DATA
    content_type = write(found, out, stamp)
    for note in notes:
        print(f"  {note}", file=sys.stderr)
    print(f"{out}: {len(found)} annotations for {locale} ({content_type}); "
          f"{len(notes)} notes (on stderr)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
