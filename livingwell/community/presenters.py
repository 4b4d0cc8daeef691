"""Community offers in words: distances in miles, opening times, costs, contacts and capacity, formatted
from the stored ORUK documents for the search results and an offer's page."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from livingwell.core import presenters as core
from livingwell.people.models import Person

from .documents import is_free, parse_time
from .geo import display_postcode
from .models import Location, OpeningSlot, Service, ServiceStatus
from .picture import picture_link
from .presenters_feeds import feeds_link
from .search import OfferHit, OfferPage

METRES_PER_MILE = 1609.344
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CODES = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last", -2: "second to last"}


def miles(metres: float | None) -> str:
    """'0.4 miles away', '1 mile away', 'Less than 0.1 miles away'."""
    if metres is None:
        return ""
    value = metres / METRES_PER_MILE
    if value < 0.05:
        return "Less than 0.1 miles away"
    rounded = round(value, 1)
    text = f"{rounded:g}" if rounded >= 1 else f"{rounded:.1f}"
    return f"{text} mile away" if rounded == 1 else f"{text} miles away"


def clock(value: dt.time) -> str:
    """'10am', '2:30pm', 'midday', 'midnight'."""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if (value.hour, value.minute) == (0, 0) or value >= dt.time(23, 59, 59):
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def and_join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def opening_summary(slots: Iterable[OpeningSlot]) -> str:
    """'Mondays and Wednesdays, 10am to midday; Fridays, 6pm to 8pm' from weekly opening times."""
    groups: dict[tuple[dt.time, dt.time], list[int]] = {}
    for slot in sorted(slots, key=lambda s: (s.opens, s.weekday)):
        days = groups.setdefault((slot.opens, slot.closes), [])
        if slot.weekday not in days:
            days.append(slot.weekday)
    parts = [
        f"{and_join([DAY_NAMES[d] + 's' for d in sorted(days)])}, {clock(opens)} to {clock(closes)}"
        for (opens, closes), days in sorted(groups.items(), key=lambda item: (min(item[1]), item[0]))
    ]
    return "; ".join(parts)


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    return value.strip() if isinstance(value, str) else ""


def _dicts(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _day_rule(code: str) -> str:
    """'MO' -> 'Monday', '1MO' -> 'first Monday', '-1FR' -> 'last Friday'."""
    code = code.strip().upper()
    day = CODES.get(code[-2:])
    if day is None:
        return ""
    prefix = code[:-2]
    if not prefix:
        return DAY_NAMES[day]
    try:
        ordinal = ORDINALS.get(int(prefix), f"number {prefix}")
    except ValueError:
        return DAY_NAMES[day]
    return f"{ordinal} {DAY_NAMES[day]}"


def _month_day(text: str) -> str:
    try:
        number = int(text)
    except ValueError:
        return ""
    if number < 0:
        return "last day" if number == -1 else f"{-number}th day from the end"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def schedule_words(schedule: Mapping[str, Any], today: dt.date | None = None) -> str:
    """A schedule in words, e.g. 'Every Monday and Thursday, 10am to 6pm', 'The first Monday of every
    month, 7pm to 9pm', 'Every other Tuesday'; with its description when it has one."""
    today = today or timezone.localdate()
    freq = _text(schedule, "freq").upper()
    interval = schedule.get("interval") if isinstance(schedule.get("interval"), int) else 1
    days = [w for w in (_day_rule(d) for d in _text(schedule, "byday").split(",") if d.strip()) if w]
    month_days = [w for w in (_month_day(d.strip()) for d in _text(schedule, "bymonthday").split(",")) if w]
    rule = ""
    if freq == "WEEKLY":
        every = "Every" if interval in (None, 1) else ("Every other" if interval == 2 else f"Every {interval} weeks on")
        rule = f"{every} {and_join(days)}" if days else ("Every week" if interval in (None, 1) else every)
    elif freq == "MONTHLY":
        month = (
            "every month"
            if interval in (None, 1)
            else ("every other month" if interval == 2 else f"every {interval} months")
        )
        if days:
            rule = f"The {and_join(days)} of {month}"
        elif month_days:
            rule = f"The {and_join(month_days)} of {month}"
        else:
            rule = f"Once {month}".capitalize()
    on = today
    opens, closes = parse_time(schedule.get("opens_at"), on), parse_time(schedule.get("closes_at"), on)
    if rule and opens and closes:
        rule = f"{rule}, {clock(opens)} to {clock(closes)}"
    elif rule and opens:
        rule = f"{rule}, from {clock(opens)}"
    valid_to = _text(schedule, "valid_to")
    if rule and valid_to:
        with contextlib.suppress(ValueError):
            rule = f"{rule}, until {core.date(dt.date.fromisoformat(valid_to[:10]))}"
    description = _text(schedule, "description")
    return " ".join(p for p in (f"{rule}." if rule else "", description) if p)


