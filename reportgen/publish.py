"""Staging and publishing: a quarter's folder changes all at once, or not at all.

A build writes its files into a staging folder beside the output
(``out/.1Q08-<pid>-<random>/new``). Publishing then composes the next state of
the quarter folder in ``next`` (hard links to every file of the current folder
that this build does not replace, so another edition's files survive, plus the
new files) and swaps ``next`` with the quarter folder in one step
(``renameat2(RENAME_EXCHANGE)``). Where the system cannot exchange, the old
folder is renamed aside first and renamed back if the second rename fails.
Every move goes through ``_move``: a failure or Ctrl-C at any step leaves the
quarter folder exactly as it was.

Publishing holds an exclusive lock on the output folder, so two builds (two
editions of one quarter, or the same deck twice) never compose from a stale
state. A staging folder names its process: one whose process is gone (killed)
is removed by the next build, and its old quarter folder put back if it died
between the two renames of the fallback.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# ``.1Q08-1234-k3j_x9a2``: the quarter, the building process, mkdtemp's random part.
_STAGING = re.compile(r"^\.(?P<quarter>[1-4]Q\d\d)-(?P<pid>\d+)-[a-z0-9_]+$")


@functools.lru_cache(maxsize=1)
def _renameat2() -> Any:
    """libc's ``renameat2``, or None where there is none (not Linux, old glibc)."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = (
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    )
    function.restype = ctypes.c_int
    return function


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step; False if this system or file system cannot."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            return False
        raise OSError(code, os.strerror(code), str(second))
    return True


def _move(source: Path, target: Path, *, exchange: bool = False) -> bool:
    """The one step that changes what the output folder shows: a rename, or an exchange.

    Returns False only for an exchange the system cannot do (nothing moved then).
    """
    if exchange:
        return _exchange(source, target)
    os.rename(source, target)
    return True


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link ``source`` as ``target``; copy it where links are not possible.

    Sharing the file is safe because no file of a deck is ever changed in place
    (each is written new and renamed), so a link costs nothing where copying the
    fonts (9 MB) on every preview rebuild did.
    """
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _link_tree(source: str, target: str) -> None:
    link_or_copy(Path(source), Path(target))


@contextmanager
def _locked(out_root: Path) -> Iterator[None]:
    """Hold the output folder's lock: one publish (or clean-up) at a time."""
    handle = os.open(out_root, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def clean_stale(out_root: Path) -> None:
    """Remove staging folders whose build died; put back a quarter folder it held aside."""
    for folder in out_root.iterdir():
        match = _STAGING.match(folder.name)
        if match is None or not folder.is_dir() or _alive(int(match["pid"])):
            continue
        final = out_root / match["quarter"]
        old = folder / "old"
        if old.is_dir() and not final.exists():
            # Killed between the fallback's two renames: the last good deck is here.
            os.rename(old, final)
            log.warning("restored %s from a build that was killed while publishing", final)
        shutil.rmtree(folder, ignore_errors=True)
        log.info("removed %s, left by a build that was killed", folder)


@contextmanager
def staging(out_root: Path, quarter: str) -> Iterator[Path]:
    """A private folder beside the output, removed whatever happens (build into ``new``).

    Folders left by builds that were killed are removed first.
    """
    out_root.mkdir(parents=True, exist_ok=True)
    with _locked(out_root):
        clean_stale(out_root)
    folder = Path(tempfile.mkdtemp(prefix=f".{quarter}-{os.getpid()}-", dir=out_root))
    try:
        (folder / "new").mkdir()
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish(stage: Path, final: Path) -> None:
    """Make ``final`` hold every entry of ``stage/new``, with its other entries unchanged.

    All or nothing: whatever fails (or Ctrl-C) before the swap leaves ``final`` as it was.
    """
    fresh, composed = stage / "new", stage / "next"
    with _locked(final.parent):
        replaced = {p.name for p in fresh.iterdir()}
        if final.is_dir():
            shutil.copytree(
                final,
                composed,
                symlinks=True,
                copy_function=_link_tree,
                ignore=lambda folder, names: [
                    n for n in names if Path(folder) == final and n in replaced
                ],
            )
        else:
            composed.mkdir()
        for name in sorted(replaced):
            _move(fresh / name, composed / name)
        if not final.exists():
            _move(composed, final)
        elif not _move(composed, final, exchange=True):
            _swap_by_renames(composed, final, stage / "old")
    # After an exchange the old folder is ``composed``: it goes with the staging folder.


def _swap_by_renames(composed: Path, final: Path, old: Path) -> None:
    # Where no exchange is possible: old aside, new in, and the old one back on failure.
    _move(final, old)
    try:
        _move(composed, final)
    except BaseException:
        _move(old, final)
        raise


def staged_as_final(path: Path, final: Path) -> Path:
    """Where a file of a staging folder would be published (``path`` itself if not staged)."""
    parts = path.parts
    for index, part in enumerate(parts):
        if _STAGING.match(part):
            # Skip the staging folder and its ``new``/``next``/``old`` level.
            return final.joinpath(*parts[index + 2 :])
    return path
