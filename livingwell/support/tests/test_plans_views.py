"""The Living Well plan's pages: what each member of the cast sees, changes and is refused (all audited),
the conflict case, the words on the person's own pages, and bounded queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from livingwell.audit import services as audit
from livingwell.audit.models import AuditEvent, Outcome
from livingwell.people.models import Person, Relationship, RelationshipKind
from livingwell.support.models import (
    ActionOwner,
    ActionStatus,
    AgreedHow,
    Allocation,
    BigThree,
    Goal,
    GoalStatus,
    Plan,
    PlanAction,
    PlanAgreement,
    PlanVersion,
    Review,
    SafetyPlan,
)
from livingwell.support.services import plans as services
from livingwell.testing import Cast

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@dataclass
class PlanIds:
    """A plan with a goal and an action for the cast's person, and one for the newcomer."""

    worker_goal: Goal
    own_goal: Goal
    worker_action: PlanAction
    own_action: PlanAction
    newcomer_goal: Goal
    newcomer_action: PlanAction
    mark: int  # the last audit event written while setting up


@pytest.fixture
def plan(cast: Cast) -> PlanIds:
    person = cast.person
    worker_goal = services.goal_add(
        actor=cast.allocated_worker,
        person=person,
        words="Get back to swimming\n  twice a week",
        outcome=BigThree.RECOVER,
    )
    own_goal = services.goal_add(actor=cast.person_user, person=person, words="Sleep better", outcome=BigThree.RECOVER)
    worker_action = services.action_add(
        actor=cast.team_worker,
        person=person,
        what="Find the lido's quiet times",
        owner=ActionOwner.WORKER,
        owner_worker=cast.allocated_worker,
        due=timezone.localdate() + dt.timedelta(days=14),
        goal=worker_goal,
    )
    own_action = services.action_add(
        actor=cast.person_user, person=person, what="Walk to the park", owner=ActionOwner.PERSON
    )
    services.safety_plan_change(
        actor=cast.allocated_worker,
        person=person,
        expected_version=1,
        data={"warning_signs": "Not sleeping", "crisis_contacts": "My sister Jo"},
    )
    newcomer_plan = Plan.objects.create(person=cast.newcomer, version_number=1)
    newcomer_goal = Goal.objects.create(plan=newcomer_plan, words="Find a job", outcome=BigThree.PARTICIPATE)
    newcomer_action = PlanAction.objects.create(plan=newcomer_plan, what="Write a CV", owner=ActionOwner.PERSON)
    PlanVersion.objects.create(plan=newcomer_plan, number=1, changed_at=timezone.now(), summary="Added the goal")
    mark = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return PlanIds(worker_goal, own_goal, worker_action, own_action, newcomer_goal, newcomer_action, mark)


def trail(plan: PlanIds) -> Any:
    """The audit events written since the plan was set up."""
    return AuditEvent.objects.filter(pk__gt=plan.mark)


# The access cast ----------------------------------------------------------------------------------------

READ_PAGES = ["view", "versions", "version"]
CHANGE_PAGES = ["goal_add", "goal_change", "action_add", "action_change", "safety_plan", "agree", "review_add"]
POSTS = ["goal_add", "goal_change", "action_add", "action_change", "action_done", "safety_plan", "review_add", "agree"]
ALLOWED_READ = {
    "team_worker": "team",
    "allocated_worker": "allocated",
    "person_user": "self",
    "consent_worker": "consent",
}
ALLOWED_CHANGE = {"team_worker": "team", "allocated_worker": "allocated", "person_user": "self"}
REFUSED = ["other_team_worker", "stranger", "analyst", "coordinator"]


def _url(page: str, person: Person, plan: PlanIds) -> str:
    newcomer = person.given_name == "Sam"
    goal = plan.newcomer_goal if newcomer else plan.own_goal
    action = plan.newcomer_action if newcomer else plan.own_action
    args: dict[str, list[Any]] = {
        "goal_change": [person.pk, goal.pk],
        "action_change": [person.pk, action.pk],
        "action_done": [person.pk, (plan.newcomer_action if newcomer else plan.worker_action).pk],
        "version": [person.pk, 1],
    }
    return reverse(f"plans:{page}", args=args.get(page, [person.pk]))


def _who_and_person(cast: Cast, who: str) -> tuple[Any, Person]:
    # The coordinator is tried on the person with only an open introduction: the front door reads no plan.
    return getattr(cast, who), cast.newcomer if who == "coordinator" else cast.person


