"""Package and process features: props, pidof, start/stop, data."""

from __future__ import annotations

import time

from harness.device.core import DeviceCore
from harness.device.errors import DebugWaitRefused
from harness.device.names import check_activity, check_package
from harness.device.parse import (
    DeviceProps,
    PackageInfo,
    device_props,
    parse_app_debuggable,
    parse_getprop,
    parse_package_dump,
    parse_pids,
    parse_resolved_activity,
)
from harness.errors import DeviceError


class AppsMixin(DeviceCore):
    """Typed features about the device and its packages."""

    def props(self) -> DeviceProps:
        result = self.shell_ok(["getprop"])
        props = parse_getprop(result.stdout)
        if not props:
            raise DeviceError(f"{self.serial}: getprop printed no properties")
        return device_props(self.serial, props)

    def pidof(self, package: str) -> int | None:
        """The app's main process id, or None when it is not running."""
        result = self.shell(["pidof", check_package(package)])
        if result.exit_code not in (0, 1):
            raise DeviceError(f"{self.serial}: pidof exited {result.exit_code}: {result.output}")
        pids = parse_pids(result.stdout)
        return pids[0] if pids else None

    def wait_pid(self, package: str, timeout: float = 10.0) -> int:
        """Poll :meth:`pidof` until the app runs."""
        deadline = time.monotonic() + timeout
        while True:
            pid = self.pidof(package)
            if pid is not None:
                return pid
            if time.monotonic() > deadline:
                raise DeviceError(f"{self.serial}: {package} did not start within {timeout:g}s")
            time.sleep(0.1)

    def launcher_activity(self, package: str) -> str:
        """The package's launcher activity (``com.example.news.MainActivity``)."""
        result = self.shell(
            [
                "cmd",
                "package",
                "resolve-activity",
                "--brief",
                "-a",
                "android.intent.action.MAIN",
                "-c",
                "android.intent.category.LAUNCHER",
                check_package(package),
            ]
        )
        activity = parse_resolved_activity(result.stdout, package)
        if not result.ok or activity is None:
            raise DeviceError(
                f"{self.serial}: {package} has no launcher activity (is it installed?)"
            )
        return check_activity(activity)

    def start(
        self, package: str, activity: str | None = None, *, wait_debugger: bool = False
    ) -> None:
        """``am start [-D] -n package/activity`` (the launcher activity by default).

        With ``wait_debugger`` the app stops before its first instruction until a
        debugger (the instrumentation) releases it; :class:`DebugWaitRefused` when the
        device would not pause it (a non-debuggable app on a user build)."""
        check_package(package)
        activity = check_activity(activity) if activity else self.launcher_activity(package)
        if wait_debugger:
            self.check_debug_wait(package)
        argv = ["am", "start"] + (["-D"] if wait_debugger else []) + ["-n", f"{package}/{activity}"]
        result = self.shell(argv)
        text = result.output
        if not result.ok or "Error" in text or "Exception" in text:
            raise DeviceError(
                f"{self.serial}: cannot start {package}/{activity}: {text.strip()[-300:]}"
            )

    def can_wait_debugger(self, package: str) -> bool:
        """Would ``am start -D`` pause ``package``? Android honours it when the build is
        debuggable (``ro.debuggable=1``: userdebug/eng, AOSP and Google APIs emulator
        images) or the app is (android:debuggable); otherwise it starts the app at once
        (ActivityTaskSupervisor: "Ignore debugging for non-debuggable app")."""
        if self.shell(["getprop", "ro.debuggable"]).stdout.strip() == "1":
            return True
        dump = self._package_dump(check_package(package))
        return parse_app_debuggable(dump, package) is not False

    def check_debug_wait(self, package: str) -> None:
        """Raise :class:`DebugWaitRefused` (naming cause and fix) unless
        :meth:`can_wait_debugger`."""
        if self.can_wait_debugger(package):
            return
        raise DebugWaitRefused(
            f"{self.serial}: cannot start {package} paused for instrumentation "
            "(`am start -D`): the app is not debuggable and the device is a user build "
            "(ro.debuggable=0), so Android would ignore the wait and run the app before any "
            "hook is in. Fix: on a phone, the spawn strategy with frida-server running as "
            "root (a userdebug, AOSP or Google APIs image; Play images have no root); on "
            "the simulator, --sim-profile aosp or a debuggable build of the app.",
            package,
        )

    def force_stop(self, package: str) -> None:
        self.shell_ok(["am", "force-stop", check_package(package)])

    def clear_data(self, package: str) -> None:
        result = self.shell(["pm", "clear", check_package(package)])
        if not result.ok or "Success" not in result.stdout:
            raise DeviceError(f"{self.serial}: pm clear {package} failed: {result.output.strip()}")

    def package_info(self, package: str) -> PackageInfo | None:
        return parse_package_dump(self._package_dump(package), package)

    def packages(self) -> list[str]:
        result = self.shell_ok(["pm", "list", "packages"])
        return [
            line.strip().removeprefix("package:")
            for line in result.stdout.splitlines()
            if line.strip().startswith("package:")
        ]

    def _package_dump(self, package: str) -> str:
        return self.shell_ok(["dumpsys", "package", check_package(package)]).stdout
