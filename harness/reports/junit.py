"""``junit.xml``: one ``<testsuite>`` per run, one ``<testcase>`` per scenario.

Outcome of a scenario's testcase, first match wins:

* ``<error>`` — the scenario could not be judged: ``ScenarioResult.error`` is set or a
  verdict is ``error`` (device lost, agent crashed…).
* ``<failure type="expectation">`` — the scenario has ``expect`` and an article's verdict
  differs from it (the ``mismatches``, or recomputed from ``expect``).
* ``<failure type="violation">`` — no ``expect``, and an article's verdict is ``fail``.
* ``<skipped>`` — no ``expect``, nothing failed, but an article is ``inconclusive``: the
  harness could not see enough (a hook failed to install, no consent dialog found) to
  say "pass". CI shows it as "not verified" rather than green, without failing a build on
  what may be a device problem; ``consent-harness``'s exit status is unaffected by this
  choice. With ``expect``, only the expectation counts (an expected ``inconclusive`` passes).
* otherwise the testcase passes.

Messages list the violated rules with their first evidence (seq, phase, time relative to
consent, API, SDK, frame) — never a Python traceback. Every string is cleaned of the
characters XML 1.0 forbids and escaped by ElementTree.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import PurePosixPath

from harness.model import Evidence, RuleResult, RunSummary, ScenarioResult, Verdict
from harness.reports._text import clean

#: Evidence lines per rule in a failure message.
TOP_EVIDENCE = 5
_MESSAGE_LIMIT = 1000
_FIELD_LIMIT = 300


def classname(result: ScenarioResult) -> str:
    """``scenarios/news/refuse.yaml`` → ``scenarios.news.refuse``; no file → ``consent-harness``."""
    if not result.file:
        return "consent-harness"
    p = PurePosixPath(result.file.replace("\\", "/"))
    parts = [part for part in p.with_suffix("").parts if part not in ("/", ".", "..", "")]
    return clean(".".join(parts).replace(" ", "_")) or "consent-harness"


def format_evidence(ev: Evidence) -> str:
    rel = "n/a" if ev.t_rel_ms is None else f"{ev.t_rel_ms:+.0f} ms"
    seq = "-" if ev.seq is None else str(ev.seq)
    text = f"#{seq} {ev.phase.value} {rel} {ev.api} [{ev.category.value}] sdk={ev.sdk}" + (
        f" frame={ev.frame}" if ev.frame else ""
    )
    return clean(text, limit=_FIELD_LIMIT)


def format_rule(rule: RuleResult, *, top: int = TOP_EVIDENCE) -> str:
    lines = [f"{rule.rule} [{rule.article}] {rule.verdict.value}: {clean(rule.reason)}"]
    for ev in rule.evidence[:top]:
        lines.append("    " + format_evidence(ev))
    more = max(rule.evidence_count, len(rule.evidence)) - min(top, len(rule.evidence))
    if more > 0:
        lines.append(f"    … and {more} more call(s)")
    if rule.sdks:
        sdks = ", ".join(f"{clean(k)}={v}" for k, v in sorted(rule.sdks.items()))
        lines.append(f"    SDKs: {sdks}")
    return "\n".join(lines)


def expectation_mismatches(result: ScenarioResult) -> list[str]:
    """``result.mismatches``, or recomputed from ``expect`` when the runner left it empty.

    Same reading as the runner's: keys are article ids (``7.2``) or rule ids
    (``7.2/pre-consent-collection``); a key nothing was scored under is a mismatch.
    """
    if result.mismatches:
        return [clean(m) for m in result.mismatches]
    actual = {a.article: a.verdict for a in result.articles}
    actual.update({r.rule: r.verdict for r in result.rules})
    out = []
    for key, want in sorted(result.expect.items()):
        got = actual.get(key)
        if got is None:
            out.append(
                f"{clean(key)}: expected {want.value}, but no such article or rule was scored"
            )
        elif got != want:
            out.append(f"{clean(key)}: expected {want.value}, got {got.value}")
    return out


Outcome = tuple[str, str, str, str]  # (element or "", type, message, body)


def outcome(result: ScenarioResult) -> Outcome:
    """What a scenario's testcase holds: see the module docstring."""
    errored = (
        result.error is not None
        or result.verdict == Verdict.ERROR
        or any(a.verdict == Verdict.ERROR for a in result.articles)
    )
    if errored:
        rules = [r for r in result.rules if r.verdict == Verdict.ERROR]
        message = result.error or "; ".join(f"{r.rule}: {r.reason}" for r in rules) or "error"
        body = "\n".join(format_rule(r) for r in rules)
        return "error", "error", clean(message, limit=_MESSAGE_LIMIT), body
    if result.expect:
        mismatches = expectation_mismatches(result)
        if not mismatches:
            return "", "", "", ""
        unmet = [r for r in result.rules if r.verdict not in (Verdict.PASS, Verdict.NOT_APPLICABLE)]
        rules = [r for r in unmet if r.article in result.expect or r.rule in result.expect]
        rules = rules or unmet
        body = "\n".join(["expectation not met:", *mismatches, "", *map(format_rule, rules)])
        return "failure", "expectation", clean("; ".join(mismatches), limit=_MESSAGE_LIMIT), body
    failing = [a for a in result.articles if a.verdict == Verdict.FAIL]
    if failing:
        rules = [r for r in result.rules if r.verdict == Verdict.FAIL]
        message = "; ".join(
            f"{a.article} fail: "
            + ", ".join(
                f"{r.rule} ({max(r.evidence_count, len(r.evidence))} calls)"
                for r in rules
                if r.article == a.article
            )
            for a in failing
        )
        body = "\n".join(format_rule(r) for r in rules)
        return "failure", "violation", clean(message, limit=_MESSAGE_LIMIT), body
    inconclusive = [r for r in result.rules if r.verdict == Verdict.INCONCLUSIVE]
    if inconclusive or any(a.verdict == Verdict.INCONCLUSIVE for a in result.articles):
        message = "inconclusive: " + (
            "; ".join(f"{r.rule}: {clean(r.reason)}" for r in inconclusive) or "see report"
        )
        return "skipped", "inconclusive", clean(message, limit=_MESSAGE_LIMIT), ""
    return "", "", "", ""