def _money(amount: object, currency: str) -> str:
    if not isinstance(amount, int | float | Decimal) or isinstance(amount, bool):
        return ""
    symbol = {"GBP": "£", "": "£", "EUR": "€", "USD": "$"}.get(currency.upper(), f"{currency} ")
    value = Decimal(str(amount))
    return f"{symbol}{value:,.0f}" if value == value.to_integral() else f"{symbol}{value:,.2f}"


def cost_words(document: Mapping[str, Any], today: dt.date | None = None) -> str:
    """'Free', '£5 per session', or the fees in the offer's own words; 'Not known' when it does not say."""
    today = today or timezone.localdate()
    free = is_free(document, today)
    options = []
    for option in _dicts(document.get("cost_options")):
        valid_to = _text(option, "valid_to")
        if valid_to and valid_to[:10] < today.isoformat():
            continue
        money = _money(option.get("amount"), _text(option, "currency"))
        amount = option.get("amount")
        if isinstance(amount, int | float) and not isinstance(amount, bool) and amount == 0:
            words = "Free"
        else:
            described = _text(option, "amount_description")
            # "£3 a session" already says the amount: do not write it twice.
            words = described if money and money in described else " ".join(p for p in (money, described) if p)
        if _text(option, "option"):
            words = f"{words} ({_text(option, 'option')})" if words else _text(option, "option")
        if words:
            options.append(words)
    fees = _text(document, "fees_description") or _text(document, "fees")
    if free and not options:
        return "Free"
    parts = ([] if not free else ["Free"]) + options + ([fees] if fees and fees not in options else [])
    return "; ".join(dict.fromkeys(parts)) if parts else "Not known"


def language_words(document: Mapping[str, Any]) -> list[str]:
    names = []
    for language in _dicts(document.get("languages")):
        name = _text(language, "name") or _text(language, "code")
        if name and name not in names:
            names.append(name[:1].upper() + name[1:])
    return names


def address_lines(location: Location | None) -> list[str]:
    if location is None:
        return []
    lines: list[str] = []
    if location.name:
        lines.append(location.name)
    for address in _dicts(location.document.get("addresses"))[:1]:
        for key in ("address_1", "address_2", "city"):
            if _text(address, key):
                lines.append(_text(address, key))
        if _text(address, "postal_code"):
            lines.append(display_postcode(_text(address, "postal_code")))
    if location.postcode and display_postcode(location.postcode) not in lines:
        lines.append(display_postcode(location.postcode))
    return lines


