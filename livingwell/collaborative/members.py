"""Joining, changing and leaving the Collaborative, and welcoming people who asked to join.

- Anyone without a sign-in asks to join (`join_request_add`); a steward welcomes them
  (`join_request_welcome`: a sign-in if they have none, a member, a place in the whole Collaborative
  and an email) or declines kindly (`join_request_decline`).
- Someone signed in joins straight away (`member_join`), changes what they told the Collaborative
  (`member_change`) and leaves (`member_leave`), which ends their places in groups.

A member's identity is their own (ADR 10): the name they are known by is never taken from their
sign-in or from any record, and nothing here reads a person's support record. Every write is audited
in its own transaction with `area="collaborative"`; refusals are recorded before the transaction opens.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.invitations import set_password_path
from livingwell.accounts.models import User
from livingwell.audit.models import Action
from livingwell.core.errors import DomainError
from livingwell.messaging.services import message_send
from livingwell.network.models import Organisation, Sector, Site

from . import access
from .models import (
    PERSPECTIVE_FIELDS,
    GroupMembership,
    GroupRole,
    JoinRequest,
    JoinRequestStatus,
    Member,
    Perspective,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest

WELCOME_PURPOSE = "collaborative_welcome"
DECLINE_PURPOSE = "collaborative_join_declined"


@dataclass(frozen=True)
class Profile:
    """What a member tells the Collaborative about themself (the join and "my membership" forms)."""

    known_as: str
    perspectives: frozenset[Perspective]
    sector: str = ""
    organisation_name: str = ""
    about: str = ""
    access_needs: str = ""
    listed: bool = True
    public_name: bool = False


@dataclass(frozen=True)
class JoinAnswers:
    """What the public "ask to join" form asks."""

    known_as: str
    email: str
    perspectives: frozenset[Perspective]
    about: str = ""
    access_needs: str = ""


@dataclass(frozen=True)
class JoinRequestOutcome:
    join_request: JoinRequest
    created: bool  # False when a request from the same email was already waiting


# ---- checks ---------------------------------------------------------------------------------------


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _check_perspectives(perspectives: frozenset[Perspective]) -> None:
    if not perspectives:
        raise DomainError(
            "no_perspective", "Select at least one thing you bring to the Collaborative", field="perspectives"
        )


def check_profile(profile: Profile) -> Profile:
    """The profile tidied, or a DomainError naming the field to correct."""
    known_as = _tidy(profile.known_as)
    if not known_as:
        raise DomainError("no_name", "Enter the name you want to be known by", field="known_as")
    if len(known_as) > 80:
        raise DomainError("name_too_long", "The name must be 80 characters or fewer", field="known_as")
    _check_perspectives(profile.perspectives)
    works = bool(profile.perspectives & {Perspective.STAFF, Perspective.COMMISSIONER})
    sector = profile.sector if works else ""
    if works and not sector:
        raise DomainError("no_sector", "Select the sector you work in or commission for", field="sector")
    if sector and sector not in Sector.values:
        raise DomainError("bad_sector", "Select the sector you work in or commission for", field="sector")
    return Profile(
        known_as=known_as,
        perspectives=profile.perspectives,
        sector=sector,
        organisation_name=_tidy(profile.organisation_name),
        about=profile.about.strip(),
        access_needs=profile.access_needs.strip(),
        listed=profile.listed,
        public_name=profile.public_name,
    )


def _apply(member: Member, profile: Profile) -> None:
    member.known_as = profile.known_as
    for perspective, name in PERSPECTIVE_FIELDS.items():
        setattr(member, name, perspective in profile.perspectives)
    member.sector = profile.sector
    member.organisation_name = profile.organisation_name
    member.organisation = _organisation_named(member.site, profile.organisation_name)
    member.about = profile.about
    member.access_needs = profile.access_needs
    member.listed = profile.listed
    member.public_name = profile.public_name


def _organisation_named(site: Site, name: str) -> Organisation | None:
    """The site's partner organisation with exactly this name (ignoring capitals), so its hosting and sector show."""
    if not name:
        return None
    return Organisation.objects.filter(site=site, name__iexact=name).first()


def _add_to_whole(member: Member, today: dt.date) -> GroupMembership | None:
    """Make `member` a member of the whole Collaborative, unless they already have a place in it."""
    whole = access.whole_collaborative(member.site)
    if whole is None or whole.ended_on is not None:
        return None
    if GroupMembership.objects.current().filter(group=whole, member=member).exists():
        return None
    return GroupMembership.objects.create(group=whole, member=member, role=GroupRole.MEMBER, started_on=today)


def _start_membership(*, site: Site, user: User, profile: Profile, today: dt.date) -> tuple[Member, bool]:
    """A new member, or a member who left coming back (their row, so their history stays): (member, rejoined).
    Call inside a transaction."""
    member = Member.objects.select_for_update().filter(site=site, user=user).first()
    rejoined = member is not None
    if member is None:
        member = Member(site=site, user=user, joined_on=today)
    elif member.left_on is None:
        raise DomainError("already_member", "You are already a member of the Collaborative")
    member.joined_on = today
    member.left_on = None
    _apply(member, profile)
    member.save()
    _add_to_whole(member, today)
    return member, rejoined


