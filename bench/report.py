"""BENCHMARKS.md from one run's results: tables of min/median/max and ratios to the floor."""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Text below this line in an existing BENCHMARKS.md is kept: the history of changes.
# The batches whose sum issue 21's batch goal is about.
TOGETHER = ("IIJ, both editions (1Q08 also in Japanese)", "Example company, FY2025 (1Q25-4Q25)")
KEEP = "<!-- Everything below is kept by bench/run.py: the before/after history. -->"


@dataclass(frozen=True, slots=True)
class Row:
    """One measured figure, its repetitions and the floor it is compared with."""

    deck: str
    what: str
    times: list[float]
    reference: float
    target: str = ""
    met: bool | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def ratio(self) -> float:
        return self.median / self.reference


def _s(seconds: float) -> str:
    return f"{seconds:.2f}"


def _mark(met: bool | None) -> str:
    return "" if met is None else "yes" if met else "**no**"


def _main_table(rows: list[Row]) -> list[str]:
    lines = [
        "| deck | measurement | min s | median s | max s | x floor | target | met |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.deck} | {r.what} | {_s(min(r.times))} | {_s(r.median)} | {_s(max(r.times))} "
            f"| {r.ratio:.2f} | {r.target} | {_mark(r.met)} |"
        )
    return lines


def _imports_table(imports: dict[str, list[float]]) -> list[str]:
    lines = ["| import (new interpreter) | min s | median s | max s |", "|---|---:|---:|---:|"]
    for name, times in imports.items():
        lines.append(
            f"| {name} | {_s(min(times))} | {_s(statistics.median(times))} | {_s(max(times))} |"
        )
    return lines


def _phases_table(decks: dict[str, Any]) -> list[str]:
    labels = list(decks)
    lines = ["| phase (cold, in process) | " + " | ".join(f"{d} s" for d in labels) + " |"]
    lines.append("|---|" + "---:|" * len(labels))
    stages = list(next(iter(decks.values()))["phases"]["stages"])
    for stage in [*stages, "total"]:
        cells = []
        for d in labels:
            phases = decks[d]["phases"]
            cells.append(
                _s(phases["total"] if stage == "total" else phases["stages"].get(stage, 0))
            )
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    for key, name in (
        ("peak_mb", "peak memory, build process (MB)"),
        ("peak_child_mb", "peak memory, largest chart worker (MB)"),
    ):
        lines.append(
            f"| {name} | " + " | ".join(f"{decks[d]['phases'][key]:.0f}" for d in labels) + " |"
        )
    return lines


def _makespan(seconds: list[float], workers: int) -> float:
    """The longest worker's share when the largest decks go first (as ``build --all``)."""
    loads = [0.0] * workers
    for deck in sorted(seconds, reverse=True):
        loads[loads.index(min(loads))] += deck
    return max(loads)


