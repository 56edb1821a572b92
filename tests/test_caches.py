"""Caches are verified before use, and a resource that fails to load fails the build.

A damaged chart cache entry is drawn again (the deck is the same as from a cold
cache); a chart, font or stylesheet that WeasyPrint cannot use after that check
ends the build with exit 1, naming the slide, and the last good deck stays.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from reportgen import render
from reportgen.charts import cache
from reportgen.charts.spec import ChartSpec
from reportgen.cli import main
from reportgen.slides.base import Slide
from reportgen.slides.deck import Deck
from tests.conftest import IIJ, BuiltDeck

# These tests are about where a build keeps its charts and how it draws them.
pytestmark = pytest.mark.usefixtures("own_chart_cache")


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    code = main(list(argv), stdout=io.StringIO(), stderr=err)
    return code, err.getvalue()


def build_1q08(out: Path) -> tuple[int, str]:
    return run("-q", "build", "--quarter", "1Q08", "--data", str(IIJ), "--out", str(out))


@pytest.fixture
def out(iij_1q08: BuiltDeck, tmp_path: Path) -> Path:
    """A private copy of the good 1Q08 output folder (deck and filled chart cache), to damage."""
    return iij_1q08.copied_to(tmp_path / "out").out_root


def pdf_of(out: Path) -> Path:
    return out / "1Q08" / "IIJ-1Q08-results-en.pdf"


def test_damaged_chart_cache_entries_are_drawn_again(out: Path, tmp_path: Path) -> None:
    entries = sorted((out / ".cache" / "charts").glob("*.svg"))
    good = {path.name: path.read_bytes() for path in entries}
    deck = pdf_of(out).read_bytes()
    truncated, swapped, edited, folder, linked, empty, fifo = entries[:7]
    truncated.write_bytes(good[truncated.name][: len(good[truncated.name]) // 2])
    swapped.write_bytes(good[entries[8].name])  # another chart's drawing, seal and all
    edited.write_bytes(good[edited.name].replace(b"<svg ", b'<svg opacity="0.1" ', 1))
    folder.unlink()
    folder.mkdir()
    outside = tmp_path / "outside.svg"
    outside.write_bytes(good[entries[7].name])
    linked.unlink()
    linked.symlink_to(outside)
    empty.write_bytes(b"")
    fifo.unlink()
    os.mkfifo(fifo)

    code, err = build_1q08(out)

    assert code == 0, err
    # Every chart is drawn again as it was: the deck is byte for byte the good one.
    assert pdf_of(out).read_bytes() == deck
    for path in entries:
        assert not path.is_symlink()
        assert path.read_bytes() == good[path.name]
    assert err.count("drawing it again") == 7
    assert outside.read_bytes() == good[entries[7].name]


def test_a_chart_cache_that_cannot_be_used_draws_for_this_build(out: Path) -> None:
    deck = pdf_of(out).read_bytes()
    cache = out / ".cache" / "charts"
    shutil.rmtree(cache)
    cache.write_text("a file where the chart cache should be", encoding="utf-8")

    code, err = build_1q08(out)

    assert code == 0, err
    assert pdf_of(out).read_bytes() == deck
    assert "drawing every chart for this build only" in err
    assert all(
        chart.stat().st_size > 1000 for chart in (out / "1Q08" / "html" / "charts").iterdir()
    )


def test_a_shared_chart_cache_serves_every_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``$REPORTGEN_CHART_CACHE``: the second output folder's build draws nothing."""
    shared = tmp_path / "shared"
    monkeypatch.setenv(cache.SHARED_CACHE_VARIABLE, str(shared))
    builds = [
        run("build", "--quarter", "1Q08", "--data", str(IIJ), "--out", str(out), "--no-pdf")
        for out in (tmp_path / "a", tmp_path / "b")
    ]

    assert [code for code, _ in builds] == [0, 0], builds
    entries = sorted(p.name for p in shared.glob("*.svg"))
    assert entries
    assert f"charts: {len(entries)} drawn, 0 from cache" in builds[0][1]
    assert f"charts: 0 drawn, {len(entries)} from cache" in builds[1][1]
    for out in (tmp_path / "a", tmp_path / "b"):
        assert not (out / ".cache" / "charts").exists()
        assert sorted(p.name for p in (out / "1Q08" / "html" / "charts").glob("*.svg")) == entries


Damage = Callable[[Deck, Path], str]


def drawn_charts(deck: Deck) -> list[tuple[Slide, str]]:
    """Each drawn chart's slide and file, in slide order."""
    return [(s, c.src) for s in deck.slides for c in s.charts if c.src]


