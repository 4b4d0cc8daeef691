"""The groups services: starting and changing groups, joining and leaving, roles over time, ending
memberships; who may do each (refusals recorded) and the audit row each write leaves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.collaborative import groups
from livingwell.collaborative.groups import GroupAnswers
from livingwell.collaborative.models import Group, GroupKind, GroupMembership, GroupRole
from livingwell.collaborative.tests.conftest import JOINED, Collab, add_to_group, make_collab_member
from livingwell.core.errors import DomainError
from livingwell.network.models import Locality
from livingwell.testing import refresh_user

pytestmark = pytest.mark.django_db


def answers(**kw: object) -> GroupAnswers:
    values: dict[str, object] = {
        "kind": GroupKind.PROTOTYPING_TEAM,
        "name": "Peer welcome prototype",
        "purpose": "Trying a peer welcome at the front door.",
        "locality": None,
        "anyone_can_join": True,
        "started_on": dt.date(2025, 3, 3),
    }
    values.update(kw)
    return GroupAnswers(**values)  # type: ignore[arg-type]


def events(what: str, outcome: str = Outcome.ALLOWED) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(outcome=outcome, detail__what=what).order_by("id"))


def current(group: Group) -> dict[str, str]:
    return {r.member.known_as: r.role for r in GroupMembership.objects.current().filter(group=group)}


# ---- starting and changing -----------------------------------------------------------------------


def test_a_steward_starts_a_group_with_its_chair_and_co_chair(collab: Collab) -> None:
    north = Locality.objects.get(site=collab.site, name="North")
    late = make_collab_member(collab.site, known_as="Lou", joined_on=dt.date(2025, 6, 2), lived_experience=True)
    group = groups.group_start(
        actor=collab.chair.user,
        site=collab.site,
        answers=answers(name="  Peer   welcome prototype ", locality=north),
        chair=collab.carer,
        co_chair=late,
    )
    assert group.name == "Peer welcome prototype"
    assert group.locality == north
    rows = {r.member.known_as: r for r in GroupMembership.objects.filter(group=group)}
    assert rows["Kim"].role == GroupRole.CHAIR and rows["Kim"].started_on == dt.date(2025, 3, 3)
    # Lou joined the Collaborative after the group started: her co-chair role starts when she joined.
    assert rows["Lou"].role == GroupRole.CO_CHAIR and rows["Lou"].started_on == dt.date(2025, 6, 2)
    [event] = events("group")
    assert event.action == Action.CREATE and event.actor == collab.chair.user
    assert event.detail["area"] == "collaborative" and event.detail["id"] == str(group.pk)
    assert event.detail["chair"] == str(collab.carer.pk)


def test_a_site_administrator_who_is_not_a_member_may_start_a_group(collab: Collab) -> None:
    group = groups.group_start(
        actor=refresh_user(collab.admin), site=collab.site, answers=answers(), chair=collab.co_chair
    )
    assert current(group) == {"Pat (co-chair)": GroupRole.CHAIR}


def test_only_stewards_start_groups_and_refusals_are_recorded(collab: Collab) -> None:
    with pytest.raises(AccessRefused):
        groups.group_start(actor=collab.design_lead.user, site=collab.site, answers=answers(), chair=collab.carer)
    assert not Group.objects.filter(name="Peer welcome prototype").exists()
    [refusal] = events("group", Outcome.REFUSED)
    assert refusal.actor == collab.design_lead.user and refusal.detail["area"] == "collaborative"


def test_only_one_collaborative_per_site(collab: Collab) -> None:
    with pytest.raises(DomainError) as error:
        groups.group_start(
            actor=collab.chair.user, site=collab.site, answers=answers(kind=GroupKind.COLLABORATIVE), chair=collab.carer
        )
    assert error.value.code == "one_collaborative" and error.value.field == "kind"
    assert "There can be only one Collaborative: Lambeth Living Well Collaborative is it" in error.value.message


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"name": "front DOOR design team"}, "name_taken", "name"),
        ({"name": "   "}, "name_missing", "name"),
        ({"purpose": " "}, "purpose_missing", "purpose"),
        ({"started_on": dt.date(2099, 1, 1)}, "started_in_future", "started_on"),
    ],
)
def test_group_answers_are_checked(collab: Collab, change: dict[str, object], code: str, field: str) -> None:
    with pytest.raises(DomainError) as error:
        groups.group_start(actor=collab.chair.user, site=collab.site, answers=answers(**change), chair=collab.carer)
    assert (error.value.code, error.value.field) == (code, field)


def test_the_chair_must_be_a_current_member_and_differ_from_the_co_chair(collab: Collab) -> None:
    start = {"actor": collab.chair.user, "site": collab.site, "answers": answers()}
    with pytest.raises(DomainError) as error:
        groups.group_start(**start, chair=None)  # type: ignore[arg-type]
    assert error.value.field == "chair"
    with pytest.raises(DomainError) as error:
        groups.group_start(**start, chair=collab.carer, co_chair=collab.carer)  # type: ignore[arg-type]
    assert error.value.code == "co_chair_same"
    collab.citizen.left_on = dt.date(2025, 9, 1)
    collab.citizen.save()
    with pytest.raises(DomainError) as error:
        groups.group_start(**start, chair=collab.citizen)  # type: ignore[arg-type]
    assert error.value.code == "chair_invalid"
    assert not Group.objects.filter(name="Peer welcome prototype").exists()


def test_ending_a_group_ends_its_memberships(collab: Collab) -> None:
    ended = dt.date(2026, 1, 30)
    groups.group_change(
        actor=collab.chair.user,
        group=collab.design,
        answers=answers(kind=GroupKind.DESIGN_TEAM, name="Front door Design Team", started_on=JOINED),
        ended_on=ended,
    )
    collab.design.refresh_from_db()
    assert collab.design.ended_on == ended
    assert current(collab.design) == {}
    assert set(GroupMembership.objects.filter(group=collab.design).values_list("ended_on", flat=True)) == {ended}
    [event] = events("group")
    assert event.action == Action.CHANGE
    assert event.detail["memberships_ended"] == 3  # Dee, Sunny and Sol
    assert event.detail["changed"] == ["purpose", "ended_on"]  # the kind, name and start stay as they were


def test_a_group_cannot_end_before_someone_joined_nor_the_collaborative_end(collab: Collab) -> None:
    add_to_group(collab.design, collab.carer, started_on=dt.date(2026, 2, 1))
    design = answers(kind=GroupKind.DESIGN_TEAM, name="Front door Design Team", started_on=JOINED)
    with pytest.raises(DomainError) as error:
        groups.group_change(actor=collab.chair.user, group=collab.design, answers=design, ended_on=dt.date(2026, 1, 31))
    assert error.value.code == "ended_before_members" and "1 February 2026" in error.value.message
    whole = answers(kind=GroupKind.COLLABORATIVE, name=collab.whole.name, started_on=JOINED)
    with pytest.raises(DomainError) as error:
        groups.group_change(actor=collab.chair.user, group=collab.whole, answers=whole, ended_on=dt.date(2026, 2, 1))
    assert error.value.code == "collaborative_ends"
    with pytest.raises(DomainError) as error:
        groups.group_change(
            actor=collab.chair.user, group=collab.whole, answers=answers(name=collab.whole.name, started_on=JOINED)
        )
    assert error.value.code == "collaborative_kind"
    with pytest.raises(DomainError) as error:
        groups.group_change(
            actor=collab.chair.user,
            group=collab.design,
            answers=answers(kind=GroupKind.COLLABORATIVE, started_on=JOINED),
        )
    assert error.value.code == "one_collaborative"


def test_a_group_cannot_start_after_its_first_member_joined(collab: Collab) -> None:
    with pytest.raises(DomainError) as error:
        groups.group_change(
            actor=collab.chair.user,
            group=collab.design,
            answers=answers(kind=GroupKind.DESIGN_TEAM, name="Front door Design Team", started_on=dt.date(2025, 2, 1)),
        )
    assert error.value.code == "started_after_members"


def test_only_stewards_change_groups(collab: Collab) -> None:
    with pytest.raises(AccessRefused):
        groups.group_change(actor=collab.design_lead.user, group=collab.design, answers=answers(started_on=JOINED))
    assert events("group", Outcome.REFUSED)[0].actor == collab.design_lead.user


# ---- joining and leaving -------------------------------------------------------------------------


def test_a_member_joins_an_open_group(collab: Collab) -> None:
    row = groups.group_join(actor=collab.carer.user, group=collab.design)
    assert (row.role, row.started_on, row.ended_on) == (GroupRole.MEMBER, timezone.localdate(), None)
    [event] = events("group_membership")
    assert event.action == Action.CREATE and event.detail["how"] == "joined"
    with pytest.raises(DomainError) as error:
        groups.group_join(actor=collab.carer.user, group=collab.design)
    assert error.value.code == "already_in"


def test_a_group_not_open_to_all_is_joined_by_asking_its_leads(collab: Collab) -> None:
    collab.design.anyone_can_join = False
    collab.design.save()
    with pytest.raises(DomainError) as error:
        groups.group_join(actor=collab.carer.user, group=collab.design)
    assert error.value.code == "ask_to_join"
    assert "carer" not in current(collab.design)


def test_no_one_joins_an_ended_group_and_outsiders_are_refused(collab: Collab) -> None:
    collab.design.ended_on = dt.date(2026, 1, 1)
    collab.design.save()
    with pytest.raises(DomainError) as error:
        groups.group_join(actor=collab.carer.user, group=collab.design)
    assert error.value.code == "group_ended"
    with pytest.raises(AccessRefused):
        groups.group_join(actor=collab.outsider, group=collab.whole)
    assert events("group_membership", Outcome.REFUSED)[0].actor == collab.outsider


def test_leaving_ends_the_row_today(collab: Collab) -> None:
    row = groups.group_leave(actor=collab.lived.user, group=collab.design)
    assert row.ended_on == timezone.localdate()
    assert current(collab.design) == {"Dee": GroupRole.CHAIR, "Sol": GroupRole.MEMBER}
    assert events("group_membership")[0].detail["how"] == "left"
    with pytest.raises(DomainError) as error:
        groups.group_leave(actor=collab.lived.user, group=collab.design)
    assert error.value.code == "not_in"


def test_the_last_lead_hands_over_before_leaving(collab: Collab) -> None:
    with pytest.raises(DomainError) as error:
        groups.group_leave(actor=collab.design_lead.user, group=collab.design)
    assert error.value.code == "last_lead"
    assert "You are the only person in a lead role in Front door Design Team" in error.value.message
    groups.role_give(actor=collab.design_lead.user, group=collab.design, member=collab.lived, role=GroupRole.CO_CHAIR)
    groups.group_leave(actor=collab.design_lead.user, group=collab.design)
    assert current(collab.design) == {"Sunny": GroupRole.CO_CHAIR, "Sol": GroupRole.MEMBER}


# ---- roles over time -----------------------------------------------------------------------------


def test_changing_a_role_ends_one_row_and_starts_another(collab: Collab) -> None:
    today = timezone.localdate()
    row = groups.role_give(
        actor=collab.design_lead.user, group=collab.design, member=collab.lived, role=GroupRole.CO_CHAIR
    )
    rows = list(GroupMembership.objects.filter(group=collab.design, member=collab.lived).order_by("started_on"))
    assert [(r.role, r.started_on, r.ended_on) for r in rows] == [
        (GroupRole.MEMBER, JOINED, today),
        (GroupRole.CO_CHAIR, today, None),
    ]
    assert row == rows[1]
    [event] = events("group_membership")
    assert event.action == Action.CHANGE
    assert (event.detail["role"], event.detail["previous_role"]) == (GroupRole.CO_CHAIR, GroupRole.MEMBER)


def test_giving_a_role_to_someone_not_in_the_group_adds_them(collab: Collab) -> None:
    groups.role_give(
        actor=collab.design_lead.user, group=collab.design, member=collab.carer, role=GroupRole.COORDINATOR
    )
    assert current(collab.design)["Kim"] == GroupRole.COORDINATOR
    assert events("group_membership")[0].action == Action.CREATE


def test_a_correction_on_the_same_day_changes_the_row(collab: Collab) -> None:
    groups.role_give(actor=collab.design_lead.user, group=collab.design, member=collab.carer, role=GroupRole.MEMBER)
    groups.role_give(actor=collab.design_lead.user, group=collab.design, member=collab.carer, role=GroupRole.CO_CHAIR)
    rows = GroupMembership.objects.filter(group=collab.design, member=collab.carer)
    assert [r.role for r in rows] == [GroupRole.CO_CHAIR]


def test_role_rules(collab: Collab) -> None:
    give = {"actor": collab.design_lead.user, "group": collab.design}
    with pytest.raises(DomainError) as error:
        groups.role_give(**give, member=collab.lived, role=GroupRole.MEMBER)  # type: ignore[arg-type]
    assert (
        error.value.code == "same_role" and error.value.message == "Sunny is already member of Front door Design Team"
    )
    with pytest.raises(DomainError) as error:
        groups.role_give(**give, member=collab.design_lead, role=GroupRole.MEMBER)  # type: ignore[arg-type]
    assert error.value.code == "last_lead"
    with pytest.raises(DomainError) as error:
        groups.role_give(**give, member=collab.lived, role="queen")  # type: ignore[arg-type]
    assert error.value.code == "role_invalid"
    assert current(collab.design) == {"Dee": GroupRole.CHAIR, "Sunny": GroupRole.MEMBER, "Sol": GroupRole.MEMBER}


def test_only_runners_and_stewards_give_roles(collab: Collab) -> None:
    with pytest.raises(AccessRefused):
        groups.role_give(actor=collab.lived.user, group=collab.design, member=collab.lived, role=GroupRole.CHAIR)
    [refusal] = events("group_membership", Outcome.REFUSED)
    assert refusal.actor == collab.lived.user and refusal.detail["id"] == str(collab.design.pk)
    # The Collaborative's co-chair is a steward and may give roles in any group.
    groups.role_give(actor=collab.co_chair.user, group=collab.design, member=collab.carer, role=GroupRole.MEMBER)
    groups.role_give(
        actor=refresh_user(collab.admin), group=collab.design, member=collab.citizen, role=GroupRole.MEMBER
    )
    assert {"Kim", "Ade"} <= set(current(collab.design))


def test_ending_a_membership(collab: Collab) -> None:
    row = GroupMembership.objects.current().get(group=collab.design, member=collab.staff_member)
    ended = groups.membership_end(actor=collab.design_lead.user, membership=row)
    assert ended.ended_on == timezone.localdate()
    assert events("group_membership")[0].detail["how"] == "ended"
    with pytest.raises(DomainError) as error:
        groups.membership_end(actor=collab.design_lead.user, membership=row)
    assert error.value.code == "already_ended"
    lead = GroupMembership.objects.current().get(group=collab.design, member=collab.design_lead)
    with pytest.raises(DomainError) as error:
        groups.membership_end(actor=collab.chair.user, membership=lead)
    assert error.value.code == "last_lead"
    with pytest.raises(AccessRefused):
        groups.membership_end(actor=collab.lived.user, membership=lead)
