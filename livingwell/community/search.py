"""Searching the community directory: the filters a person or worker chooses, and one page of offers.

Only published (`Curation.PUBLISHED`), active offers of the site are found. Every filter is a
database condition, so a page costs the same few queries however many offers there are: one to
count, one for the page (with the distance to the nearest location when a place is given), one for
the page's locations and one for its weekly opening times.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from livingwell.core.errors import DomainError
from livingwell.network.models import Site

from .geo import where_is, within
from .models import Curation, Location, OpeningSlot, Service, ServiceAtLocation, ServiceStatus, TaxonomyTerm

MAX_PER_PAGE = 100
EVERYWHERE_METRES = math.pi * 6_371_008.8  # half the Earth's circumference: every place on it


@dataclass(frozen=True)
class OfferFilters:
    """What to look for. Empty values do not filter. `near` (lat, lng) wins over `postcode`."""

    text: str = ""
    term_ids: tuple[str, ...] = ()
    postcode: str = ""
    near: tuple[float, float] | None = None
    within_metres: float | None = None
    day: int | None = None  # 0 is Monday
    at: dt.time | None = None
    free_only: bool = False
    language: str = ""
    accessibility: str = ""
    age: Decimal | int | None = None

    @property
    def words(self) -> list[str]:
        return [w for w in self.text.lower().split() if w]

    @property
    def accessibility_words(self) -> list[str]:
        return [w for w in self.accessibility.lower().split() if w]


@dataclass
class OfferHit:
    service: Service
    distance: float | None  # metres to the nearest location, when a place was given
    location: Location | None  # the nearest location (or the first, when no place was given)
    slots: list[OpeningSlot] = field(default_factory=list)


@dataclass
class OfferPage:
    items: list[OfferHit]
    total: int
    page: int
    pages: int
    per_page: int
    place: tuple[float, float] | None = None

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def listed(site: Site) -> QuerySet[Service]:
    """The offers of the site that appear in the directory."""
    return Service.objects.filter(site=site, curation=Curation.PUBLISHED, status=ServiceStatus.ACTIVE)


def current_slots(today: dt.date | None = None) -> QuerySet[OpeningSlot]:
    today = today or timezone.localdate()
    return OpeningSlot.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today),
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
    )


def place_of(filters: OfferFilters) -> tuple[float, float] | None:
    """Where distances are measured from; DomainError when the postcode is not one we know."""
    if filters.near is not None:
        return filters.near
    if not filters.postcode.strip():
        return None
    found = where_is(filters.postcode)
    if found is None:
        raise DomainError(
            "postcode_unknown",
            "Enter a postcode in the area this directory covers, like SW9 8AB",
            field="postcode",
        )
    return found


def filtered(services: QuerySet[Service], filters: OfferFilters, today: dt.date | None = None) -> QuerySet[Service]:
    """`services` narrowed by every filter except distance."""
    for word in filters.words:
        services = services.filter(search_text__contains=word)
    if filters.term_ids:
        chosen = TaxonomyTerm.objects.filter(Q(id__in=filters.term_ids) | Q(parent_id__in=filters.term_ids))
        through = Service.terms.through
        services = services.filter(
            Exists(through._default_manager.filter(service_id=OuterRef("pk"), taxonomyterm_id__in=chosen.values("id")))
        )
    if filters.day is not None or filters.at is not None:
        slots = current_slots(today).filter(service_id=OuterRef("pk"))
        if filters.day is not None:
            slots = slots.filter(weekday=filters.day)
        if filters.at is not None:
            slots = slots.filter(opens__lte=filters.at, closes__gt=filters.at)
        services = services.filter(Exists(slots))
    if filters.free_only:
        services = services.filter(is_free=True)
    if language := filters.language.strip().lower():
        # The list is stored as JSON text: match one whole element, quotes included.
        services = services.filter(languages__icontains=f'"{language}"')
    for word in filters.accessibility_words:
        services = services.filter(accessibility__contains=word)
    if filters.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=filters.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=filters.age),
        )
    return services


def offer_search(*, site: Site, filters: OfferFilters, page: int = 1, per_page: int = 20) -> OfferPage:
    """One page of the site's listed offers that match `filters`: nearest first when a place is given
    (offers with no location on the map are then left out), else by name."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    place = place_of(filters)
    services = filtered(listed(site), filters)
    if place is not None:
        metres = filters.within_metres if filters.within_metres is not None else EVERYWHERE_METRES
        nearest = within(
            ServiceAtLocation.objects.filter(service_id=OuterRef("pk")),
            lat=place[0],
            lng=place[1],
            metres=metres,
            lat_field="location__lat",
            lng_field="location__lng",
        )
        services = (
            services.annotate(
                distance=Subquery(nearest.values("distance")[:1]),  # type: ignore[misc]  # annotated by `within`
                nearest_location=Subquery(nearest.values("location_id")[:1]),
            )
            .filter(distance__isnull=False)
            .order_by("distance", "name", "pk")
        )
    else:
        services = services.order_by("name", "pk")
    total = services.count()
    pages = max(1, math.ceil(total / per_page))
    page = max(1, min(page, pages))
    start = (page - 1) * per_page
    rows = list(
        services.select_related("organization").prefetch_related(
            Prefetch(
                "at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").order_by("id"),
            ),
            Prefetch("opening_slots", queryset=current_slots().order_by("weekday", "opens"), to_attr="current_slots"),
        )[start : start + per_page]
    )
    items = []
    for service in rows:
        locations = [sal.location for sal in service.at_locations.all()]
        nearest_id = getattr(service, "nearest_location", None)
        location = next((loc for loc in locations if loc.pk == nearest_id), None) if nearest_id else None
        if location is None and locations:
            location = next((loc for loc in locations if loc.lat is not None), locations[0])
        items.append(
            OfferHit(
                service=service,
                distance=getattr(service, "distance", None),
                location=location,
                slots=list(getattr(service, "current_slots", [])),
            )
        )
    return OfferPage(items=items, total=total, page=page, pages=pages, per_page=per_page, place=place)


@dataclass(frozen=True)
class CategoryChoice:
    id: str
    name: str
    count: int


def category_choices(site: Site) -> list[CategoryChoice]:
    """The categories that listed offers of the site use, with how many offers use each, by name."""
    through = Service.terms.through
    counts = (
        through._default_manager.filter(service__in=listed(site))
        .values("taxonomyterm_id")
        .annotate(offers=Count("service_id", distinct=True))
    )
    by_id = {row["taxonomyterm_id"]: row["offers"] for row in counts}
    terms = TaxonomyTerm.objects.filter(id__in=list(by_id)).order_by("name", "id")
    return [CategoryChoice(id=t.pk, name=t.name, count=by_id[t.pk]) for t in terms]


def published_offer(*, site: Site | None, service_id: str) -> Service | None:
    """A listed offer with what its page shows, or None."""
    services = Service.objects.filter(curation=Curation.PUBLISHED).exclude(status=ServiceStatus.DEFUNCT)
    if site is not None:
        services = services.filter(site=site)
    return (
        services.select_related("organization")
        .prefetch_related("terms", "capacities__unit", "at_locations__location")
        .filter(pk=service_id)
        .first()
    )
