"""Telling people things: one service that every part of the platform uses to send a message."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from livingwell.messaging.models import Channel, Message, MessageStatus
from livingwell.messaging.senders import get_sender

if TYPE_CHECKING:
    from livingwell.accounts.models import User
    from livingwell.network.models import Site


def message_send(
    *,
    site: Site,
    person_id: uuid.UUID | None,
    channel: Channel | str,
    to: str,
    subject: str = "",
    body: str,
    purpose: str,
    actor: User | None = None,
) -> Message:
    """Hand a message to the site's sender and keep it. A sender that fails leaves it marked failed."""
    sender = get_sender()
    message = Message(
        site=site,
        person_id=person_id,
        channel=Channel(channel),
        to=to,
        subject=subject,
        body=body,
        purpose=purpose,
        status=MessageStatus.IN_OUTBOX,
        sender=sender.name,
        created_by=actor,
    )
    try:
        sender.send(message)
    except Exception as error:  # whatever the gateway raised, the message is kept, marked failed
        message.status = MessageStatus.FAILED
        message.failure = str(error)[:1000]
    message.save()
    return message
