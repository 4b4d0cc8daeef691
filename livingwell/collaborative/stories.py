"""The story bank: the writes (services).

A member of a group gathers a story or a piece of feedback in the teller's words, with how far the
teller agreed it may be shared (the group that gathered it, members of the Collaborative, or anyone
on the public pages) and how they agreed. Before a story goes beyond the group, someone checks its
words for anything that could identify the teller (`deidentify.check`): each finding is either
changed in the words or kept with a reason. The check is of exact words: it stores the hash of the
title and the story it passed for, so changing a word makes it stale, and a story shared beyond its
group goes back to "not shared yet" until it is checked again.

Who may do what:
- add: members of the group, and those who run it;
- change, check and share: the member who gathered it, and those who run the group (its leads and
  the Collaborative's stewards);
- withdraw (the teller took back their consent): the gatherer, the group's leads and the stewards.
  A withdrawn story leaves every page at once; only the gatherer and the stewards still see it.

Every write and every refusal is audited with `area="collaborative"`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from livingwell.audit.models import Action
from livingwell.collaborative import access
from livingwell.collaborative.deidentify import Finding, check
from livingwell.collaborative.models import (
    ConsentLevel,
    Decision,
    Group,
    Insight,
    Member,
    Perspective,
    Prototype,
    Story,
    StoryKind,
    StoryStatus,
    Theme,
)
from livingwell.core.concurrency import save_if_unchanged
from livingwell.core.errors import DomainError
from livingwell.network.models import Locality, Organisation, Site

if TYPE_CHECKING:
    from livingwell.accounts.models import User

    Actor = User | AnonymousUser

WHAT = "story"
MAX_THEMES = 10
STORY_LABELS = {
    "kind": "Story or feedback",
    "title": "Title",
    "body": "The story",
    "teller_perspective": "The teller is",
    "gathered_on": "Gathered on",
    "consent_level": "How far the teller agreed it may be shared",
    "consent_note": "How the teller agreed",
}
CHECKED_LEVELS = (ConsentLevel.COLLABORATIVE, ConsentLevel.PUBLIC)
_WIDTH: dict[str, int] = {ConsentLevel.TEAM: 0, ConsentLevel.COLLABORATIVE: 1, ConsentLevel.PUBLIC: 2}


@dataclass(frozen=True)
class StoryAnswers:
    kind: str
    title: str
    body: str
    gathered_on: dt.date
    consent_level: str
    consent_note: str
    teller_perspective: str = ""
    themes: tuple[str, ...] = ()
    prototype_ids: tuple[uuid.UUID, ...] = ()
    decision_ids: tuple[uuid.UUID, ...] = ()
    insights: tuple[str, ...] = ()


@dataclass(frozen=True)
class Acceptance:
    """What the checker said about one finding: a reason to keep it, or nothing (the words will change)."""

    reason: str = ""


@dataclass
class CheckState:
    """A story's check as it stands: whether it is of the current words and what is still open."""

    checked: bool
    current: bool
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return sum(1 for f in self.findings if f.get("reason"))

    @property
    def open(self) -> int:
        return len(self.findings) - self.accepted

    @property
    def passed(self) -> bool:
        """Checked, of the words as they are now, with every finding kept for a reason."""
        return self.checked and self.current and self.open == 0


# ---- the words and their check ------------------------------------------------------------------


def words_of(title: str, body: str) -> str:
    """The text the check reads: the title, a new line, the story."""
    return f"{title}\n{body}"


def words_hash(title: str, body: str) -> str:
    return hashlib.sha256(words_of(title, body).encode("utf-8")).hexdigest()


def check_state(story: Story) -> CheckState:
    checked = bool(story.checked_hash) and story.checked_at is not None
    current = checked and story.checked_hash == words_hash(story.title, story.body)
    return CheckState(checked=checked, current=current, findings=list(story.check_findings or []))


def places_for(site: Site) -> list[str]:
    """The names the check treats as places: the site's neighbourhoods, organisations and the places
    where its community offers happen."""
    from livingwell.community.models import Location

    names = set(Locality.objects.filter(site=site).values_list("name", flat=True))
    names |= set(Organisation.objects.filter(site=site).values_list("name", flat=True))
    names |= set(
        Location.objects.filter(services_here__service__site=site).exclude(name="").values_list("name", flat=True)
    )
    return sorted(names)


def run_check(story: Story, places: Iterable[str] | None = None) -> list[Finding]:
    """The check of the story's words as they are now (not saved)."""
    return check(words_of(story.title, story.body), places=places_for(story.site) if places is None else places)


# ---- who may do what ------------------------------------------------------------------------------


def is_gatherer(user: Actor, story: Story) -> bool:
    member = access.member_of(user, story.site)
    return member is not None and story.gathered_by_id == member.pk


def can_change(user: Actor, story: Story) -> bool:
    return is_gatherer(user, story) or access.can_run(user, story.group)


def can_withdraw(user: Actor, story: Story) -> bool:
    return can_change(user, story)


def require_change(user: Actor, story: Story, request: HttpRequest | None, *, doing: str) -> Member | None:
    if not can_change(user, story):
        raise access.refuse(
            actor=user,
            action=Action.CHANGE,
            what=WHAT,
            obj_id=story.pk,
            reason=f"Did not gather the story and does not run its group ({doing})",
            request=request,
            message="Only the member who gathered this story and the group's chair, co-chair or coordinator can do this.",
        )
    return access.member_of(user, story.site)


def _not_withdrawn(story: Story) -> None:
    if story.status == StoryStatus.WITHDRAWN:
        raise DomainError(
            "withdrawn",
            "The teller withdrew their consent, so this story cannot be changed, checked or shared again",
        )


# ---- cleaning answers -----------------------------------------------------------------------------


def theme_names(text: str) -> tuple[str, ...]:
    """ "housing, Loneliness , housing" → ("housing", "Loneliness"): trimmed, duplicates dropped."""
    seen: dict[str, str] = {}
    for part in text.split(","):
        name = " ".join(part.split())
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return tuple(seen.values())


def _clean(site: Site, answers: StoryAnswers) -> dict[str, Any]:
    title = " ".join((answers.title or "").split())
    body = (answers.body or "").strip()
    if not title:
        raise DomainError("required", "Enter a title", field="title")
    if not body:
        raise DomainError("required", "Enter the story, in the teller's words", field="body")
    if answers.kind not in StoryKind.values:
        raise DomainError("invalid", "Choose story or feedback", field="kind")
    if answers.consent_level not in ConsentLevel.values:
        raise DomainError("invalid", "Choose how far the teller agreed it may be shared", field="consent_level")
    consent_note = " ".join((answers.consent_note or "").split())
    if not consent_note:
        raise DomainError(
            "required",
            "Say how the teller agreed, for example in writing or out loud at the group",
            field="consent_note",
        )
    if answers.teller_perspective and answers.teller_perspective not in Perspective.values:
        raise DomainError("invalid", "Choose who the teller is from the list", field="teller_perspective")
    if answers.gathered_on > timezone.localdate():
        raise DomainError("future", "The date it was gathered must be today or in the past", field="gathered_on")
    themes = answers.themes
    if len(themes) > MAX_THEMES:
        raise DomainError("too_many", f"Give {MAX_THEMES} themes or fewer", field="themes")
    if any(len(name) > 80 for name in themes):
        raise DomainError("too_long", "Each theme must be 80 characters or fewer", field="themes")
    prototypes = list(Prototype.objects.filter(site=site, pk__in=answers.prototype_ids))
    if len(prototypes) != len(set(answers.prototype_ids)):
        raise DomainError("unknown", "Choose prototypes from the list", field="prototypes")
    decisions = list(Decision.objects.filter(group__site=site, pk__in=answers.decision_ids))
    if len(decisions) != len(set(answers.decision_ids)):
        raise DomainError("unknown", "Choose decisions from the list", field="decisions")
    known = {i.value for i in Insight}
    if any(value not in known for value in answers.insights):
        raise DomainError("unknown", "Choose figures from the list", field="insights")
    return {
        "values": {
            "kind": answers.kind,
            "title": title,
            "body": body,
            "teller_perspective": answers.teller_perspective,
            "gathered_on": answers.gathered_on,
            "consent_level": answers.consent_level,
            "consent_note": consent_note,
            "insights": [i.value for i in Insight if i.value in set(answers.insights)],
        },
        "themes": themes,
        "prototypes": prototypes,
        "decisions": decisions,
    }


