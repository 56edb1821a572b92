"""The content hash of one edition of a deck: every byte its build reads.

An approval records it; a later change to anything it covers makes the approval
stale. It covers the data files the loader read (``Dataset.inputs``) and those the
slides read beside them (group companies, acknowledgements), the deck file (and,
for a translation, the English one it must match), every template, stylesheet and
font, and reportgen's version. Paths are relative to their folder, so a copy of the
data folder elsewhere has the same hash; the approvals folder is not covered (an
approval must not stale itself).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportgen import __version__
from reportgen.data.inputs import ABSENT
from reportgen.data.load import Dataset, read_bytes
from reportgen.quarters import Quarter
from reportgen.render import FONT_FILES, FONTS
from reportgen.slides.content import deck_path

ACKNOWLEDGEMENTS = "acknowledgements.yaml"
# Read by slides rather than the loader (reference.py, narrative.py): covered all the same.
_SLIDE_FILES = "group_companies*.csv"
# The company's PowerPoint template (reportgen/pptx/template.py), named here so the hash
# needs no PowerPoint library.
PPTX_TEMPLATES = ("template.pptx", "template.potx")
# Long enough to tell files apart in an approval record, short enough to keep it small.
SHORT = 12


@dataclass(frozen=True, slots=True)
class ContentHash:
    """The hash of each part of what a deck reads, and of each data file."""

    # ("data", hex), ("deck", hex), ("templates", hex), ("fonts", hex), ("code", hex)
    parts: tuple[tuple[str, str], ...]
    # Each data and deck file, relative to the data folder, with a short digest.
    files: tuple[tuple[str, str], ...]

    @property
    def digest(self) -> str:
        """``sha256:<hex>`` over every part: the one value an approval compares."""
        digest = hashlib.sha256()
        for name, value in self.parts:
            digest.update(f"{name}\0{value}\n".encode())
        return f"sha256:{digest.hexdigest()}"

    def changed_parts(self, parts: dict[str, str]) -> list[str]:
        """The parts whose hash differs from ``parts`` (as an approval recorded them)."""
        return [name for name, value in self.parts if parts.get(name) != value]

    def changed_files(self, files: dict[str, str]) -> list[str]:
        """The data and deck files added, removed or changed since ``files`` was recorded."""
        mine = dict(self.files)
        names = mine.keys() | files.keys()
        return sorted(name for name in names if mine.get(name) != files.get(name))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _combine(entries: Iterable[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for name, value in entries:
        digest.update(f"{name}\0{value}\n".encode())
    return digest.hexdigest()


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _tree(folder: Path) -> list[tuple[str, str]]:
    """Every file under ``folder`` with the hash of its bytes, by relative path."""
    return [
        (p.relative_to(folder).as_posix(), _sha(p.read_bytes()))
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    ]


def _data_file(path: Path, root: Path) -> str:
    return _sha(read_bytes(path, root)) if path.exists() else ABSENT


def content_hash(
    dataset: Dataset, quarter: Quarter, edition: str, templates: Path, fonts: Path = FONTS
) -> ContentHash:
    """The content hash of the ``edition`` deck of ``quarter`` built from ``dataset``."""
    root = dataset.root
    data: list[tuple[str, str]] = []
    files: list[tuple[str, str]] = []
    for item in dataset.inputs.items:
        name = _relative(item.path, root)
        data.append((f"{item.kind}:{name}:{item.pattern}", item.fingerprint))
        if item.kind == "file":
            files.append((name, item.fingerprint[:SHORT]))
    # The PowerPoint template too, where there is one: it is part of what is approved.
    company_templates = [root / name for name in PPTX_TEMPLATES if (root / name).exists()]
    extra = [*sorted(root.glob(_SLIDE_FILES)), root / ACKNOWLEDGEMENTS, *company_templates]
    for path in extra:
        fingerprint = _data_file(path, root)
        data.append((f"file:{path.name}:", fingerprint))
        files.append((path.name, fingerprint[:SHORT]))
    decks = [deck_path(dataset, quarter)]
    if edition != "en":
        decks.append(deck_path(dataset, quarter, edition))
    deck = [(_relative(p, root), _data_file(p, root)) for p in decks]
    files += [(name, value[:SHORT]) for name, value in deck]
    parts = (
        ("data", _combine(data)),
        ("deck", _combine(deck)),
        ("templates", _combine(_tree(templates))),
        ("fonts", _combine((n, _sha((fonts / n).read_bytes())) for n in FONT_FILES)),
        ("code", _sha(f"reportgen {__version__}".encode())),
    )
    return ContentHash(parts, tuple(sorted(files)))
