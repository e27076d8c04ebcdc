"""Run adbutils' own end-to-end tests (its ``e2etests/``) against a simulated device.

    python tools/adbutils_e2e.py /path/to/adbutils-checkout [--no-apps] [--test-timeout S]
                                 [-- extra pytest args]

It fetches nothing: pass a checkout of https://github.com/openatx/adbutils. It starts one
simulated device (with the bundled apps, like a booted phone) behind a private adb
server, runs the checkout's ``e2etests/`` with the *installed* adbutils (the one this
project uses) and prints each test's outcome and the pass count.

The tests reach the device the way they would reach a phone on a developer's machine:
``ANDROID_ADB_SERVER_PORT`` points ``AdbClient()`` and the adb CLI at the private server.
One test module hard-codes ``AdbClient("127.0.0.1", 5037)``; since 5037 is the machine's
shared default server (other people's devices), this file, loaded into pytest as a
plugin, sends that one address to the private server instead.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

_PORT_VAR = "ADBUTILS_E2E_ADB_PORT"
_TIMEOUT_VAR = "ADBUTILS_E2E_TEST_TIMEOUT"


def _too_long(signum: int, frame: Any) -> None:
    raise TimeoutError(f"the test ran over {os.environ.get(_TIMEOUT_VAR)} s")


def pytest_runtest_setup(item: Any) -> None:
    """Plugin side: a test that hangs (a shell that never ends) fails instead of stopping
    the whole run; SIGALRM interrupts even a blocking socket read."""
    seconds = int(os.environ.get(_TIMEOUT_VAR) or 0)
    if seconds:
        signal.signal(signal.SIGALRM, _too_long)
        signal.alarm(seconds)


def pytest_runtest_teardown(item: Any) -> None:
    signal.alarm(0)


def pytest_configure(config: Any) -> None:
    """Plugin side (inside the pytest child): redirect the hard-coded default server."""
    port = os.environ.get(_PORT_VAR)
    if not port:
        return
    import adbutils  # noqa: TID251 -- this tool exercises adbutils itself

    original = adbutils.AdbClient.__init__

    def redirected(self: Any, host: str | None = None, port_: int | None = None,
                   *args: Any, **kwargs: Any) -> None:
        if "port" in kwargs:
            port_ = kwargs.pop("port")
        if port_ == 5037:
            port_ = int(port)
        original(self, host, port_, *args, **kwargs)

    adbutils.AdbClient.__init__ = redirected  # type: ignore[method-assign]


def _outcomes(junit: Path) -> list[tuple[str, str, str]]:
    """(test id, outcome, first line of the reason) from a junit xml file."""
    rows: list[tuple[str, str, str]] = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        outcome, reason = "passed", ""
        for tag in ("failure", "error", "skipped"):
            child = case.find(tag)
            if child is not None:
                outcome = {"failure": "failed"}.get(tag, tag)
                reason = (child.get("message") or "").splitlines()[0][:160] if (
                    child.get("message")) else ""
                break
        rows.append((name, outcome, reason))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path, help="a checkout of openatx/adbutils")
    parser.add_argument("--no-apps", action="store_true",
                        help="start the device without the bundled sim apps")
    parser.add_argument("--test-timeout", type=int, default=120, metavar="S",
                        help="fail a test that runs longer than S seconds (0: never)")
    argv = sys.argv[1:] if argv is None else argv
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    tests = args.checkout / "e2etests"
    if not (tests / "conftest.py").is_file():
        parser.error(f"{tests}/conftest.py not found: is {args.checkout} an adbutils checkout?")

    import adbutils  # noqa: TID251 -- this tool exercises adbutils itself

    from harness.sim import SimCluster

    with SimCluster(count=1, preinstall=not args.no_apps) as cluster, \
            tempfile.TemporaryDirectory(prefix="adbutils-e2e-") as work:
        junit = Path(work) / "junit.xml"
        env = dict(os.environ, ANDROID_ADB_SERVER_PORT=str(cluster.adb_port),
                   ANDROID_SERIAL=cluster.serials[0], **{_PORT_VAR: str(cluster.adb_port),
                                                          _TIMEOUT_VAR: str(args.test_timeout)})
        env["PYTHONPATH"] = os.pathsep.join(
            [str(Path(__file__).parent), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        # cwd is a scratch folder: test_record writes output.mp4 into it, and the checkout
        # must not be on sys.path (its adbutils sources would shadow the installed one).
        cmd = [sys.executable, "-m", "pytest", str(tests), "-p", "adbutils_e2e",
               "-p", "no:cacheprovider", "-p", "no:consent_harness", "-q", "-rA",
               f"--rootdir={tests}", f"--junitxml={junit}", *extra]
        print(f"adbutils {adbutils.__version__}, tests from {tests}, device "
              f"{cluster.serials[0]} on adb port {cluster.adb_port}", flush=True)
        subprocess.run(cmd, cwd=work, env=env, check=False)
        if not junit.is_file():
            print("pytest wrote no results", file=sys.stderr)
            return 2
        rows = _outcomes(junit)
    print()
    for name, outcome, reason in rows:
        print(f"{outcome:8} {name}" + (f"  -- {reason}" if reason else ""))
    passed = sum(1 for _, outcome, _ in rows if outcome == "passed")
    skipped = sum(1 for _, outcome, _ in rows if outcome == "skipped")
    print(f"\nadbutils e2etests on the simulator: {passed} passed, "
          f"{len(rows) - passed - skipped} failed/errors, {skipped} skipped, {len(rows)} total")
    return 0 if passed + skipped == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
