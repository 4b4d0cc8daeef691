"""The ORUK document core: validation, canonical hash, save, projections and the served shapes,
checked against the official ORUK 3.0 schemas and examples."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from livingwell.community.documents import (
    DocumentInvalid,
    canonical,
    check_entity,
    check_service,
    clean,
    document_hash,
    is_free,
    parse_time,
    project,
    save_service,
    serve_service,
    serve_service_at_location,
    serve_service_at_location_list_item,
    serve_service_list_item,
    serve_taxonomy,
    serve_taxonomy_term,
)
from livingwell.community.models import (
    CapacityUnit,
    Curation,
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
from livingwell.community.tests.conftest import assert_no_none, errors_of
from livingwell.core.errors import DomainError
from livingwell.network.models import Site
from livingwell.testing import make_user

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
SAL_ID = "e94c9f38-1e8f-4564-91d4-d53501ab1765"
LOCATION_ID = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
TERM_ID = "3f7b145d-84af-42d7-8fae-eaca714b02b2"


@pytest.fixture
def site(db):
    return Site.objects.create(name="Lambeth", slug="lambeth")


def save(document, site):
    return save_service(document=document, site=site, origin=Origin.IMPORTED, curation=Curation.PUBLISHED)


def uid() -> str:
    return str(uuid.uuid4())


def small_service(**fields):
    return {"id": uid(), "name": "Walk and talk", "status": "active", **fields}


# ---- Validation -----------------------------------------------------------------------------------


def test_every_example_service_passes_our_checks(oruk_example):
    assert check_service(oruk_example("service_full")) == []
    for item in oruk_example("service_list")["contents"]:
        assert check_service(item) == []
    sal = oruk_example("service_at_location_full")
    assert check_entity("service_at_location", sal) == []
    assert check_service(sal["service"]) == []
    for item in oruk_example("service_at_location_list")["contents"]:
        assert check_entity("service_at_location", item) == []
    assert check_entity("organization", oruk_example("organization_full")) == []
    for item in oruk_example("organization_list")["contents"]:
        assert check_entity("organization", item) == []
    assert check_entity("taxonomy", oruk_example("taxonomy")) == []
    for item in oruk_example("taxonomy_list")["contents"]:
        assert check_entity("taxonomy", item) == []
    assert check_entity("taxonomy_term", oruk_example("taxonomy_term")) == []
    for item in oruk_example("taxonomy_term_list")["contents"]:
        assert check_entity("taxonomy_term", item) == []


def test_every_example_service_can_be_saved(oruk_example, site):
    services = [
        oruk_example("service_full"),
        *oruk_example("service_list")["contents"],
        oruk_example("service_at_location_full")["service"],
        *oruk_example("organization_full")["services"],
    ]
    outcomes = [save(document, site)[1] for document in services]
    assert outcomes[0] == "created"
    assert set(outcomes) <= {"created", "updated", "unchanged"}
    assert Service.objects.count() == len({d["id"] for d in services})


def broken(oruk_example, change):
    document = oruk_example("service_full")
    change(document)
    return check_service(document)


def places(problems):
    return {p.where: p.reason for p in problems}


def test_a_service_without_a_name_is_rejected(oruk_example):
    problems = broken(oruk_example, lambda d: d.pop("name"))
    assert places(problems) == {"name": "is missing: every service needs a name"}
    assert problems[0].id == SERVICE_ID


def test_a_status_outside_the_list_is_rejected(oruk_example):
    problems = broken(oruk_example, lambda d: d.update(status="open"))
    assert list(places(problems)) == ["status"]
    assert "'open' is not one of 'active'" in problems[0].reason


def test_ids_must_be_uuids_at_every_level(oruk_example):
    def change(d):
        d["id"] = "svc-1"
        d["service_at_locations"][0]["location"]["accessibility"][0]["id"] = "a11y"

    found = places(broken(oruk_example, change))
    assert found["id"] == "'svc-1' is not a UUID"
    assert found["service_at_locations[0].location.accessibility[0].id"] == "'a11y' is not a UUID"


def test_null_is_never_valid(oruk_example):
    def change(d):
        d["description"] = None
        d["organization"]["email"] = None

    found = places(broken(oruk_example, change))
    assert found == {
        "description": "is null; leave the field out instead",
        "organization.email": "is null; leave the field out instead",
    }


def test_wrong_types_are_rejected(oruk_example):
    def change(d):
        d["minimum_age"] = "12"
        d["schedules"] = {"id": uid()}
        d["cost_options"][0]["amount"] = True
        d["languages"] = ["en"]

    found = places(broken(oruk_example, change))
    assert found["minimum_age"] == "should be a number, not text"
    assert found["schedules"] == "should be a list, not an object"
    assert found["cost_options[0].amount"] == "should be a number, not true or false"
    assert found["languages[0]"] == "should be language (an object), not text"


def test_a_broken_nested_address_is_rejected_naming_the_place(oruk_example):
    def change(d):
        address = d["service_at_locations"][0]["location"]["addresses"][0]
        del address["postal_code"]
        address["address_type"] = "home"
        d["service_at_locations"][0]["location"]["location_type"] = "building"

    found = places(broken(oruk_example, change))
    where = "service_at_locations[0].location"
    assert found[f"{where}.addresses[0].postal_code"] == "is missing: every address needs a postal_code"
    assert "'home' is not one of" in found[f"{where}.addresses[0].address_type"]
    assert "'building' is not one of" in found[f"{where}.location_type"]


def test_formats_are_checked(oruk_example):
    def change(d):
        d["email"] = "not an email"
        d["url"] = "example.com/counselling"
        d["last_modified"] = "15 March 2023"
        d["assured_date"] = "2023-02-30"
        d["schedules"][0]["opens_at"] = "ten"
        d["attributes"][0]["taxonomy_term"].pop("description")
        d["organization"].pop("description")

    found = places(broken(oruk_example, change))
    assert found["email"] == "'not an email' is not an email address"
    assert "not a web address" in found["url"]
    assert "not a date and time" in found["last_modified"]
    assert "not a date" in found["assured_date"]
    assert "not a time" in found["schedules[0].opens_at"]
    assert found["attributes[0].taxonomy_term.description"] == "is missing: every taxonomy term needs a description"
    assert found["organization.description"] == "is missing: every organisation needs a description"


def test_empty_strings_count_as_absent_but_required_fields_must_not_be_empty(oruk_example):
    def change(d):
        d["email"] = ""
        d["name"] = ""
        d["service_at_locations"][0]["location"]["addresses"][0]["city"] = ""

    found = places(broken(oruk_example, change))
    assert found == {
        "name": "is empty: every service needs a name",
        "service_at_locations[0].location.addresses[0].city": "is empty: every address needs a city",
    }


def test_a_duplicate_id_in_a_list_is_rejected(oruk_example):
    def change(d):
        d["contacts"].append(dict(d["contacts"][0], name="Someone else"))

    assert places(broken(oruk_example, change)) == {
        "contacts[1].id": "is used by an earlier record in the same list",
    }


def test_a_document_that_is_not_an_object_is_rejected():
    assert places(check_service(["a list"])) == {"": "should be service (an object), not a list"}


def test_our_checks_agree_with_the_official_schema_on_broken_documents(oruk_example, compiled_validator):
    validator = compiled_validator("service")
    for change in (
        lambda d: d.pop("name"),
        lambda d: d.update(status="open"),
        lambda d: d.update(id="svc-1"),
        lambda d: d.update(description=None),
        lambda d: d.update(minimum_age="12"),
        lambda d: d["service_at_locations"][0]["location"]["addresses"][0].pop("postal_code"),
    ):
        document = oruk_example("service_full")
        change(document)
        assert check_service(document)
        assert errors_of(validator, document)


# ---- Clean and canonical --------------------------------------------------------------------------


def test_clean_drops_nulls_and_empty_strings_and_keeps_unknown_properties():
    document = {"id": "x", "a": None, "b": "", "c": [], "phones": [{"number": "020", "extension": None}]}
    assert clean(document) == {"id": "x", "c": [], "phones": [{"number": "020"}]}


def test_canonical_ignores_order_implied_ids_empty_values_number_and_time_forms(oruk_example):
    zero_cost = "00000000-0000-4000-8000-000000000000"
    original = oruk_example("service_full")
    original["cost_options"].append({"id": zero_cost, "amount": 0})
    varied = oruk_example("service_full")
    varied["cost_options"].insert(0, {"id": zero_cost, "amount": 0.0, "option": ""})
    varied["last_modified"] = "2023-03-15T11:30:45.123+01:00"
    varied["minimum_age"] = 12.0
    varied["x_note"] = None
    varied["organization_id"] = varied["organization"]["id"]
    varied["schedules"][0]["service_id"] = SERVICE_ID
    sal = varied["service_at_locations"][0]
    sal["service_id"] = SERVICE_ID
    sal["location_id"] = LOCATION_ID
    sal["location"]["addresses"][0]["location_id"] = LOCATION_ID
    sal["location"]["attributes"] = []
    varied["attributes"][0]["link_id"] = SERVICE_ID
    varied["attributes"][0]["taxonomy_term_id"] = TERM_ID

    assert canonical(varied) == canonical(original)
    assert document_hash(varied) == document_hash(original)
    assert canonical(original)["last_modified"] == "2023-03-15T10:30:45.123Z"
    assert canonical(varied)["cost_options"][0]["id"] == zero_cost
    assert "organization_id" not in canonical(varied)
    assert "service_id" not in canonical(varied)["schedules"][0]


def test_a_different_parent_id_is_kept_and_changes_the_hash(oruk_example):
    original = oruk_example("service_full")
    varied = oruk_example("service_full")
    varied["schedules"][0]["service_id"] = uid()
    assert document_hash(varied) != document_hash(original)


# ---- Save and round trip --------------------------------------------------------------------------


def test_round_trip_serves_the_example_back_unchanged_in_meaning(oruk_example, site, compiled_validator):
    example = oruk_example("service_full")
    service, outcome = save(example, site)
    assert outcome == "created"

    served = serve_service(Service.objects.get(pk=SERVICE_ID))
    assert_no_none(served)
    assert errors_of(compiled_validator("service"), served) == []
    assert canonical(served) == canonical(example)

    assert save(served, site)[1] == "unchanged"
    changed = dict(served, name="Community counselling for adults")
    service, outcome = save(changed, site)
    assert outcome == "updated"
    assert service.name == "Community counselling for adults"
    assert service.version == 2
    assert save(changed, site)[1] == "unchanged"


def test_saving_an_invalid_document_raises_with_every_problem(site):
    with pytest.raises(DocumentInvalid) as caught:
        save({"id": "nope", "status": "open"}, site)
    assert {p.where for p in caught.value.problems} == {"id", "name", "status"}
    assert caught.value.code == "document_invalid"
    assert not Service.objects.exists()


def test_saving_stores_the_clean_document_and_keeps_extra_properties(site):
    document = small_service(alternate_name="Walking group", description="", x_note=None)
    service, _ = save(document, site)
    assert service.document == {k: v for k, v in document.items() if k not in ("description", "x_note")}
    assert serve_service(service)["alternate_name"] == "Walking group"


def test_a_service_id_from_another_site_is_refused(site):
    document = small_service()
    save(document, site)
    other = Site.objects.create(name="Southwark", slug="southwark")
    with pytest.raises(DomainError, match="another site") as caught:
        save(dict(document, name="Changed"), other)
    assert caught.value.code == "service_other_site"
    assert Service.objects.get().name == "Walk and talk"


def test_lists_and_service_at_locations_validate_against_the_compiled_schemas(oruk_example, site, compiled_validator):
    service, _ = save(oruk_example("service_full"), site)
    item = serve_service_list_item(service)
    assert_no_none(item)
    assert errors_of(compiled_validator("service_list"), item) == []
    assert "service_at_locations" not in item and "schedules" not in item
    assert set(item["organization"]) == {
        "id",
        "name",
        "description",
        "email",
        "website",
        "logo",
        "uri",
        "parent_organization_id",
    }

    sal = ServiceAtLocation.objects.select_related("service", "location").get(pk=SAL_ID)
    full = serve_service_at_location(sal)
    assert_no_none(full)
    assert errors_of(compiled_validator("service_at_location"), full) == []
    assert full["service_id"] == SERVICE_ID and full["location_id"] == LOCATION_ID
    assert full["location"]["addresses"][0]["postal_code"] == "ABC 1234"
    assert "service_at_locations" not in full["service"]
    example = oruk_example("service_at_location_full")
    assert canonical(full["location"], "location") == canonical(example["location"], "location")
    assert canonical(full["service"]) == canonical(example["service"])

    listed = serve_service_at_location_list_item(sal)
    assert_no_none(listed)
    assert errors_of(compiled_validator("service_at_location_list"), listed) == []
    assert "addresses" not in listed["location"]
    assert listed["service"]["organization"]["name"] == "Example Organization Inc."


def test_taxonomy_and_term_validate_against_the_source_schemas(oruk_example, site, source_validator):
    document = oruk_example("service_full")
    taxonomy = oruk_example("taxonomy")
    taxonomy.pop("taxonomy_terms")
    document["attributes"][0]["taxonomy_term"]["taxonomy_detail"] = taxonomy
    save(document, site)

    term = TaxonomyTerm.objects.get(pk=TERM_ID)
    served_term = serve_taxonomy_term(term)
    assert_no_none(served_term)
    assert errors_of(source_validator("taxonomy_term"), served_term) == []
    assert served_term["parent_id"] == "0bc248fa-dc27-4650-9ba4-8f1a24ef16a2"

    served_taxonomy = serve_taxonomy(Taxonomy.objects.get(pk=taxonomy["id"]))
    assert_no_none(served_taxonomy)
    assert errors_of(source_validator("taxonomy"), served_taxonomy) == []
    assert served_taxonomy == taxonomy
    assert term.taxonomy_id == taxonomy["id"]


def test_capacities_appear_in_the_full_service_and_validate(oruk_example, site, compiled_validator):
    service, _ = save(oruk_example("service_full"), site)
    beds = CapacityUnit.objects.create(name="Place", scheme="SI")
    ServiceCapacity.objects.create(
        service=service,
        unit=beds,
        available=Decimal("3.00"),
        maximum=Decimal("12.50"),
        description="Places in the Tuesday group",
        updated=dt.datetime(2026, 11, 20, 9, 30, 15, 250000, tzinfo=dt.UTC),
    )
    served = serve_service(service)
    assert_no_none(served)
    assert errors_of(compiled_validator("service"), served) == []
    [capacity] = served["capacities"]
    assert capacity["unit"] == {"id": str(beds.id), "name": "Place", "scheme": "SI"}
    assert capacity["available"] == 3 and isinstance(capacity["available"], int)
    assert capacity["maximum"] == 12.5
    assert capacity["updated"] == "2026-11-20T09:30:15.250Z"
    assert uuid.UUID(capacity["id"])
    assert "capacities" not in serve_service_list_item(service)
    # Capacities are live: re-importing the served document leaves it unchanged.
    assert save(served, site)[1] == "unchanged"


# ---- Projections ----------------------------------------------------------------------------------


def test_projections_from_the_example(oruk_example, site):
    service, _ = save(oruk_example("service_full"), site)
    service.refresh_from_db()
    assert service.name == "Community Counselling"
    assert service.status == "active"
    assert service.organization_id == "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
    assert service.last_modified == dt.datetime(2023, 3, 15, 10, 30, 45, 123000, tzinfo=dt.UTC)
    assert service.minimum_age == Decimal(12) and service.maximum_age == Decimal(100)
    assert "counselling services provided" in service.search_text
    assert "example organization inc." in service.search_text
    assert "mycity civic center" in service.search_text
    assert service.search_text == service.search_text.lower()
    assert "induction loops" in service.accessibility
    assert list(service.terms.values_list("id", flat=True)) == [TERM_ID]
    organization = Organization.objects.get()
    assert organization.name == "Example Organization Inc."
    assert "services" not in organization.document
    location = Location.objects.get(pk=LOCATION_ID)
    assert (location.lat, location.lng, location.placed_by) == (None, None, "")  # 100, 101 is off the Earth
    assert location.postcode == ""  # "ABC 1234" is not a UK postcode
    # The example's schedule (Thursday and Friday, 10:00 to 18:00) expired in 2005 but is kept with its dates.
    slots = list(OpeningSlot.objects.filter(service=service).values_list("weekday", "opens", "closes", "valid_to"))
    assert slots == [
        (3, dt.time(10), dt.time(18), dt.date(2005, 1, 1)),
        (4, dt.time(10), dt.time(18), dt.date(2005, 1, 1)),
    ]


def test_out_of_range_coordinates_fall_back_to_the_postcode(site):
    Postcode.objects.create(code="SE114QY", lat=51.4896, lng=-0.1127)
    good, off, zero, unknown = uid(), uid(), uid(), uid()

    def located(location_id, lat, lng, postcode):
        location = {"id": location_id, "location_type": "physical", "name": f"Hall {location_id[:4]}"}
        if lat is not None:
            location |= {"latitude": lat, "longitude": lng}
        if postcode:
            location["addresses"] = [
                {
                    "id": uid(),
                    "address_1": "1 Kennington Road",
                    "city": "London",
                    "state_province": "Greater London",
                    "postal_code": postcode,
                    "country": "GB",
                    "address_type": "physical",
                }
            ]
        return {"id": uid(), "location": location}

    document = small_service(
        service_at_locations=[
            located(good, 51.46, -0.115, "se11 4qy"),
            located(off, 100, 101, "se11 4qy"),
            located(zero, 0, 0, "SE11 4QY"),
            located(unknown, 200, 0, "ZZ9 9ZZ"),
        ]
    )
    service, _ = save(document, site)
    by_id = {loc.id: loc for loc in Location.objects.all()}
    assert (by_id[good].lat, by_id[good].lng, by_id[good].placed_by) == (51.46, -0.115, "feed")
    assert (by_id[off].lat, by_id[off].lng, by_id[off].placed_by) == (51.4896, -0.1127, "postcode")
    assert by_id[zero].placed_by == "postcode"
    assert (by_id[unknown].lat, by_id[unknown].placed_by) == (None, "")
    assert by_id[unknown].postcode == "ZZ99ZZ"
    assert ServiceAtLocation.objects.filter(service=service).count() == 4


def test_the_set_of_service_at_locations_is_replaced(site):
    first, second = uid(), uid()
    sal_a = {"id": uid(), "location": {"id": first, "location_type": "virtual"}}
    sal_b = {"id": uid(), "location": {"id": second, "location_type": "physical"}}
    document = small_service(service_at_locations=[sal_a, sal_b])
    service, _ = save(document, site)
    save(dict(document, service_at_locations=[sal_b]), site)
    assert list(ServiceAtLocation.objects.filter(service=service).values_list("location_id", flat=True)) == [second]
    assert Location.objects.filter(pk=first).exists()  # shared locations stay


def cost(amount=None, valid_from=None, valid_to=None):
    option = {"id": uid()}
    if amount is not None:
        option["amount"] = amount
    if valid_from:
        option["valid_from"] = valid_from
    if valid_to:
        option["valid_to"] = valid_to
    return option


TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"cost_options": [cost(0, "2026-01-01", "2027-12-31")]}, True),
        ({"cost_options": [cost(0)], "fees": "Free for everyone"}, True),
        ({"cost_options": [cost(5, "2026-01-01")]}, False),
        ({"cost_options": [cost(0), cost(2.5)]}, False),
        ({"cost_options": [cost(15, "2020-01-01", "2022-12-31")]}, None),
        ({"cost_options": [cost(15, "2027-01-01")]}, None),
        ({}, None),
        ({"fees": "Free"}, True),
        ({"fees": "£3 a session"}, None),
        ({"cost_options": [cost(0)], "fees": "£3 for materials"}, None),
        ({"cost_options": [cost()], "fees": "No charge"}, True),
    ],
)
def test_is_free(fields, expected):
    assert is_free(small_service(**fields), TODAY) is expected


def test_is_free_is_projected(site):
    service, _ = save(small_service(cost_options=[cost(0)]), site)
    service.refresh_from_db()
    assert service.is_free is True
    service, _ = save(dict(service.document, cost_options=[cost(0), cost(4)]), site)
    service.refresh_from_db()
    assert service.is_free is False


def test_opening_slots_from_a_weekly_schedule(site):
    location_id = uid()
    sal_id = uid()

    def schedule(**fields):
        return {"id": uid(), "freq": "WEEKLY", **fields}

    document = small_service(
        schedules=[
            schedule(byday="MO,WE", opens_at="09:30", closes_at="12:00"),
            # 18:00Z on 1 July is 19:00 in London (summer time); 14:00+02:00 is 13:00.
            schedule(byday="FR", opens_at="14:00+02:00", closes_at="18:00Z", valid_from="2026-07-01"),
            schedule(byday="SA", opens_at="10:00Z", closes_at="11:00Z", valid_from="2026-01-10", valid_to="2026-03-01"),
            schedule(byday="TU"),  # no times: not a slot
            schedule(dtstart="2026-11-24", opens_at="18:00", closes_at="19:30"),  # no byday: DTSTART's Tuesday
            schedule(freq="MONTHLY", byday="2MO", opens_at="10:00", closes_at="11:00"),
        ],
        service_at_locations=[
            {
                "id": sal_id,
                "location": {"id": location_id, "location_type": "physical"},
                "schedules": [schedule(byday="SU", opens_at="11:00:00", closes_at="13:00:00")],
            }
        ],
    )
    service, _ = save(document, site)
    slots = list(
        OpeningSlot.objects.filter(service=service).values_list(
            "weekday", "opens", "closes", "valid_from", "valid_to", "service_at_location_id"
        )
    )
    assert slots == [
        (0, dt.time(9, 30), dt.time(12), None, None, None),
        (1, dt.time(18), dt.time(19, 30), None, None, None),
        (2, dt.time(9, 30), dt.time(12), None, None, None),
        (4, dt.time(13), dt.time(19), dt.date(2026, 7, 1), None, None),
        (5, dt.time(10), dt.time(11), dt.date(2026, 1, 10), dt.date(2026, 3, 1), None),
        (6, dt.time(11), dt.time(13), None, None, sal_id),
    ]
    # Saving again replaces the slots rather than adding to them.
    save(dict(document, name="Walk and talk on Mondays", schedules=document["schedules"][:1]), site)
    assert OpeningSlot.objects.filter(service=service).count() == 3  # Monday, Wednesday, and Sunday at the hall


def test_parse_time_converts_offsets_to_london():
    winter, summer = dt.date(2026, 1, 15), dt.date(2026, 7, 15)
    assert parse_time("09:00", winter) == dt.time(9)
    assert parse_time("09:00Z", winter) == dt.time(9)
    assert parse_time("09:00Z", summer) == dt.time(10)
    assert parse_time("09:00-05:00", winter) == dt.time(14)
    assert parse_time("0900", winter) is None
    assert parse_time(None, winter) is None


def test_projecting_a_large_service_takes_a_fixed_number_of_queries(site, django_assert_max_num_queries):
    def many(count):
        return small_service(
            service_at_locations=[
                {"id": uid(), "location": {"id": uid(), "location_type": "physical", "name": f"Hall {i}"}}
                for i in range(count)
            ],
            attributes=[
                {"id": uid(), "taxonomy_term": {"id": uid(), "name": f"Term {i}", "description": "A category"}}
                for i in range(count)
            ],
            schedules=[{"id": uid(), "freq": "WEEKLY", "byday": "MO,TU", "opens_at": "09:00", "closes_at": "10:00"}],
        )

    small, _ = save(many(2), site)
    large, _ = save(many(40), site)
    with django_assert_max_num_queries(20) as small_queries:
        project(small)
    with django_assert_max_num_queries(20) as large_queries:
        project(large)
    assert len(large_queries.captured_queries) == len(small_queries.captured_queries)
    assert large.terms.count() == 40


def test_empty_strings_are_never_served(site):
    service, _ = save(small_service(description="A walk", fees="", email=""), site)
    served = serve_service(service)
    assert_no_none(served)
    assert "fees" not in served and "email" not in served
    assert served["description"] == "A walk"


def test_assert_no_none_finds_a_nested_none():
    with pytest.raises(AssertionError, match=r"None at \$\.a\[1\]\.b"):
        assert_no_none({"a": [{}, {"b": None}]})


def json_paths(value, path=()):
    """Every (path, value) below `value`, depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), item
            yield from json_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*path, index), item
            yield from json_paths(item, (*path, index))


