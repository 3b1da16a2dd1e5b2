"""Offline language understanding: typed text -> the request Alexa would send.

    Understanding(InteractionModel.load()).parse("my dad threw his back out")
    -> Parsed(kind="intent", intent="StartCheckIntent", slots={"person": "dad"}, score=..., ...)

parse() tries, in order:
1. an invocation: "open back spasm helper" is a LaunchRequest; "ask / tell back spasm helper
   (to) <utterance>" and "open ... and <utterance>" are the inner utterance, in a new session;
2. an exact sample of the model (or of Alexa's built-in intents, nlu_words.BUILT_IN_SAMPLES),
   {slot}s captured by a regex and checked against the slot type;
3. the intent that scores best on two judges of what the text is closest to, added up:
   - the closest samples by rapidfuzz. Slot values and numbers in the text are replaced by the
     same one-character mark as the {slot} in the samples. Each sample scores the mean of four
     rapidfuzz similarities: token_set_ratio and token_sort_ratio of the words, and ratio and
     word-level Indel similarity of the content words (no articles, auxiliaries, prepositions).
     An intent scores 0.7 x its best sample + 0.3 x its second best (a nearest-neighbours vote),
     0 to 100;
   - a statistical classifier (devkit.learned: TF-IDF, a linear SVM) trained on the same
     samples, its decision score x LEARNED_WEIGHT. It generalises from words and word parts
     seen anywhere in an intent's samples, where the matcher needs one sample close as a whole.
   The out-of-domain requests in nlu_words.OUT_OF_DOMAIN compete as AMAZON.FallbackIntent in
   both, and so does anything scoring below THRESHOLD.

Slot values are what was said ("dad"); AMAZON.NUMBER is sent as digits ("third" -> "3"), as
real Alexa does. `envelopes.intent` adds the entity resolutions (dad -> HE) from the model.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from .learned import LearnedIntents
from .model import InteractionModel
from .nlu_words import Language, content, language_for, normalise, number_at, words_of

# The classifier's weight against the matcher's 0-100: grouped 5-fold cross-validation on the
# models' own samples (a fifth left out, learned and matched from the rest) gives the matcher
# alone 84.2% / 82.2% (en-US / es-US), the classifier alone 90.8% / 87.8%, and the two added
# 91.0% / 89.2% at 50 (90.8-91.0% / 88.1-89.2% from 50 to 1000).
LEARNED_WEIGHT = 50.0
# An intent scoring below this is not understood: AMAZON.FallbackIntent. The same
# cross-validation, the out-of-domain list folded in too: at 50, 87.2% / 86.5% of the left-out
# samples are understood and 85.4% / 76.3% of the left-out out-of-domain requests fall back
# (the matcher alone: 84.1% / 83.5% and 57.3% / 53.8%). Lower keeps about 2% more samples and
# lets 10-15% more out-of-domain requests through (at 30: 88.8% and 72.8% in en-US); on a
# safety question a misheard request costs more than being asked again, so 50.
THRESHOLD = 50.0
# A long utterance (a story: "so I was pulling weeds all afternoon and when I stood up...") scores
# lower against every sample than a short one: its extra words match nothing. Alexa does not
# fall back on an in-domain story, so from LONG_WORDS words the threshold is LONG_THRESHOLD,
# when the best intent leads the next (the out-of-domain requests included) by LONG_MARGIN.
# The cross-validation above (models of 3,496 / 3,367 samples, the out-of-domain list with 20
# requests of 10 words or more a language): left-out samples of 12 words or more understood
# 78.2% -> 85.9% / 75.0% -> 86.4%, all left-out samples 87.7% -> 88.5% / 86.4% -> 87.4%, another
# intent than the right one 5.8% -> 6.0% / 6.9% -> 7.0%; the cost: of the left-out long
# out-of-domain requests 16 / 17 of 20 fall back instead of 20 / 19 (all of them 81.2% -> 78.3%
# / 81.9% -> 80.3%). People open this skill to talk about a back; stories are the common case.
LONG_WORDS = 10
LONG_THRESHOLD = 30.0
LONG_MARGIN = 10.0
NEIGHBOURS = (0.7, 0.3)  # weights of an intent's best and second-best sample
FALLBACK = "AMAZON.FallbackIntent"
NUMBER_TYPE = "AMAZON.NUMBER"
INVOCATION_MATCH = 85.0  # fuzz.ratio for a mistyped invocation name ("back spasm helpr")


@dataclass(frozen=True)
class Parsed:
    kind: str  # "launch", "intent" or "fallback"
    intent: str | None  # None for a launch
    slots: dict[str, str] = field(default_factory=dict)  # as said; AMAZON.NUMBER as digits
    score: float = 100.0
    new_session: bool = False  # an invocation: Alexa opens a new session for it
    sample: str | None = None  # the closest sample, as written in the model (for --trace)


@dataclass
class _Group:
    """Samples using the same slots, with the forms each rapidfuzz scorer compares."""
    slots: tuple[tuple[str, str], ...]  # (slot name, slot type)
    lang: Language
    intents: list[str] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)  # as written: "my {person} can't get up"
    texts: list[str] = field(default_factory=list)  # normalised: "my {person} can not get up"
    keys: list[str] = field(default_factory=list)  # slots as marks
    sorted_keys: list[str] = field(default_factory=list)
    content_keys: list[str] = field(default_factory=list)  # sorted content words
    content_words: list[tuple[str, ...]] = field(default_factory=list)

    def add(self, intent: str, sample: str, text: str, words: list[str]) -> None:
        self.intents.append(intent)
        self.samples.append(sample)
        self.texts.append(text)
        self.keys.append(" ".join(words))
        self.sorted_keys.append(" ".join(sorted(words)))
        self.content_words.append(tuple(sorted(content(words, self.lang))))
        self.content_keys.append(" ".join(self.content_words[-1]))

    def similarities(self, words: list[str]) -> list[float]:
        total = [0.0] * len(self.keys)
        query_content = tuple(sorted(content(words, self.lang)))
        # (query, choices, scorer, scale): strings, or word tuples for the Indel run
        runs: list[tuple[Any, Any, Callable[..., float], int]] = [
                (" ".join(words), self.keys, fuzz.token_set_ratio, 1),
                (" ".join(sorted(words)), self.sorted_keys, fuzz.ratio, 1)]
        if query_content:  # nothing but function words: the content scores stay 0
            runs += [(" ".join(query_content), self.content_keys, fuzz.ratio, 1),
                     (query_content, self.content_words, Indel.normalized_similarity, 100)]
        for query, choices, scorer, scale in runs:
            for _, value, index in process.extract(query, choices, scorer=scorer, limit=None):
                total[index] += value * scale / 4
        return total


class Understanding:
    """Everything compiled once from the model; parse() then takes about a millisecond."""

    def __init__(self, model: InteractionModel, threshold: float = THRESHOLD):
        self.model = model
        self.threshold = threshold
        self.lang = language_for(model.locale)  # the word lists of the model's language
        self.invocation = normalise(model.invocation_name, self.lang)
        # normalised slot-free sample -> (intent, sample)
        self.exact: dict[str, tuple[str, str]] = {}
        self.templates: list[tuple[re.Pattern, str, str]] = []  # (regex, intent, sample)
        self.groups: dict[tuple[tuple[str, str], ...], _Group] = {}
        self.marks: dict[str, str] = {}  # slot name -> a one-character mark
        self.values: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # type -> (words, value)
        for name, intent in model.intents.items():
            for sample in intent.get("samples", []):
                self._add(name, sample)
        extra = [(n, s) for n, samples in self.lang.built_in_samples.items() if n in model.intents
                 for s in samples] + [(FALLBACK, s) for s in self.lang.out_of_domain]
        extra = [(n, s) for n, s in extra if normalise(s, self.lang) not in self.exact]
        for name, sample in extra:  # the model's own samples win: a copy is left out
            self._add(name, sample)
        for type_name, values in model.types.items():
            phrases = {tuple(words_of(w, self.lang)): w for v in values
                       for w in [v["name"]["value"], *v["name"].get("synonyms", [])]}
            self.values[type_name] = sorted(phrases.items(), key=lambda p: -len(p[0]))
        self.learned = LearnedIntents(model, extra)

    def _add(self, intent: str, sample: str) -> None:
        parts = re.split(r"(\{\w+\})", sample)
        text = " ".join(" ".join(p if p.startswith("{") else normalise(p, self.lang)
                                 for p in parts).split())
        slots = tuple((s, self.model.slot_type(intent, s) or "")
                      for s in re.findall(r"\{(\w+)\}", text))
        if not slots:
            self.exact.setdefault(text, (intent, sample))
        else:
            pattern = re.escape(text)
            for slot, type_name in slots:
                capture = (r"(?:\d+(?:st|nd|rd|th)?|[a-z]+(?: [a-z]+){0,2})"
                           if type_name == NUMBER_TYPE else r"[a-z']+(?: [a-z']+){0,3}")
                pattern = pattern.replace(re.escape(f"{{{slot}}}"), f"(?P<{slot}>{capture})")
                self.marks.setdefault(slot, chr(0x2460 + len(self.marks)))
            self.templates.append((re.compile(pattern), intent, sample))
        words = [self.marks[w[1:-1]] if w.startswith("{") else w for w in text.split()]
        key = tuple(sorted(set(slots)))
        self.groups.setdefault(key, _Group(key, self.lang)).add(intent, sample, text, words)

    def samples(self) -> dict[str, str]:
        """Every normalised sample the matcher knows (the model's and Alexa's) -> intent."""
        return {t: i for g in self.groups.values() for t, i in zip(g.texts, g.intents)}

    def is_sample(self, text: str) -> bool:
        """Whether the text is a sample as it stands, slots filled with values of their type."""
        text = normalise(text, self.lang)
        return text in self.exact or self._template(text)[1]

    # -- parsing -----------------------------------------------------------------------

    def parse(self, text: str) -> Parsed:
        words = words_of(text, self.lang)
        invoked = self._invocation(words)
        if invoked is None:
            return self._intent(words)
        if not invoked:
            return Parsed("launch", None, new_session=True)
        parsed = self._intent(invoked)
        if invoked[0] in self.lang.connectors and len(invoked) > 1:
            # "ask ... to start relief", "pídele a ... que empiece"; but in "pregúntale a ...
            # qué causa esto" the "que" belongs to the question: keep the better reading.
            stripped = self._intent(invoked[1:])
            parsed = stripped if stripped.score >= parsed.score else parsed
        return Parsed(parsed.kind, parsed.intent, parsed.slots, parsed.score, True, parsed.sample)

    def _invocation(self, words: list[str]) -> list[str] | None:
        """None: no invocation; []: just open the skill; else the words asked of it."""
        if not words or words[0] not in self.lang.launch_verbs | self.lang.ask_verbs:
            return None
        rest = words[1:]
        if rest[:1] and rest[0] in self.lang.after_verb:
            rest = rest[1:]
        size = len(self.invocation.split())
        for n in sorted(range(max(1, size - 1), size + 2), key=lambda n: abs(n - size)):
            if len(rest) >= n and \
                    fuzz.ratio(" ".join(rest[:n]), self.invocation) >= INVOCATION_MATCH:
                return rest[n:]
        return None

    def _intent(self, words: list[str]) -> Parsed:
        text = " ".join(words)
        if text in self.exact:
            intent, sample = self.exact[text]
            return Parsed("fallback" if intent == FALLBACK else "intent", intent, {}, 100.0,
                          sample=sample)
        matched, resolved = self._template(text)
        if matched and resolved:
            return matched
        closest = self._closest(words)
        if matched and (closest.kind == "fallback" or
                        (closest.intent == matched.intent and not closest.slots)):
            return matched  # a value outside the slot type, sent as said (ER_SUCCESS_NO_MATCH)
        # A slot catches any words ("this is for {person}" catches "myself"): when the samples
        # as a whole point to another intent, the words were not a value but the request.
        return closest

    def _template(self, text: str) -> tuple[Parsed | None, bool]:
        """The sample the text matches with its slots captured, and whether they all resolve."""
        found = []
        for regex, intent, sample in self.templates:
            match = regex.fullmatch(text)
            if match:
                slots = match.groupdict()
                if any(self.model.slot_type(intent, k) == NUMBER_TYPE and
                       self._slot_value(intent, k, v) is None for k, v in slots.items()):
                    continue  # Alexa fills AMAZON.NUMBER with numbers only: no match here
                unresolved = any(self._slot_value(intent, k, v) is None for k, v in slots.items())
                found.append((unresolved, sum(len(v.split()) for v in slots.values()),
                              intent, slots, sample))
        if not found:
            return None, False
        unresolved, _, intent, slots, sample = min(found, key=lambda f: f[:2])
        slots = {k: self._slot_value(intent, k, v) or v for k, v in slots.items()}
        return Parsed("intent", intent, slots, 100.0, sample=sample), not unresolved

    def _slot_value(self, intent: str, slot: str, said: str) -> str | None:
        """What Alexa puts in the slot; None when the words are not a value of its type."""
        type_name = self.model.slot_type(intent, slot)
        if type_name == NUMBER_TYPE:
            words = said.split()
            number = number_at(words, 0, self.lang)
            return str(number[0]) if number and number[1] == len(words) else None
        return said if self.model.resolve(type_name or "", said).id else None

    def _spot(self, words: list[str], type_name: str, mark: str) -> tuple[list[str], str | None]:
        """The words with the first value of a type replaced by a mark, and that value."""
        for i in range(len(words)):
            if type_name == NUMBER_TYPE:
                number = number_at(words, i, self.lang)
                if number:
                    return words[:i] + [mark] + words[i + number[1]:], str(number[0])
                continue
            for phrase, value in self.values.get(type_name, ()):
                if len(phrase) == 1 and phrase[0] in self.lang.function_words:
                    continue  # "él" folds to the article "el": heard anywhere, it means nothing
                here = words[i:i + len(phrase)]
                if here and here[-1].endswith("'s"):  # "my mom's back"
                    here = here[:-1] + [here[-1][:-2]]
                if tuple(here) == phrase:
                    return words[:i] + [mark] + words[i + len(phrase):], value
        return words, None

    def ranked(self, words: list[str]) -> list[Parsed]:
        """Every intent (AMAZON.FallbackIntent for the out-of-domain requests), best first,
        scored by both judges; slots as spotted for the intent's closest sample."""
        scored: dict[str, list[tuple[float, str, dict[str, str]]]] = {}
        for slots, group in self.groups.items():
            query, found = list(words), {}
            for slot, type_name in slots:
                query, spotted = self._spot(query, type_name, self.marks[slot])
                if spotted is not None:
                    found[slot] = spotted
            for value, intent, sample in zip(group.similarities(query), group.intents,
                                             group.samples):
                scored.setdefault(intent, []).append((value, sample, found))
        learned = self.learned.scores(words)
        ranked = []
        for intent, results in scored.items():
            results.sort(key=lambda r: -r[0])
            top = [r[0] for r in results[:len(NEIGHBOURS)]]
            value = sum(w * t for w, t in zip(NEIGHBOURS, top + top[-1:] * len(NEIGHBOURS)))
            value += LEARNED_WEIGHT * learned.get(intent, -1.0)
            ranked.append(Parsed("intent", intent, results[0][2], value, sample=results[0][1]))
        return sorted(ranked, key=lambda p: -p.score)

    def _closest(self, words: list[str]) -> Parsed:
        ranked = self.ranked(words)
        best = ranked[0] if ranked else Parsed("fallback", FALLBACK, {}, float("-inf"))
        threshold = self.threshold
        if len(words) >= LONG_WORDS and len(ranked) > 1 and \
                best.score - ranked[1].score >= LONG_MARGIN:
            threshold = min(threshold, LONG_THRESHOLD)
        if best.score < threshold or best.intent == FALLBACK or best.intent is None:
            return Parsed("fallback", FALLBACK, {}, best.score, sample=best.sample)
        # A value of a declared slot's type fills the slot even when the closest sample lacks
        # it ("my mom's back is in spasm" is closest to "my back is in spasm"), as Alexa does.
        slots = dict(best.slots)
        for declared in self.model.intents[best.intent].get("slots", []):
            if declared["name"] not in slots:
                value = self._spot(words, declared["type"], "")[1]
                if value is not None:
                    slots[declared["name"]] = value
        return Parsed("intent", best.intent, slots, best.score, sample=best.sample)
