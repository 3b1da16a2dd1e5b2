"""The sample conversation now plays in the chat: `python -m devkit.chat --demo`.

Kept so `python -m devkit.demo` still works; it runs exactly that.
"""
from __future__ import annotations

import sys

from .chat import main

if __name__ == "__main__":
    raise SystemExit(main(["--demo", *sys.argv[1:]]))
