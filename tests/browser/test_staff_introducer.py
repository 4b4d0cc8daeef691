"""A GP introduces someone through the staff form, and later sees what happened: nothing more."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from livingwell.access import services
from livingwell.access.models import Introduction, IntroductionState, NotifyBy, PersonAware, Place, Source
from livingwell.network.models import Organisation, Role, Sector
from livingwell.testing import Cast, make_member
from tests.browser.steps import follow, sign_in, submit, visit

KAIS_STORY = "Kai has been very anxious since a car accident and has stopped driving to work."


def test_a_gp_introduces_someone_and_follows_what_happened(page: Page, cast: Cast) -> None:
    # Given Dr Adeyemi, a GP at a practice in the Living Well network
    practice = Organisation.objects.create(site=cast.site, name="Stockwell Group Practice", sector=Sector.PRIMARY_CARE)
    gp = make_member(cast.site, practice, Role.INTRODUCER, name="Dr Ruth Adeyemi")

    # When she signs in and opens the introductions from the menu
    sign_in(page, gp.email)
    follow(page, "Introduce someone")
    expect(page.get_by_role("heading", level=1)).to_have_text("Introductions I made")
    expect(page.get_by_text("You have not introduced anyone yet.")).to_be_visible()

    # And starts an introduction (a link with the role of a button)
    submit(page, "Introduce someone")
    expect(page.get_by_role("heading", level=1)).to_have_text("Introduce someone to Living Well")
    expect(page.get_by_label("What kind of service are you?")).to_have_value(Source.GP)

    # And sends it without the person's first name, with a phone number that cannot be one
    page.get_by_label("Last name (optional)").fill("Nguyen")
    page.get_by_label("Phone number (optional)", exact=True).fill("12345")
    page.get_by_label("What has brought them here? (optional)").fill(KAIS_STORY)
    submit(page, "Send introduction")

    # Then the form says what is wrong, at the top and by each field, and keeps what she wrote
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link", name="Enter the person's first name")).to_have_attribute(
        "href", "#id_given_name"
    )
    expect(summary.get_by_role("link", name="Select whether the person knows about this introduction")).to_be_visible()
    expect(page.get_by_label("First name", exact=True)).to_have_accessible_description(
        re.compile("Enter the person's first name")
    )
    phone = page.get_by_label("Phone number (optional)", exact=True)
    expect(phone).to_have_accessible_description(re.compile("Enter a phone number, like 07700 900 982"))
    expect(page.get_by_label("Last name (optional)")).to_have_value("Nguyen")
    expect(page.get_by_label("What has brought them here? (optional)")).to_have_value(KAIS_STORY)
    assert not Introduction.objects.filter(introducing_organisation=practice).exists()

    # When she puts it right and sends it again
    page.get_by_label("First name", exact=True).fill("Kai")
    phone.fill("07700 900321")
    page.get_by_label("Phone call").check()
    page.get_by_label("Yes, they know and agree").check()
    page.get_by_label("They agree to their information being shared within the Living Well network").check()
    page.get_by_label("By phone").check()
    submit(page, "Send introduction")

    # Then she is told the reference, and sees the introduction on her list as new
    introduction = Introduction.objects.select_related("person").get(introducing_organisation=practice)
    expect(page.get_by_role("heading", level=1)).to_have_text("Introductions I made")
    expect(page.get_by_text(f"Introduction sent. The reference is {introduction.reference}")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=introduction.reference)
    expect(row).to_contain_text("Kai Nguyen")
    expect(row).to_contain_text("New")
    expect(row).to_contain_text("Not yet")

    # And the Hub has the introduction from her practice, made by her, as she wrote it
    assert introduction.source == Source.GP
    assert introduction.person_aware == PersonAware.AGREES
    assert introduction.introducer_name == "Dr Ruth Adeyemi"
    assert introduction.introducer_email == gp.email
    assert introduction.introduced_by == gp
    assert introduction.in_their_words == KAIS_STORY
    assert introduction.person.phone == "07700 900321" and introduction.person.may_phone
    assert introduction.preferred_places == [Place.PHONE]

    # When the Hub coordinator books Kai's first conversation
    services.booking_create(
        actor=cast.coordinator,
        introduction=introduction,
        starts_at=timezone.now() + dt.timedelta(days=3),
        place=Place.PHONE,
        place_detail="Kai will be called on his mobile",
        worker=cast.allocated_worker,
        notify_by=NotifyBy.SMS,
    )
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.BOOKED

    # Then Dr Adeyemi's list shows the first conversation booked, and never what Kai or she told us
    visit(page, "/introductions/")
    row = page.get_by_role("row").filter(has_text=introduction.reference)
    expect(row).to_contain_text("First conversation booked")
    expect(page.get_by_role("main")).not_to_contain_text(KAIS_STORY)
    expect(page.get_by_role("main")).not_to_contain_text("07700 900321")
    expect(page.get_by_role("main")).not_to_contain_text("Kai will be called on his mobile")
