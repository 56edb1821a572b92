"""``reportgen placeholders``: the placeholder reference, generated from the code.

Every filter and name a commentary text may use, with its description and example
(``FILTER_HELP`` and ``NAME_HELP`` in ``slides/commentary.py``, ``FORECAST_FILTER_HELP``
in ``slides/reference.py``) and what the example prints in each edition, rendered
against the fictional company's 1Q25 deck as a build renders it. The output is
committed as docs/placeholders.md; ``tests/test_placeholder_reference.py`` keeps it in
sync and fails on a filter or name without an entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from markupsafe import Markup

from reportgen.data.load import load_dataset
from reportgen.errors import ReportgenError
from reportgen.model.targets import targets_in_force
from reportgen.quarters import Period, Quarter
from reportgen.render import TEMPLATES
from reportgen.slides.base import BuildContext
from reportgen.slides.commentary import FILTER_HELP, NAME_HELP
from reportgen.slides.deck import deck_context
from reportgen.slides.messages import Messages
from reportgen.slides.reference import FORECAST_FILTER_HELP, _Comments

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "examples" / "fictional"
QUARTER = Quarter.parse("1Q25")
OUTPUT = Path("docs") / "placeholders.md"
COMMAND = "make placeholders"
EDITIONS = ("en", "ja")

Render = Callable[[str], str]
_HELP = "FILTER_HELP in reportgen/slides/commentary.py"
_FORECAST_HELP = "FORECAST_FILTER_HELP in reportgen/slides/reference.py"

# Arguments: every figure filter (and ``has``, ``is_loss``) takes a period.
ARGUMENT_EXAMPLES = (
    ("a quarter by name", "{{ 'revenue'|m(year_ago_quarter) }}"),
    ("a year by code (halves: '1H24')", "{{ 'revenue'|m('FY24') }}"),
    ("a change at another period", "{{ 'revenue'|qoq_dir('4Q24') }}"),
    ("nine months by code", "{{ 'revenue'|m('9M24') }}"),
    (
        "a test at another period",
        "{% if has('revenue', prior_quarter) %}{{ 'revenue'|m(prior_quarter) }}{% endif %}",
    ),
)


def _contexts() -> dict[str, BuildContext]:
    dataset = load_dataset(EXAMPLE)
    return {
        edition: deck_context(dataset, QUARTER, Messages.load(TEMPLATES, edition))[0]
        for edition in EDITIONS
    }


# A deck before 4Q forecasts its own year, against the year before's actuals.
_TARGET_YEAR = Period("FY", 0, QUARTER.fiscal_year)
_ACTUAL_YEAR = Period("FY", 0, QUARTER.fiscal_year - 1)


def _forecast_comments(ctx: BuildContext) -> _Comments:
    """The forecast slide's comments, as the deck's forecast slide renders them."""
    targets = targets_in_force(ctx.dataset.targets, ctx.release_date, ctx.dataset.catalogue)
    where = str(OUTPUT)  # an example that fails names the reference, whatever the text
    return _Comments(targets, ctx, _TARGET_YEAR.name, _ACTUAL_YEAR.name, lambda _: where)


def _undocumented(
    registered: set[str], described: Mapping[str, object], what: str, table: str
) -> None:
    missing = sorted(registered - set(described))
    if missing:
        raise ReportgenError(
            f"{what} without a description: {', '.join(missing)}; "
            f"add (description, example) to {table}"
        )
    stale = sorted(set(described) - registered)
    if stale:
        raise ReportgenError(f"{what} described but not registered: {', '.join(stale)}")


def _cell(text: str) -> str:
    """Text in a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{_cell(text)}`"


def _table(
    help_: Mapping[str, tuple[str, str]], renders: Mapping[str, Render], head: str
) -> list[str]:
    lines = [
        f"| {head} | What it prints | Example | English | Japanese |",
        "|---|---|---|---|---|",
    ]
    for name, (description, example) in help_.items():
        shown = [_code(renders[e](example)) for e in EDITIONS]
        lines.append(
            f"| `{name}` | {_cell(description)} | {_code(example)} | {' | '.join(shown)} |"
        )
    return lines


def reference() -> str:
    """docs/placeholders.md as the code stands."""
    contexts = _contexts()
    commentary = contexts["en"].commentary
    _undocumented(set(commentary.language.filters), FILTER_HELP, "commentary filters", _HELP)
    _undocumented(
        set(commentary.language.names),
        NAME_HELP,
        "commentary names",
        "NAME_HELP in reportgen/slides/commentary.py",
    )
    forecasts = {e: _forecast_comments(ctx) for e, ctx in contexts.items()}
    _undocumented(
        set(forecasts["en"].language.filters),
        FORECAST_FILTER_HELP,
        "forecast filters",
        _FORECAST_HELP,
    )

    def plain(render: Callable[[str], Markup]) -> Render:
        """The text a reader sees: the figure spans' markup (and their hover titles) removed."""
        return lambda source: render(source).striptags()

    texts = {e: plain(ctx.commentary.text) for e, ctx in contexts.items()}
    comments = {e: plain(f.text) for e, f in forecasts.items()}
    lines = [
        "# Placeholder reference",
        "",
        f"<!-- Generated by `{COMMAND}` (reportgen/placeholder_reference.py); do not edit. -->",
        "",
        "Commentary (bullets, notes, text slides, forecast comments) is text plus",
        "placeholders: `{{ value|filter }}` prints a figure of the model in the edition's",
        "words, `{% if test %} ... {% elif test %} ... {% else %} ... {% endif %}` chooses",
        "text (with `not`, `and`, `or`). A value is an item key in quotes (see",
        "`reportgen items`) or one of the names below. Every figure filter takes a period",
        "as well: `{{ 'revenue'|m(year_ago_quarter) }}`, `{{ 'revenue'|m('FY24') }}`.",
        "",
        f"Each example below is rendered against the fictional company's {QUARTER.name}",
        "deck (`data/examples/fictional`) as a build renders it, in the English and the",
        "Japanese edition; the descriptions and examples live next to the filters",
        "(`FILTER_HELP` and `NAME_HELP` in `reportgen/slides/commentary.py`,",
        "`FORECAST_FILTER_HELP` in `reportgen/slides/reference.py`).",
        "",
        "## Filters",
        "",
        *_table(FILTER_HELP, texts, "Filter"),
        "",
        "## Periods as arguments",
        "",
        "| Argument | Example | English | Japanese |",
        "|---|---|---|---|",
        *(
            f"| {_cell(what)} | {_code(example)} | "
            + " | ".join(_code(texts[e](example)) for e in EDITIONS)
            + " |"
            for what, example in ARGUMENT_EXAMPLES
        ),
        "",
        "## Names",
        "",
        *_table(NAME_HELP, texts, "Name"),
        "",
        "## Forecast comments",
        "",
        "The comments beside the forecast rows (Ref. 1, `comments:` of a `forecast` slide)",
        "read the targets the slide shows, with filters of their own; the examples read the",
        f"{_TARGET_YEAR.name} targets against the {_ACTUAL_YEAR.name} actuals.",
        "",
        *_table(FORECAST_FILTER_HELP, comments, "Filter"),
        "",
    ]
    return "\n".join(lines)
