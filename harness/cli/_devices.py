"""Which devices a command runs on: named ones, or the built-in simulated device.

The CLI (and the pytest plugin) may start the simulator; the harness below them only
ever sees an adb server address and serials.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence

import click

from harness.device import AdbServer, Device, attach, connect, resolve_devices
from harness.errors import DeviceError, InputError, SimulatorError

#: Device profiles of the simulator (harness.sim.identity.PROFILES; spelled out here so
#: that building the CLI does not import the simulator).
SIM_PROFILES = ("aosp", "google")
#: The simulated device's profile when no --sim-profile is given (every command that may
#: start the simulator honours it, `trace` and the pytest plugin included).
SIM_PROFILE_ENV = "CONSENT_HARNESS_SIM_PROFILE"


def sim_profile(explicit: str | None) -> str:
    """--sim-profile, else $CONSENT_HARNESS_SIM_PROFILE, else ``aosp``."""
    if explicit is not None:
        value, source = explicit, "--sim-profile"
    else:
        value, source = os.environ.get(SIM_PROFILE_ENV, "").strip(), SIM_PROFILE_ENV
        if not value:
            return SIM_PROFILES[0]
    if value not in SIM_PROFILES:
        raise InputError(f"unknown simulator profile {value!r}; expected one of "
                         f"{', '.join(SIM_PROFILES)}", field=source)
    return value


def _release_frida_forwards(devices: Sequence[Device]) -> None:
    """The adb forwards to frida-server made for these devices (harness.instrument.fridadev)
    go with them — before a local adb server this run started is stopped. Only when
    something instrumented: a command that never did has not imported Frida."""
    fridadev = sys.modules.get("harness.instrument.fridadev")
    if fridadev is not None:
        for device in devices:
            fridadev.release_frida_forwards(device.serial)


@contextlib.contextmanager
def provide_devices(
    serials: Sequence[str],
    sim: int | None,
    adb: str | None,
    *,
    say: Callable[[str], None] = lambda msg: click.echo(msg, err=True),
    profile: str | None = None,
) -> Iterator[list[Device]]:
    """Devices for a run, by the one device rule (harness.device.select): ``serials``
    (``--device``), else ``ANDROID_SERIAL``, else ``sim`` simulated devices (default: one)
    with the bundled sim apps installed, of the device profile ``profile`` (see
    :func:`sim_profile`). A local adb server started for named devices is stopped again
    when the run ends."""
    if serials and sim:
        raise InputError("give --device or --sim, not both")
    if sim is not None and sim < 1:
        raise InputError(f"--sim must be at least 1, got {sim}")
    if sim is None:
        request = resolve_devices(serials, adb)
        if not request.simulator:
            if profile is not None:
                raise InputError("--sim-profile is for the simulated device, not for "
                                 "--device / ANDROID_SERIAL", field="--sim-profile")
            with attach(request) as devices:
                try:
                    yield devices
                finally:
                    _release_frida_forwards(devices)
            return
    elif adb:
        raise InputError("--adb is for --device; --sim starts its own adb server",
                         field="--adb")
    count = sim or 1
    chosen = sim_profile(profile)
    # The simulator is a separate building with its own errors; they become the harness's
    # here, at the one place the harness starts it.
    from harness.sim import SimCluster
    from harness.sim.errors import SimAdbError
    from harness.sim.errors import SimulatorError as SimError

    say(f"starting {count} simulated device{'s' if count > 1 else ''} ({chosen} profile) "
        "with the bundled sim apps (first start compiles the Java stubs: ~20 s)…")
    try:
        cluster = SimCluster(count=count, preinstall=True, profile=chosen)
        cluster.start()  # closes what it started when it fails
    except SimAdbError as exc:
        raise DeviceError(str(exc)) from exc
    except SimError as exc:
        raise SimulatorError(str(exc)) from exc
    try:
        server = AdbServer(host=cluster.adb_host, port=cluster.adb_port)
        devices = [connect(serial, server) for serial in cluster.serials]
        say("simulated device" + ("s" if count > 1 else "") + ": " + ", ".join(cluster.serials))
        yield devices
    finally:
        cluster.close()


device_options = [
    click.option("--device", "-d", "devices", multiple=True, metavar="SERIAL",
                 help="Run on this device (repeat for several). Default: ANDROID_SERIAL, "
                      "else the built-in simulated device."),
    click.option("--sim", "sim", type=int, default=None, metavar="N",
                 help="Start N simulated devices and spread the scenarios over them."),
    click.option("--sim-profile", "sim_profile", type=click.Choice(SIM_PROFILES), default=None,
                 help="Profile of the simulated device: aosp (an AOSP emulator image, the "
                      "default) or google (a Google Play image: user build, Google's "
                      f"permission controller, Android 12+ prompts). Default: ${SIM_PROFILE_ENV}, "
                      "else aosp."),
    click.option("--adb", "adb", default=None, metavar="HOST:PORT",
                 help="adb server to reach --device through (default: ADB_SERVER_SOCKET / "
                      "ANDROID_ADB_SERVER_PORT, else 127.0.0.1:5037)."),
]


def with_device_options(func: Callable[..., object]) -> Callable[..., object]:
    for option in reversed(device_options):
        func = option(func)
    return func
