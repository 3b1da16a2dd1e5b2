"""Lets oscrypto 1.3.0 read OpenSSL versions with two-digit parts ("OpenSSL 3.0.19").

oscrypto 1.3.0 finds libcrypto's version with the regex ``\\b(\\d\\.\\d\\.\\d[a-z]*)\\b``, which
cannot match "3.0.19", so importing its OpenSSL backend raises
``LibraryNotFoundError("Error detecting the version of libcrypto")``. certvalidator imports
oscrypto, and ask-sdk-webservice-support imports certvalidator, so the web service could not
check a single request signature. Upstream fixed the regex (oscrypto commit d5f3437) but never
released it.

``install()`` puts a finder at the front of ``sys.meta_path``. When oscrypto's two version-reading
modules are imported, it loads them from their own source with the upstream regex in place of
the old one. Nothing on disk changes, so the fix holds after any ``pip install``; with an oscrypto
that no longer has the old regex the finder steps aside and the normal import runs.
Call ``install()`` before anything imports certvalidator, oscrypto or flask_ask_sdk.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType
from collections.abc import Sequence

# As written in oscrypto's source (a str literal with doubled backslashes).
OLD_REGEX = "'\\\\b(\\\\d\\\\.\\\\d\\\\.\\\\d[a-z]*)\\\\b'"
NEW_REGEX = "'\\\\b(\\\\d+\\\\.\\\\d+\\\\.\\\\d+[a-z]*)\\\\b'"
MODULES = frozenset({"oscrypto._openssl._libcrypto_cffi", "oscrypto._openssl._libcrypto_ctypes"})

patched: set[str] = set()  # modules loaded with the fix, for /healthz and tests


class _PatchedSourceLoader(importlib.machinery.SourceFileLoader):
    """Compiles the module from its source with the regex replaced; never uses the .pyc."""

    def get_code(self, fullname: str):
        source = self.get_data(self.path).decode("utf-8").replace(OLD_REGEX, NEW_REGEX)
        return compile(source, self.path, "exec", dont_inherit=True)

    def exec_module(self, module: ModuleType) -> None:
        super().exec_module(module)
        patched.add(module.__name__)


class OscryptoVersionFix(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Sequence[str] | None, target=None):
        if fullname not in MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None \
                or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return None
        try:
            with open(spec.origin, encoding="utf-8") as file:
                if OLD_REGEX not in file.read():
                    return None  # a fixed oscrypto: import it as it is
        except OSError:
            return None
        return importlib.util.spec_from_file_location(
            fullname, spec.origin, loader=_PatchedSourceLoader(fullname, spec.origin))


def install() -> None:
    """Idempotent. Has no effect on modules already imported."""
    if not any(isinstance(finder, OscryptoVersionFix) for finder in sys.meta_path):
        sys.meta_path.insert(0, OscryptoVersionFix())
