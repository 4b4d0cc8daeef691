"""The privacy officer's pages: the audit trail and the review of emergency access."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from livingwell.audit import services
from livingwell.audit.forms import LogFilterForm, ReviewForm
from livingwell.audit.models import Action, AuditEvent, Basis, BreakGlass, Part, ReviewOutcome
from livingwell.audit.policy import roles_of
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Role
from livingwell.people.presenters import access_log_rows


def privacy_officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if Role.PRIVACY_OFFICER not in roles_of(request.user):
            raise services.refuse(
                actor=request.user,
                action=Action.VIEW,
                reason="Audit trail is for privacy officers",
                request=request,
                message="Only privacy officers can see the audit trail.",
            )
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@privacy_officer_required
@require_http_methods(["GET"])
def log(request: AuthenticatedRequest) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_valid():
        if form.cleaned_data["person"]:
            events = events.filter(person_id=form.cleaned_data["person"])
        if form.cleaned_data["actor"]:
            events = events.filter(actor__email__iexact=form.cleaned_data["actor"].strip())
        if form.cleaned_data["outcome"]:
            events = events.filter(outcome=form.cleaned_data["outcome"])
    page = Paginator(events.order_by("-occurred_at", "-id"), 50).get_page(request.GET.get("page", 1))
    rows = [(event, row) for event, row in zip(page.object_list, access_log_rows(page.object_list), strict=True)]
    return render(
        request, "audit/log.jinja", {"form": form, "page": page, "rows": rows, "query": request.GET.urlencode()}
    )


@privacy_officer_required
@require_http_methods(["GET"])
def break_glass_list(request: AuthenticatedRequest) -> HttpResponse:
    grants = BreakGlass.objects.select_related("user", "person", "reviewed_by").order_by("reviewed_at", "-started_at")
    to_review = [g for g in grants if g.reviewed_at is None]
    reviewed = [g for g in grants if g.reviewed_at is not None][:50]
    services.record_many(
        actor=request.user,
        action=Action.LIST,
        people=[(g.person_id, Basis.PRIVACY) for g in [*to_review, *reviewed]],
        parts=[Part.IDENTITY],
        detail={"list": "emergency access reviews"},
        request=request,
    )
    return render(request, "audit/break_glass_list.jinja", {"to_review": to_review, "reviewed": reviewed})


@privacy_officer_required
@require_http_methods(["GET", "POST"])
def break_glass_review(request: AuthenticatedRequest, grant_id: uuid.UUID) -> HttpResponse:
    grant = get_object_or_404(BreakGlass.objects.select_related("user", "person"), pk=grant_id)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        services.record(
            actor=request.user,
            action=Action.VIEW,
            person_id=grant.person_id,
            parts=[Part.IDENTITY],
            basis=Basis.PRIVACY,
            detail={"break_glass": str(grant.pk)},
            request=request,
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass_review(
                reviewer=request.user,
                grant=grant,
                outcome=ReviewOutcome(form.cleaned_data["outcome"]),
                note=form.cleaned_data["note"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Review saved")
            return redirect("audit:break_glass_list")
    return render(request, "audit/break_glass_review.jinja", {"form": form, "grant": grant, "back_href": "../"})
