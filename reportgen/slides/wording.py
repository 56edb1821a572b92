"""Words typed next to a computed figure must agree with it.

A bullet such as ``Recurring revenues increased by {{ 'revenue_recurring'|yoy }}``
keeps its typed words when the data changes: copied to a quarter where revenues
fell it would read "increased by (2.3%)". The commentary renderer hands this
module each rendered text as segments (literal text, placed figure); the words
just before and after a figure, in the same clause, are claims about it:

- a direction ("increased", "down", 「増加」「低下」) next to a change (YoY, QoQ,
  points, a count's change) claims the change's sign;
- a direction ending in "to" ("rose to", 「…に上昇」) next to a level claims the level
  moved that way against the year-ago or prior quarter (either may hold);
- "loss" / "profit" (「赤字」「黒字」) next to a profit line's level claims its sign;
- "record", "highest ever" (「過去最高」) claim no period the data holds is higher,
  "lowest ever" (「過去最低」) none lower;
- "exceeded the target" (「目標を上回」) claims the level beats the target in force
  for that item and period, "below the target" (「目標を下回」) that it falls short;
- "increased from A to B" (English) claims B against A, whatever their periods.

Only words adjacent to the figure count ("broken down by" three clauses away says
nothing about it), and a negated claim ("not increased") is not checked. Punctuation
alone between the words and the figure does not separate them ("increased, (2.3%)",
「増益」 before a Japanese figure), nor do a currency or an adverb ("rose to JPY 585 million",
"grew strongly, 2.3%"). Words are read as printed: invisible characters are dropped
and Cyrillic or Greek look-alike letters read as the Latin ones they resemble.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportgen import formatting
from reportgen.errors import CommentaryError, QuarterError
from reportgen.model.figures import Figure
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Period

# Changes: their sign is what a direction word claims.
_CHANGES = frozenset(
    {"yoy", "qoq", "yoy_change", "qoq_change", "ratio_yoy_pt", "ratio_qoq_pt", "change", "growth"}
)
# A clause ends here; words beyond say nothing about the figure.
_CLAUSE_END = re.compile(r"[.;:,)!?\u3001\u3002\uff1b\uff1a\uff09\uff0c\uff01\uff1f]")
# Words before a figure (English) that count: "increased by a further" is the most.
_BEFORE_WORDS = 3
# "exceeded the full-year target", "a record high of": claims take a few more words.
_CLAIM_WORDS = 5
# Japanese has no spaces: characters after a figure, as 「増加」「に上昇」「減少し」.
_JA_WINDOW = 8

_EN_UP = frozenset(
    [
        "increase",
        "increased",
        "increases",
        "increasing",
        "up",
        "rose",
        "rise",
        "rises",
        "risen",
        "rising",
        "grew",
        "grow",
        "grows",
        "grown",
        "growing",
        "growth",
        "higher",
        "gained",
        "climbed",
        "expanded",
        "expanding",
        "jumped",
        "surged",
    ]
)
_EN_DOWN = frozenset(
    [
        "decrease",
        "decreased",
        "decreases",
        "decreasing",
        "down",
        "fell",
        "fall",
        "falls",
        "fallen",
        "falling",
        "declined",
        "decline",
        "declines",
        "declining",
        "lower",
        "dropped",
        "drop",
        "drops",
        "shrank",
        "shrunk",
        "contracted",
        "reduced",
    ]
)
_EN_BETTER = frozenset({"improved", "improvement", "improving", "better"})
_EN_WORSE = frozenset({"worsened", "deteriorated", "worse", "worsening"})
_EN_NEGATION = frozenset({"not", "no", "neither", "nor", "never", "without"})
# "broken down by", "breakdown": an analysis, not a direction.
_EN_NOT_A_CLAIM = frozenset({"broken", "break", "breaks"})
# Words after a change that only name its unit or base ("2.3% YoY higher" is rare,
# "1.6 points lower" is not).
_EN_UNIT_WORDS = frozenset(
    {"points", "point", "pt", "pts", "percent", "yoy", "qoq"}
    | {code.lower() for code in formatting.JA_CURRENCY}
)

# Longest first, so 「増加」 is read before 「増」.
_JA_WORDS: tuple[tuple[str, str], ...] = (
    ("増益", "up"),
    ("増収", "up"),
    ("減益", "down"),
    ("減収", "down"),
    ("伸び", "up"),
    ("増加", "up"),
    ("上昇", "up"),
    ("拡大", "up"),
    ("伸長", "up"),
    ("減少", "down"),
    ("低下", "down"),
    ("縮小", "down"),
    ("下落", "down"),
    ("改善", "better"),
    ("悪化", "worse"),
    ("増", "up"),
    ("減", "down"),
)
# A unit between a figure and its direction: 「31百万円増」「1.6ポイント低下」; money in any
# currency and scale formatting names (「137千ユーロ増」, 「15百万SEK減」).
_JA_MONEY = "(?:{})?(?:{}|[A-Z]{{3}})".format(
    "|".join(formatting.JA_SCALE_WORDS.values()),
    "|".join(sorted(formatting.JA_CURRENCY.values(), key=len, reverse=True)),
)
_JA_UNIT = re.compile(rf"^({_JA_MONEY}|ポイント|pt|件|名|人|社)")
_JA_NEGATION = ("せず", "しな", "ではな", "なし")

# Cyrillic and Greek letters drawn like Latin ones: a Cyrillic i in "increased" prints
# as the word, so it is read as the word.
_LOOK_ALIKES = str.maketrans(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u04bb\u04cf"
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0406\u0408"
    "\u0405\u03b1\u03b5\u03b9\u03ba\u03bd\u03bf\u03c1\u03c4\u03c5\u03c7\u0391\u0392"
    "\u0395\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7",
    "aeopcyxijsdhlABEKMHOPCTXIJSaeikvoptuxABEHIKMNOPTYX",
)
# Japanese words before a figure that claim its direction: 「増益 (前年同期比 ...」.
_JA_BEFORE = re.compile(
    r"(増益|増収|増加|上昇|減益|減収|減少|低下)[\uff08(]?(?:前年同期比|前期比|前四半期比)?\s*$"
)

_RECORD_HIGH_EN = re.compile(r"(?i)\b(record|highest[- ]ever|all[- ]time high|highest)\b")
_RECORD_LOW_EN = re.compile(r"(?i)\b(lowest[- ]ever|all[- ]time low|lowest)\b")
_RECORD_HIGH_JA = re.compile(r"過去最高|最高")
_RECORD_LOW_JA = re.compile(r"過去最低|最低")
_TARGET_ABOVE_EN = re.compile(
    r"(?i)\b(exceed(ed|s|ing)?|above|beat|beats|surpass(ed|es)?)\b.*\btarget"
)
_TARGET_BELOW_EN = re.compile(r"(?i)\b(below|short of|missed|under)\b.*\btarget")
_TARGET_ABOVE_JA = re.compile(r"(目標|計画|予想)を上回")
_TARGET_BELOW_JA = re.compile(r"(目標|計画|予想)を下回|未達")
_LOSS_EN = re.compile(r"loss(es)?")
_PROFIT_EN = re.compile(r"profits?")


@dataclass(frozen=True, slots=True)
class Placed:
    """A figure a placeholder printed, and the markup it printed."""

    figure: Figure
    shown: str


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Typed words that say what the figure beside them does not."""

    words: str
    shown: str
    figure: Figure
    expected: str
    # Where the text is written (deck file, line and column, slide), once rendered.
    where: str = ""

    @property
    def message(self) -> str:
        return (
            f"the words {self.words!r} next to {self.shown} ({self.figure.key} "
            f"{self.figure.period}) contradict the figure, which {self.expected}; "
            "reword the bullet or let a placeholder give the words"
        )


