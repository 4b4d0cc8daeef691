"""The person's own record: the start page, every part reachable, sharing that takes effect at once,
changing their story, and optional two-step sign-in."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.people.models import SharingConsent, Story
from livingwell.support.models import Allocation, SupportPeriod, WorkerChangeRequest, WorkerKind
from livingwell.testing import PASSWORD, Cast

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_the_person_lands_on_their_own_record_with_their_team_and_worker(cast: Cast) -> None:
    client = client_for(cast.person_user)
    assert client.get(reverse("core:home"))["Location"] == reverse("people:me")
    html = client.get(reverse("people:me")).content.decode()
    page = text(html)
    assert '<span class="nhsuk-caption-l">Alex Morgan</span>' in html
    assert "<h1>Your record</h1>" in html
    assert "Your team North Living Well team, since" in page
    assert "Your worker Allocated Peer, peer worker" in page
    assert f'href="{reverse("person_support:overview", args=[cast.person.pk])}">Ask for a different worker' in html
    event = AuditEvent.objects.get(actor=cast.person_user, person_id=cast.person.pk)
    assert event.basis == "self"
    assert "support" in event.parts and "story" in event.parts and "network" in event.parts


def test_every_part_of_their_record_is_reachable_from_the_start(cast: Cast) -> None:
    html = client_for(cast.person_user).get(reverse("people:me")).content.decode()
    pk = cast.person.pk
    for heading, href in [
        ("Your story", "#story"),
        ("Your Living Well plan", reverse("plans:view", args=[pk])),
        ("Contacts and notes", reverse("contacts:list", args=[pk])),
        ("Your support", reverse("person_support:overview", args=[pk])),
        ("Your network", "#network"),
        ("Sharing", reverse("people:sharing", args=[pk])),
        ("Who has looked at your record", reverse("people:my_access_log")),
        ("Your account", reverse("accounts:account")),
    ]:
        assert re.search(rf'<a class="nhsuk-card__link" href="{re.escape(href)}">\s*{heading}\s*</a>', html), heading
    for anchor in ('id="story"', 'id="network"', 'id="sharing"', 'id="contact"', 'id="about"'):
        assert anchor in html
    assert "Change your story" in html  # they change (add to) their story themselves
    assert "Your Living Well plan" in html and "Who has looked at your record" in html  # the record's contents list


def test_staff_see_no_start_page_and_the_menu_gives_the_person_their_record(cast: Cast) -> None:
    staff = client_for(cast.team_worker).get(reverse("people:record", args=[cast.person.pk])).content.decode()
    assert "What is in your record" not in staff and "Your worker" not in staff
    person = client_for(cast.person_user).get(reverse("people:me")).content.decode()
    assert f'href="{reverse("people:me")}"' in person
    assert "What is in your record" in person


def test_waiting_for_a_worker_and_asking_for_a_change_are_shown_in_their_words(cast: Cast) -> None:
    period = SupportPeriod.objects.get(person=cast.person)
    Allocation.objects.filter(support_period=period).update(ended_at=timezone.now())
    period.wanted_kind = WorkerKind.PEER
    period.save(update_fields=["wanted_kind"])
    WorkerChangeRequest.objects.create(support_period=period, asked_at=timezone.now(), asked_by=cast.person_user)
    page = text(client_for(cast.person_user).get(reverse("people:me")).content.decode())
    assert "Your team is finding a worker for you. You asked for: a peer worker" in page
    assert "You asked for a different worker on" in page and "Your team will talk with you about it" in page


def test_someone_not_supported_now_is_told_they_can_come_back(cast: Cast) -> None:
    SupportPeriod.objects.filter(person=cast.person).update(ended_at=timezone.now())
    page = text(client_for(cast.person_user).get(reverse("people:me")).content.decode())
    assert "You do not have Living Well support at the moment" in page
    assert "you can come back at any time" in page


def test_their_access_log_has_the_record_header(cast: Cast) -> None:
    client_for(cast.team_worker).get(reverse("people:record", args=[cast.person.pk]))
    html = client_for(cast.person_user).get(reverse("people:my_access_log")).content.decode()
    assert "<h1>Who has looked at your record</h1>" in html
    assert 'aria-current="page"' in html or "nhsuk-contents-list__current" in html
    assert "Team Worker" in html


# ---- sharing ------------------------------------------------------------------------------------


def test_withdrawing_consent_takes_effect_at_once(cast: Cast) -> None:
    worker = client_for(cast.consent_worker)
    record_url = reverse("people:record", args=[cast.person.pk])
    assert worker.get(record_url).status_code == 200
    assert "Alex Morgan" in worker.get(reverse("people:list")).content.decode()
    consent = SharingConsent.objects.get(person=cast.person, organisation=cast.housing)

    person = client_for(cast.person_user)
    page = person.get(reverse("people:sharing", args=[cast.person.pk])).content.decode()
    assert "<h1>Who you share your record with</h1>" in page
    response = person.post(reverse("people:stop_sharing", args=[cast.person.pk, consent.pk]), follow=True)
    assert "Stopped sharing with Homes for Lambeth" in text(response.content.decode())

    # The very next request by the same signed-in worker is refused, and the refusal is audited.
    assert worker.get(record_url).status_code == 403
    assert "Alex Morgan" not in worker.get(reverse("people:list")).content.decode()
    assert AuditEvent.objects.filter(
        actor=cast.consent_worker, person_id=cast.person.pk, outcome=Outcome.REFUSED
    ).exists()
    log = text(person.get(reverse("people:my_access_log")).content.decode())
    assert "Housing Officer" in log and "Stopped" in log
    # Giving it again gives access again, at once.
    person.post(reverse("people:sharing", args=[cast.person.pk]), {"organisation": str(cast.housing.pk)})
    assert worker.get(record_url).status_code == 200


# ---- their story --------------------------------------------------------------------------------


def test_the_person_adds_to_their_story_and_a_worker_saving_at_the_same_time_sees_a_conflict(cast: Cast) -> None:
    url = reverse("people:change_part", args=[cast.person.pk, "story"])
    person = client_for(cast.person_user)
    worker = client_for(cast.team_worker)
    assert "Your story" in person.get(reverse("people:me")).content.decode()
    assert person.get(url).status_code == 200
    worker.get(url)
    version = Story.objects.get(person=cast.person).version
    fields = {
        "what_brought_me_here": "Feeling low since losing my job.",
        "going_well": "",
        "hard": "",
        "would_like_to_achieve": "",
        "who_can_help": "",
    }
    response = person.post(url, {**fields, "going_well": "Walking every morning", "version": version})
    assert response["Location"] == reverse("people:me")
    html = worker.post(url, {**fields, "hard": "Sleeping", "version": version}).content.decode()
    assert "Walking every morning" in html  # the conflict shows the person's words
    story = Story.objects.get(person=cast.person)
    assert (story.going_well, story.hard) == ("Walking every morning", "")


# ---- optional two-step sign-in ------------------------------------------------------------------


def sign_in(client: Client, email: str, password: str = PASSWORD) -> str:
    response = client.post(reverse("accounts:sign_in"), {"username": email, "password": password})
    return str(response["Location"])


def test_a_person_may_turn_on_two_step_sign_in_and_off_again(cast: Cast) -> None:
    client = Client()
    assert sign_in(client, "alex@example.test") == reverse("core:home")  # no code needed by default
    account = text(client.get(reverse("accounts:account")).content.decode())
    assert "Two-step sign-in Off" in account
    assert "Turn on two-step sign-in with an authenticator app (recommended)" in account
    assert "It is your choice" in account
    set_up = client.get(reverse("accounts:two_factor_set_up")).content.decode()
    assert "You can turn it off again from your account page" in set_up
    assert "Your role lets you change" not in set_up
    device = TOTPDevice.objects.get(user=cast.person_user, confirmed=False)
    response = client.post(reverse("accounts:two_factor_set_up"), {"code": code_for(device), "next": "/people/me/"})
    assert response["Location"] == reverse("people:me")
    assert AuditEvent.objects.filter(actor=cast.person_user, detail__two_factor="set up").exists()

    client.post(reverse("accounts:sign_out"))
    assert reverse("accounts:two_factor") in sign_in(client, "alex@example.test")  # now a code is asked for
    assert client.get(reverse("people:me"))["Location"].startswith(reverse("accounts:two_factor"))
    device.refresh_from_db()
    device.last_t = -1  # allow the same time step again in this fast test
    device.save()
    response = client.post(reverse("accounts:two_factor"), {"code": code_for(device), "next": "/people/me/"})
    assert response["Location"] == reverse("people:me")

    account = client.get(reverse("accounts:account")).content.decode()
    assert "Turn off two-step sign-in" in account
    turn_off = reverse("accounts:two_factor_turn_off")
    device.refresh_from_db()
    wrong = "000000" if code_for(device) != "000000" else "111111"
    assert "The code is not right" in client.post(turn_off, {"code": wrong}).content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.last_t = -1
    device.save()
    response = client.post(turn_off, {"code": code_for(device)})
    assert response["Location"] == reverse("accounts:account")
    assert not TOTPDevice.objects.filter(user=cast.person_user).exists()
    assert AuditEvent.objects.filter(actor=cast.person_user, detail__two_factor="turned off").exists()
    client.post(reverse("accounts:sign_out"))
    assert sign_in(client, "alex@example.test") == reverse("core:home")


def test_roles_that_need_two_step_sign_in_cannot_turn_it_off(cast: Cast) -> None:
    device = TOTPDevice.objects.create(user=cast.site_admin, name="app", confirmed=True)
    client = Client()
    assert reverse("accounts:two_factor") in sign_in(client, cast.site_admin.email)
    client.post(reverse("accounts:two_factor"), {"code": code_for(device)})
    assert "Turn off two-step sign-in" not in client.get(reverse("accounts:account")).content.decode()
    assert client.get(reverse("accounts:two_factor_turn_off")).status_code == 403
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    assert client.post(reverse("accounts:two_factor_turn_off"), {"code": code_for(device)}).status_code == 403
    assert TOTPDevice.objects.filter(user=cast.site_admin, confirmed=True).exists()
    assert AuditEvent.objects.filter(actor=cast.site_admin, outcome=Outcome.REFUSED).count() == 2