def _verdict_lines(result: ScenarioResult) -> str:
    lines = [
        f"scenario: {clean(result.scenario)}",
        f"package: {clean(result.package)}",
        f"verdict: {result.verdict.value}",
    ]
    if result.device:
        lines.append(f"device: {clean(result.device)}")
    if result.trace:
        lines.append(f"trace: {clean(result.trace)}")
    for a in result.articles:
        lines.append(f"article {clean(a.article)}: {a.verdict.value}")
    for r in result.rules:
        lines.append(f"  {clean(r.rule)}: {r.verdict.value} — {clean(r.reason)}")
    return "\n".join(lines)


def build_junit(summary: RunSummary, *, suite_name: str = "consent-harness") -> ET.Element:
    root = ET.Element("testsuites", name=suite_name)
    suite = ET.SubElement(root, "testsuite", name=suite_name, timestamp=clean(summary.started_at))
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="harness_version", value=clean(summary.harness_version))
    ET.SubElement(props, "property", name="finished_at", value=clean(summary.finished_at))
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    total_time = 0.0
    for result in summary.scenarios:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=classname(result),
            name=clean(result.scenario, limit=_FIELD_LIMIT),
            time=f"{result.duration_s or 0.0:.3f}",
        )
        if result.file:
            case.set("file", clean(result.file))
        if result.line is not None:
            case.set("line", str(result.line))
        total_time += result.duration_s or 0.0
        counts["tests"] += 1
        element, kind, message, body = outcome(result)
        if element:
            node = ET.SubElement(case, element, message=message)
            if element != "skipped":
                node.set("type", kind)
                node.text = clean(body) if body else message
            counts[{"failure": "failures", "error": "errors", "skipped": "skipped"}[element]] += 1
        ET.SubElement(case, "system-out").text = _verdict_lines(result)
    for el in (root, suite):
        for key, value in counts.items():
            el.set(key, str(value))
        el.set("time", f"{total_time:.3f}")
    return root


def render_junit(summary: RunSummary) -> bytes:
    root = build_junit(summary)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
