"""WeasyPrint imported with one library listing instead of 22 searches, and the same libraries.

``reportgen.weasyprint_import`` answers cffi's ``find_library`` calls from one
``ldconfig -p``; these tests hold it to the standard search's answers, check that
the import runs no other program, and that a library the quick search misses
falls back to the standard search.
"""

from __future__ import annotations

import ast
import ctypes.util
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen import weasyprint_import

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the quick search is for Linux only"
)


def _names_weasyprint_tries() -> list[str]:
    """Every library name ``weasyprint.text.ffi`` passes to its ``_dlopen``."""
    spec = importlib.util.find_spec("weasyprint.text.ffi")
    assert spec is not None
    assert spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    names = [
        arg.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_dlopen"
        for arg in node.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    ]
    assert len(names) > 20, "weasyprint.text.ffi no longer lists its libraries as expected"
    return names


def test_every_name_gets_the_standard_answer() -> None:
    names = _names_weasyprint_tries()
    standard = {name: ctypes.util.find_library(name) for name in names}
    quick = {name: weasyprint_import.find_library(name) for name in names}
    assert quick == standard
    # The answers that matter: each library WeasyPrint needs is found under some name.
    assert any(standard[n] for n in names if "pango-1.0" in n)


def _run(script: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


_RECORD_PROGRAMS = """
import ctypes.util, json, subprocess, sys
started = []
real = subprocess.Popen.__init__
def record(self, args, *rest, **kw):
    started.append(args[0] if isinstance(args, (list, tuple)) else args)
    real(self, args, *rest, **kw)
subprocess.Popen.__init__ = record
standard = ctypes.util.find_library
"""


def test_the_import_runs_one_ldconfig_and_puts_the_standard_search_back() -> None:
    result = _run(
        _RECORD_PROGRAMS
        + """
from reportgen import weasyprint_import
weasyprint_import.load()
import weasyprint.text.ffi as ffi
print(json.dumps({
    "started": started,
    "restored": ctypes.util.find_library is standard,
    "subset": ffi.harfbuzz_subset is not None,
}))
"""
    )
    assert result["started"] == ["/sbin/ldconfig"]
    assert result["restored"] is True
    # HarfBuzz's subsetter is found as the standard search finds it (the PDF's fonts use it).
    assert result["subset"] is (ctypes.util.find_library("harfbuzz-subset") is not None)


def test_an_import_that_fails_with_the_quick_search_is_done_again_as_usual() -> None:
    # The first import of WeasyPrint's library module fails, as it would on a system
    # where a library is found only by gcc's search path; the second one succeeds.
    result = _run(
        _RECORD_PROGRAMS
        + """
import importlib.abc
class FailOnce(importlib.abc.MetaPathFinder):
    failed = []
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint.text.ffi" and not self.failed:
            self.failed.append(ctypes.util.find_library is standard)
            raise OSError("cannot load library 'pango-1.0'")
        return None
sys.meta_path.insert(0, FailOnce())
from reportgen import weasyprint_import
weasyprint_import.load()
import weasyprint
print(json.dumps({
    "failed_with_quick_search": FailOnce.failed == [False],
    "imported": hasattr(weasyprint, "HTML") and hasattr(weasyprint.text.ffi, "pango"),
    "restored": ctypes.util.find_library is standard,
}))
"""
    )
    assert result == {"failed_with_quick_search": True, "imported": True, "restored": True}
