"""Finding community offers: the search page (a GET form that works without JavaScript) and an offer's
page. Anyone signed in may search: the directory is not person data. Searching near a person's home
reads their contact details, so it goes through the access policy and is audited."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from livingwell.audit.models import Part
from livingwell.audit.policy import current_memberships
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Site
from livingwell.people import selectors as people
from livingwell.people.models import Person

from . import connections, presenters, search, views_curation
from . import presenters_connections as connections_presenters
from .forms import OfferSearchForm
from .geo import display_postcode

PER_PAGE = 20


def _site(request: AuthenticatedRequest, person: Person | None, own: Person | None) -> Site | None:
    """The site whose directory the user searches: the person's, else their own record's, else where
    they work."""
    if person is not None:
        return person.site
    if own is not None:
        return own.site
    membership = next(iter(current_memberships(request.user)), None)
    if membership is not None:
        return membership.site
    return Site.objects.order_by("name").first()


def _page_number(text: str | None) -> int:
    try:
        return max(1, int(text or 1))
    except ValueError:
        return 1


@login_required
@require_http_methods(["GET"])
def offer_search(request: AuthenticatedRequest) -> HttpResponse:
    person: Person | None = None
    link_for = False  # the offers link to their pages for this person, to connect them
    for_id = request.GET.get("for", "").strip()
    mine = people.own_person(request.user)
    if not for_id and mine is not None:
        for_id = str(mine.pk)  # a person searching for themselves: near their own home
    if for_id:
        try:
            person_id = uuid.UUID(for_id)
            found = people.person_part(
                user=request.user, person_id=person_id, part=Part.CONTACT, shown=True, request=request
            )
            person = found.person
            link_for = found.access.can_read(Part.NETWORK) and person.user_id != request.user.pk
        except (ValueError, Person.DoesNotExist):
            raise Http404("No such person") from None
    own = person is not None and person.user_id == request.user.pk
    site = _site(request, person, mine)
    categories = search.category_choices(site) if site is not None else []
    home_label = ""
    if person is not None and person.postcode:
        whose = "your home" if own else f"{person.display_name}’s home"  # noqa: RUF001
        home_label = f"Near {whose} ({display_postcode(person.postcode)})"
    asked = any(k not in ("for", "page") for k in request.GET)
    form = OfferSearchForm(
        request.GET if asked else None,
        categories=categories,
        home_label=home_label,
        home_postcode=person.postcode if person is not None else "",
    )
    results = None
    if asked and form.is_valid() and site is not None:
        try:
            results = search.offer_search(
                site=site, filters=form.filters(), page=_page_number(request.GET.get("page")), per_page=PER_PAGE
            )
        except DomainError as error:
            if form.cleaned_data.get("near_home") and error.field == "postcode":
                form.add_error("near_home", "We cannot find where this home postcode is. Search near another postcode.")
            else:
                add_domain_error(form, error)
    elif not asked and site is not None:
        results = search.offer_search(site=site, filters=search.OfferFilters(), page=1, per_page=PER_PAGE)
    context = presenters.search_context(
        request=request, form=form, results=results, person=person, own=own, link_for=link_for
    )
    context.update(views_curation.search_links(request.user, site))
    return render(request, "community/search.jinja", context)


@login_required
@require_http_methods(["GET"])
def offer(request: AuthenticatedRequest, service_id: str) -> HttpResponse:
    mine = people.own_person(request.user)
    site = _site(request, None, mine)
    listed = search.published_offer(site=site, service_id=service_id)
    service = listed or views_curation.offer_for_curator(request.user, site, service_id)  # not listed: curators only
    if service is None:
        raise Http404("No such offer")
    back = request.GET.get("back", "")
    # For a person (?for=, or the person themself): their connection to the offer, or a way to connect them.
    for_id = request.GET.get("for", "").strip()
    panel = None
    try:
        person_id = uuid.UUID(for_id) if for_id else (mine.pk if mine is not None else None)
        if person_id is not None and listed is not None:  # only offers in the directory are connected to
            found = connections.offer_for_person(
                user=request.user, person_id=person_id, service=service, request=request
            )
            panel = connections_presenters.offer_panel(found, service.pk)
    except (ValueError, Person.DoesNotExist):
        raise Http404("No such person") from None
    return render(
        request,
        "community/offer.jinja",
        {
            "offer": presenters.offer_detail(service),
            "back_href": back if back.startswith("/community/") else "",
            "for_person": panel,
            **views_curation.offer_actions(request.user, service),
        },
    )
