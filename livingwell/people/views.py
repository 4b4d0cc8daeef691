"""Pages for people's records: search, the record itself, changing each part, and the person's own view."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from livingwell.audit import services as audit
from livingwell.audit.models import Part
from livingwell.core.concurrency import EditConflict, show_conflict
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.messaging.models import MessageStatus
from livingwell.people import forms, invitations, presenters, selectors, services
from livingwell.people.models import Person


def _part(
    request: AuthenticatedRequest, person_id: uuid.UUID | str, part: Part, *, change: bool = False
) -> selectors.PersonPart:
    """The person, for a page about one part: refused and audited by the selector when not allowed."""
    try:
        return selectors.person_part(
            user=request.user,
            person_id=person_id,
            part=part,
            change=change,
            shown=request.method == "GET",
            request=request,
        )
    except Person.DoesNotExist:
        raise Http404("No such person") from None


def _record(
    request: AuthenticatedRequest, person_id: uuid.UUID | str, *, with_support: bool = False
) -> selectors.PersonRecord:
    try:
        return selectors.person_record(
            user=request.user, person_id=person_id, request=request, with_support=with_support
        )
    except Person.DoesNotExist:
        raise Http404("No such person") from None


@login_required
@require_http_methods(["GET"])
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET)
    query = form.data.get("q", "").strip()[:100]
    page = selectors.person_search(user=request.user, query=query, page=request.GET.get("page", 1), request=request)
    return render(
        request,
        "people/list.jinja",
        {"form": form, "query": query, "page": page, "rows": presenters.person_rows(page.object_list)},
    )


@login_required
@require_http_methods(["GET"])
def person_record(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    record = _record(request, person_id)
    return render(request, "people/record.jinja", presenters.record_context(record, own=False))


@login_required
@require_http_methods(["GET"])
def me(request: AuthenticatedRequest) -> HttpResponse:
    """The start of the person's own record: their support, a card for each part, and the record itself."""
    person = selectors.own_person(request.user)
    if person is None:
        return redirect("core:home")
    record = _record(request, person.pk, with_support=True)
    return render(request, "people/record.jinja", presenters.record_context(record, own=True))


@login_required
@require_http_methods(["GET"])
def my_access_log(request: AuthenticatedRequest) -> HttpResponse:
    person = selectors.own_person(request.user)
    if person is None:
        return redirect("core:home")
    events = selectors.own_access_log(user=request.user, request=request)  # checks and records the look
    access = selectors.person_part(user=request.user, person_id=person.pk, part=Part.ACCESS_LOG, shown=False).access
    return render(
        request,
        "people/access_log.jinja",
        {
            "rows": presenters.access_log_rows(events),
            "back_href": reverse("people:me"),
            "record_head": presenters.record_header(person, access, own=True, current="access_log"),
        },
    )


def _record_url(request: AuthenticatedRequest, person: Person) -> str:
    if person.user_id is not None and person.user_id == request.user.pk:
        return reverse("people:me")
    return reverse("people:record", args=[person.pk])


PART_TITLES = {
    Part.IDENTITY: "Name, date of birth and NHS number",
    Part.ABOUT: "About me",
    Part.CONTACT: "Contact details",
    Part.EQUITY: "Equality monitoring",
    Part.STORY: "My story",
}


