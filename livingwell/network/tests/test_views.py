"""The site administrator's pages, as a browser sees them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.models import User
from livingwell.audit.models import Action, AuditEvent
from livingwell.conftest import Cast, make_member
from livingwell.network.models import Locality, Membership, Organisation, Role, Sector, Team

Verified = Callable[[User], Client]


@pytest.fixture
def admin(cast: Cast, verified_client: Verified) -> Client:
    return verified_client(cast.site_admin)


def text(response: Any) -> str:
    """The page's text without tags, with runs of spaces collapsed, for assertions on what people read."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def h1(response: Any) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), flags=re.S)
    assert match, "no h1"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def title(response: Any) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), flags=re.S)
    assert match
    return " ".join(match.group(1).split())


def field_error(response: Any, field_id: str) -> str:
    """The error message shown by the field with this id (after the hidden "Error:" prefix)."""
    pattern = rf'id="{field_id}-error"\s*>\s*<span class="nhsuk-u-visually-hidden">Error: </span>([^<]*)</span>'
    match = re.search(pattern, response.content.decode())
    assert match, f"no error message by {field_id}"
    return " ".join(match.group(1).split())


# The overview --------------------------------------------------------------------------------


def test_index(cast: Cast, admin: Client) -> None:
    response = admin.get(reverse("network:index"))
    assert response.status_code == 200
    assert h1(response) == "Lambeth network"
    page = text(response)
    assert "Partner organisations : 4" in page
    assert "Teams : 2" in page
    assert "Localities : 1" in page
    for name in ("organisations", "teams", "staff", "localities", "site_settings"):
        assert f'href="{reverse(f"network:{name}")}"' in response.content.decode()
    assert "Manage another site" not in page


