"""A tiny JVM program with Android-shaped stub classes, for testing the agent directly.

``ProbeApp`` (tests/hooks/java) runs the commands given on its command line (``first``,
``suite``, ``ui``, ``burst N T``, ``bench WHAT N``, ``exit``, ``hold``…) and prints
``DONE <command>`` after each. :class:`ProbeDevice` drives it through the same small
device interface the instrumentation host uses (``start -D`` / ``pidof`` /
``force_stop``), reporting ``ro.harness.frida=local`` like the simulated device.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e_support import require

HERE = Path(__file__).parent
JAVA_SRC = HERE / "java"
CATALOG = HERE / "probe_catalog.json"
MAIN = "com.example.probe.ProbeApp"
PACKAGE = "com.example.probe"


def require_tools() -> None:
    """Skip without a JDK or Frida — but on CI (CI=true) fail instead."""
    missing = [tool for tool in ("java", "javac") if shutil.which(tool) is None]
    try:
        import frida  # noqa: F401
    except ImportError:
        missing.append("frida (pip install frida)")
    if missing:
        require(", ".join(missing), "the agent tests run a JVM under Frida")


def compiled_classes() -> Path:
    """Compile the probe once per source content; returns the class directory."""
    sources = sorted(JAVA_SRC.rglob("*.java"))
    digest = hashlib.sha256()
    for src in sources:
        digest.update(str(src.relative_to(JAVA_SRC)).encode())
        digest.update(src.read_bytes())
    out = Path(tempfile.gettempdir()) / f"consent-harness-probe-{digest.hexdigest()[:16]}"
    if not (out / "com/example/probe/ProbeApp.class").exists():
        tmp = Path(tempfile.mkdtemp(prefix="probe-build-"))
        subprocess.run(["javac", "-d", str(tmp), *map(str, sources)], check=True)
        try:
            tmp.rename(out)
        except OSError:  # another test process won the race
            shutil.rmtree(tmp, ignore_errors=True)
    return out


LATE_SRC = HERE / "java_late"
LATE_CATALOG = HERE / "probe_late_catalog.json"


def late_classes() -> dict[str, Path]:
    """The classes of the probe's late loaders (``java_late/<name>``), compiled against the
    probe, one class folder per loader, NOT on the probe's class path: {name: folder}."""
    base = compiled_classes()
    sources = sorted(LATE_SRC.rglob("*.java"))
    digest = hashlib.sha256(str(base).encode())
    for src in sources:
        digest.update(str(src.relative_to(LATE_SRC)).encode())
        digest.update(src.read_bytes())
    out = Path(tempfile.gettempdir()) / f"consent-harness-probe-late-{digest.hexdigest()[:16]}"
    names = sorted(p.name for p in LATE_SRC.iterdir() if p.is_dir())
    if not (out / "done").exists():
        tmp = Path(tempfile.mkdtemp(prefix="probe-late-build-"))
        # app first: the plug-in is compiled against it (its loader is the app's child)
        for name in sorted(names, key=lambda n: n != "app"):
            files = [str(p) for p in (LATE_SRC / name).rglob("*.java")]
            cp = os.pathsep.join([str(base), str(tmp / "app")])
            subprocess.run(["javac", "-cp", cp, "-d", str(tmp / name), *files], check=True)
        (tmp / "done").write_text("")
        try:
            tmp.rename(out)
        except OSError:  # another test process won the race
            shutil.rmtree(tmp, ignore_errors=True)
    return {name: out / name for name in names}


def late_entries() -> list[dict[str, Any]]:
    """Catalog entries on the classes of the late loaders (and one no loader has)."""
    return list(json.loads(LATE_CATALOG.read_text())["entries"])


def probe_catalog() -> Any:
    from harness.catalog.loader import parse_catalog

    return parse_catalog(CATALOG.read_bytes(), str(CATALOG))


def probe_entries() -> list[dict[str, Any]]:
    return list(json.loads(CATALOG.read_text())["entries"])


class ProbeProcess:
    """One running ProbeApp; follows its stdout on a thread."""

    def __init__(self, commands: list[str], *, wait: bool = True) -> None:
        argv = ["java", "-Xshare:auto", "-cp", str(compiled_classes()), MAIN]
        argv += (["wait"] if wait else []) + commands
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self.lines.append("<eof>")
            self._cond.notify_all()

    def wait_line(self, prefix: str, timeout: float = 60.0) -> str:
        with self._cond:
            found: list[str] = []

            def seen() -> bool:
                found[:] = [line for line in self.lines if line.startswith(prefix)]
                return bool(found) or "<eof>" in self.lines

            self._cond.wait_for(seen, timeout)
            if not found:
                raise AssertionError(f"probe never printed {prefix!r}; output: {self.lines[-20:]}")
            return found[0]

    def send_line(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)

    def __enter__(self) -> ProbeProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()


@dataclass
class ProbeProps:
    serial: str = "probe-local"
    frida: str | None = "local"
    sdk_int: int | None = 33
    model: str = "probe"
    raw: dict[str, str] = field(default_factory=dict)


class ProbeDevice:
    """The device interface of harness.instrument over local ProbeApp processes."""

    def __init__(self, commands: list[str]) -> None:
        self.commands = commands
        self.process: ProbeProcess | None = None
        self.serial = "probe-local"
        self.stopped = 0

    def props(self) -> ProbeProps:
        return ProbeProps()

    def start(
        self, package: str, activity: str | None = None, *, wait_debugger: bool = False
    ) -> None:
        assert package == PACKAGE
        self.process = ProbeProcess(self.commands, wait=wait_debugger)

    def pidof(self, package: str) -> int | None:
        if self.process is None or self.process.proc.poll() is not None:
            return None
        return self.process.pid

    def force_stop(self, package: str) -> None:
        if self.process is not None:
            self.stopped += 1
            self.process.kill()

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
