"""The deck's look in one place: colours and fonts, read by the CSS, matplotlib and PowerPoint.

``templates/css`` takes the colours as custom properties and the font stacks from
``stylesheet_root`` (prepended to the deck's CSS by ``render.stylesheet``); the
charts read the palette through ``charts/style.py``; the Excel data pack and the
PowerPoint edition read it here. Change a colour here and every output follows.
"""

from __future__ import annotations

# Named colours of the slides (CSS custom properties ``--<name>``).
COLORS: dict[str, str] = {
    "navy": "#1f3b73",
    "blue": "#4f7cc4",
    "pale": "#eef2f8",
    "rule": "#c9d3e3",
    "ink": "#2b2b2b",
    "muted": "#6b7280",
    "neg": "#b3261e",
    "grid": "#d9dee7",
    "header-sub": "#dfe6f2",
    "accent": "#d98c2b",
    "slate": "#7a8aa3",
    "white": "#ffffff",
}
NAVY = COLORS["navy"]
INK = COLORS["ink"]
GRID = COLORS["grid"]

# Chart series: navy for the main series, then blues and a warm accent.
PALETTE = ("#1f3b73", "#4f7cc4", "#9fbbe6", "#7a8aa3", "#d98c2b", "#c9d6ea", "#5d9c8c")
LINE_COLORS = ("#d9541e", "#2e8b57", "#8a4fbf")
# The bridge chart: totals navy, increases green, decreases red.
BRIDGE_UP = "#3f8f5f"
BRIDGE_DOWN = "#c4513b"
BRIDGE_CONNECTOR = "#8a8f99"

# Font stacks per edition, first choice first. The PDF embeds the shipped files
# (``fonts/``); a PowerPoint opened where Lato is not installed falls back to the
# next name, then to the application's own sans serif.
FONTS: dict[str, tuple[str, ...]] = {
    "en": ("Lato", "IPAexGothic", "Arial"),
    "ja": ("IPAexGothic", "Lato", "Yu Gothic", "Meiryo"),
}
# PowerPoint names one Latin and one East Asian typeface per run.
LATIN_FONT = "Lato"
EAST_ASIAN_FONT = "IPAexGothic"


def hex_rgb(color: str) -> str:
    """``1F3B73``: a ``#1f3b73`` colour as Office and openpyxl write it."""
    return color.removeprefix("#").upper()


def stylesheet_root() -> str:
    """The CSS that carries these colours and font stacks (``:root`` properties)."""
    props = "\n".join(f"  --{name}: {value};" for name, value in COLORS.items())
    props += "\n" + "\n".join(
        f"  --palette-{index}: {value};" for index, value in enumerate(PALETTE)
    )

    def stack(language: str) -> str:
        return ", ".join(f'"{name}"' for name in FONTS[language][:2])

    return (
        f":root {{\n{props}\n}}\n"
        f"html {{ font-family: {stack('en')}; }}\n"
        f":lang(ja) {{ font-family: {stack('ja')}; }}\n"
    )
