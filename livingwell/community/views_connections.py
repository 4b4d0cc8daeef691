"""Pages of a person's community offers: their connections (a page of their record), connecting them to
an offer, moving a connection on, and recording a need that no offer met.

The same pages serve staff and the person (worded for "you"); the selectors and services in
`connections.py` decide who may read or change, and audit both.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from livingwell.audit.models import Part
from livingwell.core.concurrency import EditConflict, show_conflict
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.people.models import Person
from livingwell.people.presenters import record_header

from . import connections as svc
from . import presenters_connections as present
from .forms_connections import ConnectForm, GapForm, MoveForm, date_or_default
from .models import Connection
from .search import category_choices


def _own(request: AuthenticatedRequest, person: Person) -> bool:
    return person.user_id is not None and person.user_id == request.user.pk


def _list_url(person_id: uuid.UUID, anchor: str = "") -> str:
    url = reverse("connections:list", args=[person_id])
    return f"{url}#{anchor}" if anchor else url


def _search_href(person: Person, own: bool) -> str:
    return reverse("community:search") + ("" if own else f"?for={person.pk}")


@login_required
@require_http_methods(["GET"])
def connection_list(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        found = svc.person_connections(user=request.user, person_id=person_id, request=request)
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    person = found.person
    own = _own(request, person)
    may_change = found.access.can_change(Part.NETWORK)
    name = person.display_name
    context = {
        "record_head": record_header(person, found.access, own=own, current="connections"),
        "own": own,
        "name": name,
        "cards": present.connection_cards(found.connections, person=person, own=own, may_change=may_change),
        "gaps": present.gap_lines(found.gaps),
        "may_change": may_change,
        "search_href": _search_href(person, own),
        "search_text": "Find an offer near your home" if own else f"Find an offer near {name}’s home",  # noqa: RUF001
        "gap_href": reverse("connections:gap", args=[person.pk]),
        "gap_text": "Tell us about something you needed that no offer met" if own else "Record a need no offer met",
    }
    return render(request, "community/connections/list.jinja", context)


@login_required
@require_http_methods(["GET", "POST"])
def connect(request: AuthenticatedRequest, person_id: uuid.UUID, service_id: str) -> HttpResponse:
    try:
        found = svc.person_for_network_change(
            user=request.user, person_id=person_id, shown=request.method == "GET", request=request
        )
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    person = found.person
    service = svc.listed_offer(site=person.site, service_id=service_id)
    if service is None:
        raise Http404("No such offer")
    own = _own(request, person)
    name = person.display_name
    existing = svc.open_connection_to(person, service.pk)
    initial = {} if own else {"follow_up_on": timezone.localdate() + svc.FOLLOW_UP_AFTER}
    form = ConnectForm(request.POST if request.method == "POST" else None, own=own, name=name, initial=initial)
    if request.method == "POST" and existing is None and form.is_valid():
        data = form.cleaned_data
        try:
            connection = svc.connect(
                actor=request.user,
                person_id=person.pk,
                service_id=service.pk,
                stage=data["stage"],
                note=data.get("note", ""),
                follow_up_on=date_or_default(form),
                request=request,
            )
        except svc.AlreadyConnected as error:
            existing = error.connection
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"{service.name} added to your community offers" if own else f"{name} connected to {service.name}",
            )
            return redirect(_list_url(person.pk, f"connection-{connection.pk}"))
    context = {
        "form": form,
        "own": own,
        "name": name,
        "offer": service.name,
        "organisation": service.organization.name if service.organization else "",
        "offer_href": present.offer_href(service.pk, person, own=own),
        "title": "Would you like to try this?" if own else f"Connect {name} to {service.name}",
        "back_href": present.offer_href(service.pk, person, own=own),
        "existing": existing,
        "existing_tag": present.stage_tag(existing.stage, own=own) if existing else None,
        "existing_href": reverse("connections:update", args=[person.pk, existing.pk]) if existing else "",
    }
    return render(request, "community/connections/connect.jinja", context)


@login_required
@require_http_methods(["GET", "POST"])
def update(request: AuthenticatedRequest, person_id: uuid.UUID, connection_id: uuid.UUID) -> HttpResponse:
    try:
        found = svc.connection_for_change(
            user=request.user,
            person_id=person_id,
            connection_id=connection_id,
            shown=request.method == "GET",
            request=request,
        )
    except (Person.DoesNotExist, Connection.DoesNotExist):
        raise Http404("No such connection") from None
    person, connection = found.person, found.connection
    own = _own(request, person)
    name = person.display_name
    stages = svc.moves_from(connection.stage, own=own)
    form = MoveForm(
        request.POST if request.method == "POST" else None,
        stages=stages,
        current=connection.stage,
        own=own,
        name=name,
        initial={"version": connection.version},
    )
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moved = svc.connection_move(
                actor=request.user,
                connection_id=connection.pk,
                stage=data["stage"],
                note=data.get("note", ""),
                why_not=data.get("why_not", ""),
                follow_up_on=date_or_default(form),
                expected_version=data["version"],
                request=request,
            )
        except EditConflict as error:
            show_conflict(form, error)
            conflict = error
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Connection to {connection.service.name} updated")
            return redirect(_list_url(person.pk, f"connection-{moved.pk}"))
    card = present.connection_cards([connection], person=person, own=own, may_change=False)[0]
    context = {
        "form": form,
        "conflict": conflict,
        "own": own,
        "name": name,
        "card": card,
        "title": f"Update: {connection.service.name}",
        "caption": "Your community offers" if own else name,
        "back_href": _list_url(person.pk, card.id),
    }
    return render(request, "community/connections/update.jinja", context)


@login_required
@require_http_methods(["GET", "POST"])
def gap(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        found = svc.person_for_network_change(
            user=request.user, person_id=person_id, shown=request.method == "GET", request=request
        )
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    person = found.person
    own = _own(request, person)
    categories = [(c.id, c.name) for c in category_choices(person.site)]
    localities = svc.locality_choices(person.site)
    form = GapForm(
        request.POST if request.method == "POST" else None,
        categories=categories,
        localities=localities,
        initial={"locality": str(person.locality_id) if person.locality_id else ""},
    )
    if own:
        form.fields["need"].label = "What did you need?"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            svc.gap_record(
                actor=request.user,
                site=person.site,
                need=data["need"],
                term=data.get("term") or None,
                locality=data.get("locality") or None,
                person_id=person.pk,
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Thank you: the need is recorded" if own else "Need recorded")
            return redirect(_list_url(person.pk, "needs"))
    context = {
        "form": form,
        "own": own,
        "name": person.display_name,
        "title": "Something you needed that no offer met" if own else "Record a need no offer met",
        "caption": "Your community offers" if own else person.display_name,
        "back_href": _list_url(person.pk),
        "search_href": _search_href(person, own),
    }
    return render(request, "community/connections/gap.jinja", context)


@login_required
@require_http_methods(["GET", "POST"])
def gap_without_person(request: AuthenticatedRequest) -> HttpResponse:
    """Staff record a need that no offer met without naming anyone (heard at a group, a drop-in, a
    meeting with partners); the service refuses, and audits the refusal, for anyone not on the staff."""
    site = svc.staff_site_of(request.user)
    if site is None:
        raise svc.refuse_gap(actor=request.user, request=request)
    form = GapForm(
        request.POST if request.method == "POST" else None,
        categories=[(c.id, c.name) for c in category_choices(site)],
        localities=svc.locality_choices(site),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            svc.gap_record(
                actor=request.user,
                site=site,
                need=data["need"],
                term=data.get("term") or None,
                locality=data.get("locality") or None,
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Need recorded. Thank you: it is counted for the Living Well Collaborative")
            return redirect("community:search")
    context = {
        "form": form,
        "own": False,
        "name": "",
        "title": "Record a need no offer met",
        "caption": "Community offers",
        "back_href": reverse("community:search"),
        "search_href": reverse("community:search"),
    }
    return render(request, "community/connections/gap.jinja", context)
