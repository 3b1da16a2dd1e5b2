"""The skill's store icons: one SVG per clinic, drawn to the two PNG sizes Alexa asks for.

The manifest names each icon per locale as the ASK CLI v2 does, a file in the skill package
(smallIconUri / largeIconUri = file://assets/images/NAME.png); `ask deploy` then imports the
whole package, icons included. Amazon wants PNG, 108 x 108 for the small icon and 512 x 512 for
the large one (the Skill Management API's manifest schema: "(108x108px)", "(512x512px)").

resvg (resvg-py, a wheel with no system libraries) draws the SVG. It is told to load no system
fonts, and an SVG with text is refused: text would change with the fonts of the machine that
builds it, and is unreadable at 108 px anyway. So the same SVG gives the same bytes every build.
"""
from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Mapping

SIZES = {"smallIconUri": 108, "largeIconUri": 512}
PREFIX = "file://"
FOLDER = "assets/images/"
TEXT = re.compile(r"<\s*(?:\w+:)?(?:text|font)\b")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class IconError(Exception):
    """An icon cannot be made; the message says what to fix."""


def wanted(manifest: Mapping) -> dict[str, int]:
    """Each icon file the manifest's store listings name -> its size in pixels."""
    files: dict[str, int] = {}
    locales = (manifest.get("publishingInformation") or {}).get("locales") or {}
    for locale, listing in locales.items():
        for key, size in SIZES.items():
            uri = listing.get(key)
            if not isinstance(uri, str) or not uri.startswith(PREFIX + FOLDER) \
                    or not uri.endswith(".png") or ".." in uri:
                raise IconError(f"skill.json publishingInformation.locales.{locale}.{key} is "
                                f"{uri!r}: name a file {PREFIX}{FOLDER}NAME.png")
            path = uri.removeprefix(PREFIX)
            if files.setdefault(path, size) != size:
                raise IconError(f"skill.json names {uri} for both icon sizes; give each its file")
    return files


def read_source(path: Path, setting: str) -> str:
    """The clinic's SVG, checked; `setting` names where it was given, for the message."""
    try:
        svg = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise IconError(f"{setting}: cannot read the icon source {path} "
                        f"({getattr(error, 'strerror', None) or error})") from None
    if "<svg" not in svg:
        raise IconError(f"{setting}: {path} is not an SVG file")
    if TEXT.search(svg):
        raise IconError(f"{setting}: {path} has text; convert it to paths (text would depend "
                        "on the fonts installed, and cannot be read at 108 px)")
    return svg


def render(svg: str, size: int, where: Path) -> bytes:
    import resvg_py  # only the skill package needs it

    try:
        png = bytes(resvg_py.svg_to_bytes(svg_string=svg, width=size, height=size,
                                          skip_system_fonts=True))
    except ValueError as error:
        raise IconError(f"{where}: resvg cannot draw it ({error})") from None
    if png_size(png) != (size, size):
        raise IconError(f"{where}: drawn {png_size(png)} instead of {size} x {size}; give the "
                        'SVG a square viewBox, such as viewBox="0 0 512 512"')
    return png


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's header, or None when it is not a PNG."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def make(manifest: Mapping, source: Path, setting: str) -> dict[str, bytes]:
    """Each icon path in the package -> its PNG bytes; every check done, nothing written."""
    files = wanted(manifest)
    svg = read_source(source, setting)
    drawn = {size: render(svg, size, source) for size in sorted(set(files.values()))}
    return {path: drawn[size] for path, size in files.items()}
