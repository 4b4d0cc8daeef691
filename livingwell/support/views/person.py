"""Pages of one person's support: the overview, asking for a different worker, and what they ask for.

The same pages serve the person (worded "you") and staff (worded by the person's name).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.people.models import Person
from livingwell.people.presenters import record_header
from livingwell.support.forms.person import AskForChangeForm, WantedForm
from livingwell.support.presenters import person as presenters
from livingwell.support.presenters.moving_on import moving_on_links
from livingwell.support.selectors import periods as selectors
from livingwell.support.services import periods as services


@login_required
@require_http_methods(["GET"])
def overview(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        found = selectors.support_overview(user=request.user, person_id=person_id, request=request)
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    context = presenters.overview_context(found)
    context["moving_on_links"] = moving_on_links(
        user=request.user, person=found.person, access=found.access, own=found.own
    )
    return render(request, "support/overview.jinja", context)


def _asking(request: AuthenticatedRequest, person_id: uuid.UUID) -> selectors.AskingFor:
    try:
        return selectors.asking_for(
            user=request.user, person_id=person_id, shown=request.method == "GET", request=request
        )
    except Person.DoesNotExist:
        raise Http404("No such person") from None


def _chosen_period(asking: selectors.AskingFor, wanted: str) -> Any:
    return next((p for p in asking.periods if str(p.pk) == wanted), asking.periods[0] if asking.periods else None)


def _wish_page(request: AuthenticatedRequest, person_id: uuid.UUID, *, change: bool) -> HttpResponse:
    """Asking for a different worker (`change`), or changing what the person asks for in a worker."""
    asking = _asking(request, person_id)
    person, own = asking.person, asking.own
    name = person.display_name
    overview_href = reverse("person_support:overview", args=[person.pk])
    head_title = (
        ("Ask for a different worker" if own else f"Ask for a different worker for {name}")
        if change
        else ("What you would like in a worker" if own else f"What {name} would like in a worker")
    )
    context: dict[str, Any] = {
        "person": person,
        "own": own,
        "title": head_title,
        "record_head": record_header(person, asking.access, own=own, current="support", title=head_title),
        "back_href": overview_href,
        "change": change,
    }
    if not asking.periods:
        return render(request, "support/worker_wish.jinja", {**context, "form": None})
    current_workers = {a.worker_id for a in asking.current_workers.values()}
    workers = selectors.team_workers([p.team for p in asking.periods])
    choices = [(str(u.pk), f"{u.name} ({roles})") for u, roles in workers if not change or u.pk not in current_workers]
    by_id = {str(u.pk): u for u, _roles in workers}
    period = _chosen_period(asking, request.GET.get("period", ""))
    form_class: type[AskForChangeForm | WantedForm] = AskForChangeForm if change else WantedForm
    initial: dict[str, Any] = {"period": str(period.pk)}
    if not change:
        initial |= {
            "wanted_kind": period.wanted_kind,
            "wanted_worker": str(period.wanted_worker_id or ""),
            "wanted_note": period.wanted_note,
        }
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial=initial,
        name=None if own else name,
        periods=[(str(p.pk), p.team.name) for p in asking.periods],
        workers=choices,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        period = _chosen_period(asking, data.get("period") or str(period.pk))
        wanted_worker = by_id.get(data["wanted_worker"]) if data["wanted_worker"] else None
        try:
            if change:
                services.change_request_make(
                    actor=request.user,
                    period=period,
                    wanted_kind=data["wanted_kind"],
                    wanted_worker=wanted_worker,
                    reason=data["reason"],
                    request=request,
                )
            else:
                services.wanted_worker_change(
                    actor=request.user,
                    period=period,
                    wanted_kind=data["wanted_kind"],
                    wanted_worker=wanted_worker,
                    wanted_note=data["wanted_note"],
                    request=request,
                )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if change:
                messages.success(
                    request,
                    "You have asked for a different worker. The team leader will answer soon"
                    if own
                    else f"Asked for a different worker for {name}. The team leader will answer",
                )
            else:
                messages.success(
                    request,
                    "What you would like in a worker is saved"
                    if own
                    else f"What {name} would like in a worker is saved",
                )
            return redirect(overview_href)
    waiting = change and period.pk in asking.open_requests
    no_worker = change and period.pk not in asking.current_workers
    return render(
        request,
        "support/worker_wish.jinja",
        {
            **context,
            "form": form,
            "waiting": waiting,
            "no_worker": no_worker,
            "wanted_href": reverse("person_support:wanted", args=[person.pk]),
            "current_workers": presenters.current_workers_text(asking, own=own),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ask_for_change(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    return _wish_page(request, person_id, change=True)


@login_required
@require_http_methods(["GET", "POST"])
def wanted(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    return _wish_page(request, person_id, change=False)
