"""Local curation of the directory: staff add and change offers, anyone signed in suggests one, and
curators (Hub coordinators and site administrators of the offer's site) publish or decline
suggestions and take offers out of the directory and put them back.

Offers made here are ORUK 3.0 documents like imported ones: `document_from_form` builds the document
from the offer form's answers (keeping the ids of everything that is already there, so an edit
changes only what was changed), and `documents.save_service` checks it and rebuilds the projections.
Imported offers are never changed here: the next refresh of their feed would overwrite the change.

The directory is not person data, so there are no person audit events: each write records who did
it on the offer (`curated_by`, `curated_at`, `curator_note`, `suggested_by`) and a `network_change`
event (a change to the network's shared directory) in the same transaction. Refusals are audited
as `network_change` refusals.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from livingwell.audit import policy
from livingwell.audit import services as audit
from livingwell.audit.models import Action
from livingwell.core.concurrency import ConflictField, EditConflict
from livingwell.core.errors import DomainError
from livingwell.network.models import SUPPORT_ROLES, Role, Site

from .documents import format_datetime, save_service, serve_taxonomy_term
from .geo import display_postcode, normalise_postcode
from .models import Curation, Organization, Origin, Service, TaxonomyTerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from livingwell.accounts.models import User

CURATOR_ROLES = frozenset({Role.HUB_COORDINATOR, Role.SITE_ADMINISTRATOR})
STAFF_ROLES = SUPPORT_ROLES | CURATOR_ROLES
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_SLOTS = 3
ONLINE_PLACE = "Online or by phone"
INFORMAL_DESCRIPTION = "An informal group: people who meet, rather than a registered organisation."
COST_FREE, COST_CHARGE, COST_UNKNOWN = "free", "charge", "unknown"
_MONEY = re.compile(r"£\s?(\d+(?:\.\d{1,2})?)")
_LOCATION_KEYS = ("name", "addresses", "accessibility", "location_type")

# --------------------------------------------------------------------------------------------------
# Who may do what
# --------------------------------------------------------------------------------------------------


def _roles_at(user: User | AnonymousUser | None, site: Site | Any) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    site_id = getattr(site, "pk", site)
    return {m.role for m in policy.current_memberships(user) if m.site_id == site_id}


def can_curate(user: User | AnonymousUser | None, site: Site | Any) -> bool:
    """Curators of a site's directory: its Hub coordinators and site administrators."""
    return bool(_roles_at(user, site) & CURATOR_ROLES)


def is_staff(user: User | AnonymousUser | None, site: Site | Any) -> bool:
    """Staff add and change offers directly: support-role members of the site, and its curators."""
    return bool(_roles_at(user, site) & STAFF_ROLES)


def staff_site(user: User | AnonymousUser | None) -> Site | None:
    """The site where the user is staff (the first, if several), else None."""
    if user is None or not user.is_authenticated:
        return None
    for membership in policy.current_memberships(user):
        if membership.role in STAFF_ROLES:
            return membership.site
    return None


def curated_site(user: User | AnonymousUser | None) -> Site | None:
    """The site whose directory the user curates (the first, if several), else None."""
    if user is None or not user.is_authenticated:
        return None
    for membership in policy.current_memberships(user):
        if membership.role in CURATOR_ROLES:
            return membership.site
    return None


def can_change(user: User | AnonymousUser | None, service: Service) -> bool:
    """Staff of the offer's site change offers made here (by staff or from a suggestion), not imported ones."""
    return service.origin != Origin.IMPORTED and is_staff(user, service.site_id)


# --------------------------------------------------------------------------------------------------
# The offer form's answers and the ORUK document
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    day: int  # 0 is Monday
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True)
class OfferAnswers:
    """What the offer form asks, cleaned."""

    name: str
    organisation: str
    description: str
    informal: bool = False
    categories: tuple[str, ...] = ()
    online: bool = False
    venue: str = ""
    address_1: str = ""
    address_2: str = ""
    town: str = ""
    postcode: str = ""
    slots: tuple[Slot, ...] = ()
    other_times: str = ""
    cost: str = COST_UNKNOWN
    charge: str = ""
    languages: tuple[str, ...] = ()
    accessibility: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    phone: str = ""
    email: str = ""
    website: str = ""