Segment = str | Placed


def segments(rendered: str, placed: Sequence[Placed]) -> list[Segment]:
    """Split a rendered text into literal text and the figures placed in it, in order.

    A figure computed but not printed (inside a false ``{% if %}``) is not found and
    left out; the text around it stays one piece.
    """
    parts: list[Segment] = []
    cursor = 0
    for figure in placed:
        at = rendered.find(figure.shown, cursor)
        if at < 0:
            continue
        parts.append(_plain(rendered[cursor:at]))
        parts.append(figure)
        cursor = at + len(figure.shown)
    parts.append(_plain(rendered[cursor:]))
    return parts


def _plain(markup: str) -> str:
    # Figures are already cut out; what remains is escaped text (and a tag only where
    # a placeholder printed one), read as words: as a reader reads them, so a word
    # split by an invisible character or spelt with a look-alike letter is still read.
    text = html.unescape(re.sub(r"<[^>]*>", "", markup))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return text.translate(_LOOK_ALIKES)


@dataclass(frozen=True, slots=True)
class _Claim:
    kind: str  # up, down, better, worse, loss, profit, high, low, above, below
    words: str
    level_to: bool = False  # "rose to", 「に上昇」: the level moved


class WordingCheck:
    """Checks the words around each figure of one quarter's model, in one language."""

    def __init__(
        self,
        model: QuarterModel,
        language: str,
        target: Callable[[str, str], Figure] | None = None,
    ) -> None:
        self._model = model
        self._japanese = language == "ja"
        self._target = target

    def check(self, rendered: str, placed: Sequence[Placed]) -> list[Contradiction]:
        parts = segments(rendered, placed)
        found = []
        for index, part in enumerate(parts):
            if not isinstance(part, Placed) or part.figure.value is None:
                continue
            if part.figure.status == "not_meaningful":
                continue
            before = _clause_before(parts[index - 1] if index else "", reach=True)
            after = _clause_after(parts[index + 1] if index + 1 < len(parts) else "")
            for claim in self._claims(before, after):
                expected = self._contradicts(claim, part.figure)
                if expected:
                    found.append(
                        Contradiction(claim.words, _plain(part.shown), part.figure, expected)
                    )
            if not self._japanese and index >= 3:
                found.extend(_from_to(parts[index - 3 : index + 1]))
        return found

    # -- reading the words ---------------------------------------------------------

    def _claims(self, before: str, after: str) -> list[_Claim]:
        if self._japanese:
            return _claims_ja(before, after)
        return _claims_en(before, after)

    # -- what the figure says ------------------------------------------------------

    def _contradicts(self, claim: _Claim, figure: Figure) -> str:
        """What the figure does instead, or "" when the words agree (or cannot be checked)."""
        item, _, measure = figure.key.partition(":")
        value = figure.value
        assert value is not None
        if claim.kind in ("up", "down", "better", "worse"):
            way = _way(claim.kind, item)
            if measure in _CHANGES:
                return _against(way, value)
            if claim.level_to:
                return self._moved(item, measure, figure.period, way)
            return ""
        if claim.kind in ("loss", "profit"):
            if measure or not item.endswith("income"):
                return ""
            if claim.kind == "loss" and value >= 0:
                return "is not a loss"
            if claim.kind == "profit" and value < 0:
                return "is a loss"
            return ""
        if measure in _CHANGES:
            return ""
        if claim.kind in ("high", "low"):
            return self._record(item, measure, figure, high=claim.kind == "high")
        return self._against_target(item, measure, figure, above=claim.kind == "above")

    def _moved(self, item: str, measure: str, period: str, way: str) -> str:
        """A level said to have risen or fallen: against the year-ago or prior quarter."""
        if measure == "ratio":
            changes = (
                self._model.ratio_yoy_pt(item, period),
                self._model.ratio_qoq_pt(item, period),
            )
        elif not measure:
            changes = (self._model.yoy_change(item, period), self._model.qoq_change(item, period))
        else:
            return ""
        known = [c.value for c in changes if c.value is not None]
        # "Rose to 80%" names no base: it holds if it holds against either one.
        if not known or any(not _against(way, v) for v in known):
            return ""
        return _against(way, known[0]) + " against both the year-ago and the prior period"

    def _record(self, item: str, measure: str, figure: Figure, *, high: bool) -> str:
        period = Period.parse(figure.period)
        assert figure.value is not None
        for other in _same_kind_periods(self._model, period):
            if other == period:
                continue
            if measure == "ratio":
                then = self._model.ratio(item, other).value
            elif not measure:
                then = self._model.value(item, other).value
            else:
                return ""
            if then is None:
                continue
            if (then > figure.value) if high else (then < figure.value):
                word = "higher" if high else "lower"
                return f"was {word} in {other.name}"
        return ""

    def _against_target(self, item: str, measure: str, figure: Figure, *, above: bool) -> str:
        if self._target is None or measure:
            return ""
        target = self._target(item, figure.period).value
        assert figure.value is not None
        if target is None:
            return ""
        if above and figure.value <= target:
            return f"does not exceed the target for {figure.period}"
        if not above and figure.value >= target:
            return f"is not below the target for {figure.period}"
        return ""


