"""The sessions services: planning, changing and cancelling, replies, attendance and its mix, and notes
with two note-takers at once. Every write is audited; every refusal too."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.collaborative import selectors_sessions as selectors
from livingwell.collaborative import sessions as services
from livingwell.collaborative.mix import mix_of
from livingwell.collaborative.models import Attendance, Reply, Session, SessionStatus
from livingwell.collaborative.tests.conftest import Collab, make_collab_member
from livingwell.collaborative.tests.test_sessions_support import came, make_session, replied
from livingwell.core.concurrency import EditConflict
from livingwell.core.errors import DomainError

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _answers(**changes: object) -> services.SessionAnswers:
    day = timezone.localdate() + dt.timedelta(days=14)
    values: dict[str, object] = {
        "title": "Front door: what we heard",
        "date": day,
        "starts": dt.time(18, 0),
        "ends": dt.time(20, 0),
        "place": "Brixton Library",
        "postcode": "sw2 1jq",
        "agenda": "1. Stories from the Hub\n2. What to test next",
    }
    values.update(changes)
    return services.SessionAnswers(**values)  # type: ignore[arg-type]


def _audit(service: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(detail__service=service, outcome=Outcome.ALLOWED))


def test_plan_a_session_in_london_time_with_hosts(collab: Collab) -> None:
    answers = _answers(host_organisation_id=collab.cast.charity.pk, host_member_id=collab.lived.pk)
    session = services.session_plan(actor=collab.design_lead.user, group=collab.design, answers=answers)
    assert timezone.localtime(session.starts_at).time() == dt.time(18, 0)
    assert session.starts_at.tzinfo is not None
    assert session.ends_at - session.starts_at == dt.timedelta(hours=2)
    assert session.postcode == "SW2 1JQ"
    assert session.host_organisation == collab.cast.charity and session.host_member == collab.lived
    assert session.updated_by == collab.design_lead
    (event,) = _audit("session_plan")
    assert event.detail["area"] == "collaborative" and event.detail["id"] == str(session.pk)
    assert event.detail["by"] == str(collab.design_lead.pk)


def test_plan_checks_times_hosts_and_who_runs_the_group(collab: Collab) -> None:
    lead = collab.design_lead.user
    with pytest.raises(DomainError) as error:
        services.session_plan(actor=lead, group=collab.design, answers=_answers(ends=dt.time(17, 0)))
    assert error.value.field == "ends"
    with pytest.raises(DomainError) as error:  # the carer is not in the Design Team
        services.session_plan(actor=lead, group=collab.design, answers=_answers(host_member_id=collab.carer.pk))
    assert error.value.field == "host_member"
    with pytest.raises(DomainError) as error:
        services.session_plan(
            actor=lead, group=collab.design, answers=_answers(date=timezone.localdate() - dt.timedelta(days=400))
        )
    assert error.value.field == "date"
    with pytest.raises(AccessRefused):
        services.session_plan(actor=collab.lived.user, group=collab.design, answers=_answers())
    assert not Session.objects.exists()
    # Last week's meeting may be added afterwards, to record who came.
    last_week = services.session_plan(
        actor=lead, group=collab.design, answers=_answers(date=timezone.localdate() - dt.timedelta(days=7))
    )
    assert last_week.starts_at < timezone.now()
    refusal = AuditEvent.objects.get(outcome=Outcome.REFUSED)
    assert refusal.detail["area"] == "collaborative" and refusal.detail["what"] == "session"


def test_change_and_cancel_with_a_reason_members_read(collab: Collab) -> None:
    session = make_session(collab.design)
    lead = collab.design_lead.user
    changed = services.session_change(
        actor=lead, session=session, answers=_answers(title="Renamed", place="Clapham Library")
    )
    assert "title" in changed and "place" in changed
    assert _audit("session_change")[0].detail["fields"] == changed
    with pytest.raises(DomainError):
        services.session_cancel(actor=lead, session=session, reason="   ")
    services.session_cancel(actor=lead, session=session, reason="The library is closed for repairs.")
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert selectors.cancel_reason(session) == "The library is closed for repairs."
    with pytest.raises(DomainError):
        services.session_change(actor=lead, session=session, answers=_answers())
    with pytest.raises(DomainError):
        services.session_cancel(actor=lead, session=session, reason="Again")
    with pytest.raises(AccessRefused):
        services.session_cancel(actor=collab.staff_member.user, session=make_session(collab.design), reason="No")


def test_reply_and_change_it(collab: Collab) -> None:
    session = make_session(collab.design)
    services.session_reply(actor=collab.lived.user, session=session, reply=Reply.COMING)
    services.session_reply(actor=collab.lived.user, session=session, reply=Reply.NOT_COMING)
    attendance = Attendance.objects.get(session=session, member=collab.lived)
    assert attendance.reply == Reply.NOT_COMING
    assert [e.detail["reply"] for e in reversed(_audit("session_reply"))] == ["coming", "not_coming"]


def test_only_invited_members_reply_and_open_events_invite_everyone(collab: Collab) -> None:
    session = make_session(collab.design)
    with pytest.raises(AccessRefused):  # the carer is not in the Design Team
        services.session_reply(actor=collab.carer.user, session=session, reply=Reply.COMING)
    with pytest.raises(AccessRefused):
        services.session_reply(actor=collab.outsider, session=session, reply=Reply.COMING)
    open_event = make_session(collab.design, is_open_event=True)
    services.session_reply(actor=collab.carer.user, session=open_event, reply=Reply.COMING)
    past = make_session(collab.design, starts_at=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(DomainError):
        services.session_reply(actor=collab.lived.user, session=past, reply=Reply.COMING)
    assert AuditEvent.objects.filter(outcome=Outcome.REFUSED, detail__what="session_reply").count() == 2


def test_attendance_marks_held_and_the_mix_of_who_came(collab: Collab) -> None:
    session = make_session(collab.design, starts_at=timezone.now() - dt.timedelta(hours=3))
    replied(session, collab.staff_member, Reply.COMING)  # said yes but did not come
    replied(session, collab.lived, Reply.COMING)
    peer = make_collab_member(collab.site, known_as="Peer", lived_experience=True, staff=True)
    services.attendance_record(
        actor=collab.design_lead.user,
        session=session,
        attended={collab.lived.pk, collab.design_lead.pk, peer.pk, collab.carer.pk},
        guests=7,
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.guests == 7
    who = selectors.attended_members(session)
    assert {m.known_as for m in who} == {"Sunny", "Dee", "Peer", "Kim"}
    assert not Attendance.objects.get(session=session, member=collab.staff_member).attended
    mix = mix_of(who, guests=session.guests)
    # Hand count: 4 members came; lived experience: Sunny and Peer = 2 of 4 (50%); carers: Dee and Kim = 2.
    assert mix.total == 4 and mix.lived_experience_text == "2 of 4 (50%)"
    assert dict(mix.rows())["Carer, family member or friend"] == 2
    assert _audit("attendance_record")[0].detail["attended"] == 4
    # Recording again replaces the ticks.
    services.attendance_record(actor=collab.design_lead.user, session=session, attended={peer.pk}, guests=0)
    assert [m.known_as for m in selectors.attended_members(session)] == ["Peer"]


def test_attendance_waits_for_the_start_and_only_members(collab: Collab) -> None:
    future = make_session(collab.design)
    with pytest.raises(DomainError):
        services.attendance_record(actor=collab.design_lead.user, session=future, attended=set(), guests=0)
    started = make_session(collab.design, starts_at=timezone.now() - dt.timedelta(minutes=5))
    left = make_collab_member(collab.site, known_as="Gone")
    left.left_on = timezone.localdate()
    left.save()
    with pytest.raises(DomainError):
        services.attendance_record(actor=collab.design_lead.user, session=started, attended={left.pk}, guests=0)
    with pytest.raises(AccessRefused):
        services.attendance_record(actor=collab.lived.user, session=started, attended=set(), guests=0)


def test_two_note_takers_at_once_see_both_versions(collab: Collab) -> None:
    session = make_session(collab.design, starts_at=timezone.now() - dt.timedelta(hours=1))
    opened_at = session.version
    services.notes_change(
        actor=collab.design_lead.user, session=session, notes="Dee's notes", expected_version=opened_at
    )
    other = Session.objects.get(pk=session.pk)
    with pytest.raises(EditConflict) as error:
        services.notes_change(actor=collab.chair.user, session=other, notes="Chris's notes", expected_version=opened_at)
    conflict = error.value
    assert conflict.changed_by == "Dee"
    (field,) = conflict.fields
    assert (field.theirs, field.mine) == ("Dee's notes", "Chris's notes")
    session.refresh_from_db()
    assert session.notes == "Dee's notes" and session.version == opened_at + 1
    # Saving again at the version the conflict moved the form on to is a deliberate choice.
    services.notes_change(
        actor=collab.chair.user, session=other, notes="Chris's notes", expected_version=conflict.current_version
    )
    session.refresh_from_db()
    assert session.notes == "Chris's notes" and session.updated_by == collab.chair
    assert len(_audit("notes_change")) == 2


def test_upcoming_and_past_sessions_of_my_groups_and_open_events(collab: Collab) -> None:
    now = timezone.now()
    make_session(collab.whole, title="Whole Collaborative", starts_at=now + dt.timedelta(days=3))
    design = make_session(collab.design, title="Design meeting", starts_at=now + dt.timedelta(days=1))
    make_session(collab.whole, title="Open", is_open_event=True, starts_at=now + dt.timedelta(days=2))
    make_session(collab.design, title="Last month", starts_at=now - dt.timedelta(days=30))
    make_session(collab.design, title="Last week", starts_at=now - dt.timedelta(days=7))
    replied(design, collab.lived, Reply.COMING)
    upcoming, past = selectors.upcoming_and_past(collab.carer)  # in the whole Collaborative, not the Design Team
    assert [s.title for s in upcoming] == ["Open", "Whole Collaborative"]
    assert list(past) == []
    upcoming, past = selectors.upcoming_and_past(collab.lived)
    assert [s.title for s in upcoming] == ["Design meeting", "Open", "Whole Collaborative"]  # soonest first
    assert [s.title for s in past] == ["Last week", "Last month"]  # latest first
    mine = {s.title: s.my_reply for s in upcoming}  # type: ignore[attr-defined]
    assert mine["Design meeting"] == Reply.COMING and mine["Open"] is None
    only, _ = selectors.upcoming_and_past(collab.lived, group_id=collab.design.pk)
    assert [s.title for s in only] == ["Design meeting"]


def test_came_helper_counts_for_selectors(collab: Collab) -> None:
    session = make_session(collab.design, starts_at=timezone.now() - dt.timedelta(days=2), status=SessionStatus.HELD)
    came(session, collab.lived, collab.staff_member)
    assert [m.known_as for m in selectors.attended_members(session)] == ["Sol", "Sunny"]
