"""The benchmark's own logic (no timing is asserted) and the caches it relies on."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.report import (
    KEEP,
    TOGETHER,
    Row,
    _batch_table,
    _makespan,
    _new_process_table,
    _scale_table,
    write_report,
)
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


def test_batch_goal_sums_both_companies_batches() -> None:
    """Issue 21's batch goal: the IIJ and Example batches together, 1 process over 2."""
    iij, example = TOGETHER
    batch = {
        iij: {"jobs1": [10.0], "jobs2": [6.0], "decks": {"a": 4.0, "b": 4.0}},
        example: {"jobs1": [8.0], "jobs2": [4.0], "decks": {"c": 3.0, "d": 3.0}},
    }
    together = _batch_table(batch)[4]
    assert together.startswith("| IIJ and Example together")
    assert "| 4 | 18.00 | 10.00 | 1.80x | | ≥ 1.8x | yes |" in together


def _runs(*times: float, mib: float = 100.0) -> dict[str, list[float]]:
    return {"times": list(times), "peak_mib": [mib] * len(times)}


def test_new_process_ratios_are_to_the_weasyprint_command_line() -> None:
    decks = {
        "IIJ 1Q08": {
            "new_process": {
                "floor": _runs(2.0, 2.0, 9.0),
                "warm": _runs(2.0, 2.2, 2.4, mib=130),
                "cold": _runs(2.6, 2.6, 2.6),
                "warm_in_process": _runs(3.0),
            }
        }
    }
    rows = _new_process_table(decks)[2:6]
    assert "| 2.20 | 2.40 | 1.10 | 130 | ≤ 1.0 x floor | **no** |" in rows[1]
    assert "| 1.30 | 100 | ≤ 1.3 x floor | yes |" in rows[2]
    assert rows[3].endswith("| 1.50 | 100 |  |  |")


def test_scale_reports_growth_per_added_slide() -> None:
    scale = {
        "22": {"cold": _runs(3.0, mib=120), "warm": _runs(2.2, mib=120), "floor": _runs(2.0)},
        "88": {"cold": _runs(9.0, mib=220), "warm": _runs(8.8, mib=219), "floor": _runs(8.0)},
    }
    lines = _scale_table(scale)
    assert lines[2].endswith("| peak RSS ≤ 300 MiB: yes |")
    assert "22 → 88 slides: warm build 100 ms, floor 91 ms, peak RSS 1.50 MiB" in lines[-1]


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
