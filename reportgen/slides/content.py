"""The ``content:`` of a slide in the deck file: checked per kind, rendered to text.

``SlideSpec.content`` is a free mapping, so each kind that reads it declares a
pydantic model of the keys it needs; a bad key fails the build with the deck
file and the slide named, like any other data error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar, get_args, get_origin

from markupsafe import Markup
from pydantic import BaseModel, Field, ValidationError, model_validator
from pydantic.fields import FieldInfo

from reportgen.data.load import Dataset, describe_each, shown
from reportgen.data.marks import Site
from reportgen.data.schema import SlideSpec, Strict, quote
from reportgen.errors import DataError
from reportgen.quarters import Quarter
from reportgen.slides.base import BuildContext
from reportgen.slides.shown import FigureText
from reportgen.suggest import did_you_mean

Content = TypeVar("Content", bound=BaseModel)


def deck_path(dataset: Dataset, quarter: Quarter, language: str = "en") -> Path:
    """``decks/1Q08.yaml`` for the English deck, ``decks/1Q08.ja.yaml`` for another edition."""
    suffix = "" if language == "en" else f".{language}"
    return dataset.root / "decks" / f"{quarter.name}{suffix}.yaml"


def slide_where(ctx: BuildContext, spec: SlideSpec, *path: str | int, key: bool = False) -> str:
    """Where ``path`` of the slide being built is written, then the slide's name.

    ``decks/1Q25.yaml:64:9, slide 6 (bridge, 1Q25) "Title"``: the
    deck builder names the slide (``Commentary.at``); ``spec`` names it otherwise.
    """
    site = ctx.commentary.site
    if site is not None:
        return site.at(*path, key=key)
    number = f"slide {spec.number} " if spec.number else "slide "
    file = shown(deck_path(ctx.dataset, ctx.quarter, ctx.language))
    return f"{file}, {number}({spec.kind}, {ctx.quarter.name})"


def check_content_keys(site: Site, spec: SlideSpec, model: type[BaseModel] | None) -> None:
    """Refuse ``content:`` keys the slide's kind does not read (``model``: the keys it does).

    Checked when the deck file is read, for every slide, so a key on the wrong kind
    (or misspelt) fails the build instead of being silently left off the slide.
    """
    accepted = field_names(model) if model is not None else []
    unknown = [key for key in spec.content if key not in accepted]
    if not unknown:
        return
    reads = f"reads {', '.join(accepted)}" if accepted else "reads no content"
    raise DataError(
        f"{site.at('content', unknown[0], key=True)}: content.{quote(unknown[0])[1:-1]}: "
        f"unknown key{did_you_mean(unknown[0], accepted)}; the {spec.kind} slide {reads}"
    )


def parse_content(ctx: BuildContext, spec: SlideSpec, model: type[Content]) -> Content:
    """Check a slide's ``content`` against ``model``; raise ``DataError`` naming the slide."""
    try:
        return model.model_validate(spec.content, context={"catalogue": ctx.dataset.catalogue})
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt key is also a missing one: name the misspelling, which explains both.
        unknown = [e["loc"] for e in errors if e["type"] == "extra_forbidden"]
        if unknown:
            where = slide_where(ctx, spec, "content", *unknown[0], key=True)
            raise DataError(f"{where}: {_unknown_key(model, unknown[0])}") from None
        lines = [
            f"{slide_where(ctx, spec, 'content', *e['loc'])}: content."
            + (_missing(model, e["loc"]) if e["type"] == "missing" else each)
            for e, each in zip(errors, describe_each(exc), strict=True)
        ]
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        raise DataError(lines[0] + more, details=lines) from None


def _unknown_key(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """``content.titel: unknown key (did you mean 'title'?); expected one of ...``."""
    allowed = keys_at(model, loc[:-1])
    where = ".".join(str(part) for part in loc)
    expected = f"; expected one of {', '.join(allowed)}" if allowed else ""
    return f"content.{where}: unknown key{did_you_mean(str(loc[-1]), allowed)}{expected}"


def keys_at(model: type[BaseModel], path: tuple[int | str, ...]) -> list[str]:
    """The keys allowed at ``path`` (field names, list indexes, union member names)."""
    return [key for c in _models_at(model, path) for key in field_names(c)]


def _models_at(model: type[BaseModel], path: tuple[int | str, ...]) -> list[type[BaseModel]]:
    candidates = [model]
    for part in path:
        named = [c for c in candidates if c.__name__ == part]
        fields = _fields(candidates, part)
        if named:
            candidates = named
        elif fields:
            candidates = _models(fields[0].annotation)
        elif not isinstance(part, int):
            return []
    return candidates


def _fields(models: list[type[BaseModel]], key: int | str) -> list[FieldInfo]:
    return [
        field
        for c in models
        for name, field in c.model_fields.items()
        if key in (name, field.alias)
    ]


def _missing(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """``compare: missing; expected one of year_ago, prior_quarter, year_start``."""
    where = ".".join(str(part) for part in loc)
    fields = _fields(_models_at(model, loc[:-1]), loc[-1])
    if not fields:
        return f"{where}: missing"
    field = fields[0]
    choices = [a for a in get_args(field.annotation) if isinstance(a, str)]
    if field.description:
        expected = field.description
    elif get_origin(field.annotation) is Literal:
        expected = f"one of {', '.join(choices)}"
    else:
        expected = "a value"
    return f"{where}: missing; expected {expected}"


def field_names(model: type[BaseModel]) -> list[str]:
    """The keys a model reads, as written in the deck file (``from``, not ``from_``)."""
    return [field.alias or name for name, field in model.model_fields.items()]


def _models(annotation: object) -> list[type[BaseModel]]:
    """The pydantic models inside a field's type (``tuple[Point | str, ...]`` → ``Point``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models(arg)]


def content_error(ctx: BuildContext, spec: SlideSpec, message: str, *path: str | int) -> DataError:
    """An error about the slide's content, at ``path`` inside the slide (or the slide)."""
    return DataError(f"{slide_where(ctx, spec, *path)}: {message}")


class Point(Strict):
    """A headline point of a panel, with supporting lines under it."""

    text: str = Field(min_length=1)
    detail: tuple[str, ...] = ()


class Panel(Strict):
    """A boxed panel of text; ``company`` names a row of ``group_companies.csv``."""

    title: str = ""
    subtitle: str = ""
    company: str = ""
    points: tuple[Point | str, ...] = ()

    @model_validator(mode="after")
    def _titled(self) -> Panel:
        if not (self.title or self.company):
            raise ValueError("a panel needs a title or a company")
        return self


class Section(Strict):
    """A row of panels under an optional heading."""

    heading: str = ""
    panels: tuple[Panel, ...] = Field(min_length=1)


class PanelsContent(Strict):
    """A text slide: a lead sentence, then rows of panels."""

    lead: str = ""
    sections: tuple[Section, ...] = Field(min_length=1)
    # ``large``: a size up, for a slide of fewer, longer points.
    text_size: Literal["normal", "large"] = "normal"


@dataclass(frozen=True, slots=True)
class RenderedPoint:
    text: Markup
    detail: tuple[Markup, ...]


@dataclass(frozen=True, slots=True)
class RenderedPanel:
    title: Markup
    # A company panel's line (``Established ... (100% ...)``) carries its ownership figure.
    subtitle: Markup | FigureText
    points: tuple[RenderedPoint, ...]


@dataclass(frozen=True, slots=True)
class RenderedSection:
    heading: Markup
    panels: tuple[RenderedPanel, ...]


def render_points(ctx: BuildContext, points: tuple[Point | str, ...]) -> tuple[RenderedPoint, ...]:
    """Evaluate placeholders in every point (figures come from the model, as in bullets)."""
    text = ctx.commentary.text
    rendered = []
    for point in points:
        spec = Point(text=point) if isinstance(point, str) else point
        rendered.append(RenderedPoint(text(spec.text), tuple(text(d) for d in spec.detail)))
    return tuple(rendered)
