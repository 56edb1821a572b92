"""Deck → HTML (the preview) → PDF, written atomically into the output folder.

Nothing reaches the output folder until every step has succeeded: the build
happens in a staging folder beside it and is moved into place at the end, so
a failed build never leaves half a deck and never destroys the last good one.
"""

from __future__ import annotations

import functools
import html as html_module
import logging
import os
import re
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
)
from jinja2.bccache import Bucket

from reportgen import __version__, brand, layout, weasyprint_import
from reportgen.charts.cache import ChartJob, DrawingPool, chart_cache_dir
from reportgen.charts.spec import Box, ChartSpec
from reportgen.data.schema import quote
from reportgen.errors import LayoutError, OutputConflictError, RenderError, SlideError
from reportgen.glyphs import FONT_FILES, FONTS
from reportgen.linebreaks import keep_katakana_words
from reportgen.publish import link_or_copy, publish, staged_as_final, staging
from reportgen.slides.base import Chart, Slide
from reportgen.slides.deck import Deck
from reportgen.slides.hotspots import hotspots, placement
from reportgen.slides.registry import SLIDE_KINDS

if TYPE_CHECKING:
    from reportgen.fetch import LoadFailure  # imports WeasyPrint, which a build imports late

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = PROJECT_ROOT / "templates"
# Scripts and styles only from the deck's own folder: a figure or a bullet can never run
# code. The preview sends the policy as a header; the page opened from disk carries it
# in a <meta>, less frame-ancestors, which browsers ignore there (with a console warning).
CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
)
CSP_HEADER_ONLY = ("frame-ancestors",)
# Where the chart values' hotspots sit: a file, since the policy allows no inline style.
HOTSPOTS_CSS = "hotspots.css"
CSP = "; ".join(CSP_DIRECTIVES)
CSP_META = "; ".join(d for d in CSP_DIRECTIVES if d.split()[0] not in CSP_HEADER_ONLY)


@dataclass(frozen=True, slots=True)
class Output:
    """Where a build put its files, and what it made."""

    folder: Path
    pdf: Path | None
    xlsx: Path | None
    html: Path
    pages: int
    pdf_bytes: int
    seconds: float
    pptx: Path | None = None


