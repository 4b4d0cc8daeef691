"""The page for the site's settings for measures (/measures/settings/), as a browser sees it: for the
site administrator of the site they manage; errors shown the GOV.UK way; the figures used on people's pages."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.network.models import Membership, Organisation, Role, Sector, Site
from livingwell.network.tests.conftest import sign_in_verified
from livingwell.network.views import SITE_SESSION_KEY
from livingwell.outcomes.models import MeasureSettings
from livingwell.outcomes.tests.overview_helpers import START, client_for, dialog, page, reqol, text_of
from livingwell.testing import Cast

pytestmark = pytest.mark.django_db

URL = "/measures/settings/"
GOOD = {
    "dialog_reliable_change": "1.5",
    "gbo_reliable_change": "3",
    "reqol10_reliable_change": "5",
    "swemwbs_reliable_change": "3",
    "reqol10_cutoff": "22",
}


@pytest.fixture
def admin(cast: Cast) -> Client:
    return sign_in_verified(cast.site_admin)


def field_error(html: str, field_id: str) -> str:
    pattern = rf'id="{field_id}-error"\s*>\s*<span class="nhsuk-u-visually-hidden">Error: </span>([^<]*)</span>'
    match = re.search(pattern, html)
    assert match, f"no error message by {field_id}"
    return " ".join(match.group(1).split())


def test_the_address_is_the_one_the_network_pages_link_to(cast: Cast, admin: Client) -> None:
    assert reverse("measure_settings:edit") == URL
    index = admin.get(reverse("network:index")).content.decode()
    assert f'href="{URL}"' in index
    assert "Settings for measures" in index


def test_the_page_shows_nhs_englands_figures_until_the_site_sets_its_own(cast: Cast, admin: Client) -> None:
    raw = page(admin, URL)
    html = text_of(raw)
    assert "<h1>Settings for measures</h1>" in raw
    assert "Lambeth network" in html
    assert "DIALOG: points on an area for a reliable change" in html
    assert "NHS England uses 1." in html and "NHS England uses 25." in html
    assert "ReQoL-10: clinical cut-off" in html
    assert "This site uses NHS England's figures." in html
    for name, value in (
        ("dialog_reliable_change", "1"),
        ("gbo_reliable_change", "3"),
        ("reqol10_reliable_change", "5"),
        ("swemwbs_reliable_change", "3"),
        ("reqol10_cutoff", "25"),
    ):
        assert re.search(rf'name="{name}"[^>]*value="{value}"|value="{value}"[^>]*name="{name}"', raw), name
    assert 'inputmode="decimal"' in raw and "novalidate" in raw
    assert "threshold" not in html.lower()


def test_saving_the_figures_goes_back_to_the_network_and_is_audited(cast: Cast, admin: Client) -> None:
    response = admin.post(URL, GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:index")
    followed = text_of(admin.get(response["Location"]).content.decode())
    assert "Settings for measures saved" in followed
    stored = MeasureSettings.objects.get(site=cast.site)
    assert (stored.dialog_reliable_change, stored.reqol10_cutoff) == (Decimal("1.50"), 22)
    event = AuditEvent.objects.filter(action=Action.NETWORK_CHANGE, actor=cast.site_admin).latest("id")
    assert event.detail["changes"] == {"dialog_reliable_change": ["1", "1.5"], "reqol10_cutoff": [25, 22]}
    raw = page(admin, URL)
    assert "This site has set its own figures." in text_of(raw)
    assert 'value="1.5"' in raw and 'value="22"' in raw


def test_mistakes_are_shown_in_the_error_summary_and_by_each_field_with_the_answers_kept(
    cast: Cast, admin: Client
) -> None:
    response = admin.post(
        URL,
        {
            **GOOD,
            "dialog_reliable_change": "7",
            "gbo_reliable_change": "two",
            "reqol10_cutoff": "",
            "swemwbs_reliable_change": "3.125",
        },
    )
    assert response.status_code == 200
    raw = response.content.decode()
    html = text_of(raw)
    assert re.search(r"<title>\s*Error: Settings for measures", raw)
    assert "There is a problem" in html
    assert (
        field_error(raw, "id_dialog_reliable_change") == "DIALOG points for a reliable change must be between 0.1 and 6"
    )
    assert field_error(raw, "id_gbo_reliable_change") == (
        "Goal Based Outcomes points for a reliable change must be a number, like 1.5"
    )
    assert field_error(raw, "id_reqol10_cutoff") == "Enter the ReQoL-10 cut-off"
    assert field_error(raw, "id_swemwbs_reliable_change") == (
        "SWEMWBS points for a reliable change must have no more than 2 numbers after the decimal point"
    )
    assert 'href="#id_dialog_reliable_change"' in raw
    assert 'value="7"' in raw and 'value="two"' in raw  # answers are kept
    assert not MeasureSettings.objects.exists()
    assert "threshold" not in html.lower()


def test_the_figures_saved_here_are_used_on_peoples_pages(cast: Cast, admin: Client) -> None:
    dialog(cast.person, [3] * 8 + [4, 4, 4], when=START)
    dialog(cast.person, [4] * 8 + [4, 4, 4], when=START.replace(month=5))
    reqol(cast.person, 23, when=START)
    overview = reverse("measures:overview", args=[cast.person.pk])
    before = text_of(page(client_for(cast.person_user), overview))
    assert "Up 1 point since 3 March 2026: a reliable improvement" in before
    assert "Below 25: in the range where people often ask for help" in before
    admin.post(URL, {**GOOD, "dialog_reliable_change": "1.5", "reqol10_cutoff": "20"})
    after = text_of(page(client_for(cast.person_user), overview))
    assert "Up 1 point since 3 March 2026: no reliable change" in after
    assert "A change of 1.5 points or more on an area" in after
    assert "20 or more: in the range where most people who are not asking for help score" in after


def test_an_administrator_of_two_sites_changes_the_one_they_are_managing(cast: Cast) -> None:
    southwark = Site.objects.create(name="Southwark", slug="southwark")
    mind = Organisation.objects.create(site=southwark, name="Southwark Mind", sector=Sector.VOLUNTARY)
    Membership.objects.create(
        user=cast.site_admin, site=southwark, organisation=mind, role=Role.SITE_ADMINISTRATOR, started_on=START.date()
    )
    admin = sign_in_verified(cast.site_admin)
    session = admin.session
    session[SITE_SESSION_KEY] = str(southwark.pk)
    session.save()
    assert "Southwark network" in text_of(page(admin, URL))
    admin.post(URL, {**GOOD, "gbo_reliable_change": "2"})
    assert MeasureSettings.objects.get(site=southwark).gbo_reliable_change == 2
    assert not MeasureSettings.objects.filter(site=cast.site).exists()


@pytest.mark.parametrize("who", ["team_leader", "team_worker", "analyst", "privacy_officer", "person_user", "stranger"])
def test_anyone_who_is_not_a_site_administrator_is_refused_and_audited(cast: Cast, who: str) -> None:
    user: Any = getattr(cast, who)
    client = sign_in_verified(user)
    response = client.get(URL)
    assert response.status_code == 403
    event = AuditEvent.objects.filter(actor=user).latest("id")
    assert (event.action, event.outcome) == (Action.VIEW, Outcome.REFUSED)
    response = client.post(URL, GOOD)
    assert response.status_code == 403
    event = AuditEvent.objects.filter(actor=user).latest("id")
    assert (event.action, event.outcome) == (Action.NETWORK_CHANGE, Outcome.REFUSED)
    assert not MeasureSettings.objects.exists()


def test_signing_in_and_a_second_factor_are_needed(cast: Cast) -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and reverse("accounts:sign_in") in response["Location"]
    unverified = Client()
    unverified.force_login(cast.site_admin)
    response = unverified.get(URL)
    assert response.status_code == 302 and reverse("accounts:two_factor") in response["Location"]
