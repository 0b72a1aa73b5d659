"""One render at a time per reports folder: an exclusive lock on ``reports/.render.lock``.

A second ``oilimpact render`` on the same folder refuses at once with a one-line error naming the
process that holds the lock (two renders would race on the manifest and the same report files). The
lock is an OS file lock (``flock``): it is released when the process ends, even on ``kill -9``, so a
killed render never leaves a stale lock behind. Under the lock, temporary files a killed render left
(``.name.<hex>.tmp``, ``.stem.<hex>.ipynb``) are removed before anything is written.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator
from pathlib import Path

from oilimpact.errors import OilImpactError

LOCK_NAME = ".render.lock"
_LEFTOVER = re.compile(r"^\..+\.[0-9a-f]{32}\.(?:tmp|ipynb)$")


@contextlib.contextmanager
def render_lock(reports_dir: Path) -> Iterator[None]:
    """Hold the folder's render lock for the ``with`` block, or raise :class:`OilImpactError`."""
    try:
        reports_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(reports_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OilImpactError(f"cannot use this folder for reports: {exc.strerror}",
                             where=reports_dir) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            raise OilImpactError(
                f"another oilimpact render (pid {holder}) is writing this folder; wait for it to finish "
                "or render into another folder with --output", where=reports_dir,
            ) from None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        remove_leftovers(reports_dir)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def remove_leftovers(reports_dir: Path) -> list[Path]:
    """Delete the temporary files an interrupted render left under ``reports_dir``; return them."""
    removed = []
    for path in reports_dir.rglob(".*"):
        if path.is_file() and _LEFTOVER.match(path.name):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed
