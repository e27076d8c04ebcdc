"""Fuzzed scenario files: whatever the bytes, loading ends in scenarios or in a
ScenarioError naming the file and the line — never a traceback, never exit 1."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from harness.cli.main import main
from harness.errors import ScenarioError
from harness.scenario import STEP_TYPES, load_scenarios

GOOD = """\
name: News app — agree
app: com.example.news
tags: [agree, smoke]
scope: [location]
launch: {clear_data: true, permissions: revoke_all}
matchers: {agree: "^(同意|Agree)$"}
timeout: {consent: 15, ui: 10}
steps:
  - wait_for_consent: {timeout: 15}
  - observe: 3
  - agree
  - tap: {text: "设置"}
  - key: BACK
  - withdraw: [{tap: {text: "撤回同意"}}]
expect: {"7.2": pass, "7.2/pre-consent-collection": pass}
"""

#: Pieces that make YAML interesting: structure, tags, anchors, odd scalars.
_TOKENS = st.sampled_from(
    [
        "[",
        "]",
        "{",
        "}",
        ":",
        ": ",
        "- ",
        "\n",
        "\n  ",
        "  ",
        "'",
        '"',
        "&a ",
        "*a",
        "!!str ",
        "!x ",
        "? ",
        "---\n",
        "...\n",
        "#",
        ",",
        "|",
        ">",
        "%YAML 1.2\n",
        "\t",
        "\x00",
        "\x07",
        "\ufeff",
        "\u2028",
        "1e999",
        ".nan",
        "-.inf",
        "0x1F",
        "2024-13-45",
        "~",
        "null",
        "yes",
        "no",
        "<<: *a",
        "9" * 30,
        "é",
        "同意",
        "\\",
        "\r",
        "@",
        "`",
        "%",
    ]
)
_WORDS = st.sampled_from(
    [
        *STEP_TYPES,
        "name",
        "app",
        "apk",
        "steps",
        "expect",
        "timeout",
        "launch",
        "scope",
        "tags",
        "matchers",
        "7.2",
        "7.4/bundled-install",
        "com.example.news",
        "fail",
        "pass",
        "BACK",
        "text",
        "point",
    ]
)


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    text = GOOD
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 8))
        piece = "".join(draw(st.lists(st.one_of(_TOKENS, _WORDS), min_size=0, max_size=4)))
        text = text[:pos] + piece + text[pos + cut :]
    return text


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    _WORDS,
    st.text(max_size=12),
)
_TREE = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_WORDS, inner, max_size=4),
    max_leaves=8,
)


def _dump(data: object, block: bool) -> str:
    """YAML text of ``data``: block style (ruamel, slower) or flow style (JSON is YAML)."""
    if not block:
        return json.dumps(data, ensure_ascii=False, indent=1)
    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, out)
    return out.getvalue()


def _check(tmp_path: Path, text: str | bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_scenarios(path)
    except ScenarioError as err:
        assert err.exit_code == 2 and err.path == str(path), str(err)
        assert err.line is not None or err.detail == "no scenario in this file", str(err)


_FAST = settings(max_examples=700, deadline=None, suppress_health_check=list(HealthCheck))


@_FAST
@given(text=_mutated())
def test_mutated_scenarios_fail_with_file_and_line(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    _check(_DIR.setdefault("d", tmp_path_factory.mktemp("fz")), text)


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.dictionaries(_WORDS, _TREE, max_size=8), block=st.integers(0, 9))
def test_random_documents_fail_with_file_and_line(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, object], block: int
) -> None:
    _check(_DIR.setdefault("d", tmp_path_factory.mktemp("fz")), _dump(data, block == 0))


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=st.binary(max_size=300))
def test_random_bytes_fail_with_file_and_line(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    _check(_DIR.setdefault("d", tmp_path_factory.mktemp("fz")), raw)


_DIR: dict[str, Path] = {}


@pytest.mark.parametrize(
    "text",
    [
        "steps: " + "[" * 400 + "]" * 400,
        "a: &a [*a]\n",
        "name: x\napp: com.a.b\nsteps: [" + "{observe: 1}, " * 30000 + "]\n",
        "name: x\napp: com.a.b\nsteps:\n  - observe: 1e999\n  - observe: .nan\n",
        "? [a, b]\n: c\n",
        "name: !!binary aGVsbG8=\n",
        "name: 2024-13-45\napp: com.a.b\nsteps: [agree]\n",
    ],
)
def test_the_cli_exits_2_without_a_traceback(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    for command in (["validate", str(path)], ["run", str(path)]):
        with pytest.raises(SystemExit) as info:
            main(command)
        captured = capsys.readouterr()
        assert info.value.code == 2, captured
        assert "Traceback" not in captured.out + captured.err
        assert f"{path}:" in captured.out + captured.err
