"""Understanding (b): a standard statistical intent classifier, trained only on the model.

The classifier is devkit.learned's (TF-IDF of words and characters, a linear SVM, the model's
samples with their slots filled, balanced classes), trained here on the model's samples alone:
nothing from Alexa's own built-in phrasings, nor the offline chat's word lists.

Slots: only those the predicted intent declares. A custom type takes the longest value or
synonym present in the text (a possessive "mom's" counts as "mom"), resolved to its id;
AMAZON.NUMBER takes the first number said, in words or digits, as digits.

Fallback (AMAZON.FallbackIntent has no samples to learn from): predicted when the top decision
score (the SVM's confidence; it has no probabilities) is below a threshold chosen on the model's
own samples. CV_FOLDS-fold cross-validation, grouped by sample so a sample's expansions never
sit on both sides, gives the top score of each sample as if unseen; the threshold is their
FALLBACK_QUANTILE quantile: about 5% of unseen in-domain phrasings as close to the model as its
own samples would fall back. No held-out row takes part in choosing it, nor C.

Invocations ("open back spasm helper", "ask back spasm helper to ..."): the invocation pattern of
the language (the launch and ask verbs of devkit.nlu_words, then the invocation name) is a
LaunchRequest when nothing follows, else what follows is classified.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import GroupKFold

from devkit.learned import pipeline, training_set
from devkit.model import InteractionModel
from devkit.nlu_words import language_for, number_at

from .heldout import FALLBACK, LAUNCH, NUMBER_TYPE

CV_FOLDS = 5
FALLBACK_QUANTILE = 0.05


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("\u2019", "'").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", fold(text))


def split_invocation(text: str, model: InteractionModel) -> tuple[bool, str]:
    """(whether the text opens the skill by its invocation name, the request after the name):
    a launch or ask verb of the language, the invocation name, then maybe a connecting word
    ("ask back spasm helper to ...", "open back spasm helper and ...")."""
    lang = language_for(model.locale)
    invocation = tokens(model.invocation_name)
    words = [w for w in tokens(text) if w not in lang.fillers]
    if not words or words[0] not in lang.launch_verbs | lang.ask_verbs:
        return False, text
    rest = words[1:]
    if rest[:1] and rest[0] in lang.after_verb and rest[1:1 + len(invocation)] == invocation:
        rest = rest[1:]
    if rest[:len(invocation)] != invocation:
        return False, text
    rest = rest[len(invocation):]
    if rest[:1] and rest[0] in lang.connectors and len(rest) > 1:
        rest = rest[1:]
    return True, " ".join(rest)


@dataclass(frozen=True)
class Prediction:
    kind: str  # "launch", "intent" or "fallback"
    intent: str  # LaunchRequest for a launch
    slots: dict[str, str]
    score: float  # the top decision score (inf for a launch)


class ModelClassifier:
    """Trained once from a model; predict() then classifies one text."""

    def __init__(self, model: InteractionModel):
        self.model = model
        self.lang = language_for(model.locale)
        texts, intents, weights, groups = training_set(model)
        self.training_size = len(texts)
        self.samples = len(set(groups))
        self.threshold, self.cv_accuracy = self._choose_threshold(texts, intents, weights, groups)
        self.pipeline = pipeline().fit(texts, intents, model__sample_weight=weights)
        self.classes = list(self.pipeline.classes_)
        self.values = {t: sorted(((tuple(tokens(p)), p) for p in model.phrases(t)),
                                 key=lambda v: -len(v[0])) for t in model.types}

    @staticmethod
    def _choose_threshold(texts, intents, weights, groups) -> tuple[float, float]:
        """The FALLBACK_QUANTILE quantile of the top score of each sample's first expansion,
        predicted by a model trained without that sample (grouped k-fold); and the CV accuracy."""
        texts, intents = np.array(texts, dtype=object), np.array(intents, dtype=object)
        weights, groups = np.array(weights), np.array(groups)
        first = np.r_[True, groups[1:] != groups[:-1]]  # one expansion a sample is scored
        tops, right = [], []
        for train, test in GroupKFold(n_splits=CV_FOLDS).split(texts, intents, groups):
            test = test[first[test]]
            fitted = pipeline().fit(list(texts[train]), list(intents[train]),
                                     model__sample_weight=weights[train])
            scores = fitted.decision_function(list(texts[test]))
            best = scores.argmax(axis=1)
            tops.extend(scores.max(axis=1))
            right.extend(fitted.classes_[best] == intents[test])
        return float(np.quantile(tops, FALLBACK_QUANTILE)), float(np.mean(right))

    # -- prediction -----------------------------------------------------------------------

    def predict(self, text: str) -> Prediction:
        invoked, text = split_invocation(text, self.model)
        if invoked and not text:
            return Prediction("launch", LAUNCH, {}, float("inf"))
        scores = self.pipeline.decision_function([text])[0]
        best = int(scores.argmax())
        top, intent = float(scores[best]), str(self.classes[best])
        if top < self.threshold or intent == FALLBACK:
            return Prediction("fallback", FALLBACK, {}, top)
        return Prediction("intent", intent, self.slots(intent, text), top)

    def slots(self, intent: str, text: str) -> dict[str, str]:
        words = [w[:-2] if w.endswith("'s") else w for w in tokens(text)]
        found = {}
        for declared in self.model.intents[intent].get("slots", []):
            value = (self._number(words) if declared["type"] == NUMBER_TYPE
                     else self._value(words, declared["type"]))
            if value is not None:
                found[declared["name"]] = value
        return found

    def _number(self, words: list[str]) -> str | None:
        for i in range(len(words)):
            number = number_at(words, i, self.lang)
            if number:
                return str(number[0])
        return None

    def _value(self, words: list[str], type_name: str) -> str | None:
        """The id of the longest value or synonym of the type in the words."""
        for phrase, said in self.values.get(type_name, ()):
            size = len(phrase)
            if size and any(tuple(words[i:i + size]) == phrase for i in range(len(words))):
                return self.model.resolve(type_name, said).id
        return None
