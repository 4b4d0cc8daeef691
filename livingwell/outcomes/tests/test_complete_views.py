"""The pages for completing a measure, through the HTML: a person completing DIALOG+ on their own pages,
stopping half-way and carrying on, a worker completing Goal Based Outcomes with the person, the check
page naming what is missing, the experience questions at moving on, and who may open each page
(refusals are 403s and audited; an unknown measure, or another person's, is a 404).

Licensed wording here is placeholder text: the licensed words never ship with Living Well.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from html import unescape
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from livingwell.access import presenters as access_presenters
from livingwell.access import selectors as access_selectors
from livingwell.access.models import ConversationOutcome, FirstConversation, Introduction, Place
from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.outcomes.models import CompletedHow, Measure, MeasureStatus, Occasion
from livingwell.outcomes.services import measures as services
from livingwell.outcomes.tests.test_complete_services import placeholder_wording
from livingwell.outcomes.wording import wording_load
from livingwell.support.models import ActionOwner, BigThree, Goal, MovingOnReason, PlanAction, SupportPeriod
from livingwell.support.services import moving_on, plans
from livingwell.testing import Cast

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    """The page's text, tags dropped and spaces collapsed, for asserting on what people read."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def main(response: Any) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def url(name: str, person: Any, *args: Any) -> str:
    return reverse(f"measures:{name}", args=[person.pk, *args])


def checked(response: Any, name: str) -> list[str]:
    """The values of the ticked radios or checkboxes called `name`."""
    found = re.findall(r"<input[^>]*>", response.content.decode())
    return [
        re.search(r'value="([^"]*)"', tag).group(1)  # type: ignore[union-attr]
        for tag in found
        if f'name="{name}"' in tag and re.search(r"\schecked\b", tag)
    ]


# A person completes DIALOG+ on their own pages -----------------------------------------------------------


def version_of(measure: Measure) -> int:
    """The version a page opened now would carry (the hidden field on the DIALOG+ area pages)."""
    return Measure.objects.values_list("version", flat=True).get(pk=measure.pk)


