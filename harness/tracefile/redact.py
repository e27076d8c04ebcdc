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

Calls of other categories (permission requests, package installs) are not changed: their
arguments are permission and package names that the rules read.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from harness.errors import InputError
from harness.model.enums import PERSONAL_INFORMATION
from harness.model.trace import CallEvent

#: Environment variable that overrides where the per-user salt lives.
SALT_FILE_ENV = "CONSENT_HARNESS_SALT_FILE"

_REDACTED = re.compile(r"h:[0-9a-f]{8}(?:\.\..{1,4})?", re.DOTALL)
_IDENTIFIER_PATTERNS = [
    re.compile(p)
    for p in (
        r"\+?[\d\s().-]*\d[\d\s().-]*",  # digits with phone punctuation; digit count checked below
        r"[0-9a-fA-F]{8,}",  # ANDROID_ID, hashes
        r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}",  # UUID: ad id, OAID
        r"(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}",  # MAC
        r"(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{8,}",  # serial-like token
        r"[^@\s]+@[^@\s]+\.[^@\s]+",  # e-mail (accounts)
        r"-?\d{1,3}\.\d+\s*,\s*-?\d{1,3}\.\d+",  # lat,lon
    )
]
_MEMO_MAX = 16384
#: Shorter digit runs (a SIM slot, a request code) are not identifiers.
_MIN_ID_DIGITS = 6


@functools.lru_cache(maxsize=16384)
def looks_like_identifier(value: str) -> bool:
    """True when ``value`` (stripped) looks like an identifier worth hiding."""
    text = value.strip()
    if len(text) < _MIN_ID_DIGITS or _REDACTED.fullmatch(text):
        return False
    if _IDENTIFIER_PATTERNS[0].fullmatch(text):
        return sum(ch.isdigit() for ch in text) >= _MIN_ID_DIGITS
    return any(p.fullmatch(text) for p in _IDENTIFIER_PATTERNS[1:])


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
        """``event`` with its values redacted when its category is personal information."""
        if event.category not in PERSONAL_INFORMATION:
            return event
        args = [self.value(a) if looks_like_identifier(a) else a for a in event.args]
        ret = None if event.ret is None else self.value(event.ret)
        if args == event.args and ret == event.ret:
            return event
        return event.model_copy(update={"args": args, "ret": ret})
