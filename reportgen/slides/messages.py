"""Message catalogues: every label, heading and unit text a slide shows, per language."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reportgen.data.load import read_yaml
from reportgen.errors import SlideError
from reportgen.formatting import JPY_MILLION, Money, money_units
from reportgen.model.catalogue import Catalogue
from reportgen.model.figures import Figure
from reportgen.slides.plain import plain


@dataclass(frozen=True, slots=True)
class Messages:
    """Look up ``key`` in a language's catalogue; a missing key fails the build.

    A catalogue text names the money unit by placeholder, never as ``JPY million``:
    ``{money}`` / ``{money_large}`` (``JPY million`` / 百万円, ``JPY billion`` / 億円),
    ``{currency}``, ``{scale}`` and ``{large_scale}``, filled from the company's
    ``reporting:`` (``with_money``; JPY million until then).
    """

    language: str
    entries: dict[str, str]
    # The company's items (items.yaml): their labels in this language.
    catalogue: Catalogue | None = None
    money: Money = field(default=JPY_MILLION)

    @classmethod
    def load(cls, templates: Path, language: str) -> Messages:
        """Merge every ``templates/i18n/<language>/*.yaml``; a key defined twice is an error."""
        folder = templates / "i18n" / language
        files = sorted(folder.glob("*.yaml"))
        if not files:
            raise SlideError(f"{folder}: no message catalogue for language {language!r}")
        entries: dict[str, str] = {}
        for path in files:
            # The data loader: a key written twice in a catalogue is an error, not a guess.
            raw: Any = read_yaml(path, templates)
            for key, text in _flatten(raw or {}).items():
                if key in entries:
                    raise SlideError(f"{path}: message {key!r} is defined twice ({language})")
                entries[key] = text
        return cls(language, entries)

    def with_catalogue(self, catalogue: Catalogue) -> Messages:
        """These messages, with the item labels of a company's catalogue."""
        return self if self.catalogue is catalogue else replace(self, catalogue=catalogue)

    def with_money(self, money: Money) -> Messages:
        """This catalogue with its unit placeholders in ``money`` (the company's reporting)."""
        return self if self.money == money else replace(self, money=money)

    def __call__(self, key: str, **values: object) -> str:
        try:
            text = self.entries[key]
        except KeyError:
            raise SlideError(
                f"message {key!r} is missing from the {self.language!r} catalogue "
                f"(templates/i18n/{self.language}/)"
            ) from None
        if "{" in text:
            # Units first, by plain replacement: the other placeholders stay for format().
            for name, unit in money_units(self.money, self.language).items():
                text = text.replace(f"{{{name}}}", unit)
        if not values:
            return text
        # The result is plain text: rendered commentary passed in as a value gives its
        # text, not its HTML, or the template would escape that HTML a second time.
        return text.format(**{k: plain(v) if isinstance(v, str) else v for k, v in values.items()})

    def item(self, key: str) -> str:
        """The display label of a line item in this language, from the company's items.yaml."""
        if self.catalogue is None:
            raise SlideError(f"item {key!r}: no catalogue of items to label it with")
        item = self.catalogue.get(key)
        if item is None or self.language not in item.labels:
            raise SlideError(
                f"item {key!r} has no {self.language!r} label in the company's items.yaml"
            )
        return item.labels[self.language]


def as_shown(figure: Figure, t: Messages) -> Figure:
    """The figure with the sign its label has in this edition.

    Japanese statements show 少数株主損益 from the minority shareholders' side: their
    share of subsidiaries' losses (which adds to net income, and English labels
    "minority interests in losses") is a loss, △. The company's items.yaml says which
    items (``sign: {ja: reversed}``); every figure of the item is shown through here.
    """
    if figure.value is None or t.catalogue is None:
        return figure
    if t.catalogue.sign(figure.key, t.language) != "reversed":
        return figure
    return replace(figure, value=-figure.value)


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat
