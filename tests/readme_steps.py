"""The README's walkthroughs as steps a test carries out, as a reader copies them.

``steps(title)`` reads the shell blocks of a README section; ``follow`` carries them
out under a folder (``tmp_path``): ``cp -r`` of an example company, ``rm`` of its
YAML files, heredocs written to files, and each ``make`` line as the CLI command it
stands for. A step it does not know fails the test: a README step that changes must
change here too, so a walkthrough that no longer works cannot pass.
"""

from __future__ import annotations

import io
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from reportgen.cli import main
from tests.conftest import ROOT

README = ROOT / "README.md"
FENCE = re.compile(r"^( *)```sh\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
MAKE = re.compile(r"make (\w+)((?: \w+=\S+)*)$")
HEREDOC = re.compile(r"cat (>>?) (\S+) <<'EOF'$")
COPY = re.compile(r"cp -r (\S+) (\S+)$")
REMOVE = re.compile(r"rm (\S+)/\*\.yaml$")

Results = dict[str, tuple[int, str, str]]


def section(title: str) -> str:
    """The README's section ``## title``, up to the next one."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def steps(title: str) -> list[str]:
    """The shell lines of the section's walkthrough, in order, as a reader copies them."""
    blocks = [textwrap.dedent(m.group(2)) for m in FENCE.finditer(section(title))]
    return "".join(blocks).splitlines()


def run(*argv: str) -> tuple[int, str, str]:
    """The CLI run in this process: its exit code, output and log."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def follow(lines: list[str], root: Path) -> Results:
    """Carry out the steps under ``root``; return each make target's exit code and output."""
    results: Results = {}
    lines = list(lines)
    while lines:
        line = lines.pop(0)
        if copy := COPY.match(line):
            # Only the repository's own data is copied: the README copies an example.
            source = ROOT / copy.group(1)
            assert source.is_relative_to(ROOT / "data" / "examples"), line
            shutil.copytree(source, root / copy.group(2))
        elif remove := REMOVE.match(line):
            for path in (root / remove.group(1)).glob("*.yaml"):
                path.unlink()
        elif heredoc := HEREDOC.match(line):
            end = lines.index("EOF")
            body, lines = lines[:end], lines[end + 1 :]
            mode = "a" if heredoc.group(1) == ">>" else "w"
            with (root / heredoc.group(2)).open(mode, encoding="utf-8") as f:
                f.write("\n".join(body) + "\n")
        elif make := MAKE.match(line):
            results[make.group(1)] = _make(line, make.group(1), make.group(2), root)
        else:
            pytest.fail(f"README step {line!r}: a command the test does not know")
    return results


def _make(line: str, target: str, options: str, root: Path) -> tuple[int, str, str]:
    """``make target DATA=... QUARTER=...`` as the CLI command the Makefile runs."""
    args = dict(pair.split("=") for pair in options.split())
    data = str(root / args.pop("DATA"))
    quarter = args.pop("QUARTER", "")
    assert not args, f"README step {line!r}: options the test does not follow"
    if target == "items":
        return run("items", "--company", data)
    if target == "check":
        return run("check", "--quarter", quarter, "--data", data)
    if target == "report":
        return run("build", "--quarter", quarter, "--data", data, "--out", str(root / "output"))
    if target == "preview":
        # A server that runs until Ctrl-C: it serves what `report` built (test_preview.py).
        return (0, "", "")
    pytest.fail(f"README step {line!r}: a make target the test does not know")
