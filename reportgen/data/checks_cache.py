"""Tie-out results kept on disk, so that a rebuild after a text edit does not re-run them.

The key is the content of every file the checks read (the data folder, except its
deck files, which hold text) and of reportgen's own code: a change to either runs
the checks again. Only a passing result is kept: failing data raises every time.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

from reportgen.data.load import Dataset
from reportgen.data.validate import Check, validate

log = logging.getLogger(__name__)

_PACKAGE = Path(__file__).resolve().parents[1]
# Deck files hold slide text and commentary, which no check reads.
_NOT_CHECKED = "decks"


@functools.cache
def _code_key() -> str:
    """reportgen's code and the libraries that parse the data: a new version re-checks."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(f"{path.relative_to(_PACKAGE).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    for name in ("pandas", "pydantic", "pyyaml"):
        digest.update(f"{name} {version(name)}\0".encode())
    return digest.hexdigest()


def data_key(root: Path) -> str:
    """The key of the checks of the data set in ``root``, as its files are now."""
    digest = hashlib.sha256(_code_key().encode())
    # Messages name files relative to the working folder (``shown``): part of the key.
    digest.update(f"{root.resolve()}\0{Path.cwd()}\0".encode())
    files = sorted(p for p in root.rglob("*") if p.is_file())
    for path in files:
        relative = path.relative_to(root)
        if relative.parts[0] == _NOT_CHECKED:
            continue
        digest.update(f"{relative.as_posix()}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def validate_cached(dataset: Dataset, folder: Path) -> list[Check]:
    """``validate(dataset)``, or its result from ``folder`` if the data has not changed."""
    path = folder / f"{data_key(dataset.root)}.json"
    try:
        return [Check(**fields) for fields in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass  # not there yet, or unreadable: run the checks
    checks = validate(dataset)
    _write(path, json.dumps([dataclasses.asdict(c) for c in checks]))
    return checks


def _write(path: Path, text: str) -> None:
    # Written whole and renamed into place: a reader never sees half a file. A
    # cache that cannot be written costs the next build a re-check, nothing more.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        log.debug("checks not cached in %s: %s", path.parent, exc)
