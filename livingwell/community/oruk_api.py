"""The Open Referral UK 3.0 API under /oruk/: our directory, read by anyone, in the standard's shapes.

Plain Django views that return `JsonResponse` built from the stored ORUK documents
(`livingwell.community.documents.serve_*`), so no null ever reaches a client. Only published offers
(`Curation.PUBLISHED`) are served, whatever their HSDS status, so a client refreshing from us sees an
offer become inactive or defunct.

Every response, errors included, carries `Access-Control-Allow-Origin: *` (ORUK compliance rule), and
an OPTIONS preflight is answered. Bad query parameters give a 400 problem (`{type, title, status,
detail}`), unknown ids and paths a 404 problem; no query string can cause a 500.

Parameter meanings (the ORUK OpenAPI's own words where it has them):
- `search`: every word must appear in the offer's search text (name, description, organisation,
  categories, location names).
- `taxonomy_term_id`, `taxonomy_id`, `organization_id`: offers with that category, with any category in
  that taxonomy, or run by that organisation.
- `modified_after`: offers changed on or after this date-time (an ISO 8601 date-time, or a date).
- `minimum_age`: offers whose minimum age is at least this; `maximum_age`: offers whose maximum age is
  this or below (offers that do not give that age limit are left out). Our extension `age`: offers
  open to someone of this age (a missing limit is no limit).
- `day` (MO..SU, or the day's English name), `start_time` (opening at or after), `end_time` (closing
  at or before), all on one current weekly opening; our extension `open_at` (HH:MM): open at that
  time (on `day` if given).
- `postcode` and `proximity` (metres from the postcode's centre): nearest first; with only
  `postcode`, every result is ordered by distance and those without a position come last.
- `minimal=true`: items are just `id`, `name`, `status` and `last_modified` (kept valid against the
  list schema); `full=true`: items are full services.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.urls import reverse
from django.utils import dateparse, timezone
from django.views.decorators.csrf import csrf_exempt

from . import documents
from .geo import distance_expression, normalise_postcode, where_is, within
from .models import (
    Curation,
    OpeningSlot,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    Taxonomy,
    TaxonomyTerm,
)
from .oruk_openapi import openapi_document

ORUK_VERSION = "3.0"
PROFILE_URI = "https://github.com/openreferral/uk-profile"
PROBLEM_TYPE_BASE = "https://livingwell.example/problems/oruk/"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 1000
MAX_PAGE = 10_000_000

DAYS = {
    "MO": 0,
    "TU": 1,
    "WE": 2,
    "TH": 3,
    "FR": 4,
    "SA": 5,
    "SU": 6,
    "MONDAY": 0,
    "TUESDAY": 1,
    "WEDNESDAY": 2,
    "THURSDAY": 3,
    "FRIDAY": 4,
    "SATURDAY": 5,
    "SUNDAY": 6,
}
TRUE_WORDS = {"true", "1", "yes"}
FALSE_WORDS = {"false", "0", "no"}


class BadParameter(Exception):
    def __init__(self, name: str, detail: str) -> None:
        super().__init__(detail)
        self.name = name
        self.detail = detail


class NotFound(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


# --------------------------------------------------------------------------------------------------
# Responses
# --------------------------------------------------------------------------------------------------


def _with_cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


def problem(status: int, title: str, detail: str, code: str) -> HttpResponse:
    body = {"type": f"{PROBLEM_TYPE_BASE}{code}", "title": title, "status": status, "detail": detail}
    return _with_cors(JsonResponse(body, status=status))


def not_found_response(detail: str = "There is nothing at this address in the directory API.") -> HttpResponse:
    return problem(404, "Not found", detail, "not-found")


def oruk_endpoint(view: Callable[..., dict[str, Any]]) -> Callable[..., HttpResponse]:
    """Anonymous GET (and HEAD) returning the view's dict as JSON; OPTIONS preflight; CORS on all;
    `BadParameter` and `NotFound` as problems."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = request.headers.get("Access-Control-Request-Headers") or "*"
            response["Access-Control-Max-Age"] = "86400"
            response["Allow"] = "GET, HEAD, OPTIONS"
            return _with_cors(response)
        if request.method not in ("GET", "HEAD"):
            response = problem(
                405, "Method not allowed", "The directory API is read only: use GET.", "method-not-allowed"
            )
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        try:
            body = view(request, *args, **kwargs)
        except BadParameter as error:
            return problem(400, f"The {error.name} parameter is not valid", error.detail, "bad-parameter")
        except NotFound as error:
            return not_found_response(error.detail)
        return _with_cors(JsonResponse(body, json_dumps_params={"ensure_ascii": False}))

    return wrapped


