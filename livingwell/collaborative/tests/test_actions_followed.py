"""Actions followed to done: adding them (runners), the owner or runners marking them done, dropped or
open again, the history from the audit trail, the actions page with overdue counts, and who may do what."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.collaborative import decisions as svc_decisions
from livingwell.collaborative import selectors_sessions as selectors
from livingwell.collaborative import sessions as services
from livingwell.collaborative.models import ActionPoint, ActionStatus, ActionStep, Group, Member
from livingwell.collaborative.tests.conftest import Collab
from livingwell.collaborative.tests.test_sessions_support import client_for, make_session
from livingwell.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _action(
    group: Group, owner: Member, *, days: int = 7, text: str = "Write up the stories", **fields: Any
) -> ActionPoint:
    return ActionPoint.objects.create(
        group=group, owner=owner, description=text, due_on=timezone.localdate() + dt.timedelta(days=days), **fields
    )


# ---- services --------------------------------------------------------------------------------------


def test_add_an_action_for_a_member_of_the_group(collab: Collab) -> None:
    session = make_session(collab.design)
    due = timezone.localdate() + dt.timedelta(days=10)
    action = services.action_add(
        actor=collab.design_lead.user,
        group=collab.design,
        description="  Ask the Hub for three stories  ",
        owner_id=collab.lived.pk,
        due_on=due,
        session=session,
    )
    assert action.description == "Ask the Hub for three stories"
    assert (action.owner, action.session, action.created_by, action.status) == (
        collab.lived,
        session,
        collab.design_lead,
        ActionStatus.OPEN,
    )
    event = AuditEvent.objects.get(detail__service="action_add")
    assert event.detail["area"] == "collaborative" and event.detail["id"] == str(action.pk)


def test_add_checks_owner_date_session_and_runner(collab: Collab) -> None:
    lead = collab.design_lead.user
    today = timezone.localdate()
    with pytest.raises(DomainError) as error:  # Kim is not in the Design Team
        services.action_add(actor=lead, group=collab.design, description="x", owner_id=collab.carer.pk, due_on=today)
    assert error.value.field == "owner"
    with pytest.raises(DomainError) as error:
        services.action_add(
            actor=lead,
            group=collab.design,
            description="x",
            owner_id=collab.lived.pk,
            due_on=today - dt.timedelta(days=1),
        )
    assert error.value.field == "due_on"
    with pytest.raises(DomainError):
        services.action_add(
            actor=lead,
            group=collab.design,
            description="x",
            owner_id=collab.lived.pk,
            due_on=today,
            session=make_session(collab.whole),
        )
    with pytest.raises(AccessRefused):
        services.action_add(
            actor=collab.lived.user, group=collab.design, description="x", owner_id=collab.lived.pk, due_on=today
        )
    assert not ActionPoint.objects.exists()


def test_owner_marks_done_then_reopens_and_history_names_them(collab: Collab) -> None:
    action = _action(collab.design, collab.lived)
    services.action_update(actor=collab.lived.user, action=action, status=ActionStatus.DONE, outcome="Sent to all")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.done_on == timezone.localdate()
    assert action.outcome == "Sent to all"
    with pytest.raises(DomainError):
        services.action_update(actor=collab.lived.user, action=action, status=ActionStatus.DONE)
    services.action_update(actor=collab.design_lead.user, action=action, status=ActionStatus.OPEN)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.done_on is None
    history = selectors.action_history(action)
    assert [(h.who, h.status, h.note) for h in history] == [("Sunny", "Done", "Sent to all"), ("Dee", "To do", "")]


def test_dropping_needs_a_reason_and_others_are_refused(collab: Collab) -> None:
    action = _action(collab.design, collab.lived)
    with pytest.raises(DomainError) as error:
        services.action_update(actor=collab.lived.user, action=action, status=ActionStatus.DROPPED, outcome=" ")
    assert error.value.field == "outcome"
    with pytest.raises(AccessRefused):  # Sol is in the group but neither owns nor runs it
        services.action_update(actor=collab.staff_member.user, action=action, status=ActionStatus.DONE)
    assert AuditEvent.objects.filter(outcome=Outcome.REFUSED, detail__what="action").count() == 1
    services.action_update(
        actor=collab.design_lead.user, action=action, status=ActionStatus.DROPPED, outcome="The Hub did it already"
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DROPPED and action.outcome == "The Hub did it already"


def test_groups_open_actions_count_overdue(collab: Collab) -> None:
    today = timezone.localdate()
    _action(collab.design, collab.lived, days=-3)
    _action(collab.design, collab.staff_member, days=-1)
    _action(collab.design, collab.design_lead, days=0)  # due today: not overdue
    _action(collab.design, collab.lived, days=-10, status=ActionStatus.DONE, done_on=today)
    _action(collab.whole, collab.chair, days=-2)
    rows = selectors.groups_open_actions(collab.lived, today)
    # Design Team: 3 open (the done one is not listed), 2 of them past their date; the whole Collaborative: 1, 1 overdue.
    assert [(r.group.name, len(r.actions), r.overdue) for r in rows] == [
        ("Front door Design Team", 3, 2),
        ("Lambeth Living Well Collaborative", 1, 1),
    ]
    mine = selectors.my_actions(collab.lived)
    assert [a.status for a in mine] == [ActionStatus.OPEN, ActionStatus.DONE]


# ---- pages -----------------------------------------------------------------------------------------


def test_actions_page_shows_mine_and_my_groups_with_overdue_counts(collab: Collab) -> None:
    _action(collab.design, collab.lived, days=-3, text="Ring the library")
    _action(collab.design, collab.staff_member, days=-1, text="Book the room")
    _action(collab.design, collab.design_lead, days=2, text="Draft the leaflet")
    _action(collab.whole, collab.chair, days=5, text="Invite the council")
    html = client_for(collab.lived.user).get(reverse("collaborative:actions")).content.decode()
    assert "<h1>Actions</h1>" in html
    assert "Ring the library" in html and "Overdue" in html
    assert "1 action overdue." in html  # Sunny's own
    assert "<h3>Front door Design Team</h3>" in html
    assert "3 open, <strong>2 actions overdue</strong>." in html
    assert "1 open, none overdue." in html
    assert "Add an action" not in html  # Sunny runs no group
    assert client_for(collab.outsider).get(reverse("collaborative:actions")).status_code == 403
    assert AuditEvent.objects.filter(outcome=Outcome.REFUSED, detail__what="actions").count() == 1
    lead = client_for(collab.design_lead.user).get(reverse("collaborative:actions")).content.decode()
    assert reverse("collaborative:action_add", args=[collab.design.pk]) in lead


def test_actions_page_query_count_does_not_grow(collab: Collab) -> None:
    client = client_for(collab.lived.user)
    url = reverse("collaborative:actions")
    _action(collab.design, collab.lived)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(12):
        _action(collab.design, collab.staff_member, days=n - 5, text=f"Task {n}")
        _action(collab.whole, collab.lived, days=n, text=f"Mine {n}", session=make_session(collab.whole))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Task 11" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries) <= 20


def test_add_action_page_from_a_session(collab: Collab) -> None:
    session = make_session(collab.design, starts_at=timezone.now() - dt.timedelta(hours=1))
    url = reverse("collaborative:action_add", args=[collab.design.pk]) + f"?session={session.pk}"
    client = client_for(collab.design_lead.user)
    html = client.get(url).content.decode()
    assert "<h1>Add an action</h1>" in html and session.title in html and "Kim" not in html
    due = timezone.localdate() + dt.timedelta(days=14)
    form = {
        "description": "Share the notes",
        "owner": str(collab.staff_member.pk),
        "due_on_0": str(due.day),
        "due_on_1": str(due.month),
        "due_on_2": str(due.year),
    }
    missing = client.post(url, {**form, "description": "", "due_on_0": ""})
    assert (
        "Say what will be done" in missing.content.decode() and "By when must include a day" in missing.content.decode()
    )
    response = client.post(url, form)
    assert response.status_code == 302 and response["Location"] == reverse("collaborative:session", args=[session.pk])
    action = ActionPoint.objects.get()
    assert action.session == session and action.owner == collab.staff_member and action.due_on == due
    assert client_for(collab.lived.user).get(url).status_code == 403
    assert AuditEvent.objects.filter(outcome=Outcome.REFUSED, detail__what="action").count() == 1


def test_action_page_owner_marks_done_and_others_read_only(collab: Collab) -> None:
    action = _action(collab.design, collab.lived, text="Ring the library")
    url = reverse("collaborative:action", args=[action.pk])
    owner = client_for(collab.lived.user)
    assert "Update the action" in owner.get(url).content.decode()
    response = owner.post(url, {"status": ActionStatus.DONE, "outcome": "They said yes"}, follow=True)
    html = response.content.decode()
    assert "Action marked done" in html and "They said yes" in html
    assert '<td class="nhsuk-table__cell">Sunny</td>' in html  # in the history
    drop = client_for(collab.design_lead.user).post(url, {"status": ActionStatus.DROPPED, "outcome": ""})
    assert "Say why the action is dropped" in drop.content.decode()
    sol = client_for(collab.staff_member.user)
    page = sol.get(url)
    assert page.status_code == 200 and "Update the action" not in page.content.decode()
    assert sol.post(url, {"status": ActionStatus.OPEN}).status_code == 403
    assert client_for(collab.carer.user).get(url).status_code == 403  # not in the group
    assert client_for(collab.outsider).get(url).status_code == 403
    assert AuditEvent.objects.filter(outcome=Outcome.REFUSED, detail__what="action").count() == 3


def test_an_action_to_carry_out_a_decision_is_followed_on_the_decision(collab: Collab) -> None:
    """From the decision's page, the group's chair adds an action for it: the action belongs to the decision
    (and its session), the decision's page lists it, and the action's history starts with who added it."""
    starts = timezone.now() - dt.timedelta(days=1)
    session = make_session(collab.design, starts_at=starts)
    decision = svc_decisions.decision_propose(
        actor=collab.design_lead.user,
        group=collab.design,
        proposal=svc_decisions.Proposal(
            title="Open on Sundays", proposal="Open the café on Sundays.", method="consent", session=session
        ),
    )
    url = reverse("collaborative:action_add", args=[collab.design.pk]) + f"?decision={decision.pk}"
    client = client_for(collab.design_lead.user)
    page = client.get(url).content.decode()
    assert "It carries out the decision <strong>Open on Sundays</strong>" in page
    assert f'name="decision" value="{decision.pk}"' in page
    due = timezone.localdate() + dt.timedelta(days=14)
    response = client.post(
        reverse("collaborative:action_add", args=[collab.design.pk]),
        {
            "decision": str(decision.pk),
            "description": "Ask the café",
            "owner": str(collab.lived.pk),
            "due_on_0": str(due.day),
            "due_on_1": str(due.month),
            "due_on_2": str(due.year),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("collaborative:decision", args=[decision.pk]) + "#actions"
    action = ActionPoint.objects.get()
    assert action.decision == decision and action.session == session
    assert "Ask the café" in client.get(reverse("collaborative:decision", args=[decision.pk])).content.decode()
    assert [(h.who, h.status) for h in selectors.action_history(action)] == [("Dee", "Added")]
    # A decision of another group cannot be carried out by this one's action.
    other = svc_decisions.decision_propose(
        actor=collab.chair.user,
        group=collab.whole,
        proposal=svc_decisions.Proposal(title="Whole", proposal="x", method="consent"),
    )
    with pytest.raises(DomainError, match="another group"):
        services.action_add(
            actor=collab.design_lead.user,
            group=collab.design,
            description="x",
            owner_id=collab.lived.pk,
            due_on=due,
            decision=other,
        )


def test_history_kept_before_steps_is_copied_from_the_audit_trail(collab: Collab) -> None:
    """Migration 0003 copies the history of actions added before their steps were kept (from the audit
    trail), and gives an action without any audit event its first step."""
    migration = importlib.import_module("livingwell.collaborative.migrations.0003_action_steps")
    action = services.action_add(
        actor=collab.design_lead.user,
        group=collab.design,
        description="Book the room",
        owner_id=collab.lived.pk,
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    services.action_update(actor=collab.lived.user, action=action, status=ActionStatus.DONE, outcome="Booked")
    quiet = _action(collab.design, collab.lived, created_by=collab.design_lead)
    ActionStep.objects.all().delete()
    migration.steps_from_the_audit_trail(django_apps, None)
    assert [(h.who, h.status, h.note) for h in selectors.action_history(action)] == [
        ("Dee", "Added", ""),
        ("Sunny", "Done", "Booked"),
    ]
    assert [(h.who, h.status) for h in selectors.action_history(quiet)] == [("Dee", "Added")]
