"""Closed vocabularies shared by the catalog, the traces and the rules (DESIGN §2)."""

from __future__ import annotations

from enum import Enum


class Category(str, Enum):
    """What a sensitive call touches."""

    DEVICE_ID = "device_id"
    NETWORK_ID = "network_id"
    PHONE_NUMBER = "phone_number"
    LOCATION = "location"
    CONTACTS = "contacts"
    SMS = "sms"
    CALL_LOG = "call_log"
    CALENDAR = "calendar"
    MEDIA = "media"
    CAMERA = "camera"
    MICROPHONE = "microphone"
    INSTALLED_APPS = "installed_apps"
    RUNNING_APPS = "running_apps"
    CLIPBOARD = "clipboard"
    ACCOUNTS = "accounts"
    PERMISSION_REQUEST = "permission_request"
    PACKAGE_INSTALL = "package_install"


#: Categories that are personal information under Article 7(2).
PERSONAL_INFORMATION: frozenset[Category] = frozenset(
    {
        Category.DEVICE_ID,
        Category.NETWORK_ID,
        Category.PHONE_NUMBER,
        Category.INSTALLED_APPS,
        Category.RUNNING_APPS,
        Category.CLIPBOARD,
        Category.ACCOUNTS,
        Category.SMS,
        Category.CALL_LOG,
        Category.CALENDAR,
        Category.MEDIA,
        Category.LOCATION,
        Category.CONTACTS,
        Category.CAMERA,
        Category.MICROPHONE,
    }
)

#: Capabilities Article 7(4) names: location, address book, camera, recording.
NAMED_CAPABILITIES: frozenset[Category] = frozenset(
    {Category.LOCATION, Category.CONTACTS, Category.CAMERA, Category.MICROPHONE}
)


class MarkerKind(str, Enum):
    """Moments on a trace's timeline."""

    LAUNCHED = "launched"
    HOOKS_READY = "hooks_ready"
    CONSENT_SHOWN = "consent_shown"
    CONSENT_GRANTED = "consent_granted"
    CONSENT_REFUSED = "consent_refused"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    PERMISSION_PROMPT = "permission_prompt"
    PERMISSION_RESULT = "permission_result"
    APP_EXIT = "app_exit"
    # Raw UI observations the agent reports from inside the app; the host turns the
    # relevant ones into the consent markers above (judgement stays in Python).
    DIALOG_SHOWN = "dialog_shown"
    VIEW_CLICKED = "view_clicked"
    ACTIVITY_RESUMED = "activity_resumed"
    # Bytes the app wrote to the network, with the collected values found in them
    # (harness.instrument.transmission; never the values, the payload only when revealed).
    DATA_SENT = "data_sent"
    # What the host itself did or saw (taps, steps, screenshots).
    HOST_ACTION = "host_action"
    STEP = "step"


class Phase(str, Enum):
    """Where a call falls relative to the user's consent decision."""

    PRE_CONSENT = "pre_consent"
    POST_CONSENT = "post_consent"
    POST_REFUSAL = "post_refusal"


class Verdict(str, Enum):
    """A rule's or an article's outcome, ordered by severity."""

    NOT_APPLICABLE = "not_applicable"
    PASS = "pass"
    INCONCLUSIVE = "inconclusive"
    FAIL = "fail"
    ERROR = "error"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @staticmethod
    def worst(verdicts: list[Verdict]) -> Verdict:
        """error > fail > inconclusive > pass > not_applicable; empty → not_applicable."""
        return max(verdicts, key=_SEVERITY.__getitem__, default=Verdict.NOT_APPLICABLE)


_SEVERITY = {
    Verdict.NOT_APPLICABLE: 0,
    Verdict.PASS: 1,
    Verdict.INCONCLUSIVE: 2,
    Verdict.FAIL: 3,
    Verdict.ERROR: 4,
}
