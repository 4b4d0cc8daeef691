"""One finished measure in full, asserted on the HTML: the answers in words (or by number when a licensed
instrument's wording is not loaded), DIALOG+ "more help", the scores, the codes for records (staff only),
the DIALOG+ conversation and the plan actions it became; drafts, unknown ids and who may see it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from livingwell.audit.models import Action, AuditEvent, Basis, Outcome
from livingwell.outcomes.models import CompletedHow, Measure, MeasureStatus, Occasion
from livingwell.outcomes.tests.overview_helpers import (
    DIALOG_KEYS,
    START,
    client_for,
    gbo,
    measure,
    page,
    placeholder_wording,
    reqol,
    swemwbs,
    text_of,
)
from livingwell.support.models import ActionOwner, Plan, PlanAction
from livingwell.testing import Cast, make_person

pytestmark = pytest.mark.django_db


def url(cast: Cast, m: Measure) -> str:
    return reverse("measures:detail", args=[cast.person.pk, m.pk])


def dialog_plus(cast: Cast) -> tuple[Measure, PlanAction, PlanAction]:
    plan = Plan.objects.create(person=cast.person)
    club = PlanAction.objects.create(plan=plan, what="Ask about the swimming club", owner=ActionOwner.PERSON)
    call = PlanAction.objects.create(plan=plan, what="Call Jo on Sunday", owner=ActionOwner.PERSON)
    answers = dict(zip(DIALOG_KEYS, [2, 5, None, 4, 3, 2, 6, 5, 4, 6, 7], strict=True))
    more_help = dict.fromkeys(DIALOG_KEYS, False) | {"mental_health": True, "friendships": True}
    del more_help["meetings"]
    topics = [
        {
            "key": "friendships",
            "understanding": "I have lost touch with people since I stopped work.",
            "looking_forward": "Seeing someone once a week.",
            "exploring_options": "The swimming club; my cousin Jo.",
            "agreeing_actions": "Ask about the club, call Jo.",
            "actions": [str(club.pk), str(call.pk), str(uuid.uuid4())],
            "recorded_at": START.isoformat(),
        },
        {"key": "mental_health", "understanding": "Sleeping badly.", "actions": []},
    ]
    m = measure(
        cast.person,
        "dialog",
        answers,
        when=START,
        occasion=Occasion.FIRST_CONVERSATION,
        how=CompletedHow.TOGETHER,
        by=cast.allocated_worker,
        more_help=more_help,
        topics=topics,
    )
    return m, club, call


def test_staff_see_each_answer_in_words_with_more_help_scores_and_codes(cast: Cast) -> None:
    m, _, _ = dialog_plus(cast)
    html = text_of(page(client_for(cast.team_worker), url(cast, m)))
    assert "DIALOG, 3 March 2026" in html
    assert "Finished 3 March 2026 at 10am" in html
    assert "When At the first conversation" in html
    assert "How Together with Allocated Peer" in html
    assert "Version DIALOG, version 1" in html
    assert "Question Answer Do you need more help in this area?" in html
    assert "How satisfied are you with your mental health? Very dissatisfied Yes" in html
    assert "How satisfied are you with your job situation? Not answered No" in html
    assert (
        "How satisfied are you with your meetings with mental health professionals? Totally satisfied Not answered"
        in html
    )
    assert "Quality of life 3.9 out of 7" in html  # 27/7
    assert "Satisfaction with support 5.7 out of 7" in html
    assert "Codes for records" in html
    assert "DIALOG item 1: mental health 1037651000000100 2" in html
    assert "DIALOG item 3" not in html  # not answered: nothing to record
    assert "patient" not in html.lower()


def test_the_dialog_plus_conversation_shows_the_four_steps_and_links_to_the_plan_actions(cast: Cast) -> None:
    m, club, call = dialog_plus(cast)
    raw = page(client_for(cast.team_worker), url(cast, m))
    html = text_of(raw)
    assert "What they talked about" in html
    assert (
        "Friendships Understanding what is going well, and what is hard? "
        "I have lost touch with people since I stopped work."
    ) in html
    assert (
        "Looking forward what would be better, and what would a small change look like? Seeing someone once a week."
        in html
    )
    assert "Agreeing actions what will be done, by whom, and by when? Ask about the club, call Jo." in html
    assert "Actions in the Living Well plan Ask about the swimming club Call Jo on Sunday" in html
    assert "1 action is no longer in the Living Well plan." in html
    assert reverse("plans:action_change", args=[cast.person.pk, club.pk]) in raw
    assert reverse("plans:action_change", args=[cast.person.pk, call.pk]) in raw
    assert "Mental health Understanding what is going well, and what is hard? Sleeping badly." in html
    assert "Looking forward what would be better, and what would a small change look like? Nothing written" in html
    event = AuditEvent.objects.filter(actor=cast.team_worker, action=Action.VIEW).latest("id")
    assert (event.parts, event.basis, event.detail) == (["measures", "plan"], Basis.TEAM, {"measure": str(m.pk)})


def test_the_person_reads_their_own_measure_without_the_codes(cast: Cast) -> None:
    m, club, _ = dialog_plus(cast)
    raw = page(client_for(cast.person_user), url(cast, m))
    html = text_of(raw)
    assert "Your answers" in html and "Your scores" in html
    assert "How Together with Allocated Peer" in html
    assert "What you talked about" in html
    assert "Actions in your Living Well plan Ask about the swimming club" in html
    assert "Codes for records" not in html and "1037651000000100" not in html
    assert "Version" not in html
    assert reverse("plans:action_change", args=[cast.person.pk, club.pk]) in raw
    assert "Back to how things are going" in html


def test_a_licensed_measure_shows_its_loaded_wording(cast: Cast) -> None:
    placeholder_wording("swemwbs")
    m = swemwbs(cast.person, [1, 2, 3, 4, 5, 4, 3], when=START)
    html = text_of(page(client_for(cast.team_worker), url(cast, m)))
    assert "Placeholder statement 3 Placeholder response 3" in html
    assert "Placeholder statement 5 Placeholder response 5" in html
    assert "Total (7 to 35) 22" in html
    assert "Wellbeing score, from the conversion table (7 to 35) 19.98" in html
    assert "SWEMWBS total 718466001 22" in html
    assert "have not been loaded" not in html


def test_without_its_licensed_wording_each_statement_is_shown_by_number(cast: Cast) -> None:
    m = reqol(cast.person, 20, when=START)
    html = text_of(page(client_for(cast.person_user), url(cast, m)))
    assert "The words of ReQoL-10 are licensed and have not been loaded on this site yet" in html
    assert "Statement 1 0" in html and "Statement 3 " in html
    assert "Total (0 to 40) 20" in html
    assert "What the score means Below 25: in the range where people often ask for help" in html


def test_goals_are_shown_in_the_persons_words(cast: Cast) -> None:
    m = gbo(cast.person, [("Get back to swimming", 5, None), ("See my sister", 10, None)], when=START)
    html = text_of(page(client_for(cast.person_user), url(cast, m)))
    assert "Get back to swimming 5: half-way" in html
    assert "See my sister 10: goal reached" in html
    assert "Get back to swimming 5 out of 10" in html
    assert "Goal 3" not in html


def test_a_draft_goes_to_the_overview_and_is_not_recorded_as_seen(cast: Cast) -> None:
    draft = measure(cast.person, "dialog", {"mental_health": 4}, when=START, status=MeasureStatus.DRAFT)
    views = AuditEvent.objects.filter(action=Action.VIEW).count()
    response = client_for(cast.team_worker).get(url(cast, draft))
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:overview", args=[cast.person.pk])
    assert AuditEvent.objects.filter(action=Action.VIEW).count() == views


def test_an_unknown_measure_or_another_persons_is_not_found(cast: Cast) -> None:
    client = client_for(cast.team_worker)
    assert client.get(reverse("measures:detail", args=[cast.person.pk, uuid.uuid4()])).status_code == 404
    other = make_person(cast.site, "Sam", "Other")
    theirs = swemwbs(other, 3, when=START)
    assert client.get(reverse("measures:detail", args=[cast.person.pk, theirs.pk])).status_code == 404


@pytest.mark.parametrize(
    ("who", "basis"),
    [("person_user", Basis.SELF), ("team_leader", Basis.TEAM), ("allocated_worker", Basis.ALLOCATED)],
)
def test_those_who_may_see_measures_may_open_one_and_the_look_is_audited(cast: Cast, who: str, basis: Basis) -> None:
    m = swemwbs(cast.person, 3, when=START)
    user = getattr(cast, who)
    assert client_for(user).get(url(cast, m)).status_code == 200
    event = AuditEvent.objects.filter(actor=user, action=Action.VIEW).latest("id")
    assert (event.person_id, event.parts, event.basis, event.outcome, event.detail) == (
        cast.person.pk,
        ["measures"],
        basis,
        Outcome.ALLOWED,
        {"measure": str(m.pk)},
    )


@pytest.mark.parametrize(
    "who", ["consent_worker", "other_team_worker", "coordinator", "stranger", "psychiatrist", "analyst"]
)
def test_anyone_else_is_refused_one_measure_and_audited(cast: Cast, who: str) -> None:
    m = swemwbs(cast.person, 3, when=START)
    user = getattr(cast, who)
    response = client_for(user).get(url(cast, m))
    assert response.status_code == 403
    event: Any = AuditEvent.objects.filter(actor=user).latest("id")
    assert (event.person_id, event.parts, event.outcome) == (cast.person.pk, ["measures"], Outcome.REFUSED)
    assert "19.25" not in response.content.decode()
