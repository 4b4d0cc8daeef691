"""API tokens: how a partner organisation's system (a GP practice's EMIS, a council's housing system) signs in.

A token belongs to one organisation, is shown once when it is made and is stored only as a
SHA-256 hash. Its first characters (`prefix`) are kept in the clear so that people can tell
tokens apart in lists and in the audit trail. Revoking a token is permanent; make a new one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import models

from livingwell.network.models import Organisation, TimestampedModel


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def for_sites(self, site_ids: Iterable[uuid.UUID]) -> ApiTokenQuerySet:
        """The tokens of the partner organisations of these sites (what their site administrators manage)."""
        return self.filter(organisation__site_id__in=list(site_ids))

    def active(self) -> ApiTokenQuerySet:
        """Tokens that still work: not revoked, for an organisation that is still a partner."""
        return self.filter(revoked_at__isnull=True, organisation__is_active=True)


class ApiToken(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(
        max_length=120, help_text="Which system uses it, such as EMIS at Brixton Hill Group Practice."
    )
    prefix = models.CharField(max_length=8, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"
        indexes = [models.Index(fields=["organisation", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