def truncate_chart(deck: Deck, html: Path) -> str:
    slide, src = drawn_charts(deck)[0]
    data = (html / src).read_bytes()
    (html / src).unlink()  # a hard link to the cache entry: leave the entry alone
    (html / src).write_bytes(data[: len(data) // 2])
    return f"slide {slide.number} ({slide.title}): {src} could not be loaded"


def delete_chart(deck: Deck, html: Path) -> str:
    slide, src = drawn_charts(deck)[-1]
    (html / src).unlink()
    return f"slide {slide.number} ({slide.title}): {src} could not be loaded (no such file"


def fifo_chart(deck: Deck, html: Path) -> str:
    slide, src = drawn_charts(deck)[1]
    (html / src).unlink()
    os.mkfifo(html / src)  # reading it would block the build for ever
    return f"slide {slide.number} ({slide.title}): {src} could not be loaded (not a regular file)"


def damage_font(deck: Deck, html: Path) -> str:
    font = html / "fonts" / "Lato-Bold.ttf"
    data = font.read_bytes()
    font.unlink()
    font.write_bytes(data[:1000])
    return "every slide: font 'Lato' could not be loaded"


def delete_stylesheet(deck: Deck, html: Path) -> str:
    (html / "deck.css").unlink()
    return "every slide: deck.css could not be loaded (no such file or directory)"


@pytest.mark.parametrize(
    "damage",
    [truncate_chart, delete_chart, fifo_chart, damage_font, delete_stylesheet],
    ids=["truncated-chart", "deleted-chart", "fifo-chart", "damaged-font", "deleted-stylesheet"],
)
def test_a_resource_that_fails_to_load_fails_the_build(
    out: Path, monkeypatch: pytest.MonkeyPatch, damage: Damage
) -> None:
    good = pdf_of(out).read_bytes()
    expected: list[str] = []
    write_preview = render.write_preview

    def damaged_preview(deck: Deck, *args: object, **kwargs: object) -> Path:
        # After the chart cache's check, before WeasyPrint reads the files.
        index = write_preview(deck, *args, **kwargs)  # type: ignore[arg-type]
        expected.append(damage(deck, index.parent))
        return index

    monkeypatch.setattr(render, "write_preview", damaged_preview)
    code, err = build_1q08(out)

    assert code == 1
    (error,) = [line for line in err.splitlines() if line.startswith("error:")]
    assert error.startswith(f"error: 1Q08: {expected[0]}")
    assert error.endswith("; no deck was written")
    assert pdf_of(out).read_bytes() == good
    assert not list(out.glob(".1Q08-*"))


def test_chart_names_follow_the_chart_code_not_its_file_times() -> None:
    """Two checkouts of one commit name their charts alike (byte-identical HTML).

    The chart cache's salt covers the chart code; it reads the code's bytes, so a
    fresh clone, whose files all have new times, still finds the same names.
    """
    from reportgen.charts import cache

    code = Path(cache.__file__).with_name("draw.py")
    before = cache._salt()
    times = code.stat()
    try:
        os.utime(code, ns=(times.st_atime_ns, times.st_mtime_ns + 10**9))
        assert cache._salt() == before
    finally:
        os.utime(code, ns=(times.st_atime_ns, times.st_mtime_ns))


class _DiesOnce:
    """A drawing pool whose first drawing process dies, as a killed one would."""

    def __init__(self) -> None:
        self.asked = 0

    def submit(self, spec: ChartSpec, target: Path) -> Future[Path]:
        self.asked += 1
        future: Future[Path] = Future()
        if self.asked == 1:
            future.set_exception(BrokenProcessPool("a drawing process was killed"))
        else:
            future.set_result(cache._draw_to(spec, target))
        return future


def test_a_chart_whose_drawing_process_died_is_drawn_again(
    iij_1q08: BuiltDeck, tmp_path: Path
) -> None:
    spec = next(c.spec for s in iij_1q08.slides for c in s.charts if not c.spec.empty)
    pool = _DiesOnce()
    paths = cache.ChartJob([spec], tmp_path, drawing=pool).wait()  # type: ignore[arg-type]
    assert pool.asked == 2
    assert cache.damage(paths[spec]) is None


def test_an_edited_template_is_compiled_again_by_a_new_process(
    iij_1q08: BuiltDeck, tmp_path: Path
) -> None:
    """Compiled templates are kept between processes, and never used once their file changed."""
    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES, templates)
    deck = iij_1q08.result.deck
    assert "zq-marker" not in render.render_html(deck, templates)
    slide = templates / "slide.html"
    slide.write_text("<!-- zq-marker -->\n" + slide.read_text(encoding="utf-8"), encoding="utf-8")
    render._deck_environment.cache_clear()  # as a new process starts
    assert "zq-marker" in render.render_html(deck, templates)


@pytest.mark.parametrize(
    "damage",
    ["empty", "header only", "garbage", "flipped code", "a folder", "a file for the folder"],
)
def test_damaged_compiled_templates_are_compiled_again(
    iij_1q08: BuiltDeck, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """Jinja's bytecode cache: whatever is in it, the deck's HTML is the same."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    deck = iij_1q08.result.deck
    render._deck_environment.cache_clear()
    expected = render.render_html(deck, render.TEMPLATES)
    folder = tmp_path / f"_jinja2-cache-{os.getuid()}"
    files = sorted(folder.glob("*.cache"))
    assert files, "no compiled template was kept"
    for path in files:
        data = path.read_bytes()
        if damage == "empty":
            path.write_bytes(b"")
        elif damage == "header only":
            path.write_bytes(data[:12])
        elif damage == "garbage":
            path.write_bytes(os.urandom(len(data)))
        elif damage == "flipped code":
            path.write_bytes(data[:60] + bytes(b ^ 0x5A for b in data[60:]))
        else:
            path.unlink()
            path.mkdir()
    if damage == "a file for the folder":
        shutil.rmtree(folder)
        folder.write_bytes(b"")  # Jinja refuses a cache folder that is not its own folder
    render._deck_environment.cache_clear()  # as a new process starts
    try:
        assert render.render_html(deck, render.TEMPLATES) == expected
    finally:
        render._deck_environment.cache_clear()