def jinja_environment(templates: Path) -> Environment:
    """Autoescaping, strict environment: a missing variable fails the build."""
    return Environment(
        loader=FileSystemLoader(templates),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _edition_suffix(deck: Deck) -> str:
    # English keeps the names it always had; other editions add their language.
    language = deck.messages.language
    return "" if language == "en" else f"-{language}"


def pdf_name(deck: Deck) -> str:
    short, quarter = deck.dataset.company.short_name, deck.quarter.name
    return f"{short}-{quarter}-results-{deck.messages.language}.pdf"


@functools.lru_cache(maxsize=4)
def _deck_environment(templates: Path) -> Environment:
    # Reused across builds in one process (the preview, a batch worker) so that the
    # deck's templates are compiled once; Jinja still reloads a template whose file
    # changed (auto_reload checks each one's modification time).
    env = jinja_environment(templates)
    # And across processes: compiling the deck's 17 templates took 40 ms of every build.
    env.bytecode_cache = CompiledTemplates.for_this_user()
    return env


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's compiled templates, kept between processes; damage only costs a compilation.

    Jinja keys each file by the template and checks its source's checksum and Python's
    version, so an edited template is compiled again. The folder is Jinja's default,
    this user's own in the temporary folder (made 0700; one that another user owns or
    can write is refused), not the output folder, since its files are loaded as code.
    A file that cannot be read, is damaged or cannot be written is compiled again.
    """

    @classmethod
    def for_this_user(cls) -> CompiledTemplates | None:
        try:
            return cls()
        except (OSError, RuntimeError) as exc:  # no safe folder: compile every time
            log.debug("templates are compiled in every build: %s", exc)
            return None

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # truncated or garbage (Jinja reads a pickle, then marshal)
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as exc:  # a full disk, a folder removed meanwhile
            log.debug("compiled template not kept: %s", exc)


def xlsx_name(deck: Deck) -> str:
    short, quarter = deck.dataset.company.short_name, deck.quarter.name
    return f"{short}-{quarter}-data{_edition_suffix(deck)}.xlsx"


def figures_name(deck: Deck) -> str:
    short, quarter = deck.dataset.company.short_name, deck.quarter.name
    return f"{short}-{quarter}-figures{_edition_suffix(deck)}.csv"


def html_folder(deck: Deck) -> str:
    """``html`` for the English preview, ``html-ja`` for the Japanese one."""
    return f"html{_edition_suffix(deck)}"


def render_html(deck: Deck, templates: Path) -> str:
    env = _deck_environment(templates)
    company = deck.dataset.company
    try:
        html = env.get_template("deck.html").render(
            deck=deck,
            company=company,
            lang=deck.messages.language,
            t=deck.messages,
            templates={kind: k.template for kind, k in SLIDE_KINDS.items()},
            generator=f"reportgen {__version__}",
            csp=CSP_META,
            brand=deck.dataset.brand,
            logo=brand.LOGO_FILE,
            created=deck.spec.release_date.isoformat() + "T00:00:00+00:00",
        )
    except TemplateError as exc:
        raise SlideError(
            f"{template_location(exc, templates)}: {exc.message} ({deck.quarter.name})"
        ) from None
    return keep_katakana_words(html) if deck.messages.language == "ja" else html


def template_location(exc: TemplateError, templates: Path) -> str:
    """``templates/slides/x.html, line 3``: where in which template an error happened.

    An undefined value usually fails inside a shared macro; the slide template
    that passed it is named first, since that is the file to fix.
    """

    def shown(name: str, line: int | None) -> str:
        path = Path(name)
        if path.is_relative_to(templates.parent):
            path = path.relative_to(templates.parent)
        return f"{path}" + (f", line {line}" if line else "")

    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if name is not None:
        return shown(name, line)
    # Jinja rewrites tracebacks so that template frames carry the template's file.
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    if not frames:
        return str(templates)
    innermost = frames[-1]
    slide_frames = [f for f in frames if "/slides/" in f.filename]
    if slide_frames and slide_frames[-1] is not innermost:
        outer = slide_frames[-1]
        return (
            f"{shown(outer.filename, outer.lineno)} "
            f"(in {shown(innermost.filename, innermost.lineno)})"
        )
    return shown(innermost.filename, innermost.lineno)


def with_chart_sources(
    deck: Deck, paths: Mapping[ChartSpec, Path], marks: Mapping[ChartSpec, Mapping[str, Box]]
) -> Deck:
    """The deck with each drawn chart's file, and its values' hotspots for the preview."""

    def drawn(chart: Chart) -> Chart:
        # A chart with no data at all is not drawn: its slide shows a "not disclosed" panel.
        if chart.spec not in paths:
            return chart
        path = paths[chart.spec]
        spots = hotspots(path.stem, chart.shown_by_key(), marks.get(chart.spec, {}))
        return replace(chart, src=f"charts/{path.name}", hotspots=spots)

    slides = tuple(replace(s, charts=tuple(drawn(c) for c in s.charts)) for s in deck.slides)
    return replace(deck, slides=slides)


def hotspot_stylesheet(deck: Deck) -> str:
    """``hotspots.css``: where every chart value's hotspot sits on its chart."""
    return placement(
        (Path(c.src).stem, c.spec.width_in / c.spec.height_in, c.hotspots)
        for s in deck.slides
        for c in s.charts
        if c.src
    )


def write_preview(
    deck: Deck, html: str, chart_paths: Mapping[ChartSpec, Path], folder: Path, templates: Path
) -> Path:
    """Write the HTML deck with its CSS, fonts and charts beside it: openable from disk."""
    (folder / "charts").mkdir(parents=True)
    (folder / "fonts").mkdir()
    for path in set(chart_paths.values()):
        with writing(folder / "charts" / path.name) as target:
            link_or_copy(path, target)
    for name in FONT_FILES:
        with writing(folder / "fonts" / name) as target:
            link_or_copy(FONTS / name, target)
    if deck.dataset.brand.logo:
        with writing(folder / brand.LOGO_FILE) as target:
            target.write_bytes(deck.dataset.brand.logo)
    with writing(folder / "deck.css") as target:
        target.write_text(stylesheet(templates, deck.dataset.brand), encoding="utf-8")
    with writing(folder / HOTSPOTS_CSS) as target:
        target.write_text(hotspot_stylesheet(deck), encoding="utf-8")
    with writing(folder / "index.html") as index:
        index.write_text(html, encoding="utf-8")
    return index


