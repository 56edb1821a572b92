"""Shared fixtures: the IIJ dataset, and its 1Q08 deck built once per run."""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from reportgen.build import BuildResult, build
from reportgen.charts.spec import ChartSpec
from reportgen.data.load import Dataset, load_dataset
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from reportgen.slides.base import Slide

ROOT = Path(__file__).resolve().parents[1]
IIJ = ROOT / "data" / "iij"
EXAMPLE = ROOT / "data" / "examples" / "fictional"


@dataclass(frozen=True)
class BuiltDeck:
    result: BuildResult
    pages: list[str]
    html: str
    slides: tuple[Slide, ...]

    def page(self, kind: str) -> str:
        """Text of the page of the first slide of ``kind``."""
        return self.pages[self.kinds.index(kind)]

    @property
    def kinds(self) -> list[str]:
        return [s.split('data-kind="')[1].split('"')[0] for s in self.html.split("<section")[1:]]


def pdf_pages(path: Path) -> list[str]:
    """Text of each page, with runs of white space (line wraps) folded to one space."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def undisclosed_columns(spec: ChartSpec) -> list[str]:
    """Columns whose disclosed total is more than its parts: they would be drawn hatched."""
    if not spec.column_totals:
        return []
    bars = [s for s in spec.series if s.kind == "bar"]
    hatched = []
    for i, total in enumerate(spec.column_totals):
        parts = [s.values[i] for s in bars]
        if total is not None and (
            any(v is None for v in parts) or total - sum(v for v in parts if v) > 0.5
        ):
            hatched.append(spec.categories[i])
    return hatched


def cli_command(out: Path, quarter: str = "1Q08", data: Path = IIJ) -> list[str]:
    """The command line of a quiet build in a new process."""
    return [
        sys.executable,
        "-m",
        "reportgen",
        "-q",
        "build",
        "--quarter",
        quarter,
        "--data",
        str(data),
        "--out",
        str(out),
    ]


def on_ci() -> bool:
    """Whether the tests run on CI, which sets ``CI`` (``CI=true``)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_tool(name: str, path: Path | None = None) -> Path:
    """The tool ``name`` (on the PATH, or at ``path``): skip a test without it, but on CI fail.

    CI installs every tool the tests use (``.ci/run``), so a missing one there is a
    broken set-up, never a reason to pass on fewer checks. veraPDF is not required
    anywhere: its test keeps its own skip (README: PDF/A validation).
    """
    found = (path if path.is_file() else None) if path else shutil.which(name)
    if found:
        return Path(found)
    where = str(path) if path else f"{name} on the PATH"
    message = f"{where} is not installed (.ci/run installs it with apt-get)"
    if on_ci():
        pytest.fail(f"{message}; CI must run every test", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def iij() -> Dataset:
    return load_dataset(IIJ)


@pytest.fixture(scope="session")
def iij_model(iij: Dataset) -> QuarterModel:
    return QuarterModel(iij.figures, Quarter.parse("1Q08"), iij.calendar)


def build_and_read(data: Path, quarter: str, out: Path, edition: str = "en") -> BuiltDeck:
    """Build a deck and read back its PDF text and preview HTML."""
    result = build(data, Quarter.parse(quarter), out, edition=edition)
    assert result.output.pdf is not None
    html = result.output.html.read_text(encoding="utf-8")
    return BuiltDeck(result, pdf_pages(result.output.pdf), html, result.deck.slides)


@pytest.fixture(scope="session")
def iij_1q08(tmp_path_factory: pytest.TempPathFactory) -> BuiltDeck:
    return build_and_read(IIJ, "1Q08", tmp_path_factory.mktemp("out"))


@pytest.fixture(scope="session")
def example_1q25(tmp_path_factory: pytest.TempPathFactory) -> BuiltDeck:
    """The fictional company's 1Q25 deck, built once for every test module that reads it."""
    return build_and_read(EXAMPLE, "1Q25", tmp_path_factory.mktemp("example"))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the IIJ data folder, to break on purpose."""
    target = tmp_path / "iij"
    shutil.copytree(IIJ, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a data file, which must contain it."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def written_at(path: Path, needle: str) -> str:
    """``line:column`` of the YAML value on the first line holding ``needle``.

    Read from the text as a person would (the column after ``- `` and ``key: ``), not
    through the YAML parser the code under test uses.
    """
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            prefix = re.match(r"\s*(?:- )*(?:[\w-]+: )?", line)
            assert prefix is not None
            return f"{number}:{prefix.end() + 1}"
    raise AssertionError(f"{needle!r} is not in {path}")