def test_a_person_completes_dialog_plus_and_their_actions_go_into_their_plan(cast: Cast) -> None:
    person = cast.person
    client = client_for(cast.person_user)

    page = client.get(url("start", person))
    assert page.status_code == 200
    assert "<h1>Say how things are going</h1>" in main(page)
    assert "There are no right or wrong answers" in text(page)
    assert "Your experience of Living Well" not in text(page)  # asked at moving on, not now

    started = client.post(url("start", person), {"instrument": "dialog"})
    measure = Measure.objects.get(person=person)
    assert started.status_code == 302 and started["Location"] == url("question", person, measure.pk, 1)
    assert measure.how == CompletedHow.OWN and measure.occasion == Occasion.FIRST_CONVERSATION

    first = client.get(url("question", person, measure.pk, 1))
    assert first.status_code == 200
    assert "DIALOG: question 1 of 11" in text(first)
    assert "How satisfied are you with your mental health?" in text(first)
    assert "1: Totally dissatisfied" in text(first) and "7: Totally satisfied" in text(first)
    assert "Do you need more help in this area?" in text(first)
    assert "Skip this question" in text(first) and "Save and come back later" in text(first)
    assert f'href="{url("overview", person)}"' in first.content.decode()  # Back: to their measures

    # Continue without an answer: the error summary and the message by the question; what was said is kept.
    missing = client.post(url("question", person, measure.pk, 1), {"choice": "continue", "more_help": "yes"})
    assert missing.status_code == 200
    assert "There is a problem" in text(missing)
    assert text(missing).count("Choose how satisfied you are with your mental health") == 2
    assert checked(missing, "more_help") == ["yes"]
    assert Measure.objects.get(pk=measure.pk).answers == {}

    answered = client.post(
        url("question", person, measure.pk, 1), {"choice": "continue", "answer": "3", "more_help": "yes"}
    )
    assert answered["Location"] == url("question", person, measure.pk, 2)
    skipped = client.post(url("question", person, measure.pk, 2), {"choice": "skip", "answer": "5"})
    assert skipped["Location"] == url("question", person, measure.pk, 3)
    for position, value in ((3, "4"), (6, "2"), (9, "6")):
        client.post(url("question", person, measure.pk, position), {"choice": "continue", "answer": value})
    last = client.post(
        url("question", person, measure.pk, 11), {"choice": "continue", "answer": "5", "more_help": "no"}
    )
    assert last["Location"] == url("check", person, measure.pk)
    measure.refresh_from_db()
    assert measure.answers == {
        "mental_health": 3,
        "physical_health": None,
        "job_situation": 4,
        "friendships": 2,
        "medication": 6,
        "meetings": 5,
    }
    assert measure.more_help == {"mental_health": True, "meetings": False}

    check = client.get(url("check", person, measure.pk))
    assert "<h1>Check your answers</h1>" in main(check)
    page_text = text(check)
    assert "3: Fairly dissatisfied You would like more help with this" in page_text
    assert "Skipped" in page_text and "Not answered yet" in page_text
    assert "No more help needed" in page_text

    # Change an answer from the check page: back to the check page after it.
    change = client.get(url("question", person, measure.pk, 6) + "?change=1")
    assert checked(change, "answer") == ["2"]
    assert f'href="{url("check", person, measure.pk)}"' in change.content.decode()
    changed = client.post(url("question", person, measure.pk, 6) + "?change=1", {"choice": "continue", "answer": "1"})
    assert changed["Location"] == url("check", person, measure.pk)

    saved = client.post(url("check", person, measure.pk))
    assert saved["Location"] == url("topics", person, measure.pk)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.COMPLETE and measure.completed_by == cast.person_user
    assert measure.subscales == {"quality_of_life": pytest.approx(8 / 3), "treatment_satisfaction": 5.5}

    topics = client.get(url("topics", person, measure.pk))
    assert "<h1>Which areas would you like to talk about?</h1>" in main(topics)
    order = re.findall(r'name="keys" type="checkbox" value="([a-z_]+)"', topics.content.decode())
    # More help first, then the lowest rated, then those not rated; "not today" at the end.
    assert order[:4] == ["mental_health", "friendships", "job_situation", "meetings"]
    assert order[-1] == "none" and len(order) == 12
    assert "You rated it 3: Fairly dissatisfied. You said you would like more help." in text(topics)

    too_many = client.post(
        url("topics", person, measure.pk), {"keys": ["mental_health", "friendships", "job_situation", "meetings"]}
    )
    assert "Choose up to 3 areas to talk about" in text(too_many)
    assert checked(too_many, "keys") == ["mental_health", "friendships", "job_situation", "meetings"]
    both = client.post(url("topics", person, measure.pk), {"keys": ["friendships", "none"]})
    assert "Choose areas to talk about, or choose not today, not both" in text(both)

    chosen = client.post(url("topics", person, measure.pk), {"keys": ["friendships", "mental_health"]})
    assert chosen["Location"] == url("topic", person, measure.pk, "friendships")

    topic = client.get(url("topic", person, measure.pk, "friendships"))
    assert "<h1>Friendships</h1>" in main(topic)
    assert "Area 1 of 2 to talk about" in text(topic)
    assert "You rated it 1: Totally dissatisfied." in text(topic)
    assert "Understanding: what is going well, and what is hard?" in text(topic)
    assert "Agreeing actions: what will be done, by whom, and by when?" in text(topic)

    words = "I see nobody\nsince I moved"
    wrong = client.post(
        url("topic", person, measure.pk, "friendships"),
        {
            "version": version_of(measure),
            "understanding": words,
            "action_1_what": "Find a walking group",
            "action_1_owner": "worker",
        },
    )
    assert wrong.status_code == 200
    assert "Choose the worker who will do action 1" in text(wrong)
    assert "\n" + words + "</textarea>" in wrong.content.decode()  # kept exactly as typed
    assert not PlanAction.objects.exists()

    recorded = client.post(
        url("topic", person, measure.pk, "friendships"),
        {
            "version": version_of(measure),
            "understanding": words,
            "action_1_what": "Find a walking group",
            "action_1_owner": "worker",
            "action_1_owner_worker": str(cast.allocated_worker.pk),
        },
    )
    assert recorded["Location"] == url("topic", person, measure.pk, "mental_health")
    due = timezone.localdate() + dt.timedelta(days=7)
    finished = client.post(
        url("topic", person, measure.pk, "mental_health"),
        {
            "version": version_of(measure),
            "looking_forward": "Sleeping through",
            "action_2_what": "Ask the GP about sleep",
            "action_2_owner": "person",
            "action_2_due_0": str(due.day),
            "action_2_due_1": str(due.month),
            "action_2_due_2": str(due.year),
        },
    )
    assert finished["Location"] == url("detail", person, measure.pk)
    assert said(finished) == ["2 actions were added to your Living Well plan"]
    actions = {a.what: a for a in PlanAction.objects.filter(plan__person=person)}
    assert actions["Find a walking group"].owner == ActionOwner.WORKER
    assert actions["Find a walking group"].owner_worker == cast.allocated_worker
    assert (
        actions["Ask the GP about sleep"].owner == ActionOwner.PERSON and actions["Ask the GP about sleep"].due == due
    )
    measure.refresh_from_db()
    assert [t["understanding"] for t in measure.topics] == [words, ""]

    # Coming back to an area shows what was added, and does not add it twice.
    again = client.get(url("topic", person, measure.pk, "friendships"))
    assert "Already added to your Living Well plan" in text(again) and "Find a walking group" in text(again)


