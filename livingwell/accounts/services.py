"""Sign-in rules: who must use a second factor, and setting one up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.audit import services as audit
from livingwell.audit.models import Action
from livingwell.audit.policy import roles_of
from livingwell.core.errors import DomainError
from livingwell.network.models import TWO_FACTOR_ROLES

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor_required_by_role(user: User) -> bool:
    """Site administrators and privacy officers must use a second factor; for everyone else it is a choice."""
    return bool(roles_of(user) & TWO_FACTOR_ROLES)


def two_factor_required(user: User) -> bool:
    """Site administrators and privacy officers must; anyone who has set one up always does."""
    return two_factor_required_by_role(user) or confirmed_device(user) is not None


def two_factor_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user to add to their app (replacing any earlier one)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def two_factor_check(*, device: TOTPDevice, code: str) -> None:
    """Check a code from the authenticator app; wrong codes slow further tries (django-otp throttling)."""
    code = code.replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        raise DomainError("code_format", "Enter the 6-digit code from your authenticator app", field="code")
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise DomainError(
            "code_throttled",
            "There have been several wrong codes. Wait a minute, then enter the newest code",
            field="code",
        )
    if not device.verify_token(code):
        raise DomainError("code_wrong", "The code is not right. Check your app and enter the newest code", field="code")


def two_factor_confirm(*, user: User, device: TOTPDevice, code: str, request: HttpRequest | None = None) -> None:
    two_factor_check(device=device, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(actor=user, action=Action.SIGN_IN, detail={"two_factor": "set up"}, request=request)


def two_factor_turn_off(*, user: User, code: str, request: HttpRequest | None = None) -> None:
    """Stop asking for a code at sign-in: only for someone whose role does not need it, with a code to prove it is them."""
    if two_factor_required_by_role(user):
        raise audit.refuse(
            actor=user,
            action=Action.CHANGE,
            reason="Two-step sign-in is required for this role",
            request=request,
            message="Your role needs two-step sign-in, so it cannot be turned off.",
        )
    device = confirmed_device(user)
    if device is None:
        return
    two_factor_check(device=device, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit.record(actor=user, action=Action.CHANGE, detail={"two_factor": "turned off"}, request=request)


def worker_profile_change(*, user: User, gender: str, languages: str, request: HttpRequest | None = None) -> list[str]:
    """What a worker says about themself so that people can ask for someone who fits (a woman, a language)."""
    from livingwell.accounts.models import WorkerGender

    if gender and gender not in WorkerGender.values:
        raise DomainError("gender_unknown", "Choose a gender from the list, or leave it empty", field="gender")
    cleaned = ", ".join(dict.fromkeys(part.strip() for part in languages.split(",") if part.strip()))
    if len(cleaned) > 200:
        raise DomainError("languages_too_long", "Languages must be 200 characters or fewer", field="languages")
    changed = [name for name, value in (("gender", gender), ("languages", cleaned)) if getattr(user, name) != value]
    if not changed:
        return []
    user.gender = gender
    user.languages = cleaned
    with transaction.atomic():
        user.save(update_fields=[*changed, "updated_at"])
        audit.record(actor=user, action=Action.NETWORK_CHANGE, detail={"own_profile": changed}, request=request)
    return changed
