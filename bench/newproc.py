"""Builds measured as a user runs them: each a new process, timed from outside (issue 21).

The in-process probes (``bench/probe.py``) leave out what a user pays on every
run: starting the interpreter and importing pandas, Jinja, WeasyPrint. Here the
build is ``python -m reportgen build`` and its floor is WeasyPrint's own command
line, ``python -m weasyprint --pdf-variant pdf/a-3a``, on the same final HTML, each
started afresh. Peak memory is the largest resident set of the process or of any
process it waited for (its chart workers), from ``wait4``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.edits import text_edit  # noqa: E402  (needs ROOT on sys.path)

PYTHON = sys.executable


@dataclass(frozen=True, slots=True)
class Run:
    """One new process: its wall time and the peak RSS of it and its children (MiB)."""

    seconds: float
    peak_mib: float


def run(args: list[str], cwd: Path = ROOT) -> Run:
    """Start ``args``, wait for it with ``wait4`` and fail loudly if it fails."""
    t0 = time.perf_counter()
    process = subprocess.Popen(
        args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    # Read stderr before waiting: a chatty build must not block on a full pipe.
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - t0
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{err[-2000:]}")
    # Linux reports ru_maxrss in KiB: the largest of the process and the children it reaped.
    return Run(seconds, usage.ru_maxrss / 1024)


def build_cmd(data: Path, quarter: str, out: Path) -> list[str]:
    """The build exactly as ``make report`` starts it (no ``make`` around it)."""
    build = [PYTHON, "-m", "reportgen", "-q", "build", "--quarter", quarter]
    return [*build, "--data", str(data), "--out", str(out)]


def in_process_cmd(data: Path, quarter: str, out: Path) -> list[str]:
    """The same build through ``cli.main`` as a library calls it: no layout worker.

    ``reportgen.layout`` forks its worker only from the command line's entry point,
    so this is the build as it ran before the worker, for a before/after in one run.
    """
    argv = build_cmd(data, quarter, out)[3:]
    script = f"import sys; from reportgen.cli import main; sys.exit(main({argv!r}))"
    return [PYTHON, "-c", script]


def floor_cmd(html: Path, pdf: Path) -> list[str]:
    """WeasyPrint alone, from its command line, with the variant the build writes."""
    from reportgen.pdf import VARIANT

    return [PYTHON, "-m", "weasyprint", "--pdf-variant", VARIANT, str(html), str(pdf)]


def _runs(results: list[Run]) -> dict[str, list[float]]:
    return {"times": [r.seconds for r in results], "peak_mib": [r.peak_mib for r in results]}


def deck(data: Path, quarter: str, reps: int, tmp: Path) -> dict[str, Any]:
    """Cold build, warm rebuild after a text edit and the floor, alternated rep by rep.

    Alternating spreads the machine's changing load over the three alike.
    """
    copy = tmp / "data"
    shutil.copytree(ROOT / data, copy)
    warm_out = tmp / "warm"
    run(build_cmd(copy, quarter, warm_out))  # fills the warm folder's chart cache
    cold, warm, in_process, floor = [], [], [], []
    for rep in range(reps):
        # A new output folder: the chart cache is empty, nothing is reused.
        cold.append(run(build_cmd(copy, quarter, tmp / f"cold{rep}")))
        text_edit(copy, quarter, 2 * rep)
        in_process.append(run(in_process_cmd(copy, quarter, warm_out)))
        text_edit(copy, quarter, 2 * rep + 1)
        warm.append(run(build_cmd(copy, quarter, warm_out)))
        # The floor renders the very HTML the warm build just wrote.
        html = warm_out / quarter / "html" / "index.html"
        floor.append(run(floor_cmd(html, tmp / f"floor{rep}.pdf")))
        shutil.rmtree(tmp / f"cold{rep}")
    return {
        "cold": _runs(cold),
        "warm": _runs(warm),
        "warm_in_process": _runs(in_process),
        "floor": _runs(floor),
    }


def repeated_deck(data: Path, quarter: str, times: int, tmp: Path) -> Path:
    """A copy of ``data`` whose ``quarter`` deck shows its slides ``times`` over."""
    copy = tmp / f"data{times}"
    shutil.copytree(ROOT / data, copy)
    path = copy / "decks" / f"{quarter}.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec["slides"] = spec["slides"] * times
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return copy


def scale(
    data: Path, quarter: str, multiples: tuple[int, ...], reps: int, tmp: Path
) -> dict[str, Any]:
    """Warm builds and the floor of one deck repeated ``multiples`` times over.

    Warm (the chart cache full, as repeated slides share their charts anyway) so the
    series shows what grows with the slides: layout, HTML, checks, memory.
    """
    series: dict[str, Any] = {}
    for times in multiples:
        copy = repeated_deck(data, quarter, times, tmp)
        out = tmp / f"out{times}"
        first = run(build_cmd(copy, quarter, out))  # the cold build fills the cache
        warm, floor = [], []
        for rep in range(reps):
            warm.append(run(build_cmd(copy, quarter, out)))
            html = out / quarter / "html" / "index.html"
            floor.append(run(floor_cmd(html, tmp / f"floor{times}-{rep}.pdf")))
        slides = len(yaml.safe_load((copy / "decks" / f"{quarter}.yaml").read_text())["slides"])
        series[str(slides)] = {
            "cold": _runs([first]),
            "warm": _runs(warm),
            "floor": _runs(floor),
        }
        shutil.rmtree(copy)
        shutil.rmtree(out)
    return series
