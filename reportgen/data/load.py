"""Read a company's data folder into validated records. Parsing only: no arithmetic.

Layout of a company folder::

    company.yaml          who the company is, its fiscal calendar, contact
    sources.yaml          the documents figures come from (S1, S2, ...)
    figures/<period>.csv  figures as published for that period (1Q08, 1H07, FY07)
    targets.csv           forecasts, each with the date it was announced
    decks/<quarter>.yaml  the deck of a quarter: release date, slides, commentary
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from reportgen.data.schema import (
    FIGURE_COLUMNS,
    TARGET_COLUMNS,
    Company,
    FigureRow,
    Source,
    TargetRow,
    parse_number,
)
from reportgen.errors import DataError, QuarterError
from reportgen.model.figures import Figure, Figures
from reportgen.quarters import FiscalCalendar, Period

log = logging.getLogger(__name__)

# libyaml's parser when it is there (it is in the pinned PyYAML wheels): the deck
# files are read on every preview rebuild, and the pure-Python parser is slow.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Target:
    """A forecast figure for a period as announced on a date."""

    figure: Figure
    announced: str


@dataclass(frozen=True, slots=True)
class Dataset:
    """A company's validated data: records and figures, ready for the model."""

    root: Path
    company: Company
    sources: dict[str, Source]
    figures: Figures
    targets: tuple[Target, ...]
    calendar: FiscalCalendar


