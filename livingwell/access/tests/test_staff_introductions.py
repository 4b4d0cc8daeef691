"""Signed-in partner staff and GPs: the introducer form, and "Introductions I made"."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from livingwell.access.models import Introduction, IntroductionState, Source
from livingwell.accounts.models import User
from livingwell.audit.models import Action, AuditEvent, Basis, Outcome
from livingwell.conftest import Cast, make_member, make_person
from livingwell.network.models import Membership, Organisation, Role, Sector

NEW = "/introductions/new/"
MINE = "/introductions/"


@pytest.fixture
def practice(cast: Cast) -> Organisation:
    return Organisation.objects.create(site=cast.site, name="Brixton Hill Group Practice", sector=Sector.PRIMARY_CARE)


@pytest.fixture
def gp(cast: Cast, practice: Organisation) -> User:
    user = make_member(cast.site, practice, Role.INTRODUCER, name="Dr Priya Shah")
    Membership.objects.filter(user=user).update(job_title="GP partner")
    return user


# One client for the module, signed in afresh for each user: each new client loads the middleware
# again, and WhiteNoise scans every static file when it does.
_CLIENT = Client()


def anonymous() -> Client:
    _CLIENT.cookies.clear()
    return _CLIENT


def signed_in(user: User) -> Client:
    client = anonymous()
    client.force_login(user)
    return client


@pytest.fixture
def client(gp: User) -> Client:
    return signed_in(gp)


def text(response: Any) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def title(response: Any) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), flags=re.S)
    assert match
    return " ".join(match.group(1).split())


def field_error(response: Any, field_id: str) -> str:
    pattern = rf'id="{field_id}-error"\s*>\s*<span class="nhsuk-u-visually-hidden">Error: </span>([^<]*)</span>'
    match = re.search(pattern, response.content.decode())
    assert match, f"no error message by {field_id}"
    return " ".join(match.group(1).replace("&#39;", "'").split())


def summary_links(response: Any) -> dict[str, str]:
    """The error summary's messages, by the field each links to."""
    html = response.content.decode()
    start = html.index("nhsuk-error-summary")
    block = html[start : html.index("</ul>", start)]
    return {
        href: " ".join(message.replace("&#39;", "'").split())
        for href, message in re.findall(r'<a href="([^"]+)"\s*>([^<]*)</a>', block)
    }


def submission(client: Client) -> str:
    page = client.get(NEW)
    match = re.search(r'name="submission" value="([^"]+)"', page.content.decode())
    assert match
    return match.group(1)


def answers(token: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "submission": token,
        "source": "gp",
        "introducer_phone": "020 7946 0991",
        "given_name": "Amara",
        "family_name": "Okafor",
        "date_of_birth_0": "15",
        "date_of_birth_1": "3",
        "date_of_birth_2": "1984",
        "nhs_number": "401 023 4563",
        "phone": "07700 900982",
        "email": "amara@example.com",
        "address_line_1": "12 Acre Lane",
        "town": "London",
        "postcode": "sw2 5sg",
        "contact_ways": ["may_phone", "may_text"],
        "contact_times": "Weekday mornings",
        "in_their_words": "Not sleeping since losing my job.\n<b>Tired</b> & alone.",
        "person_aware": "agrees",
        "agrees_to_share": "on",
        "unsafe_now": "no",
        "first_language": "Yoruba",
        "interpreter_needed": "on",
        "access_needs": "Step-free access",
        "preferred_places": ["cafe", "phone"],
        "worker_preferences": ["peer"],
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def made_by(user: User) -> Any:
    return Introduction.objects.filter(introduced_by=user)


# The form --------------------------------------------------------------------------------------------


def test_the_form_is_filled_from_the_introducer(client: Client, gp: User) -> None:
    response = client.get(NEW)
    assert response.status_code == 200
    page = text(response)
    assert "Introduce someone to Living Well" in page
    assert "Dr Priya Shah" in page and "GP partner" in page and "Brixton Hill Group Practice" in page
    assert gp.email in page
    assert '<option value="gp" selected' in response.content.decode()
    assert "Which organisation" not in page  # they work for one


@pytest.mark.parametrize(
    ("sector", "source"),
    [(Sector.HOUSING, "housing"), (Sector.PEER_LED, "voluntary"), (Sector.NHS_TRUST, "nhs_service")],
)
def test_the_kind_of_service_defaults_from_the_organisation(cast: Cast, sector: Sector, source: str) -> None:
    organisation = Organisation.objects.create(site=cast.site, name="Somewhere", sector=sector)
    user = make_member(cast.site, organisation, Role.INTRODUCER)
    response = signed_in(user).get(NEW)
    assert f'<option value="{source}" selected' in response.content.decode()


def test_nothing_answered_shows_what_is_needed(client: Client, gp: User) -> None:
    response = client.post(NEW, {"submission": submission(client), "source": "gp"})
    assert response.status_code == 200
    assert title(response).startswith("Error: ")
    assert summary_links(response) == {
        "#id_given_name": "Enter the person's first name",
        "#id_person_aware": "Select whether the person knows about this introduction",
    }
    assert field_error(response, "id_given_name") == "Enter the person's first name"
    assert field_error(response, "id_person_aware") == "Select whether the person knows about this introduction"
    assert not made_by(gp).exists()


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"nhs_number": "401 023 4562"}, "id_nhs_number", "Enter a valid NHS number"),
        ({"nhs_number": "12345"}, "id_nhs_number", "NHS number must be 10 digits long"),
        ({"postcode": "SW1"}, "id_postcode", "Enter a full UK postcode, like SW9 8AB"),
        ({"phone": "call me"}, "id_phone", "Enter a phone number, like 07700 900 982 or 020 7946 0991"),
        ({"email": "amara at example"}, "id_email", "Enter an email address in the right format"),
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "id_date_of_birth", "Date of birth must be a real date"),
        ({"date_of_birth_2": "2999"}, "id_date_of_birth", "Date of birth must be in the past"),
        ({"given_name": "   "}, "id_given_name", "Enter the person's first name"),
        ({"in_their_words": "x" * 5001}, "id_in_their_words", "5000 characters or fewer"),
        ({"source": "self"}, "id_source", "Select what kind of service you are"),
    ],
)
def test_each_wrong_answer_is_named(
    client: Client, gp: User, changes: dict[str, str], field_id: str, message: str
) -> None:
    response = client.post(NEW, answers(submission(client), **changes))
    assert response.status_code == 200
    assert message in field_error(response, field_id)
    anchor = f"#{field_id}_0" if field_id == "id_date_of_birth" else f"#{field_id}"
    assert message in summary_links(response)[anchor]
    assert not made_by(gp).exists()
    # The other answers are kept.
    html = response.content.decode()
    assert 'value="Okafor"' in html
    assert 'value="07700 900982"' in html or "phone" in changes
    if "in_their_words" not in changes:
        assert "Not sleeping since losing my job." in html


