"""The Living Well plan's services: versions, who may change what, no lost updates, agreement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.core.concurrency import EditConflict
from livingwell.core.errors import DomainError
from livingwell.people.models import Relationship, RelationshipKind
from livingwell.support.models import (
    ActionOwner,
    ActionStatus,
    AgreedHow,
    BigThree,
    Goal,
    GoalStatus,
    Plan,
    PlanAction,
    PlanAgreement,
    PlanVersion,
    SafetyPlan,
)
from livingwell.support.services import plans as services
from livingwell.testing import Cast, make_person, refresh_user

pytestmark = pytest.mark.django_db


def _goal(cast: Cast, words: str = "Get back to swimming", *, actor: object = None) -> Goal:
    return services.goal_add(
        actor=actor or cast.allocated_worker,  # type: ignore[arg-type]
        person=cast.person,
        words=words,
        outcome=BigThree.RECOVER,
    )


def test_a_new_plan_is_due_for_review_after_the_sites_usual_time(cast: Cast) -> None:
    cast.site.weeks_between_plan_reviews = 8
    cast.site.save()
    person = make_person(cast.site, "Jo", "Bloggs")
    plan = services.plan_for(person=person)
    assert plan.review_due == timezone.localdate() + dt.timedelta(weeks=8)
    assert plan.version_number == 0
    assert services.plan_for(person=person).pk == plan.pk  # one plan per person


def test_adding_a_goal_keeps_the_words_as_typed_and_writes_version_and_audit_together(cast: Cast) -> None:
    words = "  Get back to swimming\n  twice a week  "
    goal = _goal(cast, words)
    assert goal.words == words
    plan = Plan.objects.get(person=cast.person)
    assert plan.version_number == 1
    version = PlanVersion.objects.get(plan=plan)
    assert version.number == 1
    assert version.changed_by_name == "Allocated Peer"
    assert version.summary == "Added the goal 'Get back to swimming twice a week'"
    assert version.snapshot["goals"][0]["words"] == words
    assert version.snapshot["goals"][0]["outcome"] == "recover"
    assert version.snapshot["review_due"] == plan.review_due.isoformat()  # type: ignore[union-attr]
    assert set(version.snapshot) == {"review_due", "goals", "actions", "safety_plan"}
    event = AuditEvent.objects.get(actor=cast.allocated_worker, action="change", person_id=cast.person.pk)
    assert (event.parts, event.basis, event.outcome) == (["plan"], "allocated", Outcome.ALLOWED)
    assert event.detail["plan_version"] == 1


def test_a_goal_needs_words_and_one_of_the_big_three(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        services.goal_add(actor=cast.team_worker, person=cast.person, words="  \n ", outcome=BigThree.RECOVER)
    assert error.value.field == "words"
    with pytest.raises(DomainError) as error:
        services.goal_add(actor=cast.team_worker, person=cast.person, words="Walk", outcome="happiness")
    assert error.value.field == "outcome"
    assert not Plan.objects.filter(person=cast.person).exists()  # nothing half-made
    assert not AuditEvent.objects.filter(action="change").exists()


def test_every_change_takes_the_next_version_number(cast: Cast) -> None:
    goal = _goal(cast)
    services.goal_add(actor=cast.person_user, person=cast.person, words="See my sister", outcome=BigThree.PARTICIPATE)
    changed = services.goal_change(
        actor=cast.team_worker,
        goal=goal,
        expected_version=1,
        words=goal.words,
        outcome=BigThree.RECOVER,
        status=GoalStatus.ACHIEVED,
    )
    assert changed == ["status"]
    numbers = list(PlanVersion.objects.order_by("number").values_list("number", "summary", "changed_by_name"))
    assert numbers == [
        (1, "Added the goal 'Get back to swimming'", "Allocated Peer"),
        (2, "Added the goal 'See my sister'", "Alex Morgan"),
        (3, "Marked the goal 'Get back to swimming' as achieved", "Team Worker"),
    ]
    assert Plan.objects.get(person=cast.person).version_number == 3
    snapshot = PlanVersion.objects.get(number=3).snapshot
    assert [g["status"] for g in snapshot["goals"]] == ["achieved", "working_on"]


def test_saving_a_goal_unchanged_writes_no_version(cast: Cast) -> None:
    goal = _goal(cast)
    assert (
        services.goal_change(
            actor=cast.team_worker,
            goal=goal,
            expected_version=1,
            words=goal.words,
            outcome=goal.outcome,
            status=goal.status,
        )
        == []
    )
    assert PlanVersion.objects.count() == 1


def test_two_people_changing_one_goal_at_once_see_both_versions_and_nothing_is_lost(cast: Cast) -> None:
    goal = _goal(cast, "Sleep better", actor=cast.person_user)
    worker_copy = Goal.objects.get(pk=goal.pk)
    services.goal_change(
        actor=cast.person_user,
        goal=goal,
        expected_version=1,
        words="Sleep through the night",
        outcome=BigThree.RECOVER,
        status=GoalStatus.WORKING_ON,
    )
    with pytest.raises(EditConflict) as conflict:
        services.goal_change(
            actor=cast.allocated_worker,
            goal=worker_copy,
            expected_version=1,
            words="Sleep better, without tablets",
            outcome=BigThree.RECOVER,
            status=GoalStatus.WORKING_ON,
        )
    fields = {f.label: (f.theirs, f.mine) for f in conflict.value.fields}
    assert fields["The goal"] == ("Sleep through the night", "Sleep better, without tablets")
    assert conflict.value.changed_by == "Alex Morgan"
    assert conflict.value.current_version == 2
    saved = Goal.objects.get(pk=goal.pk)
    assert saved.words == "Sleep through the night"
    assert Plan.objects.get(person=cast.person).version_number == 2  # the refused save made no version
    assert not AuditEvent.objects.filter(actor=cast.allocated_worker, detail__changed="goal").exists()


def test_the_person_adds_and_changes_their_own_words_but_not_others(cast: Cast) -> None:
    theirs = _goal(cast, "Worker's words")
    mine = _goal(cast, "My words", actor=cast.person_user)
    services.goal_change(
        actor=cast.person_user,
        goal=mine,
        expected_version=1,
        words="My own words",
        outcome=BigThree.CHOICES,
        status=GoalStatus.SET_ASIDE,
    )
    with pytest.raises(DomainError) as error:
        services.goal_change(
            actor=cast.person_user,
            goal=theirs,
            expected_version=1,
            words="Rewritten",
            outcome=BigThree.RECOVER,
            status=GoalStatus.WORKING_ON,
        )
    assert error.value.code == "not_your_words"
    assert "Allocated Peer wrote this goal" in error.value.message
    with pytest.raises(DomainError) as error:
        services.goal_change(
            actor=cast.person_user,
            goal=theirs,
            expected_version=1,
            words=theirs.words,
            outcome=BigThree.RECOVER,
            status=GoalStatus.SET_ASIDE,
        )
    assert error.value.field == "status"
    # Saying it is achieved is theirs to say.
    assert services.goal_change(
        actor=cast.person_user,
        goal=theirs,
        expected_version=1,
        words=theirs.words,
        outcome=BigThree.RECOVER,
        status=GoalStatus.ACHIEVED,
    ) == ["status"]
    event = AuditEvent.objects.filter(actor=cast.person_user, action="change").latest("id")
    assert event.basis == "self"


@pytest.mark.parametrize("who", ["consent_worker", "other_team_worker", "coordinator", "analyst", "stranger"])
def test_only_the_person_and_their_team_change_the_plan(cast: Cast, who: str) -> None:
    actor = getattr(cast, who)
    with pytest.raises(AccessRefused):
        services.goal_add(actor=actor, person=cast.person, words="Anything", outcome=BigThree.RECOVER)
    refusal = AuditEvent.objects.get(actor=actor, outcome=Outcome.REFUSED)
    assert (refusal.parts, refusal.person_id) == (["plan"], cast.person.pk)
    assert not Plan.objects.filter(person=cast.person).exists()


def test_actions_need_an_owner_from_the_team_the_network_or_a_named_offer(cast: Cast) -> None:
    goal = _goal(cast)
    sister = Relationship.objects.create(person=cast.person, name="Jo", kind=RelationshipKind.FAMILY)
    someone_elses = Relationship.objects.create(person=cast.newcomer, name="Kim", kind=RelationshipKind.FRIEND)

    def add(**kwargs: object) -> PlanAction:
        return services.action_add(actor=cast.team_worker, person=cast.person, what="Go swimming", **kwargs)  # type: ignore[arg-type]

    with pytest.raises(DomainError) as error:
        add(owner=ActionOwner.COMMUNITY, owner_name="  ")
    assert error.value.field == "owner_name"
    with pytest.raises(DomainError) as error:
        add(owner=ActionOwner.NETWORK, owner_relationship=someone_elses)
    assert (error.value.field, error.value.code) == ("owner_relationship", "not_in_network")
    with pytest.raises(DomainError) as error:
        add(owner=ActionOwner.WORKER, owner_worker=cast.other_team_worker)
    assert (error.value.field, error.value.code) == ("owner_worker", "worker_not_in_team")
    with pytest.raises(DomainError) as error:
        add(owner=ActionOwner.WORKER)
    assert error.value.field == "owner_worker"
    with pytest.raises(DomainError) as error:
        add(owner=ActionOwner.PERSON, due=timezone.localdate() - dt.timedelta(days=1))
    assert error.value.field == "due"
    assert PlanVersion.objects.count() == 1

    offer = add(owner=ActionOwner.COMMUNITY, owner_name="Brixton Lido swimming club", goal=goal)
    by_sister = add(owner=ActionOwner.NETWORK, owner_relationship=sister)
    by_worker = add(owner=ActionOwner.WORKER, owner_worker=cast.allocated_worker, due=timezone.localdate())
    by_team = add(owner=ActionOwner.WORKER, owner_worker=cast.team_leader)
    assert (offer.owner_name, by_sister.owner_name, by_worker.owner_name) == (
        "Brixton Lido swimming club",
        "Jo",
        "Allocated Peer",
    )
    assert by_team.owner_worker == cast.team_leader
    summaries = list(PlanVersion.objects.order_by("number").values_list("summary", flat=True))
    assert summaries[1] == "Added the action 'Go swimming' for Brixton Lido swimming club"
    assert summaries[3].startswith("Added the action 'Go swimming' for Allocated Peer, by ")
    snapshot = PlanVersion.objects.latest("number").snapshot
    assert [a["who"] for a in snapshot["actions"]][:2] == ["Allocated Peer", "Brixton Lido swimming club"]


def test_a_goal_from_another_plan_cannot_be_linked(cast: Cast) -> None:
    plan = Plan.objects.create(person=cast.newcomer)
    foreign = Goal.objects.create(plan=plan, words="Theirs", outcome=BigThree.RECOVER)
    with pytest.raises(DomainError) as error:
        services.action_add(
            actor=cast.team_worker, person=cast.person, what="Walk", owner=ActionOwner.PERSON, goal=foreign
        )
    assert error.value.field == "goal"


def test_marking_an_action_done_records_when_and_the_person_may_mark_any_action(cast: Cast) -> None:
    action = services.action_add(
        actor=cast.team_worker, person=cast.person, what="Call the housing office", owner=ActionOwner.PERSON
    )
    services.action_mark(actor=refresh_user(cast.person_user), action=action, status=ActionStatus.DONE)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.done_at is not None
    assert action.version == 2
    latest = PlanVersion.objects.latest("number")
    assert latest.summary == "Marked the action 'Call the housing office' as done"
    assert latest.changed_by_name == "Alex Morgan"
    with pytest.raises(DomainError) as error:
        services.action_mark(actor=cast.person_user, action=action, status=ActionStatus.NOT_DOING)
    assert error.value.code == "not_your_words"
    services.action_mark(actor=cast.team_worker, action=action, status=ActionStatus.TO_DO)
    action.refresh_from_db()
    assert (action.status, action.done_at) == (ActionStatus.TO_DO, None)


def test_the_person_cannot_rewrite_an_action_someone_else_wrote(cast: Cast) -> None:
    action = services.action_add(
        actor=cast.team_worker, person=cast.person, what="Book a GP appointment", owner=ActionOwner.PERSON
    )
    with pytest.raises(DomainError) as error:
        services.action_change(
            actor=cast.person_user,
            action=action,
            expected_version=1,
            what="Something else",
            owner=ActionOwner.PERSON,
        )
    assert "Team Worker wrote this action" in error.value.message
    mine = services.action_add(actor=cast.person_user, person=cast.person, what="Walk", owner=ActionOwner.PERSON)
    assert services.action_change(
        actor=cast.person_user,
        action=mine,
        expected_version=1,
        what="Walk to the park",
        owner=ActionOwner.COMMUNITY,
        owner_name="Walking group",
    ) == ["what", "owner", "owner_name"]
    latest = PlanVersion.objects.latest("number").summary
    assert (
        latest == "Changed the action 'Walk' to 'Walk to the park'; Gave the action 'Walk to the park' to Walking group"
    )


def test_changing_an_action_at_the_same_time_is_a_conflict(cast: Cast) -> None:
    action = services.action_add(actor=cast.team_worker, person=cast.person, what="Walk", owner=ActionOwner.PERSON)
    stale = PlanAction.objects.get(pk=action.pk)
    services.action_change(
        actor=cast.team_worker, action=action, expected_version=1, what="Walk daily", owner=ActionOwner.PERSON
    )
    with pytest.raises(EditConflict):
        services.action_change(
            actor=cast.allocated_worker, action=stale, expected_version=1, what="Walk weekly", owner=ActionOwner.PERSON
        )
    assert PlanAction.objects.get(pk=action.pk).what == "Walk daily"


def test_the_safety_plan_keeps_versions_and_refuses_a_stale_save(cast: Cast) -> None:
    changed = services.safety_plan_change(
        actor=cast.person_user,
        person=cast.person,
        expected_version=1,
        data={"warning_signs": "Not sleeping", "what_helps": "", "people_and_places": "", "crisis_contacts": "Jo"},
    )
    assert changed == ["warning_signs", "crisis_contacts"]
    version = PlanVersion.objects.get()
    assert version.summary == "Changed the safety plan: warning signs, crisis contacts"
    assert version.snapshot["safety_plan"]["warning_signs"] == "Not sleeping"
    with pytest.raises(EditConflict) as conflict:
        services.safety_plan_change(
            actor=cast.team_worker,
            person=cast.person,
            expected_version=1,
            data={"warning_signs": "Staying in bed", "what_helps": "", "people_and_places": "", "crisis_contacts": ""},
        )
    fields = {f.label: (f.theirs, f.mine) for f in conflict.value.fields}
    assert fields["Warning signs"] == ("Not sleeping", "Staying in bed")
    assert SafetyPlan.objects.get().warning_signs == "Not sleeping"
    assert PlanVersion.objects.count() == 1


def test_an_unchanged_safety_plan_makes_no_plan_at_all(cast: Cast) -> None:
    assert services.safety_plan_change(actor=cast.team_worker, person=cast.person, expected_version=1, data={}) == []
    assert not Plan.objects.filter(person=cast.person).exists()


def test_a_review_sets_the_next_review_and_writes_a_version(cast: Cast) -> None:
    _goal(cast)
    today = timezone.localdate()
    review = services.review_record(
        actor=cast.team_worker,
        person=cast.person,
        held_on=today,
        with_person=True,
        how_it_is_going="Better",
        what_changes="",
        next_review_due=today + dt.timedelta(weeks=6),
    )
    plan = Plan.objects.get(person=cast.person)
    assert plan.review_due == review.next_review_due
    version = PlanVersion.objects.latest("number")
    assert version.summary.startswith("Recorded a review held on ")
    assert version.snapshot["review_due"] == review.next_review_due.isoformat()
    with pytest.raises(DomainError) as error:
        services.review_record(
            actor=cast.team_worker,
            person=cast.person,
            held_on=today,
            with_person=True,
            how_it_is_going="",
            what_changes="",
            next_review_due=today,
        )
    assert error.value.field == "next_review_due"
    with pytest.raises(DomainError) as error:
        services.review_record(
            actor=cast.team_worker,
            person=cast.person,
            held_on=today + dt.timedelta(days=1),
            with_person=True,
            how_it_is_going="",
            what_changes="",
            next_review_due=today + dt.timedelta(days=30),
        )
    assert error.value.field == "held_on"


def test_the_person_does_not_record_reviews_themself(cast: Cast) -> None:
    today = timezone.localdate()
    with pytest.raises(AccessRefused):
        services.review_record(
            actor=cast.person_user,
            person=cast.person,
            held_on=today,
            with_person=True,
            how_it_is_going="",
            what_changes="",
            next_review_due=today + dt.timedelta(days=30),
        )
    assert AuditEvent.objects.filter(actor=cast.person_user, outcome=Outcome.REFUSED).exists()


def test_agreement_is_signed_in_by_the_person_or_recorded_in_conversation(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        services.plan_agree(actor=cast.person_user, person=cast.person, how=AgreedHow.SIGNED_IN)
    assert error.value.code == "nothing_to_agree"
    _goal(cast)
    with pytest.raises(DomainError):
        services.plan_agree(actor=cast.person_user, person=cast.person, how=AgreedHow.IN_CONVERSATION)
    with pytest.raises(DomainError):
        services.plan_agree(actor=cast.team_worker, person=cast.person, how=AgreedHow.SIGNED_IN)
    agreement = services.plan_agree(
        actor=cast.person_user, person=cast.person, how=AgreedHow.SIGNED_IN, comment="Yes, this is right", version=1
    )
    assert (agreement.version_number, agreement.how) == (1, AgreedHow.SIGNED_IN)
    assert PlanVersion.objects.count() == 1  # agreeing does not change the plan
    with pytest.raises(DomainError) as error:
        services.plan_agree(actor=cast.team_worker, person=cast.person, how=AgreedHow.IN_CONVERSATION)
    assert error.value.code == "already_agreed"
    _goal(cast, "Cook more")
    with pytest.raises(DomainError) as error:  # the plan changed after the page was opened at version 1
        services.plan_agree(actor=cast.team_worker, person=cast.person, how=AgreedHow.IN_CONVERSATION, version=1)
    assert error.value.code == "plan_changed"
    by_worker = services.plan_agree(
        actor=cast.team_worker, person=cast.person, how=AgreedHow.IN_CONVERSATION, version=2
    )
    assert (by_worker.version_number, by_worker.recorded_by) == (2, cast.team_worker)
    assert PlanAgreement.objects.count() == 2
    event = AuditEvent.objects.filter(actor=cast.team_worker, action="change").latest("id")
    assert event.detail == {"agreed": 2, "how": "in_conversation"}


def test_describe_changes_compares_two_snapshots_in_plain_words(cast: Cast) -> None:
    before = {
        "review_due": "2027-03-01",
        "goals": [{"id": "g1", "words": "Swim", "outcome": "recover", "status": "working_on"}],
        "actions": [
            {
                "id": "a1",
                "what": "Buy goggles",
                "goal": "g1",
                "owner": "person",
                "who": "",
                "due": None,
                "status": "to_do",
            }
        ],
        "safety_plan": {"warning_signs": "", "what_helps": "", "people_and_places": "", "crisis_contacts": ""},
    }
    after = {
        "review_due": "2027-04-01",
        "goals": [
            {"id": "g1", "words": "Swim weekly", "outcome": "participate", "status": "achieved"},
            {"id": "g2", "words": "Cook", "outcome": "choices", "status": "working_on"},
        ],
        "actions": [
            {
                "id": "a1",
                "what": "Buy goggles",
                "goal": None,
                "owner": "network",
                "who": "Jo",
                "due": "2027-02-01",
                "status": "done",
            }
        ],
        "safety_plan": {"warning_signs": "Tired", "what_helps": "", "people_and_places": "", "crisis_contacts": ""},
    }
    assert services.describe_changes(before, after) == [
        "Changed the goal 'Swim' to 'Swim weekly'",
        "Moved the goal 'Swim weekly' to 'Participate on an equal footing in daily life'",
        "Marked the goal 'Swim weekly' as achieved",
        "Added the goal 'Cook'",
        "Gave the action 'Buy goggles' to Jo",
        "Changed when the action 'Buy goggles' is due to 1 February 2027",
        "Unlinked the action 'Buy goggles' from its goal",
        "Marked the action 'Buy goggles' as done",
        "Changed the safety plan: warning signs",
        "Moved the next review from 1 March 2027 to 1 April 2027",
    ]
    assert services.describe_changes(None, before) == [
        "Added the goal 'Swim'",
        "Added the action 'Buy goggles' for the person themself",
    ]


def test_the_plan_survives_moving_on_and_the_team_loses_the_right_to_change_it(cast: Cast) -> None:
    _goal(cast)
    cast.person.support_periods.update(ended_at=timezone.now())
    with pytest.raises(AccessRefused):
        services.goal_add(actor=refresh_user(cast.team_worker), person=cast.person, words="x", outcome=BigThree.RECOVER)
    services.goal_add(actor=cast.person_user, person=cast.person, words="Keep swimming", outcome=BigThree.RECOVER)
    assert Plan.objects.get(person=cast.person).goals.count() == 2
