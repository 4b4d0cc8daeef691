"""Completing measures: starting and carrying on with drafts, answering, finishing and scoring, Goal Based
Outcomes' goals, DIALOG+'s areas and actions, and who may do each (all audited).

Licensed wording here is placeholder text ("Placeholder statement 3"): the licensed words never ship.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.core.concurrency import EditConflict
from livingwell.core.errors import DomainError
from livingwell.outcomes.instruments import get_instrument
from livingwell.outcomes.models import CompletedHow, Measure, MeasureStatus, Occasion
from livingwell.outcomes.services import measures as services
from livingwell.outcomes.services.measures import AgreedAction, AnswersMissing, GoalWords
from livingwell.outcomes.wording import wording_load
from livingwell.support.models import ActionOwner, BigThree, Goal, Plan, PlanAction, SupportPeriod
from livingwell.support.services import plans
from livingwell.testing import Cast, make_person

pytestmark = pytest.mark.django_db

DIALOG = get_instrument("dialog")


def placeholder_wording(code: str) -> dict[str, Any]:
    instrument = get_instrument(code)
    low, high = instrument.items[0].minimum, instrument.items[0].maximum
    return {
        "instrument": code,
        "version": instrument.version,
        "source": "Placeholder for tests",
        "title": f"{instrument.name} (placeholder)",
        "instructions": "Placeholder instructions.",
        "items": {str(i.position): f"Placeholder statement {i.position}" for i in instrument.items},
        "options": {str(v): f"Placeholder response {v}" for v in range(low, high + 1)},
    }


@pytest.fixture
def licensed(db: None) -> None:
    wording_load(data=[placeholder_wording("swemwbs"), placeholder_wording("reqol10")])


def start(cast: Cast, instrument: str = "dialog", actor: Any = None, **kwargs: Any) -> Measure:
    return services.measure_start(actor=actor or cast.person_user, person=cast.person, instrument=instrument, **kwargs)


def answer_all(measure: Measure, actor: Any, answers: dict[int, int | None], **kwargs: Any) -> Measure:
    for position, value in answers.items():
        measure = services.measure_answer(actor=actor, measure=measure, position=position, value=value, **kwargs)
    return measure


def events(**filters: Any) -> Any:
    return AuditEvent.objects.filter(**filters)


# Starting and carrying on -------------------------------------------------------------------------------


def test_the_person_starts_a_draft_in_their_open_support_and_it_is_audited(cast: Cast) -> None:
    measure = start(cast)
    assert measure.status == MeasureStatus.DRAFT
    assert measure.instrument == "dialog" and measure.instrument_version == "1"
    assert measure.how == CompletedHow.OWN
    assert measure.started_by == cast.person_user
    assert measure.occasion == Occasion.FIRST_CONVERSATION  # their first DIALOG
    assert measure.support_period == SupportPeriod.objects.get(person=cast.person, ended_at__isnull=True)
    event = events(action=Action.CREATE, parts=["measures"]).get()
    assert event.person_id == cast.person.pk and event.basis == "self" and event.outcome == Outcome.ALLOWED
    assert event.detail == {"measure": str(measure.pk), "instrument": "dialog", "occasion": "first_conversation"}


def test_starting_again_carries_on_with_the_draft_where_they_left_off(cast: Cast) -> None:
    measure = start(cast)
    services.measure_answer(actor=cast.person_user, measure=measure, position=1, value=5)
    again = start(cast)
    assert again.pk == measure.pk and again.answers == {"mental_health": 5}
    assert Measure.objects.filter(person=cast.person).count() == 1
    # Their worker carries on with them at a review: it is now done together, at the review.
    with_worker = start(cast, actor=cast.allocated_worker, occasion=Occasion.REVIEW)
    assert with_worker.pk == measure.pk
    assert with_worker.how == CompletedHow.TOGETHER and with_worker.occasion == Occasion.REVIEW
    assert events(action=Action.CHANGE, detail__carried_on__how="together").exists()


def test_a_worker_starts_a_measure_together_and_later_ones_are_check_ins(cast: Cast) -> None:
    first = start(cast, actor=cast.team_worker)
    assert first.how == CompletedHow.TOGETHER and first.started_by == cast.team_worker
    services.measure_answer(actor=cast.team_worker, measure=first, position=6, value=3)
    services.measure_complete(actor=cast.team_worker, measure=first)
    second = start(cast)
    assert second.pk != first.pk
    assert second.occasion == Occasion.CHECK_IN and second.how == CompletedHow.OWN
    assert start(cast, "experience").occasion == Occasion.MOVING_ON
    assert start(cast, "gbo", occasion="review").occasion == Occasion.REVIEW


def test_after_moving_on_experience_questions_belong_to_the_support_that_ended(cast: Cast) -> None:
    period = SupportPeriod.objects.get(person=cast.person)
    SupportPeriod.objects.filter(pk=period.pk).update(ended_at=timezone.now())
    assert start(cast, "experience").support_period == period
    assert start(cast, "dialog").support_period is None  # a check-in after support: no support period


def test_an_unknown_instrument_or_occasion_is_refused(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        start(cast, "phq9")
    assert error.value.code == "unknown_instrument" and error.value.field == "instrument"
    with pytest.raises(DomainError) as error:
        start(cast, occasion="whenever")
    assert error.value.field == "occasion"
    assert not Measure.objects.exists()


@pytest.mark.parametrize(("code", "name"), [("swemwbs", "SWEMWBS"), ("reqol10", "ReQoL-10")])
def test_a_licensed_instrument_cannot_start_until_its_wording_is_loaded(cast: Cast, code: str, name: str) -> None:
    with pytest.raises(DomainError) as error:
        start(cast, code)
    assert error.value.message == (
        f"This site has not loaded the wording of {name} yet. Ask your site administrator to load it."
    )
    assert not Measure.objects.exists()
    wording_load(data=placeholder_wording(code))
    assert start(cast, code).instrument == code


# Answering ----------------------------------------------------------------------------------------------


def test_each_answer_is_saved_as_it_is_given_and_the_version_moves_on(cast: Cast) -> None:
    measure = start(cast)
    assert measure.version == 1
    measure = services.measure_answer(actor=cast.person_user, measure=measure, position=6, value=2, more_help=True)
    assert measure.version == 2
    saved = Measure.objects.get(pk=measure.pk)
    assert saved.answers == {"friendships": 2} and saved.more_help == {"friendships": True}
    # Changing the answer, and no longer saying about more help.
    services.measure_answer(actor=cast.person_user, measure=measure, position=6, value=6, more_help=None)
    saved.refresh_from_db()
    assert saved.answers == {"friendships": 6} and saved.more_help == {} and saved.version == 3
    event = events(action=Action.CHANGE, detail__answered="friendships").first()
    assert event is not None and event.parts == ["measures"] and event.basis == "self"


@pytest.mark.parametrize("value", [0, 8, -1, True, "5", 4.0])
def test_an_answer_outside_the_scale_is_refused_with_the_question_in_the_message(cast: Cast, value: Any) -> None:
    measure = start(cast)
    with pytest.raises(DomainError) as error:
        services.measure_answer(actor=cast.person_user, measure=measure, position=6, value=value)
    assert error.value.field == "answer"
    assert error.value.message == "Choose how satisfied you are with your friendships"
    assert Measure.objects.get(pk=measure.pk).answers == {}


def test_a_question_the_instrument_does_not_have_is_refused(cast: Cast) -> None:
    measure = start(cast)
    with pytest.raises(DomainError, match="no question 12"):
        services.measure_answer(actor=cast.person_user, measure=measure, position=12, value=4)


def test_optional_questions_can_be_skipped_and_required_ones_cannot(cast: Cast, licensed: None) -> None:
    dialog = start(cast)
    dialog = services.measure_answer(actor=cast.person_user, measure=dialog, position=3, value=None)
    assert dialog.answers == {"job_situation": None}
    swemwbs = start(cast, "swemwbs")
    with pytest.raises(DomainError) as error:
        services.measure_answer(actor=cast.person_user, measure=swemwbs, position=3, value=None)
    assert error.value.code == "answer_required" and error.value.field == "answer"
    assert "cannot be scored without it" in error.value.message


def test_only_dialog_asks_about_more_help(cast: Cast) -> None:
    measure = start(cast, "experience")
    with pytest.raises(DomainError, match="does not ask"):
        services.measure_answer(actor=cast.person_user, measure=measure, position=1, value=3, more_help=True)


# Finishing ----------------------------------------------------------------------------------------------


def test_a_partly_answered_dialog_is_scored_on_the_questions_answered(cast: Cast) -> None:
    measure = start(cast)
    # Life: 2, 3 and 7 (mental health, physical health, friendships); job situation skipped.
    # Support: medication 6 only.
    measure = answer_all(measure, cast.person_user, {1: 2, 2: 3, 3: None, 6: 7, 9: 6})
    measure = services.measure_complete(actor=cast.person_user, measure=measure)
    saved = Measure.objects.get(pk=measure.pk)
    assert saved.status == MeasureStatus.COMPLETE
    assert saved.completed_by == cast.person_user and saved.completed_at is not None
    assert saved.subscales == {"quality_of_life": 4.0, "treatment_satisfaction": 6.0}
    assert saved.total is None and saved.metric is None
    assert events(detail__completed=True, detail__answered=4).exists()


def test_a_dialog_with_nothing_answered_cannot_be_saved(cast: Cast) -> None:
    measure = start(cast)
    measure = answer_all(measure, cast.person_user, {1: None, 2: None})
    with pytest.raises(AnswersMissing) as error:
        services.measure_complete(actor=cast.person_user, measure=measure)
    assert error.value.message == "Answer at least one question before you save"
    assert error.value.positions == [None]
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.DRAFT


def test_a_finished_measure_cannot_be_finished_or_changed_again(cast: Cast) -> None:
    measure = answer_all(start(cast), cast.person_user, {1: 4})
    services.measure_complete(actor=cast.person_user, measure=measure)
    with pytest.raises(DomainError) as error:
        services.measure_complete(actor=cast.person_user, measure=measure)
    assert error.value.code == "already_finished"
    with pytest.raises(DomainError):
        services.measure_answer(actor=cast.person_user, measure=measure, position=2, value=4)
    with pytest.raises(DomainError):
        services.measure_discard(actor=cast.person_user, measure=measure)
    assert Measure.objects.get(pk=measure.pk).answers == {"mental_health": 4}


def test_swemwbs_is_scored_with_the_metric_table(cast: Cast, licensed: None) -> None:
    measure = start(cast, "swemwbs")
    measure = answer_all(measure, cast.person_user, dict.fromkeys(range(1, 7), 3))
    with pytest.raises(AnswersMissing) as error:
        services.measure_complete(actor=cast.person_user, measure=measure)
    assert error.value.positions == [7]
    assert error.value.message == "Answer question 7 (making up own mind) before you save"
    measure = services.measure_answer(actor=cast.person_user, measure=measure, position=7, value=3)
    services.measure_complete(actor=cast.person_user, measure=measure)
    saved = Measure.objects.get(pk=measure.pk)
    assert saved.total == 21 and saved.metric == Decimal("19.25")


def test_reqol10_reverses_the_negatively_worded_items(cast: Cast, licensed: None) -> None:
    measure = start(cast, "reqol10")
    # Every response 4: the 6 positively worded items score 4, the 4 reversed ones 0.
    measure = answer_all(measure, cast.team_worker, dict.fromkeys(range(1, 11), 4))
    services.measure_complete(actor=cast.team_worker, measure=measure)
    saved = Measure.objects.get(pk=measure.pk)
    assert saved.total == 24 and saved.how == CompletedHow.TOGETHER
    with pytest.raises(DomainError):
        services.measure_answer(actor=cast.team_worker, measure=start(cast, "reqol10"), position=1, value=5)


def test_discarding_deletes_only_the_draft(cast: Cast) -> None:
    kept = answer_all(start(cast), cast.person_user, {1: 5})
    services.measure_complete(actor=cast.person_user, measure=kept)
    draft = answer_all(start(cast), cast.person_user, {1: 2})
    services.measure_discard(actor=cast.person_user, measure=draft)
    assert list(Measure.objects.values_list("pk", flat=True)) == [kept.pk]
    assert events(detail__discarded=True, detail__measure=str(draft.pk)).exists()


# Goal Based Outcomes ------------------------------------------------------------------------------------


@pytest.fixture
def plan_goal(cast: Cast) -> Goal:
    return plans.goal_add(actor=cast.allocated_worker, person=cast.person, words="Sleep better", outcome="recover")


def test_goals_come_from_the_plan_or_new_words_which_are_added_to_the_plan(cast: Cast, plan_goal: Goal) -> None:
    before = Plan.objects.get(person=cast.person).version_number
    measure = start(cast, "gbo")
    assert measure.goals == {}
    measure = services.measure_goals_set(
        actor=cast.person_user,
        measure=measure,
        goals=[(None, plan_goal.pk), GoalWords("Go swimming  every week", outcome=BigThree.PARTICIPATE)],
    )
    new = Goal.objects.exclude(pk=plan_goal.pk).get(plan__person=cast.person)
    assert new.words == "Go swimming  every week" and new.outcome == BigThree.PARTICIPATE
    assert new.created_by == cast.person_user
    assert measure.goals == {
        "goal_1": {"words": "Sleep better", "goal_id": str(plan_goal.pk)},
        "goal_2": {"words": "Go swimming  every week", "goal_id": str(new.pk)},
    }
    assert Plan.objects.get(person=cast.person).version_number == before + 1
    assert events(parts=["plan"], detail__added="goal", detail__goal=str(new.pk)).exists()
    assert events(parts=["measures"], detail__added_to_plan=[str(new.pk)]).exists()
    # Only the goals can be rated.
    with pytest.raises(DomainError):
        services.measure_answer(actor=cast.person_user, measure=measure, position=3, value=5)


def test_new_words_that_are_a_plan_goal_are_that_goal_and_may_stay_out_of_the_plan(cast: Cast, plan_goal: Goal) -> None:
    measure = services.measure_goals_set(
        actor=cast.person_user,
        measure=start(cast, "gbo"),
        goals=[("sleep  BETTER", None), ("Cook for friends", None)],
        add_to_plan=False,
    )
    assert measure.goals == {
        "goal_1": {"words": "Sleep better", "goal_id": str(plan_goal.pk)},
        "goal_2": {"words": "Cook for friends", "goal_id": None},
    }
    assert Goal.objects.filter(plan__person=cast.person).count() == 1


@pytest.mark.parametrize(
    ("goals", "code"),
    [
        ([], "goals_missing"),
        ([("   ", None)], "goals_missing"),
        ([("One", None), ("Two", None), ("Three", None), ("Four", None)], "too_many_goals"),
        ([("x" * 301, None)], "goal_too_long"),
        ([("Walk more", None), ("walk  more", None)], "goal_twice"),
    ],
)
def test_goals_are_checked(cast: Cast, goals: list[Any], code: str) -> None:
    measure = start(cast, "gbo")
    with pytest.raises(DomainError) as error:
        services.measure_goals_set(actor=cast.person_user, measure=measure, goals=goals)
    assert error.value.code == code and error.value.field == "goals"
    assert Measure.objects.get(pk=measure.pk).goals == {}
    assert not Goal.objects.exists()


def test_a_goal_of_someone_elses_plan_is_refused(cast: Cast) -> None:
    other_plan = Plan.objects.create(person=make_person(cast.site, "Jo"))
    other = Goal.objects.create(plan=other_plan, words="Mine", outcome=BigThree.RECOVER)
    with pytest.raises(DomainError) as error:
        services.measure_goals_set(actor=cast.person_user, measure=start(cast, "gbo"), goals=[("", other.pk)])
    assert error.value.code == "goal_not_in_plan"


def test_a_goal_that_stays_keeps_its_rating_and_a_goal_taken_out_loses_it(cast: Cast, plan_goal: Goal) -> None:
    measure = services.measure_goals_set(
        actor=cast.person_user, measure=start(cast, "gbo"), goals=[("Cook for friends", None), ("", plan_goal.pk)]
    )
    measure = answer_all(measure, cast.person_user, {1: 2, 2: 6})
    cook = Goal.objects.get(words="Cook for friends")
    measure = services.measure_goals_set(
        actor=cast.person_user, measure=measure, goals=[("", plan_goal.pk), ("", cook.pk), ("Walk the dog", None)]
    )
    assert measure.answers == {"goal_1": 6, "goal_2": 2}
    measure = services.measure_goals_set(actor=cast.person_user, measure=measure, goals=[("", cook.pk)])
    assert measure.answers == {"goal_1": 2}
    assert list(measure.goals) == ["goal_1"]


def test_goal_based_outcomes_start_with_the_goals_of_the_last_one_but_not_their_ratings(
    cast: Cast, plan_goal: Goal
) -> None:
    first = services.measure_goals_set(
        actor=cast.person_user,
        measure=start(cast, "gbo"),
        goals=[("", plan_goal.pk), ("Cook", None)],
        add_to_plan=False,
    )
    first = answer_all(first, cast.person_user, {1: 3, 2: 4})
    services.measure_complete(actor=cast.person_user, measure=first)
    second = start(cast, "gbo")
    assert second.goals == first.goals and second.answers == {}
    assert second.occasion == Occasion.CHECK_IN


def test_goal_based_outcomes_need_goals_before_they_are_saved(cast: Cast) -> None:
    measure = start(cast, "gbo")
    with pytest.raises(AnswersMissing, match="Choose the goals"):
        services.measure_complete(actor=cast.person_user, measure=measure)
    with pytest.raises(DomainError):
        services.measure_goals_set(actor=cast.person_user, measure=start(cast), goals=[("Walk", None)])


# DIALOG+: areas to talk about and actions ---------------------------------------------------------------


@pytest.fixture
def dialog(cast: Cast) -> Measure:
    measure = start(cast, actor=cast.allocated_worker)
    measure = answer_all(measure, cast.allocated_worker, {1: 3, 6: 2, 8: 5}, more_help=True)
    return services.measure_complete(actor=cast.allocated_worker, measure=measure)


def test_choosing_areas_is_for_a_finished_dialog_and_up_to_three(cast: Cast, dialog: Measure) -> None:
    draft = start(cast)
    with pytest.raises(DomainError, match="Save the answers"):
        services.dialog_topics_choose(actor=cast.person_user, measure=draft, keys=["friendships"])
    for keys, code in (
        (["friendships", "friendships"], "topic_twice"),
        (["friendships", "accommodation", "medication", "meetings"], "too_many_topics"),
        (["cooking"], "unknown_topic"),
    ):
        with pytest.raises(DomainError) as error:
            services.dialog_topics_choose(actor=cast.person_user, measure=dialog, keys=keys)
        assert error.value.code == code
    chosen = services.dialog_topics_choose(actor=cast.person_user, measure=dialog, keys=[])
    assert chosen.topics == []  # not today


def test_the_four_steps_become_actions_in_the_living_well_plan(cast: Cast, dialog: Measure) -> None:
    measure = services.dialog_topics_choose(
        actor=cast.allocated_worker, measure=dialog, keys=["friendships", "mental_health"]
    )
    assert [t["key"] for t in measure.topics] == ["friendships", "mental_health"]
    plan_before = Plan.objects.filter(person=cast.person).values_list("version_number", flat=True).first() or 0
    due = timezone.localdate() + dt.timedelta(days=14)
    measure = services.dialog_topic_record(
        actor=cast.allocated_worker,
        measure=measure,
        key="friendships",
        understanding="Lost touch since moving",
        looking_forward="Seeing one friend a week",
        actions=[
            AgreedAction(what="Text Sam about the football", owner=ActionOwner.PERSON, due=due),
            AgreedAction(what="Find a walking group", owner=ActionOwner.WORKER, owner_worker=cast.allocated_worker),
        ],
    )
    actions = list(PlanAction.objects.filter(plan__person=cast.person).order_by("created_at"))
    assert [(a.what, a.owner, a.owner_worker, a.due) for a in actions] == [
        ("Text Sam about the football", ActionOwner.PERSON, None, due),
        ("Find a walking group", ActionOwner.WORKER, cast.allocated_worker, None),
    ]
    assert Plan.objects.get(person=cast.person).version_number == plan_before + 2
    topic = measure.topics[0]
    assert topic["understanding"] == "Lost touch since moving" and topic["exploring_options"] == ""
    assert topic["actions"] == [str(a.pk) for a in actions]
    assert [(a["what"], a["who"], a["due"]) for a in topic["agreed"]] == [
        ("Text Sam about the football", "", due.isoformat()),
        ("Find a walking group", "Allocated Peer", None),
    ]
    assert topic["recorded_at"]
    assert events(parts=["plan"], detail__added="action").count() == 2
    assert events(parts=["measures"], detail__topic="friendships").exists()
    # Choosing again keeps what was written for an area already talked about, first, even when it is
    # not chosen again: a conversation that happened is not unsaid.
    again = services.dialog_topics_choose(
        actor=cast.person_user, measure=measure, keys=["mental_health", "friendships"]
    )
    assert again.topics[0] == topic and again.topics[1]["key"] == "mental_health"
    again = services.dialog_topics_choose(actor=cast.person_user, measure=measure, keys=["medication"])
    assert [t["key"] for t in again.topics] == ["friendships", "medication"] and again.topics[0] == topic
    with pytest.raises(DomainError) as raised:
        services.dialog_topics_choose(
            actor=cast.person_user, measure=measure, keys=["medication", "meetings", "accommodation"]
        )
    assert raised.value.code == "too_many_topics" and "choose up to 2 more" in raised.value.message


def test_the_same_area_sent_twice_adds_its_actions_once_and_a_later_save_by_someone_else_is_a_conflict(
    cast: Cast, dialog: Measure
) -> None:
    measure = services.dialog_topics_choose(actor=cast.person_user, measure=dialog, keys=["friendships"])
    opened_at = measure.version
    sent = {
        "actor": cast.person_user,
        "key": "friendships",
        "understanding": "Lost touch since moving",
        "actions": [services.AgreedAction(what="Text Sam about the football")],
        "expected_version": opened_at,
    }
    services.dialog_topic_record(measure=measure, **sent)
    # A double click or a reload sends the same page again: nothing more is added.
    services.dialog_topic_record(measure=Measure.objects.get(pk=measure.pk), **sent)
    assert PlanAction.objects.filter(plan__person=cast.person, what="Text Sam about the football").count() == 1
    # The worker, on a page opened before, writes something else: a conflict with both, nothing saved.
    with pytest.raises(EditConflict) as raised:
        services.dialog_topic_record(
            actor=cast.allocated_worker,
            measure=Measure.objects.get(pk=measure.pk),
            key="friendships",
            understanding="Alex misses the football club",
            expected_version=opened_at,
        )
    mine_theirs = {(f.mine, f.theirs) for f in raised.value.fields}
    assert ("Alex misses the football club", "Lost touch since moving") in mine_theirs
    saved = Measure.objects.get(pk=measure.pk)
    assert saved.topics[0]["understanding"] == "Lost touch since moving"


def test_an_area_needs_some_words_or_an_action(cast: Cast, dialog: Measure) -> None:
    measure = services.dialog_topics_choose(actor=cast.person_user, measure=dialog, keys=["friendships"])
    with pytest.raises(DomainError) as error:
        services.dialog_topic_record(actor=cast.person_user, measure=measure, key="friendships", understanding="  ")
    assert error.value.code == "topic_empty"
    with pytest.raises(DomainError) as error:
        services.dialog_topic_record(
            actor=cast.person_user, measure=measure, key="medication", actions=[AgreedAction("Ask the GP")]
        )
    assert error.value.code == "topic_not_chosen"
    assert not PlanAction.objects.exists()


def test_agreed_actions_are_checked_and_nothing_is_added_when_one_is_wrong(cast: Cast, dialog: Measure) -> None:
    measure = services.dialog_topics_choose(actor=cast.person_user, measure=dialog, keys=["friendships"])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    cases = [
        (
            AgreedAction("Ring Jo", owner=ActionOwner.WORKER, owner_worker=cast.other_team_worker),
            "action_2_owner_worker",
        ),
        (AgreedAction("Ring Jo", owner=ActionOwner.WORKER), "action_2_owner_worker"),
        (AgreedAction("Ring Jo", due=yesterday), "action_2_due"),
        (AgreedAction("Ring Jo", owner=ActionOwner.NETWORK), "action_2_owner"),
        (AgreedAction("   "), "action_2_what"),
    ]
    for wrong, field in cases:
        with pytest.raises(DomainError) as error:
            services.dialog_topic_record(
                actor=cast.person_user, measure=measure, key="friendships", actions=[AgreedAction("Fine"), wrong]
            )
        assert error.value.field == field
    assert not PlanAction.objects.exists()
    assert Measure.objects.get(pk=measure.pk).topics[0]["actions"] == []


# Who may complete measures ------------------------------------------------------------------------------

ALLOWED = {"person_user": "self", "team_worker": "team", "allocated_worker": "allocated", "team_leader": "team"}
REFUSED = ["consent_worker", "other_team_worker", "stranger", "coordinator", "analyst", "psychiatrist"]


@pytest.mark.parametrize(("who", "basis"), ALLOWED.items())
def test_the_person_their_team_and_their_worker_complete_measures(cast: Cast, who: str, basis: str) -> None:
    actor = getattr(cast, who)
    measure = services.measure_answer(actor=actor, measure=start(cast, actor=actor), position=1, value=4)
    services.measure_complete(actor=actor, measure=measure)
    allowed = events(actor=actor, parts=["measures"], outcome=Outcome.ALLOWED)
    assert allowed.count() == 3 and {e.basis for e in allowed} == {basis}


@pytest.mark.parametrize("who", REFUSED)
def test_anyone_else_is_refused_and_the_refusal_is_audited(cast: Cast, who: str) -> None:
    actor = getattr(cast, who)
    with pytest.raises(AccessRefused):
        start(cast, actor=actor)
    draft = answer_all(start(cast), cast.person_user, {1: 4})
    attempts = [
        lambda: services.measure_answer(actor=actor, measure=draft, position=2, value=4),
        lambda: services.measure_goals_set(actor=actor, measure=draft, goals=[("Walk", None)]),
        lambda: services.measure_complete(actor=actor, measure=draft),
        lambda: services.measure_discard(actor=actor, measure=draft),
        lambda: services.dialog_topics_choose(actor=actor, measure=draft, keys=[]),
        lambda: services.dialog_topic_record(actor=actor, measure=draft, key="mental_health", understanding="x"),
    ]
    for attempt in attempts:
        with pytest.raises(AccessRefused):
            attempt()
    refusals = events(actor=actor, outcome=Outcome.REFUSED)
    assert refusals.count() == 7
    assert all(e.parts == ["measures"] and e.person_id == cast.person.pk for e in refusals)
    assert {e.action for e in refusals} == {Action.CREATE, Action.CHANGE}
    assert not events(actor=actor, outcome=Outcome.ALLOWED).exists()
    assert Measure.objects.get(pk=draft.pk).answers == {"mental_health": 4}
