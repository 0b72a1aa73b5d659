"""The language of an article or a passage: which rules read it.

Russian when at least a third of its letters are Cyrillic, else English. An English article quoting a
Russian sentence (or the reverse) has its quoted sentences read by their own language's rules: a
sentence is the other language only when it plainly is (half its letters Cyrillic and at least ten of
them in an English article; no Cyrillic and twenty Latin letters or more in a Russian one), so that
"Urals — $53,68" in a Russian post stays Russian.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oilimpact.articles.text import Sentence

LANGUAGES = ("en", "ru")
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")


def language_of(text: str, start: int = 0, end: int | None = None) -> str:
    """"ru" when at least a third of the letters of ``text[start:end]`` are Cyrillic, else "en"."""
    end = len(text) if end is None else end
    letters = len(_LETTER.findall(text, start, end))
    cyrillic = len(_CYRILLIC.findall(text, start, end))
    return "ru" if letters and cyrillic * 3 >= letters else "en"


def quoted_sentences(text: str, spans: Sequence[Sentence], language: str) -> set[int]:
    """The indices of the sentences plainly in the other language than the article's ``language``."""
    other: set[int] = set()
    for i, span in enumerate(spans):
        letters = len(_LETTER.findall(text, span.start, span.end))
        cyrillic = len(_CYRILLIC.findall(text, span.start, span.end))
        if language == "en" and cyrillic >= 10 and cyrillic * 2 >= letters \
                or language == "ru" and cyrillic == 0 and letters >= 20:
            other.add(i)
    return other