def where_of(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def mutated(document, path, mutation):
    target = document
    for part in path[:-1]:
        target = target[part]
    if mutation == "delete":
        del target[path[-1]]
    else:
        target[path[-1]] = mutation
    return document


def test_whatever_the_official_schema_rejects_we_reject_at_the_same_place(oruk_example, compiled_validator):
    """Every field of the example, removed, made null, or given the wrong type: whenever the compiled
    schema (with its format checker) finds an error, our check names the same place."""
    validator = compiled_validator("service")
    paths = [path for path, _ in json_paths(oruk_example("service_full"))]
    tried = rejected = 0
    for path in paths:
        for mutation in ("delete", None, 12345, "not-a-uuid", {"id": "x"}, [1]):
            if mutation == "delete" and isinstance(path[-1], int):
                continue
            document = mutated(oruk_example("service_full"), path, mutation)
            official = list(validator.iter_errors(document))
            ours = check_service(document)
            tried += 1
            if not official:
                continue
            rejected += 1
            assert ours, f"{where_of(path)} = {mutation!r} passed our check: {official[0].message}"
            for error in official:
                place = where_of(error.absolute_path)
                assert any(p.where.startswith(place) for p in ours), (place, error.message, ours)
    assert tried > 500 and rejected > 300


def test_terms_named_only_by_id_are_linked_without_a_term_row(site):
    known, unknown = uid(), uid()
    document = small_service(
        attributes=[
            {"id": uid(), "taxonomy_term": {"id": known, "name": "Walking", "description": "Walking groups"}},
            {"id": uid(), "taxonomy_term_id": unknown},
        ]
    )
    service, _ = save(document, site)
    linked = set(service.terms.through.objects.filter(service=service).values_list("taxonomyterm_id", flat=True))
    assert linked == {known, unknown}
    assert list(TaxonomyTerm.objects.values_list("id", flat=True)) == [known]
    assert "walking" in Service.objects.get().search_text


def test_a_suggestion_remembers_who_suggested_it(site):
    user = make_user("Sam Okafor")
    service, outcome = save_service(
        document=small_service(), site=site, origin=Origin.SUGGESTION, curation=Curation.SUGGESTED, actor=user
    )
    assert outcome == "created"
    service.refresh_from_db()
    assert (service.suggested_by, service.origin, service.curation) == (user, "suggestion", "suggested")
    # A later save keeps the curator's decision: curation is not the document's to change.
    Service.objects.filter(pk=service.pk).update(curation=Curation.PUBLISHED)
    service, outcome = save_service(
        document=dict(service.document, name="Walk and talk, Tuesdays"),
        site=site,
        origin=Origin.SUGGESTION,
        curation=Curation.SUGGESTED,
    )
    assert outcome == "updated"
    assert Service.objects.get().curation == Curation.PUBLISHED


def test_a_service_at_a_location_the_feed_does_not_carry_is_still_served(site, compiled_validator):
    sal_id, missing_location = uid(), uid()
    service, _ = save(small_service(service_at_locations=[{"id": sal_id, "location_id": missing_location}]), site)
    sal = ServiceAtLocation.objects.get(pk=sal_id)
    assert sal.location_id == missing_location and not Location.objects.exists()
    served = serve_service_at_location(sal)
    assert errors_of(compiled_validator("service_at_location"), served) == []
    assert served["location_id"] == missing_location and "location" not in served
    listed = serve_service_at_location_list_item(sal)
    assert errors_of(compiled_validator("service_at_location_list"), listed) == []
    # The same row, once the service no longer names it, is served from what is left.
    ServiceAtLocation.objects.filter(pk=sal_id).update(id=uid())
    moved = ServiceAtLocation.objects.get(service=service)
    assert serve_service_at_location(moved)["id"] == moved.id
