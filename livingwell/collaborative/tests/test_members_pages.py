"""The member's home, the list of members, a member's page, my membership, leaving, and requests to join:
who may see and do what, what the pages show, their audit and their queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.collaborative import members
from livingwell.collaborative.members import JoinAnswers
from livingwell.collaborative.models import (
    ActionPoint,
    ActionStatus,
    Attendance,
    Decision,
    DecisionMethod,
    DecisionParticipant,
    FundRound,
    FundStage,
    GroupMembership,
    GroupRole,
    JoinRequest,
    JoinRequestStatus,
    Member,
    Perspective,
    Principle,
    PrincipleRating,
    PrincipleView,
    ReflectionRound,
    Reply,
    Stance,
)
from livingwell.collaborative.tests.conftest import Collab, add_to_group, make_collab_member, make_group
from livingwell.collaborative.tests.test_public_pages import make_session
from livingwell.messaging.models import Message
from livingwell.network.tests.conftest import sign_in_verified

pytestmark = pytest.mark.django_db

HOME = reverse("collaborative:home")
MEMBERS = reverse("collaborative:members")
ME = reverse("collaborative:my_membership")
REQUESTS = reverse("collaborative:join_requests")

MaxQueries = Callable[[int], Any]


def client_for(member: Member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def _refusals(what: str) -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(outcome=Outcome.REFUSED).order_by("id")
        if e.detail.get("area") == "collaborative" and e.detail.get("what") == what
    ]


def _allowed(what: str) -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(outcome=Outcome.ALLOWED).order_by("id")
        if e.detail.get("area") == "collaborative" and e.detail.get("what") == what
    ]


def _decision(collab: Collab, title: str, **fields: Any) -> Decision:
    values: dict[str, Any] = {
        "group": collab.design,
        "title": title,
        "proposal": "A proposal.",
        "method": DecisionMethod.CONSENT,
    }
    values.update(fields)
    return Decision.objects.create(**values)


def _home_world(collab: Collab) -> None:
    """Sunny (collab.lived) is in the whole Collaborative and the Design Team."""
    today = timezone.localdate()
    other = make_group(collab.site, name="Housing Prototyping Team")
    design_meeting = make_session(collab, "Design Team meeting", days=5, open_event=False, group=collab.design)
    Attendance.objects.create(session=design_meeting, member=collab.lived, reply=Reply.COMING)
    make_session(collab, "Open event at the library", days=12)  # an open event of the whole Collaborative
    make_session(collab, "Housing team meeting", days=6, open_event=False, group=other)  # not Sunny's group
    make_session(collab, "Far away meeting", days=75, open_event=False, group=collab.design)  # beyond 60 days
    make_session(collab, "Last week's meeting", days=-7, open_event=False, group=collab.design)
    ActionPoint.objects.create(
        group=collab.design,
        description="Write up the café idea",
        owner=collab.lived,
        due_on=today + dt.timedelta(days=3),
    )
    ActionPoint.objects.create(
        group=collab.design,
        description="Ask the library about rooms",
        owner=collab.lived,
        due_on=today - dt.timedelta(days=2),
    )
    ActionPoint.objects.create(
        group=collab.design,
        description="Already done",
        owner=collab.lived,
        due_on=today,
        status=ActionStatus.DONE,
        done_on=today,
    )
    ActionPoint.objects.create(group=collab.design, description="Kim's action", owner=collab.carer, due_on=today)
    _decision(collab, "Where the drop-in meets")
    said = _decision(collab, "Opening hours")
    DecisionParticipant.objects.create(decision=said, member=collab.lived, stance=Stance.CONSENT)
    asked = _decision(collab, "Name of the café")
    DecisionParticipant.objects.create(decision=asked, member=collab.lived)  # asked, not yet said
    _decision(collab, "Housing leaflet", group=other)
    round_ = ReflectionRound.objects.create(
        site=collab.site,
        title="Renewing the juices 2026",
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=10),
    )
    for principle in (Principle.ASSETS, Principle.MUTUALITY):
        PrincipleRating.objects.create(round=round_, member=collab.lived, principle=principle, view=PrincipleView.GREAT)
    PrincipleRating.objects.create(
        round=round_, member=collab.carer, principle=Principle.BLURRING, view=PrincipleView.GREAT
    )
    FundRound.objects.create(
        site=collab.site,
        name="Ideas fund spring 2026",
        about="Small grants.",
        budget=Decimal("5000"),
        pitches_close_on=today + dt.timedelta(days=20),
        voting_closes_on=today + dt.timedelta(days=40),
        stage=FundStage.PITCHING,
    )


# ---- the member's home ----------------------------------------------------------------------------


def test_home_shows_your_groups_sessions_actions_decisions_reflection_and_fund(collab: Collab) -> None:
    _home_world(collab)
    html = client_for(collab.lived).get(HOME).content.decode()
    assert "<h1>Your Collaborative</h1>" in html
    assert "You are known here as <strong>Sunny</strong>" in html
    assert "Alex" not in html.split("<main", 1)[1]
    # Groups with the role.
    assert "Front door Design Team" in html and "Lambeth Living Well Collaborative" in html
    # Sessions: the Design Team meeting (coming) and the open event (not replied); nothing else.
    assert "Design Team meeting" in html and "You are coming" in html
    assert "Open event at the library" in html and "You have not replied" in html
    for absent in ("Housing team meeting", "Far away meeting", "Last week&#39;s meeting"):
        assert absent not in html
    # Actions: the overdue one first, then the next; not done ones or other people's.
    overdue_at = html.index("Ask the library about rooms")
    assert overdue_at < html.index("Write up the café idea")
    assert "1 action is past the date agreed." in html and "Overdue" in html
    assert "Already done" not in html and "Kim&#39;s action" not in html
    # Decisions: the two where Sunny has not said where they stand, in Sunny's groups.
    assert "Where the drop-in meets" in html and "Name of the café" in html
    assert "Opening hours" not in html and "Housing leaflet" not in html
    # Reflection: 2 of the 6 principles rated.
    assert "Renewing the juices 2026" in html and "You have rated 2 of 6 principles" in html
    assert "Ideas fund spring 2026" in html and "Taking pitches" in html and "£5,000" in html
    # Not a steward: no requests to join.
    assert "waiting for a welcome" not in html and f'href="{REQUESTS}"' not in html
    for name in (
        "groups",
        "sessions",
        "decisions",
        "prototypes",
        "stories",
        "reflection",
        "fund",
        "members",
        "who_holds",
    ):
        assert f'href="{reverse(f"collaborative:{name}")}"' in html
    assert f'href="{reverse("community:picture")}"' in html


def test_stewards_see_how_many_requests_to_join_are_waiting(collab: Collab) -> None:
    for n in range(2):
        members.join_request_add(
            site=collab.site,
            answers=JoinAnswers(
                known_as=f"Asker {n}", email=f"asker{n}@example.org", perspectives=frozenset({Perspective.CITIZEN})
            ),
        )
    html = client_for(collab.chair).get(HOME).content.decode()
    assert "2 requests to join are waiting for a welcome." in html
    assert f'href="{REQUESTS}"' in html
    plain = client_for(collab.carer).get(HOME).content.decode()
    assert "waiting for a welcome" not in plain and f'href="{REQUESTS}"' not in plain


def test_home_queries_do_not_grow_with_the_amount_of_work(
    collab: Collab, django_assert_max_num_queries: MaxQueries
) -> None:
    client = client_for(collab.lived)
    client.get(HOME)  # warm the session
    with django_assert_max_num_queries(18):
        small = client.get(HOME)
    assert small.status_code == 200
    _home_world(collab)
    for n in range(10):
        group = make_group(collab.site, name=f"Extra group {n}")
        add_to_group(group, collab.lived)
        make_session(collab, f"Extra meeting {n}", days=n + 1, open_event=False, group=group)
        ActionPoint.objects.create(
            group=group, description=f"Extra action {n}", owner=collab.lived, due_on=timezone.localdate()
        )
        _decision(collab, f"Extra decision {n}", group=group)
    with django_assert_max_num_queries(18):
        big = client.get(HOME)
    assert "Extra meeting 9" in big.content.decode()


def test_someone_who_is_not_a_member_is_sent_to_join(collab: Collab) -> None:
    client = Client()
    client.force_login(collab.outsider)
    response = client.get(HOME)
    assert response["Location"] == reverse("collaborative:how_to_join")
    html = client.get(response["Location"]).content.decode()
    assert "The Collaborative&#39;s workspace is for its members." in html
    anonymous = Client().get(HOME)
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]


def test_the_menu_has_the_collaborative_for_everyone_signed_in(collab: Collab) -> None:
    client = Client()
    client.force_login(collab.outsider)
    html = client.get(reverse("collaborative:how_to_join")).content.decode()
    assert f'href="{HOME}"' in html and "Collaborative" in html


def test_core_home_sends_a_member_with_no_role_or_record_to_the_collaborative(collab: Collab) -> None:
    response = client_for(collab.carer).get(reverse("core:home"))
    assert response["Location"] == HOME
    # Sunny has their own record, so they still go to it first.
    assert client_for(collab.lived).get(reverse("core:home"))["Location"] == reverse("people:me")


# ---- members --------------------------------------------------------------------------------------


def test_members_lists_the_listed_with_groups_and_the_whole_mix(
    collab: Collab, django_assert_max_num_queries: MaxQueries
) -> None:
    collab.citizen.listed = False
    collab.citizen.save()
    client = client_for(collab.carer)
    client.get(MEMBERS)
    with django_assert_max_num_queries(16):
        html = client.get(MEMBERS).content.decode()
    assert "<h1>Members</h1>" in html
    for name in ("Chris (chair)", "Pat (co-chair)", "Dee", "Sunny", "Kim", "Sol", "Morgan C"):
        assert f">{name}</a>" in html
    assert ">Ade</a>" not in html  # chose not to be listed
    assert "1 member chose not to be listed." in html
    # The mix counts everyone current, listed or not: 8 members; lived experience: Pat and Sunny = 2 of 8 (25%);
    # citizens: Ade = 1 of 8 (13%, 12.5 rounded up).
    assert "8 members. People with lived experience of mental health: 2 of 8 (25%)." in html
    assert "Citizen or neighbour" in html and "13%" in html
    assert "Front door Design Team (chair)" in html  # Dee's role
    assert "Lived experience of mental health" in html
    # Never a sign-in's name or email.
    main = html.split("<main", 1)[1]
    for member in Member.objects.select_related("user"):
        assert member.user.email not in main
    assert "Alex Morgan" not in main
    listed = _allowed("members")  # one for each time the list was shown
    assert len(listed) == 2 and all(e.action == Action.LIST and e.detail["shown"] == 7 for e in listed)


def test_members_queries_do_not_grow_with_members(collab: Collab, django_assert_max_num_queries: MaxQueries) -> None:
    for n in range(15):
        member = make_collab_member(collab.site, known_as=f"Extra {n}", carer=True)
        add_to_group(collab.whole, member)
        add_to_group(collab.design, member)
    client = client_for(collab.carer)
    with django_assert_max_num_queries(16):
        html = client.get(MEMBERS).content.decode()
    assert "Extra 14" in html


def test_members_filter_by_perspective(collab: Collab) -> None:
    html = client_for(collab.carer).get(MEMBERS, {"perspective": "lived_experience"}).content.decode()
    assert ">Sunny</a>" in html and ">Pat (co-chair)</a>" in html
    assert ">Kim</a>" not in html and ">Sol</a>" not in html
    assert "2 members who bring: Lived experience of mental health." in html
    unknown = client_for(collab.carer).get(MEMBERS, {"perspective": "nonsense"}).content.decode()
    assert ">Kim</a>" in unknown


def test_members_are_for_members_and_stewards(collab: Collab) -> None:
    client = Client()
    client.force_login(collab.outsider)
    assert client.get(MEMBERS).status_code == 403
    assert client.get(reverse("collaborative:member", args=[collab.carer.pk])).status_code == 403
    assert len(_refusals("members")) == 1 and len(_refusals("member")) == 1
    assert Client().get(MEMBERS).status_code == 302  # to sign in
    admin = sign_in_verified(collab.admin)
    assert admin.get(MEMBERS).status_code == 200


def test_a_member_page_shows_groups_roles_and_attendance_and_is_audited(collab: Collab) -> None:
    old = GroupMembership.objects.get(group=collab.design, member=collab.staff_member)
    old.ended_on = dt.date(2025, 5, 1)
    old.save()
    add_to_group(collab.design, collab.staff_member, GroupRole.COORDINATOR, started_on=dt.date(2025, 5, 2))
    for days, attended in ((-20, True), (-10, True), (-5, False)):
        session = make_session(collab, f"Session {days}", days=days, open_event=False)
        Attendance.objects.create(session=session, member=collab.staff_member, attended=attended)
    collab.staff_member.access_needs = "Papers a week before"
    collab.staff_member.about = "Quicker first conversations"
    collab.staff_member.save()
    html = client_for(collab.carer).get(reverse("collaborative:member", args=[collab.staff_member.pk])).content.decode()
    assert "<h1>Sol</h1>" in html
    assert "Works in the network (NHS trust)" in html
    assert "Quicker first conversations" in html
    assert "Coordinator" in html and "2 May 2025" in html and "1 May 2025" in html
    assert '<dd class="nhsuk-summary-list__value">2</dd>' in html  # sessions attended: 2 of the 3
    assert "Papers a week before" not in html  # only they and stewards see access needs
    steward = (
        client_for(collab.chair).get(reverse("collaborative:member", args=[collab.staff_member.pk])).content.decode()
    )
    assert "Papers a week before" in steward
    main = html.split("<main", 1)[1]
    assert collab.staff_member.user.email not in main and collab.staff_member.user.name not in main
    viewed = _allowed("member")
    assert len(viewed) == 2 and all(
        e.action == Action.VIEW and e.detail["id"] == str(collab.staff_member.pk) for e in viewed
    )


def test_an_unlisted_member_is_seen_only_by_themself_and_stewards(collab: Collab) -> None:
    collab.citizen.listed = False
    collab.citizen.save()
    href = reverse("collaborative:member", args=[collab.citizen.pk])
    assert client_for(collab.carer).get(href).status_code == 404
    assert client_for(collab.citizen).get(href).status_code == 200
    assert sign_in_verified(collab.admin).get(href).status_code == 200
    collab.carer.left_on = timezone.localdate()
    collab.carer.save()
    assert client_for(collab.chair).get(reverse("collaborative:member", args=[collab.carer.pk])).status_code == 404


# ---- my membership and leaving --------------------------------------------------------------------


def test_my_membership_changes_what_you_told_us(collab: Collab) -> None:
    client = client_for(collab.carer)
    page = client.get(ME).content.decode()
    assert "<h1>My membership</h1>" in page and 'value="Kim"' in page
    response = client.post(
        ME,
        {
            "known_as": "Kim B",
            "perspectives": ["carer", "commissioner"],
            "sector": "local_authority",
            "public_name": "on",
        },
    )
    assert response["Location"] == ME
    collab.carer.refresh_from_db()
    assert collab.carer.known_as == "Kim B" and collab.carer.commissioner and collab.carer.sector == "local_authority"
    assert collab.carer.public_name and not collab.carer.listed
    [changed] = _allowed("member")
    assert changed.action == Action.CHANGE and "known_as" in changed.detail["changed"]
    error = client.post(ME, {"known_as": "", "perspectives": []}).content.decode()
    assert "Enter the name you want to be known by" in error and "Select at least one thing you bring" in error


def test_my_membership_is_for_members(collab: Collab) -> None:
    client = Client()
    client.force_login(collab.outsider)
    assert client.get(ME)["Location"] == reverse("collaborative:how_to_join")


def test_leaving_asks_first_warns_about_roles_and_ends_places(collab: Collab) -> None:
    client = client_for(collab.design_lead)
    page = client.get(reverse("collaborative:leave")).content.decode()
    assert "<h1>Are you sure you want to leave the Collaborative?</h1>" in page
    assert "Groups you lead will need someone new" in page and "chair of Front door Design Team" in page
    assert Member.objects.get(pk=collab.design_lead.pk).is_current
    response = client.post(reverse("collaborative:leave"))
    assert response["Location"] == reverse("collaborative:about")
    collab.design_lead.refresh_from_db()
    assert collab.design_lead.left_on == timezone.localdate()
    assert not GroupMembership.objects.current().filter(member=collab.design_lead).exists()
    assert client.get(HOME)["Location"] == reverse("collaborative:how_to_join")
    assert len(_allowed("member_leave")) == 1


# ---- requests to join -----------------------------------------------------------------------------


def _ask(collab: Collab, name: str = "Sam", email: str = "sam@example.org") -> JoinRequest:
    return members.join_request_add(
        site=collab.site,
        answers=JoinAnswers(
            known_as=name,
            email=email,
            perspectives=frozenset({Perspective.LIVED_EXPERIENCE}),
            access_needs="A quiet room",
        ),
    ).join_request


def test_requests_to_join_are_for_stewards_only(collab: Collab) -> None:
    asked = _ask(collab)
    href = reverse("collaborative:join_request", args=[asked.pk])
    for member in (collab.design_lead, collab.carer):
        client = client_for(member)
        assert client.get(REQUESTS).status_code == 403
        assert client.get(href).status_code == 403
        assert client.post(href, {"action": "welcome"}).status_code == 403
    outsider = Client()
    outsider.force_login(collab.outsider)
    assert outsider.get(REQUESTS).status_code == 403
    assert len(_refusals("join_requests")) == 3 and len(_refusals("join_request")) == 4
    asked.refresh_from_db()
    assert asked.status == JoinRequestStatus.NEW
    assert sign_in_verified(collab.admin).get(REQUESTS).status_code == 200


def test_stewards_see_requests_oldest_first(collab: Collab) -> None:
    first = _ask(collab, "First", "first@example.org")
    second = _ask(collab, "Second", "second@example.org")
    JoinRequest.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    html = client_for(collab.chair).get(REQUESTS).content.decode()
    assert "2 people are waiting for a welcome" in html
    assert html.index(">First</a>") < html.index(">Second</a>")
    page = client_for(collab.chair).get(reverse("collaborative:join_request", args=[second.pk])).content.decode()
    assert "second@example.org" in page and "A quiet room" in page and "Welcome Second" in page
    [viewed] = [e for e in _allowed("join_request") if e.action == Action.VIEW]
    assert viewed.detail["id"] == str(second.pk)


def test_a_steward_welcomes_someone_through_the_page(collab: Collab) -> None:
    asked = _ask(collab)
    client = sign_in_verified(collab.admin)
    response = client.post(reverse("collaborative:join_request", args=[asked.pk]), {"action": "welcome"})
    assert response["Location"] == REQUESTS
    member = Member.objects.get(user__email="sam@example.org")
    assert member.known_as == "Sam" and member.lived_experience and member.is_current
    [message] = Message.objects.all()
    assert message.to == "sam@example.org" and "http://testserver/set-password/" in message.body
    html = client.get(REQUESTS).content.decode()
    assert "Sam is now a member. We have emailed them a welcome." in html and "Welcomed" in html
    assert len(_allowed("join_request_welcome")) == 1


def test_declining_needs_a_note(collab: Collab) -> None:
    asked = _ask(collab)
    client = client_for(collab.co_chair)
    href = reverse("collaborative:join_request", args=[asked.pk])
    html = client.post(href, {"action": "decline", "note": ""}).content.decode()
    assert "Say why, in words the person will read in the email" in html and "<title>Error: " in html
    response = client.post(href, {"action": "decline", "note": "We are full until the spring."})
    assert response["Location"] == REQUESTS
    asked.refresh_from_db()
    assert asked.status == JoinRequestStatus.DECLINED and asked.handled_by == collab.co_chair
    assert Message.objects.get().purpose == "collaborative_join_declined"
    handled = client.get(href).content.decode()
    assert "Not taken forward by Pat (co-chair)" in handled and "Welcome Sam" not in handled


def test_a_welcomed_person_chooses_a_password_from_the_email_and_lands_in_the_collaborative(collab: Collab) -> None:
    asked = _ask(collab)
    client_for(collab.chair).post(reverse("collaborative:join_request", args=[asked.pk]), {"action": "welcome"})
    [link] = [line for line in Message.objects.get().body.splitlines() if "/set-password/" in line]
    newcomer = Client()
    step = newcomer.get(link.removeprefix("http://testserver"))
    form = newcomer.get(step["Location"])
    assert form.status_code == 200
    password = "a-long-and-memorable-phrase-2026"
    done = newcomer.post(step["Location"], {"new_password1": password, "new_password2": password})
    assert done["Location"] == reverse("accounts:sign_in")
    member = Member.objects.select_related("user").get(user__email="sam@example.org")
    assert member.user.check_password(password)
    newcomer.force_login(member.user)
    assert newcomer.get(reverse("core:home"))["Location"] == HOME
    assert "You are known here as <strong>Sam</strong>" in newcomer.get(HOME).content.decode()


def test_someone_who_left_is_welcomed_back_with_what_they_told_us(collab: Collab) -> None:
    client = client_for(collab.carer)
    client.post(reverse("collaborative:leave"))
    html = client.get(reverse("collaborative:how_to_join")).content.decode()
    assert "<h1>Join the Collaborative again</h1>" in html and 'value="Kim"' in html
    response = client.post(
        reverse("collaborative:how_to_join"), {"known_as": "Kim", "perspectives": ["carer"], "listed": "on"}
    )
    assert response["Location"] == HOME
    collab.carer.refresh_from_db()
    assert collab.carer.is_current and collab.carer.joined_on == timezone.localdate()


def test_requests_to_join_need_a_sign_in(collab: Collab) -> None:
    asked = _ask(collab)
    listed = Client().get(REQUESTS)
    welcomed = Client().post(reverse("collaborative:join_request", args=[asked.pk]), {"action": "welcome"})
    for response in (listed, welcomed):
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
    asked.refresh_from_db()
    assert asked.status == JoinRequestStatus.NEW


def test_saving_your_membership_keeps_your_partner_organisation(collab: Collab) -> None:
    client = client_for(collab.chair)
    page = client.get(ME).content.decode()
    assert 'value="Certitude"' in page  # Chris is linked to the charity, without having typed its name
    client.post(
        ME,
        {
            "known_as": "Chris",
            "perspectives": ["staff"],
            "sector": "voluntary",
            "organisation_name": "Certitude",
            "listed": "on",
        },
    )
    collab.chair.refresh_from_db()
    assert collab.chair.organisation == collab.cast.charity and collab.chair.known_as == "Chris"


def test_a_steward_who_is_not_a_member_is_pointed_to_the_requests_from_the_join_page(collab: Collab) -> None:
    html = sign_in_verified(collab.admin).get(reverse("collaborative:how_to_join")).content.decode()
    assert "<h1>Join the Collaborative</h1>" in html
    assert f'href="{REQUESTS}"' in html and f'href="{MEMBERS}"' in html