def _tidy(text: str) -> str:
    return " ".join(text.split())


def check_answers(answers: OfferAnswers) -> None:
    """The rules an offer must meet whoever sends it (the form checks them too, by each field)."""
    if not _tidy(answers.name):
        raise DomainError("name_missing", "Enter the name of the offer", field="name")
    if not _tidy(answers.organisation):
        raise DomainError("organisation_missing", "Enter who runs it", field="organisation")
    if not answers.description.strip():
        raise DomainError("description_missing", "Say what happens there", field="description")
    if not answers.online:
        if not _tidy(answers.address_1):
            raise DomainError("address_missing", "Enter the first line of the address", field="address_1")
        if not _tidy(answers.town):
            raise DomainError("town_missing", "Enter the town or city", field="town")
        if not normalise_postcode(answers.postcode):
            raise DomainError("postcode_invalid", "Enter a real postcode, like SW9 8AB", field="postcode")
    if len(answers.slots) > MAX_SLOTS:
        raise DomainError("too_many_slots", f"Give up to {MAX_SLOTS} weekly times", field="slots")
    for slot in answers.slots:
        if not 0 <= slot.day <= 6:
            raise DomainError("slot_day", "Choose a day of the week", field="slot_1_day")
        if slot.closes <= slot.opens:
            raise DomainError("slot_order", "The closing time must be after the opening time", field="slot_1_closes")
    if answers.cost == COST_CHARGE and not answers.charge.strip():
        raise DomainError("charge_missing", "Say what it costs", field="charge")
    if answers.cost not in (COST_FREE, COST_CHARGE, COST_UNKNOWN):
        raise DomainError("cost_invalid", "Say whether it costs anything", field="cost")
    low, high = answers.minimum_age, answers.maximum_age
    if low is not None and high is not None and high < low:
        raise DomainError(
            "ages_order", "The maximum age must be the same as or more than the minimum", field="maximum_age"
        )


def _new_id() -> str:
    return str(uuid.uuid4())


