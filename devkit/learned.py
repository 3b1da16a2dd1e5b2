"""A statistical intent classifier trained on an interaction model: what Alexa's own
statistical understanding does with the model, in a standard form.

Training data: every sample of every intent in the model, plus any `extra` (intent, sample)
pairs the caller adds (the offline chat adds Alexa's built-in phrasings and the out-of-domain
requests; make nlu-eval's classifier (b) adds nothing). A sample with `{slot}`s is expanded by
filling each slot with values of its type: a custom type's values and synonyms, AMAZON.NUMBER's
digits 1-8 and the language's words for them ("three", "third"; "tres", "tercero"). At most
FILLS_PER_SAMPLE expansions a sample, taken in turn through the values so that, across an
intent's samples, every value is used; each expansion weighs 1/len(expansions), so every sample
counts once; then every intent weighs the same in all (balanced classes), however many samples
it has.

Model: TF-IDF (sublinear tf) of word 1-2 grams and char_wb 2-5 grams, lower case, accents
stripped, then a linear SVM (scikit-learn's LinearSVC, one-vs-rest, C=SVM_C). Chosen by grouped
5-fold cross-validation on the models' own samples (a sample's expansions never on both sides):
en-US 90.8%, es-US 87.8%. Logistic regression was as accurate and about eight times slower;
Snowball stems and content-word features added nothing (en-US 90.4-90.7%, es-US 87.9-88.4%).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from .model import InteractionModel
from .nlu_words import language_for

FILLS_PER_SAMPLE = 8
NUMBERS = range(1, 9)  # AMAZON.NUMBER fills: 1-8, the relief routine's steps
NUMBER_TYPE = "AMAZON.NUMBER"
SVM_C = 3.0  # the best of 0.3, 1 and 3 in the grouped cross-validation on the model's samples
# A typed word the samples never use is read as one they do when it is that word with two
# neighbouring letters swapped ("cuases") or, at least this close (rapidfuzz ratio), a letter
# missing or added ("spams"): Alexa hears words, never typos. At 80, where a changed letter also
# counts ("duelen" / "duele" 91, "pierna" / "piernas" 92, "pain" / "rain" 75), the cross-
# validation of devkit.nlu lost 0.5% of the es-US samples; at 90 nothing.
SPELLING_MATCH = 90.0
SPELLING_MIN_LENGTH = 4  # shorter words are too often another real word one letter away


def pipeline() -> Pipeline:
    features = FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                  strip_accents="unicode", token_pattern=r"(?u)\b\w+\b")),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                  strip_accents="unicode")),
    ])
    return Pipeline([("features", features), ("model", LinearSVC(C=SVM_C))])


def training_set(model: InteractionModel, extra: Iterable[tuple[str, str]] = ()
                 ) -> tuple[list[str], list[str], list[float], list[int]]:
    """(texts, intents, weights, groups): every sample, slots filled; group = the sample's index."""
    lang = language_for(model.locale)
    number_words = sorted(w for w, n in lang.unit_words.items() if n in NUMBERS)
    fills = {NUMBER_TYPE: [str(n) for n in NUMBERS] + number_words}
    turn: dict[str, int] = {}  # where each type's values go on from, sample after sample
    texts: list[str] = []
    intents: list[str] = []
    weights: list[float] = []
    groups: list[int] = []
    pairs = [(name, s) for name, intent in model.intents.items() for s in intent.get("samples", [])]
    for group, (name, sample) in enumerate([*pairs, *extra]):
        slots = re.findall(r"\{(\w+)\}", sample)
        expansions = [sample]
        if slots:
            choices = []
            for slot in slots:
                type_name = model.slot_type(name, slot) or ""
                values = fills.get(type_name) or model.phrases(type_name) or [slot]
                choices.append((slot, type_name, values))
            count = min(FILLS_PER_SAMPLE, max(len(v) for _, _, v in choices))
            expansions = []
            for k in range(count):
                text = sample
                for slot, type_name, values in choices:
                    start = turn.get(type_name, 0)
                    text = text.replace(f"{{{slot}}}", values[(start + k) % len(values)])
                expansions.append(text)
            for _, type_name, values in choices:
                turn[type_name] = (turn.get(type_name, 0) + count) % len(values)
        for text in expansions:
            texts.append(text)
            intents.append(name)
            weights.append(1.0 / len(expansions))
            groups.append(group)
    # Balanced: every intent weighs the same in all, however many samples it has.
    per_intent: dict[str, float] = {}
    for name, weight in zip(intents, weights):
        per_intent[name] = per_intent.get(name, 0.0) + weight
    total = sum(per_intent.values())
    share = {name: total / (len(per_intent) * weight) for name, weight in per_intent.items()}
    weights = [w * share[name] for w, name in zip(weights, intents)]
    return texts, intents, weights, groups


class LearnedIntents:
    """Trained once (about half a second); scores() then takes about a millisecond."""

    def __init__(self, model: InteractionModel, extra: Iterable[tuple[str, str]] = ()):
        texts, intents, weights, groups = training_set(model, extra)
        self.training_size = len(texts)
        self.samples = len(set(groups))
        self.pipeline = pipeline().fit(texts, intents, model__sample_weight=weights)
        self.classes = [str(c) for c in self.pipeline.classes_]
        self.vocabulary = sorted({w for t in texts for w in re.findall(r"[\w']+", t.lower())})
        self.known = set(self.vocabulary)

    def scores(self, words: list[str]) -> dict[str, float]:
        """Each intent's decision score for the words (the SVM's margin: above 0 leans to it)."""
        text = " ".join(self.spelled(w) for w in words)
        return dict(zip(self.classes, map(float, self.pipeline.decision_function([text])[0])))

    def spelled(self, word: str) -> str:
        if word in self.known or len(word) < SPELLING_MIN_LENGTH:
            return word
        for i in range(len(word) - 1):
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
            if swapped in self.known:
                return swapped
        found = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio,
                                   score_cutoff=SPELLING_MATCH)
        return found[0] if found else word
