"""Inviting a person to read their own record online: who may, what it refuses, and the link end to end."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.models import User
from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.core.errors import DomainError
from livingwell.messaging.models import Message, MessageStatus
from livingwell.people.invitations import PURPOSE, online_status, person_invite
from livingwell.people.models import Person, SharingConsent
from livingwell.support.models import SupportPeriod
from livingwell.testing import Cast, make_person

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-kettle-harbour-91"


class FailingSender:
    """A sender whose gateway is down: the message is kept, marked failed."""

    name = "failing"

    def send(self, message: Message) -> None:
        raise ConnectionError("The email gateway did not answer")


@pytest.fixture
def invitee(cast: Cast) -> Person:
    """Someone the North team supports, with an email address and no sign-in yet."""
    person = make_person(cast.site, "Robin", "Ellis", email="Robin.Ellis@example.test")
    SupportPeriod.objects.create(person=person, team=cast.team_a, started_at=timezone.now() - dt.timedelta(days=10))
    return person


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def link_in(message: Message) -> str:
    match = re.search(r"https?://\S+|/set-password/\S+", message.body)
    assert match, message.body
    return match.group(0)


# ---- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "basis"), [("team_worker", "team"), ("team_leader", "team")])
def test_the_team_may_open_the_invitation_page_and_the_look_is_audited(
    cast: Cast, invitee: Person, who: str, basis: str
) -> None:
    user = getattr(cast, who)
    response = client_for(user).get(reverse("people:invite", args=[invitee.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Invite Robin to read their record online</h1>" in html
    assert 'value="Robin.Ellis@example.test"' in html
    assert "What Robin will be able to do" in html
    assert "ask for a different worker" in html
    event = AuditEvent.objects.get(actor=user, person_id=invitee.pk)
    assert (event.action, event.parts, event.basis, event.outcome) == ("view", ["contact"], basis, "allowed")


def test_the_allocated_worker_may_invite(cast: Cast) -> None:
    # The cast's person already has a sign-in with a password: the page says so and offers no form.
    response = client_for(cast.allocated_worker).get(reverse("people:invite", args=[cast.person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "has already chosen a password" in html
    assert "Send the invitation" not in html
    event = AuditEvent.objects.get(actor=cast.allocated_worker, person_id=cast.person.pk)
    assert (event.parts, event.basis) == (["contact"], "allocated")


@pytest.mark.parametrize(
    "who", ["consent_worker", "other_team_worker", "stranger", "coordinator", "person_user", "analyst"]
)
def test_anyone_else_is_refused_and_the_refusal_is_audited(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    person = cast.person  # the person themself is refused by the policy, before anything about their sign-in
    client = client_for(user)
    assert client.get(reverse("people:invite", args=[person.pk])).status_code == 403
    response = client.post(reverse("people:invite", args=[person.pk]), {"email": "alex.new@example.test"})
    assert response.status_code == 403
    refusals = AuditEvent.objects.filter(actor=user, person_id=person.pk, outcome=Outcome.REFUSED)
    assert refusals.count() == 2
    assert all(e.parts == ["contact"] for e in refusals)
    assert not Message.objects.filter(purpose=PURPOSE).exists()
    assert not User.objects.filter(email="alex.new@example.test").exists()


def test_the_service_refuses_the_person_themself(cast: Cast) -> None:
    with pytest.raises(AccessRefused):
        person_invite(actor=cast.person_user, person=cast.person, email="alex@example.test")
    assert AuditEvent.objects.filter(actor=cast.person_user, outcome=Outcome.REFUSED, action=Action.CHANGE).exists()


def test_unknown_person_is_not_found(cast: Cast) -> None:
    response = client_for(cast.team_worker).get("/people/00000000-0000-4000-8000-000000000000/invite/")
    assert response.status_code == 404


# ---- the service --------------------------------------------------------------------------------


def test_invite_makes_a_sign_in_without_a_password_and_sends_the_link_by_email(cast: Cast, invitee: Person) -> None:
    made = person_invite(actor=cast.team_worker, person=invitee, email="Robin.Ellis@example.test")
    invitee.refresh_from_db()
    user = invitee.user
    assert user is not None and user == made.user
    assert user.email == "robin.ellis@example.test"
    assert user.display_name == "Robin Ellis"
    assert not user.has_usable_password()
    assert invitee.email == "Robin.Ellis@example.test"  # as typed: only the case differed, so it is not changed
    message = Message.objects.get(person_id=invitee.pk, purpose=PURPOSE)
    assert (message.channel, message.to, message.status) == ("email", "robin.ellis@example.test", "in_outbox")
    assert message.subject == "Read your Living Well record online"
    assert message.created_by == cast.team_worker
    assert "Team Worker has invited you to read your Living Well record online" in message.body
    assert made.link in message.body
    assert made.link.startswith("/set-password/")  # no request: the path (a page makes it absolute)
    event = AuditEvent.objects.get(actor=cast.team_worker, person_id=invitee.pk, action=Action.CHANGE)
    assert (event.parts, event.basis) == (["contact"], "team")
    assert event.detail == {"invited_to_read_record": "created", "email_changed": False}


@pytest.mark.parametrize(
    ("email", "code"),
    [
        ("", "email_missing"),
        ("not an email", "email_invalid"),
        ("Team.Worker.Email", "email_invalid"),
    ],
)
def test_the_email_address_must_be_one(cast: Cast, invitee: Person, email: str, code: str) -> None:
    with pytest.raises(DomainError) as caught:
        person_invite(actor=cast.team_worker, person=invitee, email=email)
    assert (caught.value.code, caught.value.field) == (code, "email")
    assert Person.objects.get(pk=invitee.pk).user is None


def test_a_staff_address_is_refused(cast: Cast, invitee: Person) -> None:
    with pytest.raises(DomainError) as caught:
        person_invite(actor=cast.team_worker, person=invitee, email=cast.other_team_worker.email.upper())
    assert (caught.value.code, caught.value.field) == ("email_staff", "email")
    assert Person.objects.get(pk=invitee.pk).user is None
    assert Person.objects.get(pk=invitee.pk).email == "Robin.Ellis@example.test"  # nothing saved
    assert not Message.objects.exists()


def test_another_persons_sign_in_is_refused(cast: Cast, invitee: Person) -> None:
    with pytest.raises(DomainError) as caught:
        person_invite(actor=cast.team_worker, person=invitee, email="alex@example.test")
    assert (caught.value.code, caught.value.field) == ("email_other_person", "email")
    assert Person.objects.get(pk=cast.person.pk).user == cast.person_user  # Alex keeps their sign-in


def test_an_unused_sign_in_with_the_address_is_taken_over_but_a_used_one_is_not(cast: Cast, invitee: Person) -> None:
    unused = User.objects.create_user("robin.home@example.test", None)
    made = person_invite(actor=cast.team_worker, person=invitee, email="robin.home@example.test")
    assert made.user == unused
    other = make_person(cast.site, "Kim", "Lee")
    SupportPeriod.objects.create(person=other, team=cast.team_a, started_at=timezone.now())
    User.objects.create_user("kim@example.test", "a-password-that-someone-chose")
    with pytest.raises(DomainError) as caught:
        person_invite(actor=cast.team_worker, person=other, email="kim@example.test")
    assert caught.value.code == "email_in_use"


def test_once_they_have_a_password_no_invitation_can_reset_it(cast: Cast) -> None:
    with pytest.raises(DomainError) as caught:
        person_invite(actor=cast.team_worker, person=cast.person, email="someone.else@example.test")
    assert caught.value.code == "already_signed_up"
    cast.person_user.refresh_from_db()
    assert cast.person_user.email == "alex@example.test"
    assert cast.person_user.has_usable_password()


def test_sending_again_replaces_the_link_and_can_change_the_address(cast: Cast, invitee: Person) -> None:
    first = person_invite(actor=cast.team_worker, person=invitee, email="robin.ellis@example.test")
    second = person_invite(actor=cast.team_leader, person=invitee, email="robin@new.example")
    assert second.again and not first.again
    assert second.user.pk == first.user.pk
    invitee.refresh_from_db()
    assert invitee.email == "robin@new.example"  # saved to the contact details, through person_change
    assert invitee.user is not None and invitee.user.email == "robin@new.example"
    changes = [
        e.detail for e in AuditEvent.objects.filter(actor=cast.team_leader, person_id=invitee.pk, action=Action.CHANGE)
    ]
    assert {"fields": ["email"]} in changes
    assert {"invited_to_read_record": "sent again", "email_changed": True} in changes
    old = Client().get(first.link)
    assert old.status_code == 200 and "This link does not work" in old.content.decode()  # the old link is dead
    response = Client().get(second.link)
    assert response.status_code == 302 and response["Location"].endswith("/set-password/")
    status = online_status(invitee)
    assert status.times_sent == 2 and status.may_send_again and not status.signed_in


# ---- the pages ----------------------------------------------------------------------------------


def test_the_record_shows_the_invitation_to_the_team_only(cast: Cast, invitee: Person) -> None:
    html = client_for(cast.team_worker).get(reverse("people:record", args=[invitee.pk])).content.decode()
    assert "Reading their record online" in html
    assert "Robin has not been invited to read their record online yet." in html
    assert f'href="{reverse("people:invite", args=[invitee.pk])}">Invite Robin to read their record online</a>' in html
    SharingConsent.objects.create(person=invitee, organisation=cast.housing, given_at=timezone.now())
    consent_view = client_for(cast.consent_worker).get(reverse("people:record", args=[invitee.pk])).content.decode()
    assert "Reading their record online" not in consent_view
    assert reverse("people:invite", args=[invitee.pk]) not in consent_view


def test_the_page_sends_the_invitation_and_the_record_shows_it(cast: Cast, invitee: Person) -> None:
    client = client_for(cast.team_worker)
    url = reverse("people:invite", args=[invitee.pk])
    response = client.post(url, {"email": "robin@example.test"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:record", args=[invitee.pk]) + "#online"
    page = text(response.content.decode())
    assert "Invitation sent to robin@example.test" in page
    today = timezone.localdate()
    assert f"Invited on {today.day} {today:%B %Y}" in page
    assert "Has signed in No" in page
    assert "Send the invitation again" in page
    message = Message.objects.get(person_id=invitee.pk, purpose=PURPOSE)
    assert link_in(message).startswith("http://testserver/set-password/")  # absolute, for an email
    invitee.refresh_from_db()
    assert invitee.email == "robin@example.test"
    again = client.get(url).content.decode()
    assert "<h1>Send the invitation again</h1>" in again
    assert "makes the earlier link stop working" in again


def test_the_page_names_the_problem_by_the_field_and_keeps_the_answer(cast: Cast, invitee: Person) -> None:
    client = client_for(cast.team_worker)
    url = reverse("people:invite", args=[invitee.pk])
    html = client.post(url, {"email": cast.team_leader.email}).content.decode()
    assert "There is a problem" in html
    assert "This email address belongs to a member of staff" in html
    assert f'value="{cast.team_leader.email}"' in html
    assert 'href="#email"' in html or 'href="#id_email"' in html
    html = client.post(url, {"email": ""}).content.decode()
    assert "Enter the email address they want to use" in html
    html = client.post(url, {"email": "robin@"}).content.decode()
    assert "Enter an email address in the right format" in html
    assert not Message.objects.exists()


@override_settings(LIVINGWELL_MESSAGE_SENDER="livingwell.people.tests.test_invite.FailingSender")
def test_a_failed_email_is_said_and_kept(cast: Cast, invitee: Person) -> None:
    response = client_for(cast.team_worker).post(
        reverse("people:invite", args=[invitee.pk]), {"email": "robin@example.test"}, follow=True
    )
    page = text(response.content.decode())
    assert "could not be sent. It is kept in the outbox" in page
    assert "The last invitation could not be sent" in page
    message = Message.objects.get(person_id=invitee.pk)
    assert message.status == MessageStatus.FAILED
    assert "did not answer" in message.failure


def test_the_link_works_end_to_end_and_lands_on_their_own_record(cast: Cast, invitee: Person) -> None:
    client_for(cast.team_worker).post(reverse("people:invite", args=[invitee.pk]), {"email": "robin@example.test"})
    link = link_in(Message.objects.get(person_id=invitee.pk, purpose=PURPOSE))
    person_client = Client()
    response = person_client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    page = person_client.get(form_url).content.decode()
    assert "Choose a password" in page and "robin@example.test" in page
    response = person_client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:sign_in")
    response = person_client.post(
        reverse("accounts:sign_in"), {"username": "Robin@Example.test", "password": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("people:me")
    html = response.content.decode()
    assert "<h1>Your record</h1>" in html
    assert "North Living Well team" in html
    # The link worked once only.
    assert "This link does not work" in Client().get(link, follow=True).content.decode()
    # Their worker sees that they have signed in, and no more invitation can go.
    record = text(client_for(cast.team_worker).get(reverse("people:record", args=[invitee.pk])).content.decode())
    assert "Has signed in Yes" in record
    assert "has chosen a password and can sign in" in record
    assert "Send the invitation again" not in record
    response = client_for(cast.team_worker).post(
        reverse("people:invite", args=[invitee.pk]), {"email": "x@example.test"}
    )
    assert response.status_code == 200
    assert Message.objects.filter(purpose=PURPOSE).count() == 1
