"""Redaction of identifier values in traces (DESIGN §4.3).

A redacted value reads ``h:<8 hex>..<last 4 chars>``, e.g. ``h:3f9a1c2e..1234``:

* the 8 hex digits are the start of HMAC-SHA256(salt, value): the same value under the
  same salt always gives the same text, so a reviewer can see that two SDKs read the
  same IMEI, or that a value changed, without seeing it;
* ``..`` and the last 4 characters are kept so a developer can recognise *which*
  identifier it is (the tail of an IMEI, of a MAC address…). Values shorter than 8
  characters keep no tail (4 of 7 characters would reveal too much): ``h:3f9a1c2e``.

The salt is secret: without it nobody can test guesses against the hash. It comes from
the caller, else from a per-user salt file (:func:`default_salt_file`), created with mode
0600 on first use. The header of a redacted trace records a ``salt_id`` (a short hash of
the salt that does not reveal it): two traces with the same ``salt_id`` hash the same
value to the same text and can be compared.

Which values are replaced, in calls whose category is personal information
(:data:`harness.model.enums.PERSONAL_INFORMATION`):

* ``ret`` — always, when present (it *is* the collected data);
* each argument that looks like an identifier (:func:`looks_like_identifier`): long
  digit runs (IMEI, IMSI, ICCID, phone numbers), long hex strings and UUIDs (ANDROID_ID,
  advertising IDs, OAID), MAC addresses, serial-number-like tokens, e-mail addresses and
  "lat,lon" coordinates. Other arguments (slot indexes, provider names, content URIs)
  stay readable: a reviewer needs them to understand the call.

Calls of other categories (permission requests, package installs) keep their arguments —
permission and package names that the rules read — except for remembered values (below).

**Redaction follows the values** (:class:`~harness.tracefile.follow.ValueTracker`): every
identifier value a hook returned (and every identifier-looking argument of a
personal-information call, and the device serial of the header) is remembered for the
trace, and from then on replaced
*wherever it appears as a substring* — in the arguments and return summaries of every
call, in markers' details (UI texts) and in issues (agent log lines) — also in its
common encodings: without separators (``020000445566`` for ``02:00:00:44:55:66``), in
upper or lower case, as hex of its bytes, base64, and as MD5 / SHA-1 / SHA-256 hex (what
SDKs send instead of the raw value), the encoding named after the redacted text
(``h:3f9a1c2e..0123(md5)``). Identifier-shaped tokens embedded in longer texts
(``imei=861234567890123``, JSON, URLs) are replaced in personal-information calls and
UI texts even before the value was learned
(:func:`harness.tracefile.shapes.embedded_tokens`).

All forms are matched by one combined regular expression, rebuilt only when a new value
is learned; texts already seen are memoised (apps repeat the same few strings), so the
writer's hot path stays a dictionary lookup per string.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec

from harness.errors import InputError
from harness.model.enums import PERSONAL_INFORMATION
from harness.model.trace import CallEvent, Marker, TraceHeader, TraceIssue
from harness.tracefile.follow import ValueTracker
from harness.tracefile.shapes import _REDACTED, looks_like_identifier

__all__ = [
    "SALT_FILE_ENV",
    "Redactor",
    "ValueTracker",
    "default_salt_file",
    "load_salt",
    "looks_like_identifier",
    "salt_id",
]

#: Environment variable that overrides where the per-user salt lives.
SALT_FILE_ENV = "CONSENT_HARNESS_SALT_FILE"

_MEMO_MAX = 16384
#: adb serials that name a connection (``127.0.0.1:5555``, ``emulator-5554``), not a device.
_CONNECTION_SERIAL = re.compile(r"(?:[0-9A-Za-z.-]+|\[[0-9A-Fa-f:]+\]):\d{1,5}|emulator-\d+")
_MISSING = object()


def salt_id(salt: bytes) -> str:
    """A short public name of a salt: equal ids ⇔ comparable redacted values."""
    return hashlib.sha256(b"consent-harness/salt-id\0" + salt).hexdigest()[:12]


def default_salt_file() -> Path:
    """``$CONSENT_HARNESS_SALT_FILE``, else ``~/.config/consent-harness/salt``
    (``$XDG_CONFIG_HOME`` is honoured)."""
    override = os.environ.get(SALT_FILE_ENV)
    if override:
        return Path(override).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "consent-harness" / "salt"


def load_salt(path: Path | None = None) -> bytes:
    """Read the per-user salt, creating it (mode 0600, 32 random bytes) on first use.

    Creation is atomic (write a private temporary file, then hard-link it into place):
    parallel workers starting at once all end up with the same salt, and nobody ever
    reads a half-written file.
    """
    path = path or default_salt_file()
    if not path.exists():
        _create_salt_file(path)
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the redaction salt: {exc}", path=str(path)) from exc
    if not text:
        raise InputError(
            "the redaction salt file is empty; delete it to have a new one made",
            path=str(path),
        )
    return text.encode("ascii")


def _create_salt_file(path: Path) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process won the race: use its salt
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the redaction salt file: {exc} "
            f"(set {SALT_FILE_ENV} to a writable path, or pass a salt)",
            path=str(path),
        ) from exc


class Redactor:
    """Replaces identifier values with stable salted hashes (format in the module doc)."""

    def __init__(self, salt: bytes) -> None:
        if not salt:
            raise ValueError("an empty salt would make redacted values guessable")
        self._salt = salt
        self.salt_id = salt_id(salt)
        # An app reads the same few identifiers over and over (a burst of 100k calls is
        # one ANDROID_ID): hash each once. Bounded, so hostile variety cannot grow it.
        self._memo: dict[str, str] = {}
        #: Values learned in this trace (one Redactor per trace: one per writer).
        self.tracker = ValueTracker()
        self._calls: dict[tuple[Any, ...], Any] = {}
        self._calls_generation = 0

    def value(self, text: str) -> str:
        """The redacted form of ``text``; already-redacted text is returned unchanged."""
        done = self._memo.get(text)
        if done is not None:
            return done
        if _REDACTED.fullmatch(text):
            return text
        digest = hmac.new(self._salt, text.encode("utf-8"), hashlib.sha256).hexdigest()[:8]
        out = f"h:{digest}..{text[-4:]}" if len(text) >= 8 else f"h:{digest}"
        if len(self._memo) >= _MEMO_MAX:
            self._memo.clear()
        self._memo[text] = out
        return out

    def call(self, event: CallEvent) -> CallEvent:
        """``event`` with its values redacted: identifier values of personal-information
        calls hashed (and remembered), remembered values hidden everywhere else."""
        # The hot path: an app makes the same call with the same values again and
        # again, so the answer is memoised per (category, values) until a new value is
        # learned (which changes what must be hidden).
        tracker = self.tracker
        personal = event.category in PERSONAL_INFORMATION
        key = (personal, event.thread, event.ret, *event.args)
        if self._calls_generation != tracker.generation:
            self._calls.clear()
            self._calls_generation = tracker.generation
        done = self._calls.get(key, _MISSING)
        if done is _MISSING:
            done = self._call_values(event, personal)
            if self._calls_generation != tracker.generation:
                # This call taught a new value: earlier answers may now show it.
                self._calls.clear()
                self._calls_generation = tracker.generation
            if len(self._calls) >= _MEMO_MAX:
                self._calls.clear()
            self._calls[key] = done
        if done is None:
            return event
        args, ret, thread = done
        return msgspec.structs.replace(event, args=args, ret=ret, thread=thread)

    def _call_values(
        self, event: CallEvent, personal: bool
    ) -> tuple[list[str], str | None, str] | None:
        tracker = self.tracker
        if personal:
            for arg in event.args:
                if looks_like_identifier(arg):
                    tracker.learn(arg)
            if event.ret is not None:
                tracker.learn_from(event.ret)
            args = [
                self.value(a) if looks_like_identifier(a) else self.text(a, embedded=True)
                for a in event.args
            ]
            ret = None if event.ret is None else self.value(event.ret)
        else:
            args = [self.text(a) for a in event.args]
            ret = None if event.ret is None else self.text(event.ret)
        thread = self.text(event.thread)
        if args == event.args and ret == event.ret and thread == event.thread:
            return None
        return args, ret, thread

    def header(self, header: TraceHeader) -> TraceHeader:
        """The header with the device serial redacted (and remembered: on a phone the adb
        serial is the hardware serial ``Build.getSerial()`` returns). ``host:port`` and
        ``emulator-N`` serials name a connection, not a device, and stay readable."""
        serial = header.device.get("serial")
        if not serial or _CONNECTION_SERIAL.fullmatch(serial):
            return header
        self.tracker.learn(serial)
        device = {**header.device, "serial": self.value(serial)}
        return header.model_copy(update={"device": device})

    def marker(self, marker: Marker) -> Marker:
        """A marker with remembered values and embedded identifiers hidden in its
        detail (UI texts an app put on screen, view ids…)."""
        if not marker.detail:
            return marker
        detail = self._nested(marker.detail, embedded=True)
        return marker if detail is marker.detail else marker.model_copy(update={"detail": detail})

    def issue(self, issue: TraceIssue) -> TraceIssue:
        """An issue (an agent log line, an error text) with remembered values hidden."""
        message = self.text(issue.message)
        detail = self._nested(issue.detail, embedded=False) if issue.detail else issue.detail
        if message == issue.message and detail is issue.detail:
            return issue
        return issue.model_copy(update={"message": message, "detail": detail})

    def text(self, text: str, *, embedded: bool = False) -> str:
        """``text`` with every remembered value (in any of its forms) replaced, and with
        ``embedded``: identifier-shaped tokens too."""
        return self.tracker.scrub(text, self.value, embedded=embedded)

    def _nested(self, value: Any, *, embedded: bool) -> Any:
        """A copy of a JSON-like value with its strings scrubbed; ``value`` itself when
        nothing changed. Iterative over an explicit stack (details come from the app)."""
        if isinstance(value, str):
            return self.text(value, embedded=embedded)
        if not isinstance(value, (dict, list, tuple)):
            return value
        changed = False

        def scrub(item: Any) -> Any:
            nonlocal changed
            if isinstance(item, str):
                out = self.text(item, embedded=embedded)
                if out != item:
                    changed = True
                return out
            return item

        root: Any = dict(value) if isinstance(value, dict) else list(value)
        todo: list[Any] = [root]
        while todo:
            node = todo.pop()
            keys: Iterable[Any] = list(node) if isinstance(node, dict) else range(len(node))
            for key in keys:
                item = node[key]
                if isinstance(item, dict):
                    item = dict(item)
                    todo.append(item)
                elif isinstance(item, (list, tuple)):
                    item = list(item)
                    todo.append(item)
                else:
                    item = scrub(item)
                node[key] = item
        return root if changed else value