def _post_data(page: str, cast: Cast, plan: PlanIds) -> dict[str, Any]:
    today = timezone.localdate()
    later = today + dt.timedelta(weeks=6)
    safety = SafetyPlan.objects.filter(plan__person=cast.person).first()
    current = Plan.objects.filter(person=cast.person).values_list("version_number", flat=True).first()
    return {
        "goal_add": {"words": "Cook a meal for friends", "outcome": BigThree.CHOICES},
        "goal_change": {"words": "Sleep through the night", "outcome": "recover", "status": "working_on", "version": 1},
        "action_add": {"what": "Phone the lido", "owner": "person"},
        "action_change": {"what": "Walk to the park daily", "owner": "person", "status": "to_do", "version": 1},
        "action_done": {},
        "safety_plan": {
            "warning_signs": "Not sleeping, staying in",
            "what_helps": "",
            "people_and_places": "",
            "crisis_contacts": "My sister Jo",
            "version": safety.version if safety else 1,
        },
        "review_add": {
            "held_on_0": today.day,
            "held_on_1": today.month,
            "held_on_2": today.year,
            "with_person": "yes",
            "how_it_is_going": "Better",
            "what_changes": "",
            "next_review_due_0": later.day,
            "next_review_due_1": later.month,
            "next_review_due_2": later.year,
        },
        "agree": {"comment": "", "version": current or 0},
    }[page]


def _since(mark: int) -> Any:
    return AuditEvent.objects.filter(pk__gt=mark)


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


# Each test below takes one member of the cast through every page (or every save) in turn, and checks
# the audit events that each one wrote.


@pytest.mark.parametrize("who", list(ALLOWED_READ))
def test_the_plan_is_read_by_the_person_their_team_and_partners_they_share_with(
    cast: Cast, plan: PlanIds, who: str
) -> None:
    user, person = _who_and_person(cast, who)
    client = client_for(user)
    for page in READ_PAGES:
        mark = _last_event_id()
        response = client.get(_url(page, person, plan))
        assert response.status_code == 200, page
        event = _since(mark).get(actor=user, person_id=person.pk)
        assert (event.action, event.outcome, event.parts, event.basis) == (
            "view",
            Outcome.ALLOWED,
            ["plan"],
            ALLOWED_READ[who],
        ), page


@pytest.mark.parametrize("who", REFUSED)
def test_no_page_of_the_plan_opens_without_a_relationship(cast: Cast, plan: PlanIds, who: str) -> None:
    user, person = _who_and_person(cast, who)
    client = client_for(user)
    for page in READ_PAGES + CHANGE_PAGES:
        mark = _last_event_id()
        response = client.get(_url(page, person, plan))
        assert response.status_code == 403, page
        assert "Find a job" not in response.content.decode()
        event = _since(mark).get(actor=user, person_id=person.pk)
        assert (event.outcome, event.parts) == (Outcome.REFUSED, ["plan"]), page


@pytest.mark.parametrize("who", list(ALLOWED_CHANGE))
def test_the_person_and_their_team_open_the_pages_that_change_the_plan(cast: Cast, plan: PlanIds, who: str) -> None:
    user, person = _who_and_person(cast, who)
    client = client_for(user)
    for page in CHANGE_PAGES:
        mark = _last_event_id()
        response = client.get(_url(page, person, plan))
        event = _since(mark).get(actor=user, person_id=person.pk)
        if page == "review_add" and who == "person_user":
            # The worker records a review with the person; the person's own page is refused, and audited.
            assert response.status_code == 403
            assert "Your worker records reviews of your plan with you" in response.content.decode()
            assert (event.outcome, event.parts) == (Outcome.REFUSED, ["plan"])
            continue
        assert response.status_code == 200, page
        expected_parts = ["network", "plan"] if page.startswith("action") else ["plan"]
        assert (event.action, event.outcome, event.parts, event.basis) == (
            "view",
            Outcome.ALLOWED,
            expected_parts,
            ALLOWED_CHANGE[who],
        ), page


def test_a_partner_organisation_reads_the_plan_but_cannot_open_a_page_to_change_it(cast: Cast, plan: PlanIds) -> None:
    client = client_for(cast.consent_worker)
    for page in CHANGE_PAGES:
        mark = _last_event_id()
        response = client.get(_url(page, cast.person, plan))
        assert response.status_code == 403, page
        event = _since(mark).get(actor=cast.consent_worker)
        assert (event.action, event.outcome, event.parts) == ("change", Outcome.REFUSED, ["plan"]), page


