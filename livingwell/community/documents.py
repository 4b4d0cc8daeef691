"""The ORUK 3.0 document core: check, clean, hash, save, project and serve a full service.

A service is kept as its ORUK document (ADR 8). This module is the one place that knows the
profile's rules:

- `check_service` is our own validation of a full service, written from the profile (required fields,
  types, enums, UUID ids, email, uri, date, date-time and time formats). It never loads the official
  schema files: the tests check it against them.
- `clean` is the document as we store and serve it: nulls and empty strings removed (no ORUK schema
  allows null), everything else kept, unknown properties too.
- `canonical` and `document_hash` make importing the same record twice a no-op.
- `project` rebuilds every projection (service columns, organisations, locations, service-at-
  locations, taxonomy terms, weekly opening slots) from the document, so they cannot drift from it.
- `serve_*` cut the API shapes from the document; they never contain None.
- `save_service` is what the importer and curation call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from livingwell.core.errors import DomainError
from livingwell.network.models import Site

from .geo import normalise_postcode
from .localities import areas_by_locality, placer
from .models import (
    Curation,
    ImportSource,
    Location,
    OpeningSlot,
    Organization,
    Origin,
    Postcode,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    Taxonomy,
    TaxonomyTerm,
)

LONDON = ZoneInfo("Europe/London")

# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why a record was turned away: where in the document (a JSON path), the record's id, and why."""

    where: str
    id: str | None
    reason: str

    def as_dict(self) -> dict[str, str]:
        out = {"where": self.where, "reason": self.reason}
        if self.id:
            out["id"] = self.id
        return out