@login_required
@require_http_methods(["GET", "POST"])
def change_part(request: AuthenticatedRequest, person_id: uuid.UUID, part: str) -> HttpResponse:
    try:
        chosen = Part(part)
    except ValueError:
        raise Http404("No such part") from None
    if chosen not in PART_TITLES:
        raise Http404("No such part")
    person = _part(request, person_id, chosen, change=True).person
    if chosen == Part.STORY:
        form_class: type[Any] = forms.StoryForm
        story = getattr(person, "story", None)  # read only after the policy allowed this part
        initial = {f: getattr(story, f, "") for f in services.STORY_FIELDS}
        initial["version"] = story.version if story else 1
    else:
        form_class = forms.PART_FORMS[chosen]
        initial = forms.initial_for(chosen, person)
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        try:
            if chosen == Part.STORY:
                data = dict(form.cleaned_data)
                changed = services.story_change(
                    actor=request.user,
                    person=person,
                    data=data,
                    expected_version=data.pop("version"),
                    request=request,
                )
            else:
                changed = services.person_change(
                    actor=request.user, person=person, part=chosen, data=dict(form.cleaned_data), request=request
                )
        except EditConflict as error:
            show_conflict(form, error)
            conflict = error
        except DomainError as error:
            add_domain_error(form, error)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"{PART_TITLES[chosen]} saved" if changed else "Nothing was changed")
            return redirect(_record_url(request, person))
    return render(
        request,
        "people/change_part.jinja",
        {
            "form": form,
            "person": person,
            "title": PART_TITLES[chosen],
            "back_href": _record_url(request, person),
            "conflict": conflict,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_relationship(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    person = _part(request, person_id, Part.NETWORK, change=True).person
    form = forms.RelationshipForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.relationship_add(actor=request.user, person=person, data=form.cleaned_data, request=request)
        messages.success(request, f"{form.cleaned_data['name']} added to the network")
        return redirect(_record_url(request, person))
    return render(
        request,
        "people/relationship_add.jinja",
        {"form": form, "person": person, "back_href": _record_url(request, person)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_relationship(
    request: AuthenticatedRequest, person_id: uuid.UUID, relationship_id: uuid.UUID
) -> HttpResponse:
    person = _part(request, person_id, Part.NETWORK, change=True).person
    relationship = person.relationships.filter(pk=relationship_id).first()
    if relationship is None:
        raise Http404("No such relationship")
    form = forms.RelationshipForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(relationship, name) for name in services.RELATIONSHIP_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.relationship_change(
                actor=request.user, relationship=relationship, data=dict(form.cleaned_data), request=request
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"{relationship.name} saved" if changed else "Nothing was changed")
            return redirect(_record_url(request, person) + "#network")
    return render(
        request,
        "people/relationship_add.jinja",
        {
            "form": form,
            "person": person,
            "title": f"Change what the record says about {relationship.name}",
            "button_text": "Save",
            "back_href": _record_url(request, person) + "#network",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    """Their team or worker invites the person to read their record online, by email."""
    try:
        found = selectors.person_to_invite(
            user=request.user, person_id=person_id, shown=request.method == "GET", request=request
        )
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    person = found.person
    status = invitations.online_status(person)
    first = person.preferred_name or person.given_name
    form = (
        forms.InviteForm(
            request.POST if request.method == "POST" else None, initial={"email": status.email or person.email}
        )
        if status.may_send_again
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            made = invitations.person_invite(
                actor=request.user, person=person, email=form.cleaned_data["email"], request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        except ValidationError as error:
            form.add_error("email", error.message_dict.get("email", error.messages))
        else:
            if made.message.status == MessageStatus.FAILED:
                messages.warning(
                    request,
                    f"The invitation to {made.user.email} could not be sent. It is kept in the outbox. "
                    "Check the email address, or send it again later",
                )
            else:
                messages.success(request, f"Invitation sent to {made.user.email}")
            return redirect(reverse("people:record", args=[person.pk]) + "#online")
    again = status.times_sent > 0 and status.may_send_again
    title = "Send the invitation again" if again else f"Invite {first} to read their record online"
    return render(
        request,
        "people/invite.jinja",
        {
            "form": form,
            "person": person,
            "first_name": first,
            "title": title,
            "again": again,
            "online": presenters.online_context(person, status),
            "record_head": presenters.record_header(person, found.access, own=False, current="", title=title),
            "back_href": reverse("people:record", args=[person.pk]),
        },
    )


@login_required
@require_POST
def remove_relationship(
    request: AuthenticatedRequest, person_id: uuid.UUID, relationship_id: uuid.UUID
) -> HttpResponse:
    person = _part(request, person_id, Part.NETWORK, change=True).person
    relationship = person.relationships.filter(pk=relationship_id).first()
    if relationship is None:
        raise Http404("No such relationship")
    services.relationship_remove(actor=request.user, relationship=relationship, request=request)
    messages.success(request, f"{relationship.name} removed from the network")
    return redirect(_record_url(request, person))


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    found = _part(request, person_id, Part.SHARING)
    person = found.person
    form = forms.ShareForm(request.POST if request.method == "POST" else None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_give(
                actor=request.user, person=person, organisation=form.cleaned_data["organisation"], request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Now sharing with {form.cleaned_data['organisation'].name}")
            return redirect(reverse("people:sharing", args=[person.pk]))
    return render(
        request,
        "people/sharing.jinja",
        {
            "form": form,
            "person": person,
            "current": person.sharing_consents.current().select_related("organisation").order_by("-given_at"),
            "can_change": found.access.can_change(Part.SHARING),
            "own": person.user_id == request.user.pk,
            "back_href": _record_url(request, person),
        },
    )


@login_required
@require_POST
def stop_sharing(request: AuthenticatedRequest, person_id: uuid.UUID, consent_id: uuid.UUID) -> HttpResponse:
    person = _part(request, person_id, Part.SHARING, change=True).person
    consent = person.sharing_consents.select_related("organisation").filter(pk=consent_id).first()
    if consent is None:
        raise Http404("No such agreement")
    services.consent_withdraw(actor=request.user, consent=consent, request=request)
    messages.success(request, f"Stopped sharing with {consent.organisation.name}. They can no longer see the record")
    return redirect(reverse("people:sharing", args=[person.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def emergency_lookup(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.EmergencyLookupForm(request.POST if request.method == "POST" else None)
    matches = None
    if request.method == "POST" and form.is_valid():
        matches = selectors.emergency_lookup(user=request.user, request=request, **form.cleaned_data)
    elif request.method == "GET" and not selectors.may_break_glass(request.user):
        raise audit.refuse(
            actor=request.user,
            action=audit.Action.SEARCH,
            reason="Role may not use emergency access",
            request=request,
            message="Your role cannot use emergency access.",
        )
    return render(request, "people/emergency_lookup.jinja", {"form": form, "matches": matches})


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        person = selectors.emergency_candidate(user=request.user, person_id=person_id, request=request)
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    form = forms.BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            audit.break_glass_open(
                user=request.user,
                person=person,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("people:record", person_id=person.pk)
    return render(
        request,
        "people/break_glass.jinja",
        {"form": form, "person_name": person.display_name, "back_href": reverse("people:emergency")},
    )
