"""Where a number came from: an article quote, an assumption's source page, or a parameter.

Every number that reaches a report either is computed from parameters or carries a ``Source``;
chart captions and table footnotes are built with :func:`caption`, never typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from oilimpact.outlets import outlet

SourceKind = Literal["article", "assumption", "parameter", "model"]


@dataclass(frozen=True, order=True)
class Source:
    """One citation.

    ``kind`` article: ``title`` is the publication date, ``where`` the seeds/ file, ``quote`` the words.
    ``kind`` assumption: ``title`` is the source's title, ``where`` its page address, ``accessed`` a date.
    ``kind`` parameter/model: ``title`` names the parameter or model step, ``where`` may be empty.
    """

    kind: SourceKind
    title: str
    where: str = ""
    quote: str = ""
    accessed: str = ""

    def cite(self) -> str:
        """A short citation for captions and tables."""
        if self.kind == "article":
            quote = f' "{self.quote}"' if self.quote else ""
            return f"{article_name(self.where, self.title)}{quote}"
        if self.kind == "assumption":
            accessed = f", accessed {self.accessed}" if self.accessed else ""
            where = f" ({self.where}{accessed})" if self.where else ""
            return f"{self.title}{where}"
        return f"{self.kind} {self.title}".strip()


def caption(sources: Iterable[Source], prefix: str = "Source") -> str:
    """``Sources: a; b; c.`` — compact enough to sit under a chart, complete enough to check.

    Quotes from one article are grouped after its outlet and date (its file when not listed); page
    addresses lose their scheme; an access date shared by every assumption is said once at the end.
    Each distinct citation appears once, in first-seen order.
    """
    sources = list(dict.fromkeys(sources))
    if not sources:
        return ""
    quotes: dict[tuple[str, str], list[str]] = {}
    entries: dict[tuple[str, ...], None] = {}
    accessed = {s.accessed for s in sources if s.kind == "assumption"}
    shared_access = accessed.pop() if len(accessed) == 1 else ""
    for source in sources:
        if source.kind == "article":
            key = ("article", source.where, source.title)
            entries.setdefault(key, None)
            if source.quote and source.quote not in quotes.setdefault(key[1:], []):
                quotes[key[1:]].append(source.quote)
        elif source.kind == "assumption":
            where = _bare_address(source.where)
            access = "" if shared_access else source.accessed
            detail = ", ".join(part for part in (where, f"accessed {access}" if access else "") if part)
            entries.setdefault(("text", f"{source.title} ({detail})" if detail else source.title), None)
        else:
            entries.setdefault(("text", source.cite()), None)
    parts = []
    for key in entries:
        if key[0] == "article":
            said = ", ".join(f'"{q}"' for q in quotes.get(key[1:], []))
            parts.append(article_name(key[1], key[2]) + (f": {said}" if said else ""))
        else:
            parts.append(key[1])
    label = prefix if len(parts) == 1 else f"{prefix}s"
    tail = f" (pages accessed {shared_access})" if shared_access else ""
    return f"{label}: " + "; ".join(parts) + tail + "."


def article_name(where: str, date: str = "") -> str:
    """An article as a reader looks it up: its outlet and date from ``seeds/sources.csv`` ("The Moscow
    Times, 2 March 2026"), else its file and date."""
    published = outlet(where) if where else None
    if published is not None:
        return published.byline
    return f"{where} ({date})" if date else where


def _bare_address(where: str) -> str:
    """Page addresses without ``https://`` and ``www.``, as people write them in print."""
    return "; ".join(
        part.strip().removeprefix("https://").removeprefix("http://").removeprefix("www.")
        for part in where.split(";")
        if part.strip()
    )
