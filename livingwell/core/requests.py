from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from livingwell.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request to a view behind login_required: `user` is a signed-in User."""

    user: User  # type: ignore[assignment]
