"""Hearing the skill offline: Alexa SSML -> a WAV file through espeak-ng (for chat --speak).

espeak-ng reads SSML with -m and honours <break time> and <prosody rate> (keywords and
percentages), so pauses and slower speech last as long as they would on a speaker. Tags it
does not know are mapped: Alexa's say-as "digits" becomes "characters" (digit by digit),
<sub> becomes its alias, and amazon:*, <lang>, <voice>, <phoneme> and <audio> tags are dropped
(their text, if any, kept).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import wave
from pathlib import Path
from typing import TextIO

MISSING = ("espeak-ng is not installed, so no audio is written (the chat goes on without it).\n"
           "Install it with: sudo apt-get install espeak-ng   (macOS: brew install espeak-ng)")


def for_espeak(ssml: str) -> str:
    text = ssml.replace('interpret-as="digits"', 'interpret-as="characters"')
    text = re.sub(r'<sub alias="([^"]*)">.*?</sub>', r"\1", text)
    text = re.sub(r"<audio\b[^>]*/>", "", text)
    return re.sub(r"</?(?:amazon:[\w-]+|lang|voice|phoneme)\b[^>]*>", "", text)


def duration(path: Path) -> float:
    """Seconds of audio in a WAV file."""
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


class Speaker:
    """Writes turn-01.wav, turn-02.wav ... into a directory, one per turn."""

    def __init__(self, directory: Path, out: TextIO, voice: str = "en-us"):
        self.directory = Path(directory)
        self.voice = voice
        self.turns = 0
        self.program = shutil.which("espeak-ng")
        if self.program is None:
            print(MISSING, file=out)
        else:
            self.directory.mkdir(parents=True, exist_ok=True)

    def speak(self, ssml: str) -> Path | None:
        """The WAV file for this turn's speech; None without espeak-ng or without speech."""
        self.turns += 1
        if self.program is None or not ssml:
            return None
        path = self.directory / f"turn-{self.turns:02d}.wav"
        write_wav(ssml, path, self.program, self.voice)
        return path


def write_wav(ssml: str, path: Path, program: str = "espeak-ng", voice: str = "en-us") -> Path:
    subprocess.run([program, "-m", "-v", voice, "-w", str(path), for_espeak(ssml)],
                   check=True, capture_output=True, timeout=120)
    return path
