"""One render at a time per reports folder: an exclusive lock on ``reports/.render.lock``.

A second ``oilimpact render`` on the same folder refuses at once with a one-line error naming the
process that holds the lock (two renders would race on the manifest and the same report files). The
lock is an OS file lock (``flock``): it is released when the process ends, even on ``kill -9``, so a
killed render never leaves a stale lock behind. Under the lock, temporary files a killed render left
(``.name.<hex>.tmp``, ``.stem.<hex>.ipynb``) are removed before anything is written.

The folder itself is checked first (:func:`check_reports_folder`): never data/, seeds/ or notebooks/,
nor a folder of other files, and nothing inside it may be a symbolic link — render writes only inside
the reports folder, so a link planted there (a scenario folder, the lock) cannot send a write or a
truncation elsewhere. The lock is opened with ``O_NOFOLLOW``. Deleting the folder mid-render is
noticed (:meth:`RenderLock.check`): the render stops instead of racing a second one on a new folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator
from pathlib import Path

from oilimpact.errors import OilImpactError
from oilimpact.project import data_dir, notebooks_dir, project_root, seeds_dir

LOCK_NAME = ".render.lock"
_REPORTS_MARKERS = ("manifest.json", LOCK_NAME, "index.html")
_LEFTOVER = re.compile(r"^\..+\.[0-9a-f]{32}\.(?:tmp|ipynb)$")


def check_reports_folder(reports_dir: Path) -> None:
    """Refuse a reports folder that is a project input, holds other files, or contains a symbolic link."""
    folder = reports_dir.resolve()
    for name, protected in (("data/", data_dir()), ("seeds/", seeds_dir()), ("notebooks/", notebooks_dir())):
        protected = protected.resolve()
        if folder == protected or protected in folder.parents:
            raise OilImpactError(f"--output: is inside the project's {name}, an input; render into reports/ "
                                 "or an empty folder", where=reports_dir)
    root = project_root().resolve()
    if folder == root or folder in root.parents:
        raise OilImpactError("--output: holds the project itself; render into reports/ or an empty folder",
                             where=reports_dir)
    if not folder.is_dir():
        return
    entries = [entry.name for entry in os.scandir(folder)]
    for name in entries:
        _no_link(folder / name)
    ours = (folder == (root / "reports").resolve()  # the project's own reports/ (make reports)
            or any(name in _REPORTS_MARKERS for name in entries)
            or all(name.startswith((".", "_")) for name in entries)  # .gitkeep, the tests' _artefacts/
            or any(folder.glob("*/*.ipynb")))  # reports of a render stopped before its manifest
    if not ours:
        raise OilImpactError("--output: not a reports folder (no manifest.json) and not empty; render into "
                             "reports/, an empty folder or a new one", where=reports_dir)
    for top, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            _no_link(Path(top) / name)


def _no_link(path: Path) -> None:
    if path.is_symlink():
        raise OilImpactError(f"is a symbolic link (to {os.readlink(path)}); render writes only inside the "
                             "reports folder: remove the link", where=path)


class RenderLock:
    """The held lock: :meth:`check` raises when its file is no longer the one in the folder."""

    def __init__(self, reports_dir: Path, fd: int):
        self.path, self.fd = reports_dir / LOCK_NAME, fd

    def check(self) -> None:
        try:
            same = os.path.samestat(os.fstat(self.fd), os.lstat(self.path))
        except OSError:
            same = False
        if not same:
            raise OilImpactError("the reports folder (or its lock) was removed or replaced during the "
                                 "render; stopped so that two renders never share a folder: run it again",
                                 where=self.path.parent)


@contextlib.contextmanager
def render_lock(reports_dir: Path) -> Iterator[RenderLock]:
    """Hold the folder's render lock for the ``with`` block, or raise :class:`OilImpactError`."""
    check_reports_folder(reports_dir)
    try:
        reports_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(reports_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
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
        held = RenderLock(reports_dir, fd)
        held.check()  # a render that removed the folder just now: its lock is not this file
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        remove_leftovers(reports_dir)
        yield held
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
