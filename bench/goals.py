"""Issue 21's build goals alone, without the rest of ``make bench``: a quicker re-measure.

    python bench/goals.py [--reps 5] [--scale-reps 3] [--out FILE]

Runs the new-process cold/warm/floor figures of both decks, the scale series and the
two batches of the batch goal, and writes those tables (Markdown) to ``--out`` or
stdout; ``make bench`` writes the same tables into BENCHMARKS.md with everything else.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import newproc  # noqa: E402  (needs ROOT on sys.path)
from bench.report import TOGETHER, _batch_table, _new_process_table, _scale_table  # noqa: E402
from bench.run import BATCHES, DECKS, SCALE, measure_batch, measure_scale  # noqa: E402

log = logging.getLogger("bench")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--scale-reps", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="bench: %(message)s")
    load = [" ".join(f"{x:.2f}" for x in os.getloadavg())]
    decks = {}
    for label, (data, quarter) in DECKS.items():
        log.info("%s: new processes", label)
        with tempfile.TemporaryDirectory() as tmp:
            decks[label] = {"new_process": newproc.deck(Path(data), quarter, args.reps, Path(tmp))}
    scale = measure_scale(args.scale_reps, SCALE)
    batch = measure_batch(args.reps, {label: BATCHES[label] for label in TOGETHER})
    load.append(" ".join(f"{x:.2f}" for x in os.getloadavg()))
    lines = [
        f"Load average at start {load[0]}, at end {load[1]}; {args.reps} repetitions "
        f"({args.scale_reps} for the scale series).",
        "",
        *_new_process_table(decks),
        "",
        *_scale_table(scale),
        "",
        *_batch_table(batch),
        "",
    ]
    text = "\n".join(lines)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        args.out.with_suffix(".json").write_text(
            json.dumps({"decks": decks, "scale": scale, "batch": batch}, indent=1)
        )
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
