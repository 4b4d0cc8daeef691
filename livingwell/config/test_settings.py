"""Settings for pytest: the normal settings with LIVINGWELL_ENV=test (unless the caller chose otherwise)."""

import os

os.environ.setdefault("LIVINGWELL_ENV", "test")

from livingwell.config.settings import *  # noqa: F403