def _themes(site: Site, names: Sequence[str]) -> list[Theme]:
    """The site's themes with these names (matched whatever their case), made when new."""
    existing = {t.name.lower(): t for t in Theme.objects.filter(site=site)}
    themes = []
    for name in names:
        theme = existing.get(name.lower())
        if theme is None:
            theme = Theme.objects.create(site=site, name=name)
            existing[name.lower()] = theme
        themes.append(theme)
    return themes


# ---- services ------------------------------------------------------------------------------------


def story_add(*, actor: Actor, group: Group, answers: StoryAnswers, request: HttpRequest | None = None) -> Story:
    """Add a story gathered by the actor for `group`; it is not shared until someone shares it."""
    member = access.member_of(actor, group.site)
    if member is None or not (access.in_group(member, group) or access.can_run(actor, group)):
        raise access.refuse(
            actor=actor,
            action=Action.CREATE,
            what=WHAT,
            obj_id=group.pk,
            reason="Not in the group",
            request=request,
            message="Only members of this group can add its stories. You can ask to join the group from its page.",
        )
    if group.ended_on is not None:
        raise DomainError("group_ended", "This group has ended, so it cannot gather new stories")
    cleaned = _clean(group.site, answers)
    with transaction.atomic():
        story = Story.objects.create(
            site=group.site, group=group, gathered_by=member, updated_by=member, **cleaned["values"]
        )
        story.themes.set(_themes(group.site, cleaned["themes"]))
        story.prototypes.set(cleaned["prototypes"])
        story.decisions.set(cleaned["decisions"])
        access.record(
            actor=actor,
            action=Action.CREATE,
            what=WHAT,
            obj_id=story.pk,
            extra={"group": str(group.pk), "consent_level": story.consent_level, "kind": story.kind},
            request=request,
        )
    return story


def story_change(
    *,
    actor: Actor,
    story: Story,
    answers: StoryAnswers,
    expected_version: int,
    request: HttpRequest | None = None,
) -> list[str]:
    """Change a story; returns the names of what changed. Changing the words makes the check stale,
    and a story shared beyond its group goes back to not shared until it is checked again."""
    member = require_change(actor, story, request, doing="change")
    _not_withdrawn(story)
    cleaned = _clean(story.site, answers)
    values: dict[str, Any] = cleaned["values"]
    changed = [name for name, value in values.items() if getattr(story, name) != value]
    themes = _ordered_names(cleaned["themes"])
    if themes != _ordered_names([t.name for t in story.themes.all()]):
        changed.append("themes")
    if {p.pk for p in cleaned["prototypes"]} != set(story.prototypes.values_list("pk", flat=True)):
        changed.append("prototypes")
    if {d.pk for d in cleaned["decisions"]} != set(story.decisions.values_list("pk", flat=True)):
        changed.append("decisions")
    unshared = False
    with transaction.atomic():
        # A story shared beyond its group stays shared only while its check passes for the new words.
        still_passes = (
            story.checked_at is not None
            and story.checked_hash == words_hash(values["title"], values["body"])
            and check_state(story).open == 0
        )
        # Sharing more widely than before is a deliberate act: the story waits to be shared again.
        widened = _WIDTH[values["consent_level"]] > _WIDTH[story.consent_level]
        if story.status == StoryStatus.SHARED and (
            widened or (values["consent_level"] in CHECKED_LEVELS and not still_passes)
        ):
            values = {**values, "status": StoryStatus.DRAFT, "shared_at": None}
            unshared = True
        save_if_unchanged(
            story,
            expected_version=expected_version,
            values={**values, "updated_by": member},
            what="the story",
            labels=STORY_LABELS,
        )
        story.themes.set(_themes(story.site, cleaned["themes"]))
        story.prototypes.set(cleaned["prototypes"])
        story.decisions.set(cleaned["decisions"])
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what=WHAT,
            obj_id=story.pk,
            extra={"fields": changed, "version": story.version, "unshared": unshared},
            request=request,
        )
    return changed


def _ordered_names(names: Iterable[str]) -> list[str]:
    return sorted(n.lower() for n in names)