def shown(path: Path) -> str:
    """Return ``path`` as a user would type it: relative to the working folder if inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_text(path: Path) -> str:
    """Read a data file as text; accept UTF-8 (with or without BOM) and CP932."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{shown(path)}: file not found") from None
    except OSError as exc:
        raise DataError(f"{shown(path)}: cannot read ({exc.strerror})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError:
        raise DataError(f"{shown(path)}: not UTF-8 text; save the file as UTF-8") from None
    # Excel in Japan saves CSV as Shift_JIS/CP932 by default; read it rather than refuse.
    log.warning("%s: read as Shift_JIS (CP932); saving it as UTF-8 is recommended", shown(path))
    return text


def read_yaml(path: Path) -> Any:
    """Parse a YAML file; syntax errors name the line and column."""
    text = read_text(path)
    try:
        return yaml.load(text, Loader=YAML_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DataError(f"{shown(path)}{where}: YAML syntax error: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{shown(path)}: YAML syntax error: {exc}") from None


def describe(exc: ValidationError) -> str:
    """First pydantic error as ``where: what``, in one line."""
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "(top level)"
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = "unknown key"
    more = len(exc.errors()) - 1
    return f"{where}: {message}" + (f" (and {more} more)" if more else "")


def parse_record(path: Path, model: type[Model], data: Any, where: str = "") -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataError(f"{shown(path)}{where}: {describe(exc)}") from None


def read_table(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """Read a CSV file as text cells and check its header is exactly ``columns``."""
    text = read_text(path)
    if not text.strip():
        raise DataError(f"{shown(path)}: empty file; expected the header {','.join(columns)}")
    try:
        with warnings.catch_warnings():
            # pandas only warns when a row is longer than the header; that is an error here.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=True,
                index_col=False,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError) as exc:
        detail = " ".join(str(exc).split())
        raise DataError(
            f"{shown(path)}: not a valid CSV table ({detail}); expected {len(columns)} "
            f"columns: {','.join(columns)}"
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    absent = [c for c in columns if c not in frame.columns]
    extra = [c for c in frame.columns if c not in columns]
    if absent:
        raise DataError(
            f"{shown(path)}: missing column {absent[0]!r}; expected {','.join(columns)}"
        )
    if extra:
        raise DataError(f"{shown(path)}: unknown column {extra[0]!r}; expected {','.join(columns)}")
    return frame.map(str.strip)[list(columns)]


def _figure(row: FigureRow, period: str, key: str | None = None) -> Figure:
    value, uncertainty = (None, 0.0) if row.status == "undisclosed" else parse_number(row.value)
    return Figure(
        key=key or row.item,
        period=period,
        value=value,
        status=row.status,
        source=row.source,
        uncertainty=uncertainty,
        note=row.note,
    )


def _check_source(path: Path, line: int, row: FigureRow, sources: dict[str, Source]) -> None:
    source = sources.get(row.source)
    where = f"{shown(path)}, line {line} ({row.item})"
    if source is None:
        known = ", ".join(sources)
        raise DataError(f"{where}: unknown source {row.source!r}; expected one of {known}")
    if (row.status == "seed") != (source.kind == "seed"):
        raise DataError(
            f"{where}: status {row.status!r} does not fit source {row.source!r} ({source.kind}); "
            "figures found only in the seed deck have status 'seed'"
        )


def load_figures(folder: Path, sources: dict[str, Source]) -> dict[tuple[str, str], Figure]:
    """Read every ``figures/<period>.csv``; the file name gives the period."""
    stored: dict[tuple[str, str], Figure] = {}
    if not folder.is_dir():
        raise DataError(f"{shown(folder)}: folder not found; expected one CSV file per period")
    for path in sorted(folder.glob("*.csv")):
        try:
            period = Period.parse(path.stem).name
        except QuarterError:
            raise DataError(
                f"{shown(path)}: file name is not a period; expected e.g. 1Q08.csv, 1H07.csv, "
                "FY07.csv"
            ) from None
        lines: dict[str, int] = {}
        for index, cells in enumerate(read_table(path, FIGURE_COLUMNS).to_dict("records")):
            line = index + 2
            row = parse_record(path, FigureRow, cells, f", line {line} ({period})")
            if row.item in lines:
                raise DataError(
                    f"{shown(path)}, line {line} ({row.item}, {period}): duplicate of line "
                    f"{lines[row.item]}; each figure belongs in exactly one row"
                )
            lines[row.item] = line
            _check_source(path, line, row, sources)
            stored[(row.item, period)] = _figure(row, period)
    return stored


def load_targets(path: Path, sources: dict[str, Source]) -> tuple[Target, ...]:
    if not path.exists():
        return ()
    targets: list[Target] = []
    seen: dict[tuple[str, str, str], int] = {}
    for index, cells in enumerate(read_table(path, TARGET_COLUMNS).to_dict("records")):
        line = index + 2
        row = parse_record(path, TargetRow, cells, f", line {line}")
        try:
            period = Period.parse(row.period).name
        except QuarterError as exc:
            raise DataError(f"{shown(path)}, line {line}: {exc}") from None
        key = (row.item, period, row.announced.isoformat())
        if key in seen:
            raise DataError(
                f"{shown(path)}, line {line} ({row.item}, {period}, announced "
                f"{row.announced}): duplicate of line {seen[key]}"
            )
        seen[key] = line
        _check_source(path, line, row, sources)
        targets.append(Target(_figure(row, period), row.announced.isoformat()))
    return tuple(targets)


def load_dataset(root: Path) -> Dataset:
    """Load and schema-check a company folder."""
    if not root.is_dir():
        raise DataError(f"{shown(root)}: data folder not found")
    company = parse_record(root / "company.yaml", Company, read_yaml(root / "company.yaml"))
    raw_sources = read_yaml(root / "sources.yaml")
    if not isinstance(raw_sources, dict):
        raise DataError(f"{shown(root / 'sources.yaml')}: expected a mapping of source ids")
    sources = {
        str(key): parse_record(root / "sources.yaml", Source, value, f" ({key})")
        for key, value in raw_sources.items()
    }
    stored = load_figures(root / "figures", sources)
    return Dataset(
        root=root,
        company=company,
        sources=sources,
        figures=Figures(stored),
        targets=load_targets(root / "targets.csv", sources),
        calendar=FiscalCalendar(company.fiscal_year_start_month),
    )
