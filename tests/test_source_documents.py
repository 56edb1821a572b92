"""Issue 17: every figure names its document (title, date, URL from sources.yaml), not ``S1``.

The hover text, ``reportgen sources``, the CSV attached to the PDF and the xlsx data
pack all read the document a figure's source id names. The expected words are read
from ``data/iij/sources.yaml`` and the figure files here, never typed.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
import yaml
from openpyxl import load_workbook
from pypdf import PdfReader

from reportgen.data.load import Dataset
from tests.conftest import IIJ, BuiltDeck, catalogue_of
from tests.test_cli import run

# A word with an underscore is an internal key (revenue_recurring), never a reader's word.
_INTERNAL_KEY = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def figure_as_typed(item: str, period: str) -> str:
    """The value of ``item`` as the figures file for ``period`` types it (``8,396``)."""
    with (IIJ / "figures" / f"{period}.csv").open(encoding="utf-8") as handle:
        (value,) = [r["value"] for r in csv.DictReader(handle) if r["item"] == item]
    return value


def source_document(item: str, period: str) -> dict[str, str]:
    """The document sources.yaml names for ``item`` as the figure file for ``period`` stores it."""
    with (IIJ / "figures" / f"{period}.csv").open(encoding="utf-8") as handle:
        (source,) = [r["source"] for r in csv.DictReader(handle) if r["item"] == item]
    entry = yaml.safe_load((IIJ / "sources.yaml").read_text(encoding="utf-8"))[source]
    return {"title": entry["title"], "date": entry["date"].isoformat(), "url": entry["url"]}


class _Titles(HTMLParser):
    """What every hover of the preview says, unescaped: each element's ``title`` (figure
    spans, table cells, chart value hotspots) and ``aria-label``; ``hotspots`` counts
    the chart values' hotspots among them."""

    def __init__(self) -> None:
        super().__init__()
        self.titles: list[str] = []
        self.hotspots = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.titles += [v for k, v in attrs if k in ("title", "aria-label") and v]
        self.hotspots += any(k == "class" and "hotspot " in (v or "") for k, v in attrs)


@pytest.fixture(scope="module")
def titles(iij_1q08: BuiltDeck) -> list[str]:
    parser = _Titles()
    parser.feed(iij_1q08.html)
    # The chart values hover too: the scan covers them.
    assert parser.hotspots > 0
    return parser.titles


def test_hover_names_the_document_by_title_and_date(titles: list[str]) -> None:
    doc = source_document("revenue", "1Q08")
    label = f"{catalogue_of(IIJ).label('revenue')}, 1Q08"
    revenue = [t for t in titles if t.startswith(f"{label} ·")]
    assert revenue, f"no figure hover starts with {label!r}"
    for title in revenue:
        assert "published" in title
        assert f"Source: {doc['title']}, {doc['date']}" in title


def test_hover_uses_labels_not_internal_keys(titles: list[str]) -> None:
    assert titles
    assert not any("revenue_recurring" in t for t in titles)
    keys = sorted({m for t in titles for m in _INTERNAL_KEY.findall(t)})
    assert not keys, keys
    # Nor a source id (S1) standing for its document.
    assert not any(re.search(r"\bS[0-9]+\b", t) for t in titles)


def test_derived_figures_name_the_documents_of_all_inputs(iij: Dataset) -> None:
    """2Q07 = 1H07 − 1Q07: both documents, each once, and the formula in periods."""
    fig = iij.figures.get("revenue", "2Q07")
    assert fig.status == "derived"
    half, first = source_document("revenue", "1H07"), source_document("revenue", "1Q07")
    assert half["title"] != first["title"]
    assert [d.title for d in fig.documents] == [half["title"], first["title"]]
    hover = fig.provenance
    assert hover.startswith(f"{catalogue_of(IIJ).label('revenue')}, 2Q07 · derived: 2Q07 = 1H07 (")
    assert f"{half['title']}, {half['date']}" in hover
    assert f"{first['title']}, {first['date']}" in hover


def test_sources_command_prints_document_titles() -> None:
    doc = source_document("revenue", "1Q08")
    code, out, _ = run("-q", "sources", "--quarter", "1Q08", "--data", str(IIJ))
    assert code == 0
    (line,) = [x for x in out.splitlines() if x.startswith("1 | Total Revenues | 1Q08")]
    assert f"{doc['title']}, {doc['date']}" in line
    assert "revenue_recurring" not in out


def _revenue_1q08(rows: list[dict[str, object]]) -> dict[str, object]:
    (row,) = [
        r
        for r in rows
        if str(r["slide"]) == "1"
        and r["row"] == catalogue_of(IIJ).label("revenue")
        and str(r["column"]).startswith("1Q08")
    ]
    return row


def test_attached_csv_has_the_document_columns(iij_1q08: BuiltDeck) -> None:
    assert iij_1q08.result.output.pdf is not None
    reader = PdfReader(iij_1q08.result.output.pdf)
    (name,) = [n for n in reader.attachments if n.endswith(".csv")]
    rows = list(csv.DictReader(io.StringIO(reader.attachments[name][0].decode("utf-8"))))
    row = _revenue_1q08(rows)  # type: ignore[arg-type]
    doc = source_document("revenue", "1Q08")
    assert row["source_title"] == doc["title"]
    assert row["source_date"] == doc["date"]
    assert row["source_url"] == doc["url"]
    # Every figure of a table has its document; chart values have none yet.
    tables = [r for r in rows if r["status"] in ("published", "seed", "derived")]
    assert tables
    assert all(r["source_title"] and r["source_date"] for r in tables)


def test_xlsx_lists_every_figure_with_itssource_document(iij_1q08: BuiltDeck) -> None:
    assert iij_1q08.result.output.xlsx is not None
    sheet = load_workbook(iij_1q08.result.output.xlsx)["Figures"]
    lines = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in lines[0]]
    for column in ("source_title", "source_date", "source_url"):
        assert column in header
    rows = [dict(zip(header, line, strict=True)) for line in lines[1:]]
    row = _revenue_1q08(rows)
    doc = source_document("revenue", "1Q08")
    assert (row["source_title"], row["source_date"], row["source_url"]) == (
        doc["title"],
        doc["date"],
        doc["url"],
    )
