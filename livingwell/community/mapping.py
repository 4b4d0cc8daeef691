"""The offers a search finds, as places on a map: one point for each place where a matching offer
meets that has a position (its coordinates from the feed, or its postcode's centre).

The map follows the list exactly: the same filters (`search.filtered` on `search.listed`), and when a
place is given only the places within the distance asked for, nearest first. Whatever the number of
offers, it costs the same queries: the postcode (when one is given), a count and one page of rows,
capped at `MAX_FEATURES` (the response says how many were left off).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from livingwell.network.models import Site

from . import search
from .geo import distance_expression, within
from .models import Location, ServiceAtLocation
from .presenters import address_lines, miles

MAX_FEATURES = 5_000


@dataclass(frozen=True)
class MapPoint:
    id: str  # the service-at-location
    service_id: str
    name: str
    organisation: str
    address: str
    lat: float
    lng: float
    distance: float | None


@dataclass(frozen=True)
class OfferMap:
    points: list[MapPoint]
    total: int  # places found, before the cap
    place: tuple[float, float] | None  # where distances are measured from

    @property
    def left_off(self) -> int:
        return self.total - len(self.points)


def _places(site: Site, filters: search.OfferFilters, place: tuple[float, float] | None) -> QuerySet[Any]:
    services = search.filtered(search.listed(site), filters)
    at = ServiceAtLocation.objects.filter(
        service__in=services, location__lat__isnull=False, location__lng__isnull=False
    )
    if place is None:
        return at.order_by("service__name", "service_id", "location__name", "id")
    if filters.within_metres is not None:
        return within(
            at,
            lat=place[0],
            lng=place[1],
            metres=filters.within_metres,
            lat_field="location__lat",
            lng_field="location__lng",
        ).order_by("distance", "service__name", "id")  # type: ignore[misc]  # annotated by `within`
    distance = distance_expression(lat=place[0], lng=place[1], lat_field="location__lat", lng_field="location__lng")
    return at.annotate(distance=distance).order_by("distance", "service__name", "id")


def offer_map(*, site: Site, filters: search.OfferFilters, limit: int | None = None) -> OfferMap:
    """The places of the site's listed offers that match `filters`, at most `limit` (`MAX_FEATURES`) of
    them: nearest first when a place is given, else by offer name. Raises DomainError for a postcode we
    do not know."""
    limit = MAX_FEATURES if limit is None else limit
    place = search.place_of(filters)
    places = _places(site, filters, place)
    total = places.count()
    fields = [
        "id",
        "service_id",
        "service__name",
        "service__organization__name",
        "location__name",
        "location__document",
        "location__postcode",
        "location__lat",
        "location__lng",
    ]
    if place is not None:
        fields.append("distance")
    points = []
    for row in places.values(*fields)[: max(0, limit)]:
        location = Location(name=row["location__name"], document=row["location__document"] or {})
        location.postcode = row["location__postcode"]
        points.append(
            MapPoint(
                id=row["id"],
                service_id=row["service_id"],
                name=row["service__name"],
                organisation=row["service__organization__name"] or "",
                address=", ".join(address_lines(location)),
                lat=row["location__lat"],
                lng=row["location__lng"],
                distance=row.get("distance"),
            )
        )
    return OfferMap(points=points, total=total, place=place)


def feature_collection(offers: OfferMap, *, place_label: str = "", for_id: str = "") -> dict[str, Any]:
    """GeoJSON (RFC 7946): a FeatureCollection of Points, [longitude, latitude], with what a marker's
    popup shows. Foreign members say how many were found and left off, and where the search was near.
    With `for_id`, each offer links to its page for that person (as the list does), to connect them."""
    suffix = f"?{urlencode({'for': for_id})}" if for_id else ""
    features = []
    for point in offers.points:
        properties: dict[str, Any] = {
            "name": point.name,
            "organisation": point.organisation,
            "address": point.address,
            "url": reverse("community:offer", args=[point.service_id]) + suffix,
        }
        if point.distance is not None:
            properties["distance_metres"] = round(point.distance)
            properties["distance"] = miles(point.distance)
        features.append(
            {
                "type": "Feature",
                "id": point.id,
                "geometry": {"type": "Point", "coordinates": [round(point.lng, 6), round(point.lat, 6)]},
                "properties": properties,
            }
        )
    collection: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": features,
        "total": offers.total,
        "left_off": offers.left_off,
    }
    if offers.place is not None:
        collection["searched_near"] = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(offers.place[1], 6), round(offers.place[0], 6)]},
            "properties": {"name": place_label or "Where you searched"},
        }
    return collection