@csrf_exempt
def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    if request.method == "OPTIONS":
        return oruk_endpoint(lambda request: {})(request)
    return not_found_response()


# --------------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------------


def _text(query: QueryDict, name: str) -> str:
    value = query.get(name, "").strip()
    if "\x00" in value:  # PostgreSQL cannot hold it in a string: never let it reach a query
        raise BadParameter(name, f"{name} must not contain a NUL character.")
    return value


def _id(text: str) -> str:
    """A path id fit to look up (any other text is simply not found)."""
    if "\x00" in text or len(text) > 64:
        raise NotFound(f"There is nothing in the directory with the id '{text[:64]}'.")
    return text


def _integer(query: QueryDict, name: str, *, default: int, lowest: int, highest: int) -> int:
    text = _text(query, name)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadParameter(name, f"{name} must be a whole number, not '{text[:40]}'.") from None
    if value < lowest or value > highest:
        raise BadParameter(name, f"{name} must be between {lowest} and {highest}.")
    return value


def _number(query: QueryDict, name: str) -> Decimal | None:
    text = _text(query, name)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise BadParameter(name, f"{name} must be a number, not '{text[:40]}'.") from None
    if not math.isfinite(value) or abs(value) >= 1000:
        raise BadParameter(name, f"{name} must be a number between -1000 and 1000.")
    return Decimal(str(value))


def _boolean(query: QueryDict, name: str) -> bool:
    text = _text(query, name).lower()
    if not text or text in FALSE_WORDS:
        return False
    if text in TRUE_WORDS:
        return True
    raise BadParameter(name, f"{name} must be true or false, not '{text[:40]}'.")


def _time(query: QueryDict, name: str) -> dt.time | None:
    text = _text(query, name)
    if not text:
        return None
    parsed = documents.parse_time(text, timezone.localdate())
    if parsed is None:
        raise BadParameter(name, f"{name} must be a time like 09:30 or 09:30:00, not '{text[:40]}'.")
    return parsed


def _day(query: QueryDict) -> int | None:
    text = _text(query, "day")
    if not text:
        return None
    if text.upper() not in DAYS:
        raise BadParameter("day", f"day must be MO, TU, WE, TH, FR, SA or SU (or the day's name), not '{text[:40]}'.")
    return DAYS[text.upper()]


def _moment(query: QueryDict, name: str) -> dt.datetime | None:
    text = _text(query, name)
    if not text:
        return None
    detail = f"{name} must be an ISO 8601 date and time such as 2025-01-31T10:30:00Z, not '{text[:40]}'."
    try:
        moment = dateparse.parse_datetime(text)
        if moment is None:
            day = dateparse.parse_date(text)
            if day is None:
                raise BadParameter(name, detail)
            moment = dt.datetime.combine(day, dt.time(0, 0))
    except ValueError:
        raise BadParameter(name, detail) from None
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, documents.LONDON)
        # In UTC: the database compares in UTC, and PostgreSQL takes no offset beyond 15:59 (Python allows
        # up to 23:59). Years 1 and 9999 can overflow on the way.
        return moment.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise BadParameter(name, detail) from None


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @classmethod
    def of(cls, query: QueryDict) -> Paging:
        return cls(
            page=_integer(query, "page", default=1, lowest=1, highest=MAX_PAGE),
            per_page=_integer(query, "per_page", default=DEFAULT_PER_PAGE, lowest=1, highest=MAX_PER_PAGE),
        )