@pytest.mark.parametrize("who", list(ALLOWED_CHANGE))
def test_the_person_and_their_team_change_the_plan_and_each_change_is_audited_and_kept(
    cast: Cast, plan: PlanIds, who: str
) -> None:
    user, person = _who_and_person(cast, who)
    client = client_for(user)
    for page in POSTS:
        mark = _last_event_id()
        before = Plan.objects.get(person=person).version_number
        response = client.post(_url(page, person, plan), _post_data(page, cast, plan))
        if page == "review_add" and who == "person_user":
            assert response.status_code == 403
            assert _since(mark).get(actor=user).outcome == Outcome.REFUSED
            assert not Review.objects.exists()
            continue
        assert response.status_code == 302, (page, response.content.decode()[:3000])
        assert response["Location"].startswith(reverse("plans:view", args=[person.pk])), page
        event = _since(mark).get(actor=user, action="change")
        assert (event.outcome, event.parts, event.basis) == (Outcome.ALLOWED, ["plan"], ALLOWED_CHANGE[who]), page
        after = Plan.objects.get(person=person).version_number
        if page == "agree":
            agreement = PlanAgreement.objects.get()
            assert agreement.version_number == before
            assert agreement.how == (AgreedHow.SIGNED_IN if who == "person_user" else AgreedHow.IN_CONVERSATION)
            assert after == before
        else:
            assert after == before + 1, page
            assert PlanVersion.objects.get(plan__person=person, number=after).changed_by == user


@pytest.mark.parametrize("who", ["consent_worker", *REFUSED])
def test_nobody_else_changes_the_plan_and_each_attempt_is_audited(cast: Cast, plan: PlanIds, who: str) -> None:
    user, person = _who_and_person(cast, who)
    client = client_for(user)
    versions = PlanVersion.objects.count()
    for page in POSTS:
        mark = _last_event_id()
        response = client.post(_url(page, person, plan), _post_data(page, cast, plan))
        assert response.status_code == 403, page
        event = _since(mark).get(actor=user)
        assert (event.action, event.outcome, event.parts, event.person_id) == (
            "change",
            Outcome.REFUSED,
            ["plan"],
            person.pk,
        ), page
    assert PlanVersion.objects.count() == versions
    assert not PlanAgreement.objects.exists()
    assert not Review.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(cast: Cast, plan: PlanIds) -> None:
    response = Client().get(reverse("plans:view", args=[cast.person.pk]))
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"] or "login" in response["Location"]


def test_unknown_people_goals_actions_and_versions_are_not_found(cast: Cast, plan: PlanIds) -> None:
    client = client_for(cast.team_worker)
    nobody = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/people/{nobody}/plan/").status_code == 404
    assert client.get(reverse("plans:goal_change", args=[cast.person.pk, nobody])).status_code == 404
    # A goal of someone else's plan is not found through this person's address.
    assert client.get(reverse("plans:goal_change", args=[cast.person.pk, plan.newcomer_goal.pk])).status_code == 404
    assert client.get(reverse("plans:action_change", args=[cast.person.pk, plan.newcomer_action.pk])).status_code == 404
    assert client.get(reverse("plans:version", args=[cast.person.pk, 99])).status_code == 404


# What the pages say -------------------------------------------------------------------------------------


def test_staff_see_the_plan_named_for_the_person_with_goals_as_typed(cast: Cast, plan: PlanIds) -> None:
    html = client_for(cast.team_worker).get(reverse("plans:view", args=[cast.person.pk])).content.decode()
    assert '<span class="nhsuk-caption-l">Alex Morgan</span>' in html
    assert "<h1>Living Well plan</h1>" in html
    assert '<h2 id="goals">Goals</h2>' in html
    for outcome in BigThree:
        assert f"<h3>{outcome.label}</h3>" in html
    assert "Get back to swimming\n  twice a week" in html  # whitespace kept, shown with pre-wrap
    assert 'class="nhsuk-heading-s nhsuk-u-margin-bottom-2 lw-story-text">Get back to swimming' in html
    assert "Written by Allocated Peer on" in html
    assert "Written by Alex Morgan themself on" in html
    assert "Find the lido&#39;s quiet times" in html
    assert "Allocated Peer" in html
    assert "Walk to the park" in html
    assert "Not sleeping" in html and "My sister Jo" in html
    assert "Not agreed yet" in html
    assert "Record that Alex Morgan agreed to the plan" in html
    assert "Record a review" in html
    assert "choose option 2 for mental health" in html and "116 123" in html and "999" in html
    assert reverse("plans:action_done", args=[cast.person.pk, plan.worker_action.pk]) in html
    assert "Mark as done" in html
    assert "See every version" in html
    assert "(version 5)" in html


