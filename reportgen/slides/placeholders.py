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
names the file, the slide and the placeholder. Only the preview's lenient build
(``Language.marked``) prints a placeholder whose figure is missing as its mark and
keeps that line, so the sentence shows marked instead of the build failing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Container, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

from jinja2 import Environment, TemplateSyntaxError, nodes
from markupsafe import Markup, escape

from reportgen.errors import CommentaryError, MissingFigureError
from reportgen.suggest import did_you_mean

# No slide shows more than a few thousand characters (the layout check refuses
# overflow later); these bounds only stop a typo or a hostile file from building
# a text of hundreds of megabytes.
MAX_SOURCE_CHARS = 10_000
MAX_OUTPUT_CHARS = 40_000
_SHOWN_CHARS = 60  # of a text or a reason quoted in an error
# A tag is quoted whole up to this: the longest real placeholder is under 100
# characters; a longer one is a stray brace swallowing the text, cut to stay one line.
_TAG_CHARS = 200

Constant = str | int | float | bool | None
T = TypeVar("T")


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


@dataclass(frozen=True, slots=True)
class Not:
    """``not <condition>``."""

    operand: Condition


@dataclass(frozen=True, slots=True)
class Both:
    """``<condition> and <condition>`` (``all_of``) or ``... or ...``."""

    operator: Literal["and", "or"]
    left: Condition
    right: Condition


# A condition is a placeholder whose last filter is a test of ours (``has``,
# ``is_loss``): ``has('x')`` is read as ``'x'|has``.
Condition = Placeholder | Not | Both


@dataclass(frozen=True, slots=True)
class Branches:
    """``{% if c %}...{% elif c %}...{% else %}...{% endif %}``: the first true branch."""

    branches: tuple[tuple[Condition | None, tuple[Piece, ...]], ...]

    def __str__(self) -> str:
        return self.tag(0)

    def tag(self, position: int) -> str:
        """The tag opening branch ``position``: ``{% if c %}``, ``{% elif c %}``, ``{% else %}``."""
        condition = self.branches[position][0]
        if condition is None:
            return "{% else %}" if position else "{% if %}"
        keyword = "elif" if position else "if"
        return f"{{% {keyword} {_shown_condition(condition)} %}}"


def _shown_condition(condition: Condition) -> str:
    if isinstance(condition, Not):
        return f"not {_shown_condition(condition.operand)}"
    if isinstance(condition, Both):
        left, right = _shown_condition(condition.left), _shown_condition(condition.right)
        return f"{left} {condition.operator} {right}"
    return str(condition)[3:-3]


Piece = str | Placeholder | Branches

_EXPECTED = (
    "expected text, placeholders such as {{ 'revenue'|m }} or {{ quarter|period }}, "
    "and {% if has('item') %} / {% if 'item'|is_loss %} ... {% endif %}"
)
# The functions a condition may call, each one of our filters (``has('x')`` = ``'x'|has``).
_CONDITION_CALLS = frozenset({"has"})

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
    """A tag as an error quotes it: on one line, whole unless it is far longer than any
    placeholder (``_TAG_CHARS``), so the reader sees the placeholder that failed."""
    text = " ".join(text.split())
    return text if len(text) <= _TAG_CHARS else text[:_TAG_CHARS] + "…"


def refusal(shown: str, reason: str) -> CommentaryError:
    """``placeholder error in {{ 3|m }}: <reason>``; the caller puts the file in front."""
    return CommentaryError(f"placeholder error in {shown}: {reason}")


def _expression(source: str, shown: str, convert: Callable[[nodes.Node], T]) -> T:
    """Parse ``{{ source }}`` on its own and ``convert`` its one expression.

    Every refusal quotes ``shown``, the tag as the deck file wrote it.
    """
    try:
        # A lone {{ }} parses to one Output of one expression.
        (output,) = _parser().parse(source).body
        (node,) = output.nodes
        return convert(node)
    except TemplateSyntaxError as exc:
        raise refusal(_shown(shown), exc.message or "syntax error") from None
    except RecursionError:
        raise refusal(_shown(shown), "nested too deeply") from None
    except CommentaryError as exc:
        raise refusal(_shown(shown), str(exc)) from None


def _tag(text: str) -> Placeholder:
    """Parse one ``{{ ... }}`` on its own, so that a refusal can quote it."""
    return _expression(text, text, _placeholder)


