"""The preview as the reader sees it: from a file's save to the new value in Chromium's DOM.

    python bench/preview_browser.py [--reps 10] [--out BENCHMARKS.md] [--smoke]

For each deck, a preview server runs in a new process (``bench/preview_server.py``)
on a copy of the data and of the templates; Playwright opens the page in Debian's
Chromium (as the preview's browser tests do). Three edits are made in turn, each
``--reps`` times after one unmeasured warm-up, alternating between two valid states:

- a figure on a chart (``bench/edits.py``): done when the chart's hotspot names the
  new value and the chart image beside it has loaded;
- a deck text (the first bullet gains or loses a prefix): done when the bullet says so;
- a CSS file (a custom property added to or removed from ``00-base.css``): done when
  the page's computed style has it.

"Done" is seen inside the page (a MutationObserver and an animation-frame loop,
installed before any document parses, so that a full page reload is seen too) and
stamped with ``performance.timeOrigin + performance.now()``: wall-clock time, as
``time.time()`` is, so the save and the page share a clock. The server's log
lines give when the watcher woke and when the rebuild ended; the page's own marks
(``live.js``) when the event arrived. Requests made for each edit are counted by
kind (charts, fonts, stylesheets, the page). Without /usr/bin/chromium the
benchmark says so and exits 0 (``make bench-smoke`` on a machine without it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.compare_common import record  # noqa: E402  (needs ROOT on sys.path)
from bench.edits import FIGURES, PREFIX, _company, figure_edit, text_edit  # noqa: E402
from reportgen.data.catalogue import load_catalogue  # noqa: E402
from reportgen.render import TEMPLATES  # noqa: E402

log = logging.getLogger("bench")

PYTHON = sys.executable
CHROMIUM = Path("/usr/bin/chromium")
SECTION = "Preview end to end, in Chromium (issue 21)"
DECKS = {"IIJ 1Q08": ("data/iij", "1Q08"), "Example 1Q25": ("data/examples/fictional", "1Q25")}
KINDS = ("figure", "text", "CSS")
DEADLINE_MS = 30_000
CSS_FILE = "css/00-base.css"
CSS_RULE = '\n:root { --bench-edit: "on"; }\n'

# Installed in every document before it parses (and armed again in the current one).
WATCHER = """
(() => {
  const checks = {
    hotspot: (s) => {
      const spot = document.querySelector(`[aria-label^="${s.label}"]`);
      const figure = spot && spot.closest("figure");
      const img = figure && figure.querySelector("img");
      return !!img && img.complete && img.naturalWidth > 0;
    },
    bullet: (s) =>
      [...document.querySelectorAll("section.slide li")].some((li) =>
        li.textContent.trim().startsWith(s.prefix)) === s.present,
    css: (s) =>
      getComputedStyle(document.documentElement).getPropertyValue(s.property).trim() === s.value,
  };
  window.__benchArm = () => {
    const raw = sessionStorage.getItem("bench-want");
    if (!raw || sessionStorage.getItem("bench-seen")) return;
    const spec = JSON.parse(raw);
    let done = false;
    const look = () => {
      if (done) return;
      let ok = false;
      try { ok = checks[spec.kind](spec); } catch (error) { ok = false; }
      if (!ok) return;
      done = true;
      sessionStorage.setItem("bench-seen", String(performance.timeOrigin + performance.now()));
    };
    new MutationObserver(look).observe(document, {
      subtree: true, childList: true, attributes: true, characterData: true,
    });
    document.addEventListener("load", look, true);  // an image or stylesheet loaded
    const frame = () => { look(); if (!done) requestAnimationFrame(frame); };
    frame();
  };
  window.__benchArm();
})();
"""


@dataclass
class Server:
    """The preview server's process and its time-stamped log lines."""

    process: subprocess.Popen[str]
    url: str
    lines: list[tuple[float, str]] = field(default_factory=list)

    def after(self, since: float, needle: str) -> float | None:
        """When the first log line after ``since`` containing ``needle`` was written."""
        for stamp, text in list(self.lines):
            if stamp >= since and needle in text:
                return stamp
        return None