def test_a_person_stops_half_way_and_carries_on_where_they_left_off(cast: Cast) -> None:
    person = cast.person
    client = client_for(cast.person_user)
    client.post(url("start", person), {"instrument": "dialog"})
    measure = Measure.objects.get(person=person)
    client.post(url("question", person, measure.pk, 1), {"choice": "continue", "answer": "4"})
    client.post(url("question", person, measure.pk, 2), {"choice": "skip"})
    later = client.post(url("question", person, measure.pk, 3), {"choice": "later", "answer": "6"})
    assert later["Location"] == url("overview", person)
    assert said(later) == ["Your answers are saved. You can carry on where you left off from this page"]
    measure.refresh_from_db()
    assert measure.answers == {"mental_health": 4, "physical_health": None, "job_situation": 6}

    # Leaving a page with nothing chosen on it saves nothing more.
    client.post(url("question", person, measure.pk, 4), {"choice": "later"})
    measure.refresh_from_db()
    assert "accommodation" not in measure.answers

    start = client.get(url("start", person))
    assert "Carry on with DIALOG" in text(start)
    assert f'href="{url("question", person, measure.pk, 4)}"' in start.content.decode()
    assert "You can carry on where you left off" in text(start)
    resumed = client.post(url("start", person), {"instrument": "dialog"})
    assert resumed["Location"] == url("question", person, measure.pk, 4)
    assert Measure.objects.filter(person=person).count() == 1
    third = client.get(url("question", person, measure.pk, 3))
    assert checked(third, "answer") == ["6"]
    assert f'href="{url("question", person, measure.pk, 2)}"' in third.content.decode()  # Back


# A worker completes Goal Based Outcomes with the person ---------------------------------------------------


