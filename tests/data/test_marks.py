"""Marks: where each key and value of a YAML file is written, found by path or by text."""

from __future__ import annotations

from pathlib import Path

from reportgen.data.load import read_yaml_marked

DECK = """\
title: A deck
slides:
  - kind: breakdown
    bullets:
      - Plain {{ 'revenue'|m }}
      - text: >-
          Folded over
          two lines
    content: {impacts: [{item: sga}]}
"""


def marked(tmp_path: Path, text: str) -> tuple[object, object]:
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    return read_yaml_marked(path, tmp_path)


def test_values_and_keys_by_path(tmp_path: Path) -> None:
    _, marks = marked(tmp_path, DECK)
    file = str(tmp_path / "deck.yaml")
    assert marks.at("title") == f"{file}:1:8"
    assert marks.at("slides", 0, "kind") == f"{file}:3:11"
    # A flow mapping inside a flow sequence: the value itself.
    assert marks.at("slides", 0, "content", "impacts", 0, "item") == f"{file}:9:32"
    # An unknown key is named where the key is written; a path the file does not have
    # (a union member pydantic names) falls back to the deepest part it has.
    assert marks.at("slides", 0, "bullets", key=True) == f"{file}:4:5"
    assert marks.at("slides", 0, "bullets", 1, "Bullet", "text") == f"{file}:6:15"


def test_texts_by_value(tmp_path: Path) -> None:
    _, marks = marked(tmp_path, DECK)
    file = str(tmp_path / "deck.yaml")
    assert marks.text_at("Plain {{ 'revenue'|m }}", ("slides", 0)) == f"{file}:5:9"
    # A folded text is found by its value, at its indicator.
    assert marks.text_at("Folded over two lines", ("slides", 0)) == f"{file}:6:15"
    # A text the file does not hold (a default title) is placed at the slide.
    assert marks.text_at("Revenues", ("slides", 0)) == f"{file}:3:5"


def test_aliases_are_walked_once(tmp_path: Path) -> None:
    # Aliases of aliases: six levels of ten would be a million paths if each were walked
    # (nine levels, an alias bomb, would not finish).
    lines = ["a0: &a0 [x, y]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 7)]
    data, marks = marked(tmp_path, "\n".join(lines) + "\n")
    assert isinstance(data, dict)
    assert len(marks.values) < 200
    assert marks.at("a6", 3, 0).endswith(":7:5")  # the alias falls back to its key's value