class DocumentInvalid(DomainError):
    """The document does not follow the ORUK 3.0 profile; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0] if problems else Problem("", None, "The document is not valid")
        message = f"{first.where or 'The service'}: {first.reason}"
        if len(problems) > 1:
            message += f" (and {len(problems) - 1} more)"
        super().__init__("document_invalid", message)
        self.problems = problems


STATUSES = ("active", "inactive", "defunct", "temporarily closed")
LOCATION_TYPES = ("physical", "postal", "virtual")
FREQUENCIES = ("WEEKLY", "MONTHLY")

# A field is a kind, ("enum", values), ("array", entity) or ("object", entity).
Kind = str | tuple[str, Any]


@dataclass(frozen=True)
class Entity:
    label: str
    required: tuple[str, ...]
    fields: Mapping[str, Kind]


ATTRIBUTES: Kind = ("array", "attribute")

ENTITIES: dict[str, Entity] = {
    "service": Entity(
        "service",
        ("id", "name", "status"),
        {
            "id": "uuid",
            "organization_id": "uuid",
            "name": "string",
            "description": "string",
            "url": "uri",
            "email": "email",
            "status": ("enum", STATUSES),
            "fees": "string",
            "accreditations": "string",
            "minimum_age": "number",
            "maximum_age": "number",
            "assured_date": "date",
            "assurer_email": "email",
            "alert": "string",
            "last_modified": "datetime",
            "schedules": ("array", "schedule"),
            "service_areas": ("array", "service_area"),
            "service_at_locations": ("array", "service_at_location"),
            "languages": ("array", "language"),
            "organization": ("object", "organization"),
            "funding": ("array", "funding"),
            "cost_options": ("array", "cost_option"),
            "contacts": ("array", "contact"),
            "attributes": ATTRIBUTES,
        },
    ),
    "organization": Entity(
        "organisation",
        ("id", "name", "description"),
        {
            "id": "uuid",
            "name": "string",
            "description": "string",
            "email": "email",
            "website": "uri",
            "logo": "string",
            "uri": "uri",
            "parent_organization_id": "uuid",
            "organization_identifiers": ("array", "organization_identifier"),
            "attributes": ATTRIBUTES,
            "services": ("array", "service"),
        },
    ),
    "organization_identifier": Entity(
        "organisation identifier",
        ("id", "identifier_type", "identifier"),
        {
            "id": "uuid",
            "organization_id": "uuid",
            "identifier_scheme": "string",
            "identifier_type": "string",
            "identifier": "string",
            "attributes": ATTRIBUTES,
        },
    ),
    "service_at_location": Entity(
        "service at location",
        ("id",),
        {
            "id": "uuid",
            "service_id": "uuid",
            "location_id": "uuid",
            "location": ("object", "location"),
            "schedules": ("array", "schedule"),
        },
    ),
    "location": Entity(
        "location",
        ("id", "location_type"),
        {
            "id": "uuid",
            "location_type": ("enum", LOCATION_TYPES),
            "name": "string",
            "description": "string",
            "latitude": "number",
            "longitude": "number",
            "external_identifier": "string",
            "external_identifier_type": "string",
            "addresses": ("array", "address"),
            "accessibility": ("array", "accessibility"),
            "attributes": ATTRIBUTES,
        },
    ),
    "address": Entity(
        "address",
        ("id", "address_1", "city", "state_province", "postal_code", "country", "address_type"),
        {
            "id": "uuid",
            "location_id": "uuid",
            "attention": "string",
            "address_1": "string",
            "city": "string",
            "region": "string",
            "state_province": "string",
            "postal_code": "string",
            "country": "string",
            "address_type": ("enum", LOCATION_TYPES),
            "attributes": ATTRIBUTES,
        },
    ),
    "accessibility": Entity(
        "accessibility",
        ("id",),
        {
            "id": "uuid",
            "location_id": "uuid",
            "description": "string",
            "details": "string",
            "url": "uri",
            "accessibility": "string",
            "attributes": ATTRIBUTES,
        },
    ),
    "schedule": Entity(
        "schedule",
        ("id",),
        {
            "id": "uuid",
            "service_id": "uuid",
            "service_at_location_id": "uuid",
            "valid_from": "date",
            "valid_to": "date",
            "dtstart": "date",
            "freq": ("enum", FREQUENCIES),
            "interval": "number",
            "byday": "string",
            "bymonthday": "string",
            "description": "string",
            "opens_at": "time",
            "closes_at": "time",
            "schedule_link": "uri",
            "attending_type": "string",
            "notes": "string",
        },
    ),
    "service_area": Entity(
        "service area",
        ("id",),
        {
            "id": "uuid",
            "service_id": "uuid",
            "name": "string",
            "extent": "string",
            "extent_type": "string",
            "uri": "string",
            "service_area": "string",
        },
    ),
    "language": Entity("language", ("id",), {"id": "uuid", "service_id": "uuid", "phone_id": "uuid"}),
    "funding": Entity("funding", ("id",), {"id": "uuid", "service_id": "uuid", "source": "string"}),
    "cost_option": Entity(
        "cost option",
        ("id",),
        {
            "id": "uuid",
            "service_id": "uuid",
            "valid_from": "date",
            "valid_to": "date",
            "option": "string",
            "amount": "number",
            "amount_description": "string",
        },
    ),
    "contact": Entity(
        "contact",
        ("id",),
        {"id": "uuid", "service_id": "uuid", "name": "string", "title": "string", "attributes": ATTRIBUTES},
    ),
    "attribute": Entity(
        "attribute",
        ("id",),
        {
            "id": "uuid",
            "link_id": "uuid",
            "taxonomy_term_id": "uuid",
            "link_type": "string",
            "taxonomy_term": ("object", "taxonomy_term"),
        },
    ),
    "taxonomy_term": Entity(
        "taxonomy term",
        ("id", "name", "description"),
        {
            "id": "uuid",
            "name": "string",
            "description": "string",
            "parent_id": "uuid",
            "taxonomy": "string",
            "taxonomy_id": "uuid",
            "term_uri": "uri",
            "term": "string",
        },
    ),
    "taxonomy": Entity(
        "taxonomy",
        ("id", "name", "description"),
        {
            "id": "uuid",
            "name": "string",
            "description": "string",
            "uri": "uri",
            "version": "string",
            "taxonomy_terms": ("array", "taxonomy_term"),
        },
    ),
}

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
)
TIME_RE = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$")


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _format_problem(kind: str, value: str) -> str | None:
    """Why `value` is not of format `kind`, or None when it is."""
    if kind == "uuid" and not UUID_RE.match(value):
        return f"'{value}' is not a UUID"
    if kind == "email" and not EMAIL_RE.match(value):
        return f"'{value}' is not an email address"
    if kind == "uri":
        parts = urlsplit(value)
        if not parts.scheme or not (parts.netloc or parts.path) or any(c.isspace() for c in value):
            return f"'{value}' is not a web address (it needs a scheme such as https://)"
    if kind == "date":
        try:
            if not DATE_RE.match(value):
                raise ValueError
            dt.date.fromisoformat(value)
        except ValueError:
            return f"'{value}' is not a date like 2025-01-31"
    if kind == "datetime":
        try:
            if not DATETIME_RE.match(value):
                raise ValueError
            dt.datetime.fromisoformat(value.replace("z", "Z"))
        except ValueError:
            return f"'{value}' is not a date and time with a time zone, like 2025-01-31T10:30:00Z"
    if kind == "time":
        match = TIME_RE.match(value)
        hours, minutes, seconds = (int(match.group(i) or 0) for i in (1, 2, 3)) if match else (99, 0, 0)
        if hours > 24 or minutes > 59 or seconds > 59 or (hours == 24 and (minutes or seconds)):
            return f"'{value}' is not a time like 09:30 or 09:30Z"
    return None


def _check_value(kind: Kind, value: object, where: str, record_id: str | None, problems: list[Problem]) -> None:
    if value is None:
        problems.append(Problem(where, record_id, "is null; leave the field out instead"))
        return
    if value == "":
        return  # an empty string is taken as absent (`clean` drops it); required fields are checked apart
    if isinstance(kind, tuple):
        shape, detail = kind
        if shape == "enum":
            if not isinstance(value, str) or value not in detail:
                allowed = ", ".join(f"'{v}'" for v in detail)
                shown = f"'{value}'" if isinstance(value, str) else json.dumps(value)
                problems.append(Problem(where, record_id, f"{shown} is not one of {allowed}"))
        elif shape == "array":
            if not isinstance(value, list):
                problems.append(Problem(where, record_id, f"should be a list, not {_type_name(value)}"))
                return
            seen: set[str] = set()
            for index, item in enumerate(value):
                _check_entity(detail, item, f"{where}[{index}]", problems)
                item_id = item.get("id") if isinstance(item, dict) else None
                if isinstance(item_id, str) and item_id:
                    if item_id in seen:
                        problems.append(
                            Problem(f"{where}[{index}].id", item_id, "is used by an earlier record in the same list")
                        )
                    seen.add(item_id)
        elif shape == "object":
            _check_entity(detail, value, where, problems)
        return
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(Problem(where, record_id, f"should be a number, not {_type_name(value)}"))
        return
    if not isinstance(value, str):
        problems.append(Problem(where, record_id, f"should be text, not {_type_name(value)}"))
        return
    reason = _format_problem(kind, value)
    if reason:
        problems.append(Problem(where, record_id, reason))


def _check_entity(name: str, record: object, where: str, problems: list[Problem]) -> None:
    entity = ENTITIES[name]
    if not isinstance(record, dict):
        problems.append(Problem(where, None, f"should be {entity.label} (an object), not {_type_name(record)}"))
        return
    record_id = record.get("id") if isinstance(record.get("id"), str) else None
    prefix = f"{where}." if where else ""
    for field in entity.required:
        if field not in record:
            problems.append(Problem(f"{prefix}{field}", record_id, f"is missing: every {entity.label} needs a {field}"))
        elif record[field] == "":
            problems.append(Problem(f"{prefix}{field}", record_id, f"is empty: every {entity.label} needs a {field}"))
    for field, kind in entity.fields.items():
        if field in record:
            _check_value(kind, record[field], f"{prefix}{field}", record_id, problems)


def check_service(document: object) -> list[Problem]:
    """Every way `document` breaks the ORUK 3.0 rules for a full service (empty when it is valid)."""
    problems: list[Problem] = []
    _check_entity("service", document, "", problems)
    return problems


def check_entity(name: str, document: object) -> list[Problem]:
    """Check a record of another kind (`taxonomy`, `taxonomy_term`, `organization`, `location`...)."""
    problems: list[Problem] = []
    _check_entity(name, document, "", problems)
    return problems


# --------------------------------------------------------------------------------------------------
# Clean, canonical form and hash
# --------------------------------------------------------------------------------------------------


def clean(document: Any) -> Any:
    """The document as we store and serve it: nulls and empty strings removed, all else kept."""
    if isinstance(document, dict):
        return {k: clean(v) for k, v in document.items() if v is not None and v != ""}
    if isinstance(document, list):
        return [clean(v) for v in document if v is not None and v != ""]
    return document


# Properties that name their own entity kind for parent-id matching.
KIND_OF_KEY = {
    "service_at_locations": "service_at_location",
    "location": "location",
    "organization": "organization",
    "contacts": "contact",
    "phones": "phone",
    "taxonomy_term": "taxonomy_term",
    "taxonomy_terms": "taxonomy_term",
    "services": "service",
}
# Live values that are not part of the document's meaning (served from rows).
LIVE_KEYS = {"capacities"}


def _normal_number(value: float | int) -> float | int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _normal_datetime(value: str) -> str:
    if not DATETIME_RE.match(value):
        return value
    try:
        moment = dt.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return value
    return format_datetime(moment)


def format_datetime(moment: dt.datetime) -> str:
    """UTC with milliseconds and Z, as the ORUK examples write it."""
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _canonical(value: Any, ancestors: dict[str, Any], kind: str) -> Any:
    if isinstance(value, dict):
        own_id = value.get("id")
        inner = {**ancestors, kind: own_id} if kind else ancestors
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key.endswith("_id") and isinstance(item, str):
                parent = key[:-3]
                # Implied by nesting: an ancestor of that kind, or a nested object of that kind.
                if ancestors.get(parent) == item:
                    continue
                nested = value.get(parent)
                if isinstance(nested, dict) and nested.get("id") == item:
                    continue
                if key == "link_id" and ancestors.get("_parent") == item:
                    continue
            child = _canonical(item, {**inner, "_parent": own_id}, KIND_OF_KEY.get(key, ""))
            if child is None or child == "" or child == [] or child == {}:
                continue
            out[key] = child
        return out
    if isinstance(value, list):
        items = [_canonical(item, ancestors, kind) for item in value]
        items = [i for i in items if not (i is None or i == "" or i == [] or i == {})]
        if items and all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in items):
            items.sort(key=lambda i: i["id"])
        return items
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return _normal_number(value)
    if isinstance(value, str):
        return _normal_datetime(value)
    return value


def canonical(document: Mapping[str, Any], kind: str = "service") -> dict[str, Any]:
    """The document's meaning: empty values and implied parent ids dropped, arrays sorted by id,
    integral numbers as int, date-times in UTC with milliseconds (ADR 8). Live capacities are left out.
    `kind` is what the document is (`service`, `location`, `organization`...), for the ids it implies."""
    top = {k: v for k, v in document.items() if k not in LIVE_KEYS}
    result = _canonical(top, {}, kind)
    assert isinstance(result, dict)
    return result


def document_hash(document: Mapping[str, Any]) -> str:
    """SHA-256 of the compact, sorted JSON of the canonical form."""
    text = json.dumps(canonical(document), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------------
# Projections
# --------------------------------------------------------------------------------------------------

WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
FREE_WORDS = re.compile(r"\bfree\b|\bno (charge|cost|fee)\b", re.IGNORECASE)


def _date(value: object) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _datetime(value: object) -> dt.datetime | None:
    if isinstance(value, str) and DATETIME_RE.match(value):
        try:
            return dt.datetime.fromisoformat(value.replace("z", "Z"))
        except ValueError:
            return None
    return None


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if abs(number) < 1000 else None


def _dicts(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _current(option: Mapping[str, Any], today: dt.date) -> bool:
    start, end = _date(option.get("valid_from")), _date(option.get("valid_to"))
    return (start is None or start <= today) and (end is None or today <= end)


def is_free(document: Mapping[str, Any], today: dt.date) -> bool | None:
    """True when a current cost option costs nothing (or there are none and the fees say free),
    False when any current option costs money, None when the document does not say."""
    amounts = [
        o["amount"]
        for o in _dicts(document.get("cost_options"))
        if _current(o, today) and isinstance(o.get("amount"), int | float) and not isinstance(o.get("amount"), bool)
    ]
    if any(a > 0 for a in amounts):
        return False
    fees = document.get("fees")
    fees_text = fees.strip() if isinstance(fees, str) else ""
    fees_say_free = bool(FREE_WORDS.search(fees_text))
    if amounts:  # every current amount is 0
        return True if (not fees_text or fees_say_free) else None
    return True if fees_say_free else None


def parse_time(text: object, on: dt.date) -> dt.time | None:
    """A schedule time as London local time; times with Z or an offset are converted on `on`."""
    if not isinstance(text, str):
        return None
    match = TIME_RE.match(text.strip())
    if not match:
        return None
    hours, minutes, seconds = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if hours == 24 and minutes == 0:
        return dt.time(23, 59, 59)
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    zone = match.group(4)
    local = dt.time(hours, minutes, seconds)
    if not zone:
        return local
    if zone in ("Z", "z"):
        offset = dt.timedelta(0)
    else:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    moment = dt.datetime.combine(on, local, tzinfo=dt.timezone(offset))
    return moment.astimezone(LONDON).time().replace(tzinfo=None)


def _slots(
    service: Service, schedules: Iterable[dict[str, Any]], sal: ServiceAtLocation | None, today: dt.date
) -> list[OpeningSlot]:
    slots: list[OpeningSlot] = []
    for schedule in schedules:
        if schedule.get("freq") != "WEEKLY":
            continue
        valid_from, valid_to = _date(schedule.get("valid_from")), _date(schedule.get("valid_to"))
        dtstart = _date(schedule.get("dtstart"))
        byday = _text(schedule, "byday")
        days = {WEEKDAYS[d.strip().upper()] for d in byday.split(",") if d.strip().upper() in WEEKDAYS}
        if not byday and dtstart:
            days = {dtstart.weekday()}  # RFC 5545: a weekly rule without BYDAY repeats on DTSTART's day
        on = valid_from or dtstart or today
        opens, closes = parse_time(schedule.get("opens_at"), on), parse_time(schedule.get("closes_at"), on)
        if opens is None or closes is None:
            continue
        if closes == dt.time(0, 0):
            closes = dt.time(23, 59, 59)
        if closes <= opens:
            continue
        slots.extend(
            OpeningSlot(
                service=service,
                service_at_location=sal,
                weekday=day,
                opens=opens,
                closes=closes,
                valid_from=valid_from,
                valid_to=valid_to,
            )
            for day in sorted(days)
        )
    return slots


def _on_earth(lat: object, lng: object) -> bool:
    if isinstance(lat, bool) or isinstance(lng, bool):
        return False
    if not isinstance(lat, int | float) or not isinstance(lng, int | float):
        return False
    return -90 <= lat <= 90 and -180 <= lng <= 180 and not (lat == 0 and lng == 0)


def _first_postcode(location: Mapping[str, Any]) -> str:
    """The first address's postcode that has the shape of a UK postcode, normalised ("" if none)."""
    for address in _dicts(location.get("addresses")):
        code = normalise_postcode(_text(address, "postal_code"))
        if code:
            return code
    return ""


