"""The deck's look in one place: colours, fonts, logo and footer, for CSS, charts and PowerPoint.

The module's constants are the defaults (IIJ's and the example company's look); a
company's ``brand:`` in ``company.yaml`` overrides any of them, and ``Brand`` is the
result, loaded with the data set (``Dataset.brand``) and passed explicitly to whatever
draws: ``templates/css`` takes the colours as custom properties and the font stacks
from ``Brand.stylesheet_root`` (prepended to the deck's CSS by ``render.stylesheet``);
the charts get them as a ``ChartLook`` in their spec (so the chart cache never serves one
brand's drawing to another); the Excel data pack and the PowerPoint edition read the
deck's Brand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

# The logo's file name in the HTML preview folder (beside index.html; the PDF reads it there).
LOGO_FILE = "brand-logo.svg"

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
# Families shipped in fonts/: the PDF and the charts embed only these, so a company's
# font list starts with one of them; the names after it are fallbacks for PowerPoint.
SHIPPED_FONTS = ("Lato", "IPAexGothic")


def hex_rgb(color: str) -> str:
    """``1F3B73``: a ``#1f3b73`` colour as Office and openpyxl write it."""
    return color.removeprefix("#").upper()


def _shipped(families: tuple[str, ...]) -> tuple[str, ...]:
    """The shipped families of a stack in its order, then the other shipped ones.

    What the PDF and charts use: Lato has no Japanese glyphs (nor △), so IPAexGothic
    always follows it, whatever the stack names after it.
    """
    ordered = dict.fromkeys(name for name in (*families, *SHIPPED_FONTS) if name in SHIPPED_FONTS)
    return tuple(ordered)


@dataclass(frozen=True, slots=True)
class ChartLook:
    """What a chart is drawn with: part of its spec, so of its cache key."""

    palette: tuple[str, ...] = PALETTE
    line_colors: tuple[str, ...] = LINE_COLORS
    ink: str = INK
    grid: str = GRID
    bridge_up: str = BRIDGE_UP
    bridge_down: str = BRIDGE_DOWN
    bridge_connector: str = BRIDGE_CONNECTOR
    fonts: tuple[str, ...] = _shipped(FONTS["en"])


DEFAULT_LOOK = ChartLook()


@dataclass(frozen=True, slots=True)
class Brand:
    """A company's look: the defaults above with its ``brand:`` applied."""

    colors: Mapping[str, str] = field(default_factory=lambda: dict(COLORS))
    palette: tuple[str, ...] = PALETTE
    fonts: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(FONTS))
    # The logo's SVG file name and bytes (read with the data set, so checked at load).
    logo_name: str = ""
    logo: bytes = b""
    # The footer text of every slide; empty: the company's display name, as before.
    footer: str = ""

    @property
    def navy(self) -> str:
        return self.colors["navy"]

    @property
    def ink(self) -> str:
        return self.colors["ink"]

    @property
    def grid(self) -> str:
        return self.colors["grid"]

    @property
    def latin_font(self) -> str:
        return self.fonts["en"][0]

    @property
    def east_asian_font(self) -> str:
        return self.fonts["ja"][0]

    def chart_look(self) -> ChartLook:
        """The charts' colours and fonts (the default look when nothing is overridden)."""
        look = ChartLook(
            palette=self.palette,
            ink=self.ink,
            grid=self.grid,
            fonts=_shipped(self.fonts["en"])[:2],
        )
        return DEFAULT_LOOK if look == DEFAULT_LOOK else look

    def stylesheet_root(self) -> str:
        """The CSS that carries these colours and font stacks (``:root`` properties)."""
        props = "\n".join(f"  --{name}: {value};" for name, value in self.colors.items())
        props += "\n" + "\n".join(
            f"  --palette-{index}: {value};" for index, value in enumerate(self.palette)
        )

        def stack(language: str) -> str:
            return ", ".join(f'"{name}"' for name in _shipped(self.fonts[language])[:2])

        css = (
            f":root {{\n{props}\n}}\n"
            f"html {{ font-family: {stack('en')}; }}\n"
            f":lang(ja) {{ font-family: {stack('ja')}; }}\n"
        )
        if self.logo:
            # Only a deck with a logo carries its rules: every other deck's CSS is unchanged.
            # The footer's logo is a background: decoration, an artifact in the tagged PDF
            # (an <img> there would need alt text read out on every page).
            css += (
                ".cover-logo { position: absolute; right: 0.8in; top: 0.7in; height: 0.5in; }\n"
                ".footer-company::before { content: ''; display: inline-block; width: 0.5in;"
                f" height: 0.14in; background: url({LOGO_FILE}) no-repeat left center / contain;"
                " margin-right: 6pt; vertical-align: middle; }\n"
            )
        return css


DEFAULT = Brand()


def stylesheet_root() -> str:
    """The default brand's CSS (``Brand.stylesheet_root``)."""
    return DEFAULT.stylesheet_root()
