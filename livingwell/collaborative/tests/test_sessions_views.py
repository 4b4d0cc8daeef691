"""The sessions pages: the list, planning and changing, the session page with its mix, replies,
attendance and notes; who may see and do what (refusals are recorded), and the query counts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.collaborative.models import (
    ActionPoint,
    Attendance,
    Decision,
    DecisionMethod,
    Reply,
    Session,
    SessionStatus,
)
from livingwell.collaborative.tests.conftest import Collab, add_to_group, make_collab_member
from livingwell.collaborative.tests.test_sessions_support import came, client_for, make_session, replied
from livingwell.core import presenters as fmt
from livingwell.network.tests.conftest import sign_in_verified

pytestmark = pytest.mark.django_db


def _html(response: Any) -> str:
    return response.content.decode()


def _refusals(what: str) -> int:
    return AuditEvent.objects.filter(outcome=Outcome.REFUSED, detail__what=what).count()


# ---- the list --------------------------------------------------------------------------------------


def test_sessions_list_shows_my_groups_and_open_events_with_my_reply(collab: Collab) -> None:
    design = make_session(collab.design, title="Design meeting", host_organisation=collab.cast.charity)
    make_session(collab.whole, title="Open event in March", is_open_event=True)
    make_session(collab.design, title="Last month's meeting", starts_at=timezone.now() - dt.timedelta(days=30))
    replied(design, collab.lived, Reply.COMING)
    html = _html(client_for(collab.lived.user).get(reverse("collaborative:sessions")))
    assert "<h1>Sessions</h1>" in html
    assert "Design meeting" in html and "Open event in March" in html and "Last month&#39;s meeting" in html
    assert "Certitude" in html and "You are coming" in html and "You have not replied" in html
    assert "Front door Design Team" in html
    assert "Plan a session of" not in html  # Sunny runs no group
    carer = _html(client_for(collab.carer.user).get(reverse("collaborative:sessions")))
    assert "Design meeting" not in carer and "Open event in March" in carer
    lead = _html(client_for(collab.design_lead.user).get(reverse("collaborative:sessions")))
    assert reverse("collaborative:session_add", args=[collab.design.pk]) in lead


def test_sessions_list_filters_by_group_and_pages_the_past(collab: Collab) -> None:
    make_session(collab.design, title="Design meeting")
    make_session(collab.whole, title="Whole meeting")
    now = timezone.now()
    for weeks in range(1, 23):  # 22 past sessions: 20 on the first page, 2 on the second
        make_session(collab.design, title=f"Past {weeks:02d}", starts_at=now - dt.timedelta(weeks=weeks))
    client = client_for(collab.lived.user)
    url = reverse("collaborative:sessions")
    html = _html(client.get(url, {"group": str(collab.design.pk)}))
    assert "Design meeting" in html and "Whole meeting" not in html
    assert "Past 01" in html and "Past 20" in html and "Past 21" not in html
    assert f"?group={collab.design.pk}&amp;page=2" in html
    second = _html(client.get(url, {"group": str(collab.design.pk), "page": "2"}))
    assert "Past 21" in second and "Past 22" in second and "Past 01" not in second


def _sessions(collab: Collab, n: int, offset: int = 0) -> None:
    for k in range(offset, offset + n):
        session = make_session(collab.design, title=f"Meeting {k}", host_organisation=collab.cast.trust)
        replied(session, collab.lived)
        make_session(
            collab.whole, title=f"Open {k}", is_open_event=True, starts_at=timezone.now() - dt.timedelta(days=k + 1)
        )


def test_sessions_list_query_count_does_not_grow(collab: Collab, django_assert_max_num_queries: Any) -> None:
    client = client_for(collab.lived.user)
    url = reverse("collaborative:sessions")
    _sessions(collab, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _sessions(collab, 14, offset=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Meeting 14" in _html(response) and "Open 14" in _html(response)
    assert len(few.captured_queries) <= 20


def test_sessions_list_is_for_members(collab: Collab) -> None:
    response = client_for(collab.outsider).get(reverse("collaborative:sessions"))
    assert response.status_code == 403
    assert "Only members of the Collaborative" in _html(response)
    assert _refusals("sessions") == 1


# ---- planning and changing ---------------------------------------------------------------------------


def _form(**changes: str) -> dict[str, str]:
    day = timezone.localdate() + dt.timedelta(days=21)
    data = {
        "title": "Front door: what we heard",
        "date_0": str(day.day),
        "date_1": str(day.month),
        "date_2": str(day.year),
        "starts": "6pm",
        "ends": "8pm",
        "place": "Brixton Library",
        "postcode": "SW2 1JQ",
        "online_link": "",
        "how_to_get_there": "Step-free entrance",
        "agenda": "Stories from the Hub",
        "host_organisation": "",
        "host_member": "",
    }
    data.update(changes)
    return data


def test_plan_a_session(collab: Collab) -> None:
    url = reverse("collaborative:session_add", args=[collab.design.pk])
    client = client_for(collab.design_lead.user)
    page = _html(client.get(url))
    assert "<h1>Plan a session of Front door Design Team</h1>" in page
    assert "Sunny" in page and "Kim" not in page  # hosts are the group's members
    assert "Certitude" in page
    response = client.post(url, _form(host_member=str(collab.lived.pk), is_open_event="on"))
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("collaborative:session", args=[session.pk])
    assert session.is_open_event and session.host_member == collab.lived
    assert timezone.localtime(session.starts_at).hour == 18


def test_plan_form_errors_keep_the_answers(collab: Collab) -> None:
    url = reverse("collaborative:session_add", args=[collab.design.pk])
    response = client_for(collab.design_lead.user).post(url, _form(ends="5pm", date_1="13", place=""))
    html = _html(response)
    assert response.status_code == 200 and "<title>Error: " in html
    assert "The end time must be after the start time" in html
    assert "Date must be a real date" in html
    assert "Say where the session is, or give a link to join online" in html
    assert 'value="Front door: what we heard"' in html
    assert not Session.objects.exists()


def test_only_runners_plan_change_and_cancel(collab: Collab) -> None:
    session = make_session(collab.design)
    member = client_for(collab.lived.user)
    for url in (
        reverse("collaborative:session_add", args=[collab.design.pk]),
        reverse("collaborative:session_change", args=[session.pk]),
        reverse("collaborative:session_cancel", args=[session.pk]),
    ):
        assert member.get(url).status_code == 403
    assert member.post(reverse("collaborative:session_cancel", args=[session.pk]), {"reason": "No"}).status_code == 403
    assert _refusals("session") == 4
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED
    # The chair of the whole Collaborative is a steward, so may run any group.
    assert (
        client_for(collab.chair.user).get(reverse("collaborative:session_change", args=[session.pk])).status_code == 200
    )


def test_change_then_cancel_shows_the_reason(collab: Collab) -> None:
    session = make_session(collab.design, title="Old title")
    client = client_for(collab.design_lead.user)
    change = reverse("collaborative:session_change", args=[session.pk])
    page = _html(client.get(change))
    assert 'value="Old title"' in page and 'value="Lambeth Civic Centre, 6 Brixton Hill"' in page
    local = timezone.localtime(session.starts_at)
    assert f'value="{fmt.time(session.starts_at)}"' in page and f'value="{local.day}"' in page
    response = client.post(
        change,
        _form(
            title="New title",
            date_0=str(local.day),
            date_1=str(local.month),
            date_2=str(local.year),
        ),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "New title"
    cancel = reverse("collaborative:session_cancel", args=[session.pk])
    missing = client.post(cancel, {"reason": ""})
    assert "Say why the session is cancelled" in _html(missing)
    client.post(cancel, {"reason": "The library flooded."})
    html = _html(client_for(collab.lived.user).get(reverse("collaborative:session", args=[session.pk])))
    assert "This session is cancelled" in html and "The library flooded." in html
    assert "Are you coming?" not in html


# ---- the session page --------------------------------------------------------------------------------


def test_planned_session_shows_who_is_coming_and_their_mix(collab: Collab) -> None:
    session = make_session(collab.design, agenda="1. Welcome\n2. Stories", host_organisation=collab.cast.charity)
    replied(session, collab.lived, Reply.COMING)
    replied(session, collab.staff_member, Reply.COMING)
    replied(session, collab.design_lead, Reply.NOT_COMING)
    html = _html(client_for(collab.lived.user).get(reverse("collaborative:session", args=[session.pk])))
    assert f"<h1>{session.title}" in html
    assert "1. Welcome" in html and "Certitude" in html
    # Coming: Sunny (lived experience) and Sol (staff, NHS trust): 1 of 2 (50%).
    assert "2 members said they are coming: Sol, Sunny." in html
    assert "1 of 2 (50%) had lived experience" in html
    assert "NHS trust" in html
    assert "Apologies from Dee." in html
    assert "You are coming" in html and "Send reply" in html
    assert "Record who came" not in html and "Write the notes" not in html  # Sunny does not run the group


def test_held_session_shows_the_mix_of_who_came_with_guests(collab: Collab) -> None:
    session = make_session(
        collab.design, starts_at=timezone.now() - dt.timedelta(days=2), status=SessionStatus.HELD, guests=3
    )
    extra_lived = [make_collab_member(collab.site, known_as=f"Peer {n}", lived_experience=True) for n in (1, 2)]
    extra_citizen = make_collab_member(collab.site, known_as="Neighbour")
    came(
        session,
        collab.lived,
        collab.co_chair,
        *extra_lived,
        collab.design_lead,
        collab.carer,
        collab.staff_member,
        collab.chair,
        collab.commissioner,
        collab.citizen,
        extra_citizen,
    )
    html = _html(client_for(collab.lived.user).get(reverse("collaborative:session", args=[session.pk])))
    # Hand count: 11 members came; lived experience: Sunny, Pat, Peer 1, Peer 2 = 4; 4 / 11 = 36.4%, so 36%.
    assert "4 of 11 (36%) had lived experience" in html
    assert "11 members came, with 3 guests who are not members." in html
    assert "<h2>Who came</h2>" in html and "Who is coming" not in html


def test_session_page_lists_actions_and_decisions(collab: Collab) -> None:
    session = make_session(collab.design, starts_at=timezone.now() - dt.timedelta(days=1), status=SessionStatus.HELD)
    ActionPoint.objects.create(
        group=collab.design,
        session=session,
        description="Write up the stories",
        owner=collab.lived,
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    decision = Decision.objects.create(
        group=collab.design,
        session=session,
        title="Test a peer welcome",
        proposal="Try it",
        method=DecisionMethod.CONSENT,
    )
    html = _html(client_for(collab.design_lead.user).get(reverse("collaborative:session", args=[session.pk])))
    assert "Write up the stories" in html and "Overdue" in html and "Sunny" in html
    assert reverse("collaborative:decision", args=[decision.pk]) in html and "Test a peer welcome" in html
    assert "Record who came" in html and "Add an action agreed in this session" in html
    assert f"?session={session.pk}" in html


def test_session_page_access(collab: Collab) -> None:
    session = make_session(collab.design)
    open_event = make_session(collab.whole, is_open_event=True, title="Open morning")
    assert client_for(collab.carer.user).get(reverse("collaborative:session", args=[session.pk])).status_code == 403
    assert client_for(collab.outsider).get(reverse("collaborative:session", args=[session.pk])).status_code == 403
    assert _refusals("session") == 2
    # Any member reads an open event; a steward reads every group's sessions.
    assert client_for(collab.carer.user).get(reverse("collaborative:session", args=[open_event.pk])).status_code == 200
    assert client_for(collab.chair.user).get(reverse("collaborative:session", args=[session.pk])).status_code == 200
    assert (
        client_for(collab.lived.user)
        .get(reverse("collaborative:session", args=["00000000-0000-0000-0000-000000000000"]))
        .status_code
        == 404
    )


def test_a_site_administrator_who_is_not_a_member_is_led_back_to_the_group_not_to_the_members_lists(
    collab: Collab,
) -> None:
    """The administrator runs every group but has no sessions or actions of their own: the session's and
    the action's breadcrumbs lead to the group's page, which they can open, not to lists they cannot."""
    session = make_session(collab.design)
    action = ActionPoint.objects.create(
        group=collab.design,
        session=session,
        description="Book the room",
        owner=collab.lived,
        due_on=dt.date(2026, 3, 1),
    )
    admin = sign_in_verified(collab.admin)
    group_href = f'href="/collaborative/groups/{collab.design.pk}/"'
    for page in (
        reverse("collaborative:session", args=[session.pk]),
        reverse("collaborative:action", args=[action.pk]),
    ):
        html = _html(admin.get(page))
        assert group_href in html and 'href="/collaborative/sessions/"' not in html
        assert 'href="/collaborative/actions/"' not in html
    assert admin.get(f"/collaborative/groups/{collab.design.pk}/").status_code == 200
    member = _html(client_for(collab.lived.user).get(reverse("collaborative:action", args=[action.pk])))
    assert 'href="/collaborative/actions/"' in member


# ---- replies ---------------------------------------------------------------------------------------


def test_reply_and_change_it_later(collab: Collab) -> None:
    session = make_session(collab.design)
    client = client_for(collab.lived.user)
    url = reverse("collaborative:session_reply", args=[session.pk])
    response = client.post(url, {"reply": Reply.COMING}, follow=True)
    assert "You said you are coming" in _html(response)
    client.post(url, {"reply": Reply.NOT_COMING})
    assert Attendance.objects.get(session=session, member=collab.lived).reply == Reply.NOT_COMING
    assert client.get(url).status_code == 405
    assert client_for(collab.carer.user).post(url, {"reply": Reply.COMING}).status_code == 403
    assert client_for(collab.outsider).post(url, {"reply": Reply.COMING}).status_code == 403


# ---- attendance ------------------------------------------------------------------------------------


def test_record_attendance(collab: Collab) -> None:
    session = make_session(collab.design, starts_at=timezone.now() - dt.timedelta(hours=1))
    replied(session, collab.carer, Reply.COMING)  # not in the group, but replied to it
    client = client_for(collab.design_lead.user)
    url = reverse("collaborative:session_attendance", args=[session.pk])
    html = _html(client.get(url))
    assert "<h1>Who came to " in html
    # Ticks for the group (Dee, Sol, Sunny) and Kim who replied; the rest of the Collaborative in the select.
    ticks = re.findall(r'nhsuk-checkboxes__label"\s*for="id_attended[^"]*"\s*>\s*([^<]+?)\s*</label>', html)
    assert ticks == ["Dee", "Kim", "Sol", "Sunny"]
    others = re.findall(r"<option value=\"[0-9a-f-]{36}\"\s*>([^<]+)</option>", html)
    assert others == ["Ade", "Chris (chair)", "Morgan C", "Pat (co-chair)"]
    response = client.post(
        url,
        {"attended": [str(collab.lived.pk), str(collab.carer.pk)], "also": str(collab.commissioner.pk), "guests": "2"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.guests == 2
    assert set(
        Attendance.objects.filter(session=session, attended=True).values_list("member__known_as", flat=True)
    ) == {
        "Sunny",
        "Kim",
        "Morgan C",
    }
    bad = client.post(url, {"guests": "-1"})
    assert "The number of guests must be 0 or more" in _html(bad)
    assert client_for(collab.lived.user).get(url).status_code == 403


def test_attendance_waits_until_the_session_starts(collab: Collab) -> None:
    session = make_session(collab.design)
    response = client_for(collab.design_lead.user).get(reverse("collaborative:session_attendance", args=[session.pk]))
    assert response.status_code == 302


# ---- notes -----------------------------------------------------------------------------------------


def test_two_note_takers_see_both_versions(collab: Collab) -> None:
    session = make_session(collab.design, starts_at=timezone.now() - dt.timedelta(hours=2))
    add_to_group(collab.design, collab.co_chair, "co_chair")
    url = reverse("collaborative:session_notes", args=[session.pk])
    dee, pat = client_for(collab.design_lead.user), client_for(collab.co_chair.user)
    assert 'name="version" value="1"' in _html(dee.get(url))
    assert 'name="version" value="1"' in _html(pat.get(url))
    assert dee.post(url, {"notes": "We heard three stories.", "version": "1"}).status_code == 302
    clash = pat.post(url, {"notes": "Three stories and a plan.", "version": "1"})
    html = _html(clash)
    assert clash.status_code == 200
    assert "Someone else changed this while you were editing" in html
    assert "Dee saved the notes" in html
    assert "We heard three stories." in html and "Three stories and a plan." in html
    assert 'name="version" value="2"' in html
    session.refresh_from_db()
    assert session.notes == "We heard three stories."
    assert pat.post(url, {"notes": "Three stories and a plan.", "version": "2"}).status_code == 302
    session.refresh_from_db()
    assert session.notes == "Three stories and a plan."
    page = _html(client_for(collab.lived.user).get(reverse("collaborative:session", args=[session.pk])))
    assert "Three stories and a plan." in page and "Last changed by Pat (co-chair)" in page
    assert client_for(collab.lived.user).get(url).status_code == 403
