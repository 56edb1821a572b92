"""A preview server for ``bench/preview_browser.py``: a new process, as a user runs it.

    python bench/preview_server.py DATA QUARTER TEMPLATES CACHE

Prints ``{"url": ...}`` once the deck is built and watched, then serves until its
standard input closes. Its log lines carry the wall-clock time (``time.time()``),
the clock the browser's ``performance.timeOrigin`` also counts in, so that the
benchmark can split an edit's time into watching, rebuilding and the page's part.
"""

from __future__ import annotations

import faulthandler
import json
import logging
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportgen.preview import PreviewServer
from reportgen.quarters import Quarter


def main(data: str, quarter: str, templates: str, cache: str) -> int:
    faulthandler.register(signal.SIGUSR1)  # a stuck server's stacks, on demand
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(created).6f %(name)s %(message)s"
    )
    server = PreviewServer(
        Path(data), Quarter.parse(quarter), port=0, templates=Path(templates), cache_dir=Path(cache)
    )
    with server:
        if not server.ready.wait(120):
            raise SystemExit("the preview did not build and watch in time")
        sys.stdout.write(json.dumps({"url": server.url}) + "\n")
        sys.stdout.flush()
        # Until the benchmark closes the pipe. Read from the descriptor: a blocked
        # sys.stdin.read() holds its buffer's lock, and a chart worker forked meanwhile
        # would hang closing stdin with that lock held.
        while os.read(0, 4096):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
