"""Community offers for the synthetic site: ORUK 3.0 documents across the borough, and connections to them.

Everything is drawn from seeded random streams, so the same seed gives the same documents (and hashes).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.utils import timezone

from livingwell.community import documents as directory
from livingwell.community.documents import DocumentInvalid, format_datetime
from livingwell.community.localities import areas_by_locality, placer
from livingwell.community.models import (
    CapacityUnit,
    Connection,
    ConnectionStage,
    ConnectionStep,
    Curation,
    Gap,
    ImportRun,
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
from livingwell.community.postcodes import synthetic_postcodes_load
from livingwell.core.synthetic import data
from livingwell.network.models import Locality, Site

LONDON = ZoneInfo("Europe/London")
MIN_OFFERS = 300
MAX_OFFERS = 100_000
PEOPLE_PER_OFFER = 10
TAXONOMY_ID = "5f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f"
TAXONOMY_NAME = "Living Well offers"
CONNECTED_SHARE = 0.3  # of people in support, who have been connected to offers


def offers_for(people: int) -> int:
    """The default number of offers for a site of `people`: one per ten people, at least 300, at most 100,000."""
    return max(MIN_OFFERS, min(MAX_OFFERS, people // PEOPLE_PER_OFFER))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


# The taxonomy: (category, term id seed)
CATEGORIES = (
    "Peer support",
    "Physical activity",
    "Arts and creativity",
    "Money and debt",
    "Housing",
    "Work and learning",
    "Food",
    "Faith and belief",
    "Carers",
    "Nature",
    "Communities and languages",
    "Advice and information",
)


@dataclass(frozen=True)
class Kind:
    """A kind of offer: names to draw from, what it is, its categories, who runs it, how it runs."""

    names: tuple[str, ...]
    description: str
    categories: tuple[str, ...]
    weight: float
    informal: float = 0.0  # chance of being an informal group
    cost: tuple[float, int, int, str] = (0.0, 0, 0, "")  # chance of a charge, low, high (pounds), per what
    hours: tuple[int, int] = (2, 2)
    capacity: str = ""  # a capacity unit, when places are counted
    online: float = 0.03
    languages: tuple[str, ...] = ()


KINDS: tuple[Kind, ...] = (
    Kind(("{area} peer support group", "Feeling Better Together {area}", "{area} men's talking group",
          "Women's wellbeing circle {area}", "Recovery café {area}"),
         "A friendly peer support group, run by people with their own experience of mental health problems. "
         "Come along for a cup of tea and a chat; you do not have to talk if you would rather listen.",
         ("Peer support",), 10, informal=0.35, capacity="places"),
    Kind(("{area} hearing voices group",),
         "A hearing voices group: a safe space to talk about voices, visions and unusual experiences with "
         "others who have them, without judgement.", ("Peer support",), 2, capacity="places"),
    Kind(("Walking football at {park}", "Parkrun at {park}", "Swimming for wellbeing at {pool}",
          "Gentle yoga in {area}", "Couch to 5k {area}", "Table tennis club {area}", "Boxing for wellbeing {area}"),
         "Physical activity for every level of fitness. Wear comfortable clothes; equipment is provided.",
         ("Physical activity",), 10, informal=0.15, cost=(0.3, 2, 5, "per session"), hours=(1, 2),
         capacity="places"),
    Kind(("{area} art club", "Creative writing group {area}", "Knit and natter {area}", "Community choir {area}",
          "Pottery for wellbeing {area}", "Photography walks {area}", "Drama group {area}"),
         "A relaxed creative group. No experience needed; materials are provided.",
         ("Arts and creativity",), 9, informal=0.3, cost=(0.25, 2, 8, "per session"), capacity="places"),
    Kind(("{area} community garden", "Grow together at {park}", "Allotment group {area}",
          "Green gym at {park}"),
         "Gardening and growing food together outdoors, with tea and lunch to share. Gloves and tools provided.",
         ("Nature", "Physical activity"), 6, informal=0.2, capacity="places"),
    Kind(("Cook and eat {area}", "Community kitchen {area}", "Lunch club {area}"),
         "Cook a meal together and eat it together. Learn simple recipes on a budget.",
         ("Food",), 5, informal=0.2, cost=(0.3, 1, 4, "per meal"), capacity="places"),
    Kind(("{area} food bank", "Community pantry {area}", "Food hub {area}"),
         "Free food parcels and toiletries, with advice on money and benefits while you are here.",
         ("Food", "Money and debt"), 4),
    Kind(("{area} library", "Reading group at {area} library", "Digital skills drop-in at {area} library"),
         "Books, computers and free wifi, reading groups and help getting online.",
         ("Work and learning", "Advice and information"), 4),
    Kind(("Individual placement and support (IPS) {area}", "CV and job search help {area}",
          "Volunteering drop-in {area}", "Back to work club {area}", "English classes (ESOL) {area}"),
         "Help to find and keep paid work or volunteering: CVs, applications, interviews and talking to employers.",
         ("Work and learning",), 6, online=0.1),
    Kind(("Housing advice drop-in {area}", "Tenancy support {area}", "Homelessness advice {area}"),
         "Advice about renting, repairs, arrears, and what to do if you may lose your home.",
         ("Housing", "Advice and information"), 4, online=0.1),
    Kind(("Debt and benefits advice {area}", "Money advice drop-in {area}", "Citizens Advice {area}"),
         "Free, confidential advice on debts, benefits, Universal Credit and PIP forms.",
         ("Money and debt", "Advice and information"), 5, online=0.15),
    Kind(("Carers' support group {area}", "Young carers' club {area}", "Carers' café {area}"),
         "Time for yourself if you look after someone: a chat, information and a break.",
         ("Carers", "Peer support"), 4),
    Kind(("{faith} community lunch", "{faith} prayer and wellbeing group", "{faith} befriending"),
         "A welcoming faith community open to everyone, whatever your beliefs.",
         ("Faith and belief",), 5, informal=0.1),
    Kind(("LGBTQ+ peer support {area}", "Queer social {area}", "Trans and non-binary group {area}"),
         "A friendly space for LGBTQ+ people to meet, talk and support each other.",
         ("Peer support", "Communities and languages"), 3, informal=0.3),
    Kind(("{community} wellbeing group", "{community} women's group", "{community} community centre"),
         "A group for the {community} community, in {language} and English.",
         ("Communities and languages", "Peer support"), 6, informal=0.35),
)  # fmt: skip

COMMUNITIES = (
    ("Portuguese", "Portuguese", "pt"),
    ("Somali", "Somali", "so"),
    ("Polish", "Polish", "pl"),
    ("Latin American", "Spanish", "es"),
    ("Ghanaian", "Twi", "ak"),
    ("Eritrean", "Tigrinya", "ti"),
    ("Caribbean", "English", "en"),
    ("Bengali", "Bengali", "bn"),
)
FAITHS = ("St Mark's Church", "Brixton Mosque", "Stockwell Baptist", "Gurdwara", "Quaker meeting house",
          "St Anne's parish", "Synagogue", "Buddhist centre")  # fmt: skip
PARKS = ("Brockwell Park", "Clapham Common", "Kennington Park", "Streatham Common", "Norwood Park", "Vauxhall Park",
         "Larkhall Park", "Myatt's Fields", "Ruskin Park", "Archbishop's Park")  # fmt: skip
# The neighbourhoods of each postcode district of the borough, for offers' names.
NEIGHBOURHOODS = {
    "SE1": ("Waterloo", "Lambeth North"),
    "SE11": ("Kennington", "Vauxhall"),
    "SW8": ("Vauxhall", "South Lambeth", "Larkhall"),
    "SW9": ("Brixton", "Stockwell"),
    "SW4": ("Clapham", "Clapham North"),
    "SW2": ("Brixton Hill", "Tulse Hill"),
    "SE24": ("Herne Hill",),
    "SE5": ("Loughborough Junction", "Myatt's Fields"),
    "SW16": ("Streatham", "Streatham Hill", "Streatham Vale"),
    "SE27": ("West Norwood",),
    "SE19": ("Upper Norwood", "Crystal Palace"),
    "SW12": ("Streatham Hill", "Balham"),
}
POOLS = ("Brixton Rec", "Clapham Leisure Centre", "Streatham Ice and Leisure", "Brockwell Lido", "Vauxhall pool")
STREETS = ("High Street", "Acre Lane", "Coldharbour Lane", "Railton Road", "Stockwell Road", "Clapham Road",
           "Kennington Lane", "Streatham High Road", "Norwood Road", "Tulse Hill", "Brixton Hill", "Wandsworth Road",
           "Lambeth Walk", "Loughborough Road", "Knights Hill", "Gipsy Road", "Ferndale Road", "Landor Road")  # fmt: skip
VENUES = ("Community Centre", "Church Hall", "Library", "Neighbourhood Centre", "Hub", "Youth Centre", "Mosque Hall",
          "Methodist Hall", "Leisure Centre", "Tenants' Hall")  # fmt: skip
ORG_WORDS = ("Trust", "Foundation", "Network", "Project", "Collective", "Association", "CIC", "Alliance")
ACCESSIBILITY = (
    ("Step-free access", "Step-free entrance and lift to all floors."),
    ("Hearing loop", "A hearing loop is fitted in the main room."),
    ("Accessible toilet", "An accessible toilet on the ground floor."),
    ("Quiet room", "A quiet room you can use at any time."),
    ("Large print", "Information in large print on request."),
)
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WHY_NOT = (
    "The time clashed with work",
    "Too far to travel",
    "The group was too big",
    "Did not feel welcome",
    "It was not what they expected",
    "Needed it in another language",
    "Could not afford the travel",
    "Step-free access was needed",
)
GAP_NEEDS = (
    ("Peer support", "A peer group in Tigrinya"),
    ("Physical activity", "Women-only swimming at a time after work"),
    ("Housing", "Evening housing advice for people working days"),
    ("Carers", "A carers' group at the weekend"),
    ("Work and learning", "Employment support for people over 55"),
    ("Arts and creativity", "Music making for young men"),
    ("Nature", "Gardening with step-free access"),
)


def term_id(category: str) -> str:
    """A stable id for each category of the taxonomy."""
    return str(uuid.uuid5(uuid.UUID(TAXONOMY_ID), category))


def _term(category: str) -> dict[str, Any]:
    return {
        "id": term_id(category),
        "name": category,
        "description": f"Community offers: {category.lower()}",
        "taxonomy_id": TAXONOMY_ID,
        "taxonomy_detail": {
            "id": TAXONOMY_ID,
            "name": TAXONOMY_NAME,
            "description": "The categories of community offer used by the Living Well network",
        },
    }


_LOCALITY_OF_SECTOR = {
    (district, digit): index
    for index, (_, districts) in enumerate(data.LOCALITIES)
    for district, digits, _ in districts
    for digit in digits
}


def locality_of(postcode: str) -> int | None:
    """The index in `data.LOCALITIES` of the locality a synthetic postcode lies in (`SE1 6AA` → North Lambeth)."""
    outward, _, inward = postcode.partition(" ")
    return _LOCALITY_OF_SECTOR.get((outward, inward[:1]))


@dataclass(frozen=True)
class Place:
    postcode: str
    lat: float
    lng: float
    locality: int


def _places(rows: Sequence[tuple[str, float, float]]) -> list[Place]:
    places = []
    for code, lat, lng in rows:
        spaced = code if " " in code else f"{code[:-3]} {code[-3:]}"
        index = locality_of(spaced)
        if index is not None:
            places.append(Place(spaced, lat, lng, index))
    return places


Drawn = tuple[dict[str, Any], int | None, str]


def offer_documents(
    *, count: int, seed: int, places: Sequence[Place], today: dt.date, stream: str = "offers"
) -> list[Drawn]:
    """`count` ORUK 3.0 service documents, each with its locality index (None when online only) and the
    capacity unit it counts places in ("" when none)."""
    return list(iter_offer_documents(count=count, seed=seed, places=places, today=today, stream=stream))


def iter_offer_documents(
    *, count: int, seed: int, places: Sequence[Place], today: dt.date, stream: str = "offers"
) -> Iterator[Drawn]:
    """`offer_documents` one at a time, so that a hundred thousand need not be held at once."""
    if not places:
        raise ValueError("The synthetic postcodes must be loaded before offers are made")
    rng = random.Random(f"living-well:{seed}:{stream}")
    weights = [k.weight for k in KINDS]
    shared_orgs: list[dict[str, Any]] = []
    for _ in range(max(20, count // 12)):
        name = f"{rng.choice(('Lambeth', 'Brixton', 'Stockwell', 'Streatham', 'Norwood', 'Clapham', 'Vauxhall'))} "
        name += f"{rng.choice(('Wellbeing', 'Community', 'Together', 'Mind', 'Advice', 'Sports', 'Arts', 'Green'))} "
        name += rng.choice(ORG_WORDS)
        shared_orgs.append(
            {
                "id": _uuid(rng),
                "name": name,
                "description": f"{name} is a local charity working across Lambeth.",
                "website": f"https://{name.lower().replace(' ', '-').replace("'", '')}.org.uk",
            }
        )
    modified = format_datetime(dt.datetime(today.year, today.month, today.day, 9, tzinfo=LONDON) - dt.timedelta(days=3))
    for index in range(count):
        kind = rng.choices(KINDS, weights)[0]
        place = rng.choice(places)
        area = rng.choice(NEIGHBOURHOODS.get(place.postcode.split()[0], ("Lambeth",)))
        park, pool, faith = rng.choice(PARKS), rng.choice(POOLS), rng.choice(FAITHS)
        community, language, code = rng.choice(COMMUNITIES)
        name = rng.choice(kind.names).format(
            area=area, park=park, pool=pool, faith=faith,
            community=community,
        )  # fmt: skip
        if index >= len(KINDS) * 4 and rng.random() < 0.5:
            name = f"{name} ({rng.choice(STREETS)})"
        informal = rng.random() < kind.informal
        if informal:
            organization = {"id": _uuid(rng), "name": f"{name} (informal group)",
                            "description": "An informal group run by its members."}  # fmt: skip
        else:
            organization = dict(rng.choice(shared_orgs))
        service_id = _uuid(rng)
        online = rng.random() < kind.online
        description = kind.description.format(community=community, language=language)
        doc: dict[str, Any] = {
            "id": service_id,
            "name": name,
            "description": description,
            "status": "active",
            "last_modified": modified,
            "organization": organization,
        }
        if rng.random() < 0.7:
            doc["email"] = f"hello{index}@example.org"
        # Schedules: one or two weekly sessions, or a monthly one.
        start = rng.choice((9, 10, 10, 11, 13, 14, 17, 18))
        length = rng.randint(*kind.hours)
        monthly = rng.random() < 0.15
        schedule: dict[str, Any] = {
            "id": _uuid(rng),
            "freq": "MONTHLY" if monthly else "WEEKLY",
            "interval": 1,
            "opens_at": f"{start:02d}:00:00",
            "closes_at": f"{start + length:02d}:{rng.choice(('00', '30'))}:00",
            "valid_from": (today - dt.timedelta(days=rng.randint(60, 900))).isoformat(),
        }
        days = sorted(rng.sample(range(7 if not monthly else 6), 1 if monthly or rng.random() < 0.6 else 2))
        schedule["byday"] = ",".join(("1" if monthly else "") + DAYS[d] for d in days)
        schedule["description"] = (
            f"The first {data_day(days[0])} of the month"
            if monthly
            else f"Every {' and '.join(data_day(d) for d in days)}"
        ) + f", {start}:00 to {start + length}:{schedule['closes_at'][3:5]}"
        # Cost.
        chance, low, high, per = kind.cost
        if rng.random() < chance:
            amount = rng.randint(low, high)
            cost = {"id": _uuid(rng), "option": "Each session", "amount": amount, "currency": "GBP",
                    "amount_description": f"£{amount} {per}"}  # fmt: skip
        else:
            cost = {"id": _uuid(rng), "option": "Free", "amount": 0, "currency": "GBP",
                    "amount_description": "Free of charge"}  # fmt: skip
        doc["cost_options"] = [cost]
        # Languages.
        langs = [("English", "en")]
        if "Communities and languages" in kind.categories and code != "en":
            langs.append((language, code))
        elif rng.random() < 0.15:
            other = rng.choice(COMMUNITIES)
            if other[2] != "en":
                langs.append((other[1], other[2]))
        doc["languages"] = [{"id": _uuid(rng), "name": n, "code": c} for n, c in langs]
        # Categories through attributes.
        doc["attributes"] = [
            {"id": _uuid(rng), "link_type": "service", "link_id": service_id, "taxonomy_term_id": term_id(cat),
             "taxonomy_term": _term(cat)}
            for cat in kind.categories
        ]  # fmt: skip
        # Locations.
        sals = []
        if online:
            location: dict[str, Any] = {"id": _uuid(rng), "location_type": "virtual", "name": f"{name} online",
                        "url": f"https://meet.example.org/{index}"}  # fmt: skip
            sals.append({"id": _uuid(rng), "location": location, "schedules": [schedule]})
            locality: int | None = None
        else:
            locality = place.locality
            for n in range(1 if rng.random() < 0.85 else 2):
                where = place if n == 0 else rng.choice(places)
                venue = f"{area} {rng.choice(VENUES)}"
                if n == 0 and "library" in name.lower():
                    venue = f"{area} Library"
                for named in (park, pool, faith):
                    if n == 0 and named in name:
                        venue = named  # the park, pool or place of worship the offer is named after
                location = {
                    "id": _uuid(rng),
                    "location_type": "physical",
                    "name": venue,
                    "addresses": [
                        {"id": _uuid(rng), "address_1": f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
                         "city": "London", "state_province": "Lambeth", "postal_code": where.postcode,
                         "country": "GB", "address_type": "physical"}
                    ],
                }  # fmt: skip
                if rng.random() < 0.95:
                    # A few lack coordinates: the postcode places them.
                    location["latitude"] = round(where.lat + rng.uniform(-0.0004, 0.0004), 6)
                    location["longitude"] = round(where.lng + rng.uniform(-0.0004, 0.0004), 6)
                features = rng.sample(ACCESSIBILITY, rng.randint(0, 3))
                if features:
                    location["accessibility"] = [
                        {"id": _uuid(rng), "description": title, "details": details} for title, details in features
                    ]
                sals.append({"id": _uuid(rng), "location": location, "schedules": [dict(schedule, id=_uuid(rng))]})
        doc["service_at_locations"] = sals
        doc["schedules"] = [schedule] if len(sals) > 1 else []
        if not doc["schedules"]:
            del doc["schedules"]
        yield doc, locality, kind.capacity if rng.random() < 0.4 else ""


def save_new_services(*, documents: Sequence[dict[str, Any]], site: Site) -> list[Service]:
    """Save new offers in bulk: the same rows and projections as `documents.save_service` followed by
    `documents.project` (the tests compare the two table by table), in a few statements per batch
    rather than a dozen per offer. For documents shaped as `offer_documents` makes them (each location,
    organisation and term written in full, no earlier version of the service): anything else goes
    through `save_service`. Raises `DocumentInvalid` if a document fails the checks.
    """
    today = timezone.localdate()
    now = timezone.now()
    cleaned_documents = []
    for document in documents:
        problems = directory.check_service(document)
        if problems:
            raise DocumentInvalid(problems)
        cleaned_documents.append(directory.clean(document))
    wanted_codes = {
        directory._first_postcode(sal["location"])
        for doc in cleaned_documents
        for sal in doc.get("service_at_locations", [])
        if not directory._on_earth(sal["location"].get("latitude"), sal["location"].get("longitude"))
    } - {""}
    postcodes = {p.code: (p.lat, p.lng) for p in Postcode.objects.filter(code__in=wanted_codes)}
    locality_of = placer(areas_by_locality(site.pk))
    services: list[Service] = []
    organizations: dict[str, Organization] = {}
    locations: list[Location] = []
    sals: list[ServiceAtLocation] = []
    taxonomies: dict[str, Taxonomy] = {}
    terms: dict[str, TaxonomyTerm] = {}
    slots: list[OpeningSlot] = []
    links: list[models.Model] = []
    through = Service.terms.through
    for doc in cleaned_documents:
        org = doc["organization"]
        organizations[org["id"]] = Organization(
            id=org["id"],
            name=org["name"][:500],
            description=directory._text(org, "description"),
            document={k: v for k, v in org.items() if k != "services"},
            created_at=now,
            updated_at=now,
        )
        service = Service(
            id=doc["id"],
            site=site,
            organization_id=org["id"],
            document=doc,
            hash=directory.document_hash(doc),
            origin=Origin.STAFF,
            curation=Curation.PUBLISHED,
            name=doc["name"][:500],
            status=doc["status"],
            description=directory._text(doc, "description"),
            last_modified=directory._datetime(doc.get("last_modified")),
            is_free=directory.is_free(doc, today),
            minimum_age=directory._decimal(doc.get("minimum_age")),
            maximum_age=directory._decimal(doc.get("maximum_age")),
            created_at=now,
            updated_at=now,
        )
        services.append(service)
        its_locations = []
        its_sals = []
        for record in doc["service_at_locations"]:
            loc = record["location"]
            code = directory._first_postcode(loc)
            lat: float | None = None
            lng: float | None = None
            placed_by = ""
            if directory._on_earth(loc.get("latitude"), loc.get("longitude")):
                lat, lng, placed_by = float(loc["latitude"]), float(loc["longitude"]), "feed"
            elif code in postcodes:
                (lat, lng), placed_by = postcodes[code], "postcode"
            its_locations.append(loc)
            locations.append(
                Location(
                    id=loc["id"],
                    name=directory._text(loc, "name")[:500],
                    location_type=directory._text(loc, "location_type")[:20] or "physical",
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
            sal = ServiceAtLocation(id=record["id"], service=service, location_id=loc["id"])
            its_sals.append((sal, record))
            sals.append(sal)
        its_terms: dict[str, TaxonomyTerm] = {}
        for attribute in doc.get("attributes", []):
            term = attribute["taxonomy_term"]
            detail = term["taxonomy_detail"]
            taxonomies[detail["id"]] = Taxonomy(
                id=detail["id"],
                name=directory._text(detail, "name")[:500] or detail["id"],
                document={k: v for k, v in detail.items() if k != "taxonomy_terms"},
                created_at=now,
                updated_at=now,
            )
            its_terms[term["id"]] = terms[term["id"]] = TaxonomyTerm(
                id=term["id"],
                name=directory._text(term, "name")[:500],
                taxonomy_id=(directory._text(term, "taxonomy_id") or detail["id"])[:64],
                parent_id=directory._text(term, "parent_id")[:64],
                document=term,
                created_at=now,
                updated_at=now,
            )
        links.extend(through(service_id=service.id, taxonomyterm_id=term_id) for term_id in its_terms)
        slots.extend(directory._slots(service, directory._dicts(doc.get("schedules")), None, today))
        for sal, record in its_sals:
            slots.extend(directory._slots(service, directory._dicts(record.get("schedules")), sal, today))
        languages: list[str] = []
        for language in doc.get("languages", []):
            for key in ("code", "name"):
                text = directory._text(language, key).lower()
                if text and text not in languages:
                    languages.append(text)
        service.languages = languages
        service.accessibility = " ".join(
            directory._text(item, key)
            for loc in its_locations
            for item in directory._dicts(loc.get("accessibility"))
            for key in ("accessibility", "description", "details")
            if directory._text(item, key)
        ).lower()
        parts = [
            doc["name"],
            directory._text(doc, "description"),
            org["name"],
            *(t.name for t in its_terms.values()),
            *(directory._text(loc, "name") for loc in its_locations),
        ]
        service.search_text = " ".join(p for p in parts if p).lower()
    directory._upsert(Organization, list(organizations.values()), ["name", "description", "document", "updated_at"])
    Location.objects.bulk_create(locations, batch_size=2000)
    Service.objects.bulk_create(services, batch_size=2000)
    ServiceAtLocation.objects.bulk_create(sals, batch_size=2000)
    directory._upsert(Taxonomy, list(taxonomies.values()), ["name", "document", "updated_at"])
    directory._upsert(
        TaxonomyTerm, list(terms.values()), ["name", "taxonomy_id", "parent_id", "document", "updated_at"]
    )
    OpeningSlot.objects.bulk_create(slots, batch_size=2000)
    through._default_manager.bulk_create(links, batch_size=2000)
    return services


def data_day(index: int) -> str:
    return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[index]


def _places_from_database() -> list[Place]:
    if not Postcode.objects.exists():
        synthetic_postcodes_load()
    return _places(list(Postcode.objects.values_list("code", "lat", "lng").order_by("code")))


def build_offers(
    *,
    site: Site,
    count: int,
    seed: int,
    today: dt.date,
    progress: Callable[[str], None] | None = None,
    stream: str = "offers",
) -> list[tuple[Service, int | None]]:
    """Save `count` offers (in bulk, as `save_new_services` does); returns each service, as its id only, with
    its locality index."""
    if not 1 <= count <= MAX_OFFERS:
        raise ValueError(f"offers must be between 1 and {MAX_OFFERS:,}")
    places = _places_from_database()
    documents = iter_offer_documents(count=count, seed=seed, places=places, today=today, stream=stream)
    rng = random.Random(f"living-well:{seed}:{stream}:capacity")
    unit = None
    saved: list[tuple[Service, int | None]] = []
    updated = dt.datetime(today.year, today.month, today.day, 8, tzinfo=LONDON)
    while batch := list(itertools.islice(documents, 1000)):
        capacities = []
        with transaction.atomic():
            services = save_new_services(documents=[doc for doc, _, _ in batch], site=site)
        for service, (_, locality, capacity) in zip(services, batch, strict=True):
            saved.append((Service(pk=service.pk, site_id=site.pk), locality))
            if capacity:
                if unit is None:
                    unit, _ = CapacityUnit.objects.get_or_create(name=capacity)
                maximum = rng.choice((8, 10, 12, 15, 20, 25))
                capacities.append(
                    ServiceCapacity(
                        id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        service_id=service.pk,
                        unit=unit,
                        available=Decimal(rng.randint(0, maximum)),
                        maximum=Decimal(maximum),
                        description="Places left at the next session",
                        updated=updated,
                    )
                )
        ServiceCapacity.objects.bulk_create(capacities, batch_size=2000)
        if progress:
            progress(f"Offers: {len(saved):,} of {count:,}")
    return saved


_FLOW = (ConnectionStage.SUGGESTED, ConnectionStage.INTRODUCED, ConnectionStage.WENT, ConnectionStage.STILL_GOING)
_ENDS = (
    (ConnectionStage.SUGGESTED, 0.12),
    (ConnectionStage.INTRODUCED, 0.13),
    (ConnectionStage.WENT, 0.15),
    (ConnectionStage.STILL_GOING, 0.38),
    (ConnectionStage.DID_NOT_SUIT, 0.22),
)
_STEP_NOTES = {
    ConnectionStage.SUGGESTED: ("Talked it through together", "Suggested at our last meeting", "Their idea"),
    ConnectionStage.INTRODUCED: (
        "Emailed the organiser to introduce them",
        "Phoned ahead so they are expected",
        "Went along together the first time",
    ),
    ConnectionStage.WENT: ("Went to the first session", "Went and said it was friendly", "Went, a bit nervous"),
    ConnectionStage.STILL_GOING: ("Still going most weeks", "Going regularly and has made friends"),
}


@contextlib.contextmanager
def _own_timestamps() -> Iterator[None]:
    """Let connections and gaps carry the generator's created/updated times rather than now."""
    fields = [
        f
        for model in (Connection, Gap)
        for f in (model._meta.get_field("created_at"), model._meta.get_field("updated_at"))
        if isinstance(f, models.DateTimeField)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, rng.randint(9, 16), rng.choice((0, 15, 30, 45)), tzinfo=LONDON)


