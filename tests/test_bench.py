"""The benchmark's own logic (no timing is asserted) and the caches it relies on."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.report import KEEP, Row, _batch_table, _makespan, write_report
from reportgen.build import ValidatedData
from reportgen.charts.cache import ChartJob
from reportgen.charts.spec import ChartSpec, Series
from tests.conftest import IIJ


def test_ratio_is_to_the_floor_of_the_same_run() -> None:
    row = Row("deck", "warm", [2.0, 3.0, 10.0], reference=2.0)
    assert (row.median, row.ratio) == (3.0, 1.5)


def test_whole_decks_are_shared_out_largest_first() -> None:
    assert _makespan([1.0, 4.0, 1.0], 2) == 4.0
    assert _makespan([3.0, 3.0, 2.0, 2.0], 2) == 5.0
    assert _makespan([3.0, 2.0], 1) == 5.0


def test_batch_speed_up_is_bounded_by_the_largest_deck() -> None:
    # One deck of 4 s and two of 1 s, with 2 s of start and exit: at best
    # (2 + 6) / (2 + 4) on two workers, whatever the scheduling.
    batch = {"IIJ": {"jobs1": [8.0], "jobs2": [6.4], "decks": {"a": 4.0, "b": 1.0, "c": 1.0}}}
    row = _batch_table(batch)[2]
    assert row == "| IIJ | 3 | 8.00 | 6.40 | 1.25x | 1.33x | ≥ 1.6x | **no** |"


def test_report_keeps_the_history_section(tmp_path: Path) -> None:
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(f"# old table\n{KEEP}\n## History\nbefore: 5 s\n", encoding="utf-8")
    results = {
        "machine": {"CPUs": "2"},
        "reps": 1,
        "imports": {"pandas": [1.0]},
        "decks": {
            "IIJ 1Q08": {
                "phases": {
                    "stages": {"charts": 1.0},
                    "total": 2.0,
                    "peak_mb": 1,
                    "peak_child_mb": 1,
                }
            }
        },
    }
    write_report(path, results, [Row("IIJ 1Q08", "cold", [3.0], 2.0, "≤ 1.5", True)])
    text = path.read_text(encoding="utf-8")
    assert "| IIJ 1Q08 | cold | 3.00 | 3.00 | 3.00 | 1.50 | ≤ 1.5 | yes |" in text
    assert "# old table" not in text
    assert text.endswith(f"{KEEP}\n## History\nbefore: 5 s\n")


def test_validated_data_is_reused_until_a_file_changes(tmp_path: Path) -> None:
    data = tmp_path / "iij"
    shutil.copytree(IIJ, data)
    cache = ValidatedData()
    first = cache.get(data)
    assert cache.get(data) is first
    figures = data / "figures" / "1Q08.csv"
    figures.write_text(
        figures.read_text(encoding="utf-8").replace(
            "operating_income,411,", "operating_income,412,"
        ),
        encoding="utf-8",
    )
    second = cache.get(data)
    assert second is not first
    assert second[0].figures.get("operating_income", "1Q08").value == 412


def test_chart_job_gives_paths_before_the_files(tmp_path: Path) -> None:
    specs = [
        ChartSpec("bars", ("1Q08", "2Q08"), (Series(f"line {n}", (1.0, 2.0)),)) for n in range(2)
    ]
    job = ChartJob(specs, tmp_path)
    assert set(job.paths) == set(specs)
    paths = job.wait()
    assert all(path.read_bytes().startswith(b"<?xml") for path in paths.values())
    assert ChartJob(specs, tmp_path)._todo == []  # all cached now


def test_validated_data_is_reused_after_a_commentary_edit(tmp_path: Path) -> None:
    data = tmp_path / "iij"
    shutil.copytree(IIJ, data)
    cache = ValidatedData()
    first = cache.get(data)
    deck = data / "decks" / "1Q08.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert cache.get(data) is first  # deck files hold text: no figure to reload or check


def test_preview_bench_percentile_and_requests() -> None:
    from bench.preview_browser import p95, request_kind

    assert p95([0.1] * 19 + [9.0]) == 0.1  # 19 of 20 at most 0.1 s
    assert p95([0.3, 0.1, 0.2]) == 0.3  # with few repetitions: the largest
    assert request_kind("http://127.0.0.1:1/charts/ab.svg") == "charts"
    assert request_kind("http://127.0.0.1:1/fonts/Lato-Bold.ttf") == "fonts"
    assert request_kind("http://127.0.0.1:1/deck.css?v=12") == "stylesheets"
    assert request_kind("http://127.0.0.1:1/") == "page"


def test_preview_bench_keeps_only_the_charts_shown(tmp_path: Path) -> None:
    """Before a figure edit, the charts the edit will show are not in the cache."""
    from bench.preview_browser import forget_charts

    for name in ("shown.svg", "shown.marks.json", "other.svg", "other.marks.json"):
        (tmp_path / name).write_text("x")
    forget_charts(tmp_path, {"shown"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shown.marks.json", "shown.svg"]
