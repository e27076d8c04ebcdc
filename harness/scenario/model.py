"""The scenario header and the :class:`Scenario` model (DESIGN §4.4)."""

from __future__ import annotations

import difflib
import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from harness.model import Category, Verdict
from harness.scenario.steps import MAX_SECONDS, Step, StepBase
from harness.ui import DEFAULT_CONSENT_MATCHERS, ConsentMatchers

#: Android package names (same rule as harness.device, which must not be imported here:
#: scenarios are read on machines with no device).
PACKAGE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")
#: ``7.2``, ``7.4`` (an article) or ``7.2/pre-consent-collection`` (a rule): the shape
#: the JSON Schema gives editors. Validation checks the rule registry itself.
EXPECT_KEY_RE = re.compile(r"^7\.[24](/[a-z0-9]+(-[a-z0-9]+)*)?$")
#: The articles an ``expect`` may name even if no rule of them is registered.
ARTICLES = ("7.2", "7.4")


def expect_key_problem(key: object) -> str | None:
    """Why ``key`` cannot be an ``expect`` key (with the closest rule id), or None."""
    known = known_expect_keys()
    if isinstance(key, str) and key in known:
        return None
    # Rule ids are long and typo'd; "7.3" is not a near miss of "7.2".
    rules = [k for k in known if "/" in k]
    # A cut-off id ("7.2/pre-consent") means the rule it begins; else the closest.
    close = [k for k in rules if k.startswith(str(key))][:1] or difflib.get_close_matches(
        str(key), rules, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return (
        f"{key!r} is not an article or a rule of this consent-harness; {hint}"
        f"expected 7.2, 7.4 or a rule id ({', '.join(rules)})"
    )


def known_expect_keys() -> list[str]:
    """Articles and every registered rule id, read from the scorer when asked.

    Imported here, not at module load: rules are added to the registry over time and
    the scenario models must not pin down a copy of it.
    """
    from harness.scoring.selection import ALL_RULES

    articles = sorted({*ARTICLES, *(rule.article for rule in ALL_RULES)})
    return articles + [rule.id for rule in ALL_RULES]


def field_error(field: str, message: str, **ctx: Any) -> PydanticCustomError:
    """An error the loader reports against ``field`` (a key under the failing model)."""
    return PydanticCustomError("field_error", message, {"field": field, **ctx})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PermissionsMode(str, Enum):
    """What to do with the app's runtime permissions before launch."""

    REVOKE_ALL = "revoke_all"
    KEEP = "keep"
    GRANT_ALL = "grant_all"


class LaunchStrategy(str, Enum):
    """How to start the app paused for instrumentation (DESIGN §6.3)."""

    AUTO = "auto"
    SPAWN = "spawn"
    DEBUG_WAIT = "debug-wait"


class Launch(_Strict):
    """How the app is prepared and started."""

    clear_data: bool = Field(default=True, description="pm clear before launch")
    permissions: PermissionsMode = PermissionsMode.REVOKE_ALL
    strategy: LaunchStrategy = LaunchStrategy.AUTO


class Matchers(_Strict):
    """Regular expressions (case ignored) that replace the default consent matchers."""

    dialog: str | None = Field(default=None, description="text anywhere in the consent dialog")
    agree: str | None = Field(default=None, description="label of the agree button")
    refuse: str | None = Field(default=None, description="label of the refuse button")

    @field_validator("dialog", "agree", "refuse")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise PydanticCustomError(
                    "regex", "invalid regular expression: {error}", {"error": str(exc)}
                ) from exc
            if not value:
                raise PydanticCustomError("regex", "an empty pattern matches every text")
        return value

    def consent_matchers(self) -> ConsentMatchers:
        """The defaults with this scenario's overrides applied."""
        return DEFAULT_CONSENT_MATCHERS.with_overrides(
            dialog=self.dialog, agree=self.agree, refuse=self.refuse
        )


class Timeouts(_Strict):
    """Default waits, in seconds, for steps that give no ``timeout`` of their own.

    ``timeout: 20`` sets all of them."""

    consent: float = Field(
        default=15.0, gt=0, le=MAX_SECONDS, description="wait_for_consent, agree, refuse"
    )
    ui: float = Field(default=10.0, gt=0, le=MAX_SECONDS, description="tap, permissions, withdraw")
    launch: float = Field(default=30.0, gt=0, le=MAX_SECONDS, description="app start")

    @model_validator(mode="before")
    @classmethod
    def _number_sets_all(cls, data: Any) -> Any:
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            return {"consent": data, "ui": data, "launch": data}
        if not isinstance(data, dict) and not isinstance(data, Timeouts):
            raise PydanticCustomError(
                "timeouts",
                "expected seconds (a number) or a mapping with consent, ui, launch",
            )
        return data


class Source(BaseModel):
    """Where a scenario was read from."""

    model_config = ConfigDict(frozen=True)

    file: Path
    line: int
    #: index in a multi-document YAML stream
    document: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


_CONSENT_STEPS = frozenset({"wait_for_consent", "agree", "refuse", "read_policy"})


class Scenario(_Strict):
    """One scenario: which app, how to launch it, what to do, what to expect."""

    name: Annotated[str, Field(min_length=1)]
    app: str | None = Field(default=None, description="package name, e.g. com.example.news")
    apk: Annotated[list[Path] | None, WithJsonSchema({
        "anyOf": [{"type": "string"},
                  {"type": "array", "items": {"type": "string"}, "minItems": 1}],
        "description": "APK(s) to install, relative to the scenario file: a path, a list "
                       "(a base and its splits), a folder of APKs or an APK set (.apks)",
    })] = Field(default=None)
    tags: list[str] = Field(default_factory=list)
    scope: list[Category] | None = Field(
        None, description="categories the service legitimately needs (Article 7(4))"
    )
    launch: Launch = Field(default_factory=lambda: Launch())
    matchers: Matchers = Field(default_factory=lambda: Matchers())
    timeout: Timeouts = Field(default_factory=lambda: Timeouts())
    steps: list[Step] = Field(min_length=1)
    expect: dict[str, Verdict] = Field(
        default_factory=dict, description="article (7.2) or rule id (7.2/…) → expected verdict"
    )
    rules: list[str] | None = Field(
        default=None,
        description="rules to score (as `score --rules`): ids, globs, articles, packs "
                    "(default, checklist, all); the rules `expect:` names are always scored",
    )

    rule_options: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="rule id → its options (docs/scoring.md \"Rule options\"), e.g. "
                    "{\"7.2/excessive-frequency\": {\"api_per_second\": 50}}; "
                    "a rule given options is scored",
    )

    _source: Source = PrivateAttr(default_factory=lambda: Source(file=Path("<string>"), line=1))
    _flow_files: tuple[Path, ...] = PrivateAttr(default=())

    @property
    def source(self) -> Source:
        return self._source

    @property
    def flow_files(self) -> tuple[Path, ...]:
        """The flow files (``run_flow``) its steps came from, resolved, in first-use
        order: what a copy of the scenario needs beside it to be read again."""
        return self._flow_files

    @property
    def package(self) -> str | None:
        """The package under test when known before install (``app``)."""
        return self.app

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise PydanticCustomError("name", "a name cannot be blank")
        return value

    @field_validator("rules")
    @classmethod
    def _rules(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        from harness.errors import InputError
        from harness.scoring.selection import select_rules

        try:
            select_rules(value)
        except InputError as exc:
            raise PydanticCustomError("rules", "{why}", {"why": exc.detail}) from exc
        return value

    @field_validator("rule_options")
    @classmethod
    def _rule_options(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        from harness.scoring.selection import ALL_RULES_BY_ID

        for rule_id, options in value.items():
            rule = ALL_RULES_BY_ID.get(rule_id)
            if rule is None:
                close = difflib.get_close_matches(rule_id, list(ALL_RULES_BY_ID), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise PydanticCustomError(
                    "rule_options", "unknown rule {rule}{hint}",
                    {"rule": repr(rule_id), "hint": hint})
            names: frozenset[str] = getattr(rule, "option_names", frozenset())
            unknown = sorted(set(options) - names)
            if unknown:
                known = ", ".join(sorted(names)) or "none"
                raise PydanticCustomError(
                    "rule_options", "{rule} has no option {name} (its options: {known})",
                    {"rule": rule_id, "name": repr(unknown[0]), "known": known})
        return value

    def rule_selection(self, override: tuple[str, ...] | None = None) -> tuple[str, ...] | None:
        """What to score: ``override`` (``--rules``), else ``rules:``, else the default
        rules — plus every rule ``expect:`` names, so an expectation is never unscorable."""
        from harness.scoring.selection import ALL_RULES_BY_ID, DEFAULT_RULE_IDS

        chosen = list(override or self.rules or ())
        named = [key for key in self.expect if key in ALL_RULES_BY_ID]
        named += [key for key in self.rule_options if key not in named]
        if not chosen and all(key in DEFAULT_RULE_IDS for key in named):
            return None
        base = chosen or ["default"]
        return tuple(base + [key for key in named if key not in base])

    @field_validator("app")
    @classmethod
    def _package(cls, value: str | None) -> str | None:
        if value is not None and (len(value) > 255 or not PACKAGE_RE.fullmatch(value)):
            raise PydanticCustomError(
                "package",
                "{value} is not an Android package name; expected dot-separated words of "
                "letters, digits and _, such as com.example.news",
                {"value": repr(value)},
            )
        return value

    @field_validator("apk", mode="before")
    @classmethod
    def _apk_list(cls, value: Any) -> Any:
        # `apk: app.apk` is the common case; a list is one app's base and splits.
        if isinstance(value, str | Path):
            return [value]
        if isinstance(value, list) and not value:
            raise PydanticCustomError("apk", "an empty list: give at least one APK")
        return value

    @field_validator("apk")
    @classmethod
    def _apk_exists(cls, value: list[Path] | None, info: ValidationInfo) -> list[Path] | None:
        if value is None:
            return None
        from harness.apklayout import apks_in

        base = (info.context or {}).get("base_dir")
        paths = [Path(base) / p if base is not None else p for p in value]
        for path in paths if base is not None else ():
            if not path.exists():
                raise PydanticCustomError(
                    "apk",
                    "file not found: {path} (apk paths are relative to the scenario file)",
                    {"path": str(path)},
                )
            # A file's layout (APK or APK set) is read at install, before anything is
            # installed (harness.device.apkset): reading zips here would slow every load.
            if path.is_dir() and not apks_in(path):
                raise PydanticCustomError("apk", "{path}: a folder with no .apk file in it",
                                          {"path": str(path)})
        return paths

    @field_validator("expect", mode="before")
    @classmethod
    def _expect_keys(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key in value:
                problem = expect_key_problem(key)
                if problem is not None:
                    raise field_error(str(key), "{problem}", problem=problem)
        return value

    @model_validator(mode="after")
    def _app_or_apk(self) -> Scenario:
        if self.app is None and self.apk is None:
            raise field_error(
                "app",
                "missing: give app (a package name such as com.example.news) "
                "or apk (a path to an .apk file, or a list of a base and its splits)",
            )
        if self.app is not None and self.apk is not None:
            raise field_error("apk", "give either app or apk, not both")
        return self

    def needs_consent_dialog(self) -> bool:
        """True when a step looks for the consent dialog."""
        return any(s.kind in _CONSENT_STEPS for s in self.iter_steps())

    def iter_steps(self) -> list[StepBase]:
        """Every step, withdraw sub-steps included, in order."""
        out: list[StepBase] = []
        todo: list[StepBase] = list(reversed(self.steps))
        while todo:
            step = todo.pop()
            out.append(step)
            todo.extend(reversed(getattr(step, "steps", [])))
        return out

    def timeout_for(self, step: StepBase) -> float:
        """The step's own timeout, else the scenario default that applies to it."""
        own = getattr(step, "timeout", None)
        if own is not None:
            return float(own)
        if step.kind in _CONSENT_STEPS:
            return self.timeout.consent
        return self.timeout.ui
