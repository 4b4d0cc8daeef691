"""Inviting a person to read their own record online, and whether they have.

Their team or allocated worker sends the invitation: an email with a one-time link to choose a
password (the same set-password page and token that staff invitations use, built by
`livingwell.accounts.invitations.set_password_path`). The person then signs in with their email
address and lands on their own record (`/people/me/`).

An invitation never takes over someone else's sign-in: it refuses an email address that belongs to a
member of staff or to another person, and it refuses once the person has chosen a password (they can
already sign in). Sending it again makes every earlier link stop working.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Max, Min

from livingwell.accounts.invitations import link_valid_for_days, set_password_path
from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis, Part
from livingwell.audit.policy import RecordAccess, access_to
from livingwell.core.errors import DomainError
from livingwell.messaging.models import Channel, Message, MessageStatus
from livingwell.messaging.services import message_send
from livingwell.network.models import Membership
from livingwell.people.models import Person

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User

# Who may invite a person to their record: the people who support them now.
INVITING_BASES = frozenset({Basis.TEAM, Basis.ALLOCATED})
PURPOSE = "invitation to read their record"


def may_invite(access: RecordAccess) -> bool:
    return bool(access.bases & INVITING_BASES)


@dataclass(frozen=True)
class Invitation:
    person: Person
    user: User
    message: Message
    link: str  # absolute when the service had the request, otherwise the path
    again: bool  # an earlier invitation had been sent


@dataclass(frozen=True)
class OnlineStatus:
    """Whether a person reads their record online: their sign-in and the invitations sent."""

    email: str  # the address they sign in with, or "" when they have no sign-in
    invited_at: dt.datetime | None  # the first invitation
    last_sent_at: dt.datetime | None
    times_sent: int
    password_set: bool
    signed_in: bool
    last_failed: bool  # the last invitation could not be sent (it is in the outbox, marked)

    @property
    def has_sign_in(self) -> bool:
        return bool(self.email)

    @property
    def may_send_again(self) -> bool:
        """An invitation can go (again) until they have chosen a password."""
        return not self.password_set


def online_status(person: Person) -> OnlineStatus:
    user = person.user
    sent = Message.objects.filter(person_id=person.pk, purpose=PURPOSE).aggregate(
        first=Min("created_at"), last=Max("created_at"), count=Count("id")
    )
    last_failed = (
        sent["count"] > 0
        and Message.objects.filter(person_id=person.pk, purpose=PURPOSE)
        .order_by("-created_at")
        .values_list("status", flat=True)[0]
        == MessageStatus.FAILED
    )
    return OnlineStatus(
        email=user.email if user else "",
        invited_at=sent["first"],
        last_sent_at=sent["last"],
        times_sent=sent["count"],
        password_set=bool(user and user.has_usable_password()),
        signed_in=bool(user and user.last_login),
        last_failed=last_failed,
    )


def invitation_text(*, first_name: str, inviter: str, link: str, valid_for_days: int) -> str:
    """What the person is told (plain text: it goes by email)."""
    days = "1 day" if valid_for_days == 1 else f"{valid_for_days} days"
    return (
        f"Hello {first_name}.\n\n"
        f"{inviter} has invited you to read your Living Well record online.\n\n"
        "You will be able to read your story, your Living Well plan, the notes of your contacts with us "
        "and the people in your network. You can add to your story and your plan, ask for a different "
        "worker, choose who you share your record with, and see everyone who has looked at it.\n\n"
        "To start, choose a password on this page:\n"
        f"{link}\n\n"
        f"The link works once, for {days}. If it has run out, ask your worker for a new one.\n\n"
        "You do not have to do this: your support stays the same either way. "
        "If you did not expect this email, you can ignore it."
    )


def _is_staff(user: User) -> bool:
    return user.is_staff or user.is_superuser or Membership.objects.filter(user=user).exists()


def _clean_email(email: str, first_name: str) -> str:
    address = email.strip()
    if not address:
        raise DomainError("email_missing", f"Enter the email address {first_name} wants to use", field="email")
    try:
        validate_email(address)
    except ValidationError:
        raise DomainError(
            "email_invalid", "Enter an email address in the right format, like name@example.com", field="email"
        ) from None
    return address


def _sign_in_for(person: Person, address: str, first_name: str) -> User | None:
    """The sign-in to invite: the person's own, or an unused one with this address; None to make one.

    Refuses (DomainError by the email field) whatever would hand someone else's sign-in to this person.
    """
    users = get_user_model()
    current: User | None = person.user
    existing: User | None = users.objects.filter(email__iexact=address).first()  # type: ignore[assignment]
    if current is not None:
        if current.has_usable_password():
            raise DomainError(
                "already_signed_up",
                f"{first_name} has already chosen a password, so they can sign in with {current.email}",
                field="email",
            )
        if _is_staff(current):
            raise DomainError(
                "staff_sign_in",
                f"{first_name}'s sign-in is also a staff account. Ask your site administrator to send its link",
                field="email",
            )
    if existing is None or (current is not None and existing.pk == current.pk):
        return current
    if _is_staff(existing):
        raise DomainError(
            "email_staff",
            f"This email address belongs to a member of staff. Use an address that only {first_name} uses",
            field="email",
        )
    if Person.objects.filter(user=existing).exists():
        raise DomainError(
            "email_other_person",
            f"Someone else signs in to their own record with this email address. Check the address with {first_name}",
            field="email",
        )
    if existing.has_usable_password() or current is not None:
        raise DomainError(
            "email_in_use",
            f"This email address already has a Living Well sign-in. Check the address with {first_name}",
            field="email",
        )
    return existing  # made for this address before and never used: take it over for the person


def person_invite(*, actor: User, person: Person, email: str, request: HttpRequest | None = None) -> Invitation:
    """Invite the person to read their record online: a sign-in for them and an email with the link.

    Only their team or allocated worker may. A changed email address is saved to the person's contact
    details (through `person_change`, audited as such). Sending again replaces the earlier link.
    """
    from livingwell.people.services import person_change

    access = access_to(actor, person)
    first_name = person.preferred_name or person.given_name
    if not may_invite(access):
        raise audit.refuse(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.CONTACT],
            reason="Only the person's team or allocated worker may invite them to their record",
            request=request,
            message=f"Only the team or worker who supports {first_name} can invite them to read their record online.",
        )
    address = _clean_email(email, first_name)
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).select_related("site", "user").get(pk=person.pk)
        user = _sign_in_for(person, address, first_name)
        again = user is not None and Message.objects.filter(person_id=person.pk, purpose=PURPOSE).exists()
        email_changed = address.lower() != person.email.lower()
        if email_changed:
            person_change(actor=actor, person=person, part=Part.CONTACT, data={"email": address}, request=request)
        if user is None:
            user = get_user_model().objects.create_user(address, None, display_name=person.display_name)  # type: ignore[attr-defined]
            made = "created"
        else:
            # A new password placeholder: every link sent before stops working (the token covers it).
            user.email = address.lower()
            user.is_active = True
            user.set_unusable_password()
            user.save(update_fields=["email", "is_active", "password", "updated_at"])
            made = "sent again" if again else "existing sign-in"
        if person.user_id != user.pk:
            person.user = user
            person.save(update_fields=["user", "updated_at"])
        path = set_password_path(user)
        link = request.build_absolute_uri(path) if request is not None else path
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.CONTACT],
            basis=access.basis_for(Part.CONTACT, change=True),
            detail={"invited_to_read_record": made, "email_changed": email_changed},
            request=request,
        )
        message = message_send(
            site=person.site,
            person_id=person.pk,
            channel=Channel.EMAIL,
            to=user.email,
            subject="Read your Living Well record online",
            body=invitation_text(
                first_name=first_name, inviter=actor.name, link=link, valid_for_days=link_valid_for_days()
            ),
            purpose=PURPOSE,
            actor=actor,
        )
    return Invitation(person=person, user=user, message=message, link=link, again=again)
