"""`manage.py demo_totp EMAIL`: the current two-factor code of a demo account (demo data only)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.core.synthetic import DEMO_DOMAIN


class Command(BaseCommand):
    help = "Print the current 6-digit two-factor code for a demo sign-in (site administrator, privacy officer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help=f"A demo sign-in, such as admin@{DEMO_DOMAIN}")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        # Only the published demo accounts: this must never print a real person's code.
        if not email.endswith(f"@{DEMO_DOMAIN}"):
            raise CommandError(f"Only demo sign-ins (…@{DEMO_DOMAIN}) have codes printed here.")
        device = TOTPDevice.objects.filter(user__email=email, confirmed=True).first()
        if device is None:
            raise CommandError(f"{email} has no authenticator. Run `manage.py seed_demo` first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        code = f"{totp.token():0{device.digits}d}"
        self.stdout.write(code)