def _condition(node: nodes.Node) -> Condition:
    if isinstance(node, nodes.Not):
        return Not(_condition(node.node))
    if isinstance(node, nodes.And | nodes.Or):
        operator: Literal["and", "or"] = "and" if isinstance(node, nodes.And) else "or"
        return Both(operator, _condition(node.left), _condition(node.right))
    if (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Name)
        and node.node.name in _CONDITION_CALLS
        and node.args
        and node.dyn_args is None
        and node.dyn_kwargs is None
    ):
        args = tuple(_arg(a) for a in node.args)
        kwargs = tuple((k.key, _arg(k.value)) for k in node.kwargs)
        return Placeholder(args[0], (FilterCall(node.node.name, args[1:], kwargs),))
    if isinstance(node, nodes.Filter):
        return _placeholder(node)
    raise CommentaryError(_refused(node))


def _block(tag: list[str]) -> tuple[str, Condition | None]:
    """``{% if has('x') %}`` → ("if", condition); only if/elif/else/endif are commentary."""
    text = "".join(tag)
    words = [t for t in tag[1:-1] if t.strip()]
    keyword = words[0].strip() if words else ""
    if keyword not in ("if", "elif", "else", "endif"):
        # {% set %}, {% macro %}, {% autoescape %}...: never commentary.
        raise refusal(_shown(text), f"{{% {keyword} %}} is not allowed in commentary; {_EXPECTED}")
    body = "".join(tag[1:-1]).strip()[len(keyword) :].strip()
    if keyword in ("else", "endif"):
        if body:
            raise refusal(_shown(text), f"{{% {keyword} %}} takes nothing after it")
        return keyword, None
    if not body:
        raise refusal(_shown(text), f"{{% {keyword} %}} needs a condition; {_EXPECTED}")
    return keyword, _expression(f"{{{{ {body} }}}}", text, _condition)


@dataclass
class _Open:
    """An ``{% if %}`` being read: its branches so far, and the pieces of the last one."""

    tag: str
    branches: list[tuple[Condition | None, tuple[Piece, ...]]]
    condition: Condition | None
    pieces: list[Piece]
    has_else: bool = False


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
    stack: list[_Open] = []  # the {% if %} blocks open around the text being read
    tag: list[str] = []  # the tokens of the {{ }} or {% %} being read
    # Where the tag being read starts in ``source``, so a syntax error quotes the tag
    # itself rather than the start of the text. Tokens are consecutive pieces of it.
    cursor = tag_start = 0
    try:
        # The lexer alone splits text from tags (raw blocks are text, comments vanish).
        for _, kind, value in _parser().lexer.tokeniter(source, None):
            found = source.find(value, cursor)
            cursor = cursor if found < 0 else found + len(value)
            if kind == "data":
                pieces.append(value)
            elif kind in ("variable_begin", "block_begin") or tag:
                if not tag:
                    tag_start = max(found, 0)
                tag.append(value)
            if kind == "variable_end":
                pieces.append(_tag("".join(tag).rstrip()))
                tag = []
            elif kind == "block_end":
                pieces = _branch(stack, pieces, "".join(tag), *_block(tag))
                tag = []
    except TemplateSyntaxError as exc:
        shown = _failing_tag(source, tag_start) if tag else repr(source[:_SHOWN_CHARS])
        # The error names the text's line and column in the file; a line inside the text
        # is worth saying only in a text of several lines.
        inside = f"line {exc.lineno} of the text: " if exc.lineno > 1 else ""
        raise refusal(shown, f"{inside}{exc.message}") from None
    if tag:
        raise refusal(_shown("".join(tag)), "not closed; expected }} or %}")
    if stack:
        raise refusal(_shown(stack[-1].tag), "not closed; expected {% endif %}")
    return tuple(pieces)


def _failing_tag(source: str, start: int) -> str:
    """The tag a syntax error is in, whole: from its ``{{`` to the first ``}}`` or ``%}``.

    Up to the end of the text if it is never closed; cut only past ``_TAG_CHARS``.
    """
    ends = [i for i in (source.find("}}", start), source.find("%}", start)) if i >= 0]
    text = " ".join(source[start : min(ends) + 2 if ends else len(source)].split())
    return text if len(text) <= _TAG_CHARS else text[:_TAG_CHARS] + "…"


def _branch(
    stack: list[_Open], pieces: list[Piece], text: str, keyword: str, condition: Condition | None
) -> list[Piece]:
    """Open, continue or close an ``{% if %}``; return the list the next pieces go to."""
    if keyword == "if":
        stack.append(_Open(text, [], condition, pieces))
        return []
    if not stack:
        raise refusal(_shown(text), "without an {% if %} before it")
    block = stack[-1]
    if block.has_else and keyword != "endif":
        raise refusal(_shown(text), "after {% else %}; expected {% endif %}")
    block.branches.append((block.condition, tuple(pieces)))
    if keyword == "endif":
        stack.pop()
        block.pieces.append(Branches(tuple(block.branches)))
        return block.pieces
    block.condition, block.has_else = condition, keyword == "else"
    return []


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    # Our own errors are already one line that says what was expected; Python's are
    # cut short and need their type to make sense.
    if isinstance(exc, CommentaryError):
        return text
    if len(text) > 2 * _SHOWN_CHARS:
        text = text[: 2 * _SHOWN_CHARS] + "…"
    return f"{type(exc).__name__}: {text}"


