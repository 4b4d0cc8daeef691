"""Curating the directory: staff add and change offers, anyone signed in suggests one and sees what
happened to it, and curators review suggestions and take offers out of the directory and put them back.

Access is decided in `curation` (`is_staff`, `can_curate`); refusals are audited there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from livingwell.core.concurrency import EditConflict, show_conflict
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Site
from livingwell.people import selectors as people

from . import curation, presenters, search
from .forms_curation import NoteForm, OfferForm, PublishForm, ReasonForm
from .models import Curation, Origin, Service
from .search import CategoryChoice


def _user_site(request: AuthenticatedRequest) -> Site | None:
    from .views import _site  # the site whose directory the user sees (the search page's rule)

    return _site(request, None, people.own_person(request.user))


def _categories(site: Site, service: Service | None = None) -> list[CategoryChoice]:
    """The categories listed offers use, and the offer's own (it may be the only one using them)."""
    choices = search.category_choices(site)
    if service is not None:
        known = {c.id for c in choices}
        extra = [CategoryChoice(id=t.pk, name=t.name, count=0) for t in service.terms.all() if t.pk not in known]
        choices = sorted([*choices, *extra], key=lambda c: (c.name, c.id))
    return choices


def _offer(site: Site | None, service_id: str) -> Service:
    service = curation.offer_for_curation(site=site, service_id=service_id) if site is not None else None
    if service is None:
        raise Http404("No such offer")
    return service


