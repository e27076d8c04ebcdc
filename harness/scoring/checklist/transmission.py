"""``7.2/pre-consent-transmission``: no personal information leaves the app before consent.

Read from the ``data_sent`` markers (docs/scoring.md "Markers the rules read"): the agent
reports every HTTP request (HttpURLConnection, OkHttp: with its URL), every other write to a
socket (Java streams, NIO and native code through libc) and, in clear, to TLS (Java streams,
a loaded libssl's SSL_write); the host searches
each for the values personal-information hooks returned in that run, in the forms SDKs
send them (as is, without separators, any case, hex, Base64, MD5 / SHA-1 / SHA-256 hex,
inside gzip), and names the call and the form it found (``detail.matches``).

* **fail**: a write with a match in ``pre_consent`` or ``post_refusal`` (the timeline's
  phases; the write's own sequence number settles a tie with the decision);
* **inconclusive**: the trace records no network hooks, or not both layers (plain socket
  and TLS in clear), or a write in those phases was cut (``captured`` < ``size``) or
  unreadable (TLS records below the cleartext hooks, undecodable payload) and matched
  nothing — what it held is unknown;
* **not applicable**: the app sent nothing; **pass**: it sent, never a collected value
  before consent or after the refusal.

A value the hooks never saw returned (read before the hooks, from a cache of an earlier
launch, or by an API outside the catalog) cannot be recognised: a pass says "none of the
values seen was sent", as the evidence of every rule is what the hooks saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harness.model.enums import Category, MarkerKind, Phase, Verdict
from harness.model.trace import Marker
from harness.model.verdict import Evidence
from harness.scoring.checklist._common import marker_key
from harness.scoring.rules import CHECKLIST_2019, MIIT_164, Context, Rule

if TYPE_CHECKING:
    from harness.scoring.engine import Hits

_JUDGED = (Phase.PRE_CONSENT, Phase.POST_REFUSAL)
#: Layers a verdict needs hooked: plain sockets, and TLS in clear.
NEEDED_LAYERS = frozenset({"socket", "tls"})


@dataclass
class Transmissions:
    sent: int = 0
    #: Offending writes (time order) with their phase.
    offending: list[tuple[Marker, Phase]] = field(default_factory=list)
    #: Why the rule could not see everything, if so (first reason).
    blind: str | None = None
    #: Writes in the judged phases that were cut or unreadable and matched nothing.
    unseen: list[Marker] = field(default_factory=list)

    @property
    def keys(self) -> set[tuple[str, float, str, int | None]]:
        return {marker_key(m) for m, _ in self.offending}


def analyse(ctx: Context) -> Transmissions:
    out = Transmissions()
    timeline = ctx.timeline
    hooked: list[Any] = []
    for marker in sorted(timeline.markers, key=lambda m: m.ts):
        if marker.marker is MarkerKind.HOOKS_READY:
            hooked.append(marker.detail.get("network"))
            continue
        if marker.marker is not MarkerKind.DATA_SENT:
            continue
        out.sent += 1
        phase = timeline.phase(marker.ts, marker.seq)
        if phase not in _JUDGED:
            continue
        detail = marker.detail
        if detail.get("matches"):
            out.offending.append((marker, phase))
        elif detail.get("readable") is False or _cut(detail):
            out.unseen.append(marker)
    if not hooked or any(not isinstance(n, dict) for n in hooked):
        out.blind = "the recording has no network hooks (made without them, or by an older agent)"
    else:
        for network in hooked:
            missing = NEEDED_LAYERS - set(network.get("layers") or [])
            if missing:
                out.blind = (
                    f"no network hook for {', '.join(sorted(missing))} could be installed "
                    f"(failed: {_names(network.get('failed'))})"
                )
                break
    return out


def _cut(detail: dict[str, Any]) -> bool:
    size, captured = detail.get("size"), detail.get("captured")
    return isinstance(size, int) and isinstance(captured, int) and captured < size


def _names(failed: Any) -> str:
    if not isinstance(failed, list) or not failed:
        return "none reported"
    return ", ".join(str(f.get("id", f)) if isinstance(f, dict) else str(f) for f in failed[:3])


def describe(marker: Marker, phase: Phase, ctx: Context) -> str:
    """ "ANDROID_ID (MD5 form) sent to 127.0.0.1:4711 over TLS by com.example.sdk.analytics,
    1.2 s before consent" (an HTTP request: "sent to http://api.push.example/v2/register
    (127.0.0.1:4711) by …") — the values themselves are never in a marker."""
    d = marker.detail
    found = []
    for m in d.get("matches") or []:
        what = str(m.get("data") or m.get("api") or "a value").upper()
        form = str(m.get("form") or "plain")
        found.append(what if form == "plain" else f"{what} ({form.upper()} form)")
    host = d.get("host") or d.get("address") or "?"
    tls = d.get("layer") == "tls" or d.get("secure") is True
    where = f"{host}:{d.get('port')}"
    url = d.get("url")
    if isinstance(url, str) and url:
        # an HTTP request: its URL (query values left out by the agent), then the peer
        # connected to (a proxy, or the server's address)
        where = f"{url[:300]} ({d.get('address') or host}:{d.get('port')})"
    where += " over TLS" if tls else ""
    prefix = d.get("sdk_prefix")
    by = str(prefix).rstrip(".") if prefix and d.get("sdk") not in (None, "unknown") else (
        d.get("frame") or d.get("sdk") or "unknown code")
    consent = ctx.timeline.consent
    if phase is Phase.PRE_CONSENT:
        when = ("before consent, which was never given" if consent.granted_ts is None
                else f"{(consent.granted_ts - marker.ts) / 1000:.1f} s before consent")
    else:
        ref = consent.refused_ts if consent.refused_ts is not None else (
            consent.withdrawn_ts[0] if consent.withdrawn_ts else None)
        when = "after the refusal" if ref is None else (
            f"{(marker.ts - ref) / 1000:.1f} s after the refusal")
    return f"{', '.join(sorted(set(found)))} sent to {where} by {by}, {when}"