@contextmanager
def writing(target: Path) -> Iterator[Path]:
    """Name ``target`` in an error while it is written.

    A failed copy reports the file it copied from (shutil names the source of a
    failed ``sendfile``), and a failed write on an open file names none: on a
    full disk the message must say where the deck could not be written.
    """
    try:
        yield target
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(target)) from None


def stylesheet(templates: Path, look: brand.Brand = brand.DEFAULT) -> str:
    """The deck's CSS: every ``templates/css/*.css`` in name order, one file per concern."""
    parts = sorted((templates / "css").glob("*.css"))
    # Colours and font stacks first: one source (the company's Brand) for the CSS, charts
    # and PowerPoint.
    root = f"/* reportgen/brand.py */\n{look.stylesheet_root()}"
    return "\n".join([root, *(f"/* {p.name} */\n{p.read_text(encoding='utf-8')}" for p in parts)])


def _overflowing(deck: Deck, pages: list[object]) -> Slide | None:
    """The first slide whose content runs onto a second page."""
    first_page: dict[str, int] = {}
    for number, page in enumerate(pages):
        for anchor in getattr(page, "anchors", {}):
            first_page.setdefault(anchor, number)
    for index, slide in enumerate(deck.slides):
        start = first_page.get(slide.anchor)
        end = (
            first_page.get(deck.slides[index + 1].anchor, len(pages))
            if index + 1 < len(deck.slides)
            else len(pages)
        )
        if start is not None and end - start > 1:
            return slide
    return None


def page_labels(deck: Deck) -> list[str]:
    """Each page's label: the slide number as printed, or the slide's title."""
    return [slide.number or slide.title for slide in deck.slides]


def write_pdf(
    deck: Deck,
    index: Path,
    target: Path,
    roots: list[Path],
    meanwhile: Callable[[], None] = lambda: None,
) -> int:
    """Lay out the deck, check one page per slide and every resource, then write the PDF.

    ``meanwhile`` runs while a layout worker (``reportgen.layout``) lays the deck out,
    or after the layout where there is none; its files are published only if the PDF is.
    """
    job = layout.LayoutJob(index=index, target=target, roots=roots, slides=len(deck.slides))
    worker = layout.current()
    if worker is None:
        result = layout.lay_out(job, lambda: pdf_details(deck))
        meanwhile()
    else:
        # The worker lays out while this process works out the attachments and
        # writes the data pack.
        pending = worker.submit(job)
        try:
            pending.details(pdf_details(deck))
            meanwhile()
        except BaseException:
            # The worker would go on writing into the staging folder being removed.
            layout.stop()
            raise
        result = pending.result()
    if result.error is not None:
        raise result.error
    if result.refused:
        raise RenderError(
            f"{deck.quarter.name}: the deck refers to {result.refused[0]}, outside the "
            "project; only the project's own files may be used"
        )
    check_resources(deck, index.parent, result.failures)
    if result.pages != len(deck.slides):
        pages = [SimpleNamespace(anchors=anchors) for anchors in result.anchors]
        slide = _overflowing(deck, pages)
        which = (
            _slide_where(deck, deck.slides.index(slide))
            if slide
            else f"{deck.quarter.name}: a slide"
        )
        raise LayoutError(
            f"{which}: does not fit on one page ({result.pages} pages for "
            f"{len(deck.slides)} slides); shorten its content"
        )
    if result.unprintable:
        first = result.unprintable[0]
        where = _slide_where(deck, first.page)
        raise LayoutError(
            f"{where}: {first.described} is in none of the deck's fonts (fonts/: Lato, "
            "IPAexGothic) and would not print as written; remove or replace it"
            + _and_more(result.unprintable)
        )
    if result.spills:
        spill = result.spills[0]
        which = _slide_where(deck, spill.page)
        raise LayoutError(
            f"{which}: {_SPILLED[spill.part]} ({quote(spill.text)})" + _and_more(result.spills)
        )
    return result.pages


def _and_more(found: Sequence[object]) -> str:
    """`` (and 2 more)`` after the first of ``found``, if there are others."""
    return f" (and {len(found) - 1} more)" if len(found) > 1 else ""


def _slide_where(deck: Deck, page: int) -> str:
    """Where the slide printed on ``page`` is written, then the slide as printed."""
    if page < len(deck.where):
        return deck.where[page]
    slide = deck.slides[page]
    return f"{deck.quarter.name}: slide {slide.number or slide.kind} ({slide.title})"


