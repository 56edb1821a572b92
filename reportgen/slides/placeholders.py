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
MAX_OUTPUT_CHARS = 40_000
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

_EXPECTED = "expected text and placeholders such as {{ 'revenue'|m }} or {{ quarter|period }}"

# What a refused expression is called in an error (Jinja node type → words);
# {% %} blocks never get this far.
_REFUSED = {
    "Getattr": "attribute access",
    "Getitem": "indexing",
    "Slice": "slicing",
    "Call": "a function call",
    "CondExpr": "an if-expression",
    "Concat": "'~'",
    "Test": "an 'is' test",
    "List": "a list",
    "Tuple": "a tuple",
    "Dict": "a dict",
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
    return f"{words} is not allowed in commentary; {_EXPECTED}"


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
    # Only its lexer and parser are used: nothing is ever compiled or run by Jinja.
    return Environment(autoescape=False)


def _shown(text: str) -> str:
    """A text or a tag as an error quotes it: on one line, cut short."""
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"


def refusal(shown: str, reason: str) -> CommentaryError:
    """``placeholder error in {{ 3|m }}: <reason>``; the caller puts the file in front."""
    return CommentaryError(f"placeholder error in {shown}: {reason}")


def _tag(text: str) -> Placeholder:
    """Parse one ``{{ ... }}`` on its own, so that a refusal can quote it."""
    try:
        # A lone {{ }} parses to one Output of one expression.
        (output,) = _parser().parse(text).body
        (node,) = output.nodes
        return _placeholder(node)
    except TemplateSyntaxError as exc:
        raise refusal(_shown(text), exc.message or "syntax error") from None
    except RecursionError:
        raise refusal(_shown(text), "nested too deeply") from None
    except CommentaryError as exc:
        raise refusal(_shown(text), str(exc)) from None


@functools.lru_cache(maxsize=8192)
def parse(source: str) -> tuple[Piece, ...]:
    """Parse a text into literal pieces and placeholders; refuse anything else.

    Parsed once per process: a preview rebuild reuses every text it has seen.
    """
    if len(source) > MAX_SOURCE_CHARS:
        raise refusal(
            repr(source[:_SHOWN_CHARS]),
            f"text of {len(source):,} characters; expected at most {MAX_SOURCE_CHARS:,}",
        )
    pieces: list[Piece] = []
    tag: list[str] = []  # the tokens of the {{ }} or {% %} being read
    try:
        # The lexer alone splits text from tags (raw blocks are text, comments vanish).
        for _, kind, value in _parser().lexer.tokeniter(source, None):
            if kind == "data":
                pieces.append(value)
            elif kind in ("variable_begin", "block_begin") or tag:
                tag.append(value)
            if kind == "variable_end":
                pieces.append(_tag("".join(tag).rstrip()))
                tag = []
            elif kind == "block_end":
                # {% if %}, {% set %}, {% macro %}, {% autoescape %}...: never commentary.
                name = next((t for t in tag[1:] if t.strip()), "").strip()
                raise refusal(
                    _shown("".join(tag)),
                    f"{{% {name} %}} is not allowed in commentary; {_EXPECTED}",
                )
    except TemplateSyntaxError as exc:
        raise refusal(repr(source[:_SHOWN_CHARS]), f"line {exc.lineno}: {exc.message}") from None
    if tag:
        raise refusal(_shown("".join(tag)), "not closed; expected }} or %}")
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
            raise CommentaryError(f"{where}: {exc}") from None
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
                        f"{where}: {refusal(str(piece), _one_line(exc))}"
                    ) from exc
            size += len(part)
            if size > MAX_OUTPUT_CHARS:
                reason = f"longer than {MAX_OUTPUT_CHARS:,} characters with its figures"
                raise CommentaryError(f"{where}: {refusal(repr(source[:_SHOWN_CHARS]), reason)}")
            html.append(part)
        return Markup("").join(html)
