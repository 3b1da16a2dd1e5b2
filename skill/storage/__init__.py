"""Where the memory lives: SQLite off Lambda, DynamoDB on it, or nowhere.

Every adapter implements the ASK SDK's AbstractPersistenceAdapter. Their
modules are imported only when chosen, so boto3 never loads off Lambda.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

    from ..settings import Settings


def build_adapter(settings: "Settings") -> "AbstractPersistenceAdapter | None":
    if settings.persistence == "sqlite":
        from .sqlite import SQLiteAdapter
        return SQLiteAdapter(settings.data_dir / "memory.sqlite3", ttl_days=settings.ttl_days)
    if settings.persistence == "dynamodb":
        from .dynamodb import build_dynamodb_adapter
        return build_dynamodb_adapter(settings)
    return None
