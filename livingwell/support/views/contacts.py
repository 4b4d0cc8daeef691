"""Pages of contacts and notes: the timeline, recording a contact, writing, correcting, withholding and showing notes.

The same pages serve staff and the person (worded for "you"); the selectors and services decide who
may read or write, and audit both.
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

from livingwell.access.forms import now_initial
from livingwell.audit.models import Part
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.people.models import Person
from livingwell.people.selectors import PersonPart, person_part
from livingwell.support.forms import contacts as forms
from livingwell.support.models import ContactStatus, Note
from livingwell.support.presenters import contacts as presenters
from livingwell.support.selectors import contacts as selectors
from livingwell.support.services import contacts as services


def _list_url(person: Person, anchor: str = "") -> str:
    url = reverse("contacts:list", args=[person.pk])
    return f"{url}#{anchor}" if anchor else url


def _part(request: AuthenticatedRequest, person_id: uuid.UUID) -> PersonPart:
    """The person, for a page that writes notes: refused and audited by the selector when not allowed."""
    try:
        return person_part(
            user=request.user,
            person_id=person_id,
            part=Part.NOTES,
            change=True,
            shown=request.method == "GET",
            request=request,
        )
    except Person.DoesNotExist:
        raise Http404("No such person") from None


def _note(
    request: AuthenticatedRequest, person_id: uuid.UUID, note_id: uuid.UUID, *, manage_withholding: bool = False
) -> selectors.NoteForChange:
    try:
        return selectors.note_for_change(
            user=request.user,
            person_id=person_id,
            note_id=note_id,
            request=request,
            manage_withholding=manage_withholding,
        )
    except (Person.DoesNotExist, Note.DoesNotExist):
        raise Http404("No such note") from None


@login_required
@require_http_methods(["GET"])
def contact_list(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        result = selectors.contacts_page(
            user=request.user, person_id=person_id, request=request, page=request.GET.get("page", 1)
        )
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    return render(request, "contacts/list.jinja", presenters.list_context(result))


@login_required
@require_http_methods(["GET", "POST"])
def record_contact(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    person = _part(request, person_id).person
    workers = selectors.contact_worker_choices(user=request.user, person=person)
    initial: dict[str, Any] = {
        **now_initial(),
        "status": ContactStatus.HELD,
        "withhold_because": forms.SHOWN,
        "workers": [str(w.user.pk) for w in workers if w.user.pk == request.user.pk],
    }
    form = forms.ContactForm(
        request.POST if request.method == "POST" else None, initial=initial, name=person.display_name, workers=workers
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = services.contact_record(
                actor=request.user,
                person=person,
                occurred_at=data["at"],
                mode=data["mode"],
                status=data["status"],
                duration_minutes=data.get("duration_minutes"),
                place=data.get("place") or "",
                workers=data.get("workers") or [],
                others=data.get("others") or "",
                note=data.get("note") or "",
                **forms.withhold_values(data),
                request=request,
            )
        except DomainError as error:
            if error.field == "occurred_at":
                error.field = "time"
            add_domain_error(form, error)
        else:
            messages.success(request, "Contact recorded")
            return redirect(_list_url(person, f"contact-{contact.pk}"))
    return render(
        request,
        "contacts/record.jinja",
        {"form": form, "name": person.display_name, "back_href": _list_url(person), "has_workers": bool(workers)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def write_note(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    person = _part(request, person_id).person
    form = forms.NoteForm(
        request.POST if request.method == "POST" else None,
        initial={"withhold_because": forms.SHOWN},
        name=person.display_name,
    )
    if request.method == "POST" and form.is_valid():
        try:
            note = services.note_write(
                actor=request.user,
                person=person,
                text=form.cleaned_data["text"],
                **forms.withhold_values(form.cleaned_data),
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Note saved")
            return redirect(_list_url(person, f"note-{note.pk}"))
    return render(
        request,
        "contacts/note.jinja",
        {
            "form": form,
            "name": person.display_name,
            "title": "Write a note",
            "button": "Save note",
            "back_href": _list_url(person),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct_note(request: AuthenticatedRequest, person_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    found = _note(request, person_id, note_id)
    person, original = found.person, found.note
    initial: dict[str, Any] = {"withhold_because": original.withheld_because or forms.SHOWN}
    if original.withheld_because:
        # A correction of a withheld note usually holds the same information: start from the same grounds.
        initial.update(
            withheld_reason=original.withheld_reason,
            withheld_review_on=original.withheld_review_on,
        )
    form = forms.NoteForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        name=person.display_name,
        label="The correction",
        hint=(
            "Say what was wrong and what is right. The note you are correcting stays as it was, and both are "
            f"shown. {person.display_name} can read the correction, unless you keep it from them below."
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            note = services.note_write(
                actor=request.user,
                person=person,
                text=form.cleaned_data["text"],
                corrects=original,
                **forms.withhold_values(form.cleaned_data),
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Correction saved. The note it corrects is still shown, with the correction")
            return redirect(_list_url(person, f"note-{note.pk}"))
    return render(
        request,
        "contacts/note.jinja",
        {
            "form": form,
            "name": person.display_name,
            "title": "Correct a note",
            "button": "Save correction",
            "original": presenters.note_being_changed(found),
            "back_href": _list_url(person, f"note-{original.pk}"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withhold_note(request: AuthenticatedRequest, person_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    found = _note(request, person_id, note_id, manage_withholding=True)
    person, note = found.person, found.note
    name = person.display_name
    initial: dict[str, Any] = {}
    if note.withheld_because:
        initial = {
            "withhold_because": note.withheld_because,
            "withheld_reason": note.withheld_reason,
            "withheld_review_on": note.withheld_review_on,
        }
    form = forms.WithholdForm(request.POST if request.method == "POST" else None, initial=initial, name=name)
    if request.method == "POST" and form.is_valid():
        values = forms.withhold_values(form.cleaned_data)
        try:
            services.note_withhold(
                actor=request.user,
                note=note,
                because=values["withhold_because"],
                reason=values["withheld_reason"],
                review_on=values["withheld_review_on"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"The note is kept from {name}. They can see that it exists, and why")
            return redirect(_list_url(person, f"note-{note.pk}"))
    return render(
        request,
        "contacts/withhold.jinja",
        {
            "form": form,
            "name": name,
            "title": f"Change why this note is kept from {name}"
            if note.withheld_because
            else f"Keep this note from {name}",
            "already": bool(note.withheld_because),
            "original": presenters.note_being_changed(found),
            "back_href": _list_url(person, f"note-{note.pk}"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def release_note(request: AuthenticatedRequest, person_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    found = _note(request, person_id, note_id, manage_withholding=True)
    person, note = found.person, found.note
    name = person.display_name
    if not note.withheld_because:
        messages.info(request, f"This note is already shown to {name}")
        return redirect(_list_url(person, f"note-{note.pk}"))
    if request.method == "POST":
        try:
            services.note_release(actor=request.user, note=note, request=request)
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, f"The note is now shown to {name}")
        return redirect(_list_url(person, f"note-{note.pk}"))
    return render(
        request,
        "contacts/release.jinja",
        {
            "name": name,
            "title": f"Show this note to {name}",
            "original": presenters.note_being_changed(found),
            "change_href": reverse("contacts:withhold", args=[person.pk, note.pk]),
            "back_href": _list_url(person, f"note-{note.pk}"),
        },
    )