def story_check_save(
    *,
    actor: Actor,
    story: Story,
    words_checked: str,
    acceptances: Sequence[Acceptance],
    request: HttpRequest | None = None,
) -> CheckState:
    """Save the check of the story's current words: for each finding (in the order the check gives
    them) a reason to keep it, or none when the words will be changed.

    `words_checked` is the hash of the words the checker saw: if the story changed since, nothing is
    saved and they check again."""
    member = require_change(actor, story, request, doing="check")
    _not_withdrawn(story)
    current_hash = words_hash(story.title, story.body)
    if words_checked != current_hash:
        raise DomainError(
            "stale", "The words of the story changed after you opened the check. Check the words as they are now"
        )
    findings = run_check(story)
    if len(acceptances) != len(findings):
        raise DomainError("stale", "The check found something different this time. Look at the findings again")
    stored = [
        {
            "kind": str(f.kind),
            "text": f.text,
            "start": f.start,
            "end": f.end,
            "why": f.why,
            "reason": " ".join(a.reason.split())[:300],
        }
        for f, a in zip(findings, acceptances, strict=True)
    ]
    with transaction.atomic():
        Story.objects.filter(pk=story.pk).update(
            check_findings=stored,
            checked_hash=current_hash,
            checked_at=timezone.now(),
            checked_by=member,
            updated_at=timezone.now(),
        )
        story.refresh_from_db()
        state = check_state(story)
        access.record(
            actor=actor,
            action=Action.REVIEW,
            what=WHAT,
            obj_id=story.pk,
            extra={"check": "saved", "findings": len(stored), "accepted": state.accepted, "open": state.open},
            request=request,
        )
    return state


def story_share(*, actor: Actor, story: Story, request: HttpRequest | None = None) -> Story:
    """Share the story as far as the teller agreed: with the group at once; with the Collaborative or
    the public only after a check of the words as they are now, with every finding kept for a reason."""
    require_change(actor, story, request, doing="share")
    _not_withdrawn(story)
    if story.status == StoryStatus.SHARED:
        raise DomainError("already_shared", "This story is already shared")
    if story.consent_level in CHECKED_LEVELS:
        state = check_state(story)
        if not state.checked:
            raise DomainError(
                "not_checked", "Check the story for anything that could identify the teller before you share it"
            )
        if not state.current:
            raise DomainError(
                "stale_check", "The words changed after the story was checked. Check the words as they are now"
            )
        if state.open:
            noun = "finding" if state.open == 1 else "findings"
            raise DomainError(
                "open_findings",
                f"{state.open} {noun} of the check still need the words changing or a reason to keep them",
            )
    with transaction.atomic():
        now = timezone.now()
        updated = Story.objects.filter(pk=story.pk, status=StoryStatus.DRAFT).update(
            status=StoryStatus.SHARED, shared_at=now, updated_at=now
        )
        if updated != 1:
            raise DomainError("already_shared", "This story changed while you were sharing it. Look at it again")
        story.refresh_from_db()
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what=WHAT,
            obj_id=story.pk,
            extra={"shared": story.consent_level},
            request=request,
        )
    return story


def story_withdraw(*, actor: Actor, story: Story, reason: str, request: HttpRequest | None = None) -> Story:
    """The teller withdrew their consent: the story leaves every page at once. The reason is kept with
    it, for the gatherer and the stewards who may still read it."""
    if not can_withdraw(actor, story):
        raise access.refuse(
            actor=actor,
            action=Action.CHANGE,
            what=WHAT,
            obj_id=story.pk,
            reason="May not withdraw this story",
            request=request,
            message="Only the member who gathered this story, the group's leads and the Collaborative's stewards can withdraw it.",
        )
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("required", "Say how the teller withdrew their consent", field="reason")
    if story.status == StoryStatus.WITHDRAWN:
        raise DomainError("withdrawn", "This story is already withdrawn")
    member = access.member_of(actor, story.site)
    with transaction.atomic():
        now = timezone.now()
        Story.objects.filter(pk=story.pk).update(
            status=StoryStatus.WITHDRAWN,
            withdrawn_at=now,
            withdrawn_reason=reason[:1000],
            updated_at=now,
            updated_by=member,
        )
        story.refresh_from_db()
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what=WHAT,
            obj_id=story.pk,
            extra={"withdrawn": True, "reason": reason[:500]},
            request=request,
        )
    return story
