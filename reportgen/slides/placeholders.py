"""The commentary language: text, and ``{{ value|filter(args) }}`` placeholders.

Every text a deck file renders (bullets, notes, text slides, forecast comments) is
commentary: text plus the model's formatted figures, nothing else. Jinja only
parses it; the parsed template must be a flat run of text and placeholders whose
value is a quoted constant or a quarter name, followed by filters of ours with
constant or quarter-name arguments. Everything else (``{% %}`` blocks, attribute
access, calls, arithmetic, ``|safe``, autoescape control) is refused before
anything runs, so no Python object other than our filters is ever reached.

Evaluation is ours too: literal text and every value that is not one of our
figure spans is escaped, so the only markup a text can carry is what our filters
build. Any exception while evaluating becomes one ``CommentaryError`` line that
names the file, the slide and the placeholder.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from jinja2 import Environment, TemplateSyntaxError, nodes
from markupsafe import Markup, escape

from reportgen.errors import CommentaryError

# No slide shows more than a few thousand characters (the layout check refuses
# overflow later); these bounds only stop a typo or a hostile file from building
# a text of hundreds of megabytes.
MAX_SOURCE_CHARS = 10_000
MAX_OUTPUT_CHARS = 100_000
_SHOWN_CHARS = 60  # of a text or a reason quoted in an error

Constant = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Name:
    """A name the text may read, such as ``year_ago_quarter``."""

    name: str


Arg = Constant | Name


@dataclass(frozen=True, slots=True)
class FilterCall:
    name: str
    args: tuple[Arg, ...]
    kwargs: tuple[tuple[str, Arg], ...]


@dataclass(frozen=True, slots=True)
class Placeholder:
    """``{{ 'revenue'|m(year_ago_quarter) }}``: a value passed through filters."""

    value: Arg
    filters: tuple[FilterCall, ...]

    def __str__(self) -> str:
        chain = "".join(f"|{f.name}{_arguments(f)}" for f in self.filters)
        return f"{{{{ {_shown_arg(self.value)}{chain} }}}}"


Piece = str | Placeholder

# What a refused construct is called in an error (Jinja node type → words).
_REFUSED = {
    "Getattr": "attribute access",
    "Getitem": "indexing",
    "Slice": "slicing",
    "Call": "a function call",
    "CondExpr": "an if-expression",
    "Concat": "'~'",
    "Scope": "{% autoescape %}",
    "ScopedEvalContextModifier": "{% autoescape %}",
    "EvalContextModifier": "{% autoescape %}",
    "MarkSafe": "markup",
    "MarkSafeIfAutoescape": "markup",
    "Macro": "{% macro %}",
    "CallBlock": "{% call %}",
    "For": "{% for %}",
    "If": "{% if %}",
    "Assign": "{% set %}",
    "AssignBlock": "{% set %}",
    "With": "{% with %}",
    "FilterBlock": "{% filter %}",
    "Include": "{% include %}",
    "Import": "{% import %}",
    "FromImport": "{% from %}",
    "Extends": "{% extends %}",
    "Block": "{% block %}",
    "Test": "an 'is' test",
}


def _shown_arg(arg: Arg) -> str:
    return arg.name if isinstance(arg, Name) else repr(arg)


def _arguments(call: FilterCall) -> str:
    if not call.args and not call.kwargs:
        return ""
    shown = [_shown_arg(a) for a in call.args]
    shown += [f"{key}={_shown_arg(value)}" for key, value in call.kwargs]
    return f"({', '.join(shown)})"


def _refused(node: nodes.Node) -> str:
    # ``''.__class__.__mro__[1]()`` reads left to right: name the first step refused.
    while isinstance(node, nodes.Call | nodes.Getattr | nodes.Getitem) and isinstance(
        node.node, nodes.Call | nodes.Getattr | nodes.Getitem
    ):
        node = node.node
    kind = type(node).__name__
    if isinstance(node, nodes.Getattr):
        words = f"attribute access (.{node.attr})"
    elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
        words = f"a function call ({node.node.name})"
    elif isinstance(node, nodes.Filter):
        words = "a '*' or '**' argument"
    elif isinstance(node, nodes.BinExpr | nodes.UnaryExpr | nodes.Compare):
        words = "arithmetic or comparison"
    else:
        words = _REFUSED.get(kind, kind)
    line = next((n.lineno for n in (node, *node.iter_child_nodes()) if n.lineno), None)
    at = f"line {line}: " if line else ""
    return (
        f"{at}{words} is not allowed in commentary; expected text and "
        "placeholders such as {{ 'revenue'|m }} or {{ year_ago_quarter|period }}"
    )


def _arg(node: nodes.Node) -> Arg:
    if isinstance(node, nodes.Const) and isinstance(node.value, Constant):
        return node.value
    if isinstance(node, nodes.Name) and node.ctx == "load":
        return Name(node.name)
    raise CommentaryError(_refused(node))


def _placeholder(node: nodes.Node) -> Placeholder:
    filters: list[FilterCall] = []
    while isinstance(node, nodes.Filter):
        if node.dyn_args is not None or node.dyn_kwargs is not None or node.node is None:
            raise CommentaryError(_refused(node))
        args = tuple(_arg(a) for a in node.args)
        kwargs = tuple((k.key, _arg(k.value)) for k in node.kwargs)
        filters.append(FilterCall(node.name, args, kwargs))
        node = node.node
    return Placeholder(_arg(node), tuple(reversed(filters)))


@functools.lru_cache(maxsize=1)
def _parser() -> Environment:
    # Only its parser is used: nothing is ever compiled or run by Jinja.
    return Environment(autoescape=False)


@functools.lru_cache(maxsize=8192)
def parse(source: str) -> tuple[Piece, ...]:
    """Parse a text into literal pieces and placeholders; refuse anything else.

    Parsed once per process: a preview rebuild reuses every text it has seen.
    """
    if len(source) > MAX_SOURCE_CHARS:
        raise CommentaryError(
            f"text of {len(source):,} characters; expected at most {MAX_SOURCE_CHARS:,}"
        )
    try:
        template = _parser().parse(source)
    except TemplateSyntaxError as exc:
        raise CommentaryError(f"line {exc.lineno}: {exc.message}") from None
    except RecursionError:
        raise CommentaryError("placeholders nested too deeply") from None
    pieces: list[Piece] = []
    for statement in template.body:
        if not isinstance(statement, nodes.Output):
            raise CommentaryError(_refused(statement))
        for node in statement.nodes:
            if isinstance(node, nodes.TemplateData):
                pieces.append(node.data)
            else:
                pieces.append(_placeholder(node))
    return tuple(pieces)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if len(text) > 2 * _SHOWN_CHARS:
        text = text[: 2 * _SHOWN_CHARS] + "…"
    # Our own errors already say what was expected; Python's need their type to make sense.
    return text if isinstance(exc, CommentaryError) else f"{type(exc).__name__}: {text}"


@dataclass(frozen=True, slots=True)
class Language:
    """What a text may use: filters (ours only) and names, with their values."""

    filters: Mapping[str, Callable[..., object]]
    names: Mapping[str, str]

    def _value(self, arg: Arg) -> Constant:
        if not isinstance(arg, Name):
            return arg
        if arg.name not in self.names:
            raise CommentaryError(
                f"unknown name {arg.name!r}; expected one of {', '.join(sorted(self.names))}"
            )
        return self.names[arg.name]

    def _evaluate(self, placeholder: Placeholder) -> Markup:
        value: object = self._value(placeholder.value)
        for call in placeholder.filters:
            apply = self.filters.get(call.name)
            if apply is None:
                raise CommentaryError(
                    f"no filter {call.name!r}; expected one of {', '.join(sorted(self.filters))}"
                )
            args = [self._value(a) for a in call.args]
            kwargs = {key: self._value(v) for key, v in call.kwargs}
            value = apply(value, *args, **kwargs)
        # A figure span built by our filters is the only markup; anything else is text.
        return value if isinstance(value, Markup) else escape(str(value))

    def render(self, source: str, where: str) -> Markup:
        """Render one text as HTML; raise one ``CommentaryError`` line naming ``where``."""
        try:
            pieces = parse(source)
        except CommentaryError as exc:
            shown = source[:_SHOWN_CHARS]
            raise CommentaryError(f"{where}: placeholder error in {shown!r}: {exc}") from None
        html: list[str] = []
        size = 0
        for piece in pieces:
            if isinstance(piece, str):
                part = escape(piece)
            else:
                try:
                    part = self._evaluate(piece)
                # Any failure inside a placeholder is the text's fault: the filters
                # only read the model, so a wrong argument surfaces as whatever
                # Python raises. The cause stays chained for --debug.
                except Exception as exc:
                    raise CommentaryError(
                        f"{where}: placeholder error in {piece}: {_one_line(exc)}"
                    ) from exc
            size += len(part)
            if size > MAX_OUTPUT_CHARS:
                shown = source[:_SHOWN_CHARS]
                raise CommentaryError(
                    f"{where}: placeholder error in {shown!r}: longer than "
                    f"{MAX_OUTPUT_CHARS:,} characters once its placeholders are filled in"
                )
            html.append(part)
        return Markup("").join(html)
