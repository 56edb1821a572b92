"""Draw the charts a deck needs: cached by content hash, missing ones in parallel."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import matplotlib

from reportgen.charts import draw as draw_module
from reportgen.charts.spec import ChartSpec

log = logging.getLogger(__name__)

_CODE = Path(draw_module.__file__).parent


def _salt() -> str:
    """Anything that changes a drawing changes the salt: matplotlib or chart code."""
    stamps = sorted(
        f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in _CODE.glob("*.py")
    )
    return matplotlib.__version__ + "|" + "|".join(stamps)


def _draw_to(spec: ChartSpec, target: Path) -> Path:
    data = draw_module.draw(spec)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, target)
    return target


def ensure_charts(
    specs: Iterable[ChartSpec], cache_dir: Path, workers: int | None = None
) -> dict[ChartSpec, Path]:
    """Return a file for each spec, drawing only those not already in ``cache_dir``."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    salt = _salt()
    paths = {spec: cache_dir / f"{spec.digest(salt)}.svg" for spec in set(specs)}
    todo = [(spec, path) for spec, path in paths.items() if not path.exists()]
    if todo:
        count = min(len(todo), workers or os.cpu_count() or 1)
        if count > 1:
            with ProcessPoolExecutor(max_workers=count) as pool:
                list(pool.map(_draw_to, *zip(*todo, strict=True)))
        else:
            for spec, path in todo:
                _draw_to(spec, path)
    log.info("charts: %d drawn, %d from cache", len(todo), len(paths) - len(todo))
    return paths
