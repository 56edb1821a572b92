"""``make bench``: how fast the deck builds, against WeasyPrint alone, on this machine.

Every figure is measured in the same run as the floor it is compared with (the
machine is shared, so only ratios from one run mean anything). Each measurement
runs in fresh processes (``bench/probe.py``); the results go to BENCHMARKS.md
(``--out``) and, as JSON, beside it for ``bench/compare_*.py`` and later runs.

    python bench/run.py [--reps 5] [--out BENCHMARKS.md] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import newproc  # noqa: E402  (needs ROOT on sys.path)
from bench.report import Row, write_report  # noqa: E402

log = logging.getLogger("bench")

PYTHON = sys.executable
# The two decks of issue 10: the real one, and the complete fictional company.
DECKS = {"IIJ 1Q08": ("data/iij", "1Q08"), "Example 1Q25": ("data/examples/fictional", "1Q25")}
IMPORTS = ("pandas", "jinja2", "matplotlib", "weasyprint")


def _run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return result


def _probe(*args: str) -> dict[str, Any]:
    out = _run([PYTHON, "bench/probe.py", *args]).stdout
    return json.loads(out.strip().splitlines()[-1])


def _timed(args: list[str]) -> float:
    t0 = time.perf_counter()
    _run(args)
    return time.perf_counter() - t0


def measure_imports(reps: int) -> dict[str, list[float]]:
    """Wall time of a fresh interpreter importing each library, and all four together."""
    times: dict[str, list[float]] = {}
    for name in (*IMPORTS, "all four"):
        modules = ", ".join(IMPORTS) if name == "all four" else name
        times[name] = [_timed([PYTHON, "-c", f"import {modules}"]) for _ in range(reps)]
    return times


def measure_deck(label: str, data: str, quarter: str, reps: int) -> dict[str, Any]:
    """Every per-deck figure: cold make report, floor, phases, warm and preview rebuilds."""
    log.info("%s: cold builds", label)
    result: dict[str, Any] = {"cold": []}
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(reps):
            out = Path(tmp) / f"cold{rep}"  # a new output folder: the chart cache is empty
            make = ["make", "-s", "report", f"QUARTER={quarter}", f"DATA={data}", f"OUT={out}"]
            result["cold"].append(_timed(make))
        html = Path(tmp) / "cold0" / quarter / "html" / "index.html"
        log.info("%s: WeasyPrint alone on the same HTML", label)
        floors = [_probe("floor", str(html), "1") for _ in range(reps)]
        result["floor_import"] = [f["import"] for f in floors]
        result["floor_first"] = [f["first"] for f in floors]
        result["floor"] = [t for f in floors for t in f["later"]]
        result["floor_frozen"] = [t for f in floors for t in f["frozen"]]
    log.info("%s: phases of a cold build", label)
    result["phases"] = _probe("phases", data, quarter)
    log.info("%s: warm rebuilds", label)
    result["warm"] = _probe("warm", data, quarter, str(reps))
    log.info("%s: preview rebuilds", label)
    result["preview"] = _probe("preview", data, quarter, str(reps))
    log.info("%s: cold, warm and floor as a user runs them (new processes)", label)
    with tempfile.TemporaryDirectory() as tmp:
        result["new_process"] = newproc.deck(Path(data), quarter, reps, Path(tmp))
    return result


# The scale series of issue 21: IIJ 1Q08's 22 slides, repeated to 88 and 308.
SCALE_DECK = ("data/iij", "1Q08")
SCALE = (1, 4, 14)


def measure_scale(reps: int, multiples: tuple[int, ...]) -> dict[str, Any]:
    data, quarter = SCALE_DECK
    log.info("scale: %s %s repeated %s times", data, quarter, multiples)
    with tempfile.TemporaryDirectory() as tmp:
        return newproc.scale(Path(data), quarter, multiples, reps, Path(tmp))


# Each batch as `make report-all` runs it: the command line, in a new process.
BATCHES = {
    "IIJ, English (4Q07, 1Q08, 2Q08)": ("data/iij", "en"),
    "IIJ, both editions (1Q08 also in Japanese)": ("data/iij", "all"),
    "Example company, FY2025 (1Q25-4Q25)": ("data/examples/fictional", "en"),
}


def measure_batch(reps: int, batches: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """``build --all`` of each batch with 1 and 2 processes, and each deck's own time."""
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for number, (label, (data, edition)) in enumerate(batches.items()):
            log.info("batch: %s", label)
            runs: dict[str, Any] = {}
            for jobs in (1, 2):
                cmd = [PYTHON, "-m", "reportgen", "-q", "build", "--all", "--data", data]
                cmd += ["--edition", edition, "--jobs", str(jobs)]
                runs[f"jobs{jobs}"] = [
                    _timed([*cmd, "--out", f"{tmp}/{number}-{jobs}-{rep}"]) for rep in range(reps)
                ]
            # Each deck's time in one process: what bounds the speed-up of whole decks.
            runs["decks"] = _probe("batch", data, edition)["decks"]
            result[label] = runs
    return result


