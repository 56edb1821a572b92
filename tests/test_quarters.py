from datetime import date

import pytest

from reportgen.errors import QuarterError
from reportgen.quarters import FiscalCalendar, Period, Quarter

APRIL = FiscalCalendar(4)


def test_parse_and_name() -> None:
    quarter = Quarter.parse("1Q08")
    assert (quarter.fiscal_year, quarter.number) == (2008, 1)
    assert quarter.name == "1Q08"


def test_parse_is_case_insensitive() -> None:
    assert Quarter.parse("1q08") == Quarter.parse("1Q08")


@pytest.mark.parametrize(
    "text",
    ["5Q08", "0Q08", "1Q8", "Q108", "../x", "", " ", "1Q080", "1Q08/../..", "\uff11Q08x"],
    ids=["5Q08", "0Q08", "1Q8", "Q108", "traversal", "empty", "blank", "long", "path", "junk"],
)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(QuarterError, match="expected a quarter such as 1Q08"):
        Quarter.parse(text)


def test_arithmetic_across_year_boundaries() -> None:
    q = Quarter.parse("1Q08")
    assert q.previous.name == "4Q07"
    assert q.previous.previous.name == "3Q07"
    assert q.year_ago.name == "1Q07"
    assert [x.name for x in q.trailing(5)] == ["1Q07", "2Q07", "3Q07", "4Q07", "1Q08"]
    assert Quarter.parse("4Q07").shift(1).name == "1Q08"


@pytest.mark.parametrize(
    ("name", "span", "end"),
    [
        ("1Q08", "08/4 ~ 08/6", date(2008, 6, 30)),
        ("1Q07", "07/4 ~ 07/6", date(2007, 6, 30)),
        ("4Q07", "08/1 ~ 08/3", date(2008, 3, 31)),
        ("3Q07", "07/10 ~ 07/12", date(2007, 12, 31)),
    ],
    ids=["1Q08", "1Q07", "4Q07", "3Q07"],
)
def test_calendar_labels(name: str, span: str, end: date) -> None:
    quarter = Quarter.parse(name)
    assert Period.of(quarter).span_label(APRIL) == span
    assert quarter.end_date(APRIL) == end


def test_calendar_year_starting_in_january() -> None:
    assert Quarter.parse("4Q08").end_date(FiscalCalendar(1)) == date(2008, 12, 31)


def test_periods() -> None:
    assert [q.name for q in Period.parse("1H07").quarters] == ["1Q07", "2Q07"]
    assert [q.name for q in Period.parse("2H07").quarters] == ["3Q07", "4Q07"]
    assert len(Period.parse("9M08").quarters) == 3
    assert Period.parse("FY07").span_label(APRIL) == "07/4 ~ 08/3"
    assert Quarter.parse("3Q08").year_to_date.name == "9M08"
    with pytest.raises(QuarterError):
        Period.parse("3H08")
