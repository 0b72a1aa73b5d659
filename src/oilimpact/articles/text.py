"""An article file and its sentences: what the figures and events stages both read.

An article file is a space, ``date YYYY-MM-DD``, a space, then the text (optionally preceded by
``url <address>`` and a space or a newline, the page it was copied from). :func:`read_article` checks
and parses it (a bad file raises :class:`OilImpactError` naming it and the line); :func:`article_date`
reads only the header, for callers that need the date and not the text (the render step's data date);
:func:`sentences` splits a text into sentence spans.

Size: one article is at most :data:`MAX_ARTICLE_BYTES`; a bigger file is refused with an error
(news articles are 2–50 kB, so a bigger file is almost certainly not an article).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from oilimpact.errors import OilImpactError
from oilimpact.project import read_regular

MAX_ARTICLE_BYTES = 1_000_000
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
"""An article's date lies in this range ("next year" of 9999-12-31 is no date at all)."""
MAX_SENTENCE_CHARS = 600
"""A longer run without a sentence end is cut into pieces this long (the development corpora's longest
sentence is 313 characters), so the rules that look across a sentence stay linear in the text."""
MAX_NUMBERS = 2_000
"""An article with more numbers than this is refused: a table or a data dump, not an article (the
corpora's articles have 10–60)."""
_NUMBER = re.compile(r"\d+")
_HEADER_BYTES = 256  # ample for " date YYYY-MM-DD " and a BOM

_HEADER = re.compile(r"\A\ufeff?[ \t]*date[ \t]+(?P<date>\S+)[ \t]?")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_EXPECTED = "an article starts with ' date YYYY-MM-DD ' then its text"
_URL = re.compile(r"[ \t]*url[ \t]+(?P<url>\S+)[ \t]*(?:\r?\n)?")  # optional: the page the text is from


@dataclass(frozen=True)
class Article:
    """One article file: ``text`` is the whole decoded file, the body starts at ``body_start``."""

    path: Path
    name: str
    date: dt.date
    text: str
    body_start: int
    url: str = ""  # the page the article was copied from, when its header names one


def read_article(path: str | Path) -> Article:
    """Read and check one article file; a bad file raises OilImpactError naming it."""
    path = Path(path)
    try:
        info = path.stat()
    except OSError as exc:  # missing, a symlink loop, no permission
        missing = isinstance(exc, FileNotFoundError)
        raise OilImpactError("no such article file" if missing else f"cannot read: {exc.strerror}",
                             where=path) from None
    if path.is_dir():
        raise OilImpactError("is a folder, not an article file (name it without .txt, or give the folder)",
                             where=path)
    if not path.is_file():
        raise OilImpactError("not a regular file (a device or a pipe?); give an article .txt file",
                             where=path)
    size = info.st_size
    if size == 0:
        raise OilImpactError(f"empty file; {_EXPECTED}", where=path)
    if size > MAX_ARTICLE_BYTES:
        raise OilImpactError(
            f"file is {size / 1e6:.1f} MB, over the {MAX_ARTICLE_BYTES / 1e6:.0f} MB limit for one article "
            "(news articles are 2-50 kB); split it or check that it is an article",
            where=path,
        )
    raw = read_regular(path, limit=MAX_ARTICLE_BYTES, what="article file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise OilImpactError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the article as UTF-8",
            where=path, line=line,
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as Path.read_text() reads it: offsets agree
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise OilImpactError("binary data (a NUL byte), not article text; save the article as UTF-8 text",
                             where=path, line=line)
    header = _HEADER.match(text)
    if header is None:
        first = text.split("\n", 1)[0][:40]
        raise OilImpactError(
            f"no date header (starts with {first!r}); {_EXPECTED}",
            where=path, line=1,
        )
    raw_date = header.group("date")
    try:
        if not ISO_DATE.match(raw_date):
            raise ValueError
        date = dt.date.fromisoformat(raw_date)
        if not FIRST_DATE <= date <= LAST_DATE:
            raise ValueError
    except ValueError:
        raise OilImpactError(
            f"bad date {raw_date!r} in the header; expected a real calendar date as YYYY-MM-DD, "
            f"from {FIRST_DATE} to {LAST_DATE}",
            where=path, line=1,
        ) from None
    numbers = sum(1 for _ in _NUMBER.finditer(text, header.end()))
    if numbers > MAX_NUMBERS:
        raise OilImpactError(f"has {numbers:,} numbers, over the {MAX_NUMBERS:,} limit for one article (a "
                             "table or a data dump?); split it or keep the prose", where=path)
    url = _URL.match(text, header.end())
    if url is not None:
        return Article(path, path.name, date, text, url.end(), url.group("url"))
    return Article(path, path.name, date, text, header.end())


_FORMULA_LEAD = re.compile(r"[=@]|[+\-](?![\d$€£¥₽.,])")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width space/joiners, word joiner, BOM, soft hyphen
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")


@dataclass(frozen=True)
class Visible:
    """An article as the rules read it (``article.text`` is the clean text) and the way back:
    :meth:`span` turns a span of the clean text into the span of the original file."""

    article: Article
    starts: tuple[int, ...] | None  # original span of each clean character; None: the text as it is
    ends: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1] if end > start else self.starts[start]


