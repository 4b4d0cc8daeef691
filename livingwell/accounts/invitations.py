"""The page an invitation link opens: someone new chooses their first password.

Two kinds of people get a link: a new member of staff, whose site administrator passes it on
(livingwell.network.services.invitation_create), and a person invited by their worker to read their
own record, who gets it by email (livingwell.people.invitations.person_invite). Both build it with
`set_password_path`. The token is Django's password reset token, so it stops working as soon as a
password is set (or a new invitation is sent), or after PASSWORD_RESET_TIMEOUT.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from livingwell.audit import services as audit
from livingwell.audit.models import Action

if TYPE_CHECKING:
    from livingwell.accounts.models import User

# As Django's PasswordResetConfirmView does: once checked, the token moves from the address into
# the session, so that it cannot leak from the address bar, history or a Referer header.
SESSION_TOKEN_KEY = "_lw_invitation_token"  # noqa: S105 (a session key, not a secret)
TOKEN_IN_SESSION = "set-password"  # noqa: S105 (a placeholder in the address)

_FRIENDLY = {
    "password_too_common": "Choose a password that is harder to guess",
    "password_entirely_numeric": "Password must include letters, not only numbers",
    "password_too_similar": "Password must not be like your name or email address",
}


class ChoosePasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Django's SetPasswordForm and the configured validators, with messages in NHS style."""

    error_messages = {"password_mismatch": "The passwords do not match. Enter the same password twice"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label = "Create a password"
        first.help_text = "Use at least 12 characters. A few random words together are easy to remember"
        first.error_messages["required"] = "Enter a password"
        second.label = "Confirm your password"
        second.help_text = ""
        second.error_messages["required"] = "Confirm your password"

    def clean(self) -> dict[str, Any]:
        self.validate_passwords("new_password1", "new_password2")
        password = self.cleaned_data.get("new_password1")
        if password:
            try:
                password_validation.validate_password(password, self.user)
            except ValidationError as error:
                self.add_error("new_password1", [_friendly(e) for e in error.error_list])
        return self.cleaned_data


def _friendly(error: ValidationError) -> str:
    if error.code == "password_too_short":
        return f"Password must be {(error.params or {}).get('min_length', 12)} characters or more"
    return _FRIENDLY.get(error.code or "", " ".join(error.messages))


def set_password_path(user: User) -> str:
    """The one-time address of the page where `user` chooses a password (relative: the caller makes it absolute)."""
    return reverse(
        "accounts:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def link_valid_for_days() -> int:
    """How many days an invitation link works (PASSWORD_RESET_TIMEOUT, in whole days, at least 1)."""
    return max(1, int(settings.PASSWORD_RESET_TIMEOUT) // (24 * 60 * 60))


def _user(uidb64: str) -> User | None:
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user: User | None = get_user_model().objects.filter(pk=pk, is_active=True).first()  # type: ignore[assignment]
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError, ValidationError):
        return None
    return user


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = _user(uidb64)
    if user is not None and token != TOKEN_IN_SESSION and default_token_generator.check_token(user, token):
        request.session[SESSION_TOKEN_KEY] = token
        return redirect("accounts:set_password", uidb64=uidb64, token=TOKEN_IN_SESSION)
    session_token = request.session.get(SESSION_TOKEN_KEY, "")
    if user is None or token != TOKEN_IN_SESSION or not default_token_generator.check_token(user, session_token):
        return render(request, "accounts/set_password.jinja", {"form": None})
    form = ChoosePasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            audit.record(
                actor=user, action=Action.CHANGE, detail={"account": "password set from invitation"}, request=request
            )
        del request.session[SESSION_TOKEN_KEY]
        messages.success(request, "Your password is saved. Sign in with your email address and new password")
        return redirect("accounts:sign_in")
    return render(request, "accounts/set_password.jinja", {"form": form, "email": user.email})