def ago(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    days = (timezone.localtime(now).date() - timezone.localtime(moment).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


@dataclass
class OfferRow:
    name: str
    href: str
    organisation: str
    distance: str
    opening: str
    cost: str
    languages: str
    place: str


def offer_rows(hits: Iterable[OfferHit], *, for_id: str = "") -> list[OfferRow]:
    """The offers found, in words; with `for_id`, each links to the offer's page for that person (to connect them)."""
    rows = []
    suffix = f"?{urlencode({'for': for_id})}" if for_id else ""
    for hit in hits:
        service = hit.service
        rows.append(
            OfferRow(
                name=service.name,
                href=reverse("community:offer", args=[service.pk]) + suffix,
                organisation=service.organization.name if service.organization else "",
                distance=miles(hit.distance),
                opening=opening_summary(hit.slots) or "Ask the organisation when it is open",
                cost=cost_words(service.document),
                languages=", ".join(language_words(service.document)),
                place=", ".join(address_lines(hit.location)[1:] or address_lines(hit.location)),
            )
        )
    return rows


@dataclass
class ContactLine:
    label: str
    value: str
    href: str = ""


@dataclass
class OfferDetail:
    name: str
    status: str
    description: str
    organisation: str
    organisation_description: str
    places: list[list[str]]
    schedules: list[str]
    cost: str
    languages: str
    accessibility: list[str]
    contacts: list[ContactLine]
    capacity: list[str]
    categories: list[str]
    ages: str
    extra: dict[str, str] = field(default_factory=dict)


def _phones(records: Iterable[Mapping[str, Any]], who: str = "") -> list[ContactLine]:
    lines = []
    for phone in records:
        number = _text(phone, "number")
        if number:
            label = " ".join(p for p in ("Phone", f"({who})" if who else "") if p)
            description = _text(phone, "description")
            lines.append(ContactLine(label=label, value=f"{number} {description}".strip(), href=f"tel:{number}"))
    return lines


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _ages(service: Service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        return f"{_num(low)} to {_num(high)} years old"
    if low is not None:
        return f"{_num(low)} years old and over"
    if high is not None:
        return f"Up to {_num(high)} years old"
    return ""


def offer_detail(service: Service) -> OfferDetail:
    doc = service.document
    locations = [sal.location for sal in service.at_locations.all()]
    schedules = [schedule_words(s) for s in _dicts(doc.get("schedules"))]
    for sal in _dicts(doc.get("service_at_locations")):
        schedules.extend(schedule_words(s) for s in _dicts(sal.get("schedules")))
    accessibility = [
        _text(item, key)
        for loc in locations
        for item in _dicts(loc.document.get("accessibility"))
        for key in ("description", "details")
        if _text(item, key)
    ]
    contacts: list[ContactLine] = []
    for contact in _dicts(doc.get("contacts")):
        who = ", ".join(p for p in (_text(contact, "name"), _text(contact, "title")) if p)
        if who:
            contacts.append(ContactLine(label="Contact", value=who))
        if _text(contact, "email"):
            contacts.append(
                ContactLine(label="Email", value=_text(contact, "email"), href=f"mailto:{_text(contact, 'email')}")
            )
        contacts.extend(_phones(_dicts(contact.get("phones")), _text(contact, "name")))
    contacts.extend(_phones(_dicts(doc.get("phones"))))
    if _text(doc, "email"):
        contacts.append(ContactLine(label="Email", value=_text(doc, "email"), href=f"mailto:{_text(doc, 'email')}"))
    if _text(doc, "url"):
        contacts.append(ContactLine(label="Website", value=_text(doc, "url"), href=_text(doc, "url")))
    capacity = []
    for item in service.capacities.all():
        unit = item.unit.name.lower()
        amount = _num(item.available)
        line = f"{amount} {unit} available"
        if item.maximum is not None:
            line = f"{amount} of {_num(item.maximum)} {unit} available"
        capacity.append(f"{line}, updated {ago(item.updated)}")
    org = service.organization
    return OfferDetail(
        name=service.name,
        status="" if service.status == ServiceStatus.ACTIVE else ServiceStatus(service.status).label,
        description=service.description,
        organisation=org.name if org else "",
        organisation_description=org.description if org else "",
        places=[lines for lines in (address_lines(loc) for loc in locations) if lines],
        schedules=[s for s in schedules if s],
        cost=cost_words(doc),
        languages=", ".join(language_words(doc)),
        accessibility=list(dict.fromkeys(accessibility)),
        contacts=contacts,
        capacity=capacity,
        categories=sorted({t.name for t in service.terms.all()}),
        ages=_ages(service),
    )


def search_context(
    *, request: Any, form: Any, results: OfferPage | None, person: Person | None, own: bool, link_for: bool = False
) -> dict[str, Any]:
    """Everything the search page shows: the form, the results in words, the paging links."""
    kept = [(k, v) for k, values in request.GET.lists() if k != "page" for v in values]

    def href(page: int) -> str:
        return "?" + urlencode([*kept, ("page", str(page))])

    previous = next_ = None
    caption = ""
    if results is not None:
        if results.has_previous:
            previous = {"href": href(results.page - 1), "labelText": f"Page {results.page - 1} of {results.pages}"}
        if results.has_next:
            next_ = {"href": href(results.page + 1), "labelText": f"Page {results.page + 1} of {results.pages}"}
        noun = "offer" if results.total == 1 else "offers"
        caption = f"{results.total} {noun}"
        if results.pages > 1:
            caption += f" (page {results.page} of {results.pages})"
        if results.place is not None:
            caption += ", nearest first"
    no_home = ""
    if person is not None and not person.postcode:
        whose = "Your record" if own else f"{person.display_name}’s record"  # noqa: RUF001
        no_home = f"{whose} has no home postcode, so search near a postcode instead."
    if person is None:
        title = "Find community offers"
    elif own:
        title = "Find community offers near you"
    else:
        title = f"Find community offers for {person.display_name}"
    return {
        "title": title,
        "form": form,
        "searched": results is not None and any(k not in ("for", "page") for k in request.GET),
        "results": results,
        "rows": offer_rows(results.items, for_id=str(person.pk) if person is not None and link_for else "")
        if results is not None
        else [],
        "caption": caption,
        "previous": previous,
        "next": next_,
        "for_id": str(person.pk) if person is not None else "",
        "no_home": no_home,
        "feeds_href": feeds_link(request.user),
        "picture_href": picture_link(request.user),
        "offer_map": offer_map_context(kept) if results is not None and results.total else None,
    }


@dataclass(frozen=True)
class OfferMapContext:
    """What the search page's map needs: where to fetch the search's offers as GeoJSON, and the base map."""

    geojson_url: str
    tiles: str
    attribution: str


def offer_map_context(kept: list[tuple[str, str]]) -> OfferMapContext:
    """The map for a search given by its GET parameters (without the page number)."""
    query = urlencode(kept)
    url = reverse("community:offers_geojson")
    return OfferMapContext(
        geojson_url=f"{url}?{query}" if query else url,
        tiles=settings.LIVINGWELL_MAP_TILES,
        attribution=settings.LIVINGWELL_MAP_ATTRIBUTION,
    )


# Curation: suggestions, the curators' queue, and where an offer comes from.


@dataclass
class SuggestionRow:
    name: str
    organisation: str
    suggested_on: str
    state: str
    tag_colour: str
    note: str
    href: str
    suggested_by: str = ""
    curated: str = ""


_SUGGESTION_STATES = {
    "suggested": ("Waiting for a Hub coordinator", "yellow"),
    "published": ("In the directory", "green"),
    "declined": ("Not added", "red"),
    "withdrawn": ("Taken out of the directory", "grey"),
}


def _organisation_name(service: Service) -> str:
    org = service.organization
    if org is None:
        return ""
    return f"{org.name} (informal group)" if org.informal else org.name


def suggestion_row(service: Service) -> SuggestionRow:
    """One of the user's suggestions and what happened to it, with the curator's note."""
    state, colour = _SUGGESTION_STATES.get(service.curation, (service.get_curation_display(), "grey"))
    return SuggestionRow(
        name=service.name,
        organisation=_organisation_name(service),
        suggested_on=core.date(timezone.localtime(service.created_at).date()),
        state=state,
        tag_colour=colour,
        note=service.curator_note if service.curation in ("declined", "withdrawn") else "",
        href=reverse("community:offer", args=[service.pk]) if service.curation == "published" else "",
        curated=core.date(timezone.localtime(service.curated_at).date()) if service.curated_at else "",
    )


def waiting_row(service: Service) -> SuggestionRow:
    """A suggestion in the curators' queue: who suggested it and when."""
    who = service.suggested_by
    return SuggestionRow(
        name=service.name,
        organisation=_organisation_name(service),
        suggested_on=f"{core.date(timezone.localtime(service.created_at).date())} ({ago(service.created_at)})",
        state="Waiting",
        tag_colour="yellow",
        note="",
        href=reverse("community:review", args=[service.pk]),
        suggested_by=who.name if who is not None else "Someone who has since left",
    )


def withdrawn_row(service: Service) -> SuggestionRow:
    who = service.curated_by
    return SuggestionRow(
        name=service.name,
        organisation=_organisation_name(service),
        suggested_on="",
        state="Taken out of the directory",
        tag_colour="grey",
        note=service.curator_note,
        href=reverse("community:offer", args=[service.pk]),
        suggested_by=who.name if who is not None else "",
        curated=core.date(timezone.localtime(service.curated_at).date()) if service.curated_at else "",
    )


def suggestion_about(service: Service) -> list[tuple[str, str]]:
    """Who suggested an offer and when, for the review page."""
    who = service.suggested_by
    rows = [
        ("Suggested by", who.name if who is not None else "Someone who has since left"),
        ("Suggested on", f"{core.date(timezone.localtime(service.created_at).date())} ({ago(service.created_at)})"),
    ]
    if service.organization is not None and service.organization.informal:
        rows.append(("Kind of group", "An informal group, not a registered organisation"))
    return rows


def imported_from(service: Service) -> str:
    """'Imported from Lambeth Council's directory': the feed an imported offer comes from."""
    source = service.source
    return f"Imported from {source.name}" if source is not None else "Imported from another directory"


def curation_notice(service: Service) -> str:
    """Why an offer a curator is looking at is not in the directory."""
    if service.curation == "withdrawn":
        note = f" Why: {service.curator_note}" if service.curator_note else ""
        return f"This offer is taken out of the directory: people cannot find it.{note}"
    if service.curation == "suggested":
        return "This offer is a suggestion waiting for review: people cannot find it yet."
    if service.curation == "declined":
        note = f" Why: {service.curator_note}" if service.curator_note else ""
        return f"This suggestion was not added to the directory.{note}"
    return ""
