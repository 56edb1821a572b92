"""The checks' results are reused between builds only while the data they read is unchanged."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reportgen.build import ValidatedData, prepare
from reportgen.data import checks_cache
from reportgen.data.checks_cache import validate_cached
from reportgen.data.load import Dataset, load_dataset
from reportgen.data.validate import Check, validate
from reportgen.errors import DataError, TieOutError
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
    edit(data_copy / "decks" / "1Q08.yaml", 'title: "SG&A Expenses/R&D"', "title: SG&A")
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
    # The real key, read from copies of the package: two identical, one with a
    # validation module edited.
    package = Path(checks_cache.__file__).resolve().parents[1]
    copies = [tmp_path / name / "reportgen" for name in ("first", "same", "edited")]
    for copy in copies:
        shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    module = copies[2] / "data" / "validate.py"
    module.write_text(
        module.read_text(encoding="utf-8").replace("def validate(", "def validate(  ", 1),
        encoding="utf-8",
    )
    dataset = load_dataset(data_copy)
    for copy in copies:
        monkeypatch.setattr(checks_cache, "_PACKAGE", copy)
        validate_cached(dataset, tmp_path / "cache")
    # The same code reuses the checks wherever it lies; edited code runs them again.
    assert len(runs) == 2


@pytest.mark.parametrize("reader", ["build", "preview"])
def test_a_figure_edit_behind_a_symlinked_folder_runs_the_checks_again(
    data_copy: Path, tmp_path: Path, reader: str
) -> None:
    # A link that stays inside the data folder (one out of it is refused: test_files).
    shared = data_copy / "archive" / "figures-2008"
    shared.parent.mkdir()
    shutil.move(data_copy / "figures", shared)
    (data_copy / "figures").symlink_to(shared, target_is_directory=True)
    preview = ValidatedData()

    def check() -> object:
        if reader == "preview":
            return preview.get(data_copy)
        return validate_cached(load_dataset(data_copy), tmp_path / "cache")

    check()
    edit(shared / "1Q08.csv", "income_tax,213", "income_tax,313")
    with pytest.raises(TieOutError, match="tie-out 'net income' fails for 1Q08"):
        check()


def test_a_new_figures_file_runs_the_checks_again(
    data_copy: Path, tmp_path: Path, runs: list[Path]
) -> None:
    validate_cached(load_dataset(data_copy), tmp_path)
    (data_copy / "figures" / "2Q08.csv").write_text(
        "item,value,source,status,note\n", encoding="utf-8"
    )
    validate_cached(load_dataset(data_copy), tmp_path)
    assert len(runs) == 2


def test_the_preview_sees_a_new_figures_file(data_copy: Path) -> None:
    preview = ValidatedData()
    preview.get(data_copy)
    (data_copy / "figures" / "2Q08.csv").write_text("item,value\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"2Q08\.csv: missing column 'source'"):
        preview.get(data_copy)


def tamper(entry: Path, data: Path, cache: Path) -> None:
    """Drop the warning from the stored checks, keeping the old seal."""
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["checks"] = [c for c in stored["checks"] if c["severity"] != "warning"]
    entry.write_text(json.dumps(stored), encoding="utf-8")


DAMAGE: dict[str, Callable[[Path, Path, Path], None]] = {
    "truncated": lambda entry, *_: entry.write_bytes(entry.read_bytes()[:100]),
    "empty": lambda entry, *_: entry.write_bytes(b""),
    "tampered": tamper,
    "list-only": lambda entry, *_: entry.write_text("[]", encoding="utf-8"),
    "nan": lambda entry, *_: entry.write_text('{"checks": [NaN]}', encoding="utf-8"),
    "deep": lambda entry, *_: entry.write_text("[" * 100_000, encoding="utf-8"),
    "folder": lambda entry, *_: (entry.unlink(), entry.mkdir()),
    "fifo": lambda entry, *_: (entry.unlink(), os.mkfifo(entry)),
    "symlink": lambda entry, data, _: (entry.unlink(), entry.symlink_to(data / "sources.yaml")),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_cache_entry_is_never_trusted(
    data_copy: Path, tmp_path: Path, runs: list[Path], damage: str
) -> None:
    cache = tmp_path / "cache"
    expected = validate_cached(load_dataset(data_copy), cache)
    (entry,) = cache.glob("*.json")
    DAMAGE[damage](entry, data_copy, cache)
    assert validate_cached(load_dataset(data_copy), cache) == expected
    assert len(runs) == 2
    # Replaced by a good entry, which the next build reuses.
    assert validate_cached(load_dataset(data_copy), cache) == expected
    assert len(runs) == 2


def test_an_entry_of_other_data_is_never_trusted(
    data_copy: Path, tmp_path: Path, runs: list[Path]
) -> None:
    cache = tmp_path / "cache"
    figures = data_copy / "figures" / "1Q08.csv"
    expected = validate_cached(load_dataset(data_copy), cache)
    (entry,) = cache.glob("*.json")
    good = figures.read_text(encoding="utf-8")
    # Other data, whose checks pass with no warning for 1Q08's cash flows.
    edit(figures, 'cf_financing,"(2,695)"', 'cf_financing,"(2,721)"')
    other = validate_cached(load_dataset(data_copy), cache)
    assert [c.message for c in other] != [c.message for c in expected]
    (other_entry,) = (p for p in cache.glob("*.json") if p != entry)
    figures.write_text(good, encoding="utf-8")
    entry.write_bytes(other_entry.read_bytes())
    assert validate_cached(load_dataset(data_copy), cache) == expected
    assert len(runs) == 3


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
