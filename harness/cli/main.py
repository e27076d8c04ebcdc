"""The ``consent-harness`` command: a lazy click group, one module per sub-command."""

from __future__ import annotations

import importlib
import signal
import sys

import click

from harness import __version__
from harness.errors import HarnessError

#: name -> "module:attribute" of a click command. Imported only when used, so that
#: ``consent-harness score`` works on a machine where frida cannot load.
COMMANDS: dict[str, str] = {
    "catalog": "harness.cli.catalog_cmd:catalog",
    "schema": "harness.cli.schema_cmd:schema",
    "score": "harness.cli.score_cmd:score",
    "run": "harness.cli.run_cmd:run",
    "check": "harness.cli.check_cmd:check",
    "sim": "harness.cli.sim_cmd:sim",
    "validate": "harness.cli.validate_cmd:validate",
    "verify": "harness.cli.verify_cmd:verify",
    "keygen": "harness.cli.keygen_cmd:keygen",
    "trace": "harness.cli.trace_cmd:trace",
    "doctor": "harness.cli.doctor_cmd:doctor",
    "rules": "harness.cli.rules_cmd:rules",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="consent-harness")
def cli() -> None:
    """Check whether an Android app and its SDKs touch personal information before
    the user agrees to its privacy policy, after a refusal, or beyond its service.

    With no device given, commands use the built-in simulated device.
    """


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM (CI timeouts, ``timeout``, ``kill``) unwinds like Ctrl-C, so that the
    # simulated devices, app processes and adb servers we started are torn down and
    # the trace so far is closed with an end record.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: HarnessError becomes a one-line message + exit status."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        # Without standalone mode click hands back what the command returned, or the
        # code of ctx.exit(n): pass it on as the exit status (e.g. score's 1 on a fail).
        status = cli.main(args=argv, prog_name="consent-harness", standalone_mode=False)
    except HarnessError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    sys.exit(status if isinstance(status, int) and not isinstance(status, bool) else 0)


if __name__ == "__main__":
    main()
