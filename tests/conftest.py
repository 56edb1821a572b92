"""Shared fixtures: the IIJ dataset, and every deck of the repository's data built once per run.

A deck built from the repository's own data (``data/iij``, the fictional example) is
built once per test run, whatever the number of xdist workers, and shared:

- ``iij_1q08`` and ``example_1q25`` are the two decks most tests read;
- any other: ask the ``shelf`` fixture, ``shelf.get(IIJ, "3Q08", "ja")``; a
  module-scoped fixture of your own may keep the result at hand.

A shared deck and its files are read-only to every test (its files are made
read-only, and the run fails at its end naming any file a test changed). A test that
must damage, rebuild over or add to a deck takes a private copy:
``deck.copied_to(tmp_path)`` gives the same ``BuiltDeck`` whose files (the whole
output folder, chart cache included) are the copy's. Data that one test edits
(``data_copy``) is built by the test itself.

A module whose tests all read one edited copy of the data, or decks built from it,
makes them on the shelf too, so that they are made once per run rather than once per
worker that runs one of its tests (xdist spreads a module's tests over the workers):
``shelf.data_copy("acme", make)`` makes the data folder once, ``shelf.get(acme,
"1Q25")`` builds from it like from the repository's data, ``shelf.get(..., pptx=True)``
adds the PowerPoint, and ``shelf.once(name, make)`` holds any other thing (an output
folder several tests copy). Whatever the shelf holds is checked unchanged at the end.
"""

from __future__ import annotations

import dataclasses
import fcntl
import functools
import hashlib
import os
import pickle
import re
import shutil
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pypdfium2 as pdfium
import pytest

# A build in the test process forks its chart-drawing processes from it (a process
# pool: no drawing server is passed in); imported here once, matplotlib is already in
# every fork instead of imported again by each (0.6 s of CPU a build, a third of its
# chart stage). The command line's drawing processes start the same way, from a fork
# server that imported this module (``DrawingPool``).
import reportgen.charts.draw  # noqa: F401
from reportgen.build import BuildResult, build
from reportgen.charts.cache import SHARED_CACHE_VARIABLE, chart_cache_dir, damage, marks_path
from reportgen.charts.spec import ChartSpec
from reportgen.data.catalogue import load_catalogue
from reportgen.data.load import Dataset, load_dataset
from reportgen.model.catalogue import Catalogue
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from reportgen.slides.base import Slide

ROOT = Path(__file__).resolve().parents[1]
IIJ = ROOT / "data" / "iij"
EXAMPLE = ROOT / "data" / "examples" / "fictional"
# The second example company (issue 20): a fictional IFRS retailer.
RETAILER = ROOT / "data" / "examples" / "retailer"
T = TypeVar("T")
# What the shelf keeps of each thing it made, in that thing's folder.
SHELVED = "shelved.pickle"


@functools.cache
def catalogue_of(data: Path = IIJ) -> Catalogue:
    """A company's items.yaml as its dataset loads it (labels and keys for tests)."""
    return load_catalogue(data, ("ja",))


@dataclass(frozen=True)
class BuiltDeck:
    result: BuildResult
    pages: list[str]
    html: str
    slides: tuple[Slide, ...]

    @property
    def out_root(self) -> Path:
        """The output folder the deck was built into (its quarter folder's parent)."""
        return self.result.output.folder.parent

    def copied_to(self, target: Path) -> BuiltDeck:
        """A private, writable copy of the whole output folder, and the deck pointing at it."""
        shutil.copytree(self.out_root, target, symlinks=True, dirs_exist_ok=True)
        for path in target.rglob("*"):
            if path.is_file() and not path.is_symlink():
                path.chmod(path.stat().st_mode | stat.S_IWUSR)

        def moved(path: Path | None) -> Path | None:
            return None if path is None else target / path.relative_to(self.out_root)

        out = self.result.output
        output = dataclasses.replace(
            out,
            folder=target / out.folder.name,
            pdf=moved(out.pdf),
            xlsx=moved(out.xlsx),
            pptx=moved(out.pptx),
            html=target / out.html.relative_to(self.out_root),
        )
        return dataclasses.replace(self, result=dataclasses.replace(self.result, output=output))

    def page(self, kind: str) -> str:
        """Text of the page of the first slide of ``kind``."""
        return self.pages[self.kinds.index(kind)]

    def pages_of(self, kind: str) -> list[str]:
        """Text of the page of every slide of ``kind``, in deck order (a generic kind such
        as ``statement`` serves several slides: the results summary, the balance sheet)."""
        return [page for page, each in zip(self.pages, self.kinds, strict=True) if each == kind]

    def numbered(self, number: str) -> str:
        """Text of the page of the slide printed as ``number`` (``"7"``, ``"Ref. 1"``): a
        generic kind (``breakdown``, ``panels``) serves many slides of a deck."""
        return self.pages[[slide.number for slide in self.slides].index(number)]

    @property
    def kinds(self) -> list[str]:
        return [s.split('data-kind="')[1].split('"')[0] for s in self.html.split("<section")[1:]]


