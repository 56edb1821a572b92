"""What changed between two versions of a deck: figures, words, slides and checks.

Slides are matched by kind (the n-th slide of a kind in one version is the n-th in
the other), so a slide whose title was reworded is the same slide with a changed
title, and a slide moved keeps its identity. Within a slide, a figure is matched by
where it is printed and what it is (table row and column or chart series and
category, item and period); a text by its position in the slide, compared word by
word.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from reportgen.review.snapshot import FigureLine, SlideLine, Snapshot

SlideKey = tuple[str, int]


@dataclass(frozen=True, slots=True)
class FigureChange:
    slide: str  # number and title as printed in the new version (old if removed)
    item: str
    period: str
    place: str
    row: str
    column: str
    old: str  # as shown; empty where the figure is new
    new: str  # as shown; empty where it is gone
    old_value: float | None = None
    new_value: float | None = None
    old_source: str = ""
    new_source: str = ""
    old_status: str = ""
    new_status: str = ""


@dataclass(frozen=True, slots=True)
class TextChange:
    slide: str
    old: str
    new: str
    # The words: [-removed-] and {+added+} marked in one line.
    words: str


@dataclass(frozen=True, slots=True)
class SlideChange:
    slide: str
    change: str  # added | removed | moved
    detail: str = ""


@dataclass(frozen=True, slots=True)
class CheckChange:
    name: str
    period: str
    old: str  # severity, or "" where the check did not warn
    new: str
    message: str


@dataclass(frozen=True, slots=True)
class Changes:
    old: str  # what was compared: the reference, as the user named it
    new: str
    figures: tuple[FigureChange, ...] = ()
    texts: tuple[TextChange, ...] = ()
    slides: tuple[SlideChange, ...] = ()
    checks: tuple[CheckChange, ...] = ()
    # Numbers (as printed) of the slides of the new version that changed; removed
    # slides by their old number.
    changed_slides: tuple[str, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not (self.figures or self.texts or self.slides or self.checks)

    def summary(self) -> str:
        """``3 figures and 2 texts changed on slides 1, 2, 13``: one line."""
        if self.empty:
            return f"no changes against {self.old}"
        parts = []
        for count, one, many in (
            (len(self.figures), "figure", "figures"),
            (len(self.texts), "text", "texts"),
            (sum(1 for s in self.slides if s.change == "added"), "slide added", "slides added"),
            (
                sum(1 for s in self.slides if s.change == "removed"),
                "slide removed",
                "slides removed",
            ),
            (sum(1 for s in self.slides if s.change == "moved"), "slide moved", "slides moved"),
            (len(self.checks), "check", "checks"),
        ):
            if count:
                parts.append(f"{count} {one if count == 1 else many}")
        where = f" on slides {', '.join(self.changed_slides)}" if self.changed_slides else ""
        listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
        return f"{listed} changed{where} against {self.old}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _keys(slides: Sequence[SlideLine]) -> list[SlideKey]:
    seen: Counter[str] = Counter()
    keys = []
    for slide in slides:
        keys.append((slide.kind, seen[slide.kind]))
        seen[slide.kind] += 1
    return keys


def word_diff(old: str, new: str) -> str:
    """``up [-26.8%-]{+27.1%+} from 1Q07``: the words removed and added, in place."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def _figure_changes(label: str, old: SlideLine | None, new: SlideLine | None) -> list[FigureChange]:
    before = _by_place(old.figures if old else ())
    after = _by_place(new.figures if new else ())
    changes = []
    for where in [*before, *(w for w in after if w not in before)]:
        a, b = before.get(where), after.get(where)
        if a is not None and b is not None and a.shown == b.shown and a.value == b.value:
            continue
        ref = b or a
        assert ref is not None
        changes.append(
            FigureChange(
                slide=label,
                item=ref.item,
                period=ref.period,
                place=ref.place,
                row=ref.row,
                column=ref.column,
                old=a.shown if a else "",
                new=b.shown if b else "",
                old_value=a.value if a else None,
                new_value=b.value if b else None,
                old_source=a.source_title if a else "",
                new_source=b.source_title if b else "",
                old_status=a.status if a else "",
                new_status=b.status if b else "",
            )
        )
    return changes


def _by_place(figures: Iterable[FigureLine]) -> dict[tuple[object, ...], FigureLine]:
    """Figures by identity; a figure printed twice in one place keeps its occurrence."""
    found: dict[tuple[object, ...], FigureLine] = {}
    seen: Counter[tuple[str, ...]] = Counter()
    for figure in figures:
        found[(*figure.where, seen[figure.where])] = figure
        seen[figure.where] += 1
    return found


