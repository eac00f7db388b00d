"""How a test that needs an outside service (PostgreSQL, pcscd, tmux) reacts when it is missing.

On a developer's laptop it skips with the reason; on CI (TUIHUO_REQUIRE_SERVICES=1, set by
.ci/run, which installs every service) a missing service is a failure, never a silent skip.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def services_required() -> bool:
    return os.environ.get("TUIHUO_REQUIRE_SERVICES", "") not in ("", "0")


def missing_service(reason: str) -> NoReturn:
    """Skip (laptop) or fail (CI) because `reason` names a service that cannot be had."""
    if services_required():
        pytest.fail(f"required service missing on CI: {reason}", pytrace=False)
    pytest.skip(reason)
