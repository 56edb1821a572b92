"""Errors raised by reportgen.

Every error carries a one-line message that names the file, the row or item, the
quarter and what was expected. The CLI maps them to exit codes; nothing below
``cli.py`` exits the process.

    ReportgenError
    ├── InputError               bad input from the user: exit code 2
    │   ├── QuarterError         a quarter or period name that is not valid
    │   ├── DataError            a data file that cannot be read or fails its schema
    │   │   └── TieOutError      figures that do not add up (a tie-out failed)
    │   ├── CommentaryError      a bullet whose placeholder names an unknown figure
    │   │   └── MissingFigureError   a placeholder whose figure is missing
    │   ├── LayoutError          slide content too long to fit on its one page
    │   └── ReleaseBlockedError       a final build with items still open (the release gate)
    ├── SlideError               a template that fails to render (missing variable, syntax)
    ├── RenderError              the PDF or the preview cannot be written
    └── PreviewError             the preview server cannot start (its port is taken)
"""

from __future__ import annotations

from collections.abc import Iterable


class ReportgenError(Exception):
    """Base class of every error reportgen raises on purpose.

    ``str(error)`` is the one line the CLI prints. ``details`` lists every error
    behind it, one message each, for a reader that shows them all (the preview's
    panel): a TieOutError says "(and 5 more)" in its line and carries all six.
    """

    def __init__(self, message: str = "", *, details: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.details: tuple[str, ...] = tuple(details) or (message,)


class InputError(ReportgenError):
    """The user's input is wrong; the CLI exits with code 2."""


class QuarterError(InputError):
    """A quarter or period name is malformed or has no data."""


class DataError(InputError):
    """A data file is missing, unreadable or fails its schema."""


class TieOutError(DataError):
    """Figures that must agree do not (segments vs total, change vs balances)."""


class CommentaryError(InputError):
    """A commentary placeholder cannot be evaluated against the model."""


class MissingFigureError(CommentaryError):
    """A placeholder whose figure is missing from the data (or not disclosed).

    ``mark`` is what the preview's lenient build prints in its place: the sentence
    marked (built by ``commentary._span``). Every other build fails on it.
    """

    def __init__(self, message: str, *, mark: str) -> None:
        super().__init__(message)
        self.mark = mark


class OutputConflictError(InputError):
    """The output folder's quarter folder holds another company's deck."""


class LayoutError(InputError):
    """A slide's content (bullets, rows) does not fit on its one page."""


class ReleaseBlockedError(InputError):
    """A final build found open items; ``details`` lists each, one line."""


class SlideError(ReportgenError):
    """A slide template fails to render."""


class RenderError(ReportgenError):
    """The deck cannot be rendered or written to the output folder."""


class PreviewError(ReportgenError):
    """The live preview cannot start serving (the port is taken or not allowed)."""