def content_items(deck: BuiltDeck, kind: str, index: int = 0, key: str = "items") -> list[str]:
    """The item keys listed under ``content.<key>`` of the deck file's ``index``-th slide of
    ``kind``, in order (a row written ``{item: revenue, ...}`` gives ``revenue``): what the
    slide shows comes from the deck file, so the tests read it there too."""
    spec = [s for s in deck.result.deck.spec.slides if s.kind == kind][index]
    return [row["item"] if isinstance(row, dict) else row for row in spec.content[key]]


def pdf_pages(path: Path) -> list[str]:
    """Text of each page, with runs of white space (line wraps) folded to one space.

    Read with PDFium (``pypdfium2``, as the review's snapshot reads PDFs): 30 times
    faster than pypdf, whose reading took a fifth of the test run. PDFium gives a word
    hyphenated at a line's end as U+FFFE in the hyphen's place; it is read as the
    hyphen it prints.
    """
    document = pdfium.PdfDocument(path)
    try:
        return [
            " ".join(page.get_textpage().get_text_range().replace("\ufffe", "-").split())
            for page in document
        ]
    finally:
        document.close()


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


def build_and_read(
    data: Path, quarter: str, out: Path, edition: str = "en", *, pptx: bool = False
) -> BuiltDeck:
    """Build a deck and read back its PDF text and preview HTML."""
    result = build(data, Quarter.parse(quarter), out, edition=edition, pptx=pptx)
    assert result.output.pdf is not None
    _keep_charts_beside(result)
    html = result.output.html.read_text(encoding="utf-8")
    return BuiltDeck(result, pdf_pages(result.output.pdf), html, result.deck.slides)


def _keep_charts_beside(result: BuildResult) -> None:
    """Copy the deck's charts from the run's shared cache into its own output folder's
    cache, as a build without the shared cache leaves them: a copy of the folder
    (``copied_to``) then rebuilds with every chart cached, as a user's would."""
    shared = chart_cache_dir(result.output.folder.parent)
    own = result.output.folder.parent / ".cache" / "charts"
    if shared == own:
        return
    own.mkdir(parents=True, exist_ok=True)
    for chart in (result.output.html.parent / "charts").glob("*.svg"):
        for entry in (shared / chart.name, marks_path(shared / chart.name)):
            shutil.copyfile(entry, own / entry.name)


def _output_folder(deck: BuiltDeck) -> Path:
    return deck.result.output.folder


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class DeckShelf:
    """Decks of the repository's data, each built once per test run and shared read-only.

    Under xdist every worker has its own session, so a session fixture alone would
    build each deck once per worker (and a module fixture once per worker that runs
    one of the module's tests). The shelf keeps the built decks in the run's common
    temporary folder instead: the first worker to ask for one builds it under a file
    lock (the others wait for it) and leaves it pickled beside its files; every later
    request, in any worker, reads the pickle.

    ``once`` does the same for anything else several tests read (a module's edited copy
    of the data, decks built from it, output folders): made once per run, whatever
    the workers, and checked unchanged at the end like the decks.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self._held: dict[str, tuple[object, Path, dict[str, str]]] = {}

    def get(
        self, data: Path, quarter: str, edition: str = "en", *, pptx: bool = False
    ) -> BuiltDeck:
        """The ``edition`` deck of ``quarter`` built from the unmodified ``data`` folder.

        ``data``: the repository's, or a folder ``data_copy`` made on the shelf.
        ``pptx``: built with the PowerPoint edition too (a deck of its own: the
        PowerPoint is written after the PDF, in the same publish).
        """
        name, make = self._deck(data, quarter, edition, pptx)
        deck = self.once(name, make, _output_folder)
        assert isinstance(deck, BuiltDeck)
        return deck

    def get_many(
        self, wanted: Iterable[tuple[Path, str, str]], *, pptx: bool = False
    ) -> list[BuiltDeck]:
        """Several decks, ``(data, quarter, edition)`` each, as ``get`` gives them.

        A module's tests are spread over the workers, so two often ask for the same
        decks at once: each first builds those that no other worker is building, and
        waits for the others' only then, rather than one worker building them all while
        the other waits.
        """
        jobs = [self._deck(data, quarter, edition, pptx) for data, quarter, edition in wanted]
        for name, make in jobs:
            if name not in self._held:
                found = self._fetch(name, make, _output_folder, wait=False)
                if found is not None:
                    self._held[name] = found
        decks = [self.once(name, make, _output_folder) for name, make in jobs]
        assert all(isinstance(deck, BuiltDeck) for deck in decks)
        return decks

    def _deck(
        self, data: Path, quarter: str, edition: str, pptx: bool
    ) -> tuple[str, Callable[[Path], BuiltDeck]]:
        """The shelf's name for a deck, and how it is built."""
        data = data.resolve()
        if data.is_relative_to(ROOT / "data"):
            where = data.relative_to(ROOT / "data").parts
        elif data.is_relative_to(self.root.resolve()):
            where = data.relative_to(self.root.resolve()).parts
        else:
            raise ValueError(f"{data}: the shelf holds decks of the repository's data only")
        name = "-".join((*where, quarter, edition, *(["pptx"] if pptx else [])))

        def make(folder: Path) -> BuiltDeck:
            return build_and_read(data, quarter, folder / "out", edition, pptx=pptx)

        return name, make

    def data_copy(self, name: str, make: Callable[[Path], object]) -> Path:
        """A data folder ``make(target)`` writes (an edited copy), made once per run."""

        def made(folder: Path) -> Path:
            make(folder / name)
            return folder / name

        path = self.once(f"data-{name}", made)
        assert isinstance(path, Path)
        return path

    def once(
        self,
        name: str,
        make: Callable[[Path], T],
        files: Callable[[T], Path] | None = None,
    ) -> T:
        """``make(folder)``'s value, made once per run in its own folder and shared.

        Every file under ``files(value)`` (default: the whole folder) must stay as made.
        """
        if name not in self._held:
            found = self._fetch(name, make, files)
            assert found is not None
            self._held[name] = found
        value: T = self._held[name][0]  # type: ignore[assignment]
        return value

    def _fetch(
        self,
        name: str,
        make: Callable[[Path], T],
        files: Callable[[T], Path] | None,
        *,
        wait: bool = True,
    ) -> tuple[T, Path, dict[str, str]] | None:
        """What ``make`` made, made now if it was not yet; ``None`` if another worker is
        making it and ``wait`` is false."""
        folder = self.root / name
        shelved = folder / SHELVED
        with (self.root / f"{name}.lock").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                return None
            if not shelved.exists():
                folder.mkdir(parents=True, exist_ok=True)
                value = make(folder)
                checked = files(value) if files else folder
                sums = {str(p): _digest(p) for p in sorted(checked.rglob("*")) if p.is_file()}
                if files:
                    for path in sums:
                        Path(path).chmod(0o444)
                # Written aside and renamed: a waiting worker never reads half a pickle.
                partial = self.root / f"{name}.part"
                partial.write_bytes(pickle.dumps((value, checked, sums)))
                partial.rename(shelved)
        found: tuple[T, Path, dict[str, str]] = pickle.loads(shelved.read_bytes())
        return found

    def changed(self) -> list[str]:
        """Files of what this worker handed out that are no longer as made."""
        found = []
        for _, root, sums in self._held.values():
            now = {str(p) for p in root.rglob("*") if p.is_file() and p.name != SHELVED}
            found += sorted(now - sums.keys())
            found += [p for p, digest in sums.items() if p not in now or _digest(Path(p)) != digest]
        return found


