"""The groups pages asserted on the HTML: the list, a group's page with its mix and resilience notes,
starting and changing groups, joining, asking and leaving, roles and their history, and "who holds
which role"; the access cast (refusals recorded), and bounded queries on the list pages."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.collaborative.models import (
    ActionPoint,
    Group,
    GroupKind,
    GroupMembership,
    GroupRole,
    Member,
    Session,
    SessionStatus,
)
from livingwell.collaborative.resilience import tenure_text
from livingwell.collaborative.tests.conftest import JOINED, Collab, add_to_group, make_collab_member, make_group
from livingwell.network.tests.conftest import sign_in_verified

pytestmark = pytest.mark.django_db

GROUPS, ADD, WHO = "/collaborative/groups/", "/collaborative/groups/add/", "/collaborative/roles/"


def page(group: Group, tail: str = "") -> str:
    return f"/collaborative/groups/{group.pk}/{tail}"


def client_for(member_or_user: Any) -> Client:
    user = member_or_user.user if isinstance(member_or_user, Member) else member_or_user
    return sign_in_verified(user)


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return htmllib.unescape(response.content.decode())


def plain(response: Any) -> str:
    """The text of the page's main content (not the header, which names the signed-in person to
    themselves) without tags, spaces squeezed."""
    html = text(response)
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def refusals(user: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED).order_by("id"))


def date_post(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


# ---- the list of groups --------------------------------------------------------------------------


def test_members_see_groups_by_kind_with_leads_size_and_their_place(collab: Collab) -> None:
    ended = make_group(collab.site, name="Old crisis Design Team")
    ended.ended_on = dt.date(2025, 12, 1)
    ended.save()
    body = plain(client_for(collab.lived).get(GROUPS))
    assert "<h1>Groups</h1>" in text(client_for(collab.lived).get(GROUPS))
    assert "Design Teams A Design Team is 12 to 15 people who co-design part of the network" in body
    assert "Front door Design Team To co-design support. Members 3 people Led by Dee (chair)" in body
    assert "Led by Chris (chair) (chair) and Pat (co-chair) (co-chair)" in body
    assert body.count("You are in it (member)") == 2  # Sunny is in the Collaborative and the Design Team
    assert "Groups that have ended" in body and "Ended 1 December 2025" in body
    assert body.index("Front door Design Team") < body.index("Groups that have ended") < body.index("Old crisis")
    assert "Start a group" not in body
    assert "Alex Morgan" not in body  # Sunny's name on her support record never shows here


def test_stewards_are_offered_to_start_a_group(collab: Collab) -> None:
    assert "Start a group" in plain(client_for(collab.co_chair).get(GROUPS))
    assert "Start a group" in plain(client_for(collab.admin).get(GROUPS))  # a site administrator, not a member


@pytest.mark.parametrize("tail", ["", "change/", "join/", "leave/", "roles/"])
def test_outsiders_are_refused_and_it_is_recorded(collab: Collab, tail: str) -> None:
    outsider = client_for(collab.outsider)
    assert outsider.get(page(collab.design, tail)).status_code == 403
    refused = refusals(collab.outsider)
    assert refused and all(e.detail["area"] == "collaborative" for e in refused)


def test_outsiders_are_refused_the_lists(collab: Collab) -> None:
    outsider = client_for(collab.outsider)
    response = outsider.get(GROUPS)
    assert response.status_code == 403
    assert "Only members of the Collaborative can do this" in htmllib.unescape(response.content.decode())
    assert outsider.get(WHO).status_code == 403
    assert outsider.get(ADD).status_code == 403
    assert [e.detail["what"] for e in refusals(collab.outsider)] == ["groups", "roles", "group"]


def test_the_list_takes_the_same_queries_for_more_groups(collab: Collab) -> None:
    client = client_for(collab.lived)
    client.get(GROUPS)  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(GROUPS).status_code == 200
        return len(queries)

    before = count()
    for n in range(4):
        extra = make_group(collab.site, name=f"Lab {n}", kind=GroupKind.PROTOTYPING_LAB)
        add_to_group(extra, make_collab_member(collab.site), GroupRole.CHAIR)
        add_to_group(extra, collab.lived)
    assert count() == before


# ---- a group's page ------------------------------------------------------------------------------


def test_a_group_page_shows_members_mix_size_and_resilience_notes(collab: Collab) -> None:
    body = plain(client_for(collab.lived).get(page(collab.design)))
    assert "Design Team Front door Design Team" in body
    assert "A Design Team is 12 to 15 people who co-design part of the network" in body
    assert "Dee Chair 6 January 2025" in body and "Sunny Member 6 January 2025" in body
    assert "You are in this group (member)" in body
    # Dee (carer), Sunny (lived experience), Sol (staff): 1 of 3 with lived experience, 33%.
    assert "People with lived experience of mental health: 1 of 3 (33%)" in body
    assert "Carer, family member or friend 1" in body and "Works in the network 1" in body
    assert "3 people. Design Teams work best with 12 to 15 people; this one has 3." in body
    assert "Does this group rely on a few people?" in body
    assert "Dee is the only person in a lead role in Front door Design Team." in body
    assert "Front door Design Team has not met since it started." in body
    assert "Alex Morgan" not in body
    assert "Leave this group" in body and "Join this group" not in body
    assert "Roles and history" not in body and "Change or end this group" not in body


def test_links_to_the_groups_work_and_add_links_only_for_those_who_run_it(collab: Collab) -> None:
    lead_page = text(client_for(collab.design_lead).get(page(collab.design)))
    member_page = text(client_for(collab.lived).get(page(collab.design)))
    assert f'href="{reverse("collaborative:group_roles", args=[collab.design.pk])}"' in lead_page
    for name in ("session_add", "decision_add", "prototype_add", "story_add", "action_add"):
        try:
            href = reverse(f"collaborative:{name}", args=[collab.design.pk])
        except NoReverseMatch:  # that part of the Collaborative is not installed: no link to it
            assert f"/groups/{collab.design.pk}/{name.split('_')[0]}" not in lead_page
            continue
        assert f'href="{href}"' in lead_page
        assert f'href="{href}"' not in member_page
    try:
        sessions = reverse("collaborative:sessions") + f"?group={collab.design.pk}"
    except NoReverseMatch:
        return
    assert f'href="{sessions}"' in member_page


def test_a_design_team_of_the_right_size_has_no_size_note(collab: Collab) -> None:
    for _ in range(10):  # 3 + 10 = 13 people, within 12 to 15
        add_to_group(collab.design, make_collab_member(collab.site, lived_experience=True))
    body = plain(client_for(collab.lived).get(page(collab.design)))
    assert "13 people" in body and "work best with" not in body


def test_an_unknown_group_is_not_found(collab: Collab) -> None:
    assert (
        client_for(collab.lived).get("/collaborative/groups/00000000-0000-0000-0000-000000000000/").status_code == 404
    )


# ---- starting and changing a group ---------------------------------------------------------------


def start_form(collab: Collab, **kw: str) -> dict[str, str]:
    data = {
        "kind": GroupKind.NEIGHBOURHOOD,
        "name": "Brixton neighbourhood collaborative",
        "purpose": "Bringing the way we work to Brixton.",
        "anyone_can_join": "on",
        "chair": str(collab.lived.pk),
        "co_chair": str(collab.staff_member.pk),
        **date_post("started_on", dt.date(2025, 9, 1)),
    }
    data.update(kw)
    return data


def test_a_steward_starts_a_group(collab: Collab) -> None:
    client = client_for(collab.chair)
    form = text(client.get(ADD))
    assert "<h1>Start a group</h1>" in form and "Its first chair" in form and "A co-chair (optional)" in form
    response = client.post(ADD, start_form(collab), follow=True)
    group = Group.objects.get(name="Brixton neighbourhood collaborative")
    assert response.redirect_chain[-1][0] == page(group)
    body = plain(response)
    assert "Brixton neighbourhood collaborative started" in body
    assert "Sunny Chair 1 September 2025" in body and "Sol Co-chair 1 September 2025" in body
    assert AuditEvent.objects.filter(detail__what="group", detail__id=str(group.pk), outcome=Outcome.ALLOWED).exists()


def test_start_errors_are_shown_by_each_field_with_answers_kept(collab: Collab) -> None:
    client = client_for(collab.chair)
    response = client.post(ADD, start_form(collab, chair="", name="Kept name", purpose=""))
    body = text(response)
    assert "<title>Error: Start a group" in body
    assert "Choose the group's first chair" in body and "Say what the group is for" in body
    assert 'value="Kept name"' in body
    response = client.post(ADD, start_form(collab, kind=GroupKind.COLLABORATIVE))
    body = text(response)
    assert "There can be only one Collaborative: Lambeth Living Well Collaborative is it." in body
    assert 'href="#id_kind"' in body  # the summary links to the field
    assert not Group.objects.filter(name="Brixton neighbourhood collaborative").exists()


def test_only_stewards_start_or_change_groups(collab: Collab) -> None:
    lead = client_for(collab.design_lead)
    assert lead.get(ADD).status_code == 403
    assert lead.post(ADD, start_form(collab)).status_code == 403
    assert lead.get(page(collab.design, "change/")).status_code == 403
    assert not Group.objects.filter(name="Brixton neighbourhood collaborative").exists()
    assert len(refusals(collab.design_lead.user)) == 3


def test_a_steward_ends_a_group_and_it_moves_down_the_list(collab: Collab) -> None:
    client = client_for(collab.admin)
    assert "Change Front door Design Team" in text(client.get(page(collab.design, "change/")))
    data = {
        "kind": GroupKind.DESIGN_TEAM,
        "name": "Front door Design Team",
        "purpose": "To co-design support.",
        "anyone_can_join": "on",
        **date_post("started_on", JOINED),
        **date_post("ended_on", dt.date(2026, 1, 30)),
    }
    response = client.post(page(collab.design, "change/"), data, follow=True)
    body = plain(response)
    assert "Front door Design Team ended" in body
    assert "This group ended on 30 January 2026" in body
    assert not GroupMembership.objects.current().filter(group=collab.design).exists()
    listing = plain(client.get(GROUPS))
    assert listing.index("Groups that have ended") < listing.index("Front door Design Team")


# ---- joining, asking and leaving -----------------------------------------------------------------


def test_a_member_joins_an_open_group(collab: Collab) -> None:
    client = client_for(collab.carer)
    assert "Join this group" in plain(client.get(page(collab.design)))
    response = client.post(page(collab.design, "join/"), follow=True)
    body = plain(response)
    assert "You have joined Front door Design Team" in body and "Kim Member" in body
    assert GroupMembership.objects.current().filter(group=collab.design, member=collab.carer).exists()


def test_asking_to_join_names_the_leads_and_records_nothing(collab: Collab) -> None:
    collab.design.anyone_can_join = False
    collab.design.save()
    add_to_group(collab.design, collab.citizen, GroupRole.COORDINATOR)
    client = client_for(collab.carer)
    group_page = text(client.get(page(collab.design)))
    assert f'href="{page(collab.design, "join/")}">Ask to join</a>' in group_page
    body = plain(client.get(page(collab.design, "join/")))
    assert "Ask to join Front door Design Team" in body
    assert "To join, ask Dee (chair) and Ade (coordinator)" in body
    before = AuditEvent.objects.count()
    response = client.post(page(collab.design, "join/"), follow=True)
    assert "Ask one of the leads of Front door Design Team to add you" in plain(response)
    assert not GroupMembership.objects.filter(group=collab.design, member=collab.carer).exists()
    assert AuditEvent.objects.count() == before


def test_leaving_asks_first_then_ends_the_row(collab: Collab) -> None:
    client = client_for(collab.lived)
    body = plain(client.get(page(collab.design, "leave/")))
    assert "Leave Front door Design Team" in body and "You are in this group as member" in body
    response = client.post(page(collab.design, "leave/"), follow=True)
    assert "You have left Front door Design Team" in plain(response)
    row = GroupMembership.objects.get(group=collab.design, member=collab.lived)
    assert row.ended_on == timezone.localdate()


def test_the_last_lead_cannot_leave(collab: Collab) -> None:
    client = client_for(collab.design_lead)
    body = plain(client.get(page(collab.design, "leave/")))
    assert "Hand over first" in body and "roles page" in body
    response = client.post(page(collab.design, "leave/"))
    html = text(response)
    assert "<title>Error: Leave Front door Design Team" in html
    assert "You are the only person in a lead role in Front door Design Team." in html
    assert GroupMembership.objects.current().filter(group=collab.design, member=collab.design_lead).exists()


def test_someone_not_in_the_group_is_sent_back_from_leave(collab: Collab) -> None:
    response = client_for(collab.carer).get(page(collab.design, "leave/"))
    assert response.status_code == 302 and response["Location"] == page(collab.design)


# ---- roles and history ---------------------------------------------------------------------------


def test_the_roles_page_gives_roles_and_keeps_the_history(collab: Collab) -> None:
    client = client_for(collab.design_lead)
    roles = page(collab.design, "roles/")
    body = plain(client.get(roles))
    assert "Roles in Front door Design Team" in body
    assert "Sunny (member now)" in body  # the choice of people says who is in the group already
    response = client.post(roles, {"action": "give", "member": str(collab.lived.pk), "role": "co_chair"}, follow=True)
    body = plain(response)
    today = timezone.localdate()
    assert "Sunny is now co-chair of Front door Design Team" in body
    history = body[body.index("History") :]
    assert f"Sunny Co-chair {today.day} {today:%B %Y} Now less than a month" in history
    # tenure_text is checked against hand-made cases in test_resilience.
    assert f"Sunny Member 6 January 2025 {today.day} {today:%B %Y} {tenure_text(JOINED, today)}" in history


def test_ending_a_membership_asks_to_confirm(collab: Collab) -> None:
    client = client_for(collab.design_lead)
    row = GroupMembership.objects.current().get(group=collab.design, member=collab.staff_member)
    roles = page(collab.design, "roles/")
    body = plain(client.get(f"{roles}?end={row.pk}"))
    assert "End Sol's membership?" in body and "Sol is member of Front door Design Team" in body
    response = client.post(roles, {"action": "end", "membership": str(row.pk)}, follow=True)
    assert "Sol is no longer in Front door Design Team" in plain(response)
    row.refresh_from_db()
    assert row.ended_on == timezone.localdate()


def test_the_last_lead_stays_until_someone_takes_over(collab: Collab) -> None:
    client = client_for(collab.design_lead)
    roles = page(collab.design, "roles/")
    response = client.post(roles, {"action": "give", "member": str(collab.design_lead.pk), "role": "member"})
    assert "Dee is the only person in a lead role. Give someone else a lead role first." in text(response)
    lead = GroupMembership.objects.current().get(group=collab.design, member=collab.design_lead)
    response = client.post(roles, {"action": "end", "membership": str(lead.pk)}, follow=True)
    assert "Dee is the only person in a lead role" in plain(response)
    assert GroupMembership.objects.current().filter(pk=lead.pk).exists()


def test_role_form_errors(collab: Collab) -> None:
    response = client_for(collab.design_lead).post(page(collab.design, "roles/"), {"action": "give"})
    body = text(response)
    assert "<title>Error: Roles in Front door Design Team" in body
    assert "Choose who to give a role to" in body and "Choose a role" in body


def test_only_runners_and_stewards_see_the_roles_page(collab: Collab) -> None:
    roles = page(collab.design, "roles/")
    assert client_for(collab.lived).get(roles).status_code == 403
    assert (
        client_for(collab.lived)
        .post(roles, {"action": "give", "member": str(collab.lived.pk), "role": "chair"})
        .status_code
        == 403
    )
    assert GroupMembership.objects.current().get(group=collab.design, member=collab.lived).role == GroupRole.MEMBER
    assert [e.detail["what"] for e in refusals(collab.lived.user)] == ["group_membership", "group_membership"]
    assert client_for(collab.chair).get(roles).status_code == 200  # a steward
    assert client_for(collab.admin).get(roles).status_code == 200  # the site administrator


# ---- who holds which role ------------------------------------------------------------------------


def _session(group: Group, day: dt.date, host: Member | None, status: str = SessionStatus.HELD) -> Session:
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(18, 0)))
    return Session.objects.create(
        group=group,
        title=f"{group.name} on {day}",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="Karibu Centre",
        host_member=host,
        status=status,
    )


def test_who_holds_lists_lead_roles_concerns_and_hand_overs(collab: Collab) -> None:
    today = timezone.localdate()
    # The Collaborative meets monthly, hosted in turn; the Design Team has never met.
    for months_back, host in ((1, collab.chair), (2, collab.co_chair), (3, collab.chair)):
        _session(collab.whole, today - dt.timedelta(days=30 * months_back - 15), host)
    # Pat handed over the co-chair of a lab to Kim two months ago.
    lab = make_group(collab.site, name="Learning Lab", kind=GroupKind.PROTOTYPING_LAB)
    handed = today - dt.timedelta(days=60)
    GroupMembership.objects.create(
        group=lab, member=collab.co_chair, role=GroupRole.CO_CHAIR, started_on=JOINED, ended_on=handed
    )
    add_to_group(lab, collab.carer, GroupRole.CO_CHAIR, started_on=handed)
    add_to_group(lab, collab.lived, GroupRole.CHAIR)
    _session(lab, today - dt.timedelta(days=10), collab.lived)
    gone = make_collab_member(collab.site, known_as="Jo")
    gone.left_on = today - dt.timedelta(days=20)
    gone.save()
    for n in range(4):  # Dee owns 3 of the Design Team's 4 open actions
        ActionPoint.objects.create(
            group=collab.design,
            description=f"Action {n}",
            owner=collab.design_lead if n < 3 else collab.lived,
            due_on=today + dt.timedelta(days=7),
        )
    body = plain(client_for(collab.citizen).get(WHO))
    assert "Who holds which role" in body
    assert "Front door Design Team Chair Dee 6 January 2025" in body
    assert (
        "Learning Lab Co-chair Kim" in body
        and "Lambeth Living Well Collaborative Chair Chris (chair) 6 January 2025" in body
    )
    assert "Dee is the only person in a lead role in Front door Design Team." in body
    assert "Dee owns 3 of the 4 open actions of Front door Design Team." in body
    assert "Front door Design Team has not met since it started." in body
    assert "Lambeth Living Well Collaborative has not met" not in body
    assert "No one in Learning Lab" not in body  # Sunny has lived experience
    assert f"Pat (co-chair) Co-chair Learning Lab {handed.day} {handed:%B %Y}" in body
    assert "No longer in the group Kim" in body  # who took over
    assert f"Jo, left on {(today - dt.timedelta(days=20)).day}" in body
    assert "Alex Morgan" not in body


def test_who_holds_takes_the_same_queries_for_more_groups(collab: Collab) -> None:
    client = client_for(collab.lived)
    client.get(WHO)
    today = timezone.localdate()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(WHO).status_code == 200
        return len(queries)

    def grow(n: int) -> None:
        group = make_group(collab.site, name=f"Team {n}", kind=GroupKind.PROTOTYPING_TEAM)
        chair = make_collab_member(collab.site, lived_experience=True)
        add_to_group(group, chair, GroupRole.CHAIR)
        old = GroupMembership.objects.create(
            group=group, member=collab.carer, role=GroupRole.CO_CHAIR, started_on=JOINED, ended_on=today
        )
        assert old.ended_on
        _session(group, today - dt.timedelta(days=3), chair)
        ActionPoint.objects.create(group=group, description="Do it", owner=chair, due_on=today)

    grow(0)
    before = count()
    for n in range(1, 5):
        grow(n)
    assert count() == before


def test_who_holds_is_quiet_when_all_is_shared(collab: Collab, django_assert_max_num_queries: Any) -> None:
    today = timezone.localdate()
    collab.design.ended_on = today
    collab.design.save()
    GroupMembership.objects.filter(group=collab.design).update(ended_on=today)
    # Recent lead roles, so that no one has led for more than two years whatever day the test runs.
    GroupMembership.objects.filter(group=collab.whole).update(started_on=today - dt.timedelta(days=90))
    for months_back, host in ((1, collab.chair), (2, collab.co_chair)):
        _session(collab.whole, today - dt.timedelta(days=30 * months_back), host)
    client = client_for(collab.lived)
    with django_assert_max_num_queries(20):
        body = plain(client.get(WHO))
    assert "Nothing to point out" in body
    assert "Dee Chair Front door Design Team" in body  # the ended group's chair shows as a hand-over


def test_someone_already_in_the_group_is_sent_back_from_join(collab: Collab) -> None:
    response = client_for(collab.lived).get(page(collab.design, "join/"))
    assert response.status_code == 302 and response["Location"] == page(collab.design)


def test_a_group_page_takes_the_same_queries_for_more_members(collab: Collab) -> None:
    client = client_for(collab.design_lead)
    client.get(page(collab.design))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page(collab.design)).status_code == 200
        return len(queries)

    before = count()
    for _ in range(8):
        member = make_collab_member(collab.site, lived_experience=True)
        add_to_group(collab.design, member)
        ActionPoint.objects.create(group=collab.design, description="Call the venue", owner=member, due_on=JOINED)
        _session(collab.design, timezone.localdate() - dt.timedelta(days=5), member)
    assert count() == before


def test_the_site_administrator_reads_every_groups_page(collab: Collab) -> None:
    admin = client_for(collab.admin)
    for address in (GROUPS, WHO, page(collab.design), page(collab.design, "roles/"), ADD):
        assert admin.get(address).status_code == 200, address
    # Not a member, so nothing to join or leave.
    assert admin.get(page(collab.design, "join/")).status_code == 403
