"""Measures in the browser: Alex completes DIALOG+ on a phone, stopping half-way and carrying on, and
turns two areas into actions in their Living Well plan; Alex's worker reviews change over time. Every
page is checked with axe."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from livingwell.outcomes.models import Measure, MeasureStatus
from livingwell.outcomes.services import measures
from livingwell.support.models import PlanAction
from livingwell.testing import Cast
from tests.browser.steps import follow_link, sign_in, submit, visit

PHONE = {"width": 375, "height": 740}

# Alex's answers, by area: the mental health question is skipped.
ANSWERS = {
    "physical health": "5",
    "job situation": "2",
    "accommodation": "4",
    "leisure activities": "3",
    "friendships": "2",
    "partner or family": "6",
    "personal safety": "5",
    "medication": "4",
    "practical help": "3",
    "meetings": "6",
}


def choose(page: Page, label: str) -> None:
    page.get_by_role("radio", name=label, exact=True).check()


def test_alex_completes_dialog_plus_on_a_phone_stops_half_way_carries_on_and_adds_actions_to_their_plan(
    page: Page, cast: Cast
) -> None:
    # Given Alex is on a phone-sized screen and signed in
    page.set_viewport_size(PHONE)
    sign_in(page, cast.person_user.email)

    # When they open "How things are going" from their record and start DIALOG
    follow_link(page, page.locator(".nhsuk-card, nav").get_by_role("link", name="How things are going").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("How things are going")
    expect(page.get_by_text("You have not finished any measures yet.")).to_be_visible()
    follow_link(page, page.get_by_role("link", name="DIALOG", exact=True))
    choose(page, "DIALOG")
    submit(page, "Start")

    # Then the first question is the page's heading, with the seven answers and the DIALOG+ question
    expect(page.get_by_role("heading", level=1)).to_contain_text("How satisfied are you with your mental health?")
    expect(page.get_by_text("DIALOG: question 1 of 11")).to_be_visible()
    expect(page.get_by_role("radio", name="Totally satisfied")).to_be_visible()
    expect(page.get_by_text("Do you need more help in this area?")).to_be_visible()

    # When they continue without choosing, they are told what to do
    submit(page, "Continue")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose how satisfied you are with your mental health")

    # When they skip mental health and answer four more, then stop
    submit(page, "Skip this question")
    for area in ("physical health", "job situation", "accommodation", "leisure activities"):
        expect(page.get_by_role("heading", level=1)).to_contain_text(area.split()[0])
        choose(page, _label(ANSWERS[area]))
        if area == "job situation":
            page.get_by_role("group", name="Do you need more help in this area?").get_by_role(
                "radio", name="Yes"
            ).check()
        submit(page, "Continue")
    choose(page, _label(ANSWERS["friendships"]))
    submit(page, "Save and come back later")

    # Then they are back on their measures page, with the draft waiting and nothing lost
    expect(page.get_by_role("heading", level=1)).to_have_text("How things are going")
    expect(page.get_by_text("Your answers are saved")).to_be_visible()
    draft = Measure.objects.get(person=cast.person, status=MeasureStatus.DRAFT)
    assert draft.answers["friendships"] == 2 and draft.answers["mental_health"] is None
    assert draft.more_help == {"job_situation": True}

    # When they come back and carry on, they pick up at the next question
    follow_link(page, page.get_by_role("link", name="Carry on with DIALOG"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "How satisfied are you with your relationship with your partner or family?"
    )
    for area in ("partner or family", "personal safety", "medication", "practical help", "meetings"):
        choose(page, _label(ANSWERS[area]))
        submit(page, "Continue")

    # Then they check their answers, change one and save
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check")
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Skipped")
    follow_link(page, page.get_by_role("link", name="Change How satisfied are you with your friendships?"))
    choose(page, _label("3"))
    submit(page, "Continue")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check")
    submit(page, "Save these answers")

    # And DIALOG+ asks which areas to talk about; they choose two
    expect(page.get_by_role("heading", level=1)).to_contain_text("talk about")
    page.get_by_role("checkbox", name="Job situation", exact=False).check()
    page.get_by_role("checkbox", name="Friendships", exact=False).check()
    submit(page, "Continue")

    # And for each area they work through the four steps and agree an action
    expect(page.get_by_role("heading", level=1)).to_contain_text("Job situation")
    page.get_by_label("Understanding", exact=False).fill("I have been out of work for a year.")
    page.get_by_label("Looking forward", exact=False).fill("Some part-time work.")
    page.get_by_label("Exploring options", exact=False).fill("The employment worker could help with a CV.")
    page.get_by_label("What will be done?").first.fill("Write a CV with the employment worker")
    submit(page, "Save and continue")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Friendships")
    page.get_by_label("Understanding", exact=False).fill("I have lost touch with people.")
    page.get_by_label("What will be done?").first.fill("Go to the walking group on Saturday")
    submit(page, "Save and continue")

    # Then both actions are in their Living Well plan, and the result is on their page
    expect(page.get_by_text("2 actions were added to your Living Well plan")).to_be_visible()
    added = PlanAction.objects.filter(plan__person=cast.person, created_by=cast.person_user)
    assert sorted(added.values_list("what", flat=True)) == [
        "Go to the walking group on Saturday",
        "Write a CV with the employment worker",
    ]
    measure = Measure.objects.get(person=cast.person, status=MeasureStatus.COMPLETE)
    # Life areas answered: 5, 2, 4, 3, 3 (changed), 6, 5 → 28/7 = 4; support: 4, 3, 6 → 13/3
    assert measure.subscales == {"quality_of_life": 4.0, "treatment_satisfaction": 13 / 3}
    expect(page.get_by_role("heading", level=1)).to_contain_text("DIALOG")
    visit(page, f"/people/{cast.person.pk}/measures/")
    expect(page.get_by_text("Quality of life: 4 out of 7", exact=False)).to_be_visible()
    expect(page.get_by_text("This is the first time, so there is nothing to compare yet.").first).to_be_visible()
    follow_link(page, page.locator("nav").get_by_role("link", name="Your Living Well plan"))
    expect(page.get_by_role("cell", name="Go to the walking group on Saturday", exact=True)).to_be_visible()


def _label(value: str) -> str:
    """DIALOG's answers read with their number: "5: Fairly satisfied"."""
    return (
        value
        + ": "
        + {
            "1": "Totally dissatisfied",
            "2": "Very dissatisfied",
            "3": "Fairly dissatisfied",
            "4": "In the middle",
            "5": "Fairly satisfied",
            "6": "Very satisfied",
            "7": "Totally satisfied",
        }[value]
    )