def test_the_person_sees_their_own_plan_spoken_to_them(cast: Cast, plan: PlanIds) -> None:
    html = client_for(cast.person_user).get(reverse("plans:view", args=[cast.person.pk])).content.decode()
    assert "<h1>Your Living Well plan</h1>" in html
    assert "Your goals" in html
    assert "Your safety plan" in html
    assert "Written by you on" in html
    assert "Agree to your plan" in html
    assert "Record a review" not in html

    # They may change the goal they wrote, not the one their worker wrote.
    def link(name: str, item: object) -> str:
        return f'href="{reverse(name, args=[cast.person.pk, item.pk])}"'  # type: ignore[attr-defined]

    assert link("plans:goal_change", plan.own_goal) in html
    assert link("plans:goal_change", plan.worker_goal) not in html
    assert link("plans:action_change", plan.own_action) in html
    assert link("plans:action_change", plan.worker_action) not in html
    assert '<td class="nhsuk-table__cell">You</td>' in html  # the action they do themself


def test_a_partner_reads_the_plan_without_ways_to_change_it(cast: Cast, plan: PlanIds) -> None:
    html = client_for(cast.consent_worker).get(reverse("plans:view", args=[cast.person.pk])).content.decode()
    assert "the person agreed to share with their organisation" in html
    assert "You can read it but not change it" in html
    assert "Get back to swimming" in html
    for words in (
        "Add a goal",
        "Add an action",
        "Mark as done",
        "Change this goal",
        "Record a review",
        "agreed to the plan",
    ):
        assert words not in html


def test_before_anything_is_written_the_page_says_what_a_plan_is(cast: Cast) -> None:
    own = client_for(cast.person_user).get(reverse("plans:view", args=[cast.person.pk])).content.decode()
    assert "What a Living Well plan is" in own
    assert "Your Living Well plan is yours" in own
    assert "Add a goal" in own
    staff = client_for(cast.team_worker).get(reverse("plans:view", args=[cast.person.pk])).content.decode()
    assert "A Living Well plan belongs to Alex Morgan" in staff
    assert not Plan.objects.exists()  # reading never makes a plan


def test_the_person_adds_a_goal_in_their_own_words(cast: Cast) -> None:
    client = client_for(cast.person_user)
    url = reverse("plans:goal_add", args=[cast.person.pk])
    page = client.get(url).content.decode()
    assert "What is your goal?" in page
    assert "Which of the Big Three is it for?" in page
    words = "Go to the allotment\non Saturdays "
    response = client.post(url, {"words": words, "outcome": "participate"}, follow=True)
    html = response.content.decode()
    assert "Goal added to your plan" in html
    assert Goal.objects.get().words == words
    assert PlanVersion.objects.get().summary == "Added the goal 'Go to the allotment on Saturdays'"


def test_a_goal_without_words_or_outcome_shows_the_errors_and_keeps_the_answers(cast: Cast) -> None:
    url = reverse("plans:goal_add", args=[cast.person.pk])
    html = client_for(cast.team_worker).post(url, {"words": "", "outcome": ""}).content.decode()
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert "Enter the goal" in html
    assert "Choose which of the Big Three the goal is for" in html
    assert 'href="#id_words"' in html and 'href="#id_outcome"' in html
    html = client_for(cast.team_worker).post(url, {"words": "   ", "outcome": "recover"}).content.decode()
    assert "Enter the goal" in html  # only spaces is not a goal
    assert not Goal.objects.exists()


def test_the_person_cannot_change_words_a_worker_wrote(cast: Cast, plan: PlanIds) -> None:
    url = reverse("plans:goal_change", args=[cast.person.pk, plan.worker_goal.pk])
    client = client_for(cast.person_user)
    assert "Allocated Peer wrote this goal, so its words stay as they are" in client.get(url).content.decode()
    response = client.post(
        url, {"words": "Swim once a week", "outcome": "recover", "status": "working_on", "version": 1}
    )
    assert response.status_code == 200
    assert "Allocated Peer wrote this goal, so its words stay as they are" in response.content.decode()
    assert Goal.objects.get(pk=plan.worker_goal.pk).words == "Get back to swimming\n  twice a week"


