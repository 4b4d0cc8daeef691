"""A locality's postcode areas: the site administrator sets them on the locality's form, they are
checked with clear messages, audited, and the site's community offers move to the locality that now
covers their postcode."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from livingwell.accounts.models import User
from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.community.models import Location
from livingwell.community.tests.test_search import add, document
from livingwell.conftest import Cast
from livingwell.network import services
from livingwell.network.models import Locality
from livingwell.network.tests.conftest import OtherSite
from livingwell.network.tests.test_views import field_error, text

pytestmark = pytest.mark.django_db

Verified = Callable[[User], Client]


@pytest.fixture
def admin(cast: Cast, verified_client: Verified) -> Client:
    return verified_client(cast.site_admin)


def offer_at(cast: Cast, postcode: str, name: str) -> Any:
    doc = document(name, place=(51.46, -0.11))
    doc["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = postcode
    return add(cast.site, doc)


def locality_of(service: Any) -> str | None:
    location = Location.objects.select_related("locality").get(services_here__service=service)
    return location.locality.name if location.locality else None


def test_adding_a_locality_with_its_postcode_areas_places_the_offers(cast: Cast, admin: Client) -> None:
    walking = offer_at(cast, "SW9 0AA", "Walking group")
    choir = offer_at(cast, "SW9 8AB", "Choir")
    response = admin.get(reverse("network:locality_add"))
    assert "Postcode areas" in text(response) and "a sector comes before its district" in text(response)
    response = admin.post(
        reverse("network:locality_add"), {"name": "Stockwell", "postcode_areas": "sw9 0, SW9 9\nse11"}, follow=True
    )
    assert "Stockwell added" in text(response)
    stockwell = Locality.objects.get(site=cast.site, name="Stockwell")
    assert stockwell.postcode_areas == ["SW9 0", "SW9 9", "SE11"]
    assert "SW9 0, SW9 9, SE11" in text(response)  # the list of localities shows them
    assert locality_of(walking) == "Stockwell" and locality_of(choir) is None
    event = AuditEvent.objects.filter(action=Action.NETWORK_CHANGE, actor=cast.site_admin).latest("occurred_at")
    assert event.detail["created"] == {
        "name": "Stockwell",
        "postcode_areas": ["SW9 0", "SW9 9", "SE11"],
        "offer_places_moved": 1,
    }


def test_changing_the_areas_moves_the_offers_and_is_audited(cast: Cast, admin: Client) -> None:
    north = Locality.objects.get(site=cast.site, name="North")
    south = Locality.objects.create(site=cast.site, name="South", postcode_areas=["SW9"])
    walking = offer_at(cast, "SW9 0AA", "Walking group")
    choir = offer_at(cast, "SW9 8AB", "Choir")
    assert locality_of(walking) == "South" and locality_of(choir) == "South"
    response = admin.get(reverse("network:locality_change", args=[north.pk]))
    assert "<h1>Change North</h1>" in response.content.decode()
    response = admin.post(
        reverse("network:locality_change", args=[north.pk]), {"name": "North", "postcode_areas": "SW9 0"}, follow=True
    )
    assert "North saved" in text(response)
    assert locality_of(walking) == "North"  # the sector wins over South's district
    assert locality_of(choir) == "South"
    event = AuditEvent.objects.filter(action=Action.NETWORK_CHANGE, actor=cast.site_admin).latest("occurred_at")
    assert event.detail["changes"] == {"postcode_areas": [[], ["SW9 0"]]}
    assert event.detail["offer_places_moved"] == 1
    # The form shows the areas kept, one a line; clearing them moves the offer back.
    response = admin.get(reverse("network:locality_change", args=[north.pk]))
    assert ">SW9 0</textarea>" in response.content.decode().replace("\n", "")
    admin.post(reverse("network:locality_change", args=[north.pk]), {"name": "North", "postcode_areas": ""})
    assert locality_of(walking) == "South"
    assert south.pk == Location.objects.get(services_here__service=walking).locality_id


@pytest.mark.parametrize(
    ("areas", "message"),
    [
        ("Brixton", "Brixton is not a postcode district or sector. Enter districts like SE1 and sectors like SW9 0"),
        ("SE1, SW9 0AA", "SW9 0AA is a full postcode. Enter its district (SW9) or sector (SW9 0)"),
        ("SW9 01", "SW9 01 is not a postcode district or sector. Enter districts like SE1 and sectors like SW9 0"),
        ("se1 6", "SE1 6 is already in Waterloo. Take it out of Waterloo first"),
    ],
)
def test_areas_that_are_not_districts_or_sectors_or_are_taken_are_refused(
    cast: Cast, admin: Client, areas: str, message: str
) -> None:
    Locality.objects.create(site=cast.site, name="Waterloo", postcode_areas=["SE1 6"])
    north = Locality.objects.get(site=cast.site, name="North")
    for url in (reverse("network:locality_add"), reverse("network:locality_change", args=[north.pk])):
        response = admin.post(url, {"name": "Somewhere new", "postcode_areas": areas})
        assert response.status_code == 200
        assert "There is a problem" in text(response)
        assert field_error(response, "id_postcode_areas") == message
        assert areas in response.content.decode()  # the answer is kept
    assert not Locality.objects.filter(name="Somewhere new").exists()
    north.refresh_from_db()
    assert north.postcode_areas == []


def test_the_same_area_on_another_site_is_no_conflict(cast: Cast, other_site: OtherSite) -> None:
    other_site.locality.postcode_areas = ["SE1"]
    other_site.locality.save()
    locality = services.locality_create(actor=cast.site_admin, site=cast.site, name="Waterloo", postcode_areas=["se1"])
    assert locality.postcode_areas == ["SE1"]


def test_only_a_site_administrator_sets_postcode_areas_and_refusals_are_recorded(
    cast: Cast, verified_client: Verified, other_site: OtherSite
) -> None:
    north = Locality.objects.get(site=cast.site, name="North")
    for user in (cast.team_worker, cast.coordinator, other_site.admin):
        response = verified_client(user).post(
            reverse("network:locality_change", args=[north.pk]), {"name": "North", "postcode_areas": "SE1"}
        )
        assert response.status_code == 403
        assert AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED).exists()
    north.refresh_from_db()
    assert north.postcode_areas == []


def test_renaming_keeps_the_postcode_areas(cast: Cast) -> None:
    north = Locality.objects.get(site=cast.site, name="North")
    services.locality_update(actor=cast.site_admin, locality=north, name="North", postcode_areas=["SE1"])
    services.locality_rename(actor=cast.site_admin, locality=north, name="North Lambeth")
    north.refresh_from_db()
    assert (north.name, north.postcode_areas) == ("North Lambeth", ["SE1"])
