"""What a load of a data folder read: each file with a digest of its bytes, each folder listing.

The loader records its inputs as it reads them, so whatever is keyed on them (the
checks' cache, the preview's loaded data) covers exactly the files the loader read,
through a symlinked folder too, with the bytes it parsed: key and load cannot disagree.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ABSENT = "absent"


@dataclass(frozen=True, slots=True)
class Input:
    """One thing a load relied on: a file's content, or the files a folder pattern matched."""

    kind: Literal["file", "listing"]
    path: Path
    fingerprint: str
    pattern: str = ""

    def current(self) -> str:
        """The fingerprint of this input as it is on disk now."""
        if self.kind == "listing":
            return _names(list_files(self.path, self.pattern))
        try:
            # Only a regular file is read: a FIFO put in a data file's place must not
            # hang the preview's look for changes (the load then names it).
            if not stat.S_ISREG(os.stat(self.path).st_mode):
                return "not a regular file"
            return _digest(self.path.read_bytes())
        except FileNotFoundError:
            return ABSENT
        except OSError as exc:
            return f"unreadable: {exc.strerror}"


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything a load read, in the order it read it."""

    items: tuple[Input, ...]

    @property
    def digest(self) -> str:
        """A key that changes when any file read or any folder listed changes."""
        digest = hashlib.sha256()
        for item in self.items:
            digest.update(
                f"{item.kind}\0{item.path}\0{item.pattern}\0{item.fingerprint}\n".encode()
            )
        return digest.hexdigest()

    def unchanged(self) -> bool:
        """True if a new load would read the same files with the same bytes."""
        return all(item.current() == item.fingerprint for item in self.items)


class InputLog:
    """Records a load's inputs while it reads them."""

    def __init__(self) -> None:
        self._items: list[Input] = []

    def file(self, path: Path, data: bytes) -> None:
        """``data`` was read from ``path``."""
        self._items.append(Input("file", path, _digest(data)))

    def absent(self, path: Path) -> None:
        """An optional file was looked for and not found."""
        self._items.append(Input("file", path, ABSENT))

    def listing(self, folder: Path, pattern: str) -> list[Path]:
        """The files in ``folder`` matching ``pattern``, recorded: a new or removed one counts."""
        paths = list_files(folder, pattern)
        self._items.append(Input("listing", folder, _names(paths), pattern))
        return paths

    def inputs(self) -> Inputs:
        return Inputs(tuple(self._items))


def list_files(folder: Path, pattern: str) -> list[Path]:
    """The files of ``folder`` matching ``pattern``, in name order."""
    return sorted(folder.glob(pattern))


def _names(paths: list[Path]) -> str:
    return "\0".join(p.name for p in paths)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
