"""Measures: signs, missing inputs and rounding bounds, including property tests."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reportgen import formatting
from reportgen.model import measures
from reportgen.model.figures import Figure, missing
from reportgen.model.quarter import QuarterModel


def fig(value: float | None, period: str = "1Q08", uncertainty: float = 0.5) -> Figure:
    if value is None:
        return missing("x", period)
    return Figure("x", period, value, "published", "S1", uncertainty=uncertainty)


amounts = st.integers(min_value=1, max_value=10**7).map(float)
signed_amounts = st.integers(min_value=-(10**7), max_value=10**7).map(float)


@given(amounts, amounts)
def test_change_sign_follows_the_figures(now: float, then: float) -> None:
    result = measures.change(fig(now), fig(then, "1Q07"), "x:yoy")
    assert result.value is not None
    assert (result.value < 0) == (now < then)
    assert formatting.percent(result.value).startswith("(") == (
        formatting.percent(result.value) != "0.0%" and now < then
    )


@given(amounts, amounts)
def test_true_change_lies_within_the_rounding_bound(now: float, then: float) -> None:
    # Any unrounded pair that rounds to (now, then) gives a change inside the bound.
    result = measures.change(fig(now), fig(then, "1Q07"), "x:yoy")
    assert result.value is not None
    for dn in (-0.5, 0.5):
        for dt in (-0.5, 0.5):
            if then + dt > 0:
                true = ((now + dn) / (then + dt) - 1) * 100
                assert abs(true - result.value) <= result.uncertainty + 1e-9


@given(signed_amounts)
def test_change_from_a_non_positive_base_is_not_meaningful(now: float) -> None:
    for base in (0.0, -20.0):
        result = measures.change(fig(now), fig(base, "1Q07"), "x:yoy")
        assert result.status == "not_meaningful"
        assert result.value is None


@given(st.one_of(st.none(), signed_amounts), st.one_of(st.none(), signed_amounts))
def test_missing_in_missing_out(a: float | None, b: float | None) -> None:
    for result in (
        measures.change(fig(a), fig(b), "c"),
        measures.difference(fig(a), fig(b), "d"),
        measures.ratio(fig(a), fig(b), "r"),
    ):
        if a is None or b is None:
            assert result.missing
            assert result.value is None


@given(signed_amounts, signed_amounts)
def test_difference_is_exact_and_signed(now: float, then: float) -> None:
    result = measures.difference(fig(now), fig(then, "4Q07"), "x:change")
    assert result.value == now - then
    assert result.uncertainty == 1.0


def test_published_measure_wins_and_is_consistent(iij_model: QuarterModel) -> None:
    shown = iij_model.yoy("operating_income")
    assert shown.status == "published"
    assert shown.value == -40.5
    computed = measures.change(
        iij_model.value("operating_income"), iij_model.value("operating_income", "1Q07"), "oi"
    )
    assert computed.value is not None
    assert round(computed.value, 1) == -40.6
    assert measures.consistent(shown, computed)


def test_computed_measure_when_none_is_published(iij_model: QuarterModel) -> None:
    ratio = iij_model.ratio("cost")
    assert ratio.status == "derived"
    assert formatting.percent(ratio.value) == "81.5%"
    assert iij_model.change("cash", "1Q08", "4Q07").value == -1528


def test_tables_name_the_notes_their_gaps_need() -> None:
    from reportgen.slides.cells import Row, Styles, Table, cell

    percent = Styles.of(formatting.Numbers()).percent

    not_meaningful = measures.change(fig(18.0), fig(-20.0, "1Q07"), "equity:yoy")
    rows = (
        Row("a", (cell(fig(None), percent),)),
        Row("b", (cell(not_meaningful, percent),)),
    )
    assert Table((("", "x"),), rows).note_keys == ("note.not_available", "note.not_meaningful")
    assert Table((("", "x"),), rows[1:]).note_keys == ("note.not_meaningful",)