def _connection(
    rng: random.Random,
    *,
    person_id: Any,
    service: Service,
    worker_id: Any,
    today: dt.date,
    end: str | None = None,
) -> tuple[Connection, list[ConnectionStep]]:
    """One connection and its steps, ending at `end` (drawn when None), every step before `today`."""
    if end is None:
        end = rng.choices([s for s, _ in _ENDS], [w for _, w in _ENDS])[0]
    if end == ConnectionStage.DID_NOT_SUIT:
        path = [*_FLOW[: rng.choice((2, 3))], ConnectionStage.DID_NOT_SUIT]
    else:
        path = list(_FLOW[: _FLOW.index(ConnectionStage(end)) + 1])
    gaps = [0] + [
        {ConnectionStage.INTRODUCED: rng.randint(1, 10), ConnectionStage.WENT: rng.randint(3, 21),
         ConnectionStage.STILL_GOING: rng.randint(21, 70), ConnectionStage.DID_NOT_SUIT: rng.randint(3, 21)}[s]
        for s in path[1:]
    ]  # fmt: skip
    span = sum(gaps)
    first = today - dt.timedelta(days=span + rng.randint(1, 150))
    steps: list[ConnectionStep] = []
    day = first
    moments: list[dt.datetime] = []
    for stage, gap in zip(path, gaps, strict=True):
        day = day + dt.timedelta(days=gap)
        at = _moment(rng, day)
        if moments and at <= moments[-1]:
            at = moments[-1] + dt.timedelta(hours=1)
        moments.append(at)
        note = rng.choice(_STEP_NOTES[stage]) if stage in _STEP_NOTES else ""
        steps.append(ConnectionStep(stage=stage, at=at, by_id=worker_id, note=note))
    why_not = ""
    if end == ConnectionStage.DID_NOT_SUIT:
        why_not = rng.choice(WHY_NOT)
        steps[-1].note = why_not
    last = moments[-1].date()
    follow_up = {
        ConnectionStage.SUGGESTED: last + dt.timedelta(days=rng.randint(7, 21)),
        ConnectionStage.INTRODUCED: last + dt.timedelta(days=rng.randint(7, 21)),
        ConnectionStage.WENT: last + dt.timedelta(days=rng.randint(14, 28)),
        ConnectionStage.STILL_GOING: last + dt.timedelta(days=rng.randint(28, 84)),
    }.get(ConnectionStage(end))
    if follow_up is not None and follow_up < today - dt.timedelta(days=rng.randint(7, 42)):
        # Long past: the worker has followed it up since and set the next date.
        follow_up = today + dt.timedelta(days=rng.randint(1, 42))
    connection = Connection(
        id=uuid.UUID(int=rng.getrandbits(128), version=4),
        person_id=person_id,
        service=service,
        stage=end,
        why_not=why_not,
        note=rng.choice(
            ("", "", "Likes being outdoors", "Wants to meet people nearby", "Would like to get back to work")
        ),
        follow_up_on=follow_up,
        made_by_id=worker_id,
        version=len(path),
        created_at=moments[0],
        updated_at=moments[-1],
    )
    for step in steps:
        step.connection = connection
    return connection, steps