def test_an_introduction_is_made_by_the_signed_in_introducer(
    cast: Cast, client: Client, gp: User, practice: Organisation
) -> None:
    response = client.post(NEW, answers(submission(client)))
    assert response.status_code == 302 and response["Location"] == MINE
    introduction = made_by(gp).get()
    assert introduction.introducing_organisation == practice
    assert introduction.site == cast.site
    assert introduction.source == Source.GP
    assert introduction.introducer_name == "Dr Priya Shah"
    assert introduction.introducer_relationship == "GP partner"
    assert introduction.introducer_email == gp.email
    assert introduction.introducer_phone == "020 7946 0991"
    assert introduction.person_aware == "agrees" and introduction.agrees_to_contact and introduction.agrees_to_share
    assert introduction.in_their_words == "Not sleeping since losing my job.\n<b>Tired</b> & alone."
    assert introduction.preferred_places == ["cafe", "phone"] and introduction.worker_preferences == ["peer"]
    assert introduction.submission_key is not None and introduction.submission_key.startswith("staff:")
    assert not introduction.urgent
    person = introduction.person
    assert (person.given_name, person.family_name, person.date_of_birth) == ("Amara", "Okafor", dt.date(1984, 3, 15))
    assert (person.nhs_number, person.postcode) == ("4010234563", "SW2 5SG")
    assert person.may_phone and person.may_text and not person.may_email
    assert person.first_language == "Yoruba" and person.interpreter_needed
    assert AuditEvent.objects.filter(actor=gp, action=Action.CREATE, person_id=person.pk).exists()
    page = text(client.get(MINE))
    assert f"Introduction sent. The reference is {introduction.reference}" in page


def test_unsafe_now_makes_it_urgent(client: Client, gp: User) -> None:
    client.post(NEW, answers(submission(client), unsafe_now="yes"))
    assert made_by(gp).get().urgent


def test_a_double_click_makes_one_introduction(client: Client, gp: User) -> None:
    token = submission(client)
    first = client.post(NEW, answers(token))
    second = client.post(NEW, answers(token))
    assert first.status_code == second.status_code == 302
    introduction = made_by(gp).get()
    assert f"You had already sent this introduction. The reference is {introduction.reference}" in text(
        client.get(MINE)
    )


def test_changed_answers_under_a_used_form_make_nothing_new(client: Client, gp: User) -> None:
    token = submission(client)
    client.post(NEW, answers(token))
    response = client.post(NEW, answers(token, given_name="Someone else"))
    assert response.status_code == 200
    assert "You have already sent this introduction" in text(response)
    assert 'href="/introductions/new/"' in response.content.decode()
    assert made_by(gp).count() == 1


