"""Read a company's data folder into validated records. Parsing only: no arithmetic.

Layout of a company folder::

    company.yaml          who the company is, its fiscal calendar, contact
    sources.yaml          the documents figures come from (S1, S2, ...)
    figures/<period>.csv  figures as published for that period (1Q08, 1H07, FY07)
    targets.csv           forecasts, each with the date it was announced
    decks/<quarter>.yaml  the deck of a quarter: release date, slides, commentary
"""

from __future__ import annotations

import csv
import io
import logging
import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from reportgen import brand
from reportgen.data.inputs import InputLog, Inputs
from reportgen.data.marks import Marks
from reportgen.data.schema import (
    FIGURE_COLUMNS,
    FIGURE_OPTIONAL_COLUMNS,
    QUOTE_LIMIT,
    TARGET_COLUMNS,
    Company,
    FigureRow,
    Source,
    TargetRow,
    parse_number,
    quote,
)
from reportgen.errors import DataError, QuarterError
from reportgen.model.catalogue import Catalogue
from reportgen.model.figures import Document, Figure, Figures
from reportgen.model.targets import Target
from reportgen.quarters import FiscalCalendar, Period

log = logging.getLogger(__name__)

# libyaml's parser when it is there (it is in the pinned PyYAML wheels): the deck
# files are read on every preview rebuild, and the pure-Python parser is slow.
_YAML_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The largest real data file is a few KB; anything near this is not a data file
# (and /dev/zero behind a link would otherwise be read until memory runs out).
MAX_DATA_FILE_BYTES = 4 * 2**20

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Dataset:
    """A company's validated data: records and figures, ready for the model."""

    root: Path
    company: Company
    sources: dict[str, Source]
    figures: Figures
    targets: tuple[Target, ...]
    calendar: FiscalCalendar
    # The files and bytes it was loaded from: the key of anything cached about it.
    inputs: Inputs
    # The company's chart of accounts (items.yaml): the items its figures may hold.
    catalogue: Catalogue
    # The company's look (company.yaml ``brand:`` over reportgen/brand.py's defaults).
    brand: brand.Brand = brand.DEFAULT


