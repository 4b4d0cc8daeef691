"""Placing community offers in the site's localities by postcode.

A locality lists the postcode districts ("SE1") and sectors ("SW9 0") it covers
(`Locality.postcode_areas`). A location goes to the locality with the longest area that its postcode
falls in: a sector wins over the district it belongs to, so "SW9 0" can belong to one locality while
the rest of "SW9" belongs to another. Districts match whole outward codes only: "SE1" does not take
"SE11 4AA".
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping

from django.db import transaction

from livingwell.network.models import Locality, Site

from .geo import normalise_postcode
from .models import Location

_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_AREA = re.compile(rf"^{_OUTWARD}(?: [0-9])?$")
_FULL_POSTCODE = re.compile(rf"^{_OUTWARD} ?[0-9][A-Z]{{2}}$")
UPDATE_BATCH = 500


def normalise_area(text: str | None) -> str:
    """A postcode district or sector as we store it ("se1" -> "SE1", "sw9  0" -> "SW9 0"); "" when the
    text is neither (a full postcode is not an area)."""
    compact = " ".join((text or "").upper().split())
    return compact if _AREA.match(compact) else ""


def is_full_postcode(text: str) -> bool:
    return bool(_FULL_POSTCODE.match(" ".join(text.upper().split())))


def areas_of_postcode(postcode: str | None) -> tuple[str, str] | None:
    """(sector, district) of a postcode ("SW9 0AA" -> ("SW9 0", "SW9")), or None if it is not one."""
    code = normalise_postcode(postcode)
    if not code:
        return None
    outward = code[:-3]
    return f"{outward} {code[-3]}", outward


def area_index[K](areas_by_locality: Mapping[K, Iterable[str]]) -> dict[str, K]:
    """Area -> the locality that lists it. If two list the same area, the first in the mapping keeps it."""
    index: dict[str, K] = {}
    for key, areas in areas_by_locality.items():
        for area in areas:
            normal = normalise_area(area)
            if normal:
                index.setdefault(normal, key)
    return index


def placer[K](areas_by_locality: Mapping[K, Iterable[str]]) -> Callable[[str | None], K | None]:
    """A function from a postcode to the locality it lies in (by the longest matching area), or None."""
    index = area_index(areas_by_locality)

    def place(postcode: str | None) -> K | None:
        if not index:
            return None
        areas = areas_of_postcode(postcode)
        if areas is None:
            return None
        sector, district = areas
        found = index.get(sector)
        return found if found is not None else index.get(district)

    return place


def locality_for[K](postcode: str | None, areas_by_locality: Mapping[K, Iterable[str]]) -> K | None:
    """The key of the locality whose postcode areas hold `postcode` most closely, or None."""
    return placer(areas_by_locality)(postcode)


def areas_by_locality(site_id: uuid.UUID | str) -> dict[uuid.UUID, list[str]]:
    """Locality id -> postcode areas, for every locality of the site (one query), by name."""
    rows = Locality.objects.filter(site_id=site_id).order_by("name", "pk").values_list("pk", "postcode_areas")
    return {pk: list(areas or []) for pk, areas in rows}


@transaction.atomic
def assign_localities(site: Site) -> int:
    """Place every location of the site's offers in its locality again (after the localities' postcode
    areas changed); returns how many locations moved. A few queries whatever the number of locations:
    one to read the areas, one to read the locations, one update per locality that gains locations (in
    batches of `UPDATE_BATCH`)."""
    place = placer(areas_by_locality(site.pk))
    rows = (
        Location.objects.filter(services_here__service__site=site)
        .values_list("pk", "postcode", "locality_id")
        .distinct()
        .order_by("pk")
    )
    moves: dict[uuid.UUID | None, list[str]] = {}
    for pk, postcode, current in rows:
        wanted = place(postcode)
        if wanted != current:
            moves.setdefault(wanted, []).append(pk)
    for locality_id, ids in moves.items():
        for start in range(0, len(ids), UPDATE_BATCH):
            Location.objects.filter(pk__in=ids[start : start + UPDATE_BATCH]).update(locality_id=locality_id)
    return sum(len(ids) for ids in moves.values())
