"""``consent-harness sim serve``: run simulated devices until Ctrl-C."""

from __future__ import annotations

import asyncio

import click

from harness.errors import SimulatorError
from harness.sim.errors import SimulatorError as SimError
from harness.sim.identity import DEFAULT_PROFILE, PROFILES
from harness.sim.procs import DEFAULT_LAUNCHER
from harness.sim.server import ServeOptions, SimServer, serve


@click.group()
def sim() -> None:
    """The built-in simulated Android device."""


@sim.command("serve")
@click.option("--port", type=int, default=7100, show_default=True,
              help="Port of the first device; the others follow on consecutive ports.")
@click.option("--count", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Number of devices.")
@click.option("--no-apps", is_flag=True, help="Do not preinstall the bundled sim apps.")
@click.option("--control-port", type=int, default=0,
              help="Port of the fault-control channel (default: any free port).")
@click.option("--profile", type=click.Choice(PROFILES), default=DEFAULT_PROFILE,
              show_default=True,
              help="aosp: an AOSP emulator image (userdebug). google: a Google Play image "
                   "(user build, ro.debuggable=0, Google's permission controller with "
                   "Android 12+ prompts).")
@click.option("--launcher", default=DEFAULT_LAUNCHER, hidden=True,
              help="module:function that builds an app's command line (for tests).")
def serve_cmd(port: int, count: int, no_apps: bool, control_port: int, profile: str,
              launcher: str) -> None:
    """Start simulated devices on 127.0.0.1 and serve until Ctrl-C."""
    options = ServeOptions(port=port, count=count, preinstall=not no_apps,
                           control_port=control_port, launcher=launcher, profile=profile)

    def ready(server: SimServer) -> None:
        assert server.control is not None
        for device in server.devices:
            click.echo(device.serial)
        click.echo(f"profile: {profile}", err=True)
        click.echo("connect with:")
        for device in server.devices:
            click.echo(f"  adb connect {device.serial}")
        click.echo(f"fault control: 127.0.0.1:{server.control.port}")
        click.echo("Ctrl-C stops the devices.", err=True)

    try:
        asyncio.run(serve(options, ready))
    except KeyboardInterrupt:
        pass
    except SimError as exc:
        raise SimulatorError(str(exc)) from exc
    click.echo("simulated devices stopped", err=True)