def test_a_worker_completes_goal_based_outcomes_with_the_person_at_a_review(cast: Cast) -> None:
    person = cast.person
    sleep = plans.goal_add(actor=cast.person_user, person=person, words="Sleep better", outcome=BigThree.RECOVER)
    client = client_for(cast.allocated_worker)

    start = client.get(url("start", person) + "?instrument=gbo&occasion=review")
    assert "<h1>Complete a measure with Alex Morgan</h1>" in main(start)
    assert checked(start, "instrument") == ["gbo"] and checked(start, "occasion") == ["review"]
    started = client.post(url("start", person), {"instrument": "gbo", "occasion": "review"})
    measure = Measure.objects.get(person=person)
    assert started["Location"] == url("goals", person, measure.pk)
    assert measure.how == CompletedHow.TOGETHER and measure.occasion == Occasion.REVIEW

    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    goals = client.get(url("goals", person, measure.pk))
    assert "<h1>What are Alex Morgan&#39;s goals?</h1>" in main(goals)
    assert "Goals in Alex Morgan's Living Well plan" in text(goals) and "Sleep better" in text(goals)
    looked = AuditEvent.objects.filter(pk__gt=mark, action=Action.VIEW)
    assert {tuple(e.parts) for e in looked} == {("measures",), ("plan",)}

    none = client.post(url("goals", person, measure.pk), {"add_to_plan": "on"})
    assert "Choose or write at least one goal" in text(none)
    assert 'href="#id_plan_goals"' in none.content.decode()  # the summary links to the goals
    four = client.post(
        url("goals", person, measure.pk),
        {"plan_goals": [str(sleep.pk)], "new_1": "Cook", "new_2": "Walk", "new_3": "Swim", "add_to_plan": "on"},
    )
    assert "Choose up to 3 goals altogether" in text(four)
    assert 'value="Swim"' in four.content.decode()  # what was typed is kept

    chosen = client.post(
        url("goals", person, measure.pk),
        {"plan_goals": [str(sleep.pk)], "new_1": "Cook for friends", "outcome_1": "participate", "add_to_plan": "on"},
    )
    assert chosen["Location"] == url("question", person, measure.pk, 1)
    cook = Goal.objects.get(plan__person=person, words="Cook for friends")
    assert cook.outcome == BigThree.PARTICIPATE

    second = client.get(url("question", person, measure.pk, 2))
    assert '<h1 class="lw-story-text">Cook for friends</h1>' in main(second)
    assert "Alex Morgan, Goal Based Outcomes: goal 2 of 2" in text(second)
    assert "On a scale from 0 to 10, how close are you to reaching this goal?" in text(second)
    assert "nhsuk-radios--inline" in main(second) and "10: goal reached" in text(second)
    assert "Do you need more help" not in text(second)
    assert client.get(url("question", person, measure.pk, 3)).status_code == 404  # only two goals

    client.post(url("question", person, measure.pk, 1), {"choice": "continue", "answer": "7"})
    last = client.post(url("question", person, measure.pk, 2), {"choice": "continue", "answer": "4"})
    assert last["Location"] == url("check", person, measure.pk)
    check = client.get(url("check", person, measure.pk))
    assert "<h1>Check Alex Morgan&#39;s answers</h1>" in main(check)
    assert "Sleep better Cook for friends" in text(check)
    saved = client.post(url("check", person, measure.pk))
    assert saved["Location"] == url("detail", person, measure.pk)
    assert said(saved) == ["Alex Morgan's Goal Based Outcomes answers are saved"]
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.COMPLETE and measure.answers == {"goal_1": 7, "goal_2": 4}
    assert measure.goals["goal_2"] == {"words": "Cook for friends", "goal_id": str(cook.pk)}
    # A finished measure's question pages go to the measure itself.
    assert client.get(url("question", person, measure.pk, 1))["Location"] == url("detail", person, measure.pk)


# The check page names what is missing; licensed wording ---------------------------------------------------


def test_the_check_page_names_each_question_still_to_answer_in_the_sites_wording(cast: Cast) -> None:
    wording_load(data=placeholder_wording("swemwbs"))
    person = cast.person
    client = client_for(cast.person_user)
    client.post(url("start", person), {"instrument": "swemwbs"})
    measure = Measure.objects.get(person=person)
    question = client.get(url("question", person, measure.pk, 3))
    assert "Placeholder statement 3" in text(question) and "Placeholder response 5" in text(question)
    assert "Skip this question" not in text(question)  # every SWEMWBS question is needed for the score
    skipped = client.post(url("question", person, measure.pk, 3), {"choice": "skip"})
    assert skipped.status_code == 200 and "cannot be scored without it" in text(skipped)
    for position in range(1, 7):
        client.post(url("question", person, measure.pk, position), {"choice": "continue", "answer": "3"})
    refused = client.post(url("check", person, measure.pk))
    assert refused.status_code == 200
    assert "There is a problem" in text(refused)
    assert "Answer question 7: Placeholder statement 7" in text(refused)
    assert f'href="{url("question", person, measure.pk, 7)}?change=1"' in refused.content.decode()
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.DRAFT
    client.post(url("question", person, measure.pk, 7) + "?change=1", {"choice": "continue", "answer": "3"})
    saved = client.post(url("check", person, measure.pk))
    assert saved["Location"] == url("detail", person, measure.pk)
    assert Measure.objects.get(pk=measure.pk).total == 21