def visible(article: Article) -> Visible:
    """The article as the rules read it: without zero-width characters or soft hyphens, which a copy
    from a web page leaves inside numbers ("$7\u200b2" is $72), and in Unicode NFC (a letter and its
    combining accent as one character, "й" as one letter). Offsets the rules find in it are mapped back
    with :meth:`Visible.span`, so ``read_text()[start:end]`` still holds on the file."""
    text = article.text
    compose = not unicodedata.is_normalized("NFC", text)
    if not compose and not _INVISIBLE_RE.search(text):
        return Visible(article, None)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        if text[i] in _INVISIBLE:
            i += 1
            continue
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1  # a base character and its combining marks: composed together
        piece = unicodedata.normalize("NFC", text[i:j]) if compose else text[i:j]
        same = len(piece) == j - i
        for k, char in enumerate(piece):
            chars.append(char)
            starts.append(i + k if same else i)
            ends.append(i + k + 1 if same else j)
        i = j
    body = sum(1 for start in starts if start < article.body_start)
    clean = dataclasses.replace(article, text="".join(chars), body_start=body)
    return Visible(clean, tuple(starts), tuple(ends))


def article_date(path: str | Path) -> dt.date | None:
    """The date in an article file's header, or None when the first line has no valid one."""
    try:  # the header only, through the one safe read: a FIFO, a folder or /dev/zero is no article
        first = read_regular(path, head=_HEADER_BYTES, what="article file").decode("utf-8", "replace")
    except OilImpactError:
        return None
    header = _HEADER.match(first.split("\n", 1)[0])
    if header is None or not ISO_DATE.match(header.group("date")):
        return None
    try:
        day = dt.date.fromisoformat(header.group("date"))
    except ValueError:
        return None
    return day if FIRST_DATE <= day <= LAST_DATE else None


# --- sentences ------------------------------------------------------------------------------

_SENTENCE_BREAK = re.compile(r"[.!?…]+[”’\"')\]»]*(?=\s+[“‘\"'(\[«]?[A-ZА-ЯЁ0-9])|\n")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:[A-Z]\.)+[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Sen|Rep|Gov|No|vs|etc|Inc|Co|Corp|Ltd|Jr|Sr"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
    # Russian: initials and the abbreviations that never end a sentence ("долл. США", "ст. 96.6", "т. е.")
    r"|\b[А-ЯЁ]|(?<![а-яё])(?:долл|ст|им|см|т\.\s?е|гг|п|пп|ч|мес|кв|янв|февр?|апр|авг"
    r"|сент?|окт|нояб?|дек|ок|доп|др|пр|ср|напр|тел|ул|обл|зам|ген|гос|проф|акад))$"
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


def sentences(text: str, start: int = 0) -> list[Sentence]:
    """Sentence spans of ``text[start:]`` (a line break always ends one and starts a paragraph)."""
    spans: list[Sentence] = []
    paragraph, begin = 0, start
    for m in _SENTENCE_BREAK.finditer(text, start):
        if m.group() != "\n" and _ABBREVIATION.search(text, max(begin, m.start() - 12), m.start()):
            continue
        stop = m.start() if m.group() == "\n" else m.end()
        _add_sentence(spans, text, begin, stop, paragraph)
        begin = m.end()
        if m.group() == "\n":
            paragraph += 1
    _add_sentence(spans, text, begin, len(text), paragraph)
    return spans


def _add_sentence(spans: list[Sentence], text: str, begin: int, stop: int, paragraph: int) -> None:
    while begin < stop and (text[begin].isspace() or _FORMULA_LEAD.match(text, begin)):
        begin += 1  # a sentence never starts like a spreadsheet formula ("=HYPERLINK(...)")
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    while stop - begin > MAX_SENTENCE_CHARS:  # run-on text (a table, a dump): cut at a space
        cut = text.rfind(" ", begin + MAX_SENTENCE_CHARS // 2, begin + MAX_SENTENCE_CHARS)
        cut = cut if cut > begin else begin + MAX_SENTENCE_CHARS
        _add_sentence(spans, text, begin, cut, paragraph)
        begin = cut
        while begin < stop and text[begin].isspace():
            begin += 1
    if stop > begin:
        spans.append(Sentence(begin, stop, paragraph))


def passage(text: str, spans: Sequence[Sentence], index: int) -> str:
    """Sentence ``index`` with up to two sentences before it in the same paragraph."""
    first = index
    while first > 0 and index - first < 2 and spans[first - 1].paragraph == spans[index].paragraph:
        first -= 1
    return text[spans[first].start:spans[index].end]
