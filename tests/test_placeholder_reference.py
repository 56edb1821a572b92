"""docs/placeholders.md: generated from the code, in sync with it, and complete."""

from __future__ import annotations

import io
import re

import pytest

from reportgen import placeholder_reference
from reportgen.cli import main
from reportgen.errors import ReportgenError
from reportgen.slides.commentary import FILTER_HELP
from tests.conftest import ROOT

DOC = ROOT / placeholder_reference.OUTPUT


@pytest.fixture(scope="module")
def generated() -> str:
    return placeholder_reference.reference()


def _documented(text: str) -> set[str]:
    """The names in the first column of the reference's tables."""
    return set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))


def test_committed_reference_is_up_to_date(generated: str) -> None:
    committed = DOC.read_text(encoding="utf-8")
    assert committed == generated, (
        f"{DOC.relative_to(ROOT)} is out of date with the code: "
        f"run `{placeholder_reference.COMMAND}` and commit it"
    )


def test_every_filter_and_name_is_documented(generated: str) -> None:
    contexts = placeholder_reference._contexts()
    for ctx in contexts.values():
        language = ctx.commentary.language
        registered = set(language.filters) | set(language.names)
        forecast = placeholder_reference._forecast_comments(ctx).language
        registered |= set(forecast.filters)
        assert registered - _documented(generated) == set()
        assert registered - _documented(DOC.read_text(encoding="utf-8")) == set()
    # The filters a build registers, not only the help tables' keys.
    assert {"m", "count", "qoq_change_dir", "ratio_qoq_pt_dir", "has", "period"} <= registered
    assert {"target_large", "target_per_share", "change_dir", "year_ago_quarter"} <= registered
    # The first names, kept for deck files written with them.
    assert {"target_bn", "target_jpy"} <= registered


def test_examples_print_what_the_edition_prints(generated: str) -> None:
    rows = {name: line for line in generated.splitlines() for name in _documented(line)}
    assert "`{{ 'revenue'\\|m }}` | `17,444` | `17,444` |" in rows["m"]
    assert "`up 7.5%` | `7.5%増` |" in rows["yoy_dir"]
    assert "`(12.6%)` | `△12.6%` |" in rows["qoq"]
    assert "`2025年3月期 第1四半期`" in rows["period"]
    assert "`JPY22` | `22円` |" in rows["target_per_share"]
    # A former name prints what its new name prints.
    assert rows["target_jpy"].split("|")[-3:] == rows["target_per_share"].split("|")[-3:]
    assert rows["target_bn"].split("|")[-3:] == rows["target_large"].split("|")[-3:]


def test_an_undescribed_filter_fails_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    trimmed = {k: v for k, v in FILTER_HELP.items() if k != "qoq_change_dir"}
    monkeypatch.setattr(placeholder_reference, "FILTER_HELP", trimmed)
    with pytest.raises(ReportgenError, match="commentary filters without a description: "):
        placeholder_reference.reference()


def test_cli_prints_and_writes_the_reference(generated: str, tmp_path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["-q", "placeholders"], stdout=out, stderr=err) == 0
    assert out.getvalue() == generated
    target = tmp_path / "docs" / "placeholders.md"
    assert main(["-q", "placeholders", "--out", str(target)], stdout=out, stderr=err) == 0
    assert target.read_text(encoding="utf-8") == generated