def _same_kind_periods(model: QuarterModel, period: Period) -> list[Period]:
    """Every period of ``period``'s kind the data reaches, up to ``period`` itself."""
    years = set()
    for name in model.figures.periods():
        try:
            years.add(Period.parse(name).fiscal_year)
        except QuarterError:
            continue
    out = []
    for year in sorted(years):
        for number in range(1, 5):
            candidate = _period_like(period, number, year)
            if candidate is not None and _not_after(candidate, period):
                out.append(candidate)
    return out


def _period_like(period: Period, number: int, year: int) -> Period | None:
    if period.kind == "Q":
        return Period("Q", number, year)
    if period.kind == "H":
        return Period("H", number, year) if number <= 2 else None
    # A nine-month or full year: one per fiscal year.
    return Period(period.kind, period.number, year) if number == 1 else None


def _not_after(candidate: Period, period: Period) -> bool:
    return (candidate.fiscal_year, candidate.number) <= (period.fiscal_year, period.number)


def _way(kind: str, item: str) -> str:
    """ "improved" is up for income and margins, down for costs and losses."""
    if kind in ("up", "down"):
        return kind
    lower_is_better = item.startswith(("cost", "sga")) or "loss" in item or "expense" in item
    return "up" if (kind == "better") != lower_is_better else "down"


