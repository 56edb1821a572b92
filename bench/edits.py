"""The edits the benchmark makes to a copy of a company's data: one bullet, one figure.

Each edit alternates between two valid states, so every repetition is a real
change that the build must pick up, and the deck stays valid and on one page each.
"""

from __future__ import annotations

from pathlib import Path

# A figure that sits on a chart and whose change by one unit stays within the
# tie-out tolerances (rounding of published figures), per company folder name.
FIGURES = {
    "iij": ("1Q08", "operating_income,411,", "operating_income,412,"),
    "fictional": ("1Q25", "net_income,390,", "net_income,391,"),
}


PREFIX = "In short, "


def _toggle(path: Path, first: str, second: str, rep: int) -> None:
    text = path.read_text(encoding="utf-8")
    old, new = (first, second) if rep % 2 == 0 else (second, first)
    if old not in text:
        raise SystemExit(f"{path}: the benchmark's edit expects {old!r}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def text_edit(data: Path, quarter: str, rep: int) -> None:
    """Change a word of the first bullet of the deck: text only, no figure, no chart."""
    deck = data / "decks" / f"{quarter}.yaml"
    text = deck.read_text(encoding="utf-8")
    marker = "    bullets:\n      - "
    at = text.index(marker) + len(marker)
    # A prefix is added and removed in turn at the start of the bullet.
    rest = text[at:] if rep % 2 == 0 else text[at + len(PREFIX) :]
    text = text[:at] + (PREFIX if rep % 2 == 0 else "") + rest
    deck.write_text(text, encoding="utf-8")


def figure_edit(data: Path, quarter: str, rep: int) -> None:
    """Change one figure on a chart by one unit (and back on the next repetition)."""
    period, first, second = FIGURES[_company(data)]
    _toggle(data / "figures" / f"{period}.csv", first, second, rep)


def _company(data: Path) -> str:
    # The benchmark edits a copy of the folder, so the company is told by its data.
    text = (data / "company.yaml").read_text(encoding="utf-8")
    return "fictional" if "fictional: true" in text else "iij"