def _dicts(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    return value.strip() if isinstance(value, str) else ""


def _time_text(value: dt.time) -> str:
    return value.strftime("%H:%M:%S")


def _first_location(doc: Mapping[str, Any]) -> tuple[int, dict[str, Any] | None]:
    """The index of the service-at-location the form shows (the first with a location), and its location."""
    for index, sal in enumerate(_dicts(doc.get("service_at_locations"))):
        location = sal.get("location")
        if isinstance(location, dict):
            return index, location
    return -1, None


def _organisation_for(answers: OfferAnswers, site: Site, existing: Mapping[str, Any] | None) -> dict[str, Any]:
    """The organisation the offer names: the one it already has when the name is the same, else one of
    the site's organisations with that name, else a new one."""
    name = _tidy(answers.organisation)
    current = existing.get("organization") if existing else None
    if isinstance(current, dict) and _text(current, "name").lower() == name.lower():
        org = copy.deepcopy(current)
        org["name"] = name
        return org
    found = Organization.objects.filter(name__iexact=name, services__site=site).order_by("created_at", "id").first()
    if found is not None and found.document.get("id") == found.pk:
        return {k: v for k, v in copy.deepcopy(found.document).items() if k != "services"}
    if found is not None:
        return {"id": found.pk, "name": found.name, "description": found.description or found.name}
    return {"id": _new_id(), "name": name, "description": INFORMAL_DESCRIPTION if answers.informal else name}


def _attributes(answers: OfferAnswers, service_id: str, existing: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The offer's categories as ORUK attributes, keeping the attribute of each category it already had
    (and any attribute that is not a category)."""
    old = _dicts(existing.get("attributes")) if existing else []
    by_term: dict[str, dict[str, Any]] = {}
    others: list[dict[str, Any]] = []
    for attribute in old:
        term = attribute.get("taxonomy_term")
        term_id = term.get("id") if isinstance(term, dict) else attribute.get("taxonomy_term_id")
        if isinstance(term_id, str):
            by_term.setdefault(term_id, attribute)
        else:
            others.append(attribute)
    wanted = list(dict.fromkeys(answers.categories))
    missing = [t for t in wanted if t not in by_term]
    terms = {t.pk: t for t in TaxonomyTerm.objects.filter(pk__in=missing)} if missing else {}
    attributes = []
    for term_id in wanted:
        if term_id in by_term:
            attributes.append(copy.deepcopy(by_term[term_id]))
        elif term_id in terms:
            attributes.append(
                {
                    "id": _new_id(),
                    "link_type": "service",
                    "link_id": service_id,
                    "taxonomy_term_id": term_id,
                    "taxonomy_term": serve_taxonomy_term(terms[term_id]),
                }
            )
        else:
            raise DomainError("category_unknown", "Choose categories from the list", field="categories")
    return attributes + copy.deepcopy(others)


def _form_schedules(answers: OfferAnswers, shown: Shown) -> list[dict[str, Any]]:
    """The weekly times and the other times in words, keeping the ids of the schedules shown by position."""
    schedules: list[dict[str, Any]] = []
    for index, slot in enumerate(answers.slots):
        schedule_id = _text(shown.weekly[index][0], "id") if index < len(shown.weekly) else ""
        if schedule_id in {_text(s, "id") for s in schedules}:
            schedule_id = ""  # one schedule on several days becomes one schedule a day
        schedules.append(
            {
                "id": schedule_id or _new_id(),
                "freq": "WEEKLY",
                "byday": DAY_CODES[slot.day],
                "opens_at": _time_text(slot.opens),
                "closes_at": _time_text(slot.closes),
            }
        )
    if answers.other_times.strip():
        schedule_id = _text(shown.other, "id") if shown.other else ""
        schedules.append({"id": schedule_id or _new_id(), "description": answers.other_times.strip()})
    return schedules


@dataclass
class Shown:
    """The schedules the form shows: weekly times as (schedule, day) in order, the other times in words,
    and the ids of every schedule shown (the others are kept as they are)."""

    weekly: list[tuple[dict[str, Any], int]] = field(default_factory=list)
    other: dict[str, Any] | None = None
    ids: set[str] = field(default_factory=set)


def _shown_schedules(doc: Mapping[str, Any]) -> Shown:
    """Which schedules of the service and of its first location the form shows: weekly ones on named
    days with an opening time (up to the form's number of times), and one described in words only."""
    index, _ = _first_location(doc)
    sals = _dicts(doc.get("service_at_locations"))
    records = _dicts(doc.get("schedules")) + (_dicts(sals[index].get("schedules")) if index >= 0 else [])
    shown = Shown()
    for schedule in records:
        schedule_id = _text(schedule, "id")
        freq = _text(schedule, "freq").upper()
        days = [d.strip().upper() for d in _text(schedule, "byday").split(",") if d.strip()]
        weekly = freq == "WEEKLY" and days and all(d in DAY_CODES for d in days) and schedule.get("opens_at")
        if weekly and len(shown.weekly) + len(days) <= MAX_SLOTS and schedule_id not in shown.ids:
            shown.weekly.extend((schedule, DAY_CODES.index(d)) for d in days)
            shown.ids.add(schedule_id)
        elif not freq and _text(schedule, "description") and shown.other is None and schedule_id not in shown.ids:
            shown.other = schedule
            shown.ids.add(schedule_id)
    return shown


def _location(answers: OfferAnswers, site: Site, old: dict[str, Any] | None) -> dict[str, Any]:
    location: dict[str, Any] = {k: v for k, v in copy.deepcopy(old or {}).items() if k not in _LOCATION_KEYS}
    location.setdefault("id", _new_id())
    if answers.online:
        location.pop("latitude", None)
        location.pop("longitude", None)
        location["location_type"] = "virtual"
        location["name"] = ONLINE_PLACE
    else:
        old_address = next(iter(_dicts((old or {}).get("addresses"))), {})
        moved = normalise_postcode(_text(old_address, "postal_code")) != normalise_postcode(answers.postcode)
        if moved:  # the feed's coordinates were for the old place: the postcode places it now
            location.pop("latitude", None)
            location.pop("longitude", None)
        location["location_type"] = "physical"
        if _tidy(answers.venue):
            location["name"] = _tidy(answers.venue)
        address = {k: v for k, v in copy.deepcopy(old_address).items() if k not in ("address_1", "address_2")}
        address.update(
            {
                "id": _text(old_address, "id") or _new_id(),
                "address_1": _tidy(answers.address_1),
                "city": _tidy(answers.town),
                "state_province": _text(old_address, "state_province") or site.name,
                "postal_code": display_postcode(answers.postcode),
                "country": _text(old_address, "country") or "GB",
                "address_type": "physical",
            }
        )
        if _tidy(answers.address_2):
            address["address_2"] = _tidy(answers.address_2)
        location["addresses"] = [address]
    if answers.accessibility.strip():
        old_access = next(iter(_dicts((old or {}).get("accessibility"))), {})
        location["accessibility"] = [
            {"id": _text(old_access, "id") or _new_id(), "description": answers.accessibility.strip()}
        ]
    return location


def _cost_options(answers: OfferAnswers, existing: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    old = next(iter(_dicts(existing.get("cost_options"))), {}) if existing else {}
    option_id = _text(old, "id") or _new_id()
    if answers.cost == COST_FREE:
        return [{"id": option_id, "amount": 0, "amount_description": "Free"}]
    if answers.cost == COST_CHARGE:
        words = answers.charge.strip()
        option: dict[str, Any] = {"id": option_id, "amount_description": words}
        money = _MONEY.search(words)
        if money:
            option["amount"] = _number(float(money.group(1)))
            option["currency"] = "GBP"
        return [option]
    return []


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def document_from_form(
    answers: OfferAnswers,
    *,
    site: Site,
    existing: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The ORUK 3.0 service document for the offer form's answers.

    New records get uuid4 ids. Given the `existing` document, its ids are kept for everything the form
    still describes, and what the form does not show (other locations, monthly schedules, service areas,
    funding, fields the form does not ask) is kept as it was, so an edit changes only what was changed."""
    check_answers(answers)
    doc: dict[str, Any] = copy.deepcopy(dict(existing)) if existing else {}
    service_id = _text(doc, "id") or _new_id()
    doc["id"] = service_id
    doc["name"] = _tidy(answers.name)
    doc["description"] = answers.description.strip()
    doc["status"] = _text(doc, "status") or "active"
    org = _organisation_for(answers, site, existing)
    doc["organization"] = org
    doc["organization_id"] = org["id"]
    # Where: the first location is the one the form shows; the others stay as they were.
    shown = _shown_schedules(existing) if existing else Shown()
    sals = _dicts(doc.get("service_at_locations"))
    index, old_location = _first_location(doc)
    if index >= 0:
        sal = {k: v for k, v in sals[index].items() if k != "schedules"}
        _set(sal, "schedules", [s for s in _dicts(sals[index].get("schedules")) if _text(s, "id") not in shown.ids])
        sal["location"] = _location(answers, site, old_location)
        sals[index] = sal
    else:
        sals.insert(0, {"id": _new_id(), "location": _location(answers, site, None)})
    doc["service_at_locations"] = sals
    kept = [s for s in _dicts(doc.get("schedules")) if _text(s, "id") not in shown.ids]
    _set(doc, "schedules", _form_schedules(answers, shown) + kept)
    _set(doc, "cost_options", _cost_options(answers, existing))
    old_languages = {_text(lang, "name").lower(): lang for lang in _dicts(doc.get("languages"))}
    _set(
        doc,
        "languages",
        [
            {"id": _text(old_languages.get(name.lower(), {}), "id") or _new_id(), "name": name}
            for name in dict.fromkeys(_tidy(n) for n in answers.languages if _tidy(n))
        ],
    )
    _set(doc, "attributes", _attributes(answers, service_id, existing))
    for key, value in (("minimum_age", answers.minimum_age), ("maximum_age", answers.maximum_age)):
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    old_phone = next(iter(_dicts(doc.get("phones"))), {})
    _set(
        doc,
        "phones",
        [{"id": _text(old_phone, "id") or _new_id(), "number": _tidy(answers.phone)}] if _tidy(answers.phone) else [],
    )
    _set(doc, "email", answers.email.strip())
    _set(doc, "url", answers.website.strip())
    doc["last_modified"] = format_datetime(now or timezone.now())
    return doc


def _set(doc: dict[str, Any], key: str, value: Any) -> None:
    if value in ("", [], None):
        doc.pop(key, None)
    else:
        doc[key] = value


def _term_id(attribute: Mapping[str, Any]) -> object:
    term = attribute.get("taxonomy_term")
    return term.get("id") if isinstance(term, dict) else attribute.get("taxonomy_term_id")


def form_initial_from_document(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The offer form's answers for an existing document, as the form's fields take them."""
    found = doc.get("organization")
    org: dict[str, Any] = found if isinstance(found, dict) else {}
    org_id = _text(org, "id") or _text(doc, "organization_id")
    informal = bool(org_id) and Organization.objects.filter(pk=org_id, informal=True).exists()
    _, location = _first_location(doc)
    location = location or {}
    online = _text(location, "location_type") == "virtual" or not location
    address = next(iter(_dicts(location.get("addresses"))), {})
    shown = _shown_schedules(doc)
    weekly, other = shown.weekly, shown.other
    initial: dict[str, Any] = {
        "name": _text(doc, "name"),
        "organisation": _text(org, "name"),
        "informal": informal,
        "description": _text(doc, "description"),
        "categories": [term_id for a in _dicts(doc.get("attributes")) if isinstance(term_id := _term_id(a), str)],
        "online": online,
        "venue": "" if online or _text(location, "name") == ONLINE_PLACE else _text(location, "name"),
        "address_1": _text(address, "address_1"),
        "address_2": _text(address, "address_2"),
        "town": _text(address, "city"),
        "postcode": display_postcode(_text(address, "postal_code")),
        "other_times": _text(other, "description") if other else "",
        "languages": ", ".join(_text(lang, "name") or _text(lang, "code") for lang in _dicts(doc.get("languages"))),
        "accessibility": "\n".join(
            _text(item, "description") or _text(item, "details") for item in _dicts(location.get("accessibility"))
        ),
        "minimum_age": _age(doc.get("minimum_age")),
        "maximum_age": _age(doc.get("maximum_age")),
        "phone": _text(next(iter(_dicts(doc.get("phones"))), {}), "number"),
        "email": _text(doc, "email"),
        "website": _text(doc, "url"),
    }
    for number in range(1, MAX_SLOTS + 1):
        if number <= len(weekly):
            schedule, day = weekly[number - 1]
            initial[f"slot_{number}_day"] = str(day)
            initial[f"slot_{number}_opens"] = _text(schedule, "opens_at")[:5]
            initial[f"slot_{number}_closes"] = _text(schedule, "closes_at")[:5]
        else:
            initial[f"slot_{number}_day"] = ""
            initial[f"slot_{number}_opens"] = ""
            initial[f"slot_{number}_closes"] = ""
    option = next(iter(_dicts(doc.get("cost_options"))), None)
    if option is None:
        initial["cost"] = COST_FREE if doc.get("fees") and "free" in _text(doc, "fees").lower() else COST_UNKNOWN
        initial["charge"] = "" if initial["cost"] == COST_FREE else _text(doc, "fees")
        if initial["charge"]:
            initial["cost"] = COST_CHARGE
    elif option.get("amount") == 0:
        initial["cost"], initial["charge"] = COST_FREE, ""
    else:
        initial["cost"] = COST_CHARGE
        initial["charge"] = _text(option, "amount_description") or _text(option, "option") or _money(option)
    return initial


def _money(option: Mapping[str, Any]) -> str:
    amount = option.get("amount")
    return f"£{amount}" if isinstance(amount, int | float) and not isinstance(amount, bool) else ""


def _age(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


# --------------------------------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------------------------------

CONFLICT_LABELS = {
    "name": "Name",
    "organisation": "Who runs it",
    "description": "What happens there",
    "address_1": "Address",
    "town": "Town or city",
    "postcode": "Postcode",
    "other_times": "Other times",
    "charge": "What it costs",
    "languages": "Languages",
    "accessibility": "Access",
    "phone": "Phone",
    "email": "Email",
    "website": "Website",
}


def _refuse(
    actor: User | AnonymousUser, site: Site | Any, reason: str, message: str, request: HttpRequest | None
) -> Exception:
    return audit.refuse(actor=actor, action=Action.NETWORK_CHANGE, reason=reason, request=request, message=message)


def _record(
    *, actor: User | AnonymousUser, service: Service, what: str, request: HttpRequest | None, **detail: Any
) -> None:
    audit.record(
        actor=actor,
        action=Action.NETWORK_CHANGE,
        detail={
            "site": str(service.site_id),
            "object": "community_offer",
            "id": service.pk,
            "name": service.name,
            "what": what,
            **detail,
        },
        request=request,
    )


def _save(
    *,
    answers: OfferAnswers,
    site: Site,
    origin: Origin,
    curation: Curation,
    actor: User | AnonymousUser,
    existing: Service | None = None,
) -> Service:
    document = document_from_form(answers, site=site, existing=existing.document if existing else None)
    service, _ = save_service(document=document, site=site, origin=origin, curation=curation, actor=actor)
    if service.organization_id:
        Organization.objects.filter(pk=service.organization_id).exclude(informal=answers.informal).update(
            informal=answers.informal
        )
    return service


def offer_add(
    *, actor: User | AnonymousUser, site: Site, answers: OfferAnswers, request: HttpRequest | None = None
) -> Service:
    """Staff add an offer straight into the directory."""
    if not is_staff(actor, site):
        raise _refuse(
            actor,
            site,
            f"Not staff of {site.name}",
            "Only staff of this site can add offers to the directory.",
            request,
        )
    with transaction.atomic():
        service = _save(answers=answers, site=site, origin=Origin.STAFF, curation=Curation.PUBLISHED, actor=actor)
        service.curated_by = actor  # type: ignore[assignment]
        service.curated_at = timezone.now()
        service.save(update_fields=["curated_by", "curated_at", "updated_at"])
        _record(actor=actor, service=service, what="added", request=request)
    return service


def offer_suggest(
    *, actor: User | AnonymousUser, site: Site, answers: OfferAnswers, request: HttpRequest | None = None
) -> Service:
    """Anyone signed in suggests an offer; it waits for a curator and is not in the directory until then."""
    if not actor.is_authenticated:
        raise _refuse(actor, site, "Not signed in", "Sign in to suggest an offer.", request)
    with transaction.atomic():
        service = _save(answers=answers, site=site, origin=Origin.SUGGESTION, curation=Curation.SUGGESTED, actor=actor)
        if service.suggested_by_id != actor.pk:
            service.suggested_by = actor  # type: ignore[assignment]
            service.save(update_fields=["suggested_by", "updated_at"])
        _record(actor=actor, service=service, what="suggested", request=request)
    return service


def _found(service_id: str) -> Service:
    service = Service.objects.select_related("site").filter(pk=service_id).first()
    if service is None:
        raise DomainError("offer_unknown", "There is no such offer")
    return service


def _locked(service_id: str) -> Service:
    """The offer, locked until the transaction ends (`of=("self",)`: PostgreSQL cannot lock the
    nullable side of the join)."""
    service = Service.objects.select_for_update(of=("self",)).select_related("site").filter(pk=service_id).first()
    if service is None:
        raise DomainError("offer_unknown", "There is no such offer")
    return service


def _conflict(service: Service, answers: OfferAnswers) -> EditConflict:
    theirs = form_initial_from_document(service.document)
    mine = _answers_initial(answers)
    changer = service.curated_by
    return EditConflict(
        what="this offer",
        fields=[
            ConflictField(label=label, theirs=str(theirs.get(key) or ""), mine=str(mine.get(key) or ""))
            for key, label in CONFLICT_LABELS.items()
        ],
        current_version=service.version,
        changed_by=changer.name if changer is not None else "",
        changed_at=service.curated_at or service.updated_at,
    )


def _answers_initial(answers: OfferAnswers) -> dict[str, Any]:
    return {
        "name": _tidy(answers.name),
        "organisation": _tidy(answers.organisation),
        "description": answers.description.strip(),
        "address_1": "" if answers.online else _tidy(answers.address_1),
        "town": "" if answers.online else _tidy(answers.town),
        "postcode": "" if answers.online else display_postcode(answers.postcode),
        "other_times": answers.other_times.strip(),
        "charge": answers.charge.strip() if answers.cost == COST_CHARGE else "",
        "languages": ", ".join(answers.languages),
        "accessibility": answers.accessibility.strip(),
        "phone": answers.phone.strip(),
        "email": answers.email.strip(),
        "website": answers.website.strip(),
    }


def offer_change(
    *,
    actor: User | AnonymousUser,
    service_id: str,
    answers: OfferAnswers,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Service:
    """Staff change an offer made here (not an imported one). Raises EditConflict, saving nothing, when
    someone saved it after `expected_version`."""
    found = _found(service_id)
    if not is_staff(actor, found.site_id):  # refused before the transaction, so that the refusal is kept
        raise _refuse(
            actor,
            found.site_id,
            f"Not staff of {found.site.name}",
            "Only staff of this site can change its offers.",
            request,
        )
    with transaction.atomic():
        service = _locked(service_id)
        if service.origin == Origin.IMPORTED:
            raise DomainError(
                "offer_imported",
                "This offer comes from a directory feed: ask its publisher to change it, or the next refresh will undo the change",
            )
        if service.version != expected_version:
            raise _conflict(Service.objects.select_related("curated_by").get(pk=service.pk), answers)
        saved = _save(
            answers=answers,
            site=service.site,
            origin=Origin(service.origin),
            curation=Curation(service.curation),
            actor=actor,
            existing=service,
        )
        saved.curated_by = actor  # type: ignore[assignment]
        saved.curated_at = timezone.now()
        saved.save(update_fields=["curated_by", "curated_at", "updated_at"])
        _record(actor=actor, service=saved, what="changed", request=request)
    return saved


def _curate(
    *,
    actor: User | AnonymousUser,
    service_id: str,
    allowed: tuple[Curation, ...],
    to: Curation,
    note: str,
    what: str,
    request: HttpRequest | None,
    expected_version: int | None = None,
) -> Service:
    found = _found(service_id)
    if not can_curate(actor, found.site_id):  # refused before the transaction, so that the refusal is kept
        raise _refuse(
            actor,
            found.site_id,
            f"Not a curator of {found.site.name}",
            "Only a Hub coordinator or site administrator of this site can do this.",
            request,
        )
    with transaction.atomic():
        service = _locked(service_id)
        if service.curation not in allowed:
            raise DomainError(
                "offer_state", f"This offer is {Curation(service.curation).label.lower()}: it cannot be {what} now"
            )
        if expected_version is not None and service.version != expected_version:
            raise DomainError(
                "offer_moved_on",
                "Someone changed this suggestion after you opened it. Check it again before you publish it",
            )
        service.curation = to
        service.curated_by = actor  # type: ignore[assignment]
        service.curated_at = timezone.now()
        service.curator_note = note
        service.save(update_fields=["curation", "curated_by", "curated_at", "curator_note", "updated_at"])
        _record(actor=actor, service=service, what=what, request=request, **({"note": note} if note else {}))
    return service


def suggestion_publish(
    *,
    actor: User | AnonymousUser,
    service_id: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Service:
    """A curator puts a suggestion (or one declined before) into the directory."""
    return _curate(
        actor=actor,
        service_id=service_id,
        allowed=(Curation.SUGGESTED, Curation.DECLINED),
        to=Curation.PUBLISHED,
        note="",
        what="published",
        request=request,
        expected_version=expected_version,
    )


def _note(text: str, *, code: str, message: str, field: str) -> str:
    note = text.strip()
    if not note:
        raise DomainError(code, message, field=field)
    if len(note) > 2000:
        raise DomainError(f"{field}_too_long", "Write 2000 characters or fewer", field=field)
    return note


def suggestion_decline(
    *, actor: User | AnonymousUser, service_id: str, note: str, request: HttpRequest | None = None
) -> Service:
    """A curator does not add a suggestion, saying why in words the person who suggested it will read."""
    why = _note(
        note,
        code="note_missing",
        message="Say why it is not being added: the person who suggested it will read this",
        field="note",
    )
    return _curate(
        actor=actor,
        service_id=service_id,
        allowed=(Curation.SUGGESTED,),
        to=Curation.DECLINED,
        note=why,
        what="declined",
        request=request,
    )


def offer_withdraw(
    *, actor: User | AnonymousUser, service_id: str, reason: str, request: HttpRequest | None = None
) -> Service:
    """A curator takes an offer out of the directory (an imported one too: a refresh keeps it out)."""
    why = _note(reason, code="reason_missing", message="Say why it is being taken out of the directory", field="reason")
    return _curate(
        actor=actor,
        service_id=service_id,
        allowed=(Curation.PUBLISHED,),
        to=Curation.WITHDRAWN,
        note=why,
        what="withdrawn",
        request=request,
    )


def offer_restore(*, actor: User | AnonymousUser, service_id: str, request: HttpRequest | None = None) -> Service:
    """A curator puts an offer they took out back into the directory."""
    return _curate(
        actor=actor,
        service_id=service_id,
        allowed=(Curation.WITHDRAWN,),
        to=Curation.PUBLISHED,
        note="",
        what="restored",
        request=request,
    )


# --------------------------------------------------------------------------------------------------
# Selectors
# --------------------------------------------------------------------------------------------------


def waiting(site: Site) -> QuerySet[Service]:
    """Suggestions waiting for a curator, oldest first."""
    return (
        Service.objects.filter(site=site, curation=Curation.SUGGESTED)
        .select_related("suggested_by", "organization")
        .order_by("created_at", "pk")
    )


def recently_withdrawn(site: Site, limit: int = 20) -> list[Service]:
    return list(
        Service.objects.filter(site=site, curation=Curation.WITHDRAWN)
        .select_related("curated_by", "organization", "source")
        .order_by("-curated_at", "pk")[:limit]
    )


def suggestions_of(user: User) -> list[Service]:
    """What the user suggested, newest first."""
    return list(
        Service.objects.filter(suggested_by=user, origin=Origin.SUGGESTION)
        .select_related("organization")
        .order_by("-created_at", "pk")
    )


def offer_for_curation(*, site: Site, service_id: str) -> Service | None:
    """Any offer of the site, whatever its curation, with what its page shows (for staff and curators)."""
    return (
        Service.objects.filter(site=site, pk=service_id)
        .select_related("organization", "suggested_by", "curated_by", "source")
        .prefetch_related("terms", "capacities__unit", "at_locations__location")
        .first()
    )


def require_staff(actor: User | AnonymousUser, site: Site | None, request: HttpRequest | None = None) -> Site:
    """The site, when the actor is its staff; else an audited refusal."""
    if site is None or not is_staff(actor, site):
        raise _refuse(
            actor, site, "Not staff of the site", "Only Living Well staff can add and change offers.", request
        )
    return site


def require_curator(actor: User | AnonymousUser, site: Site | None, request: HttpRequest | None = None) -> Site:
    """The site, when the actor curates its directory; else an audited refusal."""
    if site is None or not can_curate(actor, site):
        raise _refuse(
            actor,
            site,
            "Not a curator of the site",
            "Only a Hub coordinator or site administrator can review suggestions and take offers out of the directory.",
            request,
        )
    return site
