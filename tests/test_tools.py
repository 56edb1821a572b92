"""The tests' own tools: a missing one skips a test locally and fails it on CI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import require_tool

ABSENT = "reportgen-no-such-tool"


def outcome(name: str, path: Path | None = None) -> tuple[type[BaseException], str]:
    """What ``require_tool`` raised (a skip or a failure), caught here so neither ends us."""
    with pytest.raises(BaseException, match="is not installed") as caught:
        require_tool(name, path)
    return caught.type, str(caught.value)


@pytest.mark.parametrize("ci", ["true", "1", "yes"])
def test_a_missing_tool_fails_on_ci(monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    monkeypatch.setenv("CI", ci)
    kind, message = outcome(ABSENT)
    assert kind is pytest.fail.Exception
    assert message.startswith(f"{ABSENT} on the PATH is not installed")
    kind, message = outcome("chromium", Path("/nonexistent/chromium"))
    assert kind is pytest.fail.Exception
    assert message.startswith("/nonexistent/chromium is not installed")


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_a_missing_tool_skips_elsewhere(monkeypatch: pytest.MonkeyPatch, ci: str | None) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    kind, message = outcome(ABSENT)
    assert kind is pytest.skip.Exception
    assert message.startswith(f"{ABSENT} on the PATH is not installed")


def test_a_present_tool_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    python = Path(sys.executable)
    assert require_tool("python", python) == python
    assert require_tool("sh").name == "sh"
