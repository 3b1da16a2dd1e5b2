"""The interaction model, read from interaction_models/<locale>.json."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from skill.speech import LOCALE_ROOT

from .nlu_words import fold

MODELS_DIR = LOCALE_ROOT / "interaction_models"  # SKILL_LOCALE_ROOT's, as the content


@dataclass(frozen=True)
class SlotMatch:
    type_name: str
    id: str | None  # None: the value is outside the type
    name: str | None


class InteractionModel:
    def __init__(self, data: dict):
        language = data["interactionModel"]["languageModel"]
        self.invocation_name: str = language["invocationName"]
        self.intents: dict[str, dict] = {i["name"]: i for i in language["intents"]}
        self.types: dict[str, list[dict]] = {t["name"]: t["values"]
                                             for t in language.get("types", [])}
        self.locale = "en-US"  # the file's locale, set by load()

    @classmethod
    @lru_cache(maxsize=None)
    def load(cls, locale: str = "en-US") -> "InteractionModel":
        """The locale's model; a locale without one uses its language's (es-MX -> es-US)."""
        path = MODELS_DIR / f"{locale}.json"
        if not path.is_file():
            language = locale.split("-")[0]
            same = sorted(MODELS_DIR.glob(f"{language}-*.json"),
                          key=lambda p: (p.stem != f"{language}-US", p.stem))
            path = same[0] if same else MODELS_DIR / "en-US.json"
        model = cls(json.loads(path.read_text(encoding="utf-8")))
        model.locale = path.stem
        return model

    def slot_type(self, intent: str, slot: str) -> str | None:
        for declared in self.intents.get(intent, {}).get("slots", []):
            if declared["name"] == slot:
                return declared["type"]
        return None

    def phrases(self, type_name: str) -> list[str]:
        """Every value and synonym of a custom type, as written."""
        return [w for v in self.types.get(type_name, [])
                for w in [v["name"]["value"], *v["name"].get("synonyms", [])]]

    def resolve(self, type_name: str, spoken: str) -> SlotMatch:
        """Entity resolution as Alexa does it: a value or synonym -> the value's id."""
        wanted = fold(spoken)
        for value in self.types.get(type_name, []):
            name = value["name"]
            if wanted in [fold(name["value"]), *(fold(s) for s in name.get("synonyms", []))]:
                return SlotMatch(type_name, value.get("id") or name["value"], name["value"])
        return SlotMatch(type_name, None, None)