def _scalars(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if not isinstance(v, dict | list) and v is not None and v != ""}


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    return value if isinstance(value, str) else ""


def _upsert(model: Any, rows: list[Any], fields: list[str]) -> None:
    if rows:
        model.objects.bulk_create(rows, update_conflicts=True, unique_fields=["id"], update_fields=fields)


@transaction.atomic
def project(service: Service) -> None:
    """Rebuild every projection of `service` from `service.document`, in one transaction."""
    doc: dict[str, Any] = service.document
    today = timezone.localdate()
    now = timezone.now()

    # Organisation.
    org = doc.get("organization") if isinstance(doc.get("organization"), dict) else None
    if org and isinstance(org.get("id"), str):
        org_document = {k: v for k, v in org.items() if k != "services"}
        _upsert(
            Organization,
            [
                Organization(
                    id=org["id"],
                    name=_text(org, "name")[:500],
                    description=_text(org, "description"),
                    document=org_document,
                    created_at=now,
                    updated_at=now,
                )
            ],
            ["name", "description", "document", "updated_at"],
        )
        service.organization_id = org["id"]
    else:
        org_id = doc.get("organization_id")
        service.organization_id = org_id if isinstance(org_id, str) else None

    # Locations and service-at-locations.
    sal_records = [s for s in _dicts(doc.get("service_at_locations")) if isinstance(s.get("id"), str)]
    locations: dict[str, dict[str, Any]] = {}
    sal_rows: list[ServiceAtLocation] = []
    for record in sal_records:
        location = record.get("location") if isinstance(record.get("location"), dict) else None
        location_id = location.get("id") if location else record.get("location_id")
        if not isinstance(location_id, str):
            continue
        if location:
            locations[location_id] = location
        sal_rows.append(ServiceAtLocation(id=record["id"], service=service, location_id=location_id))
    wanted_codes = {
        _first_postcode(loc)
        for loc in locations.values()
        if not _on_earth(loc.get("latitude"), loc.get("longitude")) and _first_postcode(loc)
    }
    postcodes = {p.code: p for p in Postcode.objects.filter(code__in=wanted_codes)} if wanted_codes else {}
    # Each location goes in the locality of the site whose postcode areas hold its postcode.
    locality_of = placer(areas_by_locality(service.site_id) if locations else {})
    location_rows = []
    for location_id, loc in locations.items():
        code = _first_postcode(loc)
        lat: float | None = None
        lng: float | None = None
        placed_by = ""
        if _on_earth(loc.get("latitude"), loc.get("longitude")):
            lat, lng, placed_by = float(loc["latitude"]), float(loc["longitude"]), "feed"
        elif code in postcodes:
            lat, lng, placed_by = postcodes[code].lat, postcodes[code].lng, "postcode"
        location_rows.append(
            Location(
                id=location_id,
                name=_text(loc, "name")[:500],
                location_type=_text(loc, "location_type")[:20] or "physical",
                document=loc,
                postcode=code,
                lat=lat,
                lng=lng,
                placed_by=placed_by,
                locality_id=locality_of(code),
                created_at=now,
                updated_at=now,
            )
        )
    _upsert(
        Location,
        location_rows,
        ["name", "location_type", "document", "postcode", "lat", "lng", "placed_by", "locality", "updated_at"],
    )
    OpeningSlot.objects.filter(service=service).delete()
    ServiceAtLocation.objects.filter(service=service).exclude(id__in=[s.id for s in sal_rows]).delete()
    _upsert(ServiceAtLocation, sal_rows, ["service", "location"])

    # Taxonomies and terms, from the service's attributes.
    term_rows: dict[str, TaxonomyTerm] = {}
    taxonomy_rows: dict[str, Taxonomy] = {}
    term_ids: list[str] = []
    for attribute in _dicts(doc.get("attributes")):
        term = attribute.get("taxonomy_term") if isinstance(attribute.get("taxonomy_term"), dict) else None
        term_id = term.get("id") if term else attribute.get("taxonomy_term_id")
        if not isinstance(term_id, str):
            continue
        term_ids.append(term_id)
        if not term:
            continue
        detail = term.get("taxonomy_detail")
        taxonomy_id = _text(term, "taxonomy_id")
        if isinstance(detail, dict) and isinstance(detail.get("id"), str):
            taxonomy_id = taxonomy_id or detail["id"]
            taxonomy_rows[detail["id"]] = Taxonomy(
                id=detail["id"],
                name=_text(detail, "name")[:500] or detail["id"],
                document={k: v for k, v in detail.items() if k != "taxonomy_terms"},
                created_at=now,
                updated_at=now,
            )
        term_rows[term_id] = TaxonomyTerm(
            id=term_id,
            name=_text(term, "name")[:500],
            taxonomy_id=taxonomy_id[:64],
            parent_id=_text(term, "parent_id")[:64],
            document=term,
            created_at=now,
            updated_at=now,
        )
    _upsert(Taxonomy, list(taxonomy_rows.values()), ["name", "document", "updated_at"])
    _upsert(TaxonomyTerm, list(term_rows.values()), ["name", "taxonomy_id", "parent_id", "document", "updated_at"])

    # Weekly opening slots.
    slots = _slots(service, _dicts(doc.get("schedules")), None, today)
    for sal_row, record in zip(sal_rows, [s for s in sal_records if _sal_location_id(s)], strict=True):
        slots.extend(_slots(service, _dicts(record.get("schedules")), sal_row, today))
    if slots:
        OpeningSlot.objects.bulk_create(slots)

    # Service columns.
    accessibility = [
        _text(item, key)
        for loc in locations.values()
        for item in _dicts(loc.get("accessibility"))
        for key in ("accessibility", "description", "details")
        if _text(item, key)
    ]
    languages = []
    for language in _dicts(doc.get("languages")):
        for key in ("code", "name"):
            if _text(language, key) and _text(language, key).lower() not in languages:
                languages.append(_text(language, key).lower())
    search_parts = [
        _text(doc, "name"),
        _text(doc, "description"),
        _text(org, "name") if org else "",
        *(t.name for t in term_rows.values()),
        *(_text(loc, "name") for loc in locations.values()),
    ]
    service.name = _text(doc, "name")[:500]
    service.status = _text(doc, "status")
    service.description = _text(doc, "description")
    service.search_text = " ".join(p for p in search_parts if p).lower()
    service.last_modified = _datetime(doc.get("last_modified"))
    service.is_free = is_free(doc, today)
    service.minimum_age = _decimal(doc.get("minimum_age"))
    service.maximum_age = _decimal(doc.get("maximum_age"))
    service.languages = languages
    service.accessibility = " ".join(accessibility).lower()
    service.save(
        update_fields=[
            "organization",
            "name",
            "status",
            "description",
            "search_text",
            "last_modified",
            "is_free",
            "minimum_age",
            "maximum_age",
            "languages",
            "accessibility",
            "updated_at",
        ]
    )
    unique_term_ids: list[Any] = list(dict.fromkeys(term_ids))
    service.terms.set(unique_term_ids)


