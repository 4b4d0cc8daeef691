"""The open front door in the browser: anyone introduces themselves, or someone they know, with no account."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from livingwell.access import services
from livingwell.access.models import Introduction, IntroductionState, PersonAware, Source, UnsafeNow
from livingwell.access.services import IntroductionInput
from livingwell.testing import Cast
from tests.browser import axe
from tests.browser.steps import follow, sign_in, submit, visit

# Typed with characters that mean something in HTML: they must come back exactly as typed, never as markup.
JORDANS_WORDS = "I can't sleep & I <b>keep</b> going over things since the flat flooded."


def _met_after(cast: Cast, given_name: str, days: int) -> None:
    """Someone introduced earlier who had their first conversation `days` days later (last week)."""
    introduction = services.introduction_create(
        data=IntroductionInput(
            site=cast.site,
            source=Source.SELF,
            person={"given_name": given_name, "family_name": "Earlier", "phone": "07700 900001"},
            agrees_to_contact=True,
        )
    ).introduction
    met_at = timezone.now() - dt.timedelta(days=7)
    Introduction.objects.filter(pk=introduction.pk).update(
        state=IntroductionState.MET, introduced_at=met_at - dt.timedelta(days=days), first_conversation_at=met_at
    )


def _start(page: Page) -> None:
    """From the landing page, open the introduction journey."""
    visit(page, "/")
    # The NHS.UK start button is a link with the role of a button.
    submit(page, "Introduce yourself or someone else")
    expect(page.get_by_role("heading", level=1)).to_have_text("Introduce yourself or someone else to Living Well")


def _heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(text)


def _reference(page: Page) -> str:
    expect(page.get_by_role("heading", level=1)).to_have_text("Introduction sent")
    reference = page.locator(".nhsuk-panel strong").inner_text().strip()
    assert re.fullmatch(r"LW-[0-9A-Z]{4}-[0-9A-Z]{4}", reference), reference
    return reference


def test_a_person_introduces_themself_without_javascript(new_page: Callable[..., Page], cast: Cast) -> None:
    # Given three people had their first conversation lately, after 4, 10 and 20 days (Alex, in the cast)
    _met_after(cast, "Ann", 4)
    _met_after(cast, "Bea", 10)

    # When Jordan, whose browser runs no scripts, opens the front door from the landing page
    page = new_page(javascript=False)
    _start(page)

    # And says they are introducing themself
    page.get_by_label("Myself", exact=True).check()
    submit(page, "Continue")
    _heading(page, "What is your name?")

    # And presses Continue having given only a last name
    page.get_by_label("Last name (optional)", exact=True).fill("Ellis")
    submit(page, "Continue")

    # Then the page says what is wrong, at the top and by the field, and keeps the answer given
    expect(page).to_have_title(re.compile(r"^Error: What is your name\?"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter your first name")).to_have_attribute("href", "#id_given_name")
    first_name = page.get_by_label("First name", exact=True)
    expect(first_name).to_have_accessible_description(re.compile("Enter your first name"))
    expect(page.get_by_label("Last name (optional)", exact=True)).to_have_value("Ellis")

    # When Jordan puts it right and answers every question
    first_name.fill("Jordan")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("7")
    page.get_by_label("Year").fill("1990")
    submit(page, "Continue")

    _heading(page, "How can we get in touch with you?")
    page.get_by_label("Phone number (optional)", exact=True).fill("07700 900123")
    page.get_by_label("Email address (optional)", exact=True).fill("jordan@example.com")
    page.get_by_label("Postcode (optional)", exact=True).fill("sw9 8ab")
    page.get_by_label("Which area do you live in? (optional)").select_option(label="North")
    submit(page, "Continue")

    _heading(page, "How and when is it OK to contact you?")
    page.get_by_label("Text message", exact=True).check()
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("When is a good time? (optional)").fill("After 6pm")
    submit(page, "Continue")

    _heading(page, "What has brought you here?")
    page.get_by_label("What has brought you here?").fill(JORDANS_WORDS)
    submit(page, "Continue")

    _heading(page, "Is anything making you feel unsafe right now?")
    page.get_by_label("No", exact=True).check()
    submit(page, "Continue")

    _heading(page, "Is there anything we should know?")
    page.get_by_label("First language (optional)").fill("Polish")
    page.get_by_label("I would like an interpreter").check()
    page.get_by_label("A café").check()
    page.get_by_label("A peer worker", exact=False).check()
    submit(page, "Continue")

    _heading(page, "Is there anyone else we may talk to?")
    page.get_by_label("Their name (optional)").fill("Marta Ellis")
    page.get_by_label("How do they know you? (optional)").fill("My sister")
    page.get_by_label("How can we reach them? (optional)").fill("07700 900555")
    submit(page, "Continue")

    _heading(page, "Agreeing to be contacted")
    page.get_by_label("It is OK for Living Well to contact me").check()
    page.get_by_label("Yes", exact=True).check()
    submit(page, "Continue")

    # Then they check their answers, their own words shown exactly as they typed them
    _heading(page, "Check your answers before sending your introduction")
    expect(page.locator(".nhsuk-summary-list__row").filter(has_text="What has brought you here")).to_contain_text(
        JORDANS_WORDS
    )
    expect(page.locator(".nhsuk-summary-list b")).to_have_count(0)

    # When they change what they like to be called, and come back to the check page
    follow(page, "Change likes to be called")
    _heading(page, "What is your name?")
    expect(page.get_by_label("First name", exact=True)).to_have_value("Jordan")
    page.get_by_label("What would you like to be called? (optional)").fill("Jo")
    submit(page, "Continue")
    _heading(page, "Check your answers before sending your introduction")
    called = page.locator(".nhsuk-summary-list__row").filter(has_text="Likes to be called")
    expect(called.locator(".nhsuk-summary-list__value")).to_have_text("Jo")

    # And, having opened the check page in a second tab as well, send the introduction from the first
    second_tab = page.context.new_page()
    axe.watch(second_tab, javascript=False)
    visit(second_tab, "/introduce/check-your-answers/")
    submit(page, "Send introduction")

    # Then they see their reference, what happens next and how long people are waiting now
    reference = _reference(page)
    expect(page.get_by_text("by text message, email, as you chose")).to_be_visible()
    expect(
        page.get_by_text(
            "half of the people introduced had their first conversation within 10 days, "
            "and 9 in 10 were met within 20 days"
        )
    ).to_be_visible()

    # And the Hub has the introduction, in Jordan's words, as they gave it
    introduction = Introduction.objects.select_related("person").get(reference=reference)
    assert introduction.source == Source.SELF
    assert introduction.state == IntroductionState.NEW
    assert not introduction.urgent
    assert introduction.unsafe_now == UnsafeNow.NO
    assert introduction.locality is not None and introduction.locality.name == "North"
    assert introduction.in_their_words == JORDANS_WORDS
    assert introduction.agrees_to_contact and introduction.agrees_to_share
    assert introduction.preferred_places == ["cafe"]
    assert introduction.worker_preferences == ["peer"]
    person = introduction.person
    assert (person.given_name, person.family_name, person.preferred_name) == ("Jordan", "Ellis", "Jo")
    assert person.date_of_birth == dt.date(1990, 7, 3)
    assert (person.phone, person.email, person.postcode) == ("07700 900123", "jordan@example.com", "SW9 8AB")
    assert person.may_text and person.may_email and not person.may_phone
    assert person.first_language == "Polish" and person.interpreter_needed

    # When Jordan presses the browser's back button
    page.go_back()
    axe.check(page)

    # Then the browser asks for the check page again and is shown what happened: the same reference
    assert _reference(page) == reference

    # When they send the check page again from the second tab, as a double click would
    submit(second_tab, "Send introduction")

    # Then they see the same reference again, and there is still exactly one introduction
    assert _reference(second_tab) == reference
    assert not axe.unchecked(second_tab)
    assert Introduction.objects.filter(person__given_name="Jordan").count() == 1


def test_a_friend_introduces_someone_they_know(page: Page, cast: Cast) -> None:
    # Given Grace, whose friend Daniel has been struggling and agrees that she should get in touch
    _start(page)

    # When she says she is introducing someone else, and tells us about herself
    page.get_by_label("Someone else: a family member, friend or someone I know").check()
    submit(page, "Continue")
    _heading(page, "About you")
    page.get_by_label("Your name", exact=True).fill("Grace Okafor")
    page.get_by_label("How do you know them? (optional)").fill("His friend from college")
    page.get_by_label("Your phone number (optional)").fill("07700 900777")
    submit(page, "Continue")

    # And says that Daniel knows about the introduction and agrees to it
    _heading(page, "Do they know about this introduction, and agree to it?")
    page.get_by_label("Yes, they know and agree").check()
    submit(page, "Continue")

    # Then each page asks about Daniel, not about her
    _heading(page, "What is their name?")
    expect(page.locator(".nhsuk-caption-l")).to_have_text("Introduce someone else")
    page.get_by_label("First name", exact=True).fill("Daniel")
    page.get_by_label("Last name (optional)").fill("Brooks")
    submit(page, "Continue")

    _heading(page, "How can we get in touch with them?")
    page.get_by_label("Phone number (optional)").fill("07700 900888")
    submit(page, "Continue")

    _heading(page, "How and when is it OK to contact them?")
    page.get_by_label("Phone call", exact=True).check()
    submit(page, "Continue")

    _heading(page, "What has brought them here?")
    page.get_by_label("What has brought them here?").fill("He has stopped going out since he lost his job.")
    submit(page, "Continue")

    _heading(page, "Is anything making them feel unsafe right now?")
    page.get_by_label("No", exact=True).check()
    submit(page, "Continue")

    _heading(page, "Is there anything we should know?")
    expect(page.get_by_text("Where would they like to meet?")).to_be_visible()
    page.get_by_label("A park").check()
    submit(page, "Continue")

    _heading(page, "Is there anyone else we may talk to?")
    expect(page.get_by_label("How do they know the person? (optional)")).to_be_visible()
    submit(page, "Continue")

    _heading(page, "Agreeing to contact and sharing")
    page.get_by_label("It is OK for Living Well to contact them").check()
    page.get_by_label("Yes", exact=True).check()
    submit(page, "Continue")

    # And she checks the answers and sends the introduction
    _heading(page, "Check your answers before sending your introduction")
    expect(page.locator(".nhsuk-summary-list__row").filter(has_text="Your name")).to_contain_text("Grace Okafor")
    submit(page, "Send introduction")

    # Then she sees the reference, and that the Hub will get in touch with Daniel, or with her first
    reference = _reference(page)
    expect(page.get_by_text("with them by phone call, or with you first if we need to")).to_be_visible()

    # And the Hub has an introduction by a friend, of Daniel, who knows and agrees
    introduction = Introduction.objects.select_related("person").get(reference=reference)
    assert introduction.source == Source.FAMILY_FRIEND
    assert introduction.person_aware == PersonAware.AGREES
    assert introduction.introducer_name == "Grace Okafor"
    assert introduction.introducer_relationship == "His friend from college"
    assert introduction.introducer_phone == "07700 900777"
    assert (introduction.person.given_name, introduction.person.family_name) == ("Daniel", "Brooks")
    assert introduction.person.phone == "07700 900888" and introduction.person.may_phone
    assert introduction.in_their_words == "He has stopped going out since he lost his job."


def test_an_urgent_introduction_shows_help_at_once_and_tops_the_queue(
    new_page: Callable[..., Page], cast: Cast
) -> None:
    # Given Tom, who introduces himself
    page = new_page()
    _start(page)
    page.get_by_label("Myself", exact=True).check()
    submit(page, "Continue")
    page.get_by_label("First name", exact=True).fill("Tom")
    page.get_by_label("Last name (optional)").fill("Reid")
    submit(page, "Continue")
    page.get_by_label("Phone number (optional)").fill("07700 900789")
    submit(page, "Continue")
    page.get_by_label("Phone call", exact=True).check()
    submit(page, "Continue")
    submit(page, "Continue")  # what has brought him here: he will say when we talk

    # When he says that something is making him feel unsafe right now
    _heading(page, "Is anything making you feel unsafe right now?")
    page.get_by_label("Yes", exact=True).check()
    submit(page, "Continue")

    # Then the next page shows at once where to get help now
    _heading(page, "Help is available now")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Call 999, or go to A&E now.")
    expect(main).to_contain_text("Call NHS 111 and choose option 2 for mental health")
    expect(main).to_contain_text("Call Samaritans free on 116 123")
    expect(main).to_contain_text("We will contact you today")

    # When he carries on and sends the introduction
    submit(page, "Continue")
    _heading(page, "Is there anything we should know?")
    submit(page, "Continue")
    _heading(page, "Is there anyone else we may talk to?")
    submit(page, "Continue")
    page.get_by_label("It is OK for Living Well to contact me").check()
    page.get_by_label("No", exact=True).check()
    submit(page, "Continue")
    _heading(page, "Check your answers before sending your introduction")
    expect(page.locator(".nhsuk-summary-list__row").filter(has_text="Feeling unsafe right now")).to_contain_text("Yes")
    submit(page, "Send introduction")

    # Then the confirmation says the Hub will contact him today, and the introduction is urgent
    reference = _reference(page)
    expect(page.get_by_role("heading", name="We will contact you today")).to_be_visible()
    introduction = Introduction.objects.get(reference=reference)
    assert introduction.urgent
    assert introduction.unsafe_now == UnsafeNow.YES

    # When the Hub coordinator opens the front door queue
    coordinator = new_page()
    sign_in(coordinator, cast.coordinator.email)
    visit(coordinator, "/front-door/")

    # Then Tom's introduction comes first, marked urgent, ahead of Sam who has waited three days
    rows = coordinator.get_by_role("row")
    expect(rows.nth(1)).to_contain_text("Tom Reid")
    expect(rows.nth(1)).to_contain_text(reference)
    expect(rows.nth(1)).to_contain_text("Urgent")
    expect(rows.nth(2)).to_contain_text("Sam Taylor")
    expect(rows.nth(2)).not_to_contain_text("Urgent")
