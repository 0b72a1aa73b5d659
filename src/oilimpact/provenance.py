"""Where a number came from: an article quote, an assumption's source page, or a parameter.

Every number that reaches a report either is computed from parameters or carries a ``Source``;
chart captions and table footnotes are built with :func:`caption`, never typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

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
            dated = f" ({self.title})" if self.title else ""
            return f"{self.where}{dated}{quote}"
        if self.kind == "assumption":
            accessed = f", accessed {self.accessed}" if self.accessed else ""
            where = f" ({self.where}{accessed})" if self.where else ""
            return f"{self.title}{where}"
        return f"{self.kind} {self.title}".strip()


def caption(sources: Iterable[Source], prefix: str = "Source") -> str:
    """``Source: a; b; c.`` with each distinct citation once, in first-seen order."""
    seen: dict[str, None] = {}
    for source in sources:
        seen.setdefault(source.cite(), None)
    if not seen:
        return ""
    label = prefix if len(seen) == 1 else f"{prefix}s"
    return f"{label}: " + "; ".join(seen) + "."