def _sal_location_id(record: Mapping[str, Any]) -> str | None:
    location = record.get("location")
    location_id = location.get("id") if isinstance(location, dict) else record.get("location_id")
    return location_id if isinstance(location_id, str) and isinstance(record.get("id"), str) else None


# --------------------------------------------------------------------------------------------------
# Serving
# --------------------------------------------------------------------------------------------------


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def serve_capacity(capacity: ServiceCapacity) -> dict[str, Any]:
    """HSDS 3.1 service_capacity."""
    unit = capacity.unit
    served: dict[str, Any] = {
        "id": str(capacity.id),
        "unit": {"id": str(unit.id), "name": unit.name},
        "available": _number(capacity.available),
        "updated": format_datetime(capacity.updated),
    }
    for key in ("scheme", "identifier", "uri"):
        if getattr(unit, key):
            served["unit"][key] = getattr(unit, key)
    if capacity.maximum is not None:
        served["maximum"] = _number(capacity.maximum)
    if capacity.description:
        served["description"] = capacity.description
    return served


def serve_service(service: Service) -> dict[str, Any]:
    """The full service: its document, with `capacities` from the live rows when it has any."""
    served = clean(service.document)
    capacities = [serve_capacity(c) for c in service.capacities.select_related("unit").order_by("id")]
    if capacities:
        served["capacities"] = capacities
    return served


