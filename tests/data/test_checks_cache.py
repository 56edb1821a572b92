"""The checks' results are reused between builds only while the data they read is unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.build import prepare
from reportgen.data import checks_cache
from reportgen.data.checks_cache import validate_cached
from reportgen.data.load import Dataset, load_dataset
from reportgen.data.validate import Check, validate
from reportgen.errors import TieOutError
from reportgen.quarters import Quarter
from tests.conftest import IIJ, edit


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The data folders the checks really ran on (not read from the cache)."""
    ran: list[Path] = []

    def counted(dataset: Dataset) -> list[Check]:
        ran.append(dataset.root)
        return validate(dataset)

    monkeypatch.setattr(checks_cache, "validate", counted)
    return ran


def test_a_text_edit_reuses_the_checks(data_copy: Path, tmp_path: Path, runs: list[Path]) -> None:
    first = validate_cached(load_dataset(data_copy), tmp_path)
    edit(data_copy / "decks" / "1Q08.yaml", "kind: sga", "kind: sga\n    title: SG&A")
    second = validate_cached(load_dataset(data_copy), tmp_path)
    assert runs == [data_copy]
    assert second == first == validate(load_dataset(data_copy))


def test_a_figure_edit_runs_the_checks_again(
    data_copy: Path, tmp_path: Path, runs: list[Path]
) -> None:
    validate_cached(load_dataset(data_copy), tmp_path)
    edit(data_copy / "figures" / "1Q08.csv", "income_tax,213", "income_tax,313")
    with pytest.raises(TieOutError, match="tie-out 'net income' fails for 1Q08"):
        validate_cached(load_dataset(data_copy), tmp_path)
    # A failing result is never kept: the next build checks and fails again.
    with pytest.raises(TieOutError):
        validate_cached(load_dataset(data_copy), tmp_path)
    assert len(runs) == 3
    assert len(list(tmp_path.glob("*.json"))) == 1


def test_a_code_change_runs_the_checks_again(
    data_copy: Path, tmp_path: Path, runs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    validate_cached(load_dataset(data_copy), tmp_path)
    monkeypatch.setattr(checks_cache, "_code_key", lambda: "another version of reportgen")
    validate_cached(load_dataset(data_copy), tmp_path)
    assert len(runs) == 2


def test_a_damaged_cache_file_is_ignored(data_copy: Path, tmp_path: Path, runs: list[Path]) -> None:
    expected = validate_cached(load_dataset(data_copy), tmp_path)
    (cached,) = tmp_path.glob("*.json")
    cached.write_text('[{"name": "half a fi', encoding="utf-8")
    assert validate_cached(load_dataset(data_copy), tmp_path) == expected
    assert len(runs) == 2


def test_an_unwritable_cache_costs_only_a_recheck(
    data_copy: Path, tmp_path: Path, runs: list[Path]
) -> None:
    blocked = tmp_path / "checks"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    expected = validate(load_dataset(data_copy))
    assert validate_cached(load_dataset(data_copy), blocked) == expected
    assert validate_cached(load_dataset(data_copy), blocked) == expected
    assert len(runs) == 2


def test_a_cached_warning_is_still_reported(tmp_path: Path) -> None:
    quarter = Quarter.parse("1Q08")
    _, _, first = prepare(IIJ, quarter, checks_dir=tmp_path)
    _, _, second = prepare(IIJ, quarter, checks_dir=tmp_path)
    assert [c.message for c in second] == [c.message for c in first]
    assert any("cash movement vs cash flows leaves a gap" in c.message for c in second)
