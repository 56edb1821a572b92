"""Shared chart look: palette, fonts and rc settings, applied with ``rc_context``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportgen import brand
from reportgen.brand import DEFAULT_LOOK, ChartLook

FONTS_DIR = Path(__file__).resolve().parents[2] / "fonts"
FONT_FILES = ("Lato-Regular.ttf", "Lato-Bold.ttf", "IPAexGothic.ttf")

# The default palette and fonts live in brand.py, shared with the CSS and PowerPoint;
# a chart is drawn with its spec's ``look`` (the company's brand).
PALETTE = brand.PALETTE
LINE_COLORS = brand.LINE_COLORS
TEXT = brand.INK
GRID = brand.GRID


def rc(look: ChartLook) -> dict[str, Any]:
    """The matplotlib settings of a chart drawn with ``look``."""
    return {
        "font.family": list(look.fonts),
        "font.size": 8.5,
        "axes.edgecolor": look.grid,
        "axes.labelcolor": look.ink,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.color": look.ink,
        "ytick.color": look.ink,
        "text.color": look.ink,
        "legend.frameon": False,
        # Text stays text so the PDF's figures can be read and searched; ids are
        # salted so the same chart is byte-identical on every build.
        "svg.fonttype": "none",
        "svg.hashsalt": "reportgen",
    }


RC = rc(DEFAULT_LOOK)


def register_fonts() -> None:
    """Make the shipped fonts known to matplotlib (idempotent)."""
    # Imported here: the build process reads the palette from this module but
    # never draws, so it need not import matplotlib (a fifth of a second).
    from matplotlib import font_manager

    known = {Path(f.fname).name for f in font_manager.fontManager.ttflist}
    for name in FONT_FILES:
        if name not in known:
            font_manager.fontManager.addfont(str(FONTS_DIR / name))
