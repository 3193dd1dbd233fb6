"""The scan feedback sounds (resources/sounds/ok.wav and error.wav), generated: a developer
tool, not kiosk code (the kiosk only plays the committed files).

Run as ``python -m tools.sounds [FOLDER]`` (default: the kiosk's own sounds folder).
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

from kiosk import bootstrap

SOUNDS_DIR = bootstrap.RESOURCES / "sounds"


def write_tone(path: Path, tones: list[tuple[float, int]], rate: int = 22050,
               volume: float = 0.5) -> None:
    """A mono 16-bit WAV of (frequency Hz, milliseconds) tones with 5 ms fades (no clicks)."""
    frames = bytearray()
    for freq, ms in tones:
        count = rate * ms // 1000
        fade = rate * 5 // 1000
        for i in range(count):
            envelope = min(1.0, i / fade, (count - 1 - i) / fade)
            sample = volume * envelope * math.sin(2 * math.pi * freq * i / rate)
            frames += struct.pack("<h", round(sample * 32767))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))


def write_default_sounds(folder: Path = SOUNDS_DIR) -> None:
    """(Re)generate the sounds: a bright 80 ms beep for ok, a low double buzz for error."""
    folder.mkdir(parents=True, exist_ok=True)
    write_tone(folder / "ok.wav", [(1760.0, 80)])
    write_tone(folder / "error.wav", [(330.0, 50), (0.0, 15), (220.0, 50)])


if __name__ == "__main__":
    write_default_sounds(Path(sys.argv[1]) if len(sys.argv) > 1 else SOUNDS_DIR)
