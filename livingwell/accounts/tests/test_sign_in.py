"""Signing in: argon2, lockout, audit of every attempt, and two-factor for the roles that need it."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.testing import PASSWORD, Cast

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def sign_in(client: Client, email: str, password: str = PASSWORD) -> object:
    return client.post(reverse("accounts:sign_in"), {"username": email, "password": password})


def test_argon2_hashes_and_checks_passwords() -> None:
    hashed = make_password("a long enough secret", hasher="argon2")
    assert hashed.startswith("argon2$argon2id$")
    assert check_password("a long enough secret", hashed)


def test_sign_in_and_out_are_audited(cast: Cast) -> None:
    client = Client()
    response = sign_in(client, cast.team_worker.email.upper())  # email is not case-sensitive
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(actor=cast.team_worker, action="sign_in").exists()
    assert "<h1>Sign out</h1>" in client.get(reverse("accounts:sign_out")).content.decode()
    client.post(reverse("accounts:sign_out"))
    assert AuditEvent.objects.filter(actor=cast.team_worker, action="sign_out").exists()


def test_wrong_password_shows_the_error_summary_and_is_audited(cast: Cast) -> None:
    response = sign_in(Client(), cast.team_worker.email, "wrong password")
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "There is a problem" in html
    assert "Your email address or password is not right" in html
    assert f'value="{cast.team_worker.email}"' in html
    assert AuditEvent.objects.filter(action="sign_in_failed", outcome=Outcome.REFUSED).exists()


def test_empty_form_names_each_field() -> None:
    html = Client().post(reverse("accounts:sign_in"), {"username": "", "password": ""}).content.decode()
    assert "Enter your email address" in html and "Enter your password" in html


def test_lockout_after_repeated_failures(cast: Cast) -> None:
    client = Client()
    for _ in range(5):
        sign_in(client, cast.team_worker.email, "wrong password")
    response = sign_in(client, cast.team_worker.email)  # even the right password is refused now
    assert response.status_code == 429  # type: ignore[attr-defined]
    assert "You cannot sign in at the moment" in response.content.decode()  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="locked_out").exists()


@pytest.mark.parametrize("who", ["site_admin", "privacy_officer"])
def test_administrators_must_set_up_and_use_two_factor(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    client = Client()
    response = sign_in(client, user.email)
    assert reverse("accounts:two_factor") in response["Location"]  # type: ignore[index]
    # Without a device, they are sent to set one up, and nothing else opens until they do.
    assert reverse("accounts:two_factor_set_up") in client.get(reverse("accounts:two_factor"))["Location"]
    assert client.get(reverse("core:home")).status_code == 302
    page = client.get(reverse("accounts:two_factor_set_up")).content.decode()
    assert "Set up your authenticator app" in page and "data:image/svg+xml;base64," in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    html = client.post(
        reverse("accounts:two_factor_set_up"), {"code": "000000" if code_for(device) != "000000" else "111111"}
    ).content.decode()
    assert "The code is not right" in html
    html = client.post(reverse("accounts:two_factor_set_up"), {"code": code_for(device)}).content.decode()
    assert "Wait a minute" in html  # a wrong code slows the next try
    device.refresh_from_db()
    device.throttle_reset()
    client.post(reverse("accounts:two_factor_set_up"), {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200


def test_two_factor_code_is_checked_at_every_sign_in(cast: Cast) -> None:
    device = TOTPDevice.objects.create(user=cast.privacy_officer, name="app", confirmed=True)
    client = Client()
    sign_in(client, cast.privacy_officer.email)
    assert client.get(reverse("core:home")).status_code == 302
    html = client.post(reverse("accounts:two_factor"), {"code": "12"}).content.decode()
    assert "Enter the 6-digit code" in html
    response = client.post(reverse("accounts:two_factor"), {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("core:home")  # never redirect off-site
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert "<h1>Privacy</h1>" in client.get(reverse("core:home")).content.decode()


def test_workers_do_not_need_two_factor_unless_they_set_it_up(cast: Cast) -> None:
    client = Client()
    sign_in(client, cast.team_worker.email)
    assert client.get(reverse("core:home")).status_code == 200


def test_account_page_offers_two_factor_to_any_worker(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.team_worker)
    html = client.get(reverse("accounts:account")).content.decode()
    assert "<h1>Your account</h1>" in html
    assert "Turn on two-step sign-in" in html
    assert "Recovery worker" in html and "Certitude" in html
