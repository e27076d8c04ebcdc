"""Personal information in the bytes an app sends: pure, no Frida.

The translator hands this module every value a personal-information hook *returned* (the
call's ``ret`` summary, before the trace writer redacts it) and every network write the
agent saw. Each write is searched for the values in the forms SDKs send them (those of
:func:`harness.tracefile.follow.encodings`: as is, without separators, in any case, hex,
Base64, MD5 / SHA-1 / SHA-256 hex), also inside a gzip body, and across the boundary of
two writes on one connection. The result is the detail of a ``data_sent`` marker: where
the bytes went, how many, their SHA-256, what was found (the call that returned it and the
form) — never a value; the payload itself only when the caller keeps payloads
(``--reveal-values``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import zlib
from dataclasses import dataclass
from typing import Any

from harness.model.frames import PLATFORM_PREFIXES
from harness.tracefile.follow import encodings, trie_pattern
from harness.tracefile.shapes import embedded_tokens, looks_like_identifier

#: Shortest value worth matching: shorter ones occur in any payload by chance.
MIN_VALUE = 6
MAX_VALUE = 128
#: Values kept per run (bounded against hostile variety).
MAX_VALUES = 4096
#: Characters of the previous write on a connection searched with the next one (a value
#: split over two writes: headers, then body; a buffered stream's chunks).
TAIL = 256
#: Largest gzip body inflated for matching.
MAX_INFLATE = 1 << 20
_GZIP = b"\x1f\x8b"
#: HTTP and I/O libraries an app and its SDKs share: a write's first frames are theirs, the
#: code that asked for the request is below them (attribution looks past them).
NETWORK_LIBRARY_PREFIXES = ("okhttp3.", "okio.", "com.squareup.okhttp.", "retrofit2.")


def caller_frames(frames: list[str]) -> list[str]:
    """``frames`` (innermost first) without those of shared HTTP libraries, unless nothing
    else is left (a library's own thread: then the library is all there is to name)."""
    if not any(f.startswith(NETWORK_LIBRARY_PREFIXES) for f in frames):
        return frames
    rest = [f for f in frames if not f.startswith(NETWORK_LIBRARY_PREFIXES)]
    return rest if any(not f.startswith(PLATFORM_PREFIXES) for f in rest) else frames


@dataclass(frozen=True)
class Origin:
    """The call that returned a value: what the evidence names instead of the value."""

    seq: int
    pid: int
    api: str
    category: str
    data: str


def sha256_text(data: bytes) -> str:
    """SHA-256 hex in groups of 8: the trace writer's redaction leaves it readable (a bare
    64-digit hex run is identifier-shaped to it)."""
    digest = hashlib.sha256(data).hexdigest()
    return " ".join(digest[i : i + 8] for i in range(0, 64, 8))


def payload_format(data: bytes, layer: str) -> tuple[str, bool]:
    """(format, readable): ``text``, ``binary``, ``gzip``, ``tls_handshake`` /
    ``tls_record`` (TLS seen below the cleartext hooks — an NIO or native TLS engine's
    records at the socket level: application data is unreadable)."""
    if (
        layer == "socket" and len(data) >= 5 and data[0] in (20, 21, 22, 23)
        and data[1] == 3 and data[2] <= 4
    ):
        return ("tls_handshake", True) if data[0] != 23 else ("tls_record", False)
    if data.startswith(_GZIP):
        return "gzip", True
    printable = sum(1 for b in data[:512] if 32 <= b < 127 or b in (9, 10, 13))
    return ("text" if not data or printable >= 0.9 * min(len(data), 512) else "binary"), True


def _inflate(data: bytes) -> bytes | None:
    """A gzip body (the payload, or the body after an HTTP header) inflated, bounded."""
    start = 0 if data.startswith(_GZIP) else data.find(b"\r\n\r\n" + _GZIP) + 4
    if start < 0 or not data[start:].startswith(_GZIP):
        return None
    try:
        return zlib.decompressobj(31).decompress(data[start:], MAX_INFLATE)
    except zlib.error:
        return None


class TransmissionMatcher:
    """The values of one run and the network writes of its processes (module doc)."""

    def __init__(self) -> None:
        #: lower-cased form → (origin of the value, encoding name; "" = as is)
        self._forms: dict[str, tuple[Origin, str]] = {}
        self._values: set[str] = set()
        self._regex: re.Pattern[str] | None = None
        #: connection → the end of its previous write (lower-cased latin-1)
        self._tails: dict[tuple[Any, ...], str] = {}

    def __len__(self) -> int:
        return len(self._values)

    def learn_call(self, ret: str | None, origin: Origin) -> None:
        """Remember what a personal-information call returned: the whole summary if it is
        an identifier, else the identifier-shaped tokens inside it."""
        if ret is None:
            return
        text = ret.strip()
        if looks_like_identifier(text):
            self._learn(text, origin)
            return

        def take(token: str) -> str:
            self._learn(token, origin)
            return token

        embedded_tokens(text, take)

    def _learn(self, value: str, origin: Origin) -> None:
        if (value in self._values or not MIN_VALUE <= len(value) <= MAX_VALUE
                or len(self._values) >= MAX_VALUES):
            return
        self._values.add(value)
        for form, kind in encodings(value).items():
            self._forms.setdefault(form.lower(), (origin, kind))
        self._regex = None

    def find(self, data: bytes, connection: tuple[Any, ...] | None = None) -> list[dict[str, Any]]:
        """The values in ``data`` (and in the tail of the connection's previous write),
        one item per (call, form): ``{call_seq, pid, api, category, data, form}``."""
        text = data.decode("latin-1").lower()
        tail = self._tails.get(connection, "") if connection is not None else ""
        if connection is not None:
            self._tails[connection] = (tail + text)[-TAIL:]
        if not self._forms:
            return []
        if self._regex is None:
            self._regex = re.compile(trie_pattern(self._forms))
        found: dict[tuple[int, int, str], dict[str, Any]] = {}
        haystacks = [(tail + text, len(tail))]
        inflated = _inflate(data)
        if inflated is not None:
            haystacks.append((inflated.decode("latin-1").lower(), 0))
        for hay, new_from in haystacks:
            for m in self._regex.finditer(hay):
                if m.end() <= new_from:
                    continue  # wholly in the previous write: reported with it
                origin, kind = self._forms[m.group()]
                form = kind or "plain"
                if inflated is not None and hay is haystacks[-1][0] and len(haystacks) > 1:
                    form = f"{form}+gzip"
                found.setdefault((origin.pid, origin.seq, form), {
                    "call_seq": origin.seq, "pid": origin.pid, "api": origin.api,
                    "category": origin.category, "data": origin.data, "form": form,
                })
        return list(found.values())


def decode_payload(text: str) -> bytes | None:
    """The agent's base64 payload, or None when it is not valid base64."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
