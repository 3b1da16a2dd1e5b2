"""The record key for a user: a hash, so no store ever holds an Alexa user id in clear."""
from __future__ import annotations

import hashlib

from ask_sdk_core.exceptions import PersistenceException


def user_key(request_envelope) -> str:
    user = getattr(getattr(getattr(request_envelope, "context", None), "system", None), "user", None)
    user_id = getattr(user, "user_id", None)
    if not isinstance(user_id, str) or not user_id:
        raise PersistenceException("the request carries no user id")
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()
