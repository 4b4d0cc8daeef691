"""Living Well support in the browser, as the team works it: choosing a worker at the huddle, the Living
Well plan, contacts and notes, and moving on. Every page is checked with axe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from livingwell.support.models import SupportPeriod, WorkerKind
from livingwell.testing import Cast, make_person
from tests.browser.axe import check
from tests.browser.steps import follow, follow_link, sign_in, submit, visit


def _fill_date(page: Page, group: str, day: dt.date) -> None:
    """Fill the day, month and year of the date question whose legend is `group`."""
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def test_a_team_leader_chooses_a_worker_at_the_huddle_and_says_why_it_is_not_who_they_asked_for(
    page: Page, cast: Cast
) -> None:
    # Given Priya started with the North team two days ago, asking for a peer worker, and has no worker yet
    priya = make_person(cast.site, "Priya", "Shah")
    SupportPeriod.objects.create(
        person=priya,
        team=cast.team_a,
        started_at=timezone.now() - dt.timedelta(days=2),
        wanted_kind=WorkerKind.PEER,
        wanted_note="Someone who has been through it too",
    )

    # When the team leader opens the team huddle and starts today's huddle
    sign_in(page, cast.team_leader.email)
    follow(page, "Team huddle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Team huddle")
    submit(page, "Start today's huddle")
    expect(page.get_by_text("Today's huddle has started")).to_be_visible()

    # Then Priya is waiting for a worker, with what she asked for
    waiting = page.get_by_role("table").filter(has=page.get_by_role("link", name="Choose the worker about Priya Shah"))
    expect(waiting).to_contain_text("Asked for: A peer worker")
    expect(waiting).to_contain_text("Someone who has been through it too")

    # When they choose a recovery worker, who is not what Priya asked for, without saying why
    follow(page, "Choose the worker about Priya Shah")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a worker for Priya Shah")
    page.get_by_role("radio", name="Team Worker").check()
    submit(page, "Save the worker")

    # Then they are told to say why
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_role("link", name="Say why the worker is not who Priya Shah asked for")).to_be_visible()

    # When they say why and save again
    page.get_by_label("Why is this not who Priya Shah asked for?").fill(
        "None of our peer workers is free until May. Team Worker can start this week."
    )
    submit(page, "Save the worker")

    # Then Priya's support page shows her new worker, and why it is not who she asked for
    expect(page.get_by_text("Team Worker is now Priya Shah's worker")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support")
    worker = page.get_by_role("row").filter(has_text="Team Worker")
    expect(worker).to_contain_text("Not who Priya Shah asked for, because: None of our peer workers is free until May.")
    expect(worker).to_contain_text("Team Leader")

    # When the team leader goes back to the huddle and records what the team decided about Priya
    follow(page, "Team huddle")
    expect(page.get_by_role("link", name="Choose the worker about Priya Shah")).to_have_count(0)
    follow(page, "Record a decision about Priya Shah")
    expect(page.get_by_role("radio", name="New since last huddle")).to_be_checked()
    page.get_by_label("What did the team decide?").fill(
        "Team Worker meets Priya this week. Ask again for a peer worker in May."
    )
    submit(page, "Save the decision")

    # Then the decision is on today's huddle, against Priya
    expect(page.get_by_text("Decision about Priya Shah recorded")).to_be_visible()
    decision = page.locator("#decisions ~ table").get_by_role("row").filter(has_text="Priya Shah")
    expect(decision).to_contain_text("Ask again for a peer worker in May.")
    expect(decision).to_contain_text("Team Leader")


def test_a_worker_writes_the_living_well_plan_with_alex_and_records_that_alex_agreed(page: Page, cast: Cast) -> None:
    # Given Alex's worker, with Alex, on Alex's Living Well plan, which is empty
    sign_in(page, cast.allocated_worker.email)
    visit(page, f"/people/{cast.person.pk}/")
    follow(page, "Living Well plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Living Well plan")
    expect(page.get_by_role("heading", name="What a Living Well plan is")).to_be_visible()

    # When they add a goal in Alex's words, for one of the Big Three
    follow_link(page, page.get_by_role("button", name="Add a goal"))
    page.get_by_label("What is Alex Morgan's goal?").fill("Go swimming with my brother on Sundays")
    page.get_by_role("radio", name="Participate on an equal footing in daily life").check()
    submit(page, "Add the goal")

    # Then the goal is in the plan, under the outcome it is for
    expect(page.get_by_text("Goal added to the plan")).to_be_visible()
    goal = page.locator(".nhsuk-card").filter(has_text="Go swimming with my brother on Sundays")
    expect(goal).to_be_visible()
    under = page.locator("h3:text-is('Participate on an equal footing in daily life') + .nhsuk-card")
    expect(under).to_contain_text("Go swimming with my brother on Sundays")

    # When they add an action for the goal that Alex will do, by a date
    due = timezone.localdate() + dt.timedelta(days=14)
    follow_link(page, goal.get_by_role("link", name="Add an action for this goal"))
    expect(page.get_by_label("Which goal is it for?").locator("option:checked")).to_have_text(
        "Go swimming with my brother on Sundays"
    )
    page.get_by_label("What will be done?").fill("Ask at the leisure centre about Sunday swimming times")
    page.get_by_role("radio", name="Alex Morgan", exact=True).check()
    _fill_date(page, "By when", due)
    submit(page, "Add the action")

    # Then the action is under the goal, with who will do it and when
    expect(page.get_by_text("Action added to the plan")).to_be_visible()
    action = goal.get_by_role("row").filter(has_text="Ask at the leisure centre about Sunday swimming times")
    expect(action).to_contain_text("Alex Morgan")
    expect(action).to_contain_text(f"{due.day} {due:%B %Y}")

    # When they write the safety plan with Alex
    follow(page, "Write the safety plan")
    page.get_by_label("What are the signs that things are getting hard for Alex Morgan?").fill(
        "I stop answering the phone."
    )
    page.get_by_label("Who can Alex Morgan contact in a crisis?").fill("My sister Jo, 07700 900123")
    submit(page, "Save the safety plan")

    # Then the plan shows the safety plan
    expect(page.get_by_text("Safety plan saved")).to_be_visible()
    expect(page.get_by_text("I stop answering the phone.")).to_be_visible()
    expect(page.get_by_text("My sister Jo, 07700 900123")).to_be_visible()
    expect(page.get_by_text("Not agreed yet")).to_be_visible()

    # When they record that Alex agreed to the plan in conversation
    follow(page, "Record that Alex Morgan agreed to the plan")
    expect(page.get_by_text("Go swimming with my brother on Sundays")).to_be_visible()
    page.get_by_label("Anything Alex Morgan wants to add").fill("Happy with this for now.")
    submit(page, "Alex Morgan agreed in conversation")

    # Then the plan shows the agreement, how it was given and who recorded it
    expect(page.get_by_text("Recorded that Alex Morgan agreed")).to_be_visible()
    expect(page.get_by_text("Agreed by Alex Morgan on")).to_contain_text("(version 3)")
    expect(page.get_by_text("Agreed in conversation, recorded by Allocated Peer")).to_be_visible()
    expect(page.get_by_text("Happy with this for now.")).to_be_visible()

    # And every version lists what changed, who changed it, and which version Alex agreed to
    follow(page, "See every version of the plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Every version of the plan")
    rows = page.get_by_role("row")
    expect(rows.filter(has_text="Version 1")).to_contain_text("Added the goal")
    expect(rows.filter(has_text="Version 2")).to_contain_text("Added the action")
    expect(rows.filter(has_text="Version 3")).to_contain_text("Changed the safety plan")
    expect(rows.filter(has_text="Version 3")).to_contain_text("Agreed by Alex Morgan on")
    for number in (1, 2, 3):
        expect(rows.filter(has_text=f"Version {number}")).to_contain_text("You")


def test_a_worker_records_a_contact_and_keeps_a_note_about_someone_else_from_the_person(page: Page, cast: Cast) -> None:
    # Given Alex's worker, who met Alex and Alex's sister yesterday
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    sign_in(page, cast.allocated_worker.email)
    visit(page, f"/people/{cast.person.pk}/")
    follow(page, "Contacts and notes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts and notes")

    # When they record the contact: when, how, how long, where, who took part, and a note
    follow_link(page, page.get_by_role("button", name="Record a contact"))
    _fill_date(page, "Date of the contact", yesterday)
    page.get_by_label("Time of the contact").fill("14:30")
    page.get_by_role("radio", name="Met in person").check()
    expect(page.get_by_role("radio", name="Took place")).to_be_checked()
    page.get_by_label("How long it lasted, in minutes").fill("45")
    page.get_by_label("Where (optional)", exact=True).fill("Brixton Library café")
    expect(page.get_by_role("checkbox", name="Allocated Peer (Peer worker, you)")).to_be_checked()
    page.get_by_role("checkbox", name="Team Worker (Recovery worker)").check()
    page.get_by_label("Anyone else who took part").fill("Jo, Alex's sister")
    page.get_by_label("Note (optional)", exact=True).fill("We talked about going back to swimming.")
    submit(page, "Save contact")

    # Then the contact is on the contacts page with its note, which Alex can read
    expect(page.get_by_text("Contact recorded")).to_be_visible()
    contact = page.locator("section").filter(has=page.get_by_role("heading", name="Met in person"))
    expect(contact).to_contain_text("45 minutes")
    expect(contact).to_contain_text("Brixton Library café")
    expect(contact).to_contain_text("Allocated Peer, Team Worker")
    expect(contact).to_contain_text("Jo, Alex's sister")
    expect(contact).to_contain_text("We talked about going back to swimming.")
    expect(contact.locator(".nhsuk-tag--orange")).to_have_count(0)

    # When they write a second note, about Jo, and keep it from Alex with a reason
    follow_link(page, page.get_by_role("button", name="Write a note"))
    page.get_by_label("Note", exact=True).fill("Jo told me about her own health in confidence.")
    page.get_by_role("radio", name="No: it is about someone else, who has not agreed to share it").check()
    page.get_by_label("Why, in your words").fill("Jo's own health. She has not agreed to share it with Alex.")
    _fill_date(page, "Date to look again", timezone.localdate() + dt.timedelta(days=90))
    submit(page, "Save note")

    # Then both notes show for staff, the second tagged as not shown to Alex, with the reason
    expect(page.get_by_text("Note saved")).to_be_visible()
    expect(page.get_by_text("We talked about going back to swimming.")).to_be_visible()
    withheld = page.locator("div[id^='note-']").filter(has_text="Jo told me about her own health in confidence.")
    expect(withheld.locator(".nhsuk-tag--orange")).to_have_text(
        "Not shown to Alex Morgan: it is about someone else, who has not agreed to share it"
    )
    expect(withheld).to_contain_text("Jo's own health. She has not agreed to share it with Alex.")
    expect(withheld.get_by_role("link", name="Show this note to Alex Morgan")).to_be_visible()


def test_a_worker_moves_alex_on_and_alex_reads_the_farewell_summary(new_page: Callable[..., Page], cast: Cast) -> None:
    # Given Alex's worker, on Alex's support page
    page = new_page()
    sign_in(page, cast.allocated_worker.email)
    visit(page, f"/people/{cast.person.pk}/support/")

    # When they end support with Alex and write the farewell summary together
    follow(page, f"Moving on from {cast.team_a.name}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Moving on from {cast.team_a.name}")
    expect(page.get_by_label("How to come back")).not_to_be_empty()
    page.get_by_role("radio", name="The person reached what they came for").check()
    page.get_by_label("What helped", exact=True).fill(
        "Walking with the Saturday group, and talking to someone who had been there."
    )
    page.get_by_label("Anything they want to say").fill("Thank you for listening.")
    expect(page.get_by_role("radio", name="Yes, we wrote it together")).to_be_checked()
    submit(page, "End support and save the farewell summary")

    # Then support has ended, and they are told they no longer see Alex's record
    expect(page.get_by_text(f"Alex Morgan has moved on from {cast.team_a.name}")).to_be_visible()
    expect(page.get_by_text("You no longer see their record")).to_be_visible()

    # And when they try to open Alex's record, they are refused
    response = page.goto(f"/people/{cast.person.pk}/")
    check(page)
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    expect(page.get_by_text("Walking with the Saturday group")).to_have_count(0)

    # When Alex signs in and opens their support
    alex = new_page()
    sign_in(alex, cast.person_user.email)
    expect(alex.get_by_text("You do not have Living Well support at the moment.")).to_be_visible()
    follow(alex, "See your support so far")
    follow(alex, "Read your farewell summary")

    # Then Alex reads the farewell summary, and can come back
    expect(alex.get_by_role("heading", level=1)).to_have_text("Your farewell summary")
    expect(
        alex.get_by_text("Walking with the Saturday group, and talking to someone who had been there.")
    ).to_be_visible()
    expect(alex.get_by_text("Thank you for listening.")).to_be_visible()
    expect(alex.get_by_text("Yes, written together with you")).to_be_visible()
    come_back = alex.get_by_role("link", name="Come back to Living Well")
    expect(come_back).to_be_visible()
    follow_link(alex, come_back)
    expect(alex.get_by_role("radio", name=f"Pick up where I left off, with {cast.team_a.name}")).to_be_visible()
