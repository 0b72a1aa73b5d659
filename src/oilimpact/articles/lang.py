"""The language of an article or a passage: which rules read it.

Russian when at least a third of its letters are Cyrillic, else English. An English article quoting a
Russian sentence (or the reverse) is read sentence by sentence in each one's own language.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "ru")
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")


def language_of(text: str, start: int = 0, end: int | None = None) -> str:
    """"ru" when at least a third of the letters of ``text[start:end]`` are Cyrillic, else "en"."""
    end = len(text) if end is None else end
    letters = len(_LETTER.findall(text, start, end))
    cyrillic = len(_CYRILLIC.findall(text, start, end))
    return "ru" if letters and cyrillic * 3 >= letters else "en"
