"""Staff whose role needs a second factor cannot use anything until they have given one."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from livingwell.accounts.services import two_factor_required

_OPEN_PREFIXES = ("/static/", "/healthz", "/sign-out/", "/two-factor/", "/get-help-now/", "/oruk/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not user.is_verified()  # type: ignore[union-attr, attr-defined]  # added by OTPMiddleware
            and two_factor_required(user)  # type: ignore[arg-type]
        ):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
