"""People pages: what each member of the cast sees, changes, and is refused, asserted on the HTML."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from livingwell.audit.models import AuditEvent, BreakGlass, Outcome
from livingwell.people.models import Person, Relationship, SharingConsent, Story
from livingwell.testing import Cast, make_person

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_team_worker_reads_the_whole_record_with_the_story_exactly_as_typed(cast: Cast) -> None:
    Story.objects.filter(person=cast.person).update(hard="Sleeping <b>badly</b>\nand worrying")
    response = client_for(cast.team_worker).get(reverse("people:record", args=[cast.person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Alex Morgan</h1>" in html
    assert "943 476 5919" in html
    assert "Sleeping &lt;b&gt;badly&lt;/b&gt;\nand worrying" in html  # stored as typed, never rendered as HTML
    assert "Equality monitoring" in html
    assert "their team supports the person" in html
    assert "Change my story" in html


def test_consented_organisation_reads_story_but_not_equity_and_changes_nothing(cast: Cast) -> None:
    html = client_for(cast.consent_worker).get(reverse("people:record", args=[cast.person.pk])).content.decode()
    assert "Feeling low since losing my job." in html
    assert "Equality monitoring" not in html
    assert "Change " not in html
    assert "the person agreed to share with their organisation" in html


@pytest.mark.parametrize("who", ["other_team_worker", "analyst", "stranger", "coordinator", "psychiatrist"])
def test_record_page_refuses_without_a_relationship(cast: Cast, who: str) -> None:
    response = client_for(getattr(cast, who)).get(reverse("people:record", args=[cast.person.pk]))
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()
    assert AuditEvent.objects.filter(
        actor=getattr(cast, who), outcome=Outcome.REFUSED, person_id=cast.person.pk
    ).exists()


def test_unknown_person_is_not_found(cast: Cast) -> None:
    response = client_for(cast.team_worker).get("/people/00000000-0000-4000-8000-000000000000/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(cast: Cast) -> None:
    response = Client().get(reverse("people:record", args=[cast.person.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_people_list_shows_only_visible_people_with_bounded_queries(cast: Cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(30):
        make_person(cast.site, f"Other{i}", "Person")  # nobody supports these: the worker must not see them
    client = client_for(cast.team_worker)
    client.get(reverse("people:list"))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:list"))
    html = response.content.decode()
    assert "Alex Morgan" in html
    assert "Other1" not in html
    assert "1 person" in html


def test_search_by_name_nhs_number_and_postcode(cast: Cast) -> None:
    client = client_for(cast.team_worker)
    for query in ("alex", "Morgan", "9434765919", "sw9 8"):
        html = client.get(reverse("people:list"), {"q": query}).content.decode()
        assert "Alex Morgan" in html, query
    html = client.get(reverse("people:list"), {"q": "Nobody"}).content.decode()
    assert "Nobody you may see matches" in html


def test_analyst_cannot_use_the_people_list(cast: Cast) -> None:
    response = client_for(cast.analyst).get(reverse("people:list"), {"q": "Morgan"})
    assert response.status_code == 403
    event = AuditEvent.objects.get(actor=cast.analyst, outcome=Outcome.REFUSED)
    assert event.action == "search"


def test_worker_changes_the_story_and_it_is_audited(cast: Cast) -> None:
    url = reverse("people:change_part", args=[cast.person.pk, "story"])
    client = client_for(cast.team_worker)
    form = client.get(url).content.decode()
    assert "What has brought you here?" in form
    assert "Feeling low since losing my job." in form
    response = client.post(
        url, {"what_brought_me_here": "  Feeling low since losing my job.  ", "going_well": "My dog", "version": 1}
    )
    assert response.status_code == 302
    story = Story.objects.get(person=cast.person)
    assert story.going_well == "My dog"
    assert story.what_brought_me_here == "  Feeling low since losing my job.  "  # kept as typed
    event = AuditEvent.objects.get(actor=cast.team_worker, action="change")
    assert event.parts == ["story"]
    assert set(event.detail["fields"]) == {"going_well", "what_brought_me_here"}


def test_two_people_changing_the_story_at_once_see_a_conflict_with_both_versions(cast: Cast) -> None:
    """No lost updates: the second save shows both versions, keeps what was typed, and saves only when asked."""
    url = reverse("people:change_part", args=[cast.person.pk, "story"])
    worker, person = client_for(cast.allocated_worker), client_for(cast.person_user)
    assert 'name="version" value="1"' in worker.get(url).content.decode()
    assert 'name="version" value="1"' in person.get(url).content.decode()
    story = {"what_brought_me_here": "Feeling low since losing my job.", "going_well": ""}

    assert person.post(url, {**story, "going_well": "Walking the dog", "version": 1}).status_code == 302
    response = worker.post(url, {**story, "going_well": "Seeing my sister", "version": 1})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this while you were editing" in html
    assert "Alex Morgan changed the story after you opened it" in html
    assert "Walking the dog" in html and "Seeing my sister" in html  # both versions
    assert 'name="version" value="2"' in html  # saving again is a deliberate choice
    assert Story.objects.get(person=cast.person).going_well == "Walking the dog"  # nothing lost
    assert not AuditEvent.objects.filter(actor=cast.allocated_worker, action="change").exists()

    again = worker.post(url, {**story, "going_well": "Walking the dog and seeing my sister", "version": 2})
    assert again.status_code == 302
    saved = Story.objects.get(person=cast.person)
    assert (saved.going_well, saved.version) == ("Walking the dog and seeing my sister", 3)


def test_invalid_nhs_number_shows_the_error_summary_and_keeps_answers(cast: Cast) -> None:
    url = reverse("people:change_part", args=[cast.person.pk, "identity"])
    response = client_for(cast.team_worker).post(
        url, {"given_name": "Alexandra", "family_name": "Morgan", "nhs_number": "943 476 5918"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert 'href="#id_nhs_number"' in html
    assert "Enter a valid NHS number" in html
    assert 'value="Alexandra"' in html
    assert Person.objects.get(pk=cast.person.pk).given_name == "Alex"  # nothing half-saved


def test_date_of_birth_errors_follow_the_service_manual(cast: Cast) -> None:
    url = reverse("people:change_part", args=[cast.person.pk, "identity"])
    html = (
        client_for(cast.team_worker)
        .post(url, {"given_name": "Alex", "date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "1990"})
        .content.decode()
    )
    assert "Date of birth must be a real date" in html
    html = (
        client_for(cast.team_worker)
        .post(url, {"given_name": "Alex", "date_of_birth_0": "3", "date_of_birth_1": "", "date_of_birth_2": "1990"})
        .content.decode()
    )
    assert "Date of birth must include a month" in html


def test_person_changes_their_own_contact_details_but_not_their_identity(cast: Cast) -> None:
    client = client_for(cast.person_user)
    response = client.post(
        reverse("people:change_part", args=[cast.person.pk, "contact"]),
        {"phone": "07700 900982", "postcode": "sw2 1aa", "may_text": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:me")
    person = Person.objects.get(pk=cast.person.pk)
    assert (person.phone, person.postcode, person.may_text) == ("07700 900982", "SW2 1AA", True)

    refused = client.get(reverse("people:change_part", args=[cast.person.pk, "identity"]))
    assert refused.status_code == 403


def test_bad_postcode_and_phone_are_named(cast: Cast) -> None:
    html = (
        client_for(cast.team_worker)
        .post(
            reverse("people:change_part", args=[cast.person.pk, "contact"]), {"phone": "12", "postcode": "NOT A CODE"}
        )
        .content.decode()
    )
    assert "Enter a full UK postcode, like SW9 8AB" in html
    assert "Enter a phone number" in html


def test_consented_organisation_cannot_post_changes(cast: Cast) -> None:
    response = client_for(cast.consent_worker).post(
        reverse("people:change_part", args=[cast.person.pk, "story"]), {"hard": "overwritten"}
    )
    assert response.status_code == 403
    assert Story.objects.get(person=cast.person).hard == ""


def test_person_sees_their_record_and_who_looked(cast: Cast) -> None:
    client_for(cast.team_worker).get(reverse("people:record", args=[cast.person.pk]))
    client_for(cast.other_team_worker).get(reverse("people:record", args=[cast.person.pk]))
    client = client_for(cast.person_user)
    home = client.get(reverse("core:home"))
    assert home["Location"] == reverse("people:me")
    assert "<h1>Your record</h1>" in client.get(reverse("people:me")).content.decode()
    log = client.get(reverse("people:my_access_log")).content.decode()
    assert "Team Worker" in log
    assert "Recovery worker, Certitude" in log
    assert "Other Team" in log and "Stopped" in log


def test_staff_cannot_open_someone_elses_access_log_page(cast: Cast) -> None:
    response = client_for(cast.team_worker).get(reverse("people:my_access_log"))
    assert response.status_code == 302  # no record of their own: back to their home page


def test_person_stops_sharing_and_the_organisation_loses_access_at_once(cast: Cast) -> None:
    consent = SharingConsent.objects.get(person=cast.person)
    assert client_for(cast.consent_worker).get(reverse("people:record", args=[cast.person.pk])).status_code == 200
    client = client_for(cast.person_user)
    page = client.get(reverse("people:sharing", args=[cast.person.pk])).content.decode()
    assert "Homes for Lambeth" in page and "Stop sharing" in page
    client.post(reverse("people:stop_sharing", args=[cast.person.pk, consent.pk]))
    assert client_for(cast.consent_worker).get(reverse("people:record", args=[cast.person.pk])).status_code == 403


def test_person_shares_with_another_organisation(cast: Cast) -> None:
    client = client_for(cast.person_user)
    response = client.post(reverse("people:sharing", args=[cast.person.pk]), {"organisation": str(cast.council.pk)})
    assert response.status_code == 302
    assert SharingConsent.objects.current().filter(person=cast.person, organisation=cast.council).exists()
    html = client.post(reverse("people:sharing", args=[cast.person.pk]), {"organisation": ""}).content.decode()
    assert "Select an organisation" in html


def test_network_add_and_remove(cast: Cast) -> None:
    client = client_for(cast.person_user)
    html = client.post(reverse("people:add_relationship", args=[cast.person.pk]), {"name": ""}).content.decode()
    assert "Enter their name" in html and "Select who they are to you" in html
    client.post(
        reverse("people:add_relationship", args=[cast.person.pk]),
        {"name": "Jo", "kind": "friend", "part_they_play": "Walks with me", "wants_involved": "on"},
    )
    relationship = Relationship.objects.get(person=cast.person)
    assert relationship.wants_involved
    assert "Walks with me" in client.get(reverse("people:me")).content.decode()
    client.post(reverse("people:remove_relationship", args=[cast.person.pk, relationship.pk]))
    assert not Relationship.objects.filter(person=cast.person).exists()


def test_emergency_access_journey(cast: Cast) -> None:
    client = client_for(cast.psychiatrist)
    html = client.post(reverse("people:emergency"), {"nhs_number": ""}).content.decode()
    assert "Enter the NHS number, or the first name, last name and date of birth" in html
    html = client.post(reverse("people:emergency"), {"nhs_number": "9434765919"}).content.decode()
    assert "Alex Morgan" in html
    url = reverse("people:break_glass", args=[cast.person.pk])
    html = client.post(url, {"reason": "short"}).content.decode()
    assert "at least 20 characters" in html
    response = client.post(url, {"reason": "Called by A&E: person in crisis, need their safety contacts"})
    assert response.status_code == 302
    record = client.get(reverse("people:record", args=[cast.person.pk])).content.decode()
    assert "You are seeing this record with emergency access" in record
    assert BreakGlass.objects.filter(user=cast.psychiatrist, reviewed_at__isnull=True).count() == 1


def test_emergency_access_is_refused_to_roles_not_named(cast: Cast) -> None:
    assert client_for(cast.team_worker).get(reverse("people:emergency")).status_code == 403
    response = client_for(cast.analyst).post(
        reverse("people:break_glass", args=[cast.person.pk]), {"reason": "I would like to see this record please"}
    )
    assert response.status_code == 403
    assert not BreakGlass.objects.exists()


def test_the_emergency_access_reason_page_audits_the_name_it_shows(cast: Cast) -> None:
    client_for(cast.psychiatrist).get(reverse("people:break_glass", args=[cast.person.pk]))
    event = AuditEvent.objects.get(actor=cast.psychiatrist, person_id=cast.person.pk)
    assert (event.action, event.parts) == ("view", ["identity"])
    assert (
        client_for(cast.psychiatrist).get("/people/00000000-0000-4000-8000-000000000000/emergency-access/").status_code
        == 404
    )


def test_a_page_about_one_part_records_a_look_at_that_part_only(cast: Cast) -> None:
    client = client_for(cast.team_worker)
    client.get(reverse("people:change_part", args=[cast.person.pk, "contact"]))
    client.get(reverse("people:add_relationship", args=[cast.person.pk]))
    events = AuditEvent.objects.filter(actor=cast.team_worker, person_id=cast.person.pk).order_by("id")
    assert [(e.action, e.parts, e.basis) for e in events] == [
        ("view", ["contact"], "team"),
        ("view", ["network"], "team"),
    ]