def build_connections(
    *,
    site: Site,
    offers: Sequence[tuple[Service, int | None]],
    seed: int,
    today: dt.date,
    demo_person_id: Any = None,
) -> tuple[int, int]:
    """Connect a share of the people in support to offers near them, and record a few gaps.

    Returns how many connections and gaps were made.
    """
    from livingwell.support.models import Allocation  # the support app imports people, which imports network

    rng = random.Random(f"living-well:{seed}:connections")
    localities = {loc.name: loc.pk for loc in Locality.objects.filter(site=site)}
    locality_ids = [localities.get(name) for name, _ in data.LOCALITIES]
    by_locality: dict[Any, list[Service]] = {}
    online: list[Service] = []
    for service, index in offers:
        if index is None:
            online.append(service)
        else:
            by_locality.setdefault(locality_ids[index], []).append(service)
    everywhere = [s for s, _ in offers]
    supported = list(
        Allocation.objects.filter(
            support_period__team__site=site, ended_at__isnull=True, support_period__ended_at__isnull=True
        )
        .order_by("support_period__person_id")
        .values_list("support_period__person_id", "support_period__person__locality_id", "worker_id")
    )
    connections: list[Connection] = []
    steps: list[ConnectionStep] = []
    demo_worker = None
    for person_id, locality_id, worker_id in supported:
        if person_id == demo_person_id:
            demo_worker = worker_id
            continue
        if rng.random() >= CONNECTED_SHARE:
            continue
        nearby = by_locality.get(locality_id) or everywhere
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            service = rng.choice(online) if online and rng.random() < 0.05 else rng.choice(nearby)
            connection, its_steps = _connection(
                rng, person_id=person_id, service=service, worker_id=worker_id, today=today
            )
            connections.append(connection)
            steps.extend(its_steps)
    if demo_person_id is not None:
        demo_locality = _person_locality(demo_person_id)
        nearby = by_locality.get(demo_locality) or everywhere
        chosen = rng.sample(nearby, min(3, len(nearby)))
        for service, end in zip(
            chosen,
            (ConnectionStage.STILL_GOING, ConnectionStage.INTRODUCED, ConnectionStage.DID_NOT_SUIT),
            strict=False,
        ):
            connection, its_steps = _connection(
                rng, person_id=demo_person_id, service=service, worker_id=demo_worker, today=today, end=end
            )
            connections.append(connection)
            steps.extend(its_steps)
    terms = {category: term_id(category) for category in CATEGORIES}
    workers = sorted({w for _, _, w in supported}, key=str)
    gaps = []
    for _ in range(max(5, len(supported) // 200)):
        category, need = rng.choice(GAP_NEEDS)
        who: tuple[Any, Any, Any] = rng.choice(supported) if supported else (None, None, None)
        person_id, locality_id, worker_id = who
        at = _moment(rng, today - dt.timedelta(days=rng.randint(1, 180)))
        gaps.append(
            Gap(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                site=site,
                person_id=person_id if rng.random() < 0.7 else None,
                locality_id=locality_id or rng.choice([i for i in locality_ids if i]),
                term_id=terms[category],
                need=need,
                recorded_by_id=worker_id or (rng.choice(workers) if workers else None),
                created_at=at,
                updated_at=at,
            )
        )
    with _own_timestamps(), transaction.atomic():
        Connection.objects.bulk_create(connections, batch_size=2000)
        ConnectionStep.objects.bulk_create(steps, batch_size=2000)
        Gap.objects.bulk_create(gaps, batch_size=2000)
    return len(connections), len(gaps)


def _person_locality(person_id: Any) -> Any:
    from livingwell.people.models import Person

    return Person.objects.filter(pk=person_id).values_list("locality_id", flat=True).first()


# --- How the directory is kept: a council feed, suggestions and curation ---------------------------

COUNCIL_FEED_NAME = "Lambeth community directory (council feed)"
COUNCIL_FEED_FOLDER = "demo-council-feed"
IMPORTED_SHARE = 0.5  # of the offers, which came from the council's feed rather than from Living Well staff
# Offers people suggested: (name, what it is, informal group, what became of it, the curator's note).
SUGGESTIONS: tuple[tuple[str, str, bool, Curation, str], ...] = (
    (
        "Tuesday knit and natter",
        "A few of us knit and chat in the library café on Tuesday mornings. Anyone is welcome, and we"
        " have spare needles and wool.",
        True,
        Curation.SUGGESTED,
        "",
    ),
    (
        "Dads' Saturday walk",
        "Dads and their children walk round the common on Saturday mornings, then have a cup of tea.",
        True,
        Curation.SUGGESTED,
        "",
    ),
    (
        "Allotment open days",
        "The allotment society opens its plots on the first Sunday of the month for anyone who wants to"
        " learn to grow vegetables.",
        False,
        Curation.SUGGESTED,
        "",
    ),
    (
        "Sunday football in the park",
        "A kickabout for adults of any ability, every Sunday afternoon.",
        True,
        Curation.PUBLISHED,
        "",
    ),
    (
        "Late-night poker club",
        "A card school that meets in a pub after closing time.",
        True,
        Curation.DECLINED,
        "Thank you for telling us. We cannot list a group that meets for gambling, but we would be glad"
        " to hear of other groups you enjoy.",
    ),
)
WITHDRAWN_REASON = "Closed while the hall is refurbished; the council expects it to open again in the spring."


def feed_folder(base: Any) -> Any:
    """Where the demo keeps the council's feed as a folder of ORUK pages (written by `write_council_feed`)."""
    return base / COUNCIL_FEED_FOLDER


def build_directory_life(
    *,
    site: Site,
    offers: Sequence[tuple[Service, int | None]],
    seed: int,
    today: dt.date,
    feed_location: str,
    suggesters: Sequence[Any],
    curator: Any,
) -> dict[str, int]:
    """The directory as a site keeps it: half the offers came from the council's ORUK feed (a saved feed
    with last night's refresh), some were suggested by people and staff (waiting for a curator, published
    or declined with a note), and one imported offer was taken out of the directory for a while.

    `feed_location` is where the saved feed reads from; `suggesters` are users who suggest offers (the
    demo person first); `curator` is the Hub coordinator who reviewed the ones already decided."""
    rng = random.Random(f"living-well:{seed}:directory-life")
    refreshed = dt.datetime(today.year, today.month, today.day, 2, tzinfo=LONDON)
    source, _ = ImportSource.objects.update_or_create(
        site=site,
        location=feed_location,
        defaults={"name": COUNCIL_FEED_NAME, "refresh_hours": 24, "last_refreshed_at": refreshed},
    )
    ids = sorted(str(service.pk) for service, _ in offers)
    imported = sorted(rng.sample(ids, round(len(ids) * IMPORTED_SHARE))) if ids else []
    for start in range(0, len(imported), 5000):
        Service.objects.filter(pk__in=imported[start : start + 5000]).update(origin=Origin.IMPORTED, source=source)
    ImportRun.objects.create(
        source=source,
        location=feed_location,
        started_at=refreshed - dt.timedelta(days=30),
        finished_at=refreshed - dt.timedelta(days=30) + dt.timedelta(seconds=42),
        created=len(imported),
    )
    ImportRun.objects.create(
        source=source,
        location=feed_location,
        started_at=refreshed,
        finished_at=refreshed + dt.timedelta(seconds=18),
        unchanged=len(imported),
    )
    withdrawn = 0
    if imported:
        withdrawn = Service.objects.filter(pk=imported[0]).update(
            curation=Curation.WITHDRAWN,
            curated_by=curator,
            curated_at=refreshed - dt.timedelta(days=9),
            curator_note=WITHDRAWN_REASON,
        )
    places = _places_from_database()
    drawn = iter_offer_documents(count=len(SUGGESTIONS), seed=seed, places=places, today=today, stream="suggestions")
    suggested = 0
    for index, ((doc, _, _), (name, about, informal, outcome, note)) in enumerate(zip(drawn, SUGGESTIONS, strict=True)):
        doc = dict(doc, name=name, description=about)
        if informal:
            doc["organization"] = {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"living-well:informal-group:{doc['id']}")),
                "name": f"{name} (informal group)",
                "description": "An informal group run by its members.",
            }
        doc.pop("capacities", None)
        service, _ = directory.save_service(document=doc, site=site, origin=Origin.SUGGESTION, curation=outcome)
        decided = outcome != Curation.SUGGESTED
        Service.objects.filter(pk=service.pk).update(
            suggested_by=suggesters[index % len(suggesters)] if suggesters else None,
            curated_by=curator if decided else None,
            curated_at=refreshed - dt.timedelta(days=rng.randint(2, 20)) if decided else None,
            curator_note=note,
        )
        if service.organization_id:
            Organization.objects.filter(pk=service.organization_id).update(informal=informal)
        suggested += 1
    return {"imported": len(imported), "suggested": suggested, "withdrawn": withdrawn}


def write_council_feed(*, site: Site, folder: Any, per_page: int = 200) -> int:
    """Write the offers imported from the council's feed as a folder of ORUK pages (full services), so
    that the demo's saved feed can be refreshed for real; returns how many services it holds."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("page-*.json"):
        old.unlink()
    services = Service.objects.filter(site=site, origin=Origin.IMPORTED).order_by("pk")
    ids = list(services.values_list("pk", flat=True))
    pages = max(1, -(-len(ids) // per_page))
    for number in range(pages):
        chunk = ids[number * per_page : (number + 1) * per_page]
        contents = [directory.serve_service(service) for service in Service.objects.filter(pk__in=chunk).order_by("pk")]
        page = {
            "total_items": len(ids),
            "total_pages": pages,
            "page_number": number + 1,
            "size": len(contents),
            "first_page": number == 0,
            "last_page": number == pages - 1,
            "empty": not contents,
            "contents": contents,
        }
        (folder / f"page-{number + 1:04d}.json").write_text(json.dumps(page, ensure_ascii=False, indent=1))
    return len(ids)
