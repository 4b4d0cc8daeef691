"""The access cast proves the policy: who may read and change each part, on records, lists and search."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from livingwell.access.models import IntroductionState
from livingwell.audit import services as audit
from livingwell.audit.models import AuditEvent, Basis, Outcome, Part
from livingwell.audit.policy import CHANGE, READ, access_to
from livingwell.conftest import Cast, refresh_user
from livingwell.people.models import Person
from livingwell.people.selectors import RECORD_PAGE_PARTS, own_access_log, person_record, person_search
from livingwell.support.models import Allocation, SupportPeriod

pytestmark = pytest.mark.django_db


def bases(cast: Cast, who: str, person: Person | None = None) -> frozenset[Basis]:
    return access_to(refresh_user(getattr(cast, who)), person or cast.person).bases


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("person_user", {Basis.SELF}),
        ("team_worker", {Basis.TEAM}),
        ("team_leader", {Basis.TEAM}),
        ("allocated_worker", {Basis.ALLOCATED}),
        ("consent_worker", {Basis.CONSENT}),
        ("other_team_worker", set()),
        ("psychiatrist", set()),  # may break glass, but has not
        ("coordinator", set()),  # the person's introduction is no longer open
        ("analyst", set()),
        ("site_admin", set()),
        ("privacy_officer", set()),
        ("stranger", set()),
    ],
)
def test_each_member_of_the_cast_has_exactly_their_basis(cast: Cast, who: str, expected: set[Basis]) -> None:
    assert bases(cast, who) == expected


def test_coordinator_sees_front_door_items_only_while_the_introduction_is_open(cast: Cast) -> None:
    assert bases(cast, "coordinator", cast.newcomer) == {Basis.FRONT_DOOR}
    access = access_to(refresh_user(cast.coordinator), cast.newcomer)
    assert access.readable == {Part.IDENTITY, Part.ABOUT, Part.CONTACT, Part.STORY, Part.SUPPORT}
    assert Part.EQUITY not in access.readable

    cast.newcomer.introductions.update(state=IntroductionState.MET, first_conversation_at=timezone.now())
    assert bases(cast, "coordinator", cast.newcomer) == set()


def test_parts_by_basis() -> None:
    assert READ[Basis.SELF] == frozenset(Part)
    assert Part.ACCESS_LOG not in READ[Basis.TEAM]
    assert CHANGE[Basis.CONSENT] == frozenset()
    assert CHANGE[Basis.BREAK_GLASS] == frozenset()
    assert Part.EQUITY not in READ[Basis.CONSENT]
    assert Part.IDENTITY not in CHANGE[Basis.SELF]


def test_ended_support_and_allocation_end_access(cast: Cast) -> None:
    now = timezone.now()
    SupportPeriod.objects.filter(person=cast.person).update(ended_at=now)
    assert bases(cast, "team_worker") == set()
    assert bases(cast, "allocated_worker") == set()


def test_ended_allocation_alone_ends_the_workers_access(cast: Cast) -> None:
    Allocation.objects.filter(worker=cast.allocated_worker).update(ended_at=timezone.now())
    assert bases(cast, "allocated_worker") == set()
    assert bases(cast, "team_worker") == {Basis.TEAM}


def test_withdrawn_consent_takes_effect_at_once(cast: Cast) -> None:
    cast.person.sharing_consents.update(withdrawn_at=timezone.now())
    assert bases(cast, "consent_worker") == set()


def test_ended_membership_ends_team_access(cast: Cast) -> None:
    cast.team_worker.memberships.update(ended_on=dt.date.today())
    assert bases(cast, "team_worker") == set()


def test_inactive_account_has_no_access(cast: Cast) -> None:
    cast.team_worker.is_active = False
    cast.team_worker.save()
    assert bases(cast, "team_worker") == set()


# Lists and search -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_person"),
    [
        ("team_worker", True),
        ("team_leader", True),
        ("allocated_worker", True),
        ("consent_worker", True),
        ("other_team_worker", False),
        ("psychiatrist", False),
        ("coordinator", False),
    ],
)
def test_lists_and_search_show_only_visible_people(cast: Cast, who: str, sees_person: bool) -> None:
    user = refresh_user(getattr(cast, who))
    listed = {p.pk for p in person_search(user=user).object_list}
    found = {p.pk for p in person_search(user=user, query="Morgan").object_list}
    by_nhs = {p.pk for p in person_search(user=user, query="943 476 5919").object_list}
    by_postcode = {p.pk for p in person_search(user=user, query="SW9").object_list}
    for result in (listed, found, by_nhs, by_postcode):
        assert (cast.person.pk in result) is sees_person


def test_coordinator_lists_the_newcomer_at_the_front_door(cast: Cast) -> None:
    listed = {p.pk for p in person_search(user=refresh_user(cast.coordinator)).object_list}
    assert listed == {cast.newcomer.pk}


def test_every_person_shown_in_a_list_is_audited(cast: Cast) -> None:
    person_search(user=refresh_user(cast.team_worker), query="Alex")
    event = AuditEvent.objects.get(person_id=cast.person.pk, action="search")
    assert event.actor == cast.team_worker
    assert event.outcome == Outcome.ALLOWED
    assert event.detail == {"query": "Alex"}
    assert event.actor_roles == "Recovery worker"
    assert event.actor_organisation == "Certitude"


@pytest.mark.parametrize("who", ["analyst", "site_admin", "privacy_officer", "stranger", "person_user"])
def test_roles_without_people_work_are_refused_lists_and_searches_and_it_is_audited(cast: Cast, who: str) -> None:
    user = refresh_user(getattr(cast, who))
    with pytest.raises(audit.AccessRefused):
        person_search(user=user, query="Morgan")
    refusal = AuditEvent.objects.get(actor=user, outcome=Outcome.REFUSED)
    assert refusal.action == "search"


# Single records -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["other_team_worker", "psychiatrist", "coordinator", "analyst", "site_admin", "privacy_officer", "stranger"]
)
def test_record_refused_without_a_relationship_and_the_refusal_is_audited(cast: Cast, who: str) -> None:
    user = refresh_user(getattr(cast, who))
    with pytest.raises(audit.AccessRefused):
        person_record(user=user, person_id=cast.person.pk)
    refusal = AuditEvent.objects.get(actor=user, person_id=cast.person.pk)
    assert refusal.outcome == Outcome.REFUSED
    assert refusal.action == "view"
    assert refusal.reason


@pytest.mark.parametrize(
    ("who", "basis"),
    [
        ("person_user", Basis.SELF),
        ("team_worker", Basis.TEAM),
        ("allocated_worker", Basis.ALLOCATED),
        ("consent_worker", Basis.CONSENT),
    ],
)
def test_record_read_is_audited_with_its_basis_and_parts(cast: Cast, who: str, basis: Basis) -> None:
    user = refresh_user(getattr(cast, who))
    record = person_record(user=user, person_id=cast.person.pk)
    event = AuditEvent.objects.get(actor=user, person_id=cast.person.pk, action="view")
    assert event.basis == basis
    assert set(event.parts) == {p.value for p in record.access.readable if p in RECORD_PAGE_PARTS}
    if basis == Basis.CONSENT:
        assert record.consents == []  # sharing is not part of what a consented organisation reads
        assert not record.access.can_read(Part.EQUITY)


def test_break_glass_by_a_named_role_is_time_limited_audited_and_flagged_for_review(cast: Cast) -> None:
    psychiatrist = refresh_user(cast.psychiatrist)
    grant = audit.break_glass_open(
        user=psychiatrist, person=cast.person, reason="Police called: concerned for safety tonight, need contacts"
    )
    assert bases(cast, "psychiatrist") == {Basis.BREAK_GLASS}
    record = person_record(user=refresh_user(cast.psychiatrist), person_id=cast.person.pk)
    assert not record.access.changeable
    assert grant.reviewed_at is None
    events = AuditEvent.objects.filter(actor=cast.psychiatrist, person_id=cast.person.pk)
    assert {e.action for e in events} == {"break_glass", "view"}
    assert {e.basis for e in events} == {Basis.BREAK_GLASS}

    # The person sees it in their own access log, with the reason.
    own = own_access_log(user=refresh_user(cast.person_user))
    assert any(e.action == "break_glass" and "Police called" in e.reason for e in own)

    with time_machine.travel(grant.expires_at + dt.timedelta(seconds=1)):
        assert bases(cast, "psychiatrist") == set()


@pytest.mark.parametrize("who", ["team_worker", "analyst", "stranger", "site_admin"])
def test_break_glass_refused_for_roles_not_named(cast: Cast, who: str) -> None:
    user = refresh_user(getattr(cast, who))
    with pytest.raises(audit.AccessRefused):
        audit.break_glass_open(user=user, person=cast.person, reason="I would like to look at this record please")
    assert AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED, action="break_glass").exists()
    assert bases(cast, who) == (set() if who != "team_worker" else {Basis.TEAM})


def test_break_glass_needs_a_real_reason(cast: Cast) -> None:
    with pytest.raises(audit.BreakGlassError) as error:
        audit.break_glass_open(user=refresh_user(cast.psychiatrist), person=cast.person, reason="urgent")
    assert error.value.field == "reason"
    assert bases(cast, "psychiatrist") == set()


def test_privacy_officer_reviews_break_glass_but_not_their_own(cast: Cast) -> None:
    grant = audit.break_glass_open(
        user=refresh_user(cast.psychiatrist), person=cast.person, reason="Crisis team asked for the safety contacts"
    )
    with pytest.raises(audit.AccessRefused):
        audit.break_glass_review(reviewer=refresh_user(cast.analyst), grant=grant, outcome="justified", note="")
    with pytest.raises(audit.BreakGlassError):
        audit.break_glass_review(
            reviewer=refresh_user(cast.privacy_officer), grant=grant, outcome="not_justified", note=""
        )
    reviewed = audit.break_glass_review(
        reviewer=refresh_user(cast.privacy_officer), grant=grant, outcome="justified", note="Crisis confirmed"
    )
    assert reviewed.reviewed_by == cast.privacy_officer
    assert AuditEvent.objects.filter(actor=cast.privacy_officer, action="review", basis=Basis.PRIVACY).exists()


def test_the_audit_trail_cannot_be_rewritten(cast: Cast) -> None:
    person_record(user=refresh_user(cast.team_worker), person_id=cast.person.pk)
    event = AuditEvent.objects.filter(actor=cast.team_worker).first()
    assert event is not None
    event.reason = "rewritten"
    with pytest.raises(ValueError, match="cannot be changed"):
        event.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        event.delete()
