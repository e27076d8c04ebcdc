"""Which SDKs an APK's code names: a scan of its class names against the SDK table.

A dex file's string table holds every type descriptor its code defines or references
(``Lcom/umeng/analytics/MobclickAgent;``); a sim package holds Java sources naming the
classes in dotted form. Both are searched for every package prefix of
``harness/catalog/sdks.json`` — static presence, shown beside the SDKs seen at run time
(an SDK present but silent, or loaded at run time from elsewhere, shows as a difference).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from harness.catalog import load_sdk_table

#: Largest dex / source entry read (hostile input: bounded memory).
MAX_ENTRY = 64 << 20


def sdks_in_apk(path: str | Path) -> list[str]:
    """Names of the SDKs whose package prefix occurs in the APK's code, sorted."""
    table = load_sdk_table()
    found: dict[str, str] = {}  # prefix → SDK name
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name = info.filename
            is_dex = name.startswith("classes") and name.endswith(".dex")
            is_src = name.startswith("src/") and name.endswith(".java")
            if not (is_dex or is_src) or info.file_size > MAX_ENTRY or info.flag_bits & 0x1:
                continue
            data = archive.read(info)
            for row in table:
                needle = ("L" + row.prefix.replace(".", "/")) if is_dex else row.prefix
                if needle.encode() in data:
                    found[row.prefix] = row.name
    # Nested prefixes (Firebase, Firebase Crashlytics) are both listed, as the table
    # names them: a byte search cannot tell whether the shorter one occurs on its own.
    return sorted(set(found.values()))
