"""Deck → HTML (the preview) → PDF, written atomically into the output folder.

Nothing reaches the output folder until every step has succeeded: the build
happens in a staging folder beside it and is moved into place at the end, so
a failed build never leaves half a deck and never destroys the last good one.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from reportgen import __version__
from reportgen.charts.cache import ChartJob
from reportgen.errors import LayoutError, RenderError, SlideError
from reportgen.slides.base import Slide
from reportgen.slides.deck import Deck
from reportgen.slides.registry import SLIDE_KINDS

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = PROJECT_ROOT / "templates"
FONTS = PROJECT_ROOT / "fonts"
FONT_FILES = (
    "Lato-Regular.ttf",
    "Lato-Bold.ttf",
    "Lato-Italic.ttf",
    "Lato-Semibold.ttf",
    "IPAexGothic.ttf",
)
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
    return jinja_environment(templates)


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
        return env.get_template("deck.html").render(
            deck=deck,
            company=company,
            lang=deck.messages.language,
            t=deck.messages,
            templates={kind: k.template for kind, k in SLIDE_KINDS.items()},
            generator=f"reportgen {__version__}",
            csp=CSP_META,
            created=deck.spec.release_date.isoformat() + "T00:00:00+00:00",
        )
    except TemplateError as exc:
        raise SlideError(
            f"{template_location(exc, templates)}: {exc.message} ({deck.quarter.name})"
        ) from None


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


@contextmanager
def staging(out_root: Path, name: str) -> Iterator[Path]:
    """A private folder beside the output, removed whatever happens."""
    try:
        out_root.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=out_root))
    except OSError as exc:
        raise RenderError(
            f"{out_root}: cannot write to the output folder ({exc.strerror})"
        ) from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def with_chart_sources(deck: Deck, paths: dict[object, Path]) -> Deck:
    # A chart with no data at all is not drawn: its slide shows a "not disclosed" panel.
    slides = tuple(
        replace(
            s,
            charts=tuple(
                replace(c, src=f"charts/{paths[c.spec].name}") if c.spec in paths else c
                for c in s.charts
            ),
        )
        for s in deck.slides
    )
    return replace(deck, slides=slides)


def write_preview(
    deck: Deck, html: str, chart_paths: dict[object, Path], folder: Path, templates: Path
) -> Path:
    """Write the HTML deck with its CSS, fonts and charts beside it: openable from disk."""
    (folder / "charts").mkdir(parents=True)
    (folder / "fonts").mkdir()
    for path in set(chart_paths.values()):
        _link_or_copy(path, folder / "charts" / path.name)
    for name in FONT_FILES:
        _link_or_copy(FONTS / name, folder / "fonts" / name)
    (folder / "deck.css").write_text(stylesheet(templates), encoding="utf-8")
    index = folder / "index.html"
    index.write_text(html, encoding="utf-8")
    return index


def _link_or_copy(source: Path, target: Path) -> None:
    # A hard link costs nothing, where copying the fonts (9 MB) on every preview
    # rebuild does. Neither the fonts nor a cached chart is ever changed in place
    # (charts are replaced whole), so sharing the file is safe. Another file system
    # cannot link: copy then.
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def stylesheet(templates: Path) -> str:
    """The deck's CSS: every ``templates/css/*.css`` in name order, one file per concern."""
    parts = sorted((templates / "css").glob("*.css"))
    return "\n".join(f"/* {p.name} */\n{p.read_text(encoding='utf-8')}" for p in parts)


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


def write_pdf(deck: Deck, index: Path, target: Path, roots: list[Path]) -> int:
    """Lay out the deck, check one page per slide, then write the PDF."""
    from weasyprint import HTML  # imported here: it is the slowest import of the build

    from reportgen import pdf
    from reportgen.datapack import figures_csv
    from reportgen.fetch import ProjectFetcher

    fetcher = ProjectFetcher(roots)
    document = HTML(filename=str(index), url_fetcher=fetcher).render()
    if fetcher.refused:
        raise RenderError(
            f"{deck.quarter.name}: the deck refers to {fetcher.refused[0]}, outside the project; "
            "only the project's own files may be used"
        )
    if len(document.pages) != len(deck.slides):
        slide = _overflowing(deck, document.pages)
        which = f"slide {slide.number or slide.kind} ({slide.title})" if slide else "a slide"
        raise LayoutError(
            f"{deck.quarter.name}: {which} does not fit on one page "
            f"({len(document.pages)} pages for {len(deck.slides)} slides); shorten its content"
        )
    data = pdf.DataFile(
        name=figures_name(deck),
        content=figures_csv(deck),
        description=deck.messages("deck.attachment", title=deck.title),
    )
    created = datetime.combine(deck.spec.release_date, datetime.min.time(), tzinfo=UTC)
    pdf.write(document, target, labels=page_labels(deck), attachments=[data], created=created)
    return len(document.pages)


def publish(staged: Path, final: Path) -> None:
    """Move a staged file or folder into place, replacing the old one only at the end."""
    if staged.is_dir():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        if final.exists():
            os.replace(final, old)
        os.replace(staged, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staged, final)


def render_deck(
    deck: Deck,
    out_root: Path,
    *,
    pdf: bool = True,
    templates: Path = TEMPLATES,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] = lambda stage: None,
) -> Output:
    """Draw charts, write the preview and the PDF for ``deck`` under ``out_root/<quarter>``.

    ``progress`` is told the name of each stage as it starts.
    """
    try:
        return _render_deck(deck, out_root, pdf, templates, cache_dir, progress)
    except OSError as exc:
        # Any write that fails (full disk, a file where a folder should be) ends
        # the build cleanly; the staging folder is gone and the old deck is intact.
        raise RenderError(
            f"{out_root / deck.quarter.name}: cannot write the deck "
            f"({exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''})"
        ) from None


def _render_deck(
    deck: Deck,
    out_root: Path,
    pdf: bool,
    templates: Path,
    cache_dir: Path | None,
    progress: Callable[[str], None],
) -> Output:
    started = time.perf_counter()
    progress("charts")
    specs = [c.spec for s in deck.slides for c in s.charts if not c.spec.empty]
    charts = ChartJob(specs, cache_dir or out_root / ".cache" / "charts")
    if pdf:
        # WeasyPrint is the slowest import of a build: it runs here while worker
        # processes draw the charts, instead of after them.
        import weasyprint  # noqa: F401
    deck = with_chart_sources(deck, charts.paths)
    progress("html")
    html = render_html(deck, templates)
    chart_paths = charts.wait()
    final = out_root / deck.quarter.name
    with staging(out_root, deck.quarter.name) as stage:
        html_dir = html_folder(deck)
        index = write_preview(deck, html, chart_paths, stage / html_dir, templates)
        pages, size, staged = 0, 0, []
        if pdf:
            from reportgen.datapack import write_xlsx

            progress("pdf")
            pdf_target = stage / pdf_name(deck)
            pages = write_pdf(deck, index, pdf_target, [stage, PROJECT_ROOT])
            size = pdf_target.stat().st_size
            write_xlsx(deck, stage / xlsx_name(deck))
            staged = [pdf_target, stage / xlsx_name(deck)]
        final.mkdir(parents=True, exist_ok=True)
        for path in staged:
            publish(path, final / path.name)
        publish(stage / html_dir, final / html_dir)
    return Output(
        folder=final,
        pdf=final / pdf_name(deck) if pdf else None,
        xlsx=final / xlsx_name(deck) if pdf else None,
        html=final / html_dir / "index.html",
        pages=pages,
        pdf_bytes=size,
        seconds=time.perf_counter() - started,
    )
