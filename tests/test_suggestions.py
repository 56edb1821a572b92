"""An unknown name in a data or deck file is answered with the closest known one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.suggest import did_you_mean
from tests.conftest import edit


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("word", "hint"),
    [
        ("revenues", " (did you mean 'revenue'?)"),
        ("Revenue", " (did you mean 'revenue'?)"),
        ("zzzz", ""),
    ],
    ids=["typo", "case", "nothing-close"],
)
def test_did_you_mean(word: str, hint: str) -> None:
    assert did_you_mean(word, ["revenue", "cost", "sga"]) == hint


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "figures/1Q08.csv",
            'revenue,"16,328"',
            'revenues,"16,328"',
            "1Q08.csv, line 2 (1Q08): item: unknown item 'revenues' (did you mean 'revenue'?)",
        ),
        (
            "decks/1Q08.yaml",
            "{{ 'revenue_recurring'|yoy }}",
            "{{ 'revenues_recurring'|yoy }}",
            "unknown item 'revenues_recurring' (did you mean 'revenue_recurring'?)",
        ),
        (
            "decks/1Q08.yaml",
            "kind: quarter_charts",
            "kind: quarter_chart",
            "unknown kind 'quarter_chart' (did you mean 'quarter_charts'?); expected one of",
        ),
        (
            "decks/1Q08.yaml",
            "      sections:",
            "      sectons:",
            "content.sectons: unknown key (did you mean 'sections'?); "
            "the panels slide reads lead, sections, text_size",
        ),
        (
            "decks/1Q08.yaml",
            "- heading: IIJ's New Business",
            "- haeding: IIJ's New Business",
            "content.sections.0.haeding: unknown key (did you mean 'heading'?)",
        ),
    ],
    ids=["figures-row", "placeholder", "slide-kind", "content-key", "nested-content-key"],
)
def test_unknown_name_suggests_the_closest(
    data_copy: Path, file: str, old: str, new: str, message: str
) -> None:
    edit(data_copy / file, old, new)
    code, _, err = run("-q", "sources", "--quarter", "1Q08", "--data", str(data_copy))
    assert code == 2
    error = err.splitlines()[-1]
    assert error.startswith("error: ")
    assert message in error
