"""Where the project's folders are: seeds/, data/, notebooks/, reports/.

The root is ``$OILIMPACT_ROOT`` when set, else the checkout this package was installed from
(an editable install, as ``make`` does), else the current directory.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from oilimpact.errors import OilImpactError


def project_root() -> Path:
    """The folder holding seeds/, data/ and notebooks/."""
    env = os.environ.get("OILIMPACT_ROOT")
    if env:
        return Path(env).resolve()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "data").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout
    return Path.cwd().resolve()


def seeds_dir() -> Path:
    return project_root() / "seeds"


def data_dir() -> Path:
    return project_root() / "data"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def reports_dir() -> Path:
    return project_root() / "reports"


def relative_to_root(path: str | Path) -> str:
    """A path as the user knows it: relative to the project root when inside it."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(project_root()).as_posix()
    except ValueError:
        return str(path)


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``path`` through a temporary file in the same folder, so it is never half-written; a write
    that fails raises :class:`OilImpactError` naming the file and leaves the old one in place.
    (Opened with ``open(..., "xb")``, not mkstemp, so the file gets the usual umask permissions.)"""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "xb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except OSError as exc:  # disk full, read-only folder ...: the old file stays as it was
        with contextlib.suppress(OSError):  # on a read-only file system even the unlink fails
            tmp.unlink(missing_ok=True)
        raise OilImpactError(f"cannot write: {exc.strerror or exc}; the previous file is kept",
                             where=path) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
