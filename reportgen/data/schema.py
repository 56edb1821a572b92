"""Schemas of the data files: one pydantic model per file, and the figure-value parser."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from reportgen import brand
from reportgen.formatting import SCALES, Money, money_unit
from reportgen.model.catalogue import MEASURES, Catalogue
from reportgen.suggest import did_you_mean, unknown_item

FIGURE_COLUMNS = ("item", "value", "source", "status", "note")
# Columns a figures file may add: ``as_of``, the date of the release that restated a figure.
FIGURE_OPTIONAL_COLUMNS = ("as_of",)
TARGET_COLUMNS = ("period", "item", "value", "announced", "source", "status", "note")

# Analysts type figures as the releases print them, so "1,528", "(1,528)" and
# full-width digits are accepted; anything else is rejected, never guessed. Only
# ASCII digits match (``re.ASCII``): "166²" or Arabic-Indic digits are not numbers.
_NUMBER_RE = re.compile(
    r"(?P<neg>-)?(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?P<frac>\.[0-9]+)?", re.ASCII
)
# Full-width forms a Japanese input method types, folded explicitly (not NFKC,
# which would also turn "²" into "2"): digits, comma, full stop, parentheses, minus,
# percent sign.
_FULL_WIDTH = str.maketrans(
    {
        **{0xFF10 + d: str(d) for d in range(10)},
        0xFF0C: ",",
        0xFF0E: ".",
        0xFF08: "(",
        0xFF09: ")",
        0xFF0D: "-",
        0xFF05: "%",
    }
)


def fold_full_width(text: str) -> str:
    """Full-width digits and number punctuation as ASCII; every other character as is."""
    return text.translate(_FULL_WIDTH)


# Bounds that keep every figure, and every sum, ratio or change of figures, exact
# in a float and inside what ``formatting`` rounds (Decimal's 28 digits): a
# trillion of the unit (JPY million) and four decimals are far beyond any release.
MAX_INTEGER_DIGITS = 12
MAX_DECIMALS = 4
# Quoted input in an error is cut to this many characters: enough to recognise it.
QUOTE_LIMIT = 40
_DATE_RE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})", re.ASCII)


def quote(raw: object) -> str:
    """``raw`` as an error message quotes it: repr (no control characters), cut short."""
    text = repr(str(raw))
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 4] + "...'"


class Strict(BaseModel):
    """Base for data-file records: unknown keys are errors, records are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(Strict):
    """A document figures are taken from (a release, a filing, the seed deck)."""

    title: str
    date: Day
    url: str | None = None
    kind: Literal["release", "filing", "press", "seed"] = "release"


class Contact(Strict):
    office: str
    address: str
    tel: str
    fax: str | None = None
    url: str | None = None
    email: str | None = None


class CompanyText(Strict):
    """The text of ``company.yaml`` in another language; what is left out stays as is."""

    name: str = ""
    display_name: str = ""
    contact_office: str = ""
    contact_address: str = ""
    forward_looking_statement: str = ""
    # The footer of every slide in this edition (``brand.footer`` is the English one).
    footer: str = ""
    # Translated text says what it came from and whether the IR team has reviewed it;
    # ``source_hash`` is the English text's hash when the review was done (see
    # ``review.translations``), so an English edit after it reopens the review.
    translated_from: str = ""
    review: Literal["", "pending", "done"] = ""
    source_hash: str = ""


Scale = Literal["thousand", "million", "billion"]
_HEX = r"^#[0-9a-fA-F]{6}$"
Color = Annotated[str, Field(pattern=_HEX)]


class Reporting(Strict):
    """``reporting:``: what the figures are in; omitted keys are IIJ's (JPY million)."""

    currency: str = Field("JPY", pattern=r"^[A-Z]{3}$")  # ISO 4217
    scale: Scale = "million"
    large_scale: Scale = "billion"
    standard: str = "U.S. GAAP"

    @field_validator("large_scale")
    @classmethod
    def _larger(cls, value: str, info: ValidationInfo) -> str:
        scale = info.data.get("scale")
        if scale is not None and SCALES[value] <= SCALES[scale]:
            raise ValueError(
                f"large_scale {value!r} must be larger than scale {scale!r} "
                "(expected e.g. scale: million, large_scale: billion)"
            )
        return value

    @property
    def money(self) -> Money:
        return Money(self.currency, self.scale, self.large_scale)


