"""Making and revoking API tokens. Each is a network change, audited in the same transaction.

A token looks like `lw_<prefix>_<secret>`: `prefix` is 8 random hex characters kept in the clear
(it names the token in lists and in the audit trail), `secret` is 43 random URL-safe characters.
Only the SHA-256 hash of the whole token is stored, so the token is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from livingwell.api.models import ApiToken
from livingwell.audit import services as audit
from livingwell.audit.models import Action
from livingwell.core.errors import DomainError
from livingwell.network.models import Organisation
from livingwell.network.selectors import administered_site_ids

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User

TOKEN_START = "lw_"  # noqa: S105 (the visible start of every token, not a secret)
NAME_MAX_LENGTH = 120


class ApiTokenError(DomainError):
    pass


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token: shown to the site administrator once and never stored


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _require_administrator(actor: User | None, organisation: Organisation, request: HttpRequest | None) -> None:
    """A site administrator of the organisation's site; `None` is the server's own command line."""
    if actor is not None and organisation.site_id not in administered_site_ids(actor):
        raise audit.refuse(
            actor=actor,
            action=Action.NETWORK_CHANGE,
            reason="Only a site administrator of the site may manage API tokens",
            request=request,
            message="Only a site administrator of this site can manage API tokens.",
        )


def _record(actor: User | None, token: ApiToken, change: str, request: HttpRequest | None) -> None:
    audit.record(
        actor=actor,
        action=Action.NETWORK_CHANGE,
        detail={
            "site": str(token.organisation.site_id),
            "object": "api_token",
            "id": str(token.pk),
            "api_token": token.prefix,
            "name": token.name,
            "organisation": token.organisation.name,
            "change": change,
        },
        request=request,
    )


def api_token_create(
    *, actor: User | None, organisation: Organisation, name: str, request: HttpRequest | None = None
) -> NewToken:
    """A new token for `organisation`'s system. The returned secret is the only copy there will be."""
    _require_administrator(actor, organisation, request)
    name = " ".join(name.split())
    if not name:
        raise ApiTokenError("name_missing", "Enter the name of the system that will use the token", field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise ApiTokenError("name_too_long", f"The name must be {NAME_MAX_LENGTH} characters or fewer", field="name")
    if not organisation.is_active:
        raise ApiTokenError(
            "organisation_inactive",
            f"{organisation.name} is no longer an active partner. Make it active again first",
            field="organisation",
        )
    for _ in range(10):
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    else:  # pragma: no cover - 16^8 prefixes
        raise RuntimeError("Could not find a free API token prefix")
    raw = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            organisation=organisation, name=name, prefix=prefix, token_hash=hash_token(raw), created_by=actor
        )
        _record(actor, token, "created", request)
    return NewToken(token=token, secret=raw)


def api_token_revoke(*, actor: User | None, token: ApiToken, request: HttpRequest | None = None) -> ApiToken:
    """Stop a token working, at once and for good."""
    _require_administrator(actor, token.organisation, request)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("organisation").get(pk=token.pk)
        if token.revoked_at is not None:
            raise ApiTokenError("already_revoked", "This token has already been revoked", field=None)
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        _record(actor, token, "revoked", request)
    return token
