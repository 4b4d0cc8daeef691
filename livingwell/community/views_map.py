"""The map of a search's offers, as GeoJSON for the search page's map (which draws it with Leaflet).

It takes the same GET parameters as the search page and finds the same offers, with the same rules:
anyone signed in may ask; a search near a person's home (`for=`) reads their contact details through
the access policy, which audits the read or the refusal. Bad parameters give RFC 9457 problem details.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_http_methods

from livingwell.api.problems import problem
from livingwell.audit.models import Part
from livingwell.audit.services import AccessRefused
from livingwell.core.errors import DomainError
from livingwell.core.requests import AuthenticatedRequest
from livingwell.people import selectors as people
from livingwell.people.models import Person

from . import mapping
from .forms import OfferSearchForm
from .geo import display_postcode
from .models import TaxonomyTerm
from .search import CategoryChoice
from .views import _site

GEOJSON = "application/geo+json"


def _categories(request: AuthenticatedRequest) -> list[CategoryChoice]:
    """The categories asked for that exist (the form refuses any other), in one query, or none."""
    asked = [value for value in request.GET.getlist("category") if value][:100]
    if not asked:
        return []
    return [
        CategoryChoice(id=pk, name=name, count=0)
        for pk, name in TaxonomyTerm.objects.filter(id__in=asked).values_list("pk", "name")
    ]


@login_required
@require_http_methods(["GET"])
def offers_geojson(request: AuthenticatedRequest) -> HttpResponse:
    person: Person | None = None
    link_for = False  # the offers link to their pages for this person, to connect them (as the list does)
    for_id = request.GET.get("for", "").strip()
    mine = people.own_person(request.user)
    if not for_id and mine is not None:
        for_id = str(mine.pk)
    if for_id:
        try:
            found = people.person_part(
                user=request.user, person_id=uuid.UUID(for_id), part=Part.CONTACT, shown=True, request=request
            )
            person = found.person
            link_for = found.access.can_read(Part.NETWORK) and person.user_id != request.user.pk
        except (ValueError, Person.DoesNotExist):
            return problem(request, status=404, title="No such person", code="not-found")
        except AccessRefused as refused:
            return problem(request, status=403, title="Access refused", detail=refused.message, code="access-refused")
    own = person is not None and person.user_id == request.user.pk
    home_label = ""
    if person is not None and person.postcode:
        whose = "Your home" if own else f"{person.display_name}’s home"  # noqa: RUF001
        home_label = f"{whose} ({display_postcode(person.postcode)})"
    form = OfferSearchForm(
        request.GET,
        categories=_categories(request),
        home_label=home_label,
        home_postcode=person.postcode if person is not None else "",
    )
    if not form.is_valid():
        errors = [
            {"field": name, "message": str(message)} for name, messages in form.errors.items() for message in messages
        ]
        return problem(
            request,
            status=400,
            title="The search is not valid",
            detail=errors[0]["message"],
            code="invalid-search",
            errors=errors,
        )
    filters = form.filters()
    near_home = bool(form.cleaned_data.get("near_home") and home_label)
    site = _site(request, person, mine)
    if site is None:
        offers = mapping.OfferMap(points=[], total=0, place=None)
    else:
        try:
            offers = mapping.offer_map(site=site, filters=filters)
        except DomainError as error:
            message = (
                "We cannot find where this home postcode is. Search near another postcode."
                if near_home and error.field == "postcode"
                else error.message
            )
            field = "near_home" if near_home and error.field == "postcode" else (error.field or "")
            return problem(
                request,
                status=400,
                title="The search is not valid",
                detail=message,
                code=error.code,
                errors=[{"field": field, "message": message}],
            )
    label = home_label if near_home else display_postcode(filters.postcode)
    collection = mapping.feature_collection(
        offers, place_label=label, for_id=str(person.pk) if person is not None and link_for else ""
    )
    response = JsonResponse(collection, content_type=GEOJSON)
    response["Cache-Control"] = "private, no-store"
    return response
