"""Figures with provenance, and the resolver that derives what is not stored.

A figure is stored at the period it was published for. A quarter that was only
published inside a half-year or full-year total is derived by subtraction
(2Q07 = 1H07 − 1Q07), and one missing term of an identity by arithmetic (gross
margin = revenue − cost). Every derived figure says how it was derived. What
cannot be derived stays missing: it is never zero and never an estimate.

A figure may be restated by a later release (IIJ reclassified its revenue lines
from 1Q08, so the 1Q07 comparative in the 1Q08 release differs from the 1Q07
first published). Each stored version carries ``as_of``: empty for a figure as
first published, else the date of the release that restated it. A resolver built
``at`` a deck's release date sees, per item and period, the latest version
released on or before that date (a dated version supersedes the undated one).
A quarter derived by subtraction takes all its operands from one basis (the same
``as_of``); where only a mix of bases exists, it is missing, never a mix.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from reportgen import formatting
from reportgen.model.catalogue import Catalogue, Identity
from reportgen.quarters import Period, Quarter

# "missing": not in our data set; "undisclosed": the company stated it does not
# disclose the figure (a stored row with a source and no value).
Status = Literal["published", "seed", "derived", "missing", "undisclosed", "not_meaningful"]

_PERIOD_ORDER = {"Q": 1, "H": 2, "9M": 3, "FY": 4}


@dataclass(frozen=True, slots=True)
class Document:
    """The document a source id names (``sources.yaml``): what a reader can look up."""

    id: str
    title: str
    date: str  # YYYY-MM-DD
    url: str = ""

    @property
    def citation(self) -> str:
        return f"{self.title}, {self.date}"


def cite(documents: Iterable[Document]) -> str:
    """``Source: <title>, <date>`` (``Sources: ...; ...`` for several), or empty."""
    found = tuple(documents)
    if not found:
        return ""
    head = "Source" if len(found) == 1 else "Sources"
    return f"{head}: " + "; ".join(d.citation for d in found)


# Words for a measure of an item (``gross_margin:ratio``) in a hover text.
_MEASURE_WORDS = {
    "yoy": "YoY change (%)",
    "qoq": "QoQ change (%)",
    "ratio": "ratio (%)",
    "ratio_yoy_pt": "ratio, YoY change (pt)",
    "ratio_qoq_pt": "ratio, QoQ change (pt)",
    "yoy_change": "YoY change",
    "qoq_change": "QoQ change",
    "change": "change",
}
_KEY_RE = re.compile(r"\b[a-z][a-z0-9_]*\b ?")


def label_of(key: str, catalogue: Catalogue | None) -> str:
    """A reader's words for an item or ``item:measure`` key, never the key itself."""
    base, _, measure = key.partition(":")
    item = catalogue.get(base) if catalogue is not None else None
    words = item.label if item is not None else base.replace("_", " ")
    if measure:
        words += ", " + _MEASURE_WORDS.get(measure, measure.replace("_", " "))
    return words


def _in_words(formula: str, own: str, catalogue: Catalogue | None) -> str:
    """A formula with item keys as labels; the figure's own item goes without saying."""

    def word(match: re.Match[str]) -> str:
        text = match.group(0)
        key = text.rstrip(" ")
        if catalogue is None or key not in catalogue:
            return text
        return "" if key == own else label_of(key, catalogue) + text[len(key) :]

    return _KEY_RE.sub(word, formula)


@dataclass(frozen=True, slots=True)
class Figure:
    """A value with where it came from. ``value`` is None when it is missing."""

    key: str
    period: str
    value: float | None
    status: Status
    source: str = ""
    formula: str = ""
    uncertainty: float = 0.0
    note: str = ""
    # The release that restated this figure (YYYY-MM-DD); empty as first published.
    as_of: str = ""
    # The documents ``source`` names (a derived figure: those of all its inputs).
    documents: tuple[Document, ...] = ()
    # The company's catalogue, for the labels the provenance names items by. Not part of
    # the figure's value: two figures alike but for it are equal.
    catalogue: Catalogue | None = field(default=None, compare=False, repr=False)

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def provenance(self) -> str:
        """One line for a reader (the hover text): item, period, status, formula, documents.

        Item labels, not keys; the documents by title and date, not by source id.
        """
        what = f"{label_of(self.key, self.catalogue)}, {self.period}"
        # A measure's formula names its own item (gross_margin / revenue): keep it there.
        own = "" if ":" in self.key else self.key
        if self.status == "missing":
            return f"{what}: not available in this data set"
        if self.status == "undisclosed":
            return " · ".join(
                p for p in (f"{what}: not disclosed by the company", cite(self.documents)) if p
            )
        if self.status == "not_meaningful":
            return f"{what}: not meaningful ({_in_words(self.formula, own, self.catalogue)})"
        status = self.status
        if self.formula:
            status += f": {self.period} = {_in_words(self.formula, own, self.catalogue)}"
        parts = [what, status]
        if self.as_of:
            parts.append(f"as restated {self.as_of}")
        if self.documents:
            parts.append(cite(self.documents))
        elif self.source:
            parts.append(f"source {self.source}")
        # The note last: free text from the figures file, read after the facts.
        if self.note:
            parts.append(self.note)
        return " · ".join(parts)