def shown(path: Path) -> str:
    """Return ``path`` as a user would type it: relative to the working folder if inside it.

    Not resolved: a symlinked data file is named by its own name, never its target's.
    """
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bytes(path: Path, root: Path, log_to: InputLog | None = None) -> bytes:
    """Read a data file: a regular file that resolves inside ``root``, of bounded size.

    Every data file goes through here, so a link out of the data folder, a FIFO or
    a device (which would hang the build) and a huge file are refused in one place.
    """
    where = shown(path)
    if not path.resolve().is_relative_to(root.resolve()):
        raise DataError(
            f"{where}: links to a file outside {shown(root)}; expected a file inside that folder"
        )
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise DataError(f"{where}: {_kind_of(mode)}; expected a regular file")
        # Non-blocking, and checked again on the open file: a FIFO swapped in between
        # the two looks must not hang the build either.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise DataError(f"{where}: file not found") from None
    except OSError as exc:
        raise DataError(f"{where}: cannot read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise DataError(f"{where}: {_kind_of(info.st_mode)}; expected a regular file")
        try:
            raw = handle.read(MAX_DATA_FILE_BYTES + 1)
        except OSError as exc:
            raise DataError(f"{where}: cannot read ({exc.strerror})") from None
    if len(raw) > MAX_DATA_FILE_BYTES:
        raise DataError(
            f"{where}: larger than {MAX_DATA_FILE_BYTES // 2**20} MB; expected a data file "
            "(a few KB)"
        )
    if log_to is not None:
        log_to.file(path, raw)
    return raw


def read_text(path: Path, root: Path, log_to: InputLog | None = None) -> str:
    """Read a data file as text; accept UTF-8 (with or without BOM) and CP932."""
    raw = read_bytes(path, root, log_to)
    if b"\0" in raw:
        # Binary content is not quoted anywhere: the file is named, nothing more.
        raise DataError(f"{shown(path)}: a binary file; expected UTF-8 text")
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


class _DuplicateKey(yaml.YAMLError):
    """A mapping key written twice: YAML lets the last one win, we refuse."""

    def __init__(self, key: object, first: int, second: int) -> None:
        super().__init__(f"key {key!r} written twice")
        self.key, self.first, self.second = key, first, second


class DataYamlLoader(_YAML_BASE):
    """Safe YAML that refuses a key written twice and keeps dates as text.

    Dates are parsed by the schema (``schema.Day``), so ``2008-02-30`` is a data
    error naming the field, not a ValueError raised inside the YAML parser.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # ``<<: *defaults`` overrides on purpose
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                if key in seen:
                    raise _DuplicateKey(key, seen[key], line)
            except TypeError:
                continue  # an unhashable key: the base constructor reports it
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


DataYamlLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)
YAML_LOADER = DataYamlLoader


def read_yaml(path: Path, root: Path, log_to: InputLog | None = None) -> Any:
    """Parse a YAML file; syntax errors name the line and column, doubled keys both lines."""
    return read_yaml_marked(path, root, log_to)[0]


def read_yaml_marked(path: Path, root: Path, log_to: InputLog | None = None) -> tuple[Any, Marks]:
    """Parse a YAML file, and keep where each key and value is written (``Marks``).

    One parse: the nodes, which carry the marks, are constructed into the data.
    """
    text = read_text(path, root, log_to)
    loader = YAML_LOADER(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
        return data, Marks.of(shown(path), node)
    except _DuplicateKey as exc:
        lines = (
            f"line {exc.first}"
            if exc.first == exc.second
            else f"lines {exc.first} and {exc.second}"
        )
        raise DataError(
            f"{shown(path)}, {lines}: key {quote(exc.key)} is written twice; expected each key once"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DataError(f"{shown(path)}{where}: YAML syntax error: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{shown(path)}: YAML syntax error: {exc}") from None
    finally:
        loader.dispose()


def describe(exc: ValidationError) -> str:
    """First pydantic error as ``where: what``, in one line."""
    first, *others = describe_each(exc)
    return first + (f" (and {len(others)} more)" if others else "")


def describe_each(exc: ValidationError) -> tuple[str, ...]:
    """Every pydantic error as ``where: what`` (for the preview, which lists them all)."""
    described = []
    for err in exc.errors():
        # Keys come from the file: cut short, like any quoted input.
        where = ".".join(str(part)[:QUOTE_LIMIT] for part in err["loc"]) or "(top level)"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown key"
        elif err["type"] in ("int_type", "bool_type", "float_type"):
            message += f", not {_as_read(err['input'])}"
        described.append(f"{where}: {message}")
    return tuple(described)


def _as_read(value: object) -> str:
    """A scalar as YAML read it: a string quoted, a boolean as YAML writes it."""
    if isinstance(value, bool):
        # YAML reads yes, no, on and off as booleans: say so, or `yes` looks like a word.
        return f"{str(value).lower()} (YAML reads yes, no, on and off as true or false)"
    return quote(value) if isinstance(value, str) else str(value)[:QUOTE_LIMIT]


def parse_record(
    path: Path, model: type[Model], data: Any, where: str = "", catalogue: Catalogue | None = None
) -> Model:
    """Validate ``data``; item keys in it are checked against ``catalogue`` (see schema)."""
    try:
        return model.model_validate(data, context={"catalogue": catalogue})
    except ValidationError as exc:
        prefix = f"{shown(path)}{where}: "
        raise DataError(
            prefix + describe(exc), details=(prefix + each for each in describe_each(exc))
        ) from None


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row of a CSV data file: its cells by column, and the line it starts on."""

    line: int
    cells: dict[str, str]


def read_table(
    path: Path,
    columns: Sequence[str],
    root: Path,
    optional: Sequence[str] = (),
    log_to: InputLog | None = None,
) -> list[TableRow]:
    """Read a CSV file as text cells and check its header is exactly ``columns``.

    ``optional`` columns may follow or be left out; a row has a cell for those its
    file has. Each row knows the physical line it starts on, so a quoted cell that spans
    lines does not shift the line named in later errors. Blank rows are skipped.
    """
    text = read_text(path, root, log_to)
    expected = f"expected the header {','.join(columns)}"
    rows: list[TableRow] = []
    header: list[str] | None = None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        line = reader.line_num + 1
        try:
            cells = [cell.strip() for cell in next(reader)]
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataError(
                f"{shown(path)}, line {line}: not a valid CSV table ({exc}); {expected}"
            ) from None
        if not any(cells):
            continue
        if header is None:
            header = _check_header(path, cells, columns, optional)
            continue
        if len(cells) > len(header):
            raise DataError(
                f"{shown(path)}, line {line}: not a valid CSV table (a row of {len(cells)} "
                f"cells under a header of {len(header)}); expected {len(columns)} columns: "
                f"{','.join(columns)}"
            )
        # A short row (trailing empty cells left out, as Excel saves them) is padded.
        cells += [""] * (len(header) - len(cells))
        by_name = dict(zip(header, cells, strict=True))
        kept = [*columns, *(name for name in optional if name in by_name)]
        rows.append(TableRow(line, {name: by_name[name] for name in kept}))
    if header is None:
        raise DataError(f"{shown(path)}: empty file; {expected}")
    return rows


def _check_header(
    path: Path, header: list[str], columns: Sequence[str], optional: Sequence[str] = ()
) -> list[str]:
    expected = f"expected {','.join(columns)}" + "".join(f"[,{name}]" for name in optional)
    if not set(header) & set(columns):
        # Not our table at all (another file, a binary): name it, never quote it.
        raise DataError(f"{shown(path)}: the first line is not a header; {expected}")
    for name in columns:
        if name not in header:
            raise DataError(f"{shown(path)}: missing column {name!r}; {expected}")
    for index, name in enumerate(header):
        if name not in columns and name not in optional:
            raise DataError(f"{shown(path)}: unknown column {quote(name)}; {expected}")
        if name in header[:index]:
            raise DataError(f"{shown(path)}: column {name!r} written twice; {expected}")
    return header


def document(source_id: str, sources: Mapping[str, Source]) -> Document:
    """The document ``source_id`` names in ``sources.yaml``: the one place ids are resolved."""
    source = sources[source_id]
    return Document(source_id, source.title, source.date.isoformat(), source.url or "")


def _figure(
    row: FigureRow, period: str, sources: Mapping[str, Source], catalogue: Catalogue
) -> Figure:
    value, uncertainty = (None, 0.0) if row.status == "undisclosed" else parse_number(row.value)
    return Figure(
        key=row.item,
        period=period,
        value=value,
        status=row.status,
        source=row.source,
        uncertainty=uncertainty,
        note=row.note,
        as_of=row.as_of.isoformat() if row.as_of else "",
        documents=(document(row.source, sources),) if row.source else (),
        catalogue=catalogue,
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


def figure_files(root: Path, log_to: InputLog | None = None) -> list[Path]:
    """Every ``figures/<period>.csv`` with its period; two files of one period are an error.

    Period names are matched case-insensitively (``1q25.csv`` is 1Q25), so a file
    beside another that differs only in case would silently replace its figures.
    """
    folder = root / "figures"
    if not folder.is_dir():
        raise DataError(f"{shown(folder)}: folder not found; expected one CSV file per period")
    periods: dict[str, Path] = {}
    # Recorded: a file added to or removed from the folder changes what a load reads.
    listed = sorted(folder.iterdir()) if log_to is None else log_to.listing(folder, "*")
    for path in listed:
        if path.suffix.lower() != ".csv":
            continue
        try:
            period = Period.parse(path.stem).name
        except QuarterError:
            raise DataError(
                f"{shown(path)}: file name is not a period; expected e.g. 1Q08.csv, 1H07.csv, "
                "FY07.csv"
            ) from None
        if period in periods:
            raise DataError(
                f"{shown(path)} and {shown(periods[period])}: two files for {period}; "
                "expected one file per period"
            )
        periods[period] = path
    return list(periods.values())


def load_figures(
    root: Path, sources: dict[str, Source], catalogue: Catalogue
) -> dict[tuple[str, str], Figure]:
    """Read every ``figures/<period>.csv``: the latest version of each item and period."""
    versions = load_figure_versions(root, sources, catalogue)
    return dict(Figures.from_versions(versions, catalogue).stored)


def load_figure_versions(
    root: Path,
    sources: dict[str, Source],
    catalogue: Catalogue,
    calendar: FiscalCalendar | None = None,
    log_to: InputLog | None = None,
) -> list[Figure]:
    """Every stored figure; the file name gives the period.

    An item appears once per version: once as first published (``as_of`` empty)
    and once per release that restated it (``as_of`` that release's date, which
    with a ``calendar`` must fall after the period ends).
    """
    stored: list[Figure] = []
    for path in figure_files(root, log_to):
        period = Period.parse(path.stem).name
        ends = Period.parse(period).quarters[-1].end_date(calendar) if calendar else None
        lines: dict[tuple[str, object], int] = {}
        for table_row in read_table(
            path, FIGURE_COLUMNS, root, FIGURE_OPTIONAL_COLUMNS, log_to=log_to
        ):
            line = table_row.line
            row = parse_record(
                path, FigureRow, table_row.cells, f", line {line} ({period})", catalogue
            )
            version = (row.item, row.as_of)
            if version in lines:
                release = f"as of {row.as_of}" if row.as_of else "with no as_of"
                raise DataError(
                    f"{shown(path)}, line {line} ({row.item}, {period}): duplicate of line "
                    f"{lines[version]} ({release}); each figure belongs in exactly one row, "
                    "plus one per release that restated it (as_of: that release's date)"
                )
            lines[version] = line
            if row.as_of is not None and ends is not None and row.as_of <= ends:
                raise DataError(
                    f"{shown(path)}, line {line} ({row.item}, {period}): as_of {row.as_of} is "
                    f"not after {period} ends ({ends}); expected the date of the release that "
                    "restated the figure"
                )
            _check_source(path, line, row, sources)
            stored.append(_figure(row, period, sources, catalogue))
    return stored


def load_targets(
    root: Path, sources: dict[str, Source], catalogue: Catalogue, log_to: InputLog | None = None
) -> tuple[Target, ...]:
    path = root / "targets.csv"
    if not path.exists():
        if log_to is not None:
            log_to.absent(path)
        return ()
    targets: list[Target] = []
    seen: dict[tuple[str, str, str], int] = {}
    for table_row in read_table(path, TARGET_COLUMNS, root, log_to=log_to):
        line = table_row.line
        row = parse_record(path, TargetRow, table_row.cells, f", line {line}", catalogue)
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
        targets.append(Target(_figure(row, period, sources, catalogue), row.announced.isoformat()))
    return tuple(targets)


_SVG = "{http://www.w3.org/2000/svg}svg"


def _logo(path: Path, root: Path, log_to: InputLog) -> bytes:
    """The logo's SVG bytes; anything but an SVG file in the data folder is an input error."""
    from xml.etree import ElementTree

    where = shown(path)
    if path.suffix.lower() != ".svg":
        raise DataError(f"{where}: the brand logo is not an SVG file; expected logo: <name>.svg")
    if not path.exists():
        raise DataError(f"{where}: the brand logo is not found; expected an SVG file there")
    raw = read_bytes(path, root, log_to)
    try:
        tag = ElementTree.fromstring(raw).tag
    except ElementTree.ParseError as exc:
        raise DataError(f"{where}: the brand logo is not well-formed SVG ({exc})") from None
    if tag not in (_SVG, "svg"):
        raise DataError(f"{where}: the brand logo's root element is {tag!r}; expected <svg>")
    return raw


def load_brand(root: Path, company: Company, log_to: InputLog) -> brand.Brand:
    """The company's look: ``brand:`` of company.yaml over the defaults of reportgen/brand.py."""
    spec = company.brand
    if spec == type(spec)():
        return brand.DEFAULT
    logo = _logo(root / spec.logo, root, log_to) if spec.logo else b""
    return brand.Brand(
        colors={**brand.COLORS, **spec.colors},
        palette=spec.palette or brand.PALETTE,
        fonts={**brand.FONTS, **spec.fonts},
        logo_name=Path(spec.logo).name if spec.logo else "",
        logo=logo,
        footer=spec.footer or "",
    )


def load_dataset(root: Path) -> Dataset:
    """Load and schema-check a company folder."""
    if not root.is_dir():
        raise DataError(f"{shown(root)}: data folder not found")
    company_path, sources_path = root / "company.yaml", root / "sources.yaml"
    log_to = InputLog()
    company = parse_record(company_path, Company, read_yaml(company_path, root, log_to))
    raw_sources = read_yaml(sources_path, root, log_to)
    if not isinstance(raw_sources, dict):
        raise DataError(f"{shown(sources_path)}: expected a mapping of source ids")
    sources = {
        str(key): parse_record(sources_path, Source, value, f" ({quote(key)[1:-1]})")
        for key, value in raw_sources.items()
    }
    # Imported here: the catalogue's reader uses this module's YAML reader.
    from reportgen.data.catalogue import load_catalogue

    # Money items print in the company's currency and scale (company.yaml ``reporting:``).
    catalogue = load_catalogue(
        root,
        company.editions,
        log_to,
        money_unit=company.money_unit("en"),
        per_share_unit=company.reporting.currency,
    )
    calendar = FiscalCalendar(company.fiscal_year_start_month)
    stored = load_figure_versions(root, sources, catalogue, calendar, log_to)
    targets = load_targets(root, sources, catalogue, log_to)
    brand_ = load_brand(root, company, log_to)
    return Dataset(
        root=root,
        company=company,
        sources=sources,
        figures=Figures.from_versions(stored, catalogue),
        targets=targets,
        calendar=calendar,
        inputs=log_to.inputs(),
        catalogue=catalogue,
        brand=brand_,
    )
