"""The same deck's HTML printed to PDF by headless Chromium, against WeasyPrint.

Skipped, with a note in BENCHMARKS.md, where /usr/bin/chromium is not installed.
Chromium prints the preview HTML (the deck's CSS has one @page per slide); its
PDF is not PDF/A and has no attachment or page labels, so it does less work.
"""

from __future__ import annotations

import logging
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.compare_common import build_html, floor_median, record, timed

log = logging.getLogger("bench")
SECTION = "Comparison: headless Chromium"
REPS = 3


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="bench: %(message)s")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        record(SECTION, ["Skipped: Chromium is not installed (`apt-get install chromium`)."])
        log.info("chromium not installed: skipped")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        index = build_html(Path(tmp) / "out")
        target = Path(tmp) / "chromium.pdf"
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={target}",
            "--no-pdf-header-footer",
            index.as_uri(),
        ]
        log.info("chromium: printing the IIJ 1Q08 deck %d times", REPS)
        times = timed(command, REPS)
        size = target.stat().st_size
        pages = len(PdfReader(target).pages)
    median = statistics.median(times)
    floor = floor_median()
    ratio = f"{median / floor:.2f}" if floor else "n/a (run `make bench` first)"
    record(
        SECTION,
        [
            "| IIJ 1Q08 | min s | median s | max s | x WeasyPrint floor | PDF size |",
            "|---|---:|---:|---:|---:|---:|",
            f"| Chromium `--print-to-pdf` (new process each time) | {min(times):.2f} "
            f"| {median:.2f} | {max(times):.2f} | {ratio} | {size // 1024} KB |",
            "",
            f"Chromium prints the same `html/index.html` ({pages} pages), starting a new "
            "browser each time as a build would. Its PDF is not "
            "PDF/A, has no attached figures, bookmarks or page labels, so it is not a drop-in "
            "replacement; the ratio is to the WeasyPrint floor of the last `make bench`.",
        ],
    )
    log.info("chromium: median %.2f s", median)
    return 0


if __name__ == "__main__":
    sys.exit(main())