def _with_organization(service_doc: Mapping[str, Any]) -> dict[str, Any]:
    served = _scalars(service_doc)
    org = service_doc.get("organization")
    if isinstance(org, dict):
        served["organization"] = _scalars(org)
    return served


def serve_service_list_item(service: Service) -> dict[str, Any]:
    """A service in a list: its scalars, and its organisation's."""
    return _with_organization(clean(service.document))


def _sal_record(sal: ServiceAtLocation) -> dict[str, Any]:
    for record in _dicts(sal.service.document.get("service_at_locations")):
        if record.get("id") == sal.id:
            return clean(record)
    try:
        location = sal.location.document
    except Location.DoesNotExist:  # a feed may name a location it does not carry
        location = {}
    return {"id": sal.id, "location": clean(location)} if location else {"id": sal.id}


def serve_service_at_location(sal: ServiceAtLocation) -> dict[str, Any]:
    """A service at a location, with the full location and the service (without its other locations)."""
    record = _sal_record(sal)
    service_doc = clean(sal.service.document)
    served = {**record, "id": sal.id, "service_id": sal.service_id, "location_id": sal.location_id}
    served["service"] = {k: v for k, v in service_doc.items() if k != "service_at_locations"}
    return served


def serve_service_at_location_list_item(sal: ServiceAtLocation) -> dict[str, Any]:
    """A service at a location in a list: scalars of the location, and of the service and organisation."""
    record = _sal_record(sal)
    served: dict[str, Any] = {"id": sal.id, "service_id": sal.service_id, "location_id": sal.location_id}
    location = record.get("location")
    if isinstance(location, dict):
        served["location"] = _scalars(location)
    served["service"] = _with_organization(clean(sal.service.document))
    return served