def _text_changes(label: str, old: SlideLine, new: SlideLine) -> list[TextChange]:
    changes = []
    a, b = (old.title, *old.texts), (new.title, *new.texts)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        # Pair the texts of a replaced run one to one; the rest are added or removed.
        olds, news = list(a[i1:i2]), list(b[j1:j2])
        for k in range(max(len(olds), len(news))):
            before = olds[k] if k < len(olds) else ""
            after = news[k] if k < len(news) else ""
            words = word_diff(before, after)
            if before and after and _only_figures(words):
                continue  # its figures changed, not its words: listed as figures
            changes.append(TextChange(label, before, after, words))
    return changes


_MARKED = re.compile(r"\[-(.+?)-\]|\{\+(.+?)\+\}")


def _only_figures(words: str) -> bool:
    """Whether every word removed or added holds a digit (a figure's text)."""
    runs = [w for pair in _MARKED.findall(words) for w in pair if w]
    return all(any(ch.isdigit() for ch in token) for run in runs for token in run.split())


def compare(old: Snapshot, new: Snapshot, old_name: str, new_name: str = "this build") -> Changes:
    """Every change from ``old`` to ``new``, slide by slide in the new version's order."""
    old_keys, new_keys = _keys(old.slides), _keys(new.slides)
    old_by = dict(zip(old_keys, old.slides, strict=True))
    new_by = dict(zip(new_keys, new.slides, strict=True))
    figures: list[FigureChange] = []
    texts: list[TextChange] = []
    slides: list[SlideChange] = []
    changed: list[str] = []

    # Moved: in both versions, but outside the longest run kept in order.
    common_old = [k for k in old_keys if k in new_by]
    common_new = [k for k in new_keys if k in old_by]
    kept: set[SlideKey] = set()
    matcher = difflib.SequenceMatcher(a=common_old, b=common_new, autojunk=False)
    for block in matcher.get_matching_blocks():
        kept.update(common_old[block.a : block.a + block.size])

    for key in new_keys:
        slide = new_by[key]
        before = old_by.get(key)
        label = slide.label
        found_here = False
        if before is None:
            slides.append(SlideChange(label, "added"))
            found_here = True
        else:
            if key not in kept:
                slides.append(
                    SlideChange(
                        label,
                        "moved",
                        f"position {old.slides.index(before) + 1} → {new.slides.index(slide) + 1}",
                    )
                )
                found_here = True
            more_texts = _text_changes(label, before, slide)
            more_figures = _figure_changes(label, before, slide)
            texts.extend(more_texts)
            figures.extend(more_figures)
            found_here = found_here or bool(more_texts or more_figures)
        if found_here:
            changed.append(slide.number or slide.title)
    for key in old_keys:
        if key not in new_by:
            gone = old_by[key]
            slides.append(SlideChange(gone.label, "removed"))
            changed.append(gone.number or gone.title)

    checks = _check_changes(old, new)
    return Changes(
        old_name,
        new_name,
        tuple(figures),
        tuple(texts),
        tuple(slides),
        checks,
        tuple(dict.fromkeys(changed)),
    )


def _check_changes(old: Snapshot, new: Snapshot) -> tuple[CheckChange, ...]:
    before = {(c.name, c.period): c for c in old.checks}
    after = {(c.name, c.period): c for c in new.checks}
    changes = []
    for key in [*after, *(k for k in before if k not in after)]:
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and a.severity == b.severity:
            continue
        ref = b or a
        assert ref is not None
        changes.append(
            CheckChange(
                ref.name, ref.period, a.severity if a else "", b.severity if b else "", ref.message
            )
        )
    return tuple(changes)


def compare_periods(earlier: Snapshot, now: Snapshot, earlier_name: str, quarter: str) -> Changes:
    """Across quarters: the figures ``now`` shows for periods ``earlier`` showed too.

    A figure of the same item and period that reads differently in the two decks was
    restated or corrected; figures of periods only one deck shows are not compared.
    """

    def table(snapshot: Snapshot) -> dict[tuple[str, str], tuple[FigureLine, SlideLine]]:
        found: dict[tuple[str, str], tuple[FigureLine, SlideLine]] = {}
        for slide in snapshot.slides:
            for figure in slide.figures:
                # A figure's value in its own unit: the measure and period name it.
                found.setdefault((figure.item, figure.period), (figure, slide))
        return found

    before, after = table(earlier), table(now)
    figures = []
    changed: list[str] = []
    for key, (figure, slide) in after.items():
        if key not in before or figure.period == quarter:
            continue
        old, _ = before[key]
        if old.value == figure.value or (old.value is None and figure.value is None):
            continue
        figures.append(
            FigureChange(
                slide=slide.label,
                item=figure.item,
                period=figure.period,
                place=figure.place,
                row=figure.row,
                column=figure.column,
                old=old.shown,
                new=figure.shown,
                old_value=old.value,
                new_value=figure.value,
                old_source=old.source_title,
                new_source=figure.source_title,
                old_status=old.status,
                new_status=figure.status,
            )
        )
        changed.append(slide.number or slide.title)
    return Changes(
        earlier_name, quarter, tuple(figures), changed_slides=tuple(dict.fromkeys(changed))
    )
