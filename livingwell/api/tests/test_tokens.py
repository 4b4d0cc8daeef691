"""API tokens: made once, stored as a hash, refused when revoked, and every change audited."""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from livingwell.api import services
from livingwell.api.models import ApiToken
from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.conftest import Cast
from livingwell.network.models import Organisation, Sector, Site
from livingwell.network.tests.conftest import sign_in_verified

# One client for the module: each new client loads the middleware again (WhiteNoise scans every static file).
API = Client()


def _status_with(token: str) -> int:
    """The status of a token-only operation: a GET of an introduction that does not exist (404 when signed in)."""
    response = API.get(
        "/api/v1/introductions/00000000-0000-0000-0000-000000000000", headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code


def test_a_token_is_shown_once_and_stored_only_as_a_hash(cast: Cast) -> None:
    new = services.api_token_create(actor=cast.site_admin, organisation=cast.housing, name="  Housing  CRM ")
    token = ApiToken.objects.get()
    assert new.secret.startswith(f"lw_{token.prefix}_")
    assert len(token.prefix) == 8
    assert token.name == "Housing CRM"
    assert token.token_hash == hashlib.sha256(new.secret.encode()).hexdigest()
    secret_part = new.secret.split("_", 2)[2]
    assert len(secret_part) >= 40
    for value in (token.name, token.prefix, token.token_hash):
        assert secret_part not in value
    assert token.created_by == cast.site_admin
    assert token.organisation == cast.housing
    assert _status_with(new.secret) == 404  # signed in: the introduction does not exist


def test_making_a_token_is_audited_as_a_network_change(cast: Cast) -> None:
    new = services.api_token_create(actor=cast.site_admin, organisation=cast.housing, name="Housing CRM")
    event = AuditEvent.objects.get(action=Action.NETWORK_CHANGE)
    assert event.actor == cast.site_admin
    assert event.detail["api_token"] == new.token.prefix
    assert event.detail["organisation"] == "Homes for Lambeth"
    assert event.detail["change"] == "created"
    assert new.secret not in str(event.detail)


def test_only_a_site_administrator_of_the_site_makes_tokens(cast: Cast) -> None:
    for user in (cast.coordinator, cast.stranger, cast.privacy_officer):
        with pytest.raises(AccessRefused):
            services.api_token_create(actor=user, organisation=cast.housing, name="Housing CRM")
    other = Site.objects.create(name="Southwark", slug="southwark")
    mind = Organisation.objects.create(site=other, name="Southwark Mind", sector=Sector.VOLUNTARY)
    with pytest.raises(AccessRefused):
        services.api_token_create(actor=cast.site_admin, organisation=mind, name="CRM")
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(action=Action.NETWORK_CHANGE, outcome=Outcome.REFUSED).count() == 4


@pytest.mark.parametrize(
    ("name", "message"),
    [("   ", "Enter the name of the system that will use the token"), ("x" * 121, "120 characters or fewer")],
)
def test_a_token_needs_a_name(cast: Cast, name: str, message: str) -> None:
    with pytest.raises(services.ApiTokenError) as caught:
        services.api_token_create(actor=cast.site_admin, organisation=cast.housing, name=name)
    assert message in caught.value.message and caught.value.field == "name"
    assert not ApiToken.objects.exists()


def test_no_token_for_an_organisation_that_is_no_longer_a_partner(cast: Cast) -> None:
    cast.housing.is_active = False
    cast.housing.save()
    with pytest.raises(services.ApiTokenError):
        services.api_token_create(actor=cast.site_admin, organisation=cast.housing, name="CRM")


def test_a_revoked_token_stops_working_at_once(cast: Cast) -> None:
    new = services.api_token_create(actor=cast.site_admin, organisation=cast.housing, name="Housing CRM")
    assert _status_with(new.secret) == 404
    services.api_token_revoke(actor=cast.site_admin, token=new.token, request=None)
    assert _status_with(new.secret) == 401
    token = ApiToken.objects.get()
    assert token.revoked_at is not None and token.revoked_by == cast.site_admin
    assert AuditEvent.objects.filter(action=Action.NETWORK_CHANGE, detail__change="revoked").count() == 1
    with pytest.raises(services.ApiTokenError):
        services.api_token_revoke(actor=cast.site_admin, token=token)


def test_a_token_stops_working_when_its_organisation_stops_being_a_partner(cast: Cast) -> None:
    new = services.api_token_create(actor=cast.site_admin, organisation=cast.housing, name="Housing CRM")
    cast.housing.is_active = False
    cast.housing.save()
    assert _status_with(new.secret) == 401


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer lw_00000000_" + "x" * 43, "Bearer lw_" + "x" * 500],
)
def test_unknown_or_malformed_tokens_are_refused(cast: Cast, header: str) -> None:
    services.api_token_create(actor=cast.site_admin, organisation=cast.housing, name="Housing CRM")
    response = API.get(
        "/api/v1/introductions/00000000-0000-0000-0000-000000000000",
        headers={"Authorization": header} if header else {},
    )
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


