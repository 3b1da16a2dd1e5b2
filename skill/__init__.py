"""Back Spasm Helper: an Alexa skill for people with a back spasm and their caregivers.

Importing the package is cheap and pulls in no AWS, Flask or Alexa SDK code:
the builders below import the SDK only when called.
"""
from __future__ import annotations

from typing import Any


def build_skill(settings: Any = None, **options: Any) -> Any:
    """The CustomSkill, built from settings (see skill.settings.Settings)."""
    from .app import build_skill as build
    return build(settings, **options)


def build_lambda_handler(settings: Any = None, **options: Any) -> Any:
    """A Lambda handler function for the skill."""
    from .app import build_lambda_handler as build
    return build(settings, **options)
