"""The shell parser: the compound lines adb and adbutils send."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.sim.shell.parse import ShellSyntaxError, parse


def _argv(line: str) -> list[list[str]]:
    return [[w.expand({"?": "0"}) for w in c.words]
            for step in parse(line) for c in step.pipeline.commands]


def test_joiners_and_pipes() -> None:
    steps = parse("a; b && c || d | e")
    assert [s.joiner for s in steps] == [";", ";", "&&", "||"]
    assert len(steps[3].pipeline.commands) == 2


def test_redirections() -> None:
    cmd = parse("x 2>&1 </dev/null >>/sdcard/o >&2")[0].pipeline.commands[0]
    assert [(r.fd, r.op, r.dup) for r in cmd.redirects] == [
        (2, ">&", 1), (0, "<", None), (1, ">>", None), (1, ">&", 2)]


def test_quotes_and_variables() -> None:
    assert _argv("""echo 'a b' "c $? d" e\\ f""") == [["echo", "a b", "c 0 d", "e f"]]
    assert _argv("echo '$?'") == [["echo", "$?"]]


@pytest.mark.parametrize("line", ["a &&", "| a", "a ||| b", "echo 'x", 'echo "x', "a >"])
def test_syntax_errors(line: str) -> None:
    with pytest.raises(ShellSyntaxError):
        parse(line)


@given(st.lists(st.text(min_size=0, max_size=20), min_size=1, max_size=6))
def test_shlex_quote_round_trip(words: list[str]) -> None:
    # adbutils joins argument lists with shlex.quote; we must get the same words back.
    words = [w.replace("\0", "") for w in words]
    line = " ".join(shlex.quote(w) for w in words)
    assert _argv("cmd " + line) == [["cmd", *words]]
