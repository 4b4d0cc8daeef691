"""The person's own record in the browser: Alex signs in, reads and adds to their record, stops sharing
with a partner and sees who tried to look, and never loses words to someone editing at the same time.
Every page is checked with axe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from livingwell.people.models import Story
from livingwell.support.models import WithheldBecause
from livingwell.support.services import contacts
from livingwell.testing import Cast
from tests.browser.axe import check
from tests.browser.steps import follow, follow_link, sign_in, submit, visit


def test_alex_signs_in_reads_their_story_adds_a_goal_agrees_to_their_plan_and_reads_their_notes(
    page: Page, cast: Cast
) -> None:
    # Given Alex's worker wrote a note Alex can read, and a note about Alex's sister that is kept from Alex
    contacts.note_write(actor=cast.allocated_worker, person=cast.person, text="We talked about going back to swimming.")
    contacts.note_write(
        actor=cast.allocated_worker,
        person=cast.person,
        text="Jo told me about her own health in confidence.",
        withhold_because=WithheldBecause.SOMEONE_ELSE,
        withheld_reason="Jo's own health. She has not agreed to share it with Alex.",
        withheld_review_on=timezone.localdate() + dt.timedelta(days=90),
    )

    # When Alex signs in with their email address and password
    sign_in(page, cast.person_user.email)

    # Then they land on their own record and read their story
    expect(page.get_by_role("heading", level=1)).to_have_text("Your record")
    expect(page.get_by_role("heading", name="Your story", level=2)).to_be_visible()
    expect(page.get_by_text("Feeling low since losing my job.")).to_be_visible()

    # When they open their Living Well plan and add a goal in their own words
    follow_link(page, page.locator(".nhsuk-card").get_by_role("link", name="Your Living Well plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your Living Well plan")
    follow_link(page, page.get_by_role("button", name="Add a goal"))
    page.get_by_label("What is your goal?").fill("Get back to swimming twice a week")
    page.get_by_role("radio", name="Recover and stay well").check()
    submit(page, "Add the goal")

    # Then the goal is in their plan, in their words
    expect(page.get_by_text("Goal added to your plan")).to_be_visible()
    expect(page.locator(".nhsuk-card").filter(has_text="Get back to swimming twice a week")).to_be_visible()
    expect(page.get_by_text("Not agreed yet")).to_be_visible()

    # When they read it through and agree to it
    follow(page, "Agree to your plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agree to your plan")
    expect(page.get_by_text("Get back to swimming twice a week")).to_be_visible()
    page.get_by_label("Anything you want to add").fill("It says what I want.")
    submit(page, "I agree with my plan")

    # Then their plan shows that they agreed, signed in
    expect(page.get_by_text("Thank you. Your agreement is recorded")).to_be_visible()
    expect(page.get_by_text("Agreed by you on")).to_be_visible()
    expect(page.get_by_text("You agreed signed in to your record")).to_be_visible()

    # When they open their contacts and notes
    follow(page, "Contacts and notes")

    # Then they read the note about them, and see that a note is not shown to them and why, but not what it says
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts and notes about you")
    expect(page.get_by_text("We talked about going back to swimming.")).to_be_visible()
    expect(page.get_by_text("written on", exact=False).filter(has_text="is not shown to you")).to_be_visible()
    expect(page.get_by_text("Why: It is about someone else, who has not agreed to share it.")).to_be_visible()
    expect(page.get_by_text("Jo told me about her own health")).to_have_count(0)
    expect(page.get_by_text("She has not agreed to share it with Alex")).to_have_count(0)
    expect(page.get_by_role("link", name="How to ask about a note that is not shown to you")).to_be_visible()


def test_alex_stops_sharing_with_housing_and_sees_the_refused_look_in_their_access_log(
    new_page: Callable[..., Page], cast: Cast
) -> None:
    # Given Alex shares their record with Homes for Lambeth, so the housing officer can read it
    housing = new_page()
    sign_in(housing, cast.consent_worker.email)
    visit(housing, f"/people/{cast.person.pk}/")
    expect(housing.get_by_role("heading", level=1)).to_have_text("Alex Morgan")

    # When Alex signs in and stops sharing with Homes for Lambeth
    alex = new_page()
    sign_in(alex, cast.person_user.email)
    follow(alex, "Choose who you share with")
    expect(alex.get_by_role("heading", level=1)).to_have_text("Who you share your record with")
    expect(alex.get_by_role("row").filter(has_text=cast.housing.name)).to_be_visible()
    submit(alex, f"Stop sharing with {cast.housing.name}")

    # Then sharing has stopped
    expect(alex.get_by_text(f"Stopped sharing with {cast.housing.name}")).to_be_visible()
    expect(alex.get_by_text("Not shared with any partner organisation.")).to_be_visible()

    # And the housing officer, looking again, is refused at once
    response = housing.reload()
    check(housing)
    assert response is not None and response.status == 403
    expect(housing.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    expect(housing.get_by_text("Feeling low since losing my job.")).to_have_count(0)

    # And Alex sees both the look and the refused attempt in who has looked at their record
    follow(alex, "Who has looked at your record")
    expect(alex.get_by_role("heading", level=1)).to_have_text("Who has looked at your record")
    looks = alex.get_by_role("row").filter(has_text="Housing Officer")
    expect(looks.filter(has_text="Stopped")).to_have_count(1)
    expect(looks.filter(has_text="Stopped")).to_contain_text(cast.housing.name)
    expect(looks.filter(has_not_text="Stopped")).not_to_have_count(0)


def test_alex_and_their_worker_change_the_story_at_once_and_the_second_save_shows_both_versions(
    new_page: Callable[..., Page], cast: Cast
) -> None:
    story_page = f"/people/{cast.person.pk}/change/story/"

    # Given Alex and their worker both open Alex's story to change it
    alex = new_page()
    sign_in(alex, cast.person_user.email)
    visit(alex, story_page)
    worker = new_page()
    sign_in(worker, cast.allocated_worker.email)
    visit(worker, story_page)
    expect(worker.get_by_role("heading", level=1)).to_have_text("My story")

    # When Alex saves first
    alex.get_by_label("What is going well?").fill("Walking the dog")
    submit(alex, "Save")
    expect(alex.get_by_text("My story saved")).to_be_visible()

    # And the worker saves their own change afterwards
    worker.get_by_label("What is going well?").fill("Seeing my sister")
    submit(worker, "Save")

    # Then the worker sees the conflict, with both versions, and nothing of Alex's is lost
    conflict = worker.locator("#conflict")
    expect(conflict.get_by_role("heading")).to_have_text("Important: Someone else changed this while you were editing")
    both = conflict.get_by_role("row").filter(has_text="What is going well?")
    expect(both).to_contain_text("Walking the dog")
    expect(both).to_contain_text("Seeing my sister")
    expect(worker.get_by_label("What is going well?")).to_have_value("Seeing my sister")
    assert Story.objects.get(person=cast.person).going_well == "Walking the dog"

    # When the worker puts both together and saves again
    worker.get_by_label("What is going well?").fill("Walking the dog and seeing my sister")
    submit(worker, "Save")

    # Then it is saved, and Alex reads it in their record
    expect(worker.get_by_text("My story saved")).to_be_visible()
    expect(worker.get_by_text("Walking the dog and seeing my sister")).to_be_visible()
    visit(alex, "/people/me/")
    expect(alex.get_by_text("Walking the dog and seeing my sister")).to_be_visible()
