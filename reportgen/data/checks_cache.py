"""Tie-out results kept on disk, so that a rebuild after a text edit does not re-run them.

The key is what the checks read: the files and bytes the loader read (``Dataset.inputs``,
recorded as it read them, so a symlinked folder or a file changed mid-build cannot
slip past the key) and reportgen's own code. Only a passing result is kept: failing
data raises every time.

An entry is sealed with the SHA-256 of its key and content, checked on read: a
truncated, edited or swapped entry, or one that is not a regular file, is never
used; the checks run again and replace it.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import hashlib
import json
import logging
import os
import shutil
import stat
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from reportgen.data.load import Dataset
from reportgen.data.validate import Check, validate

log = logging.getLogger(__name__)

_PACKAGE = Path(__file__).resolve().parents[1]
# A cache entry is a few kilobytes: anything far larger is not one of ours.
_MAX_ENTRY_BYTES = 1 << 20


@functools.cache
def code_key(package: Path) -> str:
    """The code under ``package`` and the libraries that parse the data: a new version re-checks.

    Read once per process and package: the code a process runs does not change
    under it.
    """
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(package, followlinks=True):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(f for f in files if f.endswith(".py")):
            path = Path(folder, name)
            digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    for name in ("pandas", "pydantic", "pyyaml"):
        digest.update(f"{name} {version(name)}\0".encode())
    return digest.hexdigest()


def checks_key(dataset: Dataset) -> str:
    """The key of the checks of ``dataset``: the files it was read from, and the code."""
    digest = hashlib.sha256(code_key(_PACKAGE).encode())
    # Messages name files relative to the working folder (``shown``): part of the key.
    digest.update(f"{dataset.root.resolve()}\0{Path.cwd()}\0".encode())
    digest.update(dataset.inputs.digest.encode())
    return digest.hexdigest()


def validate_cached(dataset: Dataset, folder: Path) -> list[Check]:
    """``validate(dataset)``, or its result from ``folder`` if the data has not changed."""
    key = checks_key(dataset)
    path = folder / f"{key}.json"
    cached = _read(path, key)
    if cached is not None:
        return cached
    checks = validate(dataset)
    _write(path, key, checks)
    return checks


def _seal(key: str, checks: Any) -> str:
    payload = json.dumps(checks, sort_keys=True, allow_nan=False)
    return hashlib.sha256(f"{key}\0{payload}".encode()).hexdigest()


def _read(path: Path, key: str) -> list[Check] | None:
    """The checks stored under ``key``, or None if there are none or the entry is damaged."""
    try:
        # Not following a symlink, not waiting on a FIFO: only a file this cache wrote.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        why = "is a symbolic link" if exc.errno == errno.ELOOP else f"cannot be read ({exc})"
        return _damaged(path, why)
    try:
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return _damaged(path, "is not a regular file")
            raw = handle.read(_MAX_ENTRY_BYTES + 1)
    except OSError as exc:
        return _damaged(path, f"cannot be read ({exc.strerror})")
    checks = _parse(raw, key)
    return _damaged(path, checks) if isinstance(checks, str) else checks


def _parse(raw: bytes, key: str) -> list[Check] | str:
    """The checks stored in ``raw`` under ``key``, or why they cannot be trusted."""
    if len(raw) > _MAX_ENTRY_BYTES:
        return "is too large"
    try:
        entry = json.loads(raw)
        sealed = isinstance(entry, dict) and entry.get("seal") == _seal(key, entry.get("checks"))
    except (ValueError, RecursionError):
        return "is not valid JSON"
    if not sealed or entry.get("key") != key or not isinstance(entry["checks"], list):
        return "does not match its seal"
    checks = [_check(fields) for fields in entry["checks"]]
    if any(check is None for check in checks):
        return "holds a check of the wrong shape"
    return [check for check in checks if check is not None]


def _check(fields: object) -> Check | None:
    """A check from its stored fields, or None unless every field has its declared type."""
    hints = get_type_hints(Check)
    if not isinstance(fields, dict) or sorted(fields) != sorted(hints):
        return None
    for name, hint in hints.items():
        value = fields[name]
        if hint is float:
            ok = type(value) in (int, float)  # JSON writes 2.0 as 2.0, 2 as 2; bool is not a number
        elif get_origin(hint) is Literal:
            ok = value in get_args(hint)
        else:
            ok = type(value) is hint
        if not ok:
            return None
    return Check(**fields)


def _damaged(path: Path, why: str) -> None:
    log.warning("checks cache: %s %s; running the checks again", path, why)
    # os.replace puts the new entry over a file or a symlink, not over a folder.
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)


def _write(path: Path, key: str, checks: list[Check]) -> None:
    # Written whole and renamed into place: a reader never sees half a file. A
    # cache that cannot be written costs the next build a re-check, nothing more.
    fields = [dataclasses.asdict(c) for c in checks]
    try:
        text = json.dumps({"key": key, "seal": _seal(key, fields), "checks": fields})
    except ValueError as exc:  # a NaN or an infinity: not worth keeping
        log.debug("checks not cached: %s", exc)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        log.debug("checks not cached in %s: %s", path.parent, exc)