def test_the_action_form_offers_the_persons_team_and_own_network(cast: Cast, plan: PlanIds) -> None:
    Relationship.objects.create(person=cast.person, name="Jo Morgan", kind=RelationshipKind.FAMILY)
    Relationship.objects.create(person=cast.newcomer, name="Kim Taylor", kind=RelationshipKind.FRIEND)
    url = reverse("plans:action_add", args=[cast.person.pk])
    html = client_for(cast.team_worker).get(url).content.decode()
    assert "Who will do it?" in html
    assert "Someone in Alex Morgan&#39;s own network" in html
    for name in ("Team Worker", "Team Leader", "Allocated Peer", "Jo Morgan (family)"):
        assert name in html
    for name in ("Other Team", "Psychiatrist", "Kim Taylor"):
        assert name not in html
    assert "If a Living Well worker will do it, which worker?" in html
    assert "If someone in the network will do it, who?" in html
    assert "data-aria-controls" not in html  # no ARIA that radio buttons do not allow
    own = client_for(cast.person_user).get(url).content.decode()
    assert ">\n        Me\n" in own or ">Me<" in own or "Me\n" in own
    assert "Someone in my own network" in own


def test_an_action_owned_by_a_worker_must_name_them(cast: Cast, plan: PlanIds) -> None:
    url = reverse("plans:action_add", args=[cast.person.pk])
    client = client_for(cast.team_worker)
    html = client.post(url, {"what": "Ring the council", "owner": "worker"}).content.decode()
    assert "Choose the worker who will do it" in html
    assert 'href="#id_owner_worker"' in html
    assert "Ring the council" in html  # answers kept
    html = client.post(url, {"what": "Join a group", "owner": "community", "owner_name": ""}).content.decode()
    assert "Enter the name of the community offer" in html
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    html = client.post(
        url,
        {"what": "Ring", "owner": "person", "due_0": yesterday.day, "due_1": yesterday.month, "due_2": yesterday.year},
    ).content.decode()
    assert "The date must be today or in the future" in html
    due = timezone.localdate() + dt.timedelta(days=7)
    response = client.post(
        url,
        {
            "what": "Ring the council",
            "owner": "worker",
            "owner_worker": str(cast.team_leader.pk),
            "owner_name": "ignored when a worker does it",
            "due_0": due.day,
            "due_1": due.month,
            "due_2": due.year,
            "goal": str(plan.worker_goal.pk),
        },
    )
    assert response.status_code == 302
    action = PlanAction.objects.get(what="Ring the council")
    assert (action.owner_worker, action.owner_name, action.due, action.goal) == (
        cast.team_leader,
        "Team Leader",
        due,
        plan.worker_goal,
    )


def test_marking_an_action_done_from_the_plan(cast: Cast, plan: PlanIds) -> None:
    url = reverse("plans:action_done", args=[cast.person.pk, plan.worker_action.pk])
    response = client_for(cast.person_user).post(url, follow=True)
    html = response.content.decode()
    assert "Marked as done: &#39;Find the lido&#39;s quiet times&#39;" in html
    assert "Done on " in html
    action = PlanAction.objects.get(pk=plan.worker_action.pk)
    assert action.status == ActionStatus.DONE and action.done_at is not None
    assert client_for(cast.person_user).get(url).status_code == 405  # a button, never a link


def test_the_safety_plan_page_shows_the_contacts_always_there(cast: Cast, plan: PlanIds) -> None:
    html = client_for(cast.person_user).get(reverse("plans:safety_plan", args=[cast.person.pk])).content.decode()
    assert "<h1>Your safety plan</h1>" in html
    assert "What are the signs that things are getting hard for you?" in html
    assert "NHS 111" in html and "option 2" in html
    assert "Samaritans" in html and "116 123" in html
    assert "999" in html
    assert 'class="nhsuk-inset-text"' in html
    staff = client_for(cast.team_worker).get(reverse("plans:safety_plan", args=[cast.person.pk])).content.decode()
    assert "What are the signs that things are getting hard for Alex Morgan?" in staff


def test_a_review_moves_the_next_review_and_shows_on_the_plan(cast: Cast, plan: PlanIds) -> None:
    Plan.objects.filter(person=cast.person).update(review_due=timezone.localdate() - dt.timedelta(days=3))
    client = client_for(cast.team_worker)
    html = client.get(reverse("plans:view", args=[cast.person.pk])).content.decode()
    assert "Overdue: it was due by" in html
    data = _post_data("review_add", cast, plan)
    data["how_it_is_going"] = "Sleeping better.\nSwimming on Mondays."
    response = client.post(reverse("plans:review_add", args=[cast.person.pk]), data, follow=True)
    html = response.content.decode()
    assert "Review recorded" in html
    assert "Overdue" not in html
    assert "Sleeping better.\nSwimming on Mondays." in html
    assert "Alex Morgan took part" in html
    later = timezone.localdate() + dt.timedelta(weeks=6)
    assert f"By {later.day} {later:%B %Y}" in html