def start_server(data: Path, quarter: str, templates: Path, cache: Path) -> Server:
    process = subprocess.Popen(
        [PYTHON, "bench/preview_server.py", str(data), quarter, str(templates), str(cache)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    if not first:
        raise SystemExit(f"the preview server did not start:\n{process.stderr.read()[-2000:]}")
    server = Server(process, json.loads(first)["url"])

    def read(stream: Any) -> None:
        for line in stream:
            stamp, _, text = line.partition(" ")
            try:
                server.lines.append((float(stamp), text.rstrip("\n")))
            except ValueError:
                server.lines.append((0.0, line.rstrip("\n")))

    threading.Thread(target=read, args=(process.stderr,), daemon=True).start()
    return server


def stop_server(server: Server) -> None:
    assert server.process.stdin is not None
    server.process.stdin.close()
    try:
        server.process.wait(30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def forget_charts(cache: Path, shown: set[str]) -> None:
    """Keep in the chart cache only the charts the page shows now (``shown``: their names).

    The edits go back and forth between two values: without this, both states' charts
    would be in the cache after the warm-up, and a figure edit would draw nothing,
    which a reader typing a new value never gets. Now the charts the edit changes are
    drawn, and the others come from the cache, as they would.
    """
    for entry in cache.rglob("*"):
        if entry.is_file() and entry.name.split(".")[0] not in shown:
            entry.unlink()


def css_edit(templates: Path, rep: int) -> None:
    """Add a custom property to the base stylesheet, and remove it on the next repetition."""
    path = templates / CSS_FILE
    text = path.read_text(encoding="utf-8")
    text = text + CSS_RULE if rep % 2 == 0 else text.replace(CSS_RULE, "", 1)
    path.write_text(text, encoding="utf-8")


def wanted(kind: str, data: Path, rep: int) -> dict[str, Any]:
    """What the page shows once the edit of repetition ``rep`` has arrived."""
    if kind == "figure":
        period, first, second = FIGURES[_company(data)]
        item, value = (second if rep % 2 == 0 else first).split(",")[:2]
        label = load_catalogue(data).label(item)
        return {"kind": "hotspot", "label": f"{value}: {label}, {period} "}
    if kind == "text":
        return {"kind": "bullet", "prefix": PREFIX.strip(), "present": rep % 2 == 0}
    return {"kind": "css", "property": "--bench-edit", "value": '"on"' if rep % 2 == 0 else ""}


def make_edit(kind: str, data: Path, templates: Path, quarter: str, rep: int) -> None:
    if kind == "figure":
        figure_edit(data, quarter, rep)
    elif kind == "text":
        text_edit(data, quarter, rep)
    else:
        css_edit(templates, rep)


def request_kind(url: str) -> str:
    path = url.split("?", 1)[0]
    if "/charts/" in path:
        return "charts"
    if "/fonts/" in path:
        return "fonts"
    if path.endswith(".css"):
        return "stylesheets"
    if path.endswith(".js"):
        return "scripts"
    return "page"


def measure_deck(
    label: str, data_dir: str, quarter: str, reps: int, kinds: tuple[str, ...] = KINDS
) -> dict[str, Any]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        data = Path(tmp) / Path(data_dir).name
        shutil.copytree(ROOT / data_dir, data)
        templates = Path(tmp) / "templates"
        shutil.copytree(TEMPLATES, templates)
        cache = Path(tmp) / "cache"
        server = start_server(data, quarter, templates, cache)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
                )
                context = browser.new_context(viewport={"width": 1300, "height": 900})
                context.add_init_script(WATCHER)
                page = context.new_page()
                requests: list[tuple[float, str]] = []
                inflight: set[Any] = set()

                def started(request: Any) -> None:
                    if "/_preview/events" in request.url:
                        return
                    requests.append((time.time(), request.url))
                    inflight.add(request)

                page.on("request", started)
                page.on("requestfinished", lambda r: inflight.discard(r))
                page.on("requestfailed", lambda r: inflight.discard(r))
                page.goto(server.url, wait_until="networkidle")

                def settle() -> None:
                    # Until nothing has been asked for 0.3 s: the page is done with the edit.
                    quiet_since = time.time()
                    while time.time() - quiet_since < 0.3:
                        page.wait_for_timeout(50)
                        if inflight:
                            quiet_since = time.time()

                for kind in kinds:
                    runs: list[dict[str, Any]] = []
                    for rep in range(reps + 1):  # the first is a warm-up
                        spec = wanted(kind, data, rep)
                        if spec["kind"] == "hotspot":
                            spot = page.locator(
                                f'[aria-label^="{wanted(kind, data, rep + 1)["label"]}"]'
                            )
                            spot.first.scroll_into_view_if_needed()
                        page.evaluate(
                            "spec => { sessionStorage.removeItem('bench-seen');"
                            " sessionStorage.setItem('bench-want', JSON.stringify(spec));"
                            " performance.clearMarks(); window.__benchArm(); }",
                            spec,
                        )
                        origin = page.evaluate("performance.timeOrigin")
                        mark = len(requests)
                        if kind == "figure":
                            shown = page.eval_on_selector_all(
                                ".chart img", "els => els.map(e => e.getAttribute('src'))"
                            )
                            forget_charts(cache, {Path(src).name.split(".")[0] for src in shown})
                        make_edit(kind, data, templates, quarter, rep)
                        saved = time.time()
                        seen = None
                        while seen is None and time.time() - saved < DEADLINE_MS / 1000:
                            with contextlib.suppress(PlaywrightError):  # a reload under way
                                seen = page.evaluate("sessionStorage.getItem('bench-seen')")
                            if seen is None:
                                page.wait_for_timeout(20)
                        if seen is None:
                            raise SystemExit(f"{label}: the {kind} edit did not reach the page")
                        settle()
                        shown = float(seen) / 1000
                        new_origin = page.evaluate("performance.timeOrigin")
                        marks = page.evaluate(
                            "Object.fromEntries(performance.getEntriesByType('mark')"
                            ".map(m => [m.name, (performance.timeOrigin + m.startTime) / 1000]))"
                        )
                        woke = server.after(saved - 0.05, "changed:")
                        built = server.after(woke or saved, "rebuilt")
                        reloaded = new_origin != origin
                        asked = (new_origin / 1000) if reloaded else marks.get("preview-event")
                        counts: dict[str, int] = {}
                        for _, url in requests[mark:]:
                            counts[request_kind(url)] = counts.get(request_kind(url), 0) + 1
                        run = {
                            "total": shown - saved,
                            "watch": (woke - saved) if woke else None,
                            "rebuild": (built - woke) if woke and built else None,
                            "to_page": (asked - built) if asked and built else None,
                            "page": (shown - asked) if asked else None,
                            "reloaded": reloaded,
                            "requests": counts,
                        }
                        if rep:
                            runs.append(run)
                        log.info(
                            "%s %s %d: %.3f s%s",
                            label,
                            kind,
                            rep,
                            run["total"],
                            " (warm-up)" * (not rep),
                        )
                    result[kind] = runs
                context.close()
                browser.close()
        finally:
            stop_server(server)
    return result


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile (with 10 repetitions: the largest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summary(results: dict[str, Any], reps: int, load: tuple[str, str]) -> list[str]:
    lines = [
        "| deck | edit | p50 s | p95 s | min s | watch s | rebuild s | to page s | page s "
        "| reloads | requests per edit | target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for label, deck in results.items():
        for kind, runs in deck.items():
            totals = [r["total"] for r in runs]

            def median(key: str, runs: list[dict[str, Any]] = runs) -> str:
                values = [r[key] for r in runs if r[key] is not None]
                return f"{statistics.median(values):.3f}" if values else "-"

            kinds = sorted({k for r in runs for k in r["requests"]})
            asked = ", ".join(
                f"{k} {sum(r['requests'].get(k, 0) for r in runs) / len(runs):.1f}" for k in kinds
            )
            target = "p50 ≤ 0.3, p95 ≤ 0.5" if kind == "figure" else "below the figure edit"
            lines.append(
                f"| {label} | {kind} | {statistics.median(totals):.3f} | {p95(totals):.3f} "
                f"| {min(totals):.3f} | {median('watch')} | {median('rebuild')} "
                f"| {median('to_page')} | {median('page')} "
                f"| {sum(r['reloaded'] for r in runs)}/{len(runs)} | {asked} | {target} |"
            )
    lines += [
        "",
        f"{reps} repetitions of each edit after one warm-up, each deck's preview server in a "
        f"new process (`bench/preview_browser.py`). Load average at start {load[0]}, at end "
        f"{load[1]} (2 cores, shared). *watch*: the save to the watcher's wake-up; "
        "*rebuild*: the HTML rebuild; *to page*: the rebuild's end to the page's asking "
        "(the event's arrival, or a reload's start); *page*: from there to the new value in "
        "the DOM (for a figure, with its new chart loaded; before each figure edit the chart "
        "cache keeps only the charts shown, so the edit's charts are drawn as a new value's "
        "would be). "
        "Medians of each part, so they "
        "need not add up to the p50.",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--out", type=Path, help="write the section here instead of BENCHMARKS.md")
    parser.add_argument("--smoke", action="store_true", help="one repetition, one deck")
    parser.add_argument("--kinds", default=",".join(KINDS), help="the edits, comma-separated")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="bench: %(message)s")
    if not CHROMIUM.is_file():
        log.info("preview in a browser: %s is not installed; skipped", CHROMIUM)
        return 0
    reps = 1 if args.smoke else args.reps
    decks = dict(list(DECKS.items())[:1]) if args.smoke else DECKS
    load_start = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results = {
        label: measure_deck(label, data, quarter, reps, tuple(args.kinds.split(",")))
        for label, (data, quarter) in decks.items()
    }
    load_end = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = summary(results, reps, (load_start, load_end))
    sys.stdout.write(json.dumps(results) + "\n")
    if args.out:
        args.out.write_text(f"## {SECTION}\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
        log.info("wrote %s", args.out)
    else:
        record(SECTION, lines)
        log.info("wrote the section %r of BENCHMARKS.md", SECTION)
    return 0


if __name__ == "__main__":
    sys.exit(main())