def _form_page(request: AuthenticatedRequest, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("conflict", None)
    return render(request, "community/curation/offer_form.jinja", context)


@login_required
@require_http_methods(["GET", "POST"])
def offer_add(request: AuthenticatedRequest) -> HttpResponse:
    site = curation.require_staff(request.user, curation.staff_site(request.user), request)
    form = OfferForm(request.POST if request.method == "POST" else None, categories=_categories(site))
    if request.method == "POST" and form.is_valid():
        try:
            service = curation.offer_add(actor=request.user, site=site, answers=form.answers(), request=request)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{service.name} added to the directory")
            return redirect("community:offer", service_id=service.pk)
    return _form_page(
        request,
        {
            "title": "Add an offer to the directory",
            "intro": "It goes into the directory straight away. You can change it later.",
            "form": form,
            "button": "Add to the directory",
            "back_href": reverse("community:search"),
            "suggest_href": reverse("community:suggest"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_suggest(request: AuthenticatedRequest) -> HttpResponse:
    site = _user_site(request)
    if site is None:
        raise Http404("There is no directory yet")
    form = OfferForm(request.POST if request.method == "POST" else None, categories=_categories(site))
    if request.method == "POST" and form.is_valid():
        try:
            service = curation.offer_suggest(actor=request.user, site=site, answers=form.answers(), request=request)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"Thank you for suggesting {service.name}. A Hub coordinator will look at it before it appears.",
            )
            return redirect("community:suggestions")
    return _form_page(
        request,
        {
            "title": "Suggest an offer",
            "intro": (
                "Tell us about a group, club, activity or place that helps people, including informal groups "
                "such as a walking group that meets in the park. A Hub coordinator checks each suggestion "
                "before it appears in the directory, and you can see what happened to it."
            ),
            "form": form,
            "button": "Send suggestion",
            "back_href": reverse("community:search"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_change(request: AuthenticatedRequest, service_id: str) -> HttpResponse:
    site = curation.require_staff(request.user, curation.staff_site(request.user), request)
    service = _offer(site, service_id)
    if service.origin == Origin.IMPORTED:
        raise Http404("Imported offers are changed by their publisher")
    reviewing = service.curation == Curation.SUGGESTED and curation.can_curate(request.user, site)
    back = (
        reverse("community:review", args=[service.pk]) if reviewing else reverse("community:offer", args=[service.pk])
    )
    initial = {**curation.form_initial_from_document(service.document), "version": service.version}
    form = OfferForm(
        request.POST if request.method == "POST" else None,
        categories=_categories(site, service),
        initial=initial,
        versioned=True,
    )
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        try:
            service = curation.offer_change(
                actor=request.user,
                service_id=service.pk,
                answers=form.answers(),
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except EditConflict as error:
            show_conflict(form, error)
            conflict = error
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{service.name} saved")
            return redirect(back)
    return _form_page(
        request,
        {
            "title": f"Change {service.name}",
            "intro": "",
            "form": form,
            "button": "Save changes",
            "back_href": back,
            "conflict": conflict,
        },
    )


@login_required
@require_http_methods(["GET"])
def suggestions(request: AuthenticatedRequest) -> HttpResponse:
    rows = [presenters.suggestion_row(s) for s in curation.suggestions_of(request.user)]
    return render(request, "community/curation/suggestions.jinja", {"rows": rows})


@login_required
@require_http_methods(["GET"])
def queue(request: AuthenticatedRequest) -> HttpResponse:
    site = curation.require_curator(request.user, curation.curated_site(request.user), request)
    waiting = [presenters.waiting_row(s) for s in curation.waiting(site)]
    withdrawn = [presenters.withdrawn_row(s) for s in curation.recently_withdrawn(site)]
    return render(request, "community/curation/queue.jinja", {"waiting": waiting, "withdrawn": withdrawn, "site": site})


@login_required
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedRequest, service_id: str) -> HttpResponse:
    site = curation.require_curator(request.user, curation.curated_site(request.user), request)
    service = _offer(site, service_id)
    if service.curation != Curation.SUGGESTED and request.method == "GET":
        return redirect("community:offer", service_id=service.pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    publish_form = PublishForm(request.POST if action == "publish" else None, initial={"version": service.version})
    decline_form = NoteForm(request.POST if action == "decline" else None)
    if action == "publish" and publish_form.is_valid():
        try:
            curation.suggestion_publish(
                actor=request.user,
                service_id=service.pk,
                expected_version=publish_form.cleaned_data["version"],
                request=request,
            )
        except DomainError as error:
            if error.code == "offer_moved_on":
                messages.warning(request, error.message)  # the page opens again with what is saved now
                return redirect("community:review", service_id=service.pk)
            add_domain_error(publish_form, error)
        else:
            messages.success(request, f"{service.name} is in the directory now")
            return redirect("community:queue")
    elif action == "decline" and decline_form.is_valid():
        try:
            curation.suggestion_decline(
                actor=request.user, service_id=service.pk, note=decline_form.cleaned_data["note"], request=request
            )
        except DomainError as error:
            add_domain_error(decline_form, error)
        else:
            messages.success(request, f"{service.name} was not added. The person who suggested it can read why.")
            return redirect("community:queue")
    elif action not in ("publish", "decline") and request.method == "POST":
        publish_form.add_error(None, "Choose whether to publish the suggestion or not add it")
    return render(
        request,
        "community/curation/review.jinja",
        {
            "offer": presenters.offer_detail(service),
            "service": service,
            "about": presenters.suggestion_about(service),
            "publish_form": publish_form,
            "decline_form": decline_form,
            "change_href": reverse("community:offer_change", args=[service.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_withdraw(request: AuthenticatedRequest, service_id: str) -> HttpResponse:
    site = curation.require_curator(request.user, curation.curated_site(request.user), request)
    service = _offer(site, service_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if service.curation != Curation.PUBLISHED:
        messages.info(request, f"{service.name} is not in the directory")
        return redirect("community:offer", service_id=service.pk)
    if request.method == "POST" and form.is_valid():
        try:
            curation.offer_withdraw(
                actor=request.user, service_id=service.pk, reason=form.cleaned_data["reason"], request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{service.name} was taken out of the directory")
            return redirect("community:offer", service_id=service.pk)
    return render(
        request,
        "community/curation/withdraw.jinja",
        {"service": service, "form": form, "imported": service.origin == Origin.IMPORTED},
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_restore(request: AuthenticatedRequest, service_id: str) -> HttpResponse:
    site = curation.require_curator(request.user, curation.curated_site(request.user), request)
    service = _offer(site, service_id)
    if service.curation != Curation.WITHDRAWN:
        messages.info(request, f"{service.name} is not taken out of the directory")
        return redirect("community:offer", service_id=service.pk)
    if request.method == "POST":
        try:
            curation.offer_restore(actor=request.user, service_id=service.pk, request=request)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{service.name} is back in the directory")
        return redirect("community:offer", service_id=service.pk)
    return render(request, "community/curation/restore.jinja", {"service": service, "why": service.curator_note})


# What the search page and an offer's page add for staff and curators (called from views.py).


def search_links(user: Any, site: Site | None) -> dict[str, Any]:
    """The links to suggest or add an offer, and for curators how many suggestions are waiting."""
    staff = site is not None and curation.is_staff(user, site)
    curator = site is not None and curation.can_curate(user, site)
    count = curation.waiting(site).count() if curator and site is not None else 0
    return {
        "add_href": reverse("community:offer_add") if staff else "",
        "suggest_href": reverse("community:suggest"),
        "suggestions_href": reverse("community:suggestions"),
        "queue_href": reverse("community:queue") if curator else "",
        "gap_href": reverse("community:gap_add") if staff else "",
        "waiting_text": (f"{count} suggestion waiting" if count == 1 else f"{count} suggestions waiting")
        if curator
        else "",
    }


def offer_for_curator(user: Any, site: Site | None, service_id: str) -> Service | None:
    """An offer that is not in the directory, for the curators of its site (else None)."""
    if site is None or not curation.can_curate(user, site):
        return None
    return curation.offer_for_curation(site=site, service_id=service_id)


def offer_actions(user: Any, service: Service) -> dict[str, Any]:
    """What an offer's page shows about where it comes from, and the links staff and curators may follow."""
    curator = curation.can_curate(user, service.site_id)
    imported = service.origin == Origin.IMPORTED
    return {
        "change_href": reverse("community:offer_change", args=[service.pk])
        if curation.can_change(user, service)
        else "",
        "withdraw_href": reverse("community:offer_withdraw", args=[service.pk])
        if curator and service.curation == Curation.PUBLISHED
        else "",
        "restore_href": reverse("community:offer_restore", args=[service.pk])
        if curator and service.curation == Curation.WITHDRAWN
        else "",
        "review_href": reverse("community:review", args=[service.pk])
        if curator and service.curation == Curation.SUGGESTED
        else "",
        "imported_from": presenters.imported_from(service) if imported else "",
        "curation_notice": presenters.curation_notice(service) if service.curation != Curation.PUBLISHED else "",
    }