def test_a_licensed_measure_without_its_wording_is_hidden_from_the_person_and_unavailable_to_staff(
    cast: Cast,
) -> None:
    person = cast.person
    own = client_for(cast.person_user).get(url("start", person))
    assert "SWEMWBS" not in text(own) and "ReQoL-10" not in text(own)
    staff = client_for(cast.team_worker)
    page = staff.get(url("start", person))
    assert "This site has not loaded the wording of SWEMWBS yet. Ask your site administrator to load it." in text(page)
    assert re.search(r'<input[^>]*value="swemwbs"[^>]*disabled', page.content.decode())
    refused = staff.post(url("start", person), {"instrument": "swemwbs"})
    assert refused.status_code == 200 and "There is a problem" in text(refused)
    assert not Measure.objects.exists()


# Discarding a draft, and the experience questions ---------------------------------------------------------


def test_a_draft_can_be_deleted_after_saying_so(cast: Cast) -> None:
    person = cast.person
    client = client_for(cast.person_user)
    measure = services.measure_start(actor=cast.person_user, person=person, instrument="dialog")
    services.measure_answer(actor=cast.person_user, measure=measure, position=1, value=4)
    page = client.get(url("discard", person, measure.pk))
    assert "<h1>Delete these answers?</h1>" in main(page)
    assert "answered 1 question." in text(page)
    deleted = client.post(url("discard", person, measure.pk))
    assert deleted["Location"] == url("overview", person)
    assert said(deleted) == ["The DIALOG answers were deleted"]
    assert not Measure.objects.exists()
    assert client.get(url("discard", person, measure.pk)).status_code == 404


def test_the_experience_questions_at_moving_on(cast: Cast) -> None:
    person = cast.person
    client = client_for(cast.person_user)
    start = client.get(url("start", person) + "?instrument=experience&occasion=moving_on")
    assert checked(start, "instrument") == ["experience"]
    assert re.search(r'<input type="hidden" name="occasion" value="moving_on"', start.content.decode())
    client.post(url("start", person), {"instrument": "experience", "occasion": "moving_on"})
    measure = Measure.objects.get(person=person)
    assert measure.occasion == Occasion.MOVING_ON
    first = client.get(url("question", person, measure.pk, 1))
    assert "Did you plan your own support?" in text(first) and "Yes, to some extent" in text(first)
    client.post(url("question", person, measure.pk, 1), {"choice": "continue", "answer": "3"})
    third = client.get(url("question", person, measure.pk, 3))
    assert "How easy was it to get help?" in text(third) and "Quite easy" in text(third)
    check = client.get(url("check", person, measure.pk))
    assert "<h1>Your experience of Living Well</h1>" in main(check)
    staff = client_for(cast.allocated_worker).get(url("check", person, measure.pk))
    assert "<h1>Alex Morgan&#39;s experience of Living Well</h1>" in main(staff)
    saved = client.post(url("check", person, measure.pk))
    assert said(saved) == ["Thank you. Your answers are saved"]


# Pages that do not fit the measure ------------------------------------------------------------------------


def test_pages_that_do_not_fit_the_measure(cast: Cast) -> None:
    person = cast.person
    client = client_for(cast.person_user)
    draft = services.measure_start(actor=cast.person_user, person=person, instrument="dialog")
    assert client.get(url("question", person, draft.pk, 12)).status_code == 404
    assert client.get(url("goals", person, draft.pk)).status_code == 404
    assert client.get(url("topics", person, draft.pk))["Location"] == url("check", person, draft.pk)
    gbo = services.measure_start(actor=cast.person_user, person=person, instrument="gbo")
    assert client.get(url("question", person, gbo.pk, 1))["Location"] == url("goals", person, gbo.pk)
    assert client.get(url("check", person, gbo.pk))["Location"] == url("goals", person, gbo.pk)
    services.measure_answer(actor=cast.person_user, measure=draft, position=1, value=2)
    services.measure_complete(actor=cast.person_user, measure=draft)
    assert client.get(url("topic", person, draft.pk, "friendships")).status_code == 404  # not chosen
    assert client.get(url("discard", person, draft.pk))["Location"] == url("detail", person, draft.pk)
    assert Measure.objects.filter(pk=draft.pk).exists()


