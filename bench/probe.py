"""One measurement in a fresh process; ``bench/run.py`` starts it and reads its JSON.

Each kind of measurement runs in its own interpreter so that nothing one leaves
behind (imported modules, fontconfig's caches, matplotlib's font list) makes
another look faster than a user would see it. Times are wall-clock seconds.

    python bench/probe.py floor   HTML REPS      WeasyPrint alone: import, first and later renders
    python bench/probe.py phases  DATA QUARTER   one cold in-process build, timed stage by stage
    python bench/probe.py warm    DATA QUARTER REPS   rebuilds after a text edit, chart cache full
    python bench/probe.py preview DATA QUARTER REPS   preview rebuilds after a one-figure edit
    python bench/probe.py batch   DATA EDITION   each deck's time in a one-process ``build --all``
"""

from __future__ import annotations

import gc
import json
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.edits import figure_edit, text_edit  # noqa: E402  (needs ROOT on sys.path)


def _peak_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_mb": round(own, 1), "peak_child_mb": round(children, 1)}


def floor(html: Path, reps: int) -> dict[str, Any]:
    """WeasyPrint alone on the deck's final HTML, with the variant the build uses."""
    started = time.perf_counter()
    from weasyprint import HTML

    imported = time.perf_counter()
    from reportgen.pdf import VARIANT

    renders, frozen = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(reps + 1):
            t0 = time.perf_counter()
            HTML(filename=str(html)).render().write_pdf(
                Path(tmp) / f"{rep}.pdf", pdf_variant=VARIANT
            )
            renders.append(time.perf_counter() - t0)
        # The same render with the collector handled as a build handles it
        # (reportgen.build.frozen_heap), to show what that alone is worth.
        for rep in range(reps):
            gc.collect()
            t0 = time.perf_counter()
            gc.freeze()
            HTML(filename=str(html)).render().write_pdf(
                Path(tmp) / f"frozen{rep}.pdf", pdf_variant=VARIANT
            )
            gc.collect()
            gc.unfreeze()
            frozen.append(time.perf_counter() - t0)
    # The first render pays for fontconfig and font loading, as a cold build does.
    return {
        "import": imported - started,
        "first": renders[0],
        "later": renders[1:],
        "frozen": frozen,
    }


class _Stopwatch:
    """Adds up the time spent inside wrapped functions, by stage name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - t0

        return timed


def phases(data: Path, quarter: str) -> dict[str, Any]:
    """One cold build (empty chart cache) in this process, split into its stages."""
    t0 = time.perf_counter()
    import weasyprint

    import reportgen.build as build_module
    import reportgen.datapack
    import reportgen.pdf
    import reportgen.render
    from reportgen.quarters import Quarter

    imports = time.perf_counter() - t0
    watch = _Stopwatch()
    patches = [
        (build_module, "load_dataset", "load + validate"),
        (build_module, "validate", "load + validate"),
        (build_module, "validate_cached", "load + validate"),
        (build_module, "build_deck", "model + slides"),
        (reportgen.render.ChartJob, "__init__", "charts"),
        (reportgen.render.ChartJob, "wait", "charts"),
        (reportgen.render, "render_html", "HTML"),
        (reportgen.render, "write_preview", "HTML"),
        (weasyprint.HTML, "render", "PDF layout"),
        (reportgen.pdf, "write", "PDF write"),
        (reportgen.datapack, "write_xlsx", "data pack (xlsx)"),
    ]
    with tempfile.TemporaryDirectory() as tmp, _patched(patches, watch):
        t1 = time.perf_counter()
        build_module.build(data, Quarter.parse(quarter), Path(tmp))
        total = time.perf_counter() - t1
    stages = dict(watch.seconds)
    stages["other"] = total - sum(stages.values())
    return {"imports": imports, "total": total, "stages": stages, **_peak_mb()}


@contextmanager
def _patched(patches: list[tuple[Any, str, str]], watch: _Stopwatch) -> Iterator[None]:
    with ExitStack() as stack:
        for owner, name, stage in patches:
            wrapped = watch.wrap(stage, getattr(owner, name))
            stack.enter_context(mock.patch.object(owner, name, wrapped))
        yield


def _copy(data: Path, tmp: Path) -> Path:
    copy = tmp / "data"
    shutil.copytree(data, copy)
    return copy


def warm(data: Path, quarter: str, reps: int) -> dict[str, Any]:
    """Full PDF rebuilds after editing a bullet's text: every chart comes from the cache."""
    from reportgen.build import build
    from reportgen.quarters import Quarter

    q = Quarter.parse(quarter)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = _copy(data, Path(tmp))
        build(copy, q, Path(tmp) / "out")  # fills the chart cache
        for rep in range(reps):
            text_edit(copy, q.name, rep)
            t0 = time.perf_counter()
            build(copy, q, Path(tmp) / "out")
            times.append(time.perf_counter() - t0)
    return {"times": times, **_peak_mb()}


