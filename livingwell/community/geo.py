"""Postcodes and distances: the shape of a UK postcode, great-circle distance, and "within N metres of
here" as a database query.

Distances are great-circle distances on a sphere with the mean radius of the Earth (the IUGG mean
radius R1 = 6,371,008.8 m). Against the WGS84 ellipsoid this is off by at most about 0.5%, which is
far less than the difference between a postcode's centre and a front door.

`within` filters a queryset first by a latitude/longitude box (which the `lat, lng` indexes can use)
and then by the exact haversine distance, computed by the database with Django's math functions.
PostgreSQL has them built in; on SQLite Django registers Python versions of them whenever SQLite was
compiled without its own math functions (`django/db/backends/sqlite3/_functions.py`), so the same
query works on both.
"""

from __future__ import annotations

import math
import re

from django.db.models import F, FloatField, Model, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from livingwell.community.models import Postcode

EARTH_RADIUS_M = 6_371_008.8
"""The mean radius of the Earth in metres (IUGG R1), used for every distance here."""

# A UK postcode without its space: an outward code of a letter or two, a digit, and a digit or letter
# (A9, A99, AA9, AA99, A9A, AA9A), then an inward code of a digit and two letters. The letters are
# checked loosely: the shape, not the Royal Mail's lists of letters used in each position. GIR 0AA is
# the one old code outside the pattern.
_POSTCODE = re.compile(r"^(?:[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA)$")
_NOT_ALLOWED = re.compile(r"[\s\-.]")


def normalise_postcode(text: str | None) -> str:
    """The postcode as we store and compare it: upper case with no spaces ("sw9 8ab" -> "SW98AB").

    Spaces, hyphens and full stops anywhere are dropped. Anything that is not the shape of a UK
    postcode gives "" (so callers can tell "no postcode" from a postcode).
    """
    if not text:
        return ""
    compact = _NOT_ALLOWED.sub("", text).upper()
    return compact if _POSTCODE.match(compact) else ""


def display_postcode(code: str | None) -> str:
    """The postcode as people write it, with one space before the inward code ("SW98AB" -> "SW9 8AB").

    Text that is not a postcode is given back stripped but otherwise as it was.
    """
    compact = normalise_postcode(code)
    if not compact:
        return (code or "").strip()
    return f"{compact[:-3]} {compact[-3:]}"


def haversine_metres(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The great-circle distance in metres between two points given in degrees (WGS84 latitude and
    longitude), on a sphere of radius `EARTH_RADIUS_M`."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, max(0.0, a))))


# A margin added to every side of the box, in degrees (about a centimetre), so that rounding in the
# last bits of a float never puts a point on the circle just outside it.
_MARGIN_DEGREES = 1e-7


def bounding_box(lat: float, lng: float, metres: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) in degrees: a box that holds every point within `metres`
    of (lat, lng).

    The longitude half-width is the exact one for a circle on a sphere, asin(sin(d) / cos(lat)), so
    the box is no wider than it needs to be at high latitudes but never narrower than the circle.
    When the circle reaches a pole the box takes every longitude; when it crosses the 180th meridian
    it also takes every longitude (a single min/max pair cannot wrap round).
    """
    if metres < 0:
        raise ValueError("The distance must not be negative.")
    angular = metres / EARTH_RADIUS_M  # radians
    if angular >= math.pi:
        return -90.0, 90.0, -180.0, 180.0
    d_lat = math.degrees(angular)
    min_lat, max_lat = lat - d_lat - _MARGIN_DEGREES, lat + d_lat + _MARGIN_DEGREES
    if max_lat >= 90.0 or min_lat <= -90.0:
        return max(min_lat, -90.0), min(max_lat, 90.0), -180.0, 180.0
    d_lng = math.degrees(math.asin(min(1.0, math.sin(angular) / math.cos(math.radians(lat)))))
    min_lng, max_lng = lng - d_lng - _MARGIN_DEGREES, lng + d_lng + _MARGIN_DEGREES
    if min_lng < -180.0 or max_lng > 180.0:
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, min_lng, max_lng


def distance_expression(*, lat: float, lng: float, lat_field: str = "lat", lng_field: str = "lng") -> Combinable:
    """The haversine distance in metres from (lat, lng) to the row's `lat_field`/`lng_field`, as a
    database expression (the same formula as `haversine_metres`)."""
    phi1 = math.radians(lat)
    phi2 = Radians(F(lat_field))
    half_d_phi = (phi2 - Value(phi1)) / Value(2.0)
    half_d_lambda = (Radians(F(lng_field)) - Value(math.radians(lng))) / Value(2.0)
    a = Power(Sin(half_d_phi), 2) + Value(math.cos(phi1)) * Cos(phi2) * Power(Sin(half_d_lambda), 2)
    # Rounding can take `a` a hair over 1 for points at opposite ends of the Earth; asin(>1) fails.
    return Value(2 * EARTH_RADIUS_M) * ASin(Sqrt(Least(a, Value(1.0), output_field=FloatField())))


def within[M: Model](
    queryset: QuerySet[M],
    *,
    lat: float,
    lng: float,
    metres: float,
    lat_field: str = "lat",
    lng_field: str = "lng",
    annotate_as: str = "distance",
) -> QuerySet[M]:
    """The rows of `queryset` whose point is no more than `metres` from (lat, lng), nearest first,
    each annotated with its distance in metres as `annotate_as` (default `distance`).

    Rows without a position are left out. `lat_field`/`lng_field` may follow relations
    ("location__lat").
    """
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, metres)
    boxed = queryset.filter(
        **{
            f"{lat_field}__gte": min_lat,
            f"{lat_field}__lte": max_lat,
            f"{lng_field}__gte": min_lng,
            f"{lng_field}__lte": max_lng,
        }
    )
    distance = distance_expression(lat=lat, lng=lng, lat_field=lat_field, lng_field=lng_field)
    return (
        boxed.annotate(**{annotate_as: distance}).filter(**{f"{annotate_as}__lte": metres}).order_by(annotate_as, "pk")
    )


def where_is(postcode: str | None) -> tuple[float, float] | None:
    """(lat, lng) of a postcode's centre from the loaded postcode file, or None when the text is not a
    postcode or the postcode is not loaded."""
    code = normalise_postcode(postcode)
    if not code:
        return None
    found = Postcode.objects.filter(code=code).values_list("lat", "lng").first()
    return (found[0], found[1]) if found is not None else None
