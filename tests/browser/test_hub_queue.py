"""The Hub in the browser: a coordinator works the queue, books the first conversation, and the worker records it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from livingwell.access import services
from livingwell.access.models import Introduction, IntroductionState, Source
from livingwell.access.services import IntroductionInput
from livingwell.messaging.models import Message
from livingwell.support.models import SupportPeriod
from livingwell.testing import Cast
from tests.browser.steps import follow, sign_in, submit, visit


def _introduce(cast: Cast, **overrides: object) -> Introduction:
    data: dict[str, object] = {
        "site": cast.site,
        "source": Source.SELF,
        "person": {"given_name": "Priya", "family_name": "Shah", "phone": "07700 900456", "may_text": True},
        "in_their_words": "I have been struggling since my dad died.",
        "agrees_to_contact": True,
        "preferred_places": ["cafe"],
        "worker_preferences": ["peer"],
    }
    data.update(overrides)
    introduction = services.introduction_create(data=IntroductionInput(**data)).introduction  # type: ignore[arg-type]
    Introduction.objects.filter(pk=introduction.pk).update(introduced_at=timezone.now() - dt.timedelta(days=6))
    return introduction


def test_a_coordinator_works_the_queue_books_and_the_worker_records_the_first_conversation(
    new_page: Callable[..., Page], cast: Cast
) -> None:
    # Given Priya introduced herself six days ago, asking to meet a peer worker in a café
    introduction = _introduce(cast)

    # When the Hub coordinator opens the front door queue and Priya's introduction
    page = new_page()
    sign_in(page, cast.coordinator.email)
    follow(page, "Front door")
    expect(page.get_by_role("heading", level=1)).to_have_text("Front door queue")
    follow(page, "Priya Shah")
    expect(page.get_by_text("Waiting 6 days (target 28 days)")).to_be_visible()
    expect(page.get_by_text("I have been struggling since my dad died.")).to_be_visible()

    # And records a call that was not answered
    follow(page, "Record an attempt to get in touch")
    page.get_by_label("Phone call").check()
    page.get_by_label("No answer").check()
    submit(page, "Save")
    expect(page.get_by_text("Attempt recorded")).to_be_visible()

    # And books the first conversation in a café with the peer worker, telling Priya by text
    follow(page, "Book the first conversation")
    when = timezone.localdate() + dt.timedelta(days=3)
    page.get_by_label("Day").fill(str(when.day))
    page.get_by_label("Month").fill(str(when.month))
    page.get_by_label("Year").fill(str(when.year))
    page.get_by_label("Start time").fill("11:00")
    page.get_by_label("A café").check()
    page.get_by_label("Where exactly").fill("Brixton Library café")
    page.get_by_label("Allocated Peer", exact=False).check()
    page.get_by_label("Text message").check()
    submit(page, "Book")

    # Then the introduction is booked and Priya's text message is in the outbox
    expect(page.get_by_text("First conversation booked and sent them a text message")).to_be_visible()
    expect(page.locator(".nhsuk-tag").first).to_have_text("First conversation booked")
    assert "Brixton Library café" in Message.objects.get(purpose="first conversation booked").body

    # When the peer worker signs in, finds the first conversation on their home page and records it
    worker = new_page()
    sign_in(worker, cast.allocated_worker.email)
    follow(worker, "Priya Shah")
    follow(worker, "Record the first conversation")
    expect(worker.get_by_label("What brought me here")).to_have_value("I have been struggling since my dad died.")
    today = timezone.localdate()
    worker.get_by_label("Day").fill(str(today.day))
    worker.get_by_label("Month").fill(str(today.month))
    worker.get_by_label("Year").fill(str(today.year))
    worker.get_by_label("Time").fill("00:05")
    worker.get_by_label("A café").check()
    worker.get_by_label("What is going well").fill("My sister visits on Sundays")
    worker.get_by_label("Living Well support", exact=True).check()
    worker.get_by_label("Team that will support them (for Living Well support)").select_option(label=cast.team_b.name)
    submit(worker, "Save the first conversation")

    # Then Priya has been met, and the team will support her
    expect(worker.get_by_text(f"First conversation recorded. {cast.team_b.name} will support them")).to_be_visible()
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.MET
    assert SupportPeriod.objects.filter(person=introduction.person, team=cast.team_b).exists()


def test_an_urgent_introduction_is_at_the_top_of_the_queue(page: Page, cast: Cast) -> None:
    # Given two introductions, the newer one from someone who feels unsafe right now
    _introduce(cast)
    _introduce(cast, person={"given_name": "Tom", "family_name": "Reid", "phone": "07700 900789"}, unsafe_now="yes")

    # When the coordinator looks at the queue
    sign_in(page, cast.coordinator.email)
    visit(page, "/front-door/")

    # Then the urgent one comes first, marked urgent
    first_row = page.get_by_role("row").nth(1)
    expect(first_row).to_contain_text("Tom Reid")
    expect(first_row).to_contain_text("Urgent")