# Who may open each page ----------------------------------------------------------------------------------

ALLOWED = {"person_user": "self", "team_worker": "team", "allocated_worker": "allocated"}
REFUSED = ["consent_worker", "other_team_worker", "stranger", "coordinator", "analyst"]
PAGES = ["start", "goals", "question", "check", "topics", "topic", "discard"]


@pytest.fixture
def measures(cast: Cast) -> dict[str, Measure]:
    """A draft DIALOG, a draft Goal Based Outcomes with a goal, and a finished DIALOG+ with an area chosen."""
    person, actor = cast.person, cast.person_user
    dialog = services.measure_start(actor=actor, person=person, instrument="dialog")
    dialog = services.measure_answer(actor=actor, measure=dialog, position=1, value=5)
    gbo = services.measure_start(actor=actor, person=person, instrument="gbo")
    gbo = services.measure_goals_set(actor=actor, measure=gbo, goals=[("Walk", None)], add_to_plan=False)
    done = Measure.objects.create(
        person=person,
        instrument="dialog",
        instrument_version="1",
        status=MeasureStatus.COMPLETE,
        started_at=timezone.now(),
        completed_at=timezone.now(),
        answers={"friendships": 2},
        topics=[{"key": "friendships", "actions": [], "agreed": []}],
    )
    return {"dialog": dialog, "gbo": gbo, "done": done}


def page_url(page: str, person: Any, measures: dict[str, Measure]) -> str:
    if page == "start":
        return url("start", person)
    if page == "goals":
        return url("goals", person, measures["gbo"].pk)
    if page == "question":
        return url("question", person, measures["dialog"].pk, 1)
    if page in ("check", "discard"):
        return url(page, person, measures["dialog"].pk)
    if page == "topics":
        return url("topics", person, measures["done"].pk)
    return url("topic", person, measures["done"].pk, "friendships")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("who", "basis"), ALLOWED.items())
def test_the_person_their_team_and_their_worker_open_each_page(
    cast: Cast, measures: dict[str, Measure], page: str, who: str, basis: str
) -> None:
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = client_for(getattr(cast, who)).get(page_url(page, cast.person, measures))
    assert response.status_code == 200
    looked = AuditEvent.objects.filter(pk__gt=mark, parts=["measures"], action=Action.VIEW).get()
    assert looked.outcome == Outcome.ALLOWED and looked.basis == basis and looked.person_id == cast.person.pk


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", REFUSED)
def test_anyone_else_is_refused_each_page_and_it_is_audited(
    cast: Cast, measures: dict[str, Measure], page: str, who: str
) -> None:
    actor = getattr(cast, who)
    client = client_for(actor)
    target = page_url(page, cast.person, measures)
    assert client.get(target).status_code == 403
    assert client.post(target, {"instrument": "dialog", "answer": "1", "choice": "continue"}).status_code == 403
    refusals = AuditEvent.objects.filter(actor=actor, outcome=Outcome.REFUSED)
    assert refusals.count() == 2
    assert all(e.parts == ["measures"] and e.person_id == cast.person.pk for e in refusals)
    assert Measure.objects.count() == 3
    assert Measure.objects.get(pk=measures["dialog"].pk).answers == {"mental_health": 5}


def test_an_unknown_measure_or_another_persons_is_not_found(cast: Cast, measures: dict[str, Measure]) -> None:
    theirs = Measure.objects.create(
        person=cast.newcomer, instrument="dialog", instrument_version="1", started_at=timezone.now()
    )
    client = client_for(cast.team_worker)
    for page in ("goals", "check", "topics", "discard"):
        assert client.get(url(page, cast.person, uuid.uuid4())).status_code == 404
        assert client.get(url(page, cast.person, theirs.pk)).status_code == 404
    assert client.get(url("question", cast.person, theirs.pk, 1)).status_code == 404
    assert client.get(url("topic", cast.person, theirs.pk, "friendships")).status_code == 404
    assert client.get(reverse("measures:start", args=[uuid.uuid4()])).status_code == 404
    assert client.post(url("discard", cast.person, theirs.pk)).status_code == 404
    assert Measure.objects.filter(pk=theirs.pk).exists()