# ---- joining from the public pages ---------------------------------------------------------------


def join_request_add(*, site: Site, answers: JoinAnswers, request: HttpRequest | None = None) -> JoinRequestOutcome:
    """Someone without a sign-in asks to join. A second request from an email that is already waiting
    is not made: the first one stands."""
    known_as = _tidy(answers.known_as)
    if not known_as:
        raise DomainError("no_name", "Enter your name", field="known_as")
    email = answers.email.strip().lower()
    if not email:
        raise DomainError("no_email", "Enter your email address", field="email")
    _check_perspectives(answers.perspectives)
    with transaction.atomic():
        waiting = (
            JoinRequest.objects.select_for_update()
            .filter(site=site, email__iexact=email, status=JoinRequestStatus.NEW)
            .first()
        )
        if waiting is not None:
            return JoinRequestOutcome(join_request=waiting, created=False)
        join_request = JoinRequest(
            site=site,
            known_as=known_as,
            email=email,
            about=answers.about.strip(),
            access_needs=answers.access_needs.strip(),
            **{name: perspective in answers.perspectives for perspective, name in PERSPECTIVE_FIELDS.items()},
        )
        join_request.save()
        access.record(
            actor=None,
            action=Action.CREATE,
            what="join_request",
            obj_id=join_request.pk,
            extra={"perspectives": [str(p) for p in join_request.perspectives]},
            request=request,
        )
    return JoinRequestOutcome(join_request=join_request, created=True)


# ---- joining, changing and leaving, signed in ----------------------------------------------------


def member_join(*, actor: User, site: Site, profile: Profile, request: HttpRequest | None = None) -> Member:
    """`actor` joins `site`'s Collaborative today (or comes back, if they left), and the whole Collaborative."""
    profile = check_profile(profile)
    today = timezone.localdate()
    with transaction.atomic():
        member, rejoined = _start_membership(site=site, user=actor, profile=profile, today=today)
        access.record(
            actor=actor,
            action=Action.CREATE,
            what="member",
            obj_id=member.pk,
            extra={"rejoined": rejoined, "perspectives": [str(p) for p in member.perspectives]},
            request=request,
        )
    return member


def member_change(*, actor: User, member_id: uuid.UUID, profile: Profile, request: HttpRequest | None = None) -> Member:
    """A member changes what they told the Collaborative about themself (only their own)."""
    profile = check_profile(profile)
    with transaction.atomic():
        member = Member.objects.current().select_for_update().filter(pk=member_id, user=actor).first()
        if member is None:
            raise DomainError("not_member", "You are not a member of the Collaborative")
        before = {name: getattr(member, name) for name in _AUDITED_FIELDS}
        _apply(member, profile)
        member.save()
        changed = sorted(name for name in _AUDITED_FIELDS if getattr(member, name) != before[name])
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="member",
            obj_id=member.pk,
            extra={"changed": changed},
            request=request,
        )
    return member


_AUDITED_FIELDS = (
    "known_as",
    *PERSPECTIVE_FIELDS.values(),
    "sector",
    "organisation_name",
    "about",
    "access_needs",
    "listed",
    "public_name",
)


def member_leave(*, actor: User, member_id: uuid.UUID, request: HttpRequest | None = None) -> Member:
    """A member leaves: their places in groups end today and they are no longer a current member.
    What they did stays (decisions, stories, actions), known by the name they chose."""
    today = timezone.localdate()
    with transaction.atomic():
        member = Member.objects.current().select_for_update().filter(pk=member_id, user=actor).first()
        if member is None:
            raise DomainError("not_member", "You are not a member of the Collaborative")
        ended = []
        for place in GroupMembership.objects.current().select_for_update().filter(member=member):
            place.ended_on = max(today, place.started_on)  # a place due to start later ends as it starts
            place.save(update_fields=["ended_on", "updated_at"])
            ended.append({"group": str(place.group_id), "role": place.role})
        member.left_on = today
        member.save(update_fields=["left_on", "updated_at"])
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="member_leave",
            obj_id=member.pk,
            extra={"groups_ended": ended},
            request=request,
        )
    return member


# ---- stewards handle requests to join -------------------------------------------------------------


def _waiting_request(site: Site, request_id: uuid.UUID) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().filter(pk=request_id, site=site).first()
    if join_request is None:
        raise DomainError("no_request", "There is no such request to join")
    if join_request.status != JoinRequestStatus.NEW:
        raise DomainError("handled", f"This request has already been handled: {join_request.get_status_display()}")
    return join_request