def test_a_form_this_session_was_not_given_saves_nothing(client: Client, gp: User) -> None:
    response = client.post(NEW, answers("8d7f3c1e-0000-4000-8000-000000000000"))
    assert response.status_code == 200
    assert "This form had expired, so nothing was sent" in text(response)
    assert 'value="Okafor"' in response.content.decode()
    assert not made_by(gp).exists()
    # Sending it again (with the new key the page now holds) works.
    match = re.search(r'name="submission" value="([^"]+)"', response.content.decode())
    assert match and client.post(NEW, answers(match.group(1))).status_code == 302
    assert made_by(gp).count() == 1


def test_someone_working_for_two_organisations_says_which(cast: Cast, gp: User, practice: Organisation) -> None:
    Membership.objects.create(
        user=gp, site=cast.site, organisation=cast.charity, role=Role.INTRODUCER, started_on=dt.date(2024, 1, 1)
    )
    client = signed_in(gp)
    token = submission(client)
    response = client.post(NEW, answers(token))
    assert field_error(response, "id_organisation") == "Select the organisation you are introducing them from"
    client.post(NEW, answers(token, organisation=str(cast.charity.pk)))
    assert made_by(gp).get().introducing_organisation == cast.charity


# Who may introduce ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "action"), [("get", NEW, Action.CREATE), ("post", NEW, Action.CREATE), ("get", MINE, Action.LIST)]
)
def test_someone_with_no_role_is_refused_and_it_is_audited(cast: Cast, method: str, url: str, action: Action) -> None:
    client = signed_in(cast.stranger)
    response = getattr(client, method)(url, answers("x") if method == "post" else None)
    assert response.status_code == 403
    assert "You do not have access to this page" in text(response)
    assert AuditEvent.objects.filter(actor=cast.stranger, action=action, outcome=Outcome.REFUSED).count() == 1
    assert not Introduction.objects.filter(introduced_by=cast.stranger).exists()


def test_someone_whose_role_has_ended_is_refused(client: Client, gp: User) -> None:
    Membership.objects.filter(user=gp).update(ended_on=timezone.localdate())
    assert signed_in(gp).get(NEW).status_code == 403


def test_signing_in_is_needed(db: None) -> None:
    for url in (NEW, MINE):
        response = anonymous().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))


# Introductions I made ------------------------------------------------------------------------------


def test_the_list_shows_what_happened_and_nothing_more(cast: Cast, client: Client, gp: User) -> None:
    client.post(NEW, answers(submission(client)))
    mine = made_by(gp).get()
    met = timezone.now() - dt.timedelta(days=1)
    Introduction.objects.filter(pk=mine.pk).update(
        introduced_at=met - dt.timedelta(days=9), state=IntroductionState.MET, first_conversation_at=met
    )
    colleague = make_member(cast.site, mine.introducing_organisation, Role.INTRODUCER, name="Dr Other")  # type: ignore[arg-type]
    theirs = Introduction.objects.create(
        person=make_person(cast.site, "Jordan", "Hidden"),
        site=cast.site,
        source=Source.GP,
        introduced_at=timezone.now(),
        introduced_by=colleague,
    )
    response = client.get(MINE)
    assert response.status_code == 200
    page = text(response)
    assert "Introductions I made" in page
    assert mine.reference in page and "Amara Okafor" in page
    assert "Met" in page and "nhsuk-tag--green" in response.content.decode()
    local_met = timezone.localtime(met).date()
    assert f"{local_met.day} {local_met:%B %Y}" in page
    # Nothing about the person beyond the name given, and nobody else's introductions.
    for hidden in ("Not sleeping", "07700 900982", "amara@example.com", "SW2 5SG", "12 Acre Lane", "Yoruba", "401 023"):
        assert hidden not in page, hidden
    assert theirs.reference not in page and "Jordan" not in page
    listed = AuditEvent.objects.get(actor=gp, action=Action.LIST)
    assert listed.basis == Basis.INTRODUCER and listed.person_id == mine.person_id


def test_names_are_shown_as_text(cast: Cast, client: Client, gp: User) -> None:
    client.post(NEW, answers(submission(client), given_name="<script>alert(1)</script>"))
    html = client.get(MINE).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_list_is_in_pages(cast: Cast, client: Client, gp: User) -> None:
    person = make_person(cast.site, "Sam", "Page")
    now = timezone.now()
    Introduction.objects.bulk_create(
        Introduction(
            person=person,
            site=cast.site,
            source=Source.GP,
            introduced_at=now - dt.timedelta(hours=n),
            introduced_by=gp,
            reference=f"LW-TEST-{n:04d}",
        )
        for n in range(55)
    )
    first = text(client.get(MINE))
    assert "55 introductions" in first and "LW-TEST-0000" in first and "LW-TEST-0054" not in first
    assert "Page 2 of 2" in first
    second = text(client.get(MINE, {"page": 2}))
    assert "LW-TEST-0054" in second and "LW-TEST-0000" not in second


def test_nobody_introduced_yet(client: Client) -> None:
    assert "You have not introduced anyone yet" in text(client.get(MINE))
