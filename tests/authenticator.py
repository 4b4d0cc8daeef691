"""An authenticator app for tests: a confirmed TOTP device and the code it would show now."""

from __future__ import annotations

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.accounts.models import User


def give_authenticator(user: User) -> TOTPDevice:
    """The user has set up their authenticator app (as site administrators and privacy officers must)."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The 6-digit code the user's app shows at this moment."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
