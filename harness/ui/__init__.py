"""The UI as uiautomator shows it: typed nodes, matchers, the consent dialog."""

from harness.ui.consent import ConsentDialog, dialog_state, find_consent
from harness.ui.errors import UiDumpError
from harness.ui.matchers import (
    DEFAULT_AGREE,
    DEFAULT_CONSENT_MATCHERS,
    DEFAULT_DIALOG,
    DEFAULT_REFUSE,
    ConsentMatchers,
    TextMatcher,
)
from harness.ui.parse import parse_hierarchy
from harness.ui.permissions import (
    allow_button,
    deny_button,
    is_permission_prompt,
    location_accuracy,
    prompt_message,
    prompt_window,
)
from harness.ui.tree import Bounds, Matcher, UiNode, UiTree

__all__ = [
    "DEFAULT_AGREE",
    "DEFAULT_CONSENT_MATCHERS",
    "DEFAULT_DIALOG",
    "DEFAULT_REFUSE",
    "Bounds",
    "ConsentDialog",
    "ConsentMatchers",
    "Matcher",
    "TextMatcher",
    "UiDumpError",
    "UiNode",
    "UiTree",
    "allow_button",
    "deny_button",
    "dialog_state",
    "find_consent",
    "is_permission_prompt",
    "location_accuracy",
    "parse_hierarchy",
    "prompt_message",
    "prompt_window",
]