@dataclass(frozen=True)
class Near:
    lat: float
    lng: float
    metres: float | None


def _near(query: QueryDict) -> Near | None:
    postcode = _text(query, "postcode")
    proximity_text = _text(query, "proximity")
    metres: float | None = None
    if proximity_text:
        try:
            metres = float(proximity_text)
        except ValueError:
            raise BadParameter(
                "proximity", f"proximity must be a number of metres, not '{proximity_text[:40]}'."
            ) from None
        if not math.isfinite(metres) or metres < 0:
            raise BadParameter("proximity", "proximity must be a number of metres, 0 or more.")
        if not postcode:
            raise BadParameter("proximity", "proximity needs a postcode to measure from.")
    if not postcode:
        return None
    if not normalise_postcode(postcode):
        raise BadParameter("postcode", f"'{postcode[:40]}' is not a UK postcode.")
    found = where_is(postcode)
    if found is None:
        raise BadParameter("postcode", f"The postcode '{postcode[:40]}' is not in our postcode list.")
    return Near(lat=found[0], lng=found[1], metres=metres)


@dataclass(frozen=True)
class ServiceFilters:
    """The filters /services and /service_at_locations share."""

    words: tuple[str, ...]
    taxonomy_term_id: str
    taxonomy_id: str
    organization_id: str
    modified_after: dt.datetime | None
    minimum_age: Decimal | None
    maximum_age: Decimal | None
    age: Decimal | None
    day: int | None
    start_time: dt.time | None
    end_time: dt.time | None
    open_at: dt.time | None

    @classmethod
    def of(cls, query: QueryDict) -> ServiceFilters:
        return cls(
            words=tuple(w for w in _text(query, "search").lower().split() if w),
            taxonomy_term_id=_text(query, "taxonomy_term_id"),
            taxonomy_id=_text(query, "taxonomy_id"),
            organization_id=_text(query, "organization_id"),
            modified_after=_moment(query, "modified_after"),
            minimum_age=_number(query, "minimum_age"),
            maximum_age=_number(query, "maximum_age"),
            age=_number(query, "age"),
            day=_day(query),
            start_time=_time(query, "start_time"),
            end_time=_time(query, "end_time"),
            open_at=_time(query, "open_at"),
        )

    @property
    def about_opening(self) -> bool:
        return any(v is not None for v in (self.day, self.start_time, self.end_time, self.open_at))

    def services(self, services: QuerySet[Service]) -> QuerySet[Service]:
        for word in self.words:
            services = services.filter(search_text__contains=word)
        through = Service.terms.through
        if self.taxonomy_term_id:
            services = services.filter(
                Exists(
                    through._default_manager.filter(service_id=OuterRef("pk"), taxonomyterm_id=self.taxonomy_term_id)
                )
            )
        if self.taxonomy_id:
            in_taxonomy = TaxonomyTerm.objects.filter(taxonomy_id=self.taxonomy_id).values("id")
            services = services.filter(
                Exists(through._default_manager.filter(service_id=OuterRef("pk"), taxonomyterm_id__in=in_taxonomy))
            )
        if self.organization_id:
            services = services.filter(organization_id=self.organization_id)
        if self.modified_after is not None:
            services = services.filter(
                Q(last_modified__gte=self.modified_after)
                | Q(last_modified__isnull=True, updated_at__gte=self.modified_after)
            )
        if self.minimum_age is not None:
            services = services.filter(minimum_age__gte=self.minimum_age)
        if self.maximum_age is not None:
            services = services.filter(maximum_age__lte=self.maximum_age)
        if self.age is not None:
            services = services.filter(
                Q(minimum_age__isnull=True) | Q(minimum_age__lte=self.age),
                Q(maximum_age__isnull=True) | Q(maximum_age__gte=self.age),
            )
        return services

    def slots(self) -> QuerySet[OpeningSlot]:
        """Current weekly openings that match the day and time parameters."""
        today = timezone.localdate()
        slots = OpeningSlot.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=today),
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        )
        if self.day is not None:
            slots = slots.filter(weekday=self.day)
        if self.start_time is not None:
            slots = slots.filter(opens__gte=self.start_time)
        if self.end_time is not None:
            slots = slots.filter(closes__lte=self.end_time)
        if self.open_at is not None:
            slots = slots.filter(opens__lte=self.open_at, closes__gt=self.open_at)
        return slots