@dataclass(frozen=True, slots=True)
class Language:
    """What a text may use: filters (ours only) and names, with their values.

    With ``marked`` (the preview's lenient build only), a placeholder whose figure is
    missing prints the mark its filter built, and the error line it would have
    raised is appended to ``marked``; a condition on a missing figure still fails.
    """

    filters: Mapping[str, Callable[..., object]]
    names: Mapping[str, str]
    marked: list[str] | None = None
    # The company's item keys: an item written without its quotes gets a hint.
    items: Container[str] = frozenset()

    def _value(self, arg: Arg) -> Constant:
        if not isinstance(arg, Name):
            return arg
        if arg.name not in self.names:
            # {{ revenue|m }}: an item written without its quotes.
            hint = (
                f" (an item is quoted: '{arg.name}')"
                if arg.name in self.items
                else did_you_mean(arg.name, self.names)
            )
            raise CommentaryError(
                f"unknown name {arg.name!r}{hint}; expected one of {', '.join(sorted(self.names))}"
            )
        return self.names[arg.name]

    def _apply(self, placeholder: Placeholder) -> object:
        value: object = self._value(placeholder.value)
        for call in placeholder.filters:
            apply = self.filters.get(call.name)
            if apply is None:
                raise CommentaryError(
                    f"no filter {call.name!r}{did_you_mean(call.name, self.filters)}; "
                    f"expected one of {', '.join(sorted(self.filters))}"
                )
            args = [self._value(a) for a in call.args]
            kwargs = {key: self._value(v) for key, v in call.kwargs}
            value = apply(value, *args, **kwargs)
        return value

    def _evaluate(self, placeholder: Placeholder) -> Markup:
        value = self._apply(placeholder)
        # A figure span built by our filters is the only markup; anything else is text.
        return value if isinstance(value, Markup) else escape(str(value))

    def _holds(self, condition: Condition) -> bool:
        if isinstance(condition, Not):
            return not self._holds(condition.operand)
        if isinstance(condition, Both):
            left = self._holds(condition.left)
            if condition.operator == "and":
                return left and self._holds(condition.right)
            return left or self._holds(condition.right)
        value = self._apply(condition)
        if not isinstance(value, bool):
            # '...'|m in a condition would be true for any figure: not a test.
            raise CommentaryError(
                f"{condition} is not a test; expected has('item') or 'item'|is_loss"
            )
        return value

    def _pieces(self, pieces: tuple[Piece, ...], where: str) -> Iterator[Markup]:
        for piece in pieces:
            if isinstance(piece, str):
                yield escape(piece)
                continue
            shown = str(piece)  # the tag an error quotes: the one being evaluated
            try:
                if isinstance(piece, Placeholder):
                    yield self._evaluate(piece)
                    continue
                chosen: tuple[Piece, ...] = ()
                for position, (test, body) in enumerate(piece.branches):
                    shown = piece.tag(position)
                    if test is None or self._holds(test):
                        chosen = body
                        break
            # Any failure inside a placeholder is the text's fault: the filters
            # only read the model, so a wrong argument surfaces as whatever
            # Python raises. The cause stays chained for --debug.
            except Exception as exc:
                line = f"{where}: {refusal(shown, _one_line(exc))}"
                if (
                    self.marked is not None
                    and isinstance(exc, MissingFigureError)
                    and isinstance(piece, Placeholder)
                ):
                    self.marked.append(line)
                    # Our filters built the mark; anything else would be text.
                    mark = exc.mark
                    yield mark if isinstance(mark, Markup) else escape(mark)
                    continue
                raise CommentaryError(line) from exc
            yield from self._pieces(chosen, where)

    def render(self, source: str, where: str) -> Markup:
        """Render one text as HTML; raise one ``CommentaryError`` line naming ``where``."""
        try:
            pieces = parse(source)
        except CommentaryError as exc:
            raise CommentaryError(f"{where}: {exc}") from None
        html: list[str] = []
        size = 0
        for part in self._pieces(pieces, where):
            size += len(part)
            if size > MAX_OUTPUT_CHARS:
                reason = f"longer than {MAX_OUTPUT_CHARS:,} characters with its figures"
                raise CommentaryError(f"{where}: {refusal(repr(source[:_SHOWN_CHARS]), reason)}")
            html.append(part)
        return Markup("").join(html)
