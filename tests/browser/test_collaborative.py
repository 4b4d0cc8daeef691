"""The Collaborative in the browser, for a member and for a chair. Every page is checked with axe.

A member: Alex, who is supported by the network, joins the Collaborative as "Sunny" (a separate
identity: nothing of their support record shows), says they are coming to a session, says where they
stand on a decision, rates the six principles of co-production, pitches an idea to the ideas fund and
votes in another round.

A chair: Chris runs a session of the whole Collaborative (plans it, records who came, writes an action),
puts a decision to the group and records it, which then shows in the public decisions log with who
took part; and closes a cycle of a prototype their team is testing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Page, expect

from livingwell.collaborative import prototypes
from livingwell.collaborative.models import (
    Attendance,
    FundPanelist,
    FundRound,
    FundStage,
    Group,
    GroupKind,
    GroupRole,
    Member,
    PitchStatus,
    ReflectionRound,
    Reply,
    Session,
)
from livingwell.collaborative.tests.conftest import add_to_group, make_collab_member, make_group
from livingwell.collaborative.tests.fund_helpers import make_pitch
from livingwell.network.models import Sector
from livingwell.testing import Cast
from tests.browser.steps import follow, follow_link, sign_in, submit, visit

DAY = dt.timedelta(days=1)


@dataclass
class Scene:
    whole: Group
    team: Group
    chair: Member
    co_chair: Member
    carer: Member
    staff: Member
    commissioner: Member
    meeting: Session
    lab_session: Session


def _session(group: Group, title: str, *, days: int, **fields: object) -> Session:
    starts = (timezone.now() + days * DAY).replace(hour=18, minute=0, second=0, microsecond=0)
    return Session.objects.create(
        group=group,
        title=title,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="Brixton Hub, 12 Acre Lane",
        **fields,
    )


def _fill_date(page: Page, day: dt.date) -> None:
    """The form's one date, in its day, month and year boxes."""
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))


def _scene(cast: Cast) -> Scene:
    site = cast.site
    whole = make_group(site, name="Lambeth Living Well Collaborative", kind=GroupKind.COLLABORATIVE)
    team = make_group(site, name="Peer welcome Prototyping Team", kind=GroupKind.PROTOTYPING_TEAM)
    lab = make_group(site, name="Prototyping Lab", kind=GroupKind.PROTOTYPING_LAB)
    chair = make_collab_member(site, user=cast.coordinator, known_as="Chris", organisation=cast.charity, staff=True)
    co_chair = make_collab_member(site, known_as="Pat", lived_experience=True)
    carer = make_collab_member(site, known_as="Kim", carer=True)
    staff = make_collab_member(site, known_as="Sol", organisation=cast.trust, staff=True)
    commissioner = make_collab_member(site, known_as="Morgan", commissioner=True, sector=Sector.LOCAL_AUTHORITY)
    add_to_group(whole, chair, GroupRole.CHAIR)
    add_to_group(whole, co_chair, GroupRole.CO_CHAIR)
    for member in (carer, staff, commissioner):
        add_to_group(whole, member)
    add_to_group(team, chair, GroupRole.CHAIR)
    add_to_group(team, co_chair)
    add_to_group(lab, chair, GroupRole.COORDINATOR)
    meeting = _session(whole, "December meeting of the Collaborative", days=9, agenda="1. The front door\n2. Ideas")
    Attendance.objects.create(session=meeting, member=co_chair, reply=Reply.COMING)
    Attendance.objects.create(session=meeting, member=carer, reply=Reply.COMING)
    lab_session = _session(lab, "November Prototyping Lab", days=-4)
    return Scene(whole, team, chair, co_chair, carer, staff, commissioner, meeting, lab_session)


def _ideas_fund(cast: Cast, scene: Scene) -> None:
    today = timezone.localdate()
    FundRound.objects.create(
        site=cast.site,
        name="Winter ideas",
        about="Ideas that bring people together over the winter.",
        budget=Decimal("3000"),
        largest_award=Decimal("1000"),
        pitches_close_on=today + 20 * DAY,
        voting_closes_on=today + 40 * DAY,
        min_lived_experience_panel=1,
    )
    autumn = FundRound.objects.create(
        site=cast.site,
        name="Autumn ideas",
        about="Ideas for getting out and about.",
        budget=Decimal("1500"),
        pitches_close_on=today - 10 * DAY,
        voting_closes_on=today + 10 * DAY,
        min_lived_experience_panel=1,
        stage=FundStage.VOTING,
    )
    FundPanelist.objects.create(round=autumn, member=scene.co_chair, is_chair=True)
    FundPanelist.objects.create(round=autumn, member=scene.staff)
    for title, by, amount, peer_led in (
        ("Walk and talk on Tuesdays", scene.co_chair, "600", True),
        ("Allotment mornings", scene.carer, "900", False),
        ("Board games night", scene.staff, "400", False),
    ):
        make_pitch(autumn, by, title=title, amount=amount, peer_led=peer_led, status=PitchStatus.SHORTLISTED)


