"""The messages the report needs translated: every literal of ``tr.t``/``tr.n``/``N_`` in
``harness/reports/*.py``, plus the closed vocabularies (msgctxt = kind) and the rule ids.

Used by the catalog test (every msgid has a Chinese translation) and to write a new
``.po`` skeleton: ``python -m harness.reports.msgids > new.pot``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import get_args

from harness.model import Category, MarkerKind, Phase, TraceIssue, Verdict
from harness.model.trace import END_REASONS

#: (msgctxt or None, msgid, msgid_plural or None)
Msg = tuple[str | None, str, str | None]


def literal_messages(root: Path | None = None) -> list[Msg]:
    root = root or Path(__file__).parent
    found: dict[Msg, None] = {}
    for path in sorted(root.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            if name in ("t", "N_") and isinstance(args[0], str):
                found[(None, args[0], None)] = None
            elif name == "n" and len(args) >= 2 and isinstance(args[0], str):
                if isinstance(args[1], str):
                    found[(None, args[0], args[1])] = None
    return list(found)


def vocabulary() -> list[Msg]:
    from harness.catalog import SDK_KINDS
    from harness.scoring import RULES

    out: list[Msg] = []
    out += [("category", c.value, None) for c in Category]
    out += [("phase", p.value, None) for p in Phase]
    out += [("verdict", v.value, None) for v in Verdict]
    out += [("marker", m.value, None) for m in MarkerKind]
    out += [("source", s, None) for s in ("agent", "host")]
    out += [("end", e, None) for e in END_REASONS]
    out += [("how", h, None) for h in ("exited", "crashed", "ended", "killed")]
    out += [("level", lv, None) for lv in get_args(TraceIssue.model_fields["level"].annotation)]
    kinds = dict.fromkeys([*sorted(SDK_KINDS), "app", "unknown", "framework", "third_party"])
    out += [("sdk_kind", k, None) for k in kinds]
    out += [("rule", r.id, None) for r in RULES]
    return out


def all_messages() -> list[Msg]:
    return literal_messages() + vocabulary()


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main() -> int:
    for ctx, msgid, plural in all_messages():
        if ctx:
            print(f"msgctxt {_q(ctx)}")
        print(f"msgid {_q(msgid)}")
        if plural:
            print(f"msgid_plural {_q(plural)}")
            print('msgstr[0] ""')
        else:
            print('msgstr ""')
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