@pytest.fixture(scope="session")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeckShelf]:
    """Every deck of the repository's data a test asks for, built once per run (see above)."""
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's base is a folder of the run's own one, shared by all.
    common = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    shelf = DeckShelf(common / "shared-decks")
    yield shelf
    changed = shelf.changed()
    if changed:
        pytest.fail(
            "a test changed files the shelf shares (take deck.copied_to(tmp_path), or a copy "
            "of the folder, to change them): " + ", ".join(changed),
            pytrace=False,
        )


@pytest.fixture(scope="session", autouse=True)
def shared_chart_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One chart cache for every build of the run, in this process and the commands it
    starts (``$REPORTGEN_CHART_CACHE``): a chart is drawn once per run, not once per
    build (some 1,400 drawings of 260 charts). A test of the cache itself, or of what a
    build does when it draws, takes ``own_chart_cache``."""
    base = tmp_path_factory.getbasetemp()
    common = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = common / "shared-charts"
    before = os.environ.get(SHARED_CACHE_VARIABLE)
    os.environ[SHARED_CACHE_VARIABLE] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(SHARED_CACHE_VARIABLE, None)
    else:
        os.environ[SHARED_CACHE_VARIABLE] = before
    # A deck's charts are hard links to the cache's entries: a test that writes into
    # one instead of replacing it would change the entry every later build reads.
    damaged = [
        f"{entry.name} {problem}"
        for entry in sorted(folder.glob("*"))
        if entry.suffix in (".svg", ".json") and (problem := damage(entry)) is not None
    ]
    if damaged:
        pytest.fail(
            "a test changed charts of the run's shared cache (replace a deck's chart "
            "files, or take own_chart_cache): " + ", ".join(damaged),
            pytrace=False,
        )


@pytest.fixture
def own_chart_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds of this test keep their charts in their own output folder, as by default."""
    monkeypatch.delenv(SHARED_CACHE_VARIABLE, raising=False)


@pytest.fixture(scope="session")
def iij_1q08(shelf: DeckShelf) -> BuiltDeck:
    return shelf.get(IIJ, "1Q08")


@pytest.fixture(scope="session")
def example_1q25(shelf: DeckShelf) -> BuiltDeck:
    """The fictional company's 1Q25 deck, built once for every test module that reads it."""
    return shelf.get(EXAMPLE, "1Q25")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the IIJ data folder, to break on purpose."""
    target = tmp_path / "iij"
    shutil.copytree(IIJ, target)
    return target


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A private copy of the fictional company's data folder, to edit."""
    target = tmp_path / "fictional"
    shutil.copytree(EXAMPLE, target)
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