def test_signing_in_is_needed(cast: Cast, measures: dict[str, Measure]) -> None:
    response = Client().get(url("question", cast.person, measures["dialog"].pk, 1))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_check_page_asks_the_database_a_fixed_number_of_times(
    cast: Cast, measures: dict[str, Measure], django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.allocated_worker)
    with django_assert_max_num_queries(20):
        assert client.get(url("check", cast.person, measures["dialog"].pk)).status_code == 200


# Links from the review, moving on and the first conversation ----------------------------------------------


def test_recording_a_review_and_moving_on_link_to_completing_measures(cast: Cast) -> None:
    person = cast.person
    client = client_for(cast.team_worker)
    review = client.get(reverse("plans:review_add", args=[person.pk]))
    assert f'href="{url("start", person)}?occasion=review"' in review.content.decode()
    assert "complete measures with Alex Morgan" in text(review)
    period = SupportPeriod.objects.get(person=person)
    move_on = client.get(reverse("moving_on:move_on", args=[person.pk, period.pk]))
    page = move_on.content.decode()
    assert f'href="{url("start", person)}?occasion=moving_on"' in page
    assert f'href="{url("start", person)}?instrument=experience&amp;occasion=moving_on"' in page
    assert "Ask Alex Morgan about their experience of Living Well" in text(move_on)
    # The links lead to the measure, on that occasion.
    client.post(url("start", person), {"instrument": "dialog", "occasion": "review"})
    assert Measure.objects.get(person=person).occasion == Occasion.REVIEW


def test_after_moving_on_the_person_is_asked_about_their_experience_until_they_answer(cast: Cast) -> None:
    person = cast.person
    period = SupportPeriod.objects.get(person=person)
    moving_on.support_move_on(
        actor=cast.team_worker,
        period=period,
        reason=MovingOnReason.GOALS_REACHED,
        what_helped="The walking group",
        if_things_get_hard="Ring the team",
        how_to_come_back="Get in touch",
    )
    client = client_for(cast.person_user)
    farewell = reverse("moving_on:farewell", args=[person.pk, period.pk])
    page = client.get(farewell)
    experience = f"{url('start', person)}?instrument=experience&amp;occasion=moving_on"
    assert f'href="{experience}"' in page.content.decode()
    assert "Tell us about your experience" in text(page)
    assert "Tell us about your experience" not in text(client_for(cast.team_leader).get(farewell))
    # Support has ended, and the person still answers in their own record.
    start = client.get(url("start", person) + "?instrument=experience&occasion=moving_on")
    assert checked(start, "instrument") == ["experience"]
    client.post(url("start", person), {"instrument": "experience", "occasion": "moving_on"})
    measure = Measure.objects.get(person=person)
    assert measure.support_period == period
    client.post(url("question", person, measure.pk, 2), {"choice": "continue", "answer": "3"})
    client.post(url("check", person, measure.pk))
    assert "Tell us about your experience" not in text(client.get(farewell))


def test_the_introduction_links_to_measures_for_who_may_complete_them_after_a_first_conversation(
    cast: Cast,
) -> None:
    introduction = Introduction.objects.get(person=cast.person)
    FirstConversation.objects.create(
        introduction=introduction,
        held_at=timezone.now() - dt.timedelta(days=40),
        place=Place.CAFE,
        worker=cast.team_worker,
        outcome=ConversationOutcome.SUPPORT,
        team=cast.team_a,
    )
    link = {
        "text": "Complete measures with Alex Morgan",
        "href": f"{url('start', cast.person)}?occasion=first_conversation",
    }
    for user, shown in ((cast.team_worker, True), (cast.coordinator, False), (None, False)):
        view = access_selectors.introduction_view(user=cast.team_worker, introduction_id=introduction.pk)
        actions = access_presenters.introduction_context(view, user=user)["actions"]
        assert (link in actions) is shown
