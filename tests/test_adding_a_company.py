"""The README's "Adding a company" works as written (issue 20).

The steps are read from the README itself and carried out in ``tmp_path`` by
``tests/readme_steps.py``, as for "Your first quarter": a copy of the fictional
retailer becomes "My Shop", with its own company.yaml, one more item in items.yaml,
figures for it and a deck of its own; then ``check`` and ``build`` run through the CLI.
Every figure the test expects comes from the model, never typed here.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from reportgen import formatting
from reportgen.data.load import load_dataset
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from tests.readme_steps import follow, section, steps

TITLE = "Adding a company"


def test_adding_a_company_works_as_written(tmp_path: Path) -> None:
    results = follow(steps(TITLE), tmp_path)
    assert sorted(results) == ["check", "items", "report"]
    assert {target: code for target, (code, _, _) in results.items()} == dict.fromkeys(results, 0)

    # The new item is in the catalogue, with the periods its figures are stored for.
    assert re.search(
        r"^loyalty_members +Loyalty club members .*4Q24, 4Q25$", results["items"][1], re.M
    )
    table = results["check"][1]
    assert ", 0 warnings, 0 errors" in table

    data = load_dataset(tmp_path / "data" / "my-shop")
    assert data.company.short_name == "MYSHOP"
    _, _, log = results["report"]
    pdf = tmp_path / "output" / "4Q25" / "MYSHOP-4Q25-results-en.pdf"
    assert f"wrote {pdf} (5 pages" in log
    text = html.unescape(
        re.sub(r"<[^>]+>", "", (pdf.parent / "html" / "index.html").read_text(encoding="utf-8"))
    )
    assert "My Shop (fictional)" in text

    # The bullets' figures as the model computes them from the walkthrough's data.
    model = QuarterModel(data.figures, Quarter.parse("4Q25"), data.calendar)
    revenue = model.value("revenue").value
    change = model.yoy("revenue").value
    assert revenue is not None
    assert change is not None
    worded = f"{'up' if change > 0 else 'down'} {formatting.magnitude_percent(change)}"
    reporting = data.company.reporting
    amount = f"{reporting.currency} {formatting.number(revenue)} {reporting.scale}"
    first = f"Revenue was {amount}, {worded} from 4Q24."
    assert first in text
    members = model.value("loyalty_members").value
    assert members is not None
    assert f"Loyalty club: {formatting.number(members)} members" in text
    # The README quotes the first bullet as the reader will see it.
    assert f'"{first}"' in section(TITLE).replace("\n   ", " ")