def _welcome_body(*, known_as: str, site: Site, new_account: bool, link: str, sign_in: str) -> str:
    lines = [
        f"Dear {known_as},",
        "",
        f"Welcome to the {site.name} Living Well Collaborative. Thank you for wanting to take part.",
        "",
        "The Collaborative is people with lived experience, carers, people who work in the network, "
        "commissioners and neighbours shaping mental health support together, as equals.",
        "",
    ]
    if new_account:
        lines += [
            "To take part online, choose a password using this link (it works once):",
            link,
            "",
            "Then sign in with this email address.",
        ]
    else:
        lines += [
            "You already have a Living Well sign-in with this email address, so sign in as usual:",
            sign_in,
        ]
    lines += [
        "",
        f"Others in the Collaborative will know you as {known_as}. You can change that name, what you "
        'told us and whether you are shown in the list of members, from "My membership".',
        "",
        "Your details in the Collaborative are kept apart from any support you may get from the network.",
        "",
        "We look forward to meeting you.",
    ]
    return "\n".join(lines)


def join_request_welcome(
    *,
    actor: User,
    site: Site,
    request_id: uuid.UUID,
    link_for: Callable[[str], str],
    request: HttpRequest | None = None,
) -> Member:
    """A steward welcomes someone who asked to join: a sign-in for their email if there is none (with a
    link to choose a password), a member with what they told us (not listed until they choose to be),
    a place in the whole Collaborative, and an email. `link_for` makes a path absolute."""
    handler = access.require_steward(actor, site, what="join_request", request=request)
    today = timezone.localdate()
    with transaction.atomic():
        join_request = _waiting_request(site, request_id)
        user = User.objects.filter(email__iexact=join_request.email).first()
        new_account = user is None
        if user is None:
            user = User.objects.create_user(join_request.email, None, display_name=join_request.known_as)
        profile = Profile(
            known_as=join_request.known_as,
            perspectives=frozenset(join_request.perspectives),
            about=join_request.about,
            access_needs=join_request.access_needs,
            listed=False,
            public_name=False,
        )
        existing = Member.objects.current().filter(site=site, user=user).first()
        if existing is not None:  # they joined by themself since asking
            member, rejoined = existing, False
        else:
            member, rejoined = _start_membership(
                site=site, user=user, profile=_profile_without_sector(profile), today=today
            )
        join_request.status = JoinRequestStatus.WELCOMED
        join_request.handled_by = handler
        join_request.handled_at = timezone.now()
        join_request.member = member
        join_request.save()
        # Only a sign-in made here gets a link to choose a password: one that existed already is its
        # owner's, and the link is kept with the message, so it must never open someone else's account.
        body = _welcome_body(
            known_as=member.known_as,
            site=site,
            new_account=new_account,
            link=link_for(set_password_path(user)) if new_account else "",
            sign_in=link_for(reverse("accounts:sign_in")),
        )
        message = message_send(
            site=site,
            person_id=None,
            channel="email",
            to=join_request.email,
            subject="Welcome to the Living Well Collaborative",
            body=body,
            purpose=WELCOME_PURPOSE,
            actor=actor,
        )
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="join_request_welcome",
            obj_id=join_request.pk,
            extra={
                "member": str(member.pk),
                "new_account": new_account,
                "rejoined": rejoined,
                "message": str(message.pk),
            },
            request=request,
        )
    return member


def _profile_without_sector(profile: Profile) -> Profile:
    """A request does not ask for a sector, so it is left for the member to add (check_profile would ask)."""
    return Profile(
        known_as=_tidy(profile.known_as)[:80] or "New member",
        perspectives=profile.perspectives,
        about=profile.about,
        access_needs=profile.access_needs,
        listed=profile.listed,
        public_name=profile.public_name,
    )


def join_request_decline(
    *, actor: User, site: Site, request_id: uuid.UUID, note: str, request: HttpRequest | None = None
) -> JoinRequest:
    """A steward does not take a request forward, saying why; the person is told kindly by email."""
    handler = access.require_steward(actor, site, what="join_request", request=request)
    note = note.strip()
    if not note:
        raise DomainError("no_note", "Say why, in words the person will read in the email", field="note")
    with transaction.atomic():
        join_request = _waiting_request(site, request_id)
        join_request.status = JoinRequestStatus.DECLINED
        join_request.handled_by = handler
        join_request.handled_at = timezone.now()
        join_request.note = note
        join_request.save()
        body = "\n".join(
            [
                f"Dear {join_request.known_as},",
                "",
                f"Thank you for asking to join the {site.name} Living Well Collaborative.",
                "We are not able to take your request forward at the moment. This is what the person who read it said:",
                "",
                note,
                "",
                "You are always welcome at our open events, which anyone can come to without joining. "
                "They are listed on the Collaborative's public pages.",
            ]
        )
        message = message_send(
            site=site,
            person_id=None,
            channel="email",
            to=join_request.email,
            subject="Your request to join the Living Well Collaborative",
            body=body,
            purpose=DECLINE_PURPOSE,
            actor=actor,
        )
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="join_request_decline",
            obj_id=join_request.pk,
            extra={"message": str(message.pk)},
            request=request,
        )
    return join_request