def _dialog(cast: Cast, when: dt.datetime, life: int, support: int) -> Measure:
    with time_machine.travel(when, tick=False):
        measure = measures.measure_start(actor=cast.allocated_worker, person=cast.person, instrument="dialog")
        for position in range(1, 12):
            measures.measure_answer(
                actor=cast.allocated_worker,
                measure=measure,
                position=position,
                value=life if position <= 8 else support,
            )
        return measures.measure_complete(actor=cast.allocated_worker, measure=measure)


def test_a_worker_reviews_alexs_change_over_time_and_opens_one_measure(page: Page, cast: Cast) -> None:
    # Given Alex completed DIALOG with their worker three times, quality of life going from 3 to 5
    start = timezone.now() - dt.timedelta(days=120)
    _dialog(cast, start, life=3, support=4)
    _dialog(cast, start + dt.timedelta(days=60), life=4, support=4)
    _dialog(cast, start + dt.timedelta(days=110), life=5, support=4)

    # When their worker signs in and opens Alex's measures from the record
    sign_in(page, cast.allocated_worker.email)
    visit(page, f"/people/{cast.person.pk}/")
    follow_link(page, page.locator("nav").get_by_role("link", name="Measures"))

    # Then they see the latest results and the change since the first time, in words
    expect(page.get_by_role("heading", level=1)).to_have_text("Measures")
    expect(page.get_by_text("Quality of life: 5 out of 7", exact=False)).to_be_visible()
    expect(page.get_by_text("a reliable improvement", exact=False).first).to_be_visible()
    expect(page.get_by_text("Satisfaction with support: 4 out of 7", exact=False)).to_be_visible()
    expect(page.get_by_text("No reliable change", exact=False).first).to_be_visible()

    # And the chart over time is described in words, with a table of every result
    chart = page.locator("svg[role='img']").first
    expect(chart).to_be_visible()
    assert chart.locator("title").text_content()
    page.get_by_text("The results in a table").first.click()
    expect(page.locator("table").filter(has_text="Quality of life").first).to_be_visible()

    # When they open the latest measure
    follow_link(page, page.locator("#history + table").get_by_role("link").first)
    expect(page.get_by_role("heading", level=1)).to_contain_text("DIALOG")
    expect(page.get_by_text("Fairly satisfied").first).to_be_visible()
