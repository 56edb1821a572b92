"""The README's "Your first quarter" works as written, and its commands table is complete.

The steps are read from the README itself and carried out on a copy of the
fictional company in ``tmp_path`` (``tests/readme_steps.py``): each ``make`` line runs
the CLI it stands for.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from reportgen import formatting
from reportgen.cli import main
from reportgen.data.load import load_dataset
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from tests.readme_steps import follow, run, section, steps

TITLE = "Your first quarter"


def test_your_first_quarter_works_as_written(tmp_path: Path) -> None:
    results = follow(steps(TITLE), tmp_path)
    assert sorted(results) == ["check", "items", "preview", "report"]
    assert {target: code for target, (code, _, _) in results.items()} == dict.fromkeys(results, 0)

    # Step 2 comes before the 1Q26 figures: the example's data ends with 4Q25.
    assert re.search(r"^revenue +Total Revenues .*, 4Q25$", results["items"][1], re.MULTILINE)

    table = results["check"][1]
    rows_1q26 = [line for line in table.splitlines() if line.split()[1:2] == ["1Q26"]]
    assert [line.split()[0] for line in rows_1q26] == ["OK", "OK"]
    assert "gross_margin = sga + operating_income" in rows_1q26[1]
    assert ", 0 errors" in table

    _, _, log = results["report"]
    pdf = tmp_path / "output" / "1Q26" / "EXAMPLE-1Q26-results-en.pdf"
    assert f"wrote {pdf} (5 pages" in log
    text = html.unescape(
        re.sub(r"<[^>]+>", "", (pdf.parent / "html" / "index.html").read_text(encoding="utf-8"))
    )
    # The bullets' figures as the model computes them from the walkthrough's data.
    data = load_dataset(tmp_path / "data" / "my-company")
    model = QuarterModel(data.figures, Quarter.parse("1Q26"), data.calendar)

    def worded(change: float | None) -> str:
        assert change is not None
        return f"{'up' if change > 0 else 'down'} {formatting.magnitude_percent(change)}"

    def amount(item: str) -> str:
        return formatting.number(model.value(item).value)

    revenue, oi = worded(model.yoy("revenue").value), worded(model.yoy("operating_income").value)
    assert f"Revenues were JPY {amount('revenue')} million, {revenue} from 1Q25." in text
    assert f"Operating income was JPY {amount('operating_income')} million, {oi} from 1Q25." in text
    ni_yoy, ni_qoq = model.yoy("net_income").value, model.qoq("net_income").value
    assert f"Net income: {worded(ni_yoy)} from 1Q25, {worded(ni_qoq)} from 4Q25" in text
    # The README quotes the first bullet as the reader will see it.
    quoted = f'"Revenues were JPY {amount("revenue")} million, {revenue} from 1Q25."'
    assert quoted in section(TITLE).replace("\n   ", " ")


def test_a_mistyped_item_in_the_walkthrough_deck_names_the_closest(tmp_path: Path) -> None:
    lines = [line for line in steps(TITLE) if not line.startswith("make ")]
    follow(lines, tmp_path)
    deck = tmp_path / "data" / "my-company" / "decks" / "1Q26.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("'revenue'|m", "'revenues'|m"))
    code, _, err = run("sources", "--quarter", "1Q26", "--data", str(deck.parents[1]))
    assert code == 2
    assert "unknown item 'revenues' (did you mean 'revenue'?)" in err


def test_the_commands_table_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    usage = capsys.readouterr().out
    commands = re.search(r"\{([a-z,-]+)\}", usage)
    assert commands is not None
    usage_section = section("Usage")
    for command in commands.group(1).split(","):
        assert f"| `.venv/bin/reportgen {command} " in usage_section, command
