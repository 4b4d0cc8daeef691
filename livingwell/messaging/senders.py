"""Pluggable senders. A site names its sender in LIVINGWELL_MESSAGE_SENDER (a dotted path).

A sender is any class with `name` and `send(message) -> None`. It sets the message's status
(and `sent_at` or `failure`); the caller saves it. A real sender (GOV.UK Notify, an SMS gateway)
belongs to the deployment: it needs credentials and the network, which this repository has not.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from livingwell.messaging.models import Message, MessageStatus


class Sender(Protocol):
    name: str

    def send(self, message: Message) -> None: ...


class OutboxSender:
    """Keeps every message in the outbox and sends nothing: the default, and the demo's."""

    name = "outbox"

    def send(self, message: Message) -> None:
        message.status = MessageStatus.IN_OUTBOX


@cache
def _sender_class(path: str) -> type[Sender]:
    return import_string(path)  # type: ignore[no-any-return]


def get_sender() -> Sender:
    return _sender_class(settings.LIVINGWELL_MESSAGE_SENDER)()
