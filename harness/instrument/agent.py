"""The agent's source: harness/hooks/agent.js with frida-tools' prebuilt Java bridge."""

from __future__ import annotations

import functools
from importlib import resources

from harness.errors import InstrumentationError


@functools.lru_cache(maxsize=1)
def agent_source() -> str:
    """prologue.js + bridge + ``const Java = bridge;`` + agent.js, for ``create_script``."""
    try:
        bridge = (resources.files("frida_tools") / "bridges" / "java.js").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise InstrumentationError(
            "frida-tools' Java bridge is missing (frida_tools/bridges/java.js); "
            "install it with: pip install 'frida-tools>=14.13'"
        ) from exc
    hooks = resources.files("harness.hooks")
    prologue = (hooks / "prologue.js").read_text("utf-8")
    agent = (hooks / "agent.js").read_text("utf-8")
    return prologue + "\n" + bridge + "\nconst Java = bridge;\n" + agent
