"""Properties of scoring that must hold for every trace, checked on generated traces."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.model import Verdict
from harness.scoring import score
from harness.testing import TraceBuilder
from harness.tracefile import MemoryTrace, open_trace

APIS = [
    "telephony.imei",
    "location.last_known",
    "resolver.query.contacts",
    "permission.activity",
    "install.session.create",
    "clipboard.primary_clip",
    "camera.open",
]
PERMISSION_ARGS = [[], ["[android.permission.CAMERA]"], ["[android.permission.READ_SMS]"]]


@dataclass(frozen=True)
class Scene:
    calls: list[tuple[str, int, int]]
    shown: bool
    grant: int | None
    refuse: int | None
    withdraw: int | None
    prompt: int | None
    install_tap: int | None
    scope: list[str] | None
    failed: list[str]
    end: str

    def build(self, keep: list[bool] | None = None, grant_shift: int = 0) -> TraceBuilder:
        b = TraceBuilder().header(app="com.example.news", scope=self.scope)
        b.hooks_ready(at=0, failed=self.failed)
        if self.shown:
            b.shown(at=1)
        if self.grant is not None:
            b.grant(at=self.grant + grant_shift)
        if self.refuse is not None:
            b.refuse(at=self.refuse, source="host")
        if self.withdraw is not None:
            b.withdraw(at=self.withdraw)
        if self.prompt is not None:
            b.marker(
                "permission_prompt",
                at=self.prompt,
                source="host",
                permissions=["android.permission.CAMERA"],
            )
        if self.install_tap is not None:
            b.marker("host_action", at=self.install_tap, source="host", text="Install")
        for i, (api, at, perm) in enumerate(self.calls):
            if keep is None or keep[i]:
                b.call(api, at=at, args=PERMISSION_ARGS[perm], seq=1000 + i)
        return b.end(self.end, at=6000)  # type: ignore[arg-type]


times = st.integers(min_value=0, max_value=5000)
scenes = st.builds(
    Scene,
    calls=st.lists(
        st.tuples(st.sampled_from(APIS), times, st.integers(0, len(PERMISSION_ARGS) - 1)),
        max_size=10,
    ),
    shown=st.booleans(),
    grant=st.none() | times,
    refuse=st.none() | times,
    withdraw=st.none() | times,
    prompt=st.none() | times,
    install_tap=st.none() | times,
    scope=st.none() | st.lists(st.sampled_from(["location", "device_id", "camera"]), unique=True),
    failed=st.lists(
        st.sampled_from(["telephony.imei", "camera.open", "vendor.unknown"]), max_size=1
    ),
    end=st.sampled_from(["completed", "completed", "device_lost"]),
)


def _verdicts(b: TraceBuilder) -> dict[str, Verdict]:
    return {r.rule: r.verdict for r in score(b.build()).rules}


@settings(max_examples=150, deadline=None)
@given(scene=scenes, data=st.data())
def test_removing_calls_never_turns_a_pass_into_a_fail(scene: Scene, data: st.DataObject) -> None:
    keep = data.draw(st.lists(st.booleans(), min_size=len(scene.calls), max_size=len(scene.calls)))
    before = _verdicts(scene.build())
    after = _verdicts(scene.build(keep=keep))
    for rule, verdict in before.items():
        if verdict is Verdict.PASS:
            assert after[rule] is not Verdict.FAIL, rule


@settings(max_examples=150, deadline=None)
@given(scene=scenes, data=st.data())
def test_moving_the_consent_moment_later_never_turns_a_fail_into_a_pass(
    scene: Scene, data: st.DataObject
) -> None:
    if scene.grant is None:
        return
    # Later, but not past the next refusal or withdrawal: that would be another story
    # (consent given again after refusing), not the same consent given later.
    later = [t for t in (scene.refuse, scene.withdraw) if t is not None and t >= scene.grant]
    limit = min([t - scene.grant - 1 for t in later] + [3000])
    if limit < 1:
        return
    shift = data.draw(st.integers(min_value=1, max_value=limit))
    before = _verdicts(scene.build())
    after = _verdicts(scene.build(grant_shift=shift))
    for rule, verdict in before.items():
        if verdict is Verdict.FAIL:
            assert after[rule] is Verdict.FAIL, rule


@settings(max_examples=100, deadline=None)
@given(scene=scenes)
def test_an_incomplete_recording_never_passes(scene: Scene) -> None:
    if scene.end != "device_lost":
        return
    assert Verdict.PASS not in _verdicts(scene.build()).values()


@settings(max_examples=100, deadline=None)
@given(scene=scenes)
def test_article_verdict_is_the_worst_of_its_rules(scene: Scene) -> None:
    report = score(scene.build().build())
    for article in report.articles:
        members = [r.verdict for r in report.rules if r.article == article.article]
        assert article.verdict is Verdict.worst(members)
    assert report.verdict is Verdict.worst([a.verdict for a in report.articles])


@settings(max_examples=60, deadline=None)
@given(scene=scenes, limit=st.integers(0, 3), sdks=st.lists(st.integers(0, 2), max_size=10))
def test_file_and_memory_give_the_same_report_whatever_the_evidence_limit(
    scene: Scene, limit: int, sdks: list[int]
) -> None:
    """The file path (light call views, calls past the evidence limit only counted and
    attributed per distinct stack) concludes exactly what the in-memory models do."""
    import tempfile
    from pathlib import Path

    from harness.scoring import engine

    b = scene.build()
    packages = ["com.example.sdk.ads", "com.example.sdk.push", "com.example.news"]
    for i, (api, at, perm) in enumerate(scene.calls):  # the same calls again, from SDKs
        pick = sdks[i] if i < len(sdks) else 0
        b.call(api, at=at, args=PERMISSION_ARGS[perm], seq=2000 + i, sdk=packages[pick])
    memory = b.build()
    reference = score(memory, evidence_limit=10**6)  # never full: nothing is bulk-counted
    with tempfile.TemporaryDirectory() as tmp:
        trace = open_trace(b.write(Path(tmp) / "t.jsonl"))
        original = engine._BULK_LIMIT  # noqa: SLF001 — flush often, too
        engine._BULK_LIMIT = 1  # noqa: SLF001
        try:
            from_file = score(trace, evidence_limit=limit)
        finally:
            engine._BULK_LIMIT = original  # noqa: SLF001
    from_memory = score(memory, evidence_limit=limit)
    assert from_file.model_copy(update={"trace": None}) == from_memory
    for got, want in zip(from_memory.rules, reference.rules, strict=True):
        assert (got.verdict, got.evidence_count, got.sdks) == (
            want.verdict,
            want.evidence_count,
            want.sdks,
        )
        assert got.evidence == want.evidence[:limit]


@settings(max_examples=150, deadline=None)
@given(
    scene=scenes,
    missing=st.sampled_from(["wait_for_consent", "agree", "refuse", "withdraw", "permissions",
                             "observe"]),
    death=st.sampled_from([None, "killed", "crashed", "ended"]),
    end=st.sampled_from(["completed", "app_exit", "interrupted", "error", "device_lost",
                         "something-new"]),
)
def test_a_scenario_whose_steps_did_not_all_happen_never_passes(
    scene: Scene, missing: str, death: str | None, end: str
) -> None:
    """Never a wrong pass: a step that did not happen, an unasked app death, or an end
    other than completed / app_exit each keep the overall verdict from pass — and a
    violation already seen is never hidden by them."""
    decided = {"agree": scene.grant is not None,
               "refuse": scene.refuse is not None or scene.withdraw is not None,
               "withdraw": scene.refuse is not None or scene.withdraw is not None}
    if decided.get(missing):
        return  # the agent recorded that decision anyway: the step's phase was reached
    base = score(scene.build().build())
    b = scene.build()
    b.step(missing, at=5500, line=7, happened=False, reason="not found")
    if death is not None:
        b.marker("app_exit", at=5600, source="host", how=death)
    built = b.build()
    records = list(built.records())
    last = records[-1]
    assert last.kind == "end"
    trace = MemoryTrace(header=built.header,
                        body=(*records[:-1], last.model_copy(update={"reason": end})))
    report = score(trace)
    assert report.verdict not in (Verdict.PASS, Verdict.NOT_APPLICABLE)
    assert report.unreached
    for before, after in zip(base.rules, report.rules, strict=True):
        if before.verdict is Verdict.FAIL:
            assert after.verdict is Verdict.FAIL, after