def test_alex_joins_as_sunny_comes_to_a_session_decides_rates_pitches_and_votes(
    new_page: Callable[..., Page], cast: Cast
) -> None:
    scene = _scene(cast)
    _ideas_fund(cast, scene)
    today = timezone.localdate()
    ReflectionRound.objects.create(
        site=cast.site, title="Renewing the juices 2026", opens_on=today - 3 * DAY, closes_on=today + 10 * DAY
    )
    chris = new_page()
    sign_in(chris, cast.coordinator.email)
    visit(chris, f"/collaborative/groups/{scene.whole.pk}/decisions/add/")
    chris.get_by_label("What is being decided").fill("Where the spring open event is held")
    chris.get_by_label("The proposal").fill("At the Brixton library, which is step-free and near the buses.")
    chris.get_by_label("Consent", exact=False).first.check()
    submit(chris, "Put it to the group")
    expect(chris.get_by_role("heading", level=1)).to_contain_text("Where the spring open event is held")

    alex = new_page()
    sign_in(alex, cast.person_user.email)

    # Alex reads about the Collaborative and joins, choosing the name they are known by here
    visit(alex, "/collaborative/")
    expect(alex.get_by_role("heading", level=1)).to_contain_text("Collaborative")
    follow(alex, "How to join the Collaborative")
    expect(alex.get_by_label("The name you want to be known by here")).to_have_value("")
    submit(alex, "Join the Collaborative")
    expect(alex.locator(".nhsuk-error-summary")).to_be_visible()
    alex.get_by_label("The name you want to be known by here").fill("Sunny")
    alex.get_by_label("Lived experience", exact=False).first.check()
    submit(alex, "Join the Collaborative")
    expect(alex.get_by_text("Welcome to the Collaborative, Sunny")).to_be_visible()
    expect(alex.locator("main")).not_to_contain_text("Alex")
    expect(alex.locator("main")).not_to_contain_text("Morgan")

    # Sunny says they are coming to the December meeting, and sees the mix of who is coming
    follow(alex, "December meeting of the Collaborative")
    alex.get_by_label("Yes, I am coming").check()
    submit(alex, "Send reply")
    main = alex.locator("main")
    expect(main).to_contain_text("3 members said they are coming: Kim, Pat, Sunny.")
    expect(main).to_contain_text("2 of 3 (67%)")
    expect(main).not_to_contain_text("Alex")

    # Sunny says where they stand on the decision the chair put to the Collaborative
    visit(alex, "/collaborative/workspace/")
    follow(alex, "Where the spring open event is held")
    follow_link(alex, alex.get_by_role("button", name="Say where you stand"))
    submit(alex, "Save where I stand")
    expect(alex.locator(".nhsuk-error-summary")).to_be_visible()
    alex.get_by_label("I consent", exact=False).first.check()
    alex.get_by_label("Why").fill("The library is easy to get to, and it is quiet.")
    submit(alex, "Save where I stand")
    expect(alex.locator("main")).to_contain_text("The library is easy to get to, and it is quiet.")

    # Sunny rates the six principles of co-production
    visit(alex, "/collaborative/workspace/")
    follow(alex, "Rate the principles of co-production")
    alex.get_by_role("group", name="Recognising people as assets").get_by_label("Something we were great at").check()
    alex.get_by_role("group", name="Peer support networks").get_by_label("Something we were challenged by").check()
    submit(alex, "Save my answers")
    expect(alex.locator("main")).to_contain_text("Renewing the juices 2026")

    # Sunny pitches an idea to the winter round, first leaving out how much it needs
    visit(alex, "/collaborative/ideas-fund/")
    follow(alex, "Winter ideas")
    follow_link(alex, alex.get_by_role("link", name="Pitch an idea"))
    alex.get_by_label("Name of your idea").fill("Sunday breakfast club")
    alex.get_by_label("Your idea", exact=True).fill(
        "A breakfast on Sunday mornings, cooked together, for anyone who is alone."
    )
    submit(alex, "Save as a draft")
    expect(alex.locator(".nhsuk-error-summary")).to_be_visible()
    expect(alex.get_by_label("Name of your idea")).to_have_value("Sunday breakfast club")
    alex.get_by_label("Who it is for and how it helps").fill("People who spend Sundays on their own.")
    alex.get_by_label("What the money pays for").fill("Food, and hire of the church hall kitchen.")
    alex.get_by_label("How much you are asking for").fill("750")
    submit(alex, "Save as a draft")
    submit(alex, "Send to the panel")
    expect(alex.locator("main")).to_contain_text("Sunday breakfast club")

    # And votes in the autumn round: approval voting, as many ideas as they support
    visit(alex, "/collaborative/ideas-fund/")
    follow(alex, "Autumn ideas")
    follow(alex, "Vote on the shortlist")
    alex.get_by_label("Walk and talk on Tuesdays", exact=False).check()
    alex.get_by_label("Allotment mornings", exact=False).check()
    submit(alex, "Save my approvals")
    expect(alex.locator("main")).to_contain_text("You approved 2 pitches")

    # The chair sees Sunny's stance among the members', and never Alex's name
    visit(chris, "/collaborative/decisions/")
    follow(chris, "Where the spring open event is held")
    expect(chris.locator("main")).to_contain_text("Sunny")
    expect(chris.locator("main")).not_to_contain_text("Alex Morgan")


