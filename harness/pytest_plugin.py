"""pytest plugin (entry point ``pytest11``): scenario files become test items.

Filled in by the runner work; registering the entry point early keeps pytest startable.
"""

from __future__ import annotations
