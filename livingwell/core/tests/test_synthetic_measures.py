"""Measures on the synthetic site: at realistic times, scored by the scoring engine, with plausible change.

The tests share one site of 800 people (built once for the module and rolled back after it), as the
tests of a year of Living Well do in test_synthetic.py.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from livingwell.access.models import FirstConversation
from livingwell.core.synthetic import build_site, demo_sign_in
from livingwell.core.synthetic.demo import PLACEHOLDER_SOURCE
from livingwell.network.models import Site
from livingwell.outcomes.change import Direction, change_lines
from livingwell.outcomes.instruments import get_instrument
from livingwell.outcomes.models import CompletedHow, InstrumentWording, Measure, MeasureStatus, Occasion
from livingwell.outcomes.wording import worded, wording_load
from livingwell.people.models import Person
from livingwell.support.models import Goal, MovingOn, PlanAction, PlanVersion, Review

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 31)
ANCHOR = dt.datetime(2026, 3, 31, tzinfo=ZoneInfo("Europe/London"))
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def site(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Site]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        result = build_site(people=800, seed=13, today=TODAY)
        yield result.site
        transaction.set_rollback(True)


def finished() -> list[Measure]:
    return list(
        Measure.objects.select_related("person")
        .filter(status=MeasureStatus.COMPLETE)
        .order_by("person_id", "completed_at")
    )


def test_every_finished_measure_is_scored_by_the_scoring_engine(site: Site) -> None:
    measures = finished()
    assert len(measures) > 800
    for measure in measures:
        score = get_instrument(measure.instrument, measure.instrument_version).score_by_key(measure.answers)
        assert (measure.total, measure.metric, measure.subscales) == (
            score.total,
            score.metric_decimal,
            score.subscales,
        ), measure.pk
        assert measure.started_at < measure.completed_at < ANCHOR  # type: ignore[operator]
        assert measure.completed_by_id is not None and measure.started_by_id == measure.completed_by_id
    counts = Counter(m.instrument for m in measures)
    assert set(counts) == {"dialog", "gbo", "swemwbs", "reqol10", "experience"}
    assert counts["dialog"] > counts["gbo"] > counts["swemwbs"] > counts["reqol10"]


def test_measures_are_taken_at_the_first_conversation_reviews_and_moving_on(site: Site) -> None:
    measures = finished()
    occasions = Counter((m.instrument, m.occasion) for m in measures)
    assert occasions[("dialog", Occasion.FIRST_CONVERSATION)] > occasions[("dialog", Occasion.REVIEW)] > 0
    assert occasions[("dialog", Occasion.MOVING_ON)] > 0 and occasions[("gbo", Occasion.REVIEW)] > 0
    assert {o for (code, o) in occasions if code == "experience"} == {Occasion.MOVING_ON}
    conversations = dict(FirstConversation.objects.values_list("support_period_id", "held_at"))
    reviews = defaultdict(set)
    for person_id, held_on in Review.objects.values_list("plan__person_id", "held_on"):
        reviews[person_id].add(held_on)
    moved_on = dict(MovingOn.objects.values_list("support_period_id", "moved_on_at"))
    for m in measures:
        assert m.completed_at is not None
        if m.occasion == Occasion.FIRST_CONVERSATION:
            held = conversations[m.support_period_id]
            assert held < m.completed_at < held + dt.timedelta(hours=1)
        elif m.occasion == Occasion.REVIEW:
            assert m.completed_at.astimezone(LONDON).date() in reviews[m.person_id]
        elif m.occasion == Occasion.MOVING_ON:
            ended = moved_on[m.support_period_id]
            assert ended - dt.timedelta(hours=1) <= m.completed_at < ended
    # Most are completed together with a worker; the people on the synthetic site have no sign-in.
    assert {m.how for m in measures if m.person.user_id is None} == {CompletedHow.TOGETHER}


def test_goal_based_outcomes_rate_the_goals_of_the_persons_plan(site: Site) -> None:
    gbo = [m for m in finished() if m.instrument == "gbo"]
    goals = {str(g.pk): (g.plan.person_id, g.words) for g in Goal.objects.select_related("plan")}
    for m in gbo:
        assert m.goals and set(m.goals) == {k for k, v in m.answers.items() if v is not None}
        assert set(m.goals) <= {"goal_1", "goal_2", "goal_3"}
        for goal in m.goals.values():
            assert goals[goal["goal_id"]] == (m.person_id, goal["words"])


def test_change_is_plausible_mostly_a_little_better_some_reliably_some_worse(site: Site) -> None:
    series: dict[tuple[object, str], list[Measure]] = defaultdict(list)
    for m in finished():
        series[(m.person_id, m.instrument)].append(m)
    directions: dict[str, Counter[Direction]] = defaultdict(Counter)
    for (_, code), measures in series.items():
        for line in change_lines(measures):
            if line.direction is not None and (code != "dialog" or line.key == "quality_of_life"):
                directions[code][line.direction] += 1
    dialog = directions["dialog"]
    total = sum(dialog.values())
    assert total > 80
    assert 0.15 < dialog[Direction.IMPROVEMENT] / total < 0.6
    assert 0.01 < dialog[Direction.DETERIORATION] / total < dialog[Direction.IMPROVEMENT] / total
    assert dialog[Direction.NO_CHANGE] / total > 0.3
    goals = directions["gbo"]
    assert goals[Direction.IMPROVEMENT] > goals[Direction.DETERIORATION]
    assert sum(directions["swemwbs"].values()) + sum(directions["reqol10"].values()) > 10


def test_dialog_plus_conversations_became_actions_in_the_plan(site: Site) -> None:
    talked = [m for m in finished() if m.topics]
    assert len(talked) > 20
    assert all(m.instrument == "dialog" and m.occasion == Occasion.REVIEW for m in talked)
    keys = set(get_instrument("dialog").keys)
    actions = set()
    for m in talked:
        assert 1 <= len(m.topics) <= 3
        for topic in m.topics:
            assert topic["key"] in keys and topic["key"] in m.more_help
            assert all(topic[step] for step in ("understanding", "looking_forward", "exploring_options"))
            assert topic["agreeing_actions"]
            assert dt.datetime.fromisoformat(topic["recorded_at"]) > m.completed_at  # type: ignore[operator]
            actions |= {(m.person_id, a) for a in topic["actions"]}
    assert actions
    found = {(p, str(a)) for a, p in PlanAction.objects.values_list("id", "plan__person_id")}
    assert actions <= found  # each action is in the person's own plan
    # And the plan's history has them.
    some_person, some_action = sorted(actions, key=str)[0]
    latest = PlanVersion.objects.filter(plan__person_id=some_person).order_by("-number").first()
    assert latest is not None and some_action in {a["id"] for a in latest.snapshot["actions"]}


def test_a_few_forms_are_started_and_not_finished(site: Site) -> None:
    drafts = list(Measure.objects.filter(status=MeasureStatus.DRAFT))
    assert drafts
    for draft in drafts:
        assert draft.completed_at is None and draft.total is None and draft.subscales == {}
        assert 0 < len(draft.answers) < len(get_instrument(draft.instrument).items)
        assert ANCHOR - dt.timedelta(days=21) < draft.started_at < ANCHOR
    draft = drafts[0]
    with pytest.raises(IntegrityError), transaction.atomic():  # one draft per person and instrument
        Measure.objects.create(
            person_id=draft.person_id,
            instrument=draft.instrument,
            instrument_version="1",
            started_at=ANCHOR,
            status=MeasureStatus.DRAFT,
        )


def test_the_demo_person_has_dialog_goals_and_a_draft_the_same_every_time(site: Site) -> None:
    person = Person.objects.get(user__email=demo_sign_in(None).email)
    measures = list(Measure.objects.filter(person=person).order_by("started_at"))
    dialog = [m for m in measures if m.instrument == "dialog" and m.status == MeasureStatus.COMPLETE]
    assert [m.occasion for m in dialog] == [Occasion.FIRST_CONVERSATION, Occasion.REVIEW, Occasion.CHECK_IN]
    assert [m.answers["friendships"] for m in dialog] == [2, 3, 4]
    assert dialog[-1].how == CompletedHow.OWN and dialog[-1].completed_by_id == person.user_id
    lines = {line.key: line for line in change_lines(dialog)}
    assert lines["item:leisure_activities"].direction == Direction.IMPROVEMENT
    assert lines["item:physical_health"].direction == Direction.DETERIORATION
    assert lines["item:partner_family"].direction == Direction.NO_CHANGE
    assert "item:medication" not in lines  # they are not on medication
    review = dialog[1]
    assert [t["key"] for t in review.topics] == ["friendships", "job_situation"]
    actions = PlanAction.objects.filter(pk__in=[a for t in review.topics for a in t["actions"]], plan__person=person)
    assert actions.count() == 2
    gbo = [m for m in measures if m.instrument == "gbo"]
    assert [list(m.answers.values()) for m in gbo] == [[2, 3, 1], [4, 6, 1], [6, 7, 3]]
    goal_ids = {g["goal_id"] for m in gbo for g in m.goals.values()}
    assert Goal.objects.filter(pk__in=goal_ids, plan__person=person).count() == 3
    assert [m.metric for m in measures if m.instrument == "swemwbs"] == [Decimal("16.88"), Decimal("18.59")]
    drafts = [m for m in measures if m.status == MeasureStatus.DRAFT]
    assert len(drafts) == 1 and drafts[0].instrument == "dialog" and drafts[0].started_by_id == person.user_id
    assert ANCHOR - dt.timedelta(days=3) < drafts[0].started_at < ANCHOR


def test_seed_demo_loads_placeholder_wording_and_never_replaces_real_wording(site: Site) -> None:
    swemwbs = get_instrument("swemwbs")
    wording_load(
        data={
            "instrument": "swemwbs",
            "source": "Our licence",
            "items": {str(i.position): f"Licensed {i.position}" for i in swemwbs.items},
            "options": {str(v): f"Licensed response {v}" for v in range(1, 6)},
        }
    )
    out = io.StringIO()
    call_command("seed_demo", people=800, seed=13, stdout=out)
    assert "already built" in out.getvalue()
    assert "Loaded placeholder wording for reqol10" in out.getvalue()
    reqol = worded(get_instrument("reqol10"))
    assert reqol is not None
    assert reqol.text(get_instrument("reqol10").item_at(1)) == "Placeholder statement 1 – load your licensed wording"  # noqa: RUF001
    assert InstrumentWording.objects.get(instrument="reqol10").source == PLACEHOLDER_SOURCE
    assert InstrumentWording.objects.get(instrument="swemwbs").source == "Our licence"  # left alone
    out = io.StringIO()
    call_command("seed_demo", people=800, seed=13, stdout=out)
    assert "placeholder" not in out.getvalue()  # nothing left to load
