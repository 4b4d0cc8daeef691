"""A person's measures: the overview over time ("How things are going" for the person, "Measures" for
staff) and one finished measure in full.

The same pages serve the person and the people who support them; the selectors decide who may see
them (Part.MEASURES) and audit both the look and any refusal.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from livingwell.core.requests import AuthenticatedRequest
from livingwell.outcomes.models import Measure
from livingwell.outcomes.presenters import overview as presenters
from livingwell.outcomes.selectors import overview as selectors
from livingwell.people.models import Person


@login_required
@require_http_methods(["GET"])
def overview_view(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        found = selectors.measures_overview(user=request.user, person_id=person_id, request=request)
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    return render(request, "outcomes/overview/overview.jinja", presenters.overview_context(found))


@login_required
@require_http_methods(["GET"])
def detail_view(request: AuthenticatedRequest, person_id: uuid.UUID, measure_id: uuid.UUID) -> HttpResponse:
    try:
        found = selectors.measure_detail(user=request.user, person_id=person_id, measure_id=measure_id, request=request)
    except (Person.DoesNotExist, Measure.DoesNotExist):
        raise Http404("No such measure") from None
    if found.measure.is_draft:
        return redirect("measures:overview", person_id=found.person.pk)
    return render(request, "outcomes/overview/detail.jinja", presenters.detail_context(found))