def _batch_table(batch: dict[str, Any]) -> list[str]:
    lines = [
        "| batch (`reportgen build --all`) | decks | 1 process, median s "
        "| 2 processes, median s | speed-up | best possible with whole decks | target | met |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for label, runs in batch.items():
        serial = statistics.median(runs["jobs1"])
        parallel = statistics.median(runs["jobs2"])
        decks = list(runs["decks"].values())
        # What a process costs besides its decks (start, imports, exit) is paid once
        # either way; the decks themselves can at best be shared out whole.
        fixed = max(0.0, serial - sum(decks))
        bound = serial / (fixed + _makespan(decks, 2))
        speedup = serial / parallel
        lines.append(
            f"| {label} | {len(decks)} | {_s(serial)} | {_s(parallel)} | {speedup:.2f}x "
            f"| {bound:.2f}x | ≥ 1.6x | {'yes' if speedup >= 1.6 else '**no**'} |"
        )
    together = [label for label in TOGETHER if label in batch]
    if len(together) == len(TOGETHER):
        # Issue 21's goal: both companies' batches, 1 process against 2, summed.
        serial = sum(statistics.median(batch[label]["jobs1"]) for label in together)
        parallel = sum(statistics.median(batch[label]["jobs2"]) for label in together)
        count = sum(len(batch[label]["decks"]) for label in together)
        speedup = serial / parallel
        lines.append(
            f"| IIJ and Example together (the two batches above, summed) | {count} "
            f"| {_s(serial)} | {_s(parallel)} | {speedup:.2f}x | | ≥ 1.8x "
            f"| {_mark(speedup >= 1.8)} |"
        )
    times = "; ".join(
        f"{label}: " + ", ".join(f"{name} {s:.1f} s" for name, s in runs["decks"].items())
        for label, runs in batch.items()
    )
    lines += [
        "",
        "Each deck is built whole by one worker, largest first. Each deck's own time, "
        f'in one process: {times}. "Best possible" estimates the speed-up if the decks '
        "were shared out with no loss: the 1-process time over its fixed part (start, "
        "imports, exit) plus the busier worker's decks; as the deck times come from "
        "another run, a measured speed-up may exceed it by the noise.",
    ]
    return lines


def _med(runs: dict[str, list[float]], key: str = "times") -> float:
    return statistics.median(runs[key])


def _new_process_table(decks: dict[str, Any]) -> list[str]:
    lines = [
        "| deck | measurement (new process) | min s | median s | max s | x floor "
        "| peak RSS MiB (median) | target | met |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for label, deck in decks.items():
        runs = deck.get("new_process")
        if runs is None:
            continue
        floor = _med(runs["floor"])
        for key, what, target in (
            ("floor", "floor: `python -m weasyprint --pdf-variant pdf/a-3a` on the HTML", None),
            ("warm", "warm `python -m reportgen build` after a text edit, charts cached", 1.0),
            ("cold", "cold `python -m reportgen build`, chart cache empty", 1.3),
            (
                "warm_in_process",
                "warm, layout in the build's process (`cli.main`, no layout worker: as before)",
                None,
            ),
        ):
            if key not in runs:
                continue
            times = runs[key]["times"]
            ratio = statistics.median(times) / floor
            met = None if target is None else ratio <= target
            peak = _med(runs[key], "peak_mib")
            lines.append(
                f"| {label} | {what} | {_s(min(times))} | {_s(statistics.median(times))} "
                f"| {_s(max(times))} | {ratio:.2f} | {peak:.0f} "
                f"| {'' if target is None else f'≤ {target} x floor'} | {_mark(met)} |"
            )
    lines += [
        "",
        "Cold, warm and floor run in turn within each repetition, so a change of load "
        "falls on all three alike. Peak RSS is the largest resident set of the process "
        "or of any process it waited for (the chart workers), from `wait4`.",
    ]
    return lines


def _scale_table(scale: dict[str, Any]) -> list[str]:
    lines = [
        "| slides | cold build s | warm build s (median) | floor s (median) | warm x floor "
        "| peak RSS MiB, warm build | peak RSS MiB, cold build | peak RSS MiB, floor | target |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for slides, runs in scale.items():
        warm, floor = _med(runs["warm"]), _med(runs["floor"])
        target = "peak RSS ≤ 300 MiB: " + _mark(
            max(_med(runs["warm"], "peak_mib"), _med(runs["cold"], "peak_mib")) <= 300
        )
        lines.append(
            f"| {slides} | {_s(_med(runs['cold']))} | {_s(warm)} | {_s(floor)} "
            f"| {warm / floor:.2f} | {_med(runs['warm'], 'peak_mib'):.0f} "
            f"| {_med(runs['cold'], 'peak_mib'):.0f} | {_med(runs['floor'], 'peak_mib'):.0f} "
            f"| {target if slides == '22' else ''} |"
        )
    sizes = list(scale)
    growth = []
    for low, high in itertools.pairwise(sizes):
        n = int(high) - int(low)
        a, b = scale[low], scale[high]
        growth.append(
            f"{low} → {high} slides: warm build "
            f"{1000 * (_med(b['warm']) - _med(a['warm'])) / n:.0f} ms, floor "
            f"{1000 * (_med(b['floor']) - _med(a['floor'])) / n:.0f} ms, peak RSS "
            f"{(_med(b['warm'], 'peak_mib') - _med(a['warm'], 'peak_mib')) / n:.2f} MiB "
            "(warm build) per added slide"
        )
    lines += [
        "",
        "The deck is IIJ 1Q08's slides repeated in a generated deck file, in a copy of the "
        "data (`bench/newproc.py`); warm builds have every chart cached. Growth per slide: "
        + "; ".join(growth)
        + ". Linear growth shows as alike figures for each step.",
    ]
    return lines


def write_report(path: Path, results: dict[str, Any], rows: list[Row]) -> None:
    """Write BENCHMARKS.md, keeping the history section of the previous file."""
    kept = ""
    if path.exists() and KEEP in path.read_text(encoding="utf-8"):
        kept = path.read_text(encoding="utf-8").split(KEEP, 1)[1]
    machine = results["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`bench/run.py`, {results['reps']} repetitions). Every ratio is "
        "to the floor measured in the same run on the same machine: WeasyPrint alone turning the "
        "deck's final HTML into the PDF (`HTML(filename=...).render().write_pdf(pdf_variant=...)`, "
        "the variant of `reportgen/pdf.py`). A cold build is compared with the floor's first "
        "render in a new process plus the import time of pandas, jinja2, matplotlib and "
        "weasyprint.",
        "",
        *_main_table(rows),
        "",
        "## Imports",
        "",
        *_imports_table(results["imports"]),
        "",
        "## Phases of a cold build and peak memory",
        "",
        *_phases_table(results["decks"]),
        "",
    ]
    if any("new_process" in d for d in results["decks"].values()):
        lines += [
            "## As a user runs it: new processes (issue 21)",
            "",
            *_new_process_table(results["decks"]),
            "",
        ]
    if "scale" in results:
        lines += ["## Scale: one deck repeated (issue 21)", "", *_scale_table(results["scale"]), ""]
    if "batch" in results:
        lines += ["## Batch builds", "", *_batch_table(results["batch"]), ""]
    lines += ["## Machine", ""]
    lines += [f"- {key}: {value}" for key, value in machine.items()]
    lines += ["", KEEP]
    path.write_text("\n".join(lines) + (kept or "\n"), encoding="utf-8")