def missing(key: str, period: str, catalogue: Catalogue | None = None) -> Figure:
    return Figure(key, period, None, "missing", catalogue=catalogue)


def _fmt(value: float) -> str:
    return formatting.number(value, 0 if float(value).is_integer() else 2)


def _sources(figures: Iterable[Figure]) -> str:
    seen: list[str] = []
    for fig in figures:
        for src in fig.source.split(", "):
            if src and src not in seen:
                seen.append(src)
    return ", ".join(seen)


def documents_of(figures: Iterable[Figure]) -> tuple[Document, ...]:
    """The documents of all ``figures``, each once, in the order first named."""
    seen: dict[str, Document] = {}
    for fig in figures:
        for doc in fig.documents:
            seen.setdefault(doc.id, doc)
    return tuple(seen.values())


# The resolver asks these of the same few periods tens of thousands of times per
# build; computing them once per period keeps a tie-out run in milliseconds.
@functools.cache
def _same_year_periods(year: int) -> tuple[Period, ...]:
    periods = [Period("Q", n, year) for n in range(1, 5)]
    periods += [Period("H", 1, year), Period("H", 2, year), Period("9M", 0, year)]
    return (*periods, Period("FY", 0, year))


@functools.cache
def _largest_first(year: int) -> tuple[Period, ...]:
    return tuple(sorted(_same_year_periods(year), key=lambda p: -_PERIOD_ORDER[p.kind]))


@functools.cache
def _span(period: Period) -> frozenset[Quarter]:
    return frozenset(period.quarters)


@functools.cache
def _name(period: Period) -> str:
    return period.name


Versions = dict[tuple[str, str], dict[str, Figure]]
# A resolved figure and the names of the identities its derivation used.
Derived = tuple[Figure, frozenset[str]]
_NO_IDENTITY: frozenset[str] = frozenset()


def _visible(figures: Iterable[Figure], day: date | None) -> Versions:
    """Every version released on or before ``day`` (all of them without a day)."""
    limit = day.isoformat() if day is not None else None
    versions: Versions = {}
    for fig in figures:
        if limit is None or not fig.as_of or fig.as_of <= limit:
            versions.setdefault((fig.key, fig.period), {})[fig.as_of] = fig
    return versions


def _latest(versions: Mapping[str, Figure]) -> Figure:
    # ISO dates sort as text, and the undated version ("") sorts before every date.
    return versions[max(versions)]


