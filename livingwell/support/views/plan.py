"""Pages of the Living Well plan (being built: issue 4)."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpResponse

from livingwell.core.requests import AuthenticatedRequest


def plan_view(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    raise Http404("Not built yet")
