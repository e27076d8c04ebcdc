"""One error tree for everything a user can cause or meet.

Library errors (adbutils, frida, pydantic, YAML) are translated at the boundary with
``raise … from exc`` so that callers only ever catch :class:`HarnessError`.
"""

from __future__ import annotations


class HarnessError(Exception):
    """Root of every error consent-harness raises on purpose."""

    exit_code = 3


class InputError(HarnessError):
    """Bad input from the user: a file, an option, a trace. Exit status 2."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.detail = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        if field:
            where += f"{field}: "
        super().__init__(where + message)


class CatalogError(InputError):
    """The sensitive-API catalog is malformed."""


class TraceError(InputError):
    """A trace file is missing, malformed, or from a newer consent-harness."""


class ScenarioError(InputError):
    """A scenario file is malformed (names the file, the line and the field)."""


class DeviceError(HarnessError):
    """The device is unreachable, vanished, or refused a command."""


class InstrumentationError(HarnessError):
    """Frida could not attach, load the agent, or the agent misbehaved."""


class ProtocolMismatch(InstrumentationError):
    """The agent speaks another protocol version than this host."""


class SimulatorError(HarnessError):
    """The simulated device could not start or do what was asked."""
