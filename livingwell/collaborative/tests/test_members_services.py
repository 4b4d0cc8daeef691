"""Joining, changing, leaving and welcoming: the services, their checks and their audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone

from livingwell.accounts.invitations import set_password_path
from livingwell.accounts.models import User
from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.collaborative import members
from livingwell.collaborative.members import JoinAnswers, Profile
from livingwell.collaborative.models import (
    GroupMembership,
    GroupRole,
    JoinRequest,
    JoinRequestStatus,
    Member,
    Perspective,
)
from livingwell.collaborative.tests.conftest import Collab, add_to_group
from livingwell.core.errors import DomainError
from livingwell.messaging.models import Message
from livingwell.network.models import Sector
from livingwell.testing import make_user

pytestmark = pytest.mark.django_db

LIVED = frozenset({Perspective.LIVED_EXPERIENCE})


def _events(what: str) -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.order_by("id")
        if e.detail.get("area") == "collaborative" and e.detail.get("what") == what
    ]


def _link(path: str) -> str:
    return f"https://livingwell.example{path}"


# ---- joining signed in ----------------------------------------------------------------------------


def test_join_makes_a_member_today_in_the_whole_collaborative(collab: Collab) -> None:
    user = make_user("Jordan Real-Name")
    member = members.member_join(
        actor=user,
        site=collab.site,
        profile=Profile(
            known_as="  Jo  ",
            perspectives=frozenset({Perspective.STAFF, Perspective.LIVED_EXPERIENCE}),
            sector=Sector.VOLUNTARY,
            organisation_name="certitude",  # matches the charity "Certitude" whatever the case
            about="Peer support",
            listed=False,
        ),
    )
    assert member.known_as == "Jo"
    assert member.joined_on == timezone.localdate() and member.left_on is None
    assert member.lived_experience and member.staff and not member.carer
    assert member.sector == Sector.VOLUNTARY
    assert member.organisation == collab.cast.charity
    assert not member.listed and not member.public_name
    place = GroupMembership.objects.current().get(member=member)
    assert place.group == collab.whole and place.role == GroupRole.MEMBER and place.started_on == timezone.localdate()
    [event] = _events("member")
    assert event.action == Action.CREATE and event.outcome == Outcome.ALLOWED
    assert event.detail["id"] == str(member.pk) and event.detail["rejoined"] is False


def test_join_needs_a_perspective_and_a_sector_for_staff(collab: Collab) -> None:
    user = make_user()
    with pytest.raises(DomainError) as none:
        members.member_join(actor=user, site=collab.site, profile=Profile(known_as="Jo", perspectives=frozenset()))
    assert none.value.field == "perspectives"
    with pytest.raises(DomainError) as sector:
        members.member_join(
            actor=user,
            site=collab.site,
            profile=Profile(known_as="Jo", perspectives=frozenset({Perspective.COMMISSIONER})),
        )
    assert sector.value.field == "sector"
    with pytest.raises(DomainError) as name:
        members.member_join(actor=user, site=collab.site, profile=Profile(known_as="   ", perspectives=LIVED))
    assert name.value.field == "known_as"
    assert not Member.objects.filter(user=user).exists()


def test_a_sector_is_dropped_for_someone_who_does_not_work_in_the_network(collab: Collab) -> None:
    member = members.member_join(
        actor=make_user(), site=collab.site, profile=Profile(known_as="Ro", perspectives=LIVED, sector=Sector.NHS_TRUST)
    )
    assert member.sector == ""


def test_joining_twice_is_refused(collab: Collab) -> None:
    with pytest.raises(DomainError) as error:
        members.member_join(
            actor=collab.lived.user, site=collab.site, profile=Profile(known_as="Sun", perspectives=LIVED)
        )
    assert error.value.code == "already_member"


def test_leave_ends_every_current_place_and_keeps_the_history(collab: Collab) -> None:
    today = timezone.localdate()
    old = GroupMembership.objects.get(group=collab.design, member=collab.lived)
    old.ended_on = dt.date(2025, 3, 1)
    old.save()
    add_to_group(collab.design, collab.lived, GroupRole.CO_CHAIR, started_on=dt.date(2025, 3, 2))
    members.member_leave(actor=collab.lived.user, member_id=collab.lived.pk)
    collab.lived.refresh_from_db()
    assert collab.lived.left_on == today
    assert not GroupMembership.objects.current().filter(member=collab.lived).exists()
    # Hand count: whole (member), design (member, ended 1 March 2025), design (co-chair) = 3 rows kept.
    rows = GroupMembership.objects.filter(member=collab.lived).select_related("group")
    assert sorted((r.group.name, r.role, r.ended_on) for r in rows) == [
        ("Front door Design Team", GroupRole.CO_CHAIR, today),
        ("Front door Design Team", GroupRole.MEMBER, dt.date(2025, 3, 1)),
        ("Lambeth Living Well Collaborative", GroupRole.MEMBER, today),
    ]
    [event] = _events("member_leave")
    assert event.action == Action.CHANGE
    assert sorted(g["role"] for g in event.detail["groups_ended"]) == ["co_chair", "member"]


def test_someone_who_left_can_rejoin_on_the_same_row(collab: Collab) -> None:
    members.member_leave(actor=collab.carer.user, member_id=collab.carer.pk)
    member = members.member_join(
        actor=collab.carer.user,
        site=collab.site,
        profile=Profile(known_as="Kim again", perspectives=frozenset({Perspective.CARER, Perspective.CITIZEN})),
    )
    assert member.pk == collab.carer.pk
    assert member.left_on is None and member.joined_on == timezone.localdate()
    assert member.known_as == "Kim again" and member.citizen
    # The old place in the whole Collaborative ended today and a new one started today.
    places = GroupMembership.objects.filter(member=member, group=collab.whole)
    assert places.count() == 2 and places.filter(ended_on__isnull=True).count() == 1
    assert _events("member")[-1].detail["rejoined"] is True


def test_member_change_changes_only_your_own_and_says_what_changed(collab: Collab) -> None:
    profile = Profile(known_as="Ade O", perspectives=frozenset({Perspective.CITIZEN}), listed=False, public_name=True)
    member = members.member_change(actor=collab.citizen.user, member_id=collab.citizen.pk, profile=profile)
    assert member.known_as == "Ade O" and not member.listed and member.public_name
    [event] = _events("member")
    assert event.detail["changed"] == ["known_as", "listed", "public_name"]
    with pytest.raises(DomainError):
        members.member_change(actor=collab.carer.user, member_id=collab.citizen.pk, profile=profile)


# ---- requests to join -----------------------------------------------------------------------------


def _ask(collab: Collab, email: str = "Sam@Example.org", name: str = "Sam") -> members.JoinRequestOutcome:
    return members.join_request_add(
        site=collab.site,
        answers=JoinAnswers(
            known_as=name,
            email=email,
            perspectives=frozenset({Perspective.CARER, Perspective.LIVED_EXPERIENCE}),
            about="Carers' voice",
            access_needs="Step-free access",
        ),
    )


def test_a_request_to_join_is_kept_once_per_waiting_email(collab: Collab) -> None:
    first = _ask(collab)
    assert first.created and first.join_request.email == "sam@example.org"
    assert first.join_request.lived_experience and first.join_request.carer and not first.join_request.staff
    again = _ask(collab, email="sam@example.ORG ", name="Samantha")
    assert not again.created and again.join_request.pk == first.join_request.pk
    assert JoinRequest.objects.count() == 1
    [event] = _events("join_request")
    assert event.action == Action.CREATE and event.actor is None
    # Once handled, the same email may ask again.
    JoinRequest.objects.update(status=JoinRequestStatus.DECLINED)
    assert _ask(collab).created


def test_a_request_needs_a_perspective(collab: Collab) -> None:
    with pytest.raises(DomainError) as error:
        members.join_request_add(
            site=collab.site, answers=JoinAnswers(known_as="Sam", email="sam@example.org", perspectives=frozenset())
        )
    assert error.value.field == "perspectives"


def test_welcome_makes_a_sign_in_a_member_and_sends_a_link(collab: Collab) -> None:
    asked = _ask(collab).join_request
    member = members.join_request_welcome(
        actor=collab.chair.user, site=collab.site, request_id=asked.pk, link_for=_link
    )
    user = User.objects.get(email="sam@example.org")
    assert not user.has_usable_password() and user.display_name == "Sam"
    assert member.user == user and member.known_as == "Sam"
    assert member.carer and member.lived_experience and member.about == "Carers' voice"
    assert member.access_needs == "Step-free access"
    assert not member.listed and not member.public_name  # until they choose
    assert GroupMembership.objects.current().filter(member=member, group=collab.whole).exists()
    asked.refresh_from_db()
    assert asked.status == JoinRequestStatus.WELCOMED and asked.member == member and asked.handled_by == collab.chair
    [message] = Message.objects.all()
    assert message.to == "sam@example.org" and message.purpose == "collaborative_welcome" and message.person_id is None
    # The link is the one-time set-password page for this new sign-in (its token checks out).
    [link] = [line for line in message.body.splitlines() if line.startswith("https://livingwell.example/set-password/")]
    uidb64, token = link.removeprefix(_link("/set-password/")).strip("/").split("/")
    assert _link(set_password_path(user)).startswith(_link(f"/set-password/{uidb64}/"))
    assert default_token_generator.check_token(user, token)
    assert "choose a password" in message.body and "Dear Sam" in message.body
    [event] = _events("join_request_welcome")
    assert event.detail["new_account"] is True and event.detail["member"] == str(member.pk)


def test_welcome_of_someone_with_a_sign_in_asks_them_to_sign_in(collab: Collab) -> None:
    existing = make_user("Real Name", email="sam@example.org")
    asked = _ask(collab).join_request
    member = members.join_request_welcome(
        actor=collab.chair.user, site=collab.site, request_id=asked.pk, link_for=_link
    )
    assert member.user == existing
    existing.refresh_from_db()
    assert existing.has_usable_password() and existing.display_name == "Real Name"
    [message] = Message.objects.all()
    assert "choose a password" not in message.body and "set-password" not in message.body
    assert "sign in as usual" in message.body
    assert "Real Name" not in message.body  # they are greeted by the name they gave the Collaborative


def test_a_request_is_handled_once_and_only_by_stewards(collab: Collab) -> None:
    asked = _ask(collab).join_request
    with pytest.raises(AccessRefused):
        members.join_request_welcome(
            actor=collab.design_lead.user, site=collab.site, request_id=asked.pk, link_for=_link
        )
    refused = AuditEvent.objects.get(outcome=Outcome.REFUSED)
    assert refused.detail["area"] == "collaborative" and refused.detail["what"] == "join_request"
    members.join_request_welcome(actor=collab.admin, site=collab.site, request_id=asked.pk, link_for=_link)
    asked.refresh_from_db()
    assert asked.handled_by is None  # a site administrator who is not a member
    with pytest.raises(DomainError) as again:
        members.join_request_decline(actor=collab.chair.user, site=collab.site, request_id=asked.pk, note="No")
    assert again.value.code == "handled"


def test_decline_needs_a_note_and_emails_it_kindly(collab: Collab) -> None:
    asked = _ask(collab).join_request
    with pytest.raises(DomainError) as error:
        members.join_request_decline(actor=collab.chair.user, site=collab.site, request_id=asked.pk, note="  ")
    assert error.value.field == "note"
    members.join_request_decline(
        actor=collab.chair.user, site=collab.site, request_id=asked.pk, note="We are full until the spring."
    )
    asked.refresh_from_db()
    assert asked.status == JoinRequestStatus.DECLINED and asked.note == "We are full until the spring."
    [message] = Message.objects.all()
    assert message.purpose == "collaborative_join_declined"
    assert "We are full until the spring." in message.body and "open events" in message.body
    assert not User.objects.filter(email="sam@example.org").exists()
    assert len(_events("join_request_decline")) == 1


def test_welcome_of_someone_who_left_brings_them_back(collab: Collab) -> None:
    members.member_leave(actor=collab.carer.user, member_id=collab.carer.pk)
    asked = _ask(collab, email=collab.carer.user.email, name="Kimberley").join_request
    member = members.join_request_welcome(
        actor=collab.chair.user, site=collab.site, request_id=asked.pk, link_for=_link
    )
    assert member.pk == collab.carer.pk and member.is_current and member.known_as == "Kimberley"
    assert _events("join_request_welcome")[0].detail["rejoined"] is True
