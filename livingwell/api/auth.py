"""Bearer-token sign-in for partner systems: `Authorization: Bearer lw_<prefix>_<secret>`.

An unknown, malformed or revoked token (or one whose organisation is no longer an active partner)
is refused with a 401 problem (ninja raises AuthenticationError, which problems.py answers).
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from livingwell.api.models import ApiToken
from livingwell.api.services import TOKEN_START, hash_token

# Writing `last_used_at` on every request would make every read a write; a minute is precise enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
MAX_TOKEN_LENGTH = 100


class ApiTokenAuth(HttpBearer):
    openapi_bearerFormat = "lw_<prefix>_<secret>"
    openapi_description = (
        "A token for one partner organisation, made by a site administrator "
        "(`manage.py create_api_token` or the network pages). Send it as `Authorization: Bearer <token>`."
    )

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        token = token.strip()
        if not token.startswith(TOKEN_START) or len(token) > MAX_TOKEN_LENGTH:
            return None
        found = (
            ApiToken.objects.active()
            .select_related("organisation", "organisation__site")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
            found.last_used_at = now
        return found


def token_of(request: HttpRequest) -> ApiToken:
    """The token that signed in this request (only for operations behind ApiTokenAuth)."""
    return cast(ApiToken, request.auth)  # type: ignore[attr-defined]
