"""A quarter added by an analyst, the batch build, and where a period view fits.

IIJ's own decks of other quarters are checked in ``test_iij_decks.py``.
"""

from __future__ import annotations

import io
import queue
import shutil
from pathlib import Path

import pytest

from reportgen import batch
from reportgen.batch import build_all
from reportgen.cli import main
from reportgen.data.load import load_dataset
from reportgen.errors import QuarterError
from reportgen.quarters import Quarter
from reportgen.slides.deck import load_deck_spec
from tests.conftest import ROOT, build_and_read

EXAMPLE = ROOT / "data" / "examples" / "fictional"


def test_an_added_quarter_builds(tmp_path: Path) -> None:
    data = tmp_path / "fictional"
    shutil.copytree(EXAMPLE, data)
    # Back to the day the 2Q25 figures arrived: no deck yet, then one copied from 1Q25
    # with a new title and date, as the README's "Adding a quarter" says.
    (data / "decks" / "2Q25.yaml").unlink()
    with pytest.raises(QuarterError, match="2Q25: no deck file"):
        load_deck_spec(load_dataset(data), Quarter.parse("2Q25"))
    source = (data / "decks" / "1Q25.yaml").read_text()
    (data / "decks" / "2Q25.yaml").write_text(
        source.replace("1st Quarter FY2025", "2nd Quarter FY2025").replace(
            "release_date: 2025-08-12", "release_date: 2025-11-12"
        )
    )
    deck = build_and_read(data, "2Q25", tmp_path / "out")
    assert len(deck.pages) == len(
        load_deck_spec(deck.result.deck.dataset, deck.result.deck.quarter).slides
    )
    assert "2nd Quarter FY2025" in deck.pages[0]
    assert "2Q25 (25/7 ~ 25/9)" in deck.page("statement")
    assert "2Q24 (24/7 ~ 24/9)" in deck.page("statement")


def test_batch_reports_a_broken_quarter_and_builds_the_others(
    tmp_path: Path, data_copy: Path
) -> None:
    broken = data_copy / "decks" / "2Q08.yaml"
    broken.write_text(broken.read_text().replace("kind: forecast", "kind: forcast"))
    outcomes = build_all(data_copy, tmp_path / "out", workers=2)
    by_quarter = {o.quarter: o for o in outcomes}
    assert sorted(by_quarter) == ["1Q08", "2Q08", "3Q08", "4Q07"]
    assert not by_quarter["2Q08"].ok
    assert "unknown kind 'forcast'" in by_quarter["2Q08"].error
    assert by_quarter["2Q08"].input_error
    for name in ("1Q08", "3Q08", "4Q07"):
        assert by_quarter[name].ok
        assert by_quarter[name].pages > 0
        assert (tmp_path / "out" / name / f"IIJ-{name}-results-en.pdf").is_file()


def test_batch_cli_exit_code_and_summary(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "decks" / "2Q08.yaml").write_text("title: [broken\n")
    out, err = io.StringIO(), io.StringIO()
    # The summary and the exit code are what is read: HTML-only builds give the same
    # (a batch's PDFs: test_batch_reports_a_broken_quarter_and_builds_the_others, and
    # the command line's: test_retailer's report-all).
    code = main(
        ["build", "--all", "--no-pdf", "--data", str(data_copy), "--out", str(tmp_path)],
        stdout=out,
        stderr=err,
    )
    assert code == 2
    summary = out.getvalue()
    assert "FAILED" in summary
    assert "YAML syntax error" in summary
    assert summary.count(" ok ") == 3


def test_period_summary_refuses_a_first_quarter_deck(tmp_path: Path, data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    deck.write_text(
        deck.read_text().replace(
            "  - kind: cover\n", "  - kind: cover\n\n  - kind: period_summary\n", 1
        )
    )
    code = main(
        ["build", "--quarter", "1Q08", "--data", str(data_copy), "--out", str(tmp_path)],
        stdout=io.StringIO(),
        stderr=(err := io.StringIO()),
    )
    assert code == 2
    assert (
        "a period summary fits a 2Q deck (first half), a 3Q deck (nine months) "
        "or a 4Q deck (full year) only" in err.getvalue()
    )


def test_a_batch_deck_reports_each_stage_on_its_workers_queue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker's stages reach the progress bar through the queue it was started with."""
    stages: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
    monkeypatch.setattr(batch, "_stages", stages)
    outcome = batch.build_one(ROOT / "data" / "iij", "4Q07 ja", tmp_path, "ja", pdf=False)
    assert outcome.ok, outcome.error
    reported = []
    while not stages.empty():
        reported.append(stages.get())
    assert reported == [("4Q07 ja", stage) for stage in ("data", "charts", "html", "done")]