def test_agreeing_to_the_plan_and_seeing_when_it_changes_after(cast: Cast, plan: PlanIds) -> None:
    person = client_for(cast.person_user)
    page = person.get(reverse("plans:agree", args=[cast.person.pk])).content.decode()
    assert "I agree with my plan" in page
    assert "This is your plan as it is now (version 5)" in page
    assert "Get back to swimming" in page
    response = person.post(
        reverse("plans:agree", args=[cast.person.pk]), {"comment": "It says what I want", "version": 5}, follow=True
    )
    html = response.content.decode()
    assert "Your agreement is recorded" in html
    assert "Agreed by you on" in html and "(version 5)" in html
    assert "It says what I want" in html
    staff = client_for(cast.team_worker).get(reverse("plans:view", args=[cast.person.pk])).content.decode()
    assert "Agreed by Alex Morgan on" in staff
    assert "Alex Morgan agreed signed in to their record" in staff

    services.goal_add(actor=cast.team_worker, person=cast.person, words="Cook", outcome=BigThree.CHOICES)
    staff = client_for(cast.team_worker).get(reverse("plans:view", args=[cast.person.pk])).content.decode()
    assert "Changed since Alex Morgan last agreed" in staff
    assert "Alex Morgan agreed to version 5 on" in staff and "now at version 6" in staff
    worker_page = client_for(cast.team_worker).get(reverse("plans:agree", args=[cast.person.pk])).content.decode()
    assert "Alex Morgan agreed in conversation" in worker_page
    # Opened at version 6; the person adds a goal; the worker's agreement is not recorded against words unseen.
    services.goal_add(actor=cast.person_user, person=cast.person, words="Paint", outcome=BigThree.CHOICES)
    stale = client_for(cast.team_worker).post(reverse("plans:agree", args=[cast.person.pk]), {"version": 6})
    assert stale.status_code == 200
    assert "The plan changed after this page was opened" in stale.content.decode()
    assert PlanAgreement.objects.count() == 1
    mine = client_for(cast.person_user).get(reverse("plans:view", args=[cast.person.pk])).content.decode()
    assert "Changed since you last agreed" in mine


def test_every_version_is_listed_and_each_says_what_changed(cast: Cast, plan: PlanIds) -> None:
    client = client_for(cast.team_worker)
    html = client.get(reverse("plans:versions", args=[cast.person.pk])).content.decode()
    assert "<h1>Every version of the plan</h1>" in html
    assert "Living Well plan of Alex Morgan" in html
    for n in range(1, 6):
        assert f">Version {n}</a>" in html
    assert "Added the goal &#39;Get back to swimming twice a week&#39;" in html
    assert "Changed the safety plan: warning signs, crisis contacts" in html
    assert html.index(">Version 5</a>") < html.index(">Version 1</a>")  # newest first

    html = client.get(reverse("plans:version", args=[cast.person.pk, 3])).content.decode()
    assert "<h1>Version 3 of the plan</h1>" in html
    assert "Team Worker" in html
    assert "Changes from version 2" in html
    assert "Added the action &#39;Find the lido&#39;s quiet times&#39; for Allocated Peer, by " in html
    assert "This is not the plan as it is now" in html
    assert "Walk to the park" not in html  # added in version 4: not in what version 3 said
    assert "Get back to swimming\n  twice a week" in html

    first = client.get(reverse("plans:version", args=[cast.person.pk, 1])).content.decode()
    assert "This is the first version of the plan" in first
    assert "Sleep better" not in first

    own = client_for(cast.person_user).get(reverse("plans:versions", args=[cast.person.pk])).content.decode()
    assert "Every version of your plan" in own


def test_an_agreed_version_says_so(cast: Cast, plan: PlanIds) -> None:
    services.plan_agree(actor=cast.person_user, person=cast.person, how=AgreedHow.SIGNED_IN, comment="Good")
    html = client_for(cast.team_worker).get(reverse("plans:versions", args=[cast.person.pk])).content.decode()
    assert "Agreed by Alex Morgan on" in html
    html = client_for(cast.team_worker).get(reverse("plans:version", args=[cast.person.pk, 5])).content.decode()
    assert "Alex Morgan agreed to this version on" in html
    assert "They added: Good" in html


