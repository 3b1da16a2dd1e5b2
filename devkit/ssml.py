"""SSML made readable for a terminal: tags dropped, pauses and rates shown."""
from __future__ import annotations

import re


def readable(ssml: str) -> str:
    # A phone number read digit by digit shows as one number, as it would be written.
    text = ssml.replace('</say-as><break time="300ms"/><say-as interpret-as="digits">', "-")
    text = re.sub(r'<break time="(\d+)ms"/>',
                  lambda m: f" [{int(m.group(1)) / 1000:g}s pause] ", text)
    text = re.sub(r'<prosody rate="([\w-]+)">', r" [\1:] ", text)
    text = re.sub(r"</prosody>", " [:end] ", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return re.sub(r"\s+", " ", text).strip()