def preview(data: Path, quarter: str, reps: int) -> dict[str, Any]:
    """HTML-only rebuilds of a running preview after a one-figure edit, then full PDF builds."""
    from reportgen.preview import Preview
    from reportgen.quarters import Quarter

    q = Quarter.parse(quarter)
    figure, pdf, template = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        copy = _copy(data, Path(tmp))
        templates = Path(tmp) / "templates"
        shutil.copytree(ROOT / "templates", templates)
        # The same object and build call the preview server's watcher uses.
        running = Preview(copy, q, Path(tmp) / "work", templates=templates)
        _rebuilt(running)  # the first build fills the chart cache
        for rep in range(reps):
            figure_edit(copy, q.name, rep)
            t0 = time.perf_counter()
            _rebuilt(running)
            figure.append(time.perf_counter() - t0)
        imports_weasyprint = "weasyprint" in sys.modules
        for rep in range(reps):
            css = templates / "css" / "99-bench.css"
            css.write_text(f"/* edit {rep} */\n", encoding="utf-8")
            t0 = time.perf_counter()
            _rebuilt(running)
            template.append(time.perf_counter() - t0)
        for _ in range(reps):
            t0 = time.perf_counter()
            running.build_pdf()
            pdf.append(time.perf_counter() - t0)
    return {
        "figure": figure,
        "template": template,
        "pdf": pdf,
        "html_imports_weasyprint": imports_weasyprint,
        **_peak_mb(),
    }


def _rebuilt(running: Any) -> None:
    status = running.rebuild()
    if status.error:
        raise SystemExit(f"preview rebuild failed: {status.error}")


def batch(data: Path, edition: str) -> dict[str, Any]:
    """Each deck's build time in a one-process ``build --all`` (the batch's units of work)."""
    import io

    from rich.console import Console

    from reportgen.batch import build_all

    editions = ("en", "ja") if edition == "all" else (edition,)
    with tempfile.TemporaryDirectory() as tmp:
        outcomes = build_all(
            data, Path(tmp), workers=1, console=Console(file=io.StringIO()), editions=editions
        )
    failed = [o.error for o in outcomes if not o.ok]
    if failed:
        raise SystemExit(f"batch build failed: {failed[0]}")
    return {"decks": {o.quarter: o.seconds for o in outcomes}}


def main(argv: list[str]) -> None:
    kind, *args = argv
    if kind == "floor":
        result = floor(Path(args[0]), int(args[1]))
    elif kind == "phases":
        result = phases(Path(args[0]), args[1])
    elif kind == "warm":
        result = warm(Path(args[0]), args[1], int(args[2]))
    elif kind == "preview":
        result = preview(Path(args[0]), args[1], int(args[2]))
    elif kind == "batch":
        result = batch(Path(args[0]), args[1])
    else:
        raise SystemExit(f"unknown probe {kind!r}")
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.ERROR)
    main(sys.argv[1:])