class PreConsentTransmission(Rule):
    id = "7.2/pre-consent-transmission"
    article = "7.2"
    statement = (
        "No personal information the app collected is sent off the device before the user "
        "agrees or after the user refuses."
    )
    source = f"{CHECKLIST_2019} 三.1, 三.2; {MIIT_164} (一)1"

    def _found(self, ctx: Context) -> Transmissions:
        return ctx.state(self.id, lambda: analyse(ctx))

    def selects_marker(self, ctx: Context, marker: Marker, phase: Phase) -> bool:
        return marker.marker is MarkerKind.DATA_SENT and marker_key(marker) in self._found(ctx).keys

    def marker_evidence(
        self, ctx: Context, marker: Marker, phase: Phase, t_rel: float | None
    ) -> Evidence | None:
        """The write as evidence: the category of the value found, the SDK its stack
        points to, and what was sent where (never the value)."""
        d = marker.detail
        matches = [m for m in d.get("matches") or [] if isinstance(m, dict)]
        try:
            category = Category(matches[0].get("category")) if matches else None
        except ValueError:
            category = None
        sdk = d.get("sdk")
        return Evidence(
            seq=marker.seq, ts=marker.ts, api=f"marker:{marker.marker.value}",
            category=category or Category.DEVICE_ID, phase=phase, t_rel_ms=t_rel,
            sdk=str(sdk) if isinstance(sdk, str) and sdk else "unknown",
            sdk_kind=d.get("sdk_kind") if isinstance(d.get("sdk_kind"), str) else None,
            frame=d.get("frame") if isinstance(d.get("frame"), str) else None,
            args=[describe(marker, phase, ctx)],
        )

    def failed(self, ctx: Context, hits: Hits) -> str:
        offending = self._found(ctx).offending
        first, phase = offending[0]
        return (
            f"{len(offending)} transmission(s) of personal information before consent or "
            f"after refusal; first: {describe(first, phase, ctx)}"
        )

    def quiet(self, ctx: Context) -> tuple[Verdict, str]:
        found = self._found(ctx)
        if found.blind is not None:
            return Verdict.INCONCLUSIVE, found.blind
        if found.unseen:
            cut = sum(1 for m in found.unseen if _cut(m.detail))
            return Verdict.INCONCLUSIVE, (
                f"{len(found.unseen)} write(s) before consent or after refusal could not be "
                f"read whole ({cut} cut at the capture limit, {len(found.unseen) - cut} "
                "unreadable): whether they carried personal information is unknown"
            )
        if not found.sent:
            return Verdict.NOT_APPLICABLE, "the app sent nothing over the network"
        return Verdict.PASS, (
            f"{found.sent} network write(s) seen; none carried a collected value before "
            "consent or after refusal"
        )