class Figures:
    """All of a company's figures, stored and derivable, keyed by item and period."""

    def __init__(self, stored: Mapping[tuple[str, str], Figure], catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._stored = dict(stored)
        self._all: tuple[Figure, ...] = tuple(self._stored.values())
        self._versions: Versions = {key: {fig.as_of: fig} for key, fig in self._stored.items()}
        # Items with a restated version: only these need a basis chosen when derived.
        self._restated = {fig.key for fig in self._stored.values() if fig.as_of}
        self._cache: dict[tuple[str, str, frozenset[str], str | None], Derived] = {}
        # The shallowest open call that a cycle was cut at, while resolving (see _resolve_using).
        self._cut = 0
        self._identities: dict[str, list[Identity]] = {}
        for identity in catalogue.identities:
            for key in (identity.total, *(term for _, term in identity.terms)):
                self._identities.setdefault(key, []).append(identity)

    @classmethod
    def from_versions(
        cls, figures: Iterable[Figure], catalogue: Catalogue, day: date | None = None
    ) -> Figures:
        """A resolver over every version of each figure, as a release dated ``day`` shows them.

        Without ``day``, the latest version of every figure (the data set as it stands).
        """
        every = tuple(figures)
        versions = _visible(every, day)
        resolver = cls({key: _latest(found) for key, found in versions.items()}, catalogue)
        resolver._all, resolver._versions = every, versions
        resolver._restated = {
            key for (key, _), found in versions.items() if any(as_of for as_of in found)
        }
        return resolver

    def at(self, day: date) -> Figures:
        """The figures as a deck released on ``day`` shows them."""
        if not any(fig.as_of for fig in self._all):
            return self  # nothing restated: every deck sees the same figures
        return Figures.from_versions(self._all, self.catalogue, day)

    @property
    def stored(self) -> Mapping[tuple[str, str], Figure]:
        return self._stored

    def versions(self) -> dict[tuple[str, str], tuple[Figure, ...]]:
        """Every stored version of each item and period seen here, first published first."""
        return {
            key: tuple(found[d] for d in sorted(found)) for key, found in self._versions.items()
        }

    def version(self, key: str, period: str, as_of: str) -> Figure | None:
        """The stored version of ``key`` in ``period`` that release ``as_of`` gave, if any."""
        return self._lookup(key, period, as_of)

    def _lookup(self, key: str, name: str, basis: str | None) -> Figure | None:
        """The stored figure: the latest version, or with ``basis`` that version only."""
        if basis is None:
            return self._stored.get((key, name))
        return self._versions.get((key, name), {}).get(basis)

    def _bases(self, key: str, year: int) -> list[str | None]:
        """The bases a subtraction over ``year`` may use, latest first.

        ``[None]`` (any version, no constraint) when ``key`` has only undated
        figures in that year, so a data set without restatements resolves as before.
        """
        if key not in self._restated:
            return [None]
        found = {
            basis
            for period in _same_year_periods(year)
            for basis in self._versions.get((key, _name(period)), ())
        }
        if found <= {""}:
            return [None]
        return sorted(found, reverse=True)

    def periods(self) -> set[str]:
        return {period for _, period in self._stored}

    def get(
        self, key: str, period: Period | Quarter | str, *, exclude: frozenset[str] = frozenset()
    ) -> Figure:
        """Return the figure for ``key`` (an item, or ``item:measure``) in ``period``.

        ``exclude`` names identities that may not be used, so that a tie-out is
        never checked against a value derived from itself.
        """
        name = period if isinstance(period, str) else period.name
        return self._resolve_using(key, Period.parse(name), exclude, ())[0]

    def _resolve_using(
        self,
        key: str,
        period: Period,
        exclude: frozenset[str],
        stack: tuple[str, ...],
        basis: str | None = None,
    ) -> Derived:
        """The figure, and the identities its derivation used (none for a stored one)."""
        name = _name(period)
        cache_key = (key, name, exclude, basis)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        stored = self._lookup(key, name, basis)
        if stored is not None:
            return stored, _NO_IDENTITY
        if exclude:
            # Excluding identities only takes ways of deriving away: what cannot be
            # derived with all of them cannot be without some, and a derivation that
            # used none of those excluded is the one found without them. A tie-out
            # check excludes its own identity, so this spares most of the search.
            plain, used = self._resolve_using(key, period, frozenset(), stack, basis)
            if plain.missing or not used & exclude:
                return plain, used
        here = f"{key}@{name}" if basis is None else f"{key}@{name}@{basis}"
        if ":" in key:
            return missing(key, name, self.catalogue), _NO_IDENTITY
        if here in stack:
            # A cycle: the result being computed depends on the open call at this depth.
            self._cut = min(self._cut, stack.index(here))
            return missing(key, name, self.catalogue), _NO_IDENTITY
        depth = len(stack)
        outer_cut, self._cut = self._cut, depth
        stack = (*stack, here)
        result: Derived = missing(key, name, self.catalogue), _NO_IDENTITY
        bases = [basis] if basis is not None else self._bases(key, period.fiscal_year)
        for one in bases:
            result = self._from_periods(key, period, exclude, stack, one)
            if not result[0].missing:
                break
        if result[0].missing:
            result = self._from_identities(key, period, exclude, stack, basis)
        # A result that met no cycle through a call still open above it is what a
        # top-level call would find, so it is cached. One that did may depend on
        # that stack, so it is not. (Caching only top-level results made the
        # tie-outs of a data set with gaps, such as IIJ's, take a second.)
        if self._cut >= depth:
            self._cache[cache_key] = result
        self._cut = min(outer_cut, self._cut)
        return result

    def _from_periods(
        self,
        key: str,
        period: Period,
        exclude: frozenset[str],
        stack: tuple[str, ...],
        basis: str | None,
    ) -> Derived:
        """Sum or subtract other periods of ``key``; with a ``basis``, of that version only."""
        item = self.catalogue.get(key)
        if item is None or item.kind != "flow":
            return missing(key, period.name, self.catalogue), _NO_IDENTITY
        wanted = _span(period)
        if period.kind != "Q":
            covered = self._cover(key, wanted, exclude, stack, period, basis)
            if covered is not None:
                parts, used = covered
                return self._combine(key, period, [(1, p) for p in parts]), used
        for whole in _same_year_periods(period.fiscal_year):
            outer = _span(whole)
            total = self._lookup(key, _name(whole), basis)
            if whole == period or not wanted < outer or total is None:
                continue
            rest = self._cover(key, outer - wanted, exclude, stack, period, basis)
            if rest is not None:
                parts, used = rest
                combined = [(1, total), *((-1, p) for p in parts)]
                return self._combine(key, period, combined), used
        return missing(key, period.name, self.catalogue), _NO_IDENTITY

    def _cover(
        self,
        key: str,
        quarters: set[Quarter],
        exclude: frozenset[str],
        stack: tuple[str, ...],
        skip: Period,
        basis: str | None,
    ) -> tuple[list[Figure], frozenset[str]] | None:
        """Cover ``quarters`` exactly with stored periods, largest first, then quarters."""
        left = set(quarters)
        parts: list[Figure] = []
        used = _NO_IDENTITY
        year = next(iter(quarters)).fiscal_year
        for candidate in _largest_first(year):
            span = _span(candidate)
            if candidate == skip or not span <= left:
                continue
            stored = self._lookup(key, _name(candidate), basis)
            if stored is not None:
                parts.append(stored)
                left -= span
        for quarter in sorted(left):
            fig, its = self._resolve_using(key, Period.of(quarter), exclude, stack, basis)
            if fig.missing:
                return None
            parts.append(fig)
            used |= its
        return sorted(parts, key=lambda f: Period.parse(f.period)), used

    def _from_identities(
        self,
        key: str,
        period: Period,
        exclude: frozenset[str],
        stack: tuple[str, ...],
        basis: str | None,
    ) -> Derived:
        for identity in self._identities.get(key, ()):
            if identity.name in exclude:
                continue
            terms = [(1, identity.total), *((-sign, t) for sign, t in identity.terms)]
            # total - sum(sign*term) == 0, so key == -(others) / its own coefficient.
            own = next(sign for sign, t in terms if t == key)
            others: list[tuple[int, Figure]] = []
            used = frozenset({identity.name})
            for sign, term in terms:
                if term == key:
                    continue
                fig, its = self._resolve_using(
                    term, period, exclude | {identity.name}, stack, basis
                )
                if fig.missing:
                    break
                others.append((-sign * own, fig))
                used |= its
            else:
                return self._combine(key, period, others), used
        return missing(key, period.name, self.catalogue), _NO_IDENTITY

    def _combine(self, key: str, period: Period, parts: list[tuple[int, Figure]]) -> Figure:
        value = sum(sign * (fig.value or 0.0) for sign, fig in parts)
        text = ""
        for i, (sign, fig) in enumerate(parts):
            op = ("" if sign > 0 else "−") if i == 0 else (" + " if sign > 0 else " − ")
            text += f"{op}{fig.key} {fig.period} ({_fmt(fig.value or 0.0)})"
        return Figure(
            key=key,
            period=period.name,
            value=value,
            status="derived",
            source=_sources(fig for _, fig in parts),
            documents=documents_of(fig for _, fig in parts),
            formula=text,
            uncertainty=sum(fig.uncertainty for _, fig in parts),
            as_of=_basis(fig for _, fig in parts),
            catalogue=self.catalogue,
        )


def _basis(figures: Iterable[Figure]) -> str:
    """The release a derived figure stands on: its operands' one, if they share one."""
    found = {fig.as_of for fig in figures}
    return found.pop() if len(found) == 1 else ""