def _published_services() -> QuerySet[Service]:
    return Service.objects.filter(curation=Curation.PUBLISHED)


# --------------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------------


def _page(rows: QuerySet[Any], paging: Paging, serve: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    total = rows.count()
    start = (paging.page - 1) * paging.per_page
    contents = [serve(row) for row in rows[start : start + paging.per_page]] if start < total else []
    total_pages = math.ceil(total / paging.per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _full_service(service: Service) -> dict[str, Any]:
    """`serve_service` from prefetched capacities (no query per service)."""
    served = documents.clean(service.document)
    capacities = [documents.serve_capacity(c) for c in service.capacities.all()]
    if capacities:
        served["capacities"] = capacities
    return served


def _minimal_service(service: Service) -> dict[str, Any]:
    served: dict[str, Any] = {"id": service.id, "name": service.name, "status": service.status}
    if service.last_modified is not None:
        served["last_modified"] = documents.format_datetime(service.last_modified)
    return served


CAPACITIES = Prefetch("capacities", queryset=ServiceCapacity.objects.select_related("unit").order_by("id"))


# --------------------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------------------


@oruk_endpoint
def root(request: HttpRequest) -> dict[str, Any]:
    return {
        "version": ORUK_VERSION,
        "profile": PROFILE_URI,
        "openapi_url": request.build_absolute_uri(reverse("oruk:openapi")),
    }


@oruk_endpoint
def openapi(request: HttpRequest) -> dict[str, Any]:
    return openapi_document(request.build_absolute_uri(reverse("oruk:root")).rstrip("/"))


@oruk_endpoint
def services(request: HttpRequest) -> dict[str, Any]:
    query = request.GET
    paging = Paging.of(query)
    filters = ServiceFilters.of(query)
    minimal, full = _boolean(query, "minimal"), _boolean(query, "full")
    near = _near(query)
    rows = filters.services(_published_services())
    if filters.about_opening:
        rows = rows.filter(Exists(filters.slots().filter(service_id=OuterRef("pk"))))
    ordering: list[Any] = ["name", "id"]
    if near is not None:
        positioned = ServiceAtLocation.objects.filter(
            service_id=OuterRef("pk"), location__lat__isnull=False, location__lng__isnull=False
        )
        if near.metres is not None:
            nearby = within(
                positioned,
                lat=near.lat,
                lng=near.lng,
                metres=near.metres,
                lat_field="location__lat",
                lng_field="location__lng",
            )
            rows = rows.filter(Exists(nearby))
        nearest = positioned.annotate(
            distance=distance_expression(
                lat=near.lat, lng=near.lng, lat_field="location__lat", lng_field="location__lng"
            )
        ).order_by("distance")
        rows = rows.annotate(distance=Subquery(nearest.values("distance")[:1]))
        ordering = [F("distance").asc(nulls_last=True), "name", "id"]
    rows = rows.order_by(*ordering)
    if minimal:
        rows = rows.only("id", "name", "status", "last_modified")
        return _page(rows, paging, _minimal_service)
    if full:
        return _page(rows.prefetch_related(CAPACITIES), paging, _full_service)
    return _page(rows, paging, documents.serve_service_list_item)


@oruk_endpoint
def service(request: HttpRequest, service_id: str) -> dict[str, Any]:
    found = _published_services().prefetch_related(CAPACITIES).filter(pk=_id(service_id)).first()
    if found is None:
        raise NotFound(f"There is no service in the directory with the id '{service_id[:64]}'.")
    return _full_service(found)


@oruk_endpoint
def service_at_locations(request: HttpRequest) -> dict[str, Any]:
    query = request.GET
    paging = Paging.of(query)
    filters = ServiceFilters.of(query)
    near = _near(query)
    services_wanted = filters.services(_published_services())
    rows = ServiceAtLocation.objects.filter(service__in=services_wanted.values("pk")).select_related("service")
    if filters.about_opening:
        rows = rows.filter(
            Exists(
                filters.slots().filter(
                    Q(service_at_location_id=OuterRef("pk"))
                    | Q(service_at_location__isnull=True, service_id=OuterRef("service_id"))
                )
            )
        )
    ordering: list[Any] = ["service__name", "service_id", "id"]
    if near is not None:
        if near.metres is not None:
            rows = within(
                rows,
                lat=near.lat,
                lng=near.lng,
                metres=near.metres,
                lat_field="location__lat",
                lng_field="location__lng",
            )
        else:
            rows = rows.annotate(
                distance=distance_expression(
                    lat=near.lat, lng=near.lng, lat_field="location__lat", lng_field="location__lng"
                )
            )
        ordering = [F("distance").asc(nulls_last=True), *ordering]
    return _page(rows.order_by(*ordering), paging, documents.serve_service_at_location_list_item)


@oruk_endpoint
def service_at_location(request: HttpRequest, sal_id: str) -> dict[str, Any]:
    found = (
        ServiceAtLocation.objects.filter(pk=_id(sal_id), service__curation=Curation.PUBLISHED)
        .select_related("service")
        .first()
    )
    if found is None:
        raise NotFound(f"There is no service at a location in the directory with the id '{sal_id[:64]}'.")
    return documents.serve_service_at_location(found)


@oruk_endpoint
def taxonomies(request: HttpRequest) -> dict[str, Any]:
    paging = Paging.of(request.GET)
    return _page(Taxonomy.objects.order_by("name", "id"), paging, documents.serve_taxonomy)


@oruk_endpoint
def taxonomy(request: HttpRequest, taxonomy_id: str) -> dict[str, Any]:
    found = Taxonomy.objects.filter(pk=_id(taxonomy_id)).first()
    if found is None:
        raise NotFound(f"There is no taxonomy with the id '{taxonomy_id[:64]}'.")
    served = documents.serve_taxonomy(found)
    terms = [
        documents.serve_taxonomy_term(t)
        for t in TaxonomyTerm.objects.filter(taxonomy_id=found.id).order_by("name", "id")
    ]
    if terms:
        served["taxonomy_terms"] = terms
    return served


@oruk_endpoint
def taxonomy_terms(request: HttpRequest) -> dict[str, Any]:
    query = request.GET
    paging = Paging.of(query)
    rows = TaxonomyTerm.objects.order_by("name", "id")
    if _text(query, "taxonomy_id"):
        rows = rows.filter(taxonomy_id=_text(query, "taxonomy_id"))
    if _text(query, "parent_id"):
        rows = rows.filter(parent_id=_text(query, "parent_id"))
    if _boolean(query, "top_only"):
        rows = rows.filter(parent_id="")
    return _page(rows, paging, documents.serve_taxonomy_term)


@oruk_endpoint
def taxonomy_term(request: HttpRequest, term_id: str) -> dict[str, Any]:
    found = TaxonomyTerm.objects.filter(pk=_id(term_id)).first()
    if found is None:
        raise NotFound(f"There is no taxonomy term with the id '{term_id[:64]}'.")
    return documents.serve_taxonomy_term(found)