def serve_taxonomy(taxonomy: Taxonomy) -> dict[str, Any]:
    served = {k: v for k, v in clean(taxonomy.document).items() if k != "taxonomy_terms"}
    served["id"] = taxonomy.id
    served["name"] = served.get("name") or taxonomy.name
    served.setdefault("description", served["name"])
    return served


def serve_taxonomy_term(term: TaxonomyTerm) -> dict[str, Any]:
    served = clean(term.document)
    served["id"] = term.id
    served["name"] = served.get("name") or term.name
    served.setdefault("description", served["name"])
    if term.taxonomy_id:
        served.setdefault("taxonomy_id", term.taxonomy_id)
    if term.parent_id:
        served.setdefault("parent_id", term.parent_id)
    return served


# --------------------------------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------------------------------

SaveOutcome = Literal["created", "updated", "unchanged"]


def save_service(
    *,
    document: object,
    site: Site,
    origin: Origin | str,
    curation: Curation | str,
    source: ImportSource | None = None,
    actor: Any = None,
    _retry: bool = False,
) -> tuple[Service, SaveOutcome]:
    """Check, clean and hash `document`, then create the service, update it, or leave it unchanged,
    and rebuild its projections. Raises `DocumentInvalid` with every problem found."""
    problems = check_service(document)
    if problems:
        raise DocumentInvalid(problems)
    assert isinstance(document, dict)
    cleaned = clean(document)
    digest = document_hash(cleaned)
    with transaction.atomic():
        existing = Service.objects.select_for_update().filter(pk=cleaned["id"]).first()
        if existing is not None:
            if existing.site_id != site.pk:
                raise DomainError(
                    "service_other_site",
                    "A service with this id belongs to another site",
                    field="id",
                )
            if existing.hash == digest:
                return existing, "unchanged"
            existing.document = cleaned
            existing.hash = digest
            existing.version += 1
            if source is not None:
                existing.source = source
            existing.save(update_fields=["document", "hash", "version", "source", "updated_at"])
            project(existing)
            return existing, "updated"
        service = Service(
            id=cleaned["id"],
            site=site,
            document=cleaned,
            hash=digest,
            origin=origin,
            curation=curation,
            source=source,
            name=_text(cleaned, "name")[:500],
            status=_text(cleaned, "status"),
        )
        if origin == Origin.SUGGESTION and getattr(actor, "pk", None) is not None:
            service.suggested_by = actor
        try:
            with transaction.atomic():
                service.save(force_insert=True)
        except IntegrityError:
            if _retry:
                raise
            # Someone saved the same id a moment ago: this save is now an update (or a no-op).
            return save_service(
                document=cleaned, site=site, origin=origin, curation=curation, source=source, actor=actor, _retry=True
            )
        project(service)
        return service, "created"


def new_id() -> str:
    """A fresh id for a record we create ourselves."""
    return str(uuid.uuid4())