# What a spill means to the person who wrote the slide (``overflow.spills``).
_SPILLED = {
    "header": "the title does not fit in the slide's header; shorten it",
    "body": "text runs outside the slide's body, over its footer or edge; shorten it",
    "footer": "the footer's text does not fit in the footer; shorten it",
    "line": "a word is wider than its column; shorten it or add a space",
}


def pdf_details(deck: Deck) -> layout.PdfDetails:
    """The PDF's page labels, attached figures and snapshot, dates and release state."""
    from reportgen import pdf
    from reportgen.datapack import figures_csv
    from reportgen.review.snapshot import snapshot, snapshot_name

    data = pdf.DataFile(
        name=figures_name(deck),
        content=figures_csv(deck),
        description=deck.messages("deck.attachment", title=deck.title),
    )
    content = pdf.DataFile(
        name=snapshot_name(deck),
        content=snapshot(deck).to_json(),
        description=deck.messages("deck.snapshot_attachment", title=deck.title),
    )
    return layout.PdfDetails(
        labels=page_labels(deck),
        attachments=[data, content],
        created=datetime.combine(deck.spec.release_date, datetime.min.time(), tzinfo=UTC),
        released=deck.released,
    )


def check_resources(deck: Deck, folder: Path, failures: Sequence[LoadFailure]) -> None:
    """Fail the build, naming the slide, if any resource of the deck could not be used.

    WeasyPrint only logs a chart, stylesheet or font it cannot load, and would
    publish the deck without it.
    """
    if not failures:
        return
    first = failures[0]
    if first.url:
        name = _resource_name(first.url, folder)
        what = f"{name} could not be loaded ({first.reason.replace(first.url, name)})"
    else:
        what = first.reason
    users = [s for s in deck.slides if first.url and _shows(s, first.url)]
    where = ", ".join(f"slide {s.number or s.kind} ({s.title})" for s in users) or "every slide"
    # The fetcher and WeasyPrint's log may both report one resource: count resources.
    others = len({f.url or f.reason for f in failures}) - 1
    more = f" (and {others} more)" if others else ""
    raise RenderError(f"{deck.quarter.name}: {where}: {what}{more}; no deck was written")


def _shows(slide: Slide, url: str) -> bool:
    path = unquote(urlsplit(url).path)
    return any(c.src and path.endswith(f"/{c.src}") for c in slide.charts)


def _resource_name(url: str, folder: Path) -> str:
    """``charts/x.svg``: the resource as the preview folder names it, else its URL."""
    path = Path(unquote(urlsplit(url).path))
    for base in (Path(os.path.abspath(folder)), folder.resolve()):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return url


# ``IIJ-1Q08-results-en.pdf``, ``IIJ-1Q08-results-ja.pptx``, ``IIJ-1Q08-data.xlsx``.
_DECK_FILE = r"^(?P<short>.+)-{quarter}-(?:results-[a-z]+\.(?:pdf|pptx)|data\.xlsx)$"
# The preview's own company tag: ``<meta name="keywords" content="IIJ, 1Q08, ...">``.
_PREVIEW_COMPANY = re.compile(r'<meta name="keywords" content="([^,"]+),')


def _company_in(folder: Path, quarter: str) -> str | None:
    """The short name of the company whose deck ``folder`` holds, if any."""
    if not folder.is_dir():
        return None
    pattern = re.compile(_DECK_FILE.format(quarter=re.escape(quarter)))
    for path in sorted(folder.iterdir()):
        found = pattern.match(path.name)
        if found:
            return found["short"]
    for index in sorted(folder.glob("html*/index.html")):
        with index.open("rb") as handle:
            tagged = _PREVIEW_COMPANY.search(handle.read(4096).decode("utf-8", "replace"))
        if tagged:
            return html_module.unescape(tagged[1])
    return None


def _refuse_another_company(deck: Deck, out_root: Path) -> None:
    """Two companies' decks of one quarter would share a preview folder (``html``):
    building the second would replace the first's, so it is refused instead."""
    ours = deck.dataset.company.short_name
    folder = out_root / deck.quarter.name
    theirs = _company_in(folder, deck.quarter.name)
    if theirs is not None and theirs != ours:
        raise OutputConflictError(
            f"{folder} holds {theirs}'s {deck.quarter.name} deck: building {ours}'s there "
            f"would replace its preview; build {ours} into another folder "
            f"(--out {out_root / ours.lower()}) or remove {folder}"
        )