def test_an_administrator_must_give_a_second_factor_first(cast: Cast, client: Client) -> None:
    client.force_login(cast.site_admin)
    response = client.get(reverse("network:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))


def test_someone_not_signed_in_is_sent_to_sign_in(client: Client, cast: Cast) -> None:
    response = client.get(reverse("network:staff"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


# Site settings -------------------------------------------------------------------------------


def test_site_settings_page(cast: Cast, admin: Client) -> None:
    response = admin.get(reverse("network:site_settings"))
    assert h1(response) == "Local settings"
    assert 'value="28"' in response.content.decode()
    assert "novalidate" in response.content.decode()
    response = admin.post(
        reverse("network:site_settings"),
        {
            "target_days_to_first_conversation": "14",
            "weeks_before_not_seen_flag": "4",
            "weeks_between_plan_reviews": "10",
            "months_to_come_back": "12",
        },
        follow=True,
    )
    assert "Local settings saved" in text(response)
    cast.site.refresh_from_db()
    assert cast.site.target_days_to_first_conversation == 14
    assert cast.site.weeks_between_plan_reviews == 10
    assert AuditEvent.objects.filter(action=Action.NETWORK_CHANGE, actor=cast.site_admin).exists()


def test_site_settings_errors(cast: Cast, admin: Client) -> None:
    response = admin.post(
        reverse("network:site_settings"),
        {
            "target_days_to_first_conversation": "400",
            "weeks_before_not_seen_flag": "six",
            "weeks_between_plan_reviews": "12",
            "months_to_come_back": "12",
        },
    )
    assert response.status_code == 200
    assert title(response).startswith("Error: Local settings")
    page = text(response)
    assert "There is a problem" in page
    assert field_error(response, "id_target_days_to_first_conversation") == (
        "Days to first conversation must be between 1 and 365"
    )
    assert field_error(response, "id_weeks_before_not_seen_flag") == (
        "Weeks before someone is shown as not seen must be a whole number, like 6"
    )
    assert 'href="#id_target_days_to_first_conversation"' in response.content.decode()
    assert 'value="400"' in response.content.decode()  # answers are kept
    cast.site.refresh_from_db()
    assert cast.site.target_days_to_first_conversation == 28


# Organisations -------------------------------------------------------------------------------


def test_organisations_list(cast: Cast, admin: Client) -> None:
    response = admin.get(reverse("network:organisations"))
    assert h1(response) == "Partner organisations"
    page = text(response)
    assert "Partner organisations in the Lambeth network" in page  # the table's caption
    for name in ("Certitude", "Homes for Lambeth", "Lambeth Council", "South London Trust"):
        assert name in page
    assert reverse("network:organisation_change", args=[cast.charity.pk]) in response.content.decode()


def test_organisation_add(cast: Cast, admin: Client) -> None:
    response = admin.get(reverse("network:organisation_add"))
    assert "ODS code (optional)" in text(response)
    assert "Website (optional)" in text(response)
    response = admin.post(
        reverse("network:organisation_add"),
        {"name": "Lambeth Mind", "sector": Sector.VOLUNTARY, "ods_code": "", "website": "lambethmind.org.uk"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("network:organisations")
    assert "Lambeth Mind added" in text(response)
    organisation = Organisation.objects.get(name="Lambeth Mind")
    assert organisation.website == "https://lambethmind.org.uk"


def test_organisation_add_errors(cast: Cast, admin: Client) -> None:
    response = admin.post(reverse("network:organisation_add"), {"name": "", "ods_code": ""})
    assert title(response).startswith("Error: ")
    page = text(response)
    assert "There is a problem" in page
    assert field_error(response, "id_name") == "Enter the name of the organisation"
    assert field_error(response, "id_sector") == "Select the kind of organisation"


def test_organisation_add_duplicate_is_shown_by_the_name(cast: Cast, admin: Client) -> None:
    response = admin.post(reverse("network:organisation_add"), {"name": "certitude", "sector": Sector.VOLUNTARY})
    assert response.status_code == 200
    assert field_error(response, "id_name") == "An organisation called certitude already exists"
    assert "There is a problem" in text(response)
    assert Organisation.objects.filter(name__iexact="certitude").count() == 1


def test_organisation_change(cast: Cast, admin: Client) -> None:
    url = reverse("network:organisation_change", args=[cast.housing.pk])
    response = admin.get(url)
    assert h1(response) == "Change Homes for Lambeth"
    assert 'value="Homes for Lambeth"' in response.content.decode()
    response = admin.post(url, {"name": "Homes for Lambeth", "sector": Sector.HOUSING, "ods_code": "", "website": ""})
    assert response.status_code == 302
    cast.housing.refresh_from_db()
    assert not cast.housing.is_active  # the box was not ticked


def test_unknown_organisation_is_not_found(cast: Cast, admin: Client) -> None:
    response = admin.get(reverse("network:organisation_change", args=["6f1c9b3e-0000-4000-8000-000000000000"]))
    assert response.status_code == 404


# Teams ---------------------------------------------------------------------------------------


def test_teams_list(cast: Cast, admin: Client) -> None:
    response = admin.get(reverse("network:teams"))
    assert h1(response) == "Teams"
    page = text(response)
    assert "Teams in the Lambeth network" in page
    assert "North Living Well team North 2 Open" in page  # team worker and team leader
    assert "South Living Well team Not set 3 Open" in page


def test_team_add(cast: Cast, admin: Client) -> None:
    north = Locality.objects.get(site=cast.site, name="North")
    response = admin.get(reverse("network:team_add"))
    assert "Locality (optional)" in text(response)
    assert "Description (optional)" in text(response)
    response = admin.post(
        reverse("network:team_add"), {"name": "Crisis café", "locality": str(north.pk), "description": ""}, follow=True
    )
    assert "Crisis café added" in text(response)
    assert Team.objects.get(name="Crisis café").locality == north


def test_team_add_errors(cast: Cast, admin: Client) -> None:
    response = admin.post(reverse("network:team_add"), {"name": ""})
    assert field_error(response, "id_name") == "Enter a team name"
    response = admin.post(reverse("network:team_add"), {"name": "South Living Well team"})
    assert title(response).startswith("Error: Add a team")
    assert field_error(response, "id_name") == "A team called South Living Well team already exists"


def test_team_change_shows_its_members(cast: Cast, admin: Client) -> None:
    response = admin.get(reverse("network:team_change", args=[cast.team_a.pk]))
    assert h1(response) == "Change North Living Well team"
    page = text(response)
    assert "2 current members of North Living Well team" in page
    assert "Team Worker Recovery worker Certitude 1 January 2024" in page
    assert "Team Leader Team leader South London Trust" in page
    assert "Allocated Peer" not in page
    response = admin.post(
        reverse("network:team_change", args=[cast.team_a.pk]),
        {"name": "North team", "locality": "", "description": "Brixton Hill", "is_active": "on"},
    )
    assert response.status_code == 302
    cast.team_a.refresh_from_db()
    assert (cast.team_a.name, cast.team_a.locality, cast.team_a.description) == ("North team", None, "Brixton Hill")


# Localities ----------------------------------------------------------------------------------


def test_localities(cast: Cast, admin: Client) -> None:
    response = admin.get(reverse("network:localities"))
    assert h1(response) == "Localities"
    assert "Localities in the Lambeth network" in text(response)
    response = admin.post(reverse("network:locality_add"), {"name": "Stockwell"}, follow=True)
    assert "Stockwell added" in text(response)
    response = admin.post(reverse("network:locality_add"), {"name": "stockwell"})
    assert field_error(response, "id_name") == "A locality called stockwell already exists"
    north = Locality.objects.get(site=cast.site, name="North")
    response = admin.post(reverse("network:locality_change", args=[north.pk]), {"name": "North Lambeth"}, follow=True)
    assert "North Lambeth saved" in text(response)
    assert "North Lambeth" in text(response)


# Staff ---------------------------------------------------------------------------------------


def test_staff_list(cast: Cast, admin: Client) -> None:
    response = admin.get(reverse("network:staff"))
    assert h1(response) == "Staff and their roles"
    page = text(response)
    assert "10 current roles" in page
    assert (
        f"Team Worker {cast.team_worker.email} Recovery worker Certitude North Living Well team 1 January 2024" in page
    )
    assert "Hub Coordinator" in page
    assert "Not in a team" in page
    assert "Stranger" not in page


def test_staff_list_filters(cast: Cast, admin: Client) -> None:
    response = admin.get(reverse("network:staff"), {"role": Role.PEER_WORKER})
    page = text(response)
    assert "1 current role matching the filter" in page
    assert "Allocated Peer" in page
    assert "Team Worker" not in page
    response = admin.get(reverse("network:staff"), {"team": str(cast.team_b.pk)})
    page = text(response)
    assert "3 current roles matching the filter" in page
    assert "Psychiatrist" in page
    assert "Team Worker" not in page
    assert f'<option value="{cast.team_b.pk}" selected' in response.content.decode()


def test_staff_list_does_not_show_ended_roles(cast: Cast, admin: Client) -> None:
    Membership.objects.filter(user=cast.analyst).update(ended_on=timezone.localdate())
    page = text(admin.get(reverse("network:staff"), {"role": Role.ANALYST}))
    assert "Nobody matches the filter" in page
    assert cast.analyst.email not in page


def test_staff_list_queries_do_not_grow_with_staff(
    cast: Cast, admin: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(60):
        make_member(cast.site, cast.charity, Role.PEER_WORKER, team=cast.team_a, name=f"Peer {n:02d}")
    with django_assert_max_num_queries(14):
        response = admin.get(reverse("network:staff"))
    assert "70 current roles" in text(response)
    with django_assert_max_num_queries(14):
        response = admin.get(reverse("network:staff"), {"team": str(cast.team_a.pk), "page": "2"})
    assert response.status_code == 200
    assert "Peer 59" in text(response)


def test_staff_add_new_person_then_their_link(cast: Cast, admin: Client) -> None:
    response = admin.get(reverse("network:staff_add"))
    page = text(response)
    assert "Team (optional)" in page
    assert "Job title (optional)" in page
    today = timezone.localdate()
    assert f'value="{today.year}"' in response.content.decode()
    response = admin.post(
        reverse("network:staff_add"),
        {
            "email": "jo@example.test",
            "display_name": "Jo Bloggs",
            "organisation": str(cast.charity.pk),
            "role": Role.PEER_WORKER,
            "team": str(cast.team_a.pk),
            "job_title": "",
            "started_on_0": "1",
            "started_on_1": "4",
            "started_on_2": "2025",
        },
        follow=True,
    )
    membership = Membership.objects.get(user__email="jo@example.test")
    assert response.redirect_chain[-1][0] == reverse("network:invitation", args=[membership.pk])
    assert h1(response) == "Set-password link"
    page = text(response)
    assert "Jo Bloggs added as Peer worker" in page
    assert "Give this link to Jo Bloggs" in page
    assert re.search(r'value="http://testserver/set-password/[^/"]+/[^/"]+/"', response.content.decode())
    assert response["Cache-Control"].startswith("max-age=0")
    assert membership.started_on == dt.date(2025, 4, 1)
    assert AuditEvent.objects.filter(actor=cast.site_admin, detail__object="invitation").exists()


def test_staff_add_existing_account(cast: Cast, admin: Client) -> None:
    response = admin.post(
        reverse("network:staff_add"),
        {
            "email": cast.analyst.email,
            "display_name": "Analyst",
            "organisation": str(cast.trust.pk),
            "role": Role.HUB_COORDINATOR,
            "started_on_0": "1",
            "started_on_1": "4",
            "started_on_2": "2025",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("network:staff")
    assert "Hub coordinator role added to the account of Analyst" in text(response)


def test_staff_add_errors(cast: Cast, admin: Client) -> None:
    response = admin.post(
        reverse("network:staff_add"), {"email": "not-an-email", "started_on_0": "31", "started_on_1": "2"}
    )
    assert title(response).startswith("Error: Add a member of staff")
    assert "There is a problem" in text(response)
    assert field_error(response, "id_email") == "Enter an email address in the right format, like name@example.com"
    assert field_error(response, "id_display_name") == "Enter their full name"
    assert field_error(response, "id_organisation") == "Select the organisation they work for"
    assert field_error(response, "id_role") == "Select their role"
    assert field_error(response, "id_started_on") == "Start date must include a year"
    assert 'value="not-an-email"' in response.content.decode()


def test_staff_add_duplicate_role_is_shown_by_the_role(cast: Cast, admin: Client) -> None:
    response = admin.post(
        reverse("network:staff_add"),
        {
            "email": cast.team_worker.email,
            "display_name": "Team Worker",
            "organisation": str(cast.charity.pk),
            "team": str(cast.team_a.pk),
            "role": Role.RECOVERY_WORKER,
            "started_on_0": "1",
            "started_on_1": "4",
            "started_on_2": "2025",
        },
    )
    assert field_error(response, "id_role") == (
        "Team Worker already has this role: Recovery worker at Certitude, North Living Well team"
    )


def test_staff_add_offers_only_open_organisations_and_teams(cast: Cast, admin: Client) -> None:
    Organisation.objects.filter(pk=cast.housing.pk).update(is_active=False)
    Team.objects.filter(pk=cast.team_b.pk).update(is_active=False)
    page = admin.get(reverse("network:staff_add")).content.decode()
    assert str(cast.charity.pk) in page
    assert str(cast.housing.pk) not in page
    assert str(cast.team_b.pk) not in page


def test_end_a_role(cast: Cast, admin: Client) -> None:
    membership = Membership.objects.get(user=cast.team_worker)
    url = reverse("network:membership_end", args=[membership.pk])
    response = admin.get(url)
    assert h1(response) == "End a role"
    assert "Team Worker" in text(response)
    today = timezone.localdate()
    response = admin.post(
        url,
        {"ended_on_0": str(today.day), "ended_on_1": str(today.month), "ended_on_2": str(today.year)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("network:staff")
    assert "Team Worker no longer has the role Recovery worker at Certitude" in text(response)
    membership.refresh_from_db()
    assert membership.ended_on == today


def test_end_a_role_errors(cast: Cast, admin: Client) -> None:
    own = Membership.objects.get(user=cast.site_admin)
    today = timezone.localdate()
    response = admin.post(
        reverse("network:membership_end", args=[own.pk]),
        {"ended_on_0": str(today.day), "ended_on_1": str(today.month), "ended_on_2": str(today.year)},
    )
    assert response.status_code == 200
    assert field_error(response, "id_ended_on") == (
        "You cannot end your own site administrator role. Ask another site administrator"
    )
    own.refresh_from_db()
    assert own.ended_on is None
    response = admin.post(reverse("network:membership_end", args=[own.pk]), {})
    assert field_error(response, "id_ended_on") == "Enter the date the role ended"


def test_invitation_page_for_someone_with_a_password(cast: Cast, admin: Client) -> None:
    membership = Membership.objects.get(user=cast.team_worker)
    response = admin.get(reverse("network:invitation", args=[membership.pk]))
    assert response.status_code == 200
    assert "Team Worker has already set a password" in text(response)
    assert "/set-password/" not in response.content.decode()


# Several sites -------------------------------------------------------------------------------


def test_an_administrator_of_two_sites_can_switch(cast: Cast, other_site: Any, admin: Client) -> None:
    Membership.objects.create(
        user=cast.site_admin,
        site=other_site.site,
        organisation=other_site.organisation,
        role=Role.SITE_ADMINISTRATOR,
        started_on=dt.date(2024, 1, 1),
    )
    response = admin.get(reverse("network:index"))
    assert h1(response) == "Lambeth network"
    assert "Manage another site" in text(response)
    response = admin.post(reverse("network:choose_site"), {"site": str(other_site.site.pk)}, follow=True)
    assert h1(response) == "Southwark network"
    assert "You are now managing the Southwark network" in text(response)
    page = text(admin.get(reverse("network:teams")))
    assert "Peckham Living Well team" in page
    assert "North Living Well team" not in page


# Words ---------------------------------------------------------------------------------------

FORBIDDEN = re.compile(r"\b(patients?|referrals?|cases?|discharged?|service users?|eligibility|thresholds?)\b", re.I)


def test_no_forbidden_words_on_any_page(cast: Cast, admin: Client) -> None:
    membership = Membership.objects.get(user=cast.team_worker)
    urls = [
        reverse("network:index"),
        reverse("network:site_settings"),
        reverse("network:organisations"),
        reverse("network:organisation_add"),
        reverse("network:organisation_change", args=[cast.charity.pk]),
        reverse("network:teams"),
        reverse("network:team_add"),
        reverse("network:team_change", args=[cast.team_a.pk]),
        reverse("network:localities"),
        reverse("network:locality_add"),
        reverse("network:staff"),
        reverse("network:staff_add"),
        reverse("network:membership_end", args=[membership.pk]),
        reverse("network:invitation", args=[membership.pk]),
    ]
    for url in urls:
        response = admin.get(url)
        assert response.status_code == 200, url
        assert not FORBIDDEN.search(text(response)), (url, FORBIDDEN.findall(text(response)))
