"""The README's "Adding a company" works as written (issue 20).

The steps are read from the README itself and carried out in ``tmp_path``, as
``tests/test_walkthrough.py`` does for "Your first quarter": a copy of the fictional
retailer becomes "My Shop", with its own company.yaml, one more item in items.yaml,
figures for it and a deck of its own; then ``check`` and ``build`` run through the CLI.
Every figure the test expects comes from the model, never typed here.
"""

from __future__ import annotations

import html
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from reportgen import formatting
from reportgen.data.load import load_dataset
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from tests.conftest import ROOT
from tests.test_walkthrough import FENCE, HEREDOC, MAKE, run, section

TITLE = "Adding a company"
COPY = re.compile(r"cp -r (\S+) (\S+)$")
REMOVE = re.compile(r"rm (\S+)/\*\.yaml$")


def steps() -> list[str]:
    """The shell lines of the walkthrough, in order, as a reader copies them."""
    blocks = [textwrap.dedent(m.group(2)) for m in FENCE.finditer(section(TITLE))]
    return "".join(blocks).splitlines()


def follow(lines: list[str], root: Path) -> dict[str, tuple[int, str, str]]:
    """Carry out the steps under ``root``; return each make target's exit code and output."""
    results: dict[str, tuple[int, str, str]] = {}
    lines = list(lines)
    while lines:
        line = lines.pop(0)
        if copy := COPY.match(line):
            # Only the repository's own data is copied: the README copies an example.
            source = ROOT / copy.group(1)
            assert source.is_relative_to(ROOT / "data" / "examples"), line
            shutil.copytree(source, root / copy.group(2))
        elif remove := REMOVE.match(line):
            for path in (root / remove.group(1)).glob("*.yaml"):
                path.unlink()
        elif heredoc := HEREDOC.match(line):
            end = lines.index("EOF")
            body, lines = lines[:end], lines[end + 1 :]
            mode = "a" if heredoc.group(1) == ">>" else "w"
            with (root / heredoc.group(2)).open(mode, encoding="utf-8") as f:
                f.write("\n".join(body) + "\n")
        elif make := MAKE.match(line):
            target = make.group(1)
            args = dict(pair.split("=") for pair in make.group(2).split())
            data = str(root / args.pop("DATA"))
            quarter = args.pop("QUARTER", "")
            assert not args, f"README step {line!r}: options the test does not follow"
            if target == "items":
                results[target] = run("items", "--company", data)
            elif target == "check":
                results[target] = run("check", "--quarter", quarter, "--data", data)
            elif target == "report":
                out = str(root / "output")
                results[target] = run("build", "--quarter", quarter, "--data", data, "--out", out)
            else:
                pytest.fail(f"README step {line!r}: a make target the test does not know")
        else:
            pytest.fail(f"README step {line!r}: a command the test does not know")
    return results


def test_adding_a_company_works_as_written(tmp_path: Path) -> None:
    results = follow(steps(), tmp_path)
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