def render_deck(
    deck: Deck,
    out_root: Path,
    *,
    pdf: bool = True,
    pptx: bool = False,
    templates: Path = TEMPLATES,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] = lambda stage: None,
    drawing: DrawingPool | None = None,
    while_drawing: Callable[[], object] = lambda: None,
) -> Output:
    """Draw charts, write the preview and the PDF for ``deck`` under ``out_root/<quarter>``.

    ``pptx`` adds the PowerPoint edition, published with the rest or not at all.
    ``progress`` is told the name of each stage as it starts. ``drawing``: processes
    that draw the charts (else, a pool for this build only; see ``ChartJob``).
    ``while_drawing`` runs while they draw (the preview checks the data then); an
    error from it ends the build before anything is written.
    """
    final = out_root / deck.quarter.name
    try:
        return _render_deck(
            deck, out_root, pdf, templates, cache_dir, progress, pptx, drawing, while_drawing
        )
    except OSError as exc:
        # Any write that fails (full disk, a file where a folder should be) ends
        # the build cleanly; the staging folder is gone and the old deck is intact.
        # The file named is where it would have been published, not the staging copy.
        written = exc.filename2 or exc.filename
        where = staged_as_final(Path(os.fsdecode(written)), final) if written else final
        raise RenderError(
            f"{where}: cannot write the deck ({exc.strerror or exc}) for {deck.quarter.name}; "
            "the previous deck is unchanged"
        ) from None


def _render_deck(
    deck: Deck,
    out_root: Path,
    pdf: bool,
    templates: Path,
    cache_dir: Path | None,
    progress: Callable[[str], None],
    pptx: bool = False,
    drawing: DrawingPool | None = None,
    while_drawing: Callable[[], object] = lambda: None,
) -> Output:
    started = time.perf_counter()
    _refuse_another_company(deck, out_root)
    progress("charts")
    specs = [c.spec for s in deck.slides for c in s.charts if not c.spec.empty]
    charts = ChartJob(specs, cache_dir or chart_cache_dir(out_root), drawing=drawing)
    try:
        while_drawing()
    except BaseException:
        charts.cancel()
        raise
    if pdf and layout.current() is None:
        # WeasyPrint is the slowest import of a build: it runs here while worker
        # processes draw the charts, instead of after them (a layout worker has it).
        weasyprint_import.load()
    chart_paths = charts.wait()
    # The HTML waits for the drawings: the preview's hotspots are placed by where each
    # value landed on its chart.
    deck = with_chart_sources(deck, chart_paths, charts.marks())
    progress("html")
    html = render_html(deck, templates)
    final = out_root / deck.quarter.name
    with staging(out_root, deck.quarter.name) as stage:
        fresh = stage / "new"
        html_dir = html_folder(deck)
        index = write_preview(deck, html, chart_paths, fresh / html_dir, templates)
        pages, size = 0, 0
        if pdf:
            progress("pdf")
            pdf_target = fresh / pdf_name(deck)

            def data_pack() -> None:
                # Imported here, while the layout runs: openpyxl is a slow import.
                from reportgen.datapack import write_xlsx

                with writing(fresh / xlsx_name(deck)) as xlsx_target:
                    write_xlsx(deck, xlsx_target)

            # The data pack is written while WeasyPrint lays the deck out, where a
            # layout worker runs (the command line): off the critical path.
            pages = write_pdf(deck, index, pdf_target, [fresh, PROJECT_ROOT], data_pack)
            size = pdf_target.stat().st_size
        pptx_file = ""
        if pptx:
            from reportgen.pptx.deck import pptx_name, write_pptx

            pptx_file = pptx_name(deck)
            with writing(fresh / pptx_file) as pptx_target:
                write_pptx(deck, pptx_target)
        publish(stage, final)
    return Output(
        folder=final,
        pdf=final / pdf_name(deck) if pdf else None,
        xlsx=final / xlsx_name(deck) if pdf else None,
        html=final / html_dir / "index.html",
        pages=pages,
        pdf_bytes=size,
        seconds=time.perf_counter() - started,
        pptx=final / pptx_file if pptx_file else None,
    )
