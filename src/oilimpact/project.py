"""Where the project's folders are: seeds/, data/, notebooks/, reports/.

The root is ``$OILIMPACT_ROOT`` when set, else the checkout this package was installed from
(an editable install, as ``make`` does), else the current directory.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
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
    root = project_root()
    for candidate in (Path(os.path.abspath(path)), Path(path).resolve()):  # a link is named as itself
        with contextlib.suppress(ValueError):
            return candidate.relative_to(root).as_posix()
    return str(path)


def file_stamp(*paths: str | Path) -> tuple[tuple[str, str], ...]:
    """What identifies the current content of files for a cache: each path with the SHA-256 of its
    bytes ("missing" for a file that is not there). Hashing is cheap next to parsing, and unlike a
    modification time it cannot miss a rewrite within the clock's tick."""
    stamps = []
    for path in paths:
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or a device is never opened here:
                digest = "not a regular file"  # its reader refuses it with the one clear line
            else:
                with open(path, "rb") as handle:
                    digest = hashlib.sha256(handle.read(MAX_DATA_BYTES + 1)).hexdigest()
        except OSError:
            digest = "missing"
        stamps.append((str(path), digest))
    return tuple(stamps)


MAX_DATA_BYTES = 20_000_000
"""The largest data file read (data/*.csv, *.yaml; ours are under 1 MB): a bigger one is refused."""


def read_regular(path: str | Path, *, limit: int = MAX_DATA_BYTES, head: int | None = None,
                 what: str = "file") -> bytes:
    """The bytes of the regular file ``path`` (the first ``head`` bytes only, when given), refusing a
    folder, a pipe, a device, a socket, a dangling link or a file over ``limit`` bytes with an
    :class:`OilImpactError` naming it: the one way the project opens an input. Opened non-blocking,
    so a FIFO never waits for a writer; the size is checked on the open file and the read is bounded,
    so ``/dev/zero`` or a file that grows while read cannot fill memory."""
    shown = relative_to_root(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        dangling = os.path.islink(path)
        raise OilImpactError(f"no such {what}" + (" (a symbolic link to nothing)" if dangling else ""),
                             where=shown) from None
    except OSError as exc:
        reason = "a symbolic link loop" if exc.errno == errno.ELOOP else exc.strerror or str(exc)
        raise OilImpactError(f"cannot read the {what}: {reason}", where=shown) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise OilImpactError(f"is a folder, not a {what}", where=shown)
        if not stat.S_ISREG(info.st_mode):
            raise OilImpactError(f"not a regular file (a device, a pipe or a socket); give a {what}",
                                 where=shown)
        if head is None and info.st_size > limit:
            raise OilImpactError(f"is {info.st_size / 1e6:.1f} MB, over the {limit / 1e6:g} MB limit for a "
                                 f"{what}", where=shown)
        wanted = min(limit, head) if head is not None else limit
        chunks, size = [], 0
        while size <= wanted:
            chunk = os.read(fd, min(1 << 20, wanted + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
        if head is None and len(data) > limit:
            raise OilImpactError(f"grew over the {limit / 1e6:g} MB limit for a {what} while it was read",
                                 where=shown)
        return data[:head] if head is not None else data
    except OSError as exc:
        raise OilImpactError(f"cannot read the {what}: {exc.strerror or exc}", where=shown) from None
    finally:
        os.close(fd)


def read_text(path: str | Path, *, what: str = "file", limit: int = MAX_DATA_BYTES) -> str:
    """:func:`read_regular` decoded as UTF-8 (a BOM dropped); bad bytes name the file and line."""
    raw = read_regular(path, limit=limit, what=what)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OilImpactError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the "
                             f"{what} as UTF-8", where=relative_to_root(path),
                             line=raw[: exc.start].count(b"\n") + 1) from None


def inside(root: Path, path: Path) -> bool:
    """``path`` (its folders' symbolic links resolved) is ``root`` or under it."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


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
        _discard(tmp)
        raise OilImpactError(f"cannot write: {exc.strerror or exc}; the previous file is kept",
                             where=path) from None
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: Path) -> None:
    """Remove a temporary file; a cleanup that fails too (a read-only or vanished folder) must not
    replace the error that brought us here."""
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)
