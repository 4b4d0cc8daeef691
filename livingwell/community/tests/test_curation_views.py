"""The curation pages, asserted on the HTML: adding, changing (with a conflict showing both versions),
suggesting and seeing what happened, the curators' queue and review, taking out and putting back,
the links on the search and offer pages, errors by each field with answers kept, the access cast
(allowed and refused, both audited) and constant queries on the queue."""

from __future__ import annotations

import html as htmllib
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.community import curation
from livingwell.community.documents import save_service
from livingwell.community.models import Curation, ImportSource, Origin, Service
from livingwell.community.tests.test_curation import walking_group
from livingwell.community.tests.test_search import document
from livingwell.network.tests.conftest import sign_in_verified
from livingwell.testing import Cast, make_user, refresh_user

pytestmark = pytest.mark.django_db

ADD, SUGGEST, MINE, QUEUE = (
    "/community/offers/add/",
    "/community/suggest/",
    "/community/suggestions/",
    "/community/curation/",
)

FORM: dict[str, str] = {
    "name": "Brockwell Park walking group",
    "organisation": "Brockwell Walkers",
    "informal": "on",
    "description": "A gentle walk round the park, then tea.",
    "venue": "Brockwell Park",
    "address_1": "Dulwich Road gate",
    "town": "London",
    "postcode": "SW9 8AB",
    "slot_1_day": "1",
    "slot_1_opens": "10am",
    "slot_1_closes": "11:30am",
    "cost": "free",
    "languages": "English, Polish",
}


def client_for(user: Any) -> Client:
    """Signed in; past two-factor for the roles that need it (site administrators, privacy officers)."""
    return sign_in_verified(user)


def text(response: Any) -> str:
    return htmllib.unescape(response.content.decode())


def refused(user: Any) -> bool:
    return AuditEvent.objects.filter(actor=user, action=Action.NETWORK_CHANGE, outcome=Outcome.REFUSED).exists()


def suggest(cast: Cast, name: str = "Brockwell Park walking group", user: Any = None) -> Service:
    return curation.offer_suggest(
        actor=refresh_user(user or cast.person_user), site=cast.site, answers=walking_group(name=name)
    )


# --------------------------------------------------------------------------------------------------
# Adding and changing
# --------------------------------------------------------------------------------------------------


def test_staff_add_an_offer_and_its_page_offers_to_change_it(cast: Cast) -> None:
    worker = client_for(cast.team_worker)
    page = text(worker.get(ADD))
    assert "<h1>Add an offer to the directory</h1>" in page
    assert "This is an informal group" in page and "Weekly time 1" in page

    response = worker.post(ADD, FORM)
    service = Service.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/community/offers/{service.pk}/"
    offer = text(worker.get(response["Location"]))
    assert "Brockwell Park walking group added to the directory" in offer
    assert "Every Tuesday, 10am to 11:30am." in offer and "Free" in offer
    assert f'href="/community/offers/{service.pk}/change/">Change this offer' in offer
    assert "Take out of the directory" not in offer  # a worker is not a curator
    assert "Take out of the directory" in text(client_for(cast.coordinator).get(response["Location"]))
    assert "Change this offer" not in text(client_for(cast.person_user).get(response["Location"]))