def machine() -> dict[str, str]:
    from importlib.metadata import version

    libraries = ("weasyprint", "pydyf", "matplotlib", "pandas", "jinja2", "pydantic", "fonttools")
    versions = ", ".join(f"{name} {version(name)}" for name in libraries)
    pango = _run([PYTHON, "-c", "import weasyprint.text.ffi as f; print(f.pango.pango_version())"])
    return {
        "CPUs": str(os.cpu_count()),
        "Python": sys.version.split()[0],
        "libraries": versions + f", Pango {pango.stdout.strip()}",
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "unset"),
    }


def rows(results: dict[str, Any]) -> list[Row]:
    """The table: each figure with its ratio to the floor of the same deck and run."""
    table: list[Row] = []
    imports = results["imports"]["all four"]
    for label, deck in results["decks"].items():
        floor = statistics.median(deck["floor"])
        cold_floor = [first + statistics.median(imports) for first in deck["floor_first"]]
        cold_ref = statistics.median(cold_floor)
        figure = deck["preview"]["figure"]
        pdf_build = statistics.median(deck["preview"]["pdf"])
        fast = statistics.median(figure) < 0.3 and statistics.median(figure) < 0.1 * pdf_build
        cold_ratio = statistics.median(deck["cold"]) / cold_ref
        warm_ratio = statistics.median(deck["warm"]["times"]) / floor
        table += [
            Row(label, "floor: WeasyPrint render + write_pdf (warm process)", deck["floor"], floor),
            Row(label, "floor, first render in a new process", deck["floor_first"], floor),
            Row(
                label,
                "floor with a frozen heap, as builds run WeasyPrint (not a target's reference)",
                deck["floor_frozen"],
                floor,
            ),
            Row(label, "floor + imports (cold reference)", cold_floor, cold_ref),
            Row(
                label,
                "cold `make report`, chart cache empty",
                deck["cold"],
                cold_ref,
                "≤ 1.5 x cold reference",
                cold_ratio <= 1.5,
            ),
            Row(
                label,
                "warm rebuild after a text edit (PDF)",
                deck["warm"]["times"],
                floor,
                "≤ 1.15 x floor",
                warm_ratio <= 1.15,
            ),
            Row(
                label,
                "preview rebuild after a one-figure edit (HTML)",
                figure,
                floor,
                "< 0.3 s and < 10% of a PDF build",
                fast,
            ),
            Row(
                label, "preview rebuild after a CSS edit (HTML)", deck["preview"]["template"], floor
            ),
            Row(label, "preview: full PDF build (same process)", deck["preview"]["pdf"], floor),
        ]
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="repetitions of each measurement")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="one repetition, one batch: checks the benchmark runs",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="bench: %(message)s")
    reps = 1 if args.smoke else args.reps
    results: dict[str, Any] = {"machine": machine(), "reps": reps}
    log.info("imports")
    results["imports"] = measure_imports(reps)
    results["decks"] = {
        label: measure_deck(label, data, quarter, reps) for label, (data, quarter) in DECKS.items()
    }
    log.info("batch builds")
    # The smoke run keeps one batch, so that CI keeps the batch code working too.
    batches = dict(list(BATCHES.items())[:1]) if args.smoke else BATCHES
    results["batch"] = measure_batch(reps, batches)
    # The smoke run keeps the series short: 22 and 44 slides, once each.
    results["scale"] = measure_scale(
        1 if args.smoke else min(reps, 3), (1, 2) if args.smoke else SCALE
    )
    results["machine"]["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    write_report(args.out, results, rows(results))
    log.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
