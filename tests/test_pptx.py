"""The PowerPoint edition: the PDF's slides, titles and figures, as native tables and charts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.shapes import MSO_SHAPE_TYPE

from reportgen.build import BuildResult
from reportgen.charts.labels import SCALE
from reportgen.cli import main
from reportgen.pptx.bridge import BridgeColumns, bridge_columns
from reportgen.pptx.deck import write_pptx
from tests.conftest import EXAMPLE, IIJ, DeckShelf, pdf_pages
from tests.test_japanese import EN_NAMES, JA_NAMES, NUMBER

DECKS = {
    "iij-en": (IIJ, "1Q08", "en"),
    "iij-ja": (IIJ, "1Q08", "ja"),
    "fictional-en": (EXAMPLE, "1Q25", "en"),
    "fictional-ja": (EXAMPLE, "1Q25", "ja"),
}


@pytest.fixture(scope="module")
def built(shelf: DeckShelf) -> dict[str, BuildResult]:
    """Each deck built once for the run (conftest's shelf), PDF and PowerPoint side by side."""
    decks = shelf.get_many(DECKS.values(), pptx=True)
    return {name: deck.result for name, deck in zip(DECKS, decks, strict=True)}


def _pptx(result: BuildResult) -> Path:
    assert result.output.pptx is not None
    return result.output.pptx


def test_file_is_named_beside_the_pdf(built: dict[str, BuildResult]) -> None:
    en, ja = _pptx(built["iij-en"]), _pptx(built["iij-ja"])
    assert en.name == "IIJ-1Q08-results-en.pptx"
    assert ja.name == "IIJ-1Q08-results-ja.pptx"
    assert en.parent == built["iij-en"].output.pdf.parent  # type: ignore[union-attr]
    assert en.is_file()
    assert ja.is_file()


@pytest.mark.parametrize("name", list(DECKS))
def test_one_16_9_slide_per_page_with_the_pdf_titles(
    built: dict[str, BuildResult], name: str
) -> None:
    result = built[name]
    presentation = Presentation(str(_pptx(result)))
    pages = pdf_pages(result.output.pdf)  # type: ignore[arg-type]
    assert len(presentation.slides) == len(pages) == len(result.deck.slides)
    assert presentation.slide_width * 9 == presentation.slide_height * 16
    for slide, built_slide, page in zip(
        presentation.slides, result.deck.slides, pages, strict=True
    ):
        shapes = {s.name: s for s in slide.shapes}
        if built_slide.kind == "cover":
            continue
        title = shapes["Title"].text_frame.text
        assert title == built_slide.title
        # The PDF prints the same title (line wraps folded to spaces).
        assert "".join(title.split()) in "".join(page.split())
        if built_slide.number:
            assert shapes["Slide number"].text_frame.text == built_slide.number


def _chart_texts(chart_xml: bytes) -> list[str]:
    """What a chart shows: its labels' texts, and each value as the tables print numbers."""
    root = etree.fromstring(chart_xml)
    texts = [t.text or "" for t in root.iter("{*}t")]
    for cache in root.iter("{*}numCache"):
        fmt = cache.find("{*}formatCode")
        code = fmt.text if fmt is not None and fmt.text else ""
        for v in cache.iter("{*}v"):
            value = float(v.text or "nan")
            if "%" in code:
                value *= 100
            for places in (0, 1):
                body = f"{abs(value):,.{places}f}"
                texts.append(f"({body})" if value < 0 else body)
    return texts


def _slide_texts(path: Path) -> list[str]:
    """Each slide's text: text frames, table cells, and chart labels and values."""
    out = []
    presentation = Presentation(str(path))
    for slide in presentation.slides:
        texts: list[str] = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            elif shape.has_table:
                texts += [c.text for row in shape.table.rows for c in row.cells]
            elif shape.has_chart:
                texts += _chart_texts(shape.chart.part.blob)
        out.append("\n".join(texts))
    return out


def _figures(text: str, names: tuple[str, ...], skip_round: bool) -> Counter[str]:
    """Signed digits of every number in ``text`` (period names left out)."""
    for pattern in names:
        text = re.sub(pattern, " ", text)
    found: Counter[str] = Counter()
    for sign, number in NUMBER.findall(text):
        digits = number.replace(",", "")
        if skip_round and "." not in digits and int(digits) % 50 == 0:
            # An axis tick (steps of 50, 250, 500...): the PDF's depend on the plot's
            # height, PowerPoint draws its own; figures are labels, checked here.
            continue
        found[("-" if sign else "") + digits] += 1
    return found


@pytest.mark.parametrize("name", list(DECKS))
def test_every_figure_of_a_pdf_page_is_on_its_powerpoint_slide(
    built: dict[str, BuildResult], name: str
) -> None:
    result = built[name]
    names = JA_NAMES if name.endswith("-ja") else EN_NAMES
    pages = pdf_pages(result.output.pdf)  # type: ignore[arg-type]
    slides = _slide_texts(_pptx(result))
    for number, (page, slide, built_slide) in enumerate(
        zip(pages, slides, result.deck.slides, strict=True), start=1
    ):
        charts = bool(built_slide.charts)
        in_pdf = _figures(page, names, charts)
        in_pptx = _figures(" ".join(slide.split()), names, skip_round=False)
        missing = sorted(set(in_pdf) - set(in_pptx))
        assert not missing, f"{name} page {number} ({built_slide.title}): {missing}"


@pytest.mark.parametrize("name", ["iij-en", "fictional-en", "fictional-ja"])
def test_charts_are_native_charts_holding_the_model_values(
    built: dict[str, BuildResult], name: str
) -> None:
    result = built[name]
    presentation = Presentation(str(_pptx(result)))
    drawn = 0
    for slide, built_slide in zip(presentation.slides, result.deck.slides, strict=True):
        assert all(s.shape_type != MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)
        shapes = {s.name: s for s in slide.shapes}
        for index, chart in enumerate(built_slide.charts, start=1):
            shape = shapes[f"Chart {index}"]
            if chart.spec.empty:
                assert not shape.has_chart  # the "not available" panel, as in the PDF
                continue
            assert shape.has_chart
            drawn += 1
            series = {s.name: s for plot in shape.chart.plots for s in plot.series}
            if chart.spec.kind == "waterfall":
                values = [tuple(s.values) for s in shape.chart.plots[0].series]
                columns = bridge_columns(chart.spec)
                stacked = dict(zip(columns.values, values, strict=True))
                assert BridgeColumns(stacked).step_values() == pytest.approx(
                    [value for _, value, _ in chart.spec.steps]
                )
                continue
            for spec_series in chart.spec.series:
                scale = SCALE.get(spec_series.unit, 1.0)
                expected = [None if v is None else v * scale for v in spec_series.values]
                shown = list(series[spec_series.label].values)
                assert shown == pytest.approx(expected), spec_series.label
    assert drawn >= 8


def test_ratio_lines_sit_on_a_second_value_axis(built: dict[str, BuildResult]) -> None:
    """Slide 5 (operating and net income): bars, and the margin line on a right-hand axis."""
    result = built["fictional-en"]
    presentation = Presentation(str(_pptx(result)))
    index = [s.kind for s in result.deck.slides].index("margin")
    shape = next(s for s in presentation.slides[index].shapes if s.name == "Chart 1")
    xml = shape.chart.part.blob.decode()
    assert "<c:barChart>" in xml
    assert "<c:lineChart>" in xml
    assert xml.count("<c:valAx>") == 2
    assert '<c:axPos val="r"/>' in xml
    assert '<c:crosses val="max"/>' in xml


def test_two_builds_are_byte_identical_with_dated_workbooks(
    built: dict[str, BuildResult], tmp_path: Path
) -> None:
    deck = built["iij-en"].deck
    first, second = tmp_path / "a.pptx", tmp_path / "b.pptx"
    write_pptx(deck, first)
    write_pptx(deck, second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == _pptx(built["iij-en"]).read_bytes()
    release = deck.spec.release_date
    stamp = (release.year, release.month, release.day, 0, 0, 0)
    package = zipfile.ZipFile(first)
    workbooks = [n for n in package.namelist() if n.endswith(".xlsx")]
    assert workbooks
    assert {i.date_time for i in package.infolist()} == {stamp}
    for name in workbooks:
        book = zipfile.ZipFile(io.BytesIO(package.read(name)))
        assert {i.date_time for i in book.infolist()} == {stamp}
        core = book.read("docProps/core.xml").decode()
        assert f"{release.isoformat()}T00:00:00Z" in core
    core = package.read("docProps/core.xml").decode()
    assert f'<dcterms:created xsi:type="dcterms:W3CDTF">{release.isoformat()}' in core


def test_speaker_notes_name_the_documents_of_the_figures(built: dict[str, BuildResult]) -> None:
    sources = yaml.safe_load((IIJ / "sources.yaml").read_text(encoding="utf-8"))
    presentation = Presentation(str(_pptx(built["iij-en"])))
    notes = presentation.slides[1].notes_slide.notes_text_frame.text
    # Slide 1's 1Q08 figures come from the 1Q08 release (S1 in sources.yaml).
    assert sources["S1"]["title"] in notes
    assert "Total Revenues, 1Q08" in notes


def _edited(source: Path, target: Path, slide_kind: list[str]) -> tuple[str, str]:
    """A copy with one table cell and one chart value changed, as a user would in PowerPoint."""
    presentation = Presentation(str(source))
    table_slide = presentation.slides[slide_kind.index("statement")]
    table = next(s for s in table_slide.shapes if s.name == "Table 1").table
    cell = table.cell(1, 2)
    old_cell = cell.text
    cell.text_frame.paragraphs[0].runs[0].text = "99.9"
    chart_slide = presentation.slides[slide_kind.index("margin")]
    chart = next(s for s in chart_slide.shapes if s.name == "Chart 1").chart
    data = CategoryChartData()
    data.categories = list(chart.plots[0].categories)
    for number, plot in enumerate(chart.plots):
        for series in plot.series:
            values = list(series.values)
            if number == 0 and series.index == 0:
                values[-1] = (values[-1] or 0) + 1
            data.add_series(series.name, values)
    chart.replace_data(data)
    presentation.save(str(target))
    return old_cell, chart.plots[0].series[0].name


def test_verify_flags_an_edited_cell_and_chart_value(
    built: dict[str, BuildResult], tmp_path: Path
) -> None:
    result = built["iij-en"]
    original = _pptx(result)
    kinds = [s.kind for s in result.deck.slides]
    out, err = io.StringIO(), io.StringIO()
    args = ["verify", "--quarter", "1Q08", "--data", str(IIJ)]
    assert main([*args[:1], str(original), *args[1:]], out, err) == 0, err.getvalue()
    assert "difference" not in out.getvalue()
    edited = tmp_path / original.name
    old_cell, series = _edited(original, edited, kinds)
    out, err = io.StringIO(), io.StringIO()
    assert main([*args[:1], str(edited), *args[1:]], out, err) == 2
    lines = [line for line in out.getvalue().splitlines() if line.startswith("difference")]
    assert len(lines) == 2, out.getvalue()
    assert "slide 1, Table 1" in lines[0]
    assert "shown '99.9'" in lines[0]
    assert f"model {old_cell!r}" in lines[0]
    assert f"Chart 1, series {series!r}" in lines[1]


def test_verify_lists_changed_wording_as_information(
    built: dict[str, BuildResult], tmp_path: Path
) -> None:
    original = _pptx(built["iij-en"])
    presentation = Presentation(str(original))
    bullets = next(s for s in presentation.slides[1].shapes if s.name == "Bullets")
    run = bullets.text_frame.paragraphs[0].runs[0]
    run.text = run.text.replace("increased", "grew")
    edited = tmp_path / original.name
    presentation.save(str(edited))
    out, err = io.StringIO(), io.StringIO()
    assert main(["verify", str(edited), "--quarter", "1Q08"], out, err) == 0
    assert out.getvalue().startswith("wording: slide 1, Bullets, paragraph 1")


def test_verify_refuses_a_file_that_is_not_a_deck(tmp_path: Path) -> None:
    bogus = tmp_path / "x.pptx"
    bogus.write_text("not a zip", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["verify", str(bogus), "--quarter", "1Q08"], out, err) == 2
    assert err.getvalue().count("\n") == 1
    assert "x.pptx: not a PowerPoint file" in err.getvalue()


def test_libreoffice_opens_it_with_one_page_per_slide(
    built: dict[str, BuildResult], tmp_path: Path
) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-impress")
    source = _pptx(built["fictional-ja"])
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    pages = pdf_pages(tmp_path / source.with_suffix(".pdf").name)
    assert len(pages) == len(built["fictional-ja"].deck.slides)
