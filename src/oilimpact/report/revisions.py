"""What changed since the previous render: ``reports/revisions.json``, a dated log kept across renders.

After each render that re-ran reports, :func:`record_revision` compares every report's key results
with the ones the manifest held before the run, and ``data/history.csv`` with its copy from the
previous render, and appends one entry when either moved: the date and time of the render, each key
number before → after (report, label, unit), and the history rows that are new or changed (series,
month, value, source, quote) — the rows that caused it, or, when the history did not move, a note that
other inputs did (assumptions, articles, the package). :func:`revisions_section` is the index page's
"What changed" block: the latest entry in full, the earlier ones listed below it.

Load → compare → save, in one function; light: standard library only (the index must stay fast).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from oilimpact.project import atomic_write, data_dir

REVISIONS = "revisions.json"
_FORMAT = 1
_SHOWN_EARLIER = 10  # earlier entries listed on the index page (all stay in revisions.json)
_SCHEME = re.compile(r"(?i)https?://")  # pages are self-contained: an address is shown, never linked


def _text(value: str) -> str:
    return html.escape(_SCHEME.sub("", value))


def history_rows(path: Path | None = None) -> dict[str, dict[str, str]]:
    """``data/history.csv`` as ``{"series period": {value, source, page_date, quote}}`` (empty when
    missing or unreadable: the render reports that file's problems itself)."""
    path = path if path is not None else data_dir() / "history.csv"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    rows = {}
    for raw in csv.DictReader(io.StringIO(text)):
        if raw.get("series") and raw.get("period"):
            rows[f"{raw['series']} {raw['period']}"] = {
                "value": raw.get("value", ""), "source": raw.get("source_title") or raw.get("source_url", ""),
                "url": raw.get("source_url", ""), "page_date": raw.get("page_date", ""),
                "quote": raw.get("quote", ""),
            }
    return rows


def load_revisions(reports_dir: Path) -> dict[str, Any]:
    try:
        log = json.loads((reports_dir / REVISIONS).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {"format": _FORMAT, "history": None, "entries": []}
    if not isinstance(log, dict) or log.get("format") != _FORMAT:
        return {"format": _FORMAT, "history": None, "entries": []}
    return log


def _results(manifest: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: dict(entry.get("results") or {}) for name, entry in manifest.items()
            if entry.get("status") == "ok"}


def _changes(before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]],
             rerun: set[str]) -> list[dict[str, Any]]:
    changes = []
    for report in sorted(rerun & set(before)):  # a report rendered for the first time has no "before"
        old, new = before[report], after.get(report, {})
        orders = {n: (new.get(n) or old.get(n) or {}).get("order", 0) for n in set(old) | set(new)}
        for name in sorted(orders, key=lambda n: (orders[n], n)):
            was, now = (old.get(name) or {}).get("value"), (new.get(name) or {}).get("value")
            if was == now or name.startswith("brief_sentence_"):
                continue
            result = new.get(name) or old.get(name) or {}
            changes.append({"report": report, "result": name, "label": result.get("label") or name,
                            "unit": result.get("unit") or "", "before": was, "after": now})
    return changes


def _history_changes(before: Mapping[str, Mapping[str, str]] | None,
                     after: Mapping[str, Mapping[str, str]]) -> list[dict[str, str]]:
    if before is None:
        return []
    rows = []
    for key, row in sorted(after.items()):
        old = before.get(key)
        if old is None or old.get("value") != row.get("value"):
            series, period = key.split(" ", 1)
            rows.append({"series": series, "period": period, "value": row["value"],
                         "before": (old or {}).get("value", ""), "source": row.get("source", ""),
                         "url": row.get("url", ""), "quote": row.get("quote", "")})
    rows += [{"series": key.split(" ", 1)[0], "period": key.split(" ", 1)[1], "value": "",
              "before": old.get("value", ""), "source": "removed", "url": "", "quote": ""}
             for key, old in sorted(before.items()) if key not in after]
    return rows


def record_revision(reports_dir: Path, before: Mapping[str, Mapping[str, Any]],
                    after: Mapping[str, Mapping[str, Any]], rerun: set[str],
                    data_date: str | None = None, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """Append what changed to ``reports_dir/revisions.json`` (atomically) and return the new entry, or
    None when no key number and no history row moved. ``before``/``after`` are the manifest's entries
    before and after the run, ``rerun`` the reports that ran."""
    log = load_revisions(reports_dir)
    history = history_rows()
    changes = _changes(_results(before), _results(after), rerun)
    rows = _history_changes(log.get("history"), history)
    entry = None
    if changes or rows:
        moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        entry = {"rendered": moment.isoformat(), "data_date": data_date, "history_rows": rows,
                 "changes": changes,
                 "cause": "" if rows else "no history row changed: other inputs did (assumptions, "
                                          "articles, scenarios or the package)"}
        log["entries"] = [*log.get("entries", []), entry]
    if entry is not None or log.get("history") != history:
        log["history"] = history
        atomic_write(reports_dir / REVISIONS, json.dumps(log, indent=1, ensure_ascii=False) + "\n")
    return entry


def _number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
        return f"{value:,.{digits}f}".replace("-", "\u2212")
    return str(value)


def _entry_html(entry: Mapping[str, Any]) -> str:
    when = _text(entry["rendered"].replace("T", " ").replace("+00:00", " UTC"))
    rows = "".join(
        f'<tr><td class="label">{_text(c["label"])}</td><td>{_text(c["report"])}</td>'
        f'<td class="unit">{_text(c["unit"])}</td><td class="num">{_text(_number(c["before"]))}'
        f' → {_text(_number(c["after"]))}</td></tr>' for c in entry["changes"])
    table = ('<table class="results"><thead><tr><th>Result</th><th>Report</th><th class="unit">Unit</th>'
             f'<th class="num">Before → after</th></tr></thead><tbody>{rows}</tbody></table>' if rows
             else "<p>No key number changed.</p>")
    if entry["history_rows"]:
        items = "".join(
            f"<li>{_text(r['series'])} {_text(r['period'])}: "
            f"{_text(r['before'] + ' → ' if r['before'] else 'new, ')}{_text(r['value'])}"
            f" — {_text(r['source'])}{' (' + _text(r['url']) + ')' if r['url'] else ''}"
            f"{': “' + _text(r['quote'][:160]) + '”' if r['quote'] else ''}</li>"
            for r in entry["history_rows"])
        cause = f"<p>Caused by these rows of the history:</p><ul>{items}</ul>"
    else:
        cause = f"<p>{_text(entry.get('cause', ''))}</p>"
    return f"<h3>Render of {when}</h3>\n{cause}\n{table}"


def revisions_section(reports_dir: Path) -> str:
    """The index page's "What changed since the previous render" block ("" before the first change)."""
    entries = load_revisions(reports_dir).get("entries", [])
    if not entries:
        return ""
    earlier = "".join(
        f"<li>{html.escape(e['rendered'].replace('T', ' ').replace('+00:00', ' UTC'))}: "
        f"{len(e['changes'])} key numbers, {len(e['history_rows'])} history rows</li>"
        for e in reversed(entries[-_SHOWN_EARLIER - 1:-1]))
    more = f"<p>Earlier renders (all in {REVISIONS}):</p><ul>{earlier}</ul>" if earlier else ""
    return ('<section class="revisions"><h2>What changed since the previous render</h2>\n'
            f"{_entry_html(entries[-1])}\n{more}</section>")