def test_chris_runs_a_session_records_a_decision_and_closes_a_prototype_cycle(
    new_page: Callable[..., Page], cast: Cast
) -> None:
    scene = _scene(cast)
    prototype = prototypes.prototype_start(
        actor=cast.coordinator,
        group=scene.team,
        answers=prototypes.PrototypeAnswers(
            title="Peer welcome at the café",
            idea="A peer worker welcomes people at the café on the day they are introduced.",
            hypothesis="We believe a warm welcome will lead to more people coming back.",
            measures="How many people come back within a month.",
        ),
    )
    prototypes.cycle_start(actor=cast.coordinator, prototype=prototype, plan="Try it on Tuesdays for a month.")
    chris = new_page()
    sign_in(chris, cast.coordinator.email)

    # Chris plans a session of the whole Collaborative
    visit(chris, f"/collaborative/groups/{scene.whole.pk}/")
    follow(chris, "plan a session")
    yesterday = timezone.localdate() - DAY
    chris.get_by_label("Title").fill("Front door check-in")
    _fill_date(chris, yesterday)
    chris.get_by_label("Start time").fill("6pm")
    chris.get_by_label("End time").fill("8pm")
    chris.get_by_label("Where").fill("Brixton Hub, 12 Acre Lane")
    chris.get_by_label("Agenda").fill("How the front door felt this month.")
    submit(chris, "Plan the session")
    expect(chris.get_by_role("heading", level=1)).to_contain_text("Front door check-in")

    # After it, Chris records who came, with two guests, and sees the mix
    follow(chris, "Record who came")
    for name in ("Chris", "Pat", "Kim", "Morgan"):
        chris.get_by_label(name, exact=False).first.check()
    chris.get_by_label("People who came who are not members").fill("2")
    submit(chris, "Save who came")
    main = chris.locator("main")
    expect(main).to_contain_text("4 members came, with 2 guests who are not members.")
    expect(main).to_contain_text("Chris, Kim, Morgan, Pat")
    expect(main).to_contain_text("1 of 4 (25%) had lived experience.")

    # Chris writes down an action agreed in the session, for Pat
    follow(chris, "Add an action agreed in this session")
    chris.get_by_label("What will be done").fill("Ask the Hubs how people first heard of them")
    chris.get_by_label("Who will do it").select_option(label="Pat")
    due = timezone.localdate() + 30 * DAY
    _fill_date(chris, due)
    submit(chris, "Add the action")
    expect(chris.locator("main")).to_contain_text("Ask the Hubs how people first heard of them")

    # Chris puts a decision to the Collaborative, adds who took part in the room, and records it
    visit(chris, f"/collaborative/groups/{scene.whole.pk}/decisions/add/")
    chris.get_by_label("What is being decided").fill("Fund a peer worker at the café")
    chris.get_by_label("The proposal").fill("Use £4,000 of the network's budget for a peer worker for six months.")
    chris.get_by_label("Consent", exact=False).first.check()
    chris.get_by_label("Money involved (£)").fill("4000")
    chris.get_by_label("Where the money comes from").fill("The network's peer support budget")
    held = chris.locator("#id_session option", has_text="Front door check-in").get_attribute("value")
    chris.get_by_label("The session where it is decided").select_option(value=held)
    submit(chris, "Put it to the group")
    follow(chris, "Add people who took part in the meeting")
    for member, stance in (("Pat", "Consent"), ("Kim", "Consent"), ("Morgan", "Stand aside")):
        chris.get_by_label("Who took part").select_option(label=member)
        chris.get_by_role("radio", name=stance, exact=True).check()
        submit(chris, "Add to who took part")
    expect(chris.locator("table")).to_contain_text("Morgan")
    follow(chris, "Back")
    follow(chris, "Record the result")
    chris.get_by_label("Agreed", exact=False).first.check()
    chris.get_by_label("Why", exact=True).fill("Nobody objected; Pat asked that the post is advertised at the Hubs.")
    today = timezone.localdate()
    _fill_date(chris, today)
    submit(chris, "Record the result")
    expect(chris.locator("main")).to_contain_text("Agreed")

    # And says who will carry it out, by when: the decision follows its action
    follow(chris, "Add an action for this decision")
    chris.get_by_label("What will be done").fill("Advertise the peer worker post at the Hubs")
    chris.get_by_label("Who will do it").select_option(label="Kim")
    due = timezone.localdate() + 21 * DAY
    _fill_date(chris, due)
    submit(chris, "Add the action")
    expect(chris.get_by_role("heading", level=1)).to_contain_text("Fund a peer worker at the café")
    expect(chris.locator("#actions + table, #actions ~ table").first).to_contain_text(
        "Advertise the peer worker post at the Hubs"
    )

    # Anyone can see who decided it, with whom
    anyone = new_page()
    visit(anyone, "/collaborative/decisions-log/")
    follow(anyone, "Fund a peer worker at the café")
    main = anyone.locator("main")
    expect(main).to_contain_text("Lambeth Living Well Collaborative")
    expect(main).to_contain_text("Agreed, on")
    expect(main).to_contain_text("£4,000")
    expect(main).to_contain_text("The network's peer support budget")
    expect(main).to_contain_text("4 people took part, 1 with lived experience (25%)")
    stood = main.get_by_role("table", name="How many people chose each stance")
    expect(stood.get_by_role("row", name=re.compile("^Consent 2"))).to_be_visible()
    expect(stood.get_by_role("row", name=re.compile("^Stand aside 1"))).to_be_visible()
    expect(main).to_contain_text("Advertise the peer worker post at the Hubs")
    who = main.get_by_role("table", name=re.compile("Each person who took part"))
    expect(who).to_contain_text("A member with lived experience")
    expect(who).not_to_contain_text("Pat")

    # Chris takes the prototype's first cycle through do and study to act, and closes it
    visit(chris, f"/collaborative/prototypes/{prototype.pk}/")
    follow(chris, "Continue cycle 1")
    submit(chris, "Start the test")
    chris.get_by_label("Do: what happened", exact=False).fill("Eleven people were welcomed on four Tuesdays.")
    submit(chris, "Save and move on to study")
    chris.get_by_label("Study: what we learnt", exact=False).fill("Seven came back, more than we predicted.")
    chris.get_by_label("The Lab session where the learning was shared").select_option(index=1)
    submit(chris, "Save and move on to act")
    submit(chris, "Close the cycle")
    expect(chris.locator(".nhsuk-error-summary")).to_contain_text("Choose whether to adopt, adapt or abandon it")
    chris.get_by_label("Adopt: keep doing it").check()
    chris.get_by_label("Act: what we will do next").fill("Keep it going on Tuesdays and add Thursdays.")
    submit(chris, "Close the cycle")
    expect(chris.get_by_text("Cycle 1 closed: Adopt: keep doing it")).to_be_visible()
    cycle = chris.locator("main")
    expect(cycle).to_contain_text("Seven came back, more than we predicted.")
    expect(cycle).to_contain_text("November Prototyping Lab")
    expect(cycle).to_contain_text("Keep it going on Tuesdays and add Thursdays.")
