"""Whose code is on a call's stack: the device's (framework) or the app's (app, SDK, libraries).

A call is **framework** when Android made it by itself — a text field asking the clipboard
whether it can paste, an overload the hooks did not catch at its entry — and no code the app
ships asked for it. The test is on the Java stack the agent captured (frames innermost
first, ``class.method(File.java:line)``):

* every frame is code of the device's own image or runtime (:data:`PLATFORM_PREFIXES`) —
  not ``androidx.*``, ``kotlin.*``, ``com.google.android.gms.*``: those ship inside the APK
  and run on its behalf;
* and the stack is known to be whole: its outermost frame is a thread's root
  (:data:`THREAD_ROOTS`). A stack cut at the agent's depth limit, an empty one (stacks off),
  or one from a thread native code attached (a JNI caller leaves no Java frame) is never
  framework — a verdict must not pass on what the harness could not see.

Frames of the app's own package never count as the platform's, even under ``com.android.``.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Class-name prefixes of code that ships with the device (ART/JDK and the Android framework).
PLATFORM_PREFIXES: tuple[str, ...] = (
    "android.",
    "com.android.",
    "dalvik.",
    "java.",
    "javax.",
    "jdk.",
    "libcore.",
    "sun.",
    "com.sun.",
    "org.apache.harmony.",
)

#: Outermost frames of a whole stack: a thread's entry point (main thread, Thread.run…).
THREAD_ROOTS: tuple[str, ...] = (
    "android.app.ActivityThread.main(",
    "com.android.internal.os.ZygoteInit.main(",
    "java.lang.Thread.run(",
    "java.lang.Daemons$Daemon.run(",
    "java.util.TimerThread.run(",
    "android.os.HandlerThread.run(",
    "java.util.concurrent.ForkJoinWorkerThread.run(",
)


def framework_only(stack: Sequence[str], app_package: str | None = None) -> bool:
    """Whether ``stack`` (innermost first) is whole and holds only the platform's frames."""
    if not stack or not stack[-1].startswith(THREAD_ROOTS):
        return False
    own = f"{app_package}." if app_package else None
    for frame in stack:
        if not frame.startswith(PLATFORM_PREFIXES):
            return False
        if own is not None and frame.startswith(own):
            return False
    return True


__all__ = ["PLATFORM_PREFIXES", "THREAD_ROOTS", "framework_only"]
