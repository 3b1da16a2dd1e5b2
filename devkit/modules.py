"""A Python file loaded as a module by its path: the Lambda entry points, test helpers the tools
reuse, the bench's baselines (none of them is in an importable package)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load_file(name: str, path: Path) -> ModuleType:
    """Registered in sys.modules under `name` before it runs: dataclasses look their module
    up there."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path}: cannot be loaded as a module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
