"""Where each key and value of a YAML file is written, for errors that name ``file:line:column``.

A deck file is parsed once into YAML nodes, which carry their start marks, and
constructed from them (``load.read_yaml_marked``). ``Marks`` keeps the marks by path
of keys and indexes (``("slides", 3, "bullets", 0)``), and finds a text by its value,
so code that only holds the parsed spec's strings (a slide builder rendering a
bullet) can still name the line and column it was typed at without knowing YAML.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

KeyPath = tuple[str | int, ...]

_MERGE = "tag:yaml.org,2002:merge"


@dataclass(frozen=True, slots=True)
class Mark:
    """A position in a file, counted from 1 as editors count."""

    line: int
    column: int

    @classmethod
    def of(cls, node: yaml.Node) -> Mark:
        return cls(node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass(frozen=True, slots=True)
class Marks:
    """The marks of one YAML file: of each value and each mapping key, by path.

    ``file`` is the file as errors show it; every location starts with it.
    """

    file: str
    values: dict[KeyPath, Mark] = field(default_factory=dict)
    keys: dict[KeyPath, Mark] = field(default_factory=dict)
    # Every string scalar in file order: its path, its value as the schema keeps it
    # (stripped) and its mark.
    texts: tuple[tuple[KeyPath, str, Mark], ...] = ()

    @classmethod
    def of(cls, file: str, root: yaml.Node | None) -> Marks:
        """The marks of the document ``root`` (None: an empty file) of ``file``."""
        values: dict[KeyPath, Mark] = {}
        keys: dict[KeyPath, Mark] = {}
        texts: list[tuple[KeyPath, str, Mark]] = []
        for path, node, key in _walk(root, (), set()) if root is not None else ():
            if key is not None:
                keys.setdefault(path, Mark.of(key))
            values.setdefault(path, Mark.of(node))
            if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
                texts.append((path, node.value.strip(), Mark.of(node)))
        return cls(file, values, keys, tuple(texts))

    def mark(self, path: KeyPath, *, key: bool = False) -> Mark | None:
        """The mark of ``path``, or of the deepest part of it that the file has.

        Parts the file does not have are skipped, not the end of the search: a
        pydantic location names union members (``bullets.0.Bullet.text``) between
        keys. ``key``: the mark of the key itself (an unknown key), not its value.
        """
        found: KeyPath = ()
        for part in path:
            for candidate in (part, str(part)):
                if (*found, candidate) in self.values:
                    found = (*found, candidate)
                    break
        if key and found and found in self.keys:
            return self.keys[found]
        return self.values.get(found)

    def at(self, *path: str | int, key: bool = False) -> str:
        """``decks/1Q25.yaml:14:9``: the file, line and column of ``path``."""
        return self._shown(self.mark(path, key=key))

    def text_at(self, text: str, within: KeyPath = ()) -> str:
        """Where ``text`` is written under ``within``: the first string equal to it.

        Compared stripped, as the schema keeps strings. A text the file does not hold
        (a default title from the catalogue) is placed at ``within`` itself.
        """
        wanted = text.strip()
        size = len(within)
        for path, value, mark in self.texts:
            if value == wanted and path[:size] == within:
                return self._shown(mark)
        return self.at(*within)

    def _shown(self, mark: Mark | None) -> str:
        return f"{self.file}:{mark.line}:{mark.column}" if mark else self.file


def _walk(
    node: yaml.Node, path: KeyPath, seen: set[int], key: yaml.Node | None = None
) -> Iterator[tuple[KeyPath, yaml.Node, yaml.Node | None]]:
    """Every node with its path (and the key node it is the value of), in file order.

    A node reached a second time (an alias) is not walked again: its path then
    falls back to the key that holds it, and an alias bomb stays one walk.
    """
    if id(node) in seen:
        return
    seen.add(id(node))
    yield path, node, key
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            # ``<<: *defaults`` merges a mapping already walked where it was written.
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE:
                yield from _walk(value, (*path, key_node.value), seen, key_node)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(item, (*path, index), seen)


@dataclass(frozen=True, slots=True)
class Site:
    """A part of a marked file that errors name: a slide, as ``where`` describes it.

    ``at()`` is ``decks/1Q25.yaml:12:5, slide 1 (statement, 1Q25) "Title"``.
    """

    marks: Marks
    path: KeyPath
    name: str

    def at(self, *path: str | int, key: bool = False) -> str:
        """The location of ``path`` inside the site, then the site's name."""
        return self._named(self.marks.at(*self.path, *path, key=key))

    def of(self, text: str) -> str:
        """The location of the string ``text`` inside the site, then the site's name."""
        return self._named(self.marks.text_at(text, self.path))

    def _named(self, location: str) -> str:
        return f"{location}, {self.name}" if self.name else location