def _against(way: str, value: float) -> str:
    if way == "up" and value <= 0:
        return "did not increase" if value == 0 else "decreased"
    if way == "down" and value >= 0:
        return "did not decrease" if value == 0 else "increased"
    return ""


def _clause_before(text: Segment, *, reach: bool = False) -> str:
    """The words of ``text``'s last clause. With ``reach``, when nothing but punctuation
    stands between the figure and the clause before ("increased, (16.9%)", "up: 3.2%"),
    that clause is the figure's: the punctuation joins, not separates."""
    if isinstance(text, Placed):
        return ""
    clauses = _CLAUSE_END.split(text)
    if reach and len(clauses) > 1 and not re.search(r"\w", clauses[-1]):
        return clauses[-2]
    return clauses[-1]


def _clause_after(text: Segment) -> str:
    if isinstance(text, Placed):
        return ""
    return _CLAUSE_END.split(text)[0]


# Words that only name a figure's unit or scale between "from A" and "to B".
_EN_SCALE_WORDS = frozenset({"million", "billion", "thousand", "yen"})


def _from_to(parts: Sequence[Segment]) -> list[Contradiction]:
    """ "increased from JPY 704 million to JPY 585 million": the direction of B against A.

    ``parts`` ends with B; before it, only units and "to" since A, and before A a
    direction word, then "from", in the same clause.
    """
    if len(parts) != 4:
        return []
    lead, first, between, last = parts
    if not (
        isinstance(lead, str)
        and isinstance(first, Placed)
        and isinstance(between, str)
        and isinstance(last, Placed)
    ):
        return []
    if first.figure.value is None or last.figure.value is None:
        return []
    skip = _EN_UNIT_WORDS | _EN_SCALE_WORDS
    if [w for w in re.findall(r"[A-Za-z]+", between.lower()) if w not in skip] != ["to"]:
        return []
    if _CLAUSE_END.search(between):
        return []
    words = [
        w for w in re.findall(r"[A-Za-z]+", _CLAUSE_END.split(lead)[-1]) if w.lower() not in skip
    ]
    if len(words) < 2 or words[-1].lower() != "from":
        return []
    if {w.lower() for w in words[-_BEFORE_WORDS - 1 :]} & _EN_NEGATION:
        return []
    kind = _direction_en(words[-2].lower())
    if kind not in ("up", "down"):
        return []
    expected = _against(
        _way(kind, last.figure.key.partition(":")[0]), last.figure.value - first.figure.value
    )
    if not expected:
        return []
    words_said = f"{words[-2]} from {_plain(first.shown)} to"
    return [
        Contradiction(
            words_said, _plain(last.shown), last.figure, expected + f" from {_plain(first.shown)}"
        )
    ]


def _claims_en(before: str, after: str) -> list[_Claim]:
    # A currency or unit between the words and the figure ("rose to JPY 585 million")
    # and an adverb after a direction ("grew strongly, 16.9%") say nothing themselves.
    words = re.findall(r"[A-Za-z]+", before)
    words_before = words[-_BEFORE_WORDS:]
    lower = [w.lower() for w in words_before]
    core = list(words)
    while core and (core[-1].lower() in _EN_UNIT_WORDS or core[-1].lower().endswith("ly")):
        core.pop()
    core = core[-_BEFORE_WORDS:]
    lower_core = [w.lower() for w in core]
    words_after = [w for w in re.findall(r"[A-Za-z]+", after) if w.lower() not in _EN_UNIT_WORDS]
    claims: list[_Claim] = []
    if not set(lower + lower_core) & (_EN_NEGATION | _EN_NOT_A_CLAIM):
        # The direction word nearest the figure is the claim: "increased by", "was up".
        for at in reversed(range(len(lower_core))):
            kind = _direction_en(lower_core[at])
            if kind:
                level_to = lower_core[-1] == "to"
                claims.append(_Claim(kind, " ".join(core[at:]), level_to))
                break
        if not claims and words_after and (kind := _direction_en(words_after[0].lower())):
            claims.append(_Claim(kind, words_after[0]))
    # Records and targets take a few more words: "exceeded the FY2008 target".
    near_before = " ".join(re.findall(r"[\w-]+", before)[-_CLAIM_WORDS:])
    near_after = " ".join(re.findall(r"[\w-]+", after)[:_CLAIM_WORDS])
    claims.extend(_records(f"{near_before} # {near_after}", _RECORD_HIGH_EN, _RECORD_LOW_EN))
    claims.extend(_targets(near_before, near_after, _TARGET_ABOVE_EN, _TARGET_BELOW_EN))
    for at, word in enumerate(lower):
        if _LOSS_EN.fullmatch(word) or _PROFIT_EN.fullmatch(word):
            kind = "loss" if _LOSS_EN.fullmatch(word) else "profit"
            claims.append(_Claim(kind, " ".join(words_before[at:])))
            break
    return claims


def _direction_en(word: str) -> str:
    for kind, vocabulary in (
        ("up", _EN_UP),
        ("down", _EN_DOWN),
        ("better", _EN_BETTER),
        ("worse", _EN_WORSE),
    ):
        if word in vocabulary:
            return kind
    return ""


def _claims_ja(before: str, after: str) -> list[_Claim]:
    near = after.strip()[:_JA_WINDOW]
    claims: list[_Claim] = []
    if not any(n in near for n in _JA_NEGATION):
        # 「前年同期比2.3%増加」「31百万円の増加」: the direction follows the change (after its
        # unit); 「…に上昇」「…まで増加」: the level moved.
        body = _JA_UNIT.sub("", near, count=1)
        level_to = body.startswith(("に", "まで"))
        body = body.removeprefix("まで").removeprefix("に").removeprefix("の")
        for word, kind in _JA_WORDS:
            if body.startswith(word):
                claims.append(_Claim(kind, near, level_to))
                break
    tail = before[-_JA_WINDOW:]
    if not claims and (match := _JA_BEFORE.search(before)) is not None:
        kind = dict(_JA_WORDS)[match.group(1)]
        claims.append(_Claim(kind, match.group()))
    claims.extend(_records(f"{tail}#{near}", _RECORD_HIGH_JA, _RECORD_LOW_JA))
    claims.extend(_targets(tail, near, _TARGET_ABOVE_JA, _TARGET_BELOW_JA))
    if near.startswith(("の赤字", "の損失")) or tail.endswith(("赤字", "損失")):
        claims.append(_Claim("loss", tail + near))
    elif near.startswith("の黒字") or tail.endswith("黒字"):
        claims.append(_Claim("profit", tail + near))
    return claims


def _records(text: str, high: re.Pattern[str], low: re.Pattern[str]) -> list[_Claim]:
    if (match := low.search(text)) is not None:
        return [_Claim("low", match.group())]
    if (match := high.search(text)) is not None:
        return [_Claim("high", match.group())]
    return []


def _targets(
    before: str, after: str, above: re.Pattern[str], below: re.Pattern[str]
) -> list[_Claim]:
    for text in (before, after):
        if (match := below.search(text)) is not None:
            return [_Claim("below", match.group())]
        if (match := above.search(text)) is not None:
            return [_Claim("above", match.group())]
    return []


def raise_on_contradiction(found: Sequence[Contradiction]) -> None:
    """Fail on the slide's first contradiction, naming where it is written and the words."""
    if found:
        raise CommentaryError(f"{found[0].where}: {found[0].message}")
