from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from livingwell.core.navigation import header_params


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's layout needs: the service name and the header."""
    return {
        "service_name": settings.LIVINGWELL_SERVICE_NAME,
        "header_params": header_params(request),
    }