# No lost updates ----------------------------------------------------------------------------------------


def test_the_worker_and_the_person_change_one_goal_at_once_and_see_both_versions(cast: Cast, plan: PlanIds) -> None:
    url = reverse("plans:goal_change", args=[cast.person.pk, plan.own_goal.pk])
    worker, person = client_for(cast.allocated_worker), client_for(cast.person_user)
    assert 'name="version" value="1"' in worker.get(url).content.decode()
    assert 'name="version" value="1"' in person.get(url).content.decode()
    versions = PlanVersion.objects.count()

    mine = {"outcome": "recover", "status": "working_on", "version": 1}
    assert person.post(url, {**mine, "words": "Sleep through the night"}).status_code == 302
    response = worker.post(url, {**mine, "words": "Sleep better without tablets"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this while you were editing" in html
    assert "Alex Morgan changed the goal after you opened it" in html
    assert "Sleep through the night" in html and "Sleep better without tablets" in html  # both versions
    assert 'name="version" value="2"' in html  # saving again is a deliberate choice
    assert Goal.objects.get(pk=plan.own_goal.pk).words == "Sleep through the night"  # nothing lost
    assert PlanVersion.objects.count() == versions + 1  # only the person's save
    assert not trail(plan).filter(actor=cast.allocated_worker, action="change").exists()

    again = worker.post(url, {**mine, "words": "Sleep through the night, without tablets", "version": 2})
    assert again.status_code == 302
    saved = Goal.objects.get(pk=plan.own_goal.pk)
    assert (saved.words, saved.version) == ("Sleep through the night, without tablets", 3)
    assert PlanVersion.objects.latest("number").changed_by == cast.allocated_worker


def test_the_worker_and_the_person_change_the_safety_plan_at_once_and_see_both_versions(
    cast: Cast, plan: PlanIds
) -> None:
    url = reverse("plans:safety_plan", args=[cast.person.pk])
    worker, person = client_for(cast.team_worker), client_for(cast.person_user)
    opened = SafetyPlan.objects.get().version
    assert f'name="version" value="{opened}"' in worker.get(url).content.decode()
    assert f'name="version" value="{opened}"' in person.get(url).content.decode()
    base = {"what_helps": "", "people_and_places": "", "crisis_contacts": "My sister Jo", "version": opened}

    assert person.post(url, {**base, "warning_signs": "Not sleeping, not eating"}).status_code == 302
    response = worker.post(url, {**base, "warning_signs": "Not sleeping, missing appointments"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Alex Morgan changed the safety plan after you opened it" in html
    assert "Not sleeping, not eating" in html and "Not sleeping, missing appointments" in html
    assert f'name="version" value="{opened + 1}"' in html
    assert SafetyPlan.objects.get().warning_signs == "Not sleeping, not eating"
    assert not trail(plan).filter(actor=cast.team_worker, action="change").exists()

    again = worker.post(
        url, {**base, "warning_signs": "Not sleeping, not eating, missing appointments", "version": opened + 1}
    )
    assert again.status_code == 302
    assert SafetyPlan.objects.get().warning_signs == "Not sleeping, not eating, missing appointments"


def test_changing_an_action_at_once_shows_a_conflict(cast: Cast, plan: PlanIds) -> None:
    url = reverse("plans:action_change", args=[cast.person.pk, plan.worker_action.pk])
    data = {
        "owner": "worker",
        "owner_worker": str(cast.allocated_worker.pk),
        "goal": str(plan.worker_goal.pk),
        "status": "to_do",
        "version": 1,
    }
    assert client_for(cast.allocated_worker).post(url, {**data, "what": "Ask about quiet times"}).status_code == 302
    html = client_for(cast.team_worker).post(url, {**data, "what": "Ring the lido"}).content.decode()
    assert "Allocated Peer changed the action after you opened it" in html
    assert PlanAction.objects.get(pk=plan.worker_action.pk).what == "Ask about quiet times"


# Bounded queries ----------------------------------------------------------------------------------------


def _grow(cast: Cast, goals: int) -> None:
    Relationship.objects.create(person=cast.person, name="Jo", kind=RelationshipKind.FAMILY)
    relationship = Relationship.objects.get(name="Jo")
    for n in range(goals):
        goal = services.goal_add(
            actor=cast.team_worker, person=cast.person, words=f"Goal {n}", outcome=BigThree.CHOICES
        )
        services.action_add(
            actor=cast.team_worker,
            person=cast.person,
            what=f"Action {n}",
            owner=ActionOwner.NETWORK,
            owner_relationship=relationship,
            goal=goal,
        )
        services.action_add(
            actor=cast.team_worker,
            person=cast.person,
            what=f"Worker action {n}",
            owner=ActionOwner.WORKER,
            owner_worker=cast.allocated_worker,
        )
        services.review_record(
            actor=cast.team_worker,
            person=cast.person,
            held_on=timezone.localdate(),
            with_person=True,
            how_it_is_going=f"Review {n}",
            what_changes="",
            next_review_due=timezone.localdate() + dt.timedelta(weeks=4),
        )
    services.plan_agree(actor=cast.team_worker, person=cast.person, how=AgreedHow.IN_CONVERSATION)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["view", "versions"])
def test_the_plan_and_its_versions_take_the_same_queries_however_long_they_grow(
    cast: Cast, plan: PlanIds, page: str, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.team_worker)
    url = reverse(f"plans:{page}", args=[cast.person.pk])
    small = _queries(client, url)
    _grow(cast, 8)
    large = _queries(client, url)
    assert large == small
    with django_assert_max_num_queries(16):
        client.get(url)


def test_one_version_takes_a_fixed_number_of_queries(
    cast: Cast, plan: PlanIds, django_assert_max_num_queries: Any
) -> None:
    _grow(cast, 5)
    client = client_for(cast.team_worker)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("plans:version", args=[cast.person.pk, 20])).status_code == 200


def test_status_choices_name_how_a_goal_is_going(cast: Cast, plan: PlanIds) -> None:
    html = (
        client_for(cast.team_worker)
        .get(reverse("plans:goal_change", args=[cast.person.pk, plan.worker_goal.pk]))
        .content.decode()
    )
    for status in GoalStatus:
        assert str(status.label) in html


def test_emergency_access_reads_the_plan_with_its_safety_plan_but_changes_nothing(cast: Cast, plan: PlanIds) -> None:
    audit.break_glass_open(user=cast.psychiatrist, person=cast.person, reason="Found in distress at A&E at night")
    client = client_for(cast.psychiatrist)
    mark = _last_event_id()
    html = client.get(reverse("plans:view", args=[cast.person.pk])).content.decode()
    assert "My sister Jo" in html  # the crisis contacts of the safety plan
    assert "Add a goal" not in html
    event = _since(mark).get(actor=cast.psychiatrist)
    assert (event.action, event.parts, event.basis) == ("view", ["plan"], "break_glass")
    response = client.post(reverse("plans:safety_plan", args=[cast.person.pk]), _post_data("safety_plan", cast, plan))
    assert response.status_code == 403
    assert _since(mark).filter(actor=cast.psychiatrist, outcome=Outcome.REFUSED, parts=["plan"]).exists()
    assert SafetyPlan.objects.get().warning_signs == "Not sleeping"


def test_once_agreed_the_agree_page_says_so_instead_of_asking_again(cast: Cast, plan: PlanIds) -> None:
    services.plan_agree(actor=cast.person_user, person=cast.person, how=AgreedHow.SIGNED_IN)
    html = client_for(cast.person_user).get(reverse("plans:agree", args=[cast.person.pk])).content.decode()
    assert "You agreed to this version of your plan on" in html
    assert "I agree with my plan" not in html
    html = client_for(cast.team_worker).get(reverse("plans:agree", args=[cast.person.pk])).content.decode()
    assert "Alex Morgan agreed to this version of the plan on" in html


def test_an_action_keeps_its_worker_after_they_leave_the_team(cast: Cast, plan: PlanIds) -> None:
    Allocation.objects.update(ended_at=timezone.now())  # the allocated peer worker is no longer supporting Alex
    url = reverse("plans:action_change", args=[cast.person.pk, plan.worker_action.pk])
    client = client_for(cast.team_worker)
    assert "Allocated Peer" in client.get(url).content.decode()
    data = {
        "what": "Find the lido's quiet times, and the price",
        "owner": "worker",
        "owner_worker": str(cast.allocated_worker.pk),
        "goal": str(plan.worker_goal.pk),
        "status": "to_do",
        "version": 1,
    }
    assert client.post(url, data).status_code == 302
    assert PlanAction.objects.get(pk=plan.worker_action.pk).owner_worker == cast.allocated_worker
    add = client.post(
        reverse("plans:action_add", args=[cast.person.pk]),
        {"what": "Ring", "owner": "worker", "owner_worker": str(cast.allocated_worker.pk)},
    )
    assert "Choose a worker from the team" in add.content.decode()  # but new actions go to the team now
