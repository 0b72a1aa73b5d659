"""The one exception a user can cause.

Every message names the culprit (file and line, key, or parameter) and what would be accepted, in
one line, so the CLI can print it as ``error: <message>`` and exit with status 2.
"""

from __future__ import annotations

from pathlib import Path


class OilImpactError(Exception):
    """Bad input from the user: a file, a parameter, a scenario name, a data entry."""

    def __init__(self, message: str, *, where: str | Path | None = None, line: int | None = None):
        location = ""
        if where is not None:
            location = f"{where}:{line}: " if line is not None else f"{where}: "
        # Keep the message on one line whatever the caller passed in.
        super().__init__(" ".join(f"{location}{message}".split()))