@pytest.mark.parametrize("who", ["person_user", "analyst", "stranger"])
def test_people_who_are_not_staff_are_refused_the_add_page_and_it_is_audited(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    assert client_for(user).get(ADD).status_code == 403
    assert client_for(user).post(ADD, FORM).status_code == 403
    assert refused(user)
    assert not Service.objects.exists()


def test_mistakes_are_shown_by_each_field_and_the_answers_are_kept(cast: Cast) -> None:
    bad = {
        **FORM,
        "postcode": "SW9",
        "slot_1_closes": "9am",
        "email": "not an email",
        "cost": "charge",
        "charge": "",
        "slot_2_opens": "2pm",
    }
    response = client_for(cast.coordinator).post(ADD, bad)
    page = text(response)
    assert response.status_code == 200
    assert "<title>Error: " in page and "There is a problem" in page
    for anchor, message in (
        ("#id_postcode", "Enter a real postcode, like SW9 8AB"),
        ("#id_slot_1_closes", "The closing time must be after the opening time"),
        ("#id_email", "Enter an email address like name@example.org"),
        ("#id_charge", "Say what it costs"),
        ("#id_slot_2_day", "Choose the day for time 2"),
    ):
        assert f'href="{anchor}"' in page and message in page
    assert 'value="Brockwell Park walking group"' in page and 'value="Dulwich Road gate"' in page
    assert not Service.objects.exists()


def test_an_online_offer_needs_no_address(cast: Cast) -> None:
    data = {k: v for k, v in FORM.items() if k not in ("venue", "address_1", "town", "postcode")}
    response = client_for(cast.coordinator).post(ADD, {**data, "online": "on"})
    assert response.status_code == 302
    page = text(client_for(cast.coordinator).get(response["Location"]))
    assert "Online or by phone" in page


def test_the_change_page_is_filled_in_and_saves(cast: Cast) -> None:
    service = curation.offer_add(actor=refresh_user(cast.coordinator), site=cast.site, answers=walking_group())
    url = f"/community/offers/{service.pk}/change/"
    worker = client_for(cast.team_worker)
    page = text(worker.get(url))
    assert 'value="Brockwell Walkers"' in page and 'name="version" value="1"' in page
    assert 'value="SW9 8AB"' in page and 'value="10:00"' in page

    response = worker.post(url, {**FORM, "description": "Now with a picnic", "version": "1"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.description, service.version, service.curated_by) == ("Now with a picnic", 2, cast.team_worker)


def test_two_staff_changing_an_offer_at_once_see_a_conflict_with_both_versions(cast: Cast) -> None:
    service = curation.offer_add(actor=refresh_user(cast.coordinator), site=cast.site, answers=walking_group())
    url = f"/community/offers/{service.pk}/change/"
    first, second = client_for(cast.team_worker), client_for(cast.team_leader)
    assert 'name="version" value="1"' in text(first.get(url)) and 'name="version" value="1"' in text(second.get(url))

    assert first.post(url, {**FORM, "description": "Meets at the lido", "version": "1"}).status_code == 302
    response = second.post(url, {**FORM, "description": "Meets at the cafe", "version": "1"})

    page = text(response)
    assert response.status_code == 200
    assert "Someone else changed this while you were editing" in page
    assert "Team Worker changed this offer after you opened it" in page
    assert "Meets at the lido" in page and "Meets at the cafe" in page
    assert 'name="version" value="2"' in page
    assert Service.objects.get(pk=service.pk).description == "Meets at the lido"

    assert second.post(url, {**FORM, "description": "Meets at the cafe", "version": "2"}).status_code == 302
    assert Service.objects.get(pk=service.pk).description == "Meets at the cafe"


def test_an_imported_offer_says_where_it_comes_from_and_cannot_be_changed_here(cast: Cast) -> None:
    source = ImportSource.objects.create(site=cast.site, name="Lambeth Council directory", location="/feeds/lambeth")
    service, _ = save_service(
        document=document("Council debt advice"),
        site=cast.site,
        origin=Origin.IMPORTED,
        curation=Curation.PUBLISHED,
        source=source,
    )
    page = text(client_for(cast.coordinator).get(f"/community/offers/{service.pk}/"))
    assert "Imported from Lambeth Council directory" in page and "ask its publisher" in page
    assert "Change this offer" not in page and "Take out of the directory" in page
    assert client_for(cast.coordinator).get(f"/community/offers/{service.pk}/change/").status_code == 404


# --------------------------------------------------------------------------------------------------
# Suggesting, and the curators' queue
# --------------------------------------------------------------------------------------------------


def test_a_person_suggests_an_informal_group_and_sees_it_waiting(cast: Cast) -> None:
    person = client_for(cast.person_user)
    assert "<h1>Suggest an offer</h1>" in text(person.get(SUGGEST))
    response = person.post(SUGGEST, FORM)
    assert response.status_code == 302 and response["Location"] == MINE
    service = Service.objects.get()
    assert (service.curation, service.suggested_by, service.organization.informal) == (  # type: ignore[union-attr]
        Curation.SUGGESTED,
        cast.person_user,
        True,
    )
    page = text(person.get(MINE))
    assert "<h1>Your suggestions</h1>" in page
    assert "Brockwell Park walking group" in page and "Waiting for a Hub coordinator" in page
    assert "Brockwell Walkers (informal group)" in page
    assert person.get(f"/community/offers/{service.pk}/").status_code == 404


def test_anyone_signed_in_may_suggest(cast: Cast) -> None:
    stranger = make_user("Someone new")
    assert client_for(stranger).post(SUGGEST, FORM).status_code == 302
    assert Service.objects.get().suggested_by == stranger
    assert Client().get(SUGGEST).status_code == 302  # signed out: to the sign-in page


def test_the_queue_lists_suggestions_oldest_first_with_who_and_when(cast: Cast) -> None:
    suggest(cast, "Walking group")
    suggest(cast, "Knitting circle", user=cast.analyst)
    response = client_for(cast.coordinator).get(QUEUE)
    page = text(response)
    assert response.status_code == 200
    assert "<h1>Suggestions waiting</h1>" in page
    assert page.index("Walking group") < page.index("Knitting circle")
    assert "Alex Morgan" in page and "Analyst" in page and "today" in page
    assert "2 suggestions are waiting" in page


@pytest.mark.parametrize("who", ["person_user", "team_worker", "analyst", "privacy_officer"])
def test_only_curators_open_the_queue_and_the_review(cast: Cast, who: str) -> None:
    service = suggest(cast)
    user = getattr(cast, who)
    assert client_for(user).get(QUEUE).status_code == 403
    assert (
        client_for(user).post(f"/community/curation/{service.pk}/", {"action": "publish", "version": "1"}).status_code
        == 403
    )
    assert refused(user)
    assert Service.objects.get(pk=service.pk).curation == Curation.SUGGESTED


def test_the_queue_costs_the_same_queries_however_many_suggestions(cast: Cast) -> None:
    coordinator = client_for(cast.coordinator)
    suggest(cast, "First")
    with CaptureQueriesContext(connection) as one:
        assert coordinator.get(QUEUE).status_code == 200
    for n in range(6):
        suggest(cast, f"Offer {n}", user=cast.analyst)
    with CaptureQueriesContext(connection) as seven:
        assert coordinator.get(QUEUE).status_code == 200
    assert len(seven) == len(one) <= 12


def test_a_curator_reviews_and_publishes_a_suggestion(cast: Cast) -> None:
    service = suggest(cast)
    coordinator = client_for(cast.coordinator)
    search = text(coordinator.get("/community/"))
    assert "1 suggestion waiting" in search and f'href="{QUEUE}"' in search
    page = text(coordinator.get(f"/community/curation/{service.pk}/"))
    assert "How it would appear in the directory" in page
    assert "Suggested by" in page and "Alex Morgan" in page and "An informal group" in page
    assert "Every Tuesday, 10am to 11:30am." in page
    assert f'href="/community/offers/{service.pk}/change/"' in page

    response = coordinator.post(f"/community/curation/{service.pk}/", {"action": "publish", "version": "1"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert Service.objects.get(pk=service.pk).curation == Curation.PUBLISHED
    assert "Brockwell Park walking group" in text(client_for(cast.person_user).get("/community/", {"q": "brockwell"}))
    assert "In the directory" in text(client_for(cast.person_user).get(MINE))


def test_declining_needs_a_note_which_the_person_reads(cast: Cast) -> None:
    service = suggest(cast)
    url = f"/community/curation/{service.pk}/"
    admin = client_for(cast.site_admin)
    response = admin.post(url, {"action": "decline", "note": ""})
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page and 'href="#id_note"' in page
    assert "Say why it is not being added" in page

    assert (
        admin.post(url, {"action": "decline", "note": "It already has a listing: Brockwell Walkers."}).status_code
        == 302
    )
    mine = text(client_for(cast.person_user).get(MINE))
    assert "Not added" in mine and "It already has a listing: Brockwell Walkers." in mine


# --------------------------------------------------------------------------------------------------
# Taking out and putting back
# --------------------------------------------------------------------------------------------------


def test_a_curator_takes_an_offer_out_and_puts_it_back(cast: Cast) -> None:
    service = curation.offer_add(actor=refresh_user(cast.team_worker), site=cast.site, answers=walking_group())
    coordinator = client_for(cast.coordinator)
    withdraw = f"/community/offers/{service.pk}/withdraw/"
    assert "Why it is being taken out of the directory" in text(coordinator.get(withdraw))
    assert "There is a problem" in text(coordinator.post(withdraw, {"reason": ""}))
    assert coordinator.post(withdraw, {"reason": "The group has stopped meeting."}).status_code == 302

    assert client_for(cast.person_user).get(f"/community/offers/{service.pk}/").status_code == 404
    assert client_for(cast.team_worker).get(f"/community/offers/{service.pk}/").status_code == 404
    page = text(coordinator.get(f"/community/offers/{service.pk}/"))
    assert "This offer is taken out of the directory" in page and "The group has stopped meeting." in page
    assert "Put it back in the directory" in page
    assert "The group has stopped meeting." in text(coordinator.get(QUEUE))

    restore = f"/community/offers/{service.pk}/restore/"
    assert "Put Brockwell Park walking group back in the directory" in text(coordinator.get(restore))
    assert coordinator.post(restore).status_code == 302
    assert Service.objects.get(pk=service.pk).curation == Curation.PUBLISHED


@pytest.mark.parametrize("who", ["team_worker", "person_user"])
def test_others_cannot_take_offers_out(cast: Cast, who: str) -> None:
    service = curation.offer_add(actor=refresh_user(cast.coordinator), site=cast.site, answers=walking_group())
    user = getattr(cast, who)
    assert client_for(user).post(f"/community/offers/{service.pk}/withdraw/", {"reason": "No"}).status_code == 403
    assert refused(user)
    assert Service.objects.get(pk=service.pk).curation == Curation.PUBLISHED


def test_the_search_page_links_to_suggesting_and_for_staff_to_adding(cast: Cast) -> None:
    person = text(client_for(cast.person_user).get("/community/"))
    assert "Suggest an offer" in person and "Add an offer" not in person and "suggestions waiting" not in person
    worker = text(client_for(cast.team_worker).get("/community/"))
    assert f'href="{ADD}">Add an offer' in worker and "suggestions waiting" not in worker


def test_a_curator_changes_a_suggestion_before_publishing_it(cast: Cast) -> None:
    service = suggest(cast)
    coordinator = client_for(cast.coordinator)
    change = f"/community/offers/{service.pk}/change/"
    page = text(coordinator.get(change))
    assert f'href="/community/curation/{service.pk}/"' in page  # back to the review
    response = coordinator.post(change, {**FORM, "name": "Brockwell Park Tuesday walk", "version": "1"})
    assert response.status_code == 302 and response["Location"] == f"/community/curation/{service.pk}/"
    review = text(coordinator.get(response["Location"]))
    assert "Brockwell Park Tuesday walk" in review and 'name="version" value="2"' in review
    assert Service.objects.get(pk=service.pk).curation == Curation.SUGGESTED  # still waiting

    assert coordinator.post(response["Location"], {"action": "publish", "version": "2"}).status_code == 302
    published = Service.objects.get(pk=service.pk)
    assert (published.curation, published.name, published.suggested_by) == (
        Curation.PUBLISHED,
        "Brockwell Park Tuesday walk",
        cast.person_user,
    )


def test_staff_may_suggest_rather_than_add(cast: Cast) -> None:
    worker = client_for(cast.team_worker)
    assert f'href="{SUGGEST}">Suggest it instead' in text(worker.get(ADD))
    assert worker.post(SUGGEST, FORM).status_code == 302
    service = Service.objects.get()
    assert (service.origin, service.curation, service.suggested_by) == (
        Origin.SUGGESTION,
        Curation.SUGGESTED,
        cast.team_worker,
    )


def test_publishing_a_suggestion_changed_since_it_was_opened_shows_it_again(cast: Cast) -> None:
    service = suggest(cast)
    curation.offer_change(
        actor=refresh_user(cast.team_worker),
        service_id=service.pk,
        answers=walking_group(description="Now with a picnic"),
        expected_version=1,
    )
    coordinator = client_for(cast.coordinator)
    response = coordinator.post(f"/community/curation/{service.pk}/", {"action": "publish", "version": "1"})
    assert response.status_code == 302 and response["Location"] == f"/community/curation/{service.pk}/"
    page = text(coordinator.get(response["Location"]))
    assert "Someone changed this suggestion after you opened it" in page
    assert "Now with a picnic" in page and 'name="version" value="2"' in page
    assert Service.objects.get(pk=service.pk).curation == Curation.SUGGESTED


def test_your_suggestions_costs_the_same_queries_however_many(cast: Cast) -> None:
    person = client_for(cast.person_user)
    suggest(cast, "First")
    with CaptureQueriesContext(connection) as one:
        assert person.get(MINE).status_code == 200
    for n in range(5):
        suggest(cast, f"Offer {n}")
    with CaptureQueriesContext(connection) as six:
        assert person.get(MINE).status_code == 200
    assert len(six) == len(one)
    assert "Offer 4" in text(person.get(MINE))
