"""Messages to people (email and text), kept in an outbox that staff can read.

Every message goes through a sender (see livingwell.messaging.senders). The default sender sends
nothing: it leaves the message in the outbox, so that a site without a messaging contract still
has a true record of what the person would have been told, and staff can pass it on by hand.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from livingwell.network.models import Site, TimestampedModel


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class MessageStatus(models.TextChoices):
    IN_OUTBOX = "in_outbox", "In the outbox (not sent)"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"


class Message(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="messages")
    person_id = models.UUIDField(null=True, blank=True, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    purpose = models.CharField(max_length=40)
    status = models.CharField(max_length=20, choices=MessageStatus.choices)
    sender = models.CharField(max_length=100, help_text="Which sender handled it.")
    sent_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["site", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to}: {self.purpose}"
