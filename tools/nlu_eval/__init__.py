"""`make nlu-eval`: language understanding measured on held-out utterances, as Alexa would see it.

Held-out sets live in tests/data/heldout.<locale>.yaml, a YAML list of rows

    - {say: "my mom threw her back out", intent: StartCheckIntent, slots: {person: SHE}}

(`slots` optional: the resolved id for a custom type, the digits for AMAZON.NUMBER; `intent` may
be LaunchRequest or AMAZON.FallbackIntent). Nothing here ever adds one to the model or tunes
anything on them: they measure, they do not teach.

Each row is scored by two understandings, both built from interaction_models/<locale>.json as it
is when the tool runs (the model is never copied anywhere):

(a) the offline chat's (`devkit.nlu.Understanding`), scored as tests/test_nlu.py scores a
    phrasing: the intent right and every expected slot right (custom types by resolved id,
    AMAZON.NUMBER by digits);
(b) a standard statistical classifier trained only on the model's samples (`classifier.py`):
    TF-IDF of word 1-2 grams and char_wb 2-5 grams with a linear SVM; fallback under a score
    threshold chosen by cross-validation on the model's own samples.

Modules: `heldout` (reading and checking the sets), `classifier` (b), `scoring` (both, the
confusion lists), `annotation` (the export for Amazon's NLU Evaluation Tool), `__main__` (CLI).
"""
