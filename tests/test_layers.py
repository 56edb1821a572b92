"""Clean layers: the model knows nothing of how data is read or how a deck looks.

``reportgen.model`` may import only itself and the shared pure helpers below; ``data``
loads files into the model's types, and slides, charts and rendering read the model.
Every import is checked, at module level or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

MODEL = ROOT / "reportgen" / "model"
# What the model may import from reportgen: itself, and helpers that know no layer.
ALLOWED = ("reportgen.model", "reportgen.quarters", "reportgen.formatting")


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports (``from x import y`` as ``x.y`` and ``x``), with its line."""
    found: list[tuple[int, str]] = []
    package = "reportgen.model"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.append((node.lineno, base))
            # ``from reportgen import data`` imports the package reportgen.data.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _allowed(module: str) -> bool:
    return any(module == ok or module.startswith(ok + ".") for ok in ALLOWED)


def test_model_imports_no_other_layer() -> None:
    files = sorted(MODEL.glob("*.py"))
    assert files
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: imports {module}"
        for path in files
        for line, module in imports_of(path)
        if module.startswith("reportgen") and module != "reportgen" and not _allowed(module)
        # ``from reportgen import formatting`` names reportgen itself, then the module.
    ]
    assert wrong == []


def test_the_check_sees_a_violating_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from reportgen import formatting\n"
        "def f():\n    from reportgen.data.load import Dataset\n"
        "from . import figures\nfrom ..slides import deck\n",
        encoding="utf-8",
    )
    modules = [m for _, m in imports_of(bad)]
    assert "reportgen.data.load" in modules
    assert "reportgen.model.figures" in modules
    assert "reportgen.slides" in modules
    assert {m for m in modules if m.startswith("reportgen.") and not _allowed(m)} == {
        "reportgen.data.load",
        "reportgen.data.load.Dataset",
        "reportgen.slides",
        "reportgen.slides.deck",
    }
