"""Trace files: incremental writer, streaming reader, redaction (DESIGN §4.3).

Never imports frida or adbutils: a trace can be read and re-scored anywhere.
"""

from harness.tracefile.memory import MemoryTrace, Trace
from harness.tracefile.reader import TraceFile, open_trace
from harness.tracefile.redact import (
    SALT_FILE_ENV,
    Redactor,
    default_salt_file,
    load_salt,
    looks_like_identifier,
    salt_id,
)
from harness.tracefile.writer import CallSpan, TraceWriter

__all__ = [
    "SALT_FILE_ENV",
    "CallSpan",
    "MemoryTrace",
    "Redactor",
    "Trace",
    "TraceFile",
    "TraceWriter",
    "default_salt_file",
    "load_salt",
    "looks_like_identifier",
    "open_trace",
    "salt_id",
]