class BrandSpec(Strict):
    """``brand:``: the company's look; omitted keys keep ``reportgen/brand.py``'s defaults."""

    colors: dict[str, Color] = Field(default_factory=dict)
    palette: tuple[Color, ...] = ()
    fonts: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    logo: str | None = None
    footer: str | None = None

    @field_validator("colors")
    @classmethod
    def _named(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if name not in brand.COLORS:
                raise ValueError(
                    f"unknown colour {quote(name)}{did_you_mean(name, brand.COLORS)} "
                    f"(expected one of {', '.join(brand.COLORS)})"
                )
        return value

    @field_validator("fonts")
    @classmethod
    def _families(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for edition, families in value.items():
            if edition not in brand.FONTS:
                raise ValueError(
                    f"fonts for unknown edition {quote(edition)} "
                    f"(expected {', '.join(brand.FONTS)})"
                )
            if not families or families[0] not in brand.SHIPPED_FONTS:
                first = families[0] if families else ""
                raise ValueError(
                    f"fonts.{edition}: the first family must be one shipped in fonts/ "
                    f"(expected one of {', '.join(brand.SHIPPED_FONTS)}), got {quote(first)}"
                )
        return value


class Company(Strict):
    """``company.yaml``: who the company is and how its calendar runs."""

    name: str
    short_name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,20}$")
    display_name: str
    fiscal_year_start_month: int = Field(ge=1, le=12, strict=True)
    ir_url: str | None = None
    fictional: bool = Field(False, strict=True)
    contact: Contact | None = None
    forward_looking_statement: str = ""
    # Per-language text for other editions: ``editions: {ja: {name: ..., ...}}``.
    editions: dict[str, CompanyText] = Field(default_factory=dict)
    reporting: Reporting = Field(default_factory=Reporting)
    brand: BrandSpec = Field(default_factory=BrandSpec)

    def money_unit(self, edition: str, *, large: bool = False) -> str:
        """The money unit text of an edition: ``JPY million``, 百万円, ``EUR thousand``..."""
        return money_unit(self.reporting.money, edition, large=large)

    def in_language(self, language: str) -> Company:
        """This company as the ``language`` edition prints it (English is the base)."""
        text = self.editions.get(language)
        if text is None:
            return self
        contact = self.contact
        if contact is not None:
            contact = contact.model_copy(
                update={
                    "office": text.contact_office or contact.office,
                    "address": text.contact_address or contact.address,
                }
            )
        return self.model_copy(
            update={
                "name": text.name or self.name,
                "display_name": text.display_name or self.display_name,
                "contact": contact,
                "forward_looking_statement": text.forward_looking_statement
                or self.forward_looking_statement,
            }
        )


def parse_number(raw: str) -> tuple[float, float]:
    """Parse a figure as typed; return (value, half of its last digit's unit).

    The second value is the rounding uncertainty the figure carries: ``16,328``
    is known to ±0.5, ``323.5`` to ±0.05. Raises ValueError with the reason.
    """
    text = fold_full_width(raw).strip()
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    match = _NUMBER_RE.fullmatch(text)
    if match is None or (negative and match["neg"]):
        raise ValueError(
            f"{quote(raw)} is not a number (expected e.g. 1528, 1,528, (1,528) or 19.2)"
        )
    digits = match["int"].replace(",", "").lstrip("0")
    places = len(match["frac"]) - 1 if match["frac"] else 0
    if len(digits) > MAX_INTEGER_DIGITS or places > MAX_DECIMALS:
        raise ValueError(
            f"{quote(raw)} is out of bounds (expected at most {MAX_INTEGER_DIGITS} digits "
            f"before the decimal point and {MAX_DECIMALS} after it)"
        )
    value = float(match["int"].replace(",", "") + (match["frac"] or ""))
    sign = -1.0 if negative or match["neg"] else 1.0
    return sign * value, 0.5 * 10.0**-places


def parse_day(raw: object) -> date:
    """Parse a date typed as ``YYYY-MM-DD`` (the only form data files use); else ValueError."""
    if isinstance(raw, date):
        return raw
    match = _DATE_RE.fullmatch(str(raw).strip()) if isinstance(raw, str) else None
    if match is None:
        raise ValueError(f"{quote(raw)} is not a date (expected YYYY-MM-DD, e.g. 2008-08-12)")
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError as exc:
        raise ValueError(
            f"{quote(raw)} is not a date ({exc}; expected YYYY-MM-DD, e.g. 2008-08-12)"
        ) from None


# A calendar day in a data file. YAML timestamps are read as text (see load.py), so
# every date, in YAML or CSV, is parsed here: one format, one message.
Day = Annotated[date, BeforeValidator(parse_day)]
# A day that may be left empty (an optional CSV column).
OptionalDay = Annotated[
    date | None, BeforeValidator(lambda raw: None if raw in ("", None) else parse_day(raw))
]


def split_item(key: str) -> tuple[str, str | None]:
    """Split ``operating_income:yoy`` into the item and the measure."""
    item, _, measure = key.partition(":")
    return item, measure or None


class FigureRow(Strict):
    """One row of ``figures/<period>.csv``."""

    item: str
    # "undisclosed": the source states the company does not disclose the figure;
    # the row then has no value, and the deck prints n/d rather than n/a. Declared
    # before ``value`` so that the value's check can see it.
    status: Literal["published", "seed", "undisclosed"]
    value: str
    source: str = Field(min_length=1)
    note: str = ""
    # Empty for a figure as first published; else the date of the release that restated it.
    as_of: OptionalDay = None

    @field_validator("item")
    @classmethod
    def _known_item(cls, key: str, info: ValidationInfo) -> str:
        return check_item_key(key, catalogue_of(info))

    @field_validator("value")
    @classmethod
    def _numeric(cls, raw: str, info: ValidationInfo) -> str:
        if info.data.get("status") == "undisclosed":
            if raw:
                raise ValueError(f"{raw!r}: an undisclosed figure has no value")
        else:
            parse_number(raw)
        return raw


class TargetRow(FigureRow):
    """One row of ``targets.csv``: a forecast for a period, as announced on a date."""

    period: str
    announced: Day


def catalogue_of(info: ValidationInfo) -> Catalogue:
    """The company's catalogue the data is validated against (``context={"catalogue": ...}``)."""
    catalogue = (info.context or {}).get("catalogue")
    if not isinstance(catalogue, Catalogue):
        # A programming error: every caller that validates item keys passes the catalogue.
        raise TypeError("item keys are validated against a catalogue; none was given")
    return catalogue


def check_item_key(key: str, catalogue: Catalogue) -> str:
    """Accept ``item`` or ``item:measure`` if both are known; else raise ValueError."""
    item, measure = split_item(key)
    known_item(item, catalogue)
    if measure is not None and measure not in MEASURES:
        raise ValueError(
            f"unknown measure {quote(measure)} (expected one of {', '.join(MEASURES)})"
        )
    if measure is None and not catalogue[item].storable:
        raise ValueError(f"{quote(item)} is derived by the model and may not be stored")
    return key


def known_item(key: str, catalogue: Catalogue) -> str:
    """Accept a plain item key of the catalogue (no measure); else raise ValueError."""
    if key not in catalogue:
        raise ValueError(unknown_item(key, catalogue, shown=quote(key)))
    return key


def _known_item_key(key: str, info: ValidationInfo) -> str:
    return known_item(key, catalogue_of(info))


# An item key in a slide's content (the forecast's targets, the bridge's impacts).
ItemKey = Annotated[str, AfterValidator(_known_item_key)]


class Bullet(Strict):
    """A commentary bullet: text with figure placeholders, and sub-bullets."""

    text: str
    sub: tuple[str, ...] = ()
    emphasis: bool = Field(False, strict=True)


class SlideSpec(Strict):
    """One slide of a deck file: which kind, its number and title, its commentary.

    ``content`` carries the structured text of text slides (panels, tables of
    companies, press releases); each slide kind checks the keys it needs.
    """

    kind: str = Field(pattern=r"^[a-z_]+$")
    number: str = ""
    title: str = ""
    bullets: tuple[Bullet | str, ...] = ()
    notes: tuple[str, ...] = ()
    content: dict[str, object] = Field(default_factory=dict)
    # Why a slide whose every figure is missing is kept (else that is an error).
    keep_empty: str = ""
    # "pending": the slide awaits someone's review; the release gate refuses it.
    review: Literal["", "pending", "done"] = ""


class DeckSpec(Strict):
    """``decks/<quarter>.yaml``: one quarter's deck."""

    title: str
    release_date: Day
    slides: tuple[SlideSpec, ...] = Field(min_length=1)
    # A translated edition (``decks/<quarter>.<language>.yaml``) says what it was
    # translated from and whether the IR team has reviewed it (pending, done), and the
    # English deck's text hash at that review (``source_hash``, see ``review.translations``).
    translated_from: str = ""
    review: Literal["", "pending", "done"] = ""
    source_hash: str = ""