def test_using_a_token_records_when_it_was_last_used(cast: Cast) -> None:
    new = services.api_token_create(actor=cast.site_admin, organisation=cast.housing, name="Housing CRM")
    assert new.token.last_used_at is None
    _status_with(new.secret)
    assert ApiToken.objects.get().last_used_at is not None


def test_the_command_prints_the_token_once(cast: Cast) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_token", "--organisation", "homes for lambeth", "--name", "Housing CRM", stdout=out, stderr=err
    )
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert secret.startswith(f"lw_{token.prefix}_")
    assert token.organisation == cast.housing and token.created_by is None
    assert "only time it is shown" in err.getvalue()
    assert _status_with(secret) == 404
    event = AuditEvent.objects.get(action=Action.NETWORK_CHANGE)
    assert event.actor is None and event.detail["api_token"] == token.prefix


def test_the_command_finds_an_organisation_by_id(cast: Cast) -> None:
    out = io.StringIO()
    call_command("create_api_token", "--organisation", str(cast.council.pk), "--name", "Case system", stdout=out)
    assert ApiToken.objects.get().organisation == cast.council


def test_the_command_says_when_the_name_is_unknown_or_ambiguous(cast: Cast) -> None:
    with pytest.raises(CommandError, match="No partner organisation"):
        call_command("create_api_token", "--organisation", "Nobody", "--name", "x", stdout=io.StringIO())
    other = Site.objects.create(name="Southwark", slug="southwark")
    Organisation.objects.create(site=other, name="Homes for Lambeth", sector=Sector.HOUSING)
    with pytest.raises(CommandError, match="More than one"):
        call_command("create_api_token", "--organisation", "Homes for Lambeth", "--name", "x", stdout=io.StringIO())
    with pytest.raises(CommandError, match="name of the system"):
        call_command("create_api_token", "--organisation", str(cast.council.pk), "--name", " ", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


# The site administrator's pages ----------------------------------------------------------------------


def _page_text(response: Any) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def test_the_pages_are_for_site_administrators_only(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.coordinator)
    for url in ("/network/api-tokens/", "/network/api-tokens/new/"):
        assert client.get(url).status_code == 403
    assert AuditEvent.objects.filter(actor=cast.coordinator, outcome=Outcome.REFUSED).count() == 2
    client.force_login(cast.site_admin)
    assert client.get("/network/api-tokens/").status_code == 302  # to the second factor first


def test_a_site_administrator_makes_lists_and_revokes_tokens(cast: Cast) -> None:
    client = sign_in_verified(cast.site_admin)
    assert "There are no API tokens yet" in _page_text(client.get("/network/api-tokens/"))
    form = client.get("/network/api-tokens/new/")
    assert form.status_code == 200 and "Homes for Lambeth" in _page_text(form)
    missing = client.post("/network/api-tokens/new/", {"organisation": str(cast.housing.pk), "name": " "})
    assert "Enter the name of the system that will use the token" in _page_text(missing)
    assert _page_text(missing).startswith("Error: ")
    made = client.post("/network/api-tokens/new/", {"organisation": str(cast.housing.pk), "name": "Housing CRM"})
    assert made.status_code == 200
    token = ApiToken.objects.get()
    secret = re.search(r'<code id="token">([^<]+)</code>', made.content.decode())
    assert secret and secret.group(1).startswith(f"lw_{token.prefix}_")
    assert token.token_hash == hashlib.sha256(secret.group(1).encode()).hexdigest()
    assert "only time it is shown" in _page_text(made)
    listed = client.get("/network/api-tokens/")
    page = _page_text(listed)
    assert "Housing CRM" in page and f"lw_{token.prefix}" in page and "Active" in page
    assert secret.group(1) not in listed.content.decode()
    confirm = client.get(f"/network/api-tokens/{token.pk}/revoke/")
    assert "Revoke an API token" in _page_text(confirm)
    assert _status_with(secret.group(1)) == 404
    done = client.post(f"/network/api-tokens/{token.pk}/revoke/")
    assert done.status_code == 302
    assert "is revoked" in _page_text(client.get("/network/api-tokens/"))
    assert _status_with(secret.group(1)) == 401


def test_another_sites_token_is_not_found(cast: Cast) -> None:
    other = Site.objects.create(name="Southwark", slug="southwark")
    mind = Organisation.objects.create(site=other, name="Southwark Mind", sector=Sector.VOLUNTARY)
    theirs = services.api_token_create(actor=None, organisation=mind, name="CRM").token
    client = sign_in_verified(cast.site_admin)
    assert "CRM" not in _page_text(client.get("/network/api-tokens/"))
    assert client.post(f"/network/api-tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None
    refused = client.post("/network/api-tokens/new/", {"organisation": str(mind.pk), "name": "CRM 2"})
    assert "Select the partner organisation" in _page_text(refused)
    assert ApiToken.objects.count() == 1
