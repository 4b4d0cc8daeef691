"""The story bank's services: gathering, changing, the check, sharing and withdrawing, who may do
each, what each writes to the audit trail, and who then sees the story."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.collaborative import selectors_stories as select
from livingwell.collaborative import stories as services
from livingwell.collaborative.models import ConsentLevel, Insight, Member, Story, StoryStatus, Theme
from livingwell.collaborative.stories import Acceptance, StoryAnswers
from livingwell.collaborative.tests.conftest import Collab
from livingwell.core.concurrency import EditConflict
from livingwell.core.errors import DomainError

pytestmark = pytest.mark.django_db

GATHERED = dt.date(2026, 3, 3)
CLEAN = "The first conversation felt different. Nobody rushed me and I was listened to."
NAMED = "Sarah listened to me at the group. It made all the difference."


def answers(**overrides: object) -> StoryAnswers:
    values: dict[str, object] = {
        "kind": "story",
        "title": "Being listened to",
        "body": CLEAN,
        "gathered_on": GATHERED,
        "consent_level": ConsentLevel.PUBLIC,
        "consent_note": "Signed the consent form at the group",
        "teller_perspective": "lived_experience",
        "themes": ("being listened to", "first conversation"),
        "insights": (Insight.EXPERIENCE,),
    }
    values.update(overrides)
    return StoryAnswers(**values)  # type: ignore[arg-type]


def add(collab: Collab, member: Member | None = None, **overrides: object) -> Story:
    member = member or collab.lived
    return services.story_add(actor=member.user, group=collab.design, answers=answers(**overrides))


def accept_all(story: Story, member: Member, reason: str = "The teller asked for it") -> services.CheckState:
    findings = services.run_check(story)
    return services.story_check_save(
        actor=member.user,
        story=story,
        words_checked=services.words_hash(story.title, story.body),
        acceptances=[Acceptance(reason) for _ in findings],
    )


def events(what: str = "story") -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.order_by("id")
        if e.detail.get("area") == "collaborative" and e.detail.get("what") == what
    ]


def visible_to(member: Member, collab: Collab) -> set[str]:
    who = select.viewer(member.user, collab.site)
    return {s.title for s in select.stories_for(who, collab.site, select.StoryFilters())}


# ---- gathering -----------------------------------------------------------------------------------


def test_a_group_member_gathers_a_story_as_a_draft_with_themes_reused_by_name(collab: Collab) -> None:
    Theme.objects.create(site=collab.site, name="Being listened to")
    story = add(collab, themes=("being listened to", "Housing", "housing"))
    assert story.status == StoryStatus.DRAFT
    assert story.gathered_by == collab.lived
    assert story.insights == [Insight.EXPERIENCE]
    assert sorted(t.name for t in story.themes.all()) == ["Being listened to", "Housing"]
    assert Theme.objects.filter(site=collab.site).count() == 2  # the existing theme was reused
    (event,) = events()
    assert event.action == "create" and event.outcome == Outcome.ALLOWED
    assert event.detail["id"] == str(story.pk) and event.detail["consent_level"] == "public"


def test_someone_outside_the_group_cannot_gather_for_it_and_the_refusal_is_recorded(collab: Collab) -> None:
    with pytest.raises(AccessRefused):
        add(collab, member=collab.carer)
    assert not Story.objects.exists()
    (event,) = events()
    assert event.outcome == Outcome.REFUSED


def test_a_steward_who_is_not_in_the_group_may_gather_for_it(collab: Collab) -> None:
    story = add(collab, member=collab.chair)
    assert story.gathered_by == collab.chair


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"body": ""}, "body"),
        ({"consent_note": " "}, "consent_note"),
        ({"consent_level": "everyone"}, "consent_level"),
        ({"themes": tuple(f"theme {n}" for n in range(11))}, "themes"),
        ({"insights": ("not_a_figure",)}, "insights"),
    ],
)
def test_answers_are_checked(collab: Collab, overrides: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as error:
        add(collab, **overrides)
    assert error.value.field == field


def test_a_story_cannot_be_gathered_in_the_future(collab: Collab) -> None:
    with pytest.raises(DomainError) as error:
        add(collab, gathered_on=timezone.localdate() + dt.timedelta(days=1))
    assert error.value.field == "gathered_on"


def test_theme_names_are_trimmed_and_deduplicated() -> None:
    assert services.theme_names(" housing, Loneliness ,housing,, being  listened to ") == (
        "housing",
        "Loneliness",
        "being listened to",
    )


# ---- the check and sharing -----------------------------------------------------------------------


def test_a_team_level_story_is_shared_with_the_group_at_once(collab: Collab) -> None:
    story = add(collab, consent_level=ConsentLevel.TEAM, body=NAMED)
    story = services.story_share(actor=collab.lived.user, story=story)
    assert story.status == StoryStatus.SHARED and story.shared_at is not None


def test_sharing_beyond_the_group_needs_a_check(collab: Collab) -> None:
    story = add(collab)
    with pytest.raises(DomainError) as error:
        services.story_share(actor=collab.lived.user, story=story)
    assert error.value.code == "not_checked"
    story.refresh_from_db()
    assert story.status == StoryStatus.DRAFT


def test_a_finding_left_open_stops_sharing_and_accepted_findings_allow_it(collab: Collab) -> None:
    story = add(collab, body=NAMED)
    findings = services.run_check(story)
    assert [(f.kind, f.text) for f in findings] == [("NAME", "Sarah")]
    state = services.story_check_save(
        actor=collab.lived.user,
        story=story,
        words_checked=services.words_hash(story.title, story.body),
        acceptances=[Acceptance("")],
    )
    assert state.current and state.open == 1 and not state.passed
    with pytest.raises(DomainError) as error:
        services.story_share(actor=collab.lived.user, story=story)
    assert error.value.code == "open_findings"
    assert "1 finding of the check" in error.value.message

    state = accept_all(story, collab.design_lead, "Sarah is the worker's first name and she agreed")
    assert state.passed and state.accepted == 1
    story.refresh_from_db()
    assert story.checked_by == collab.design_lead
    assert story.check_findings[0]["reason"] == "Sarah is the worker's first name and she agreed"
    assert story.checked_hash == services.words_hash(story.title, story.body)
    story = services.story_share(actor=collab.lived.user, story=story)
    assert story.status == StoryStatus.SHARED
    review = [e for e in events() if e.action == "review"]
    assert [e.detail["accepted"] for e in review] == [0, 1]


def test_a_stale_check_is_refused(collab: Collab) -> None:
    story = add(collab)
    accept_all(story, collab.lived)
    services.story_change(
        actor=collab.lived.user,
        story=story,
        answers=answers(body=CLEAN + " Thank you."),
        expected_version=story.version,
    )
    story.refresh_from_db()
    assert not services.check_state(story).current
    with pytest.raises(DomainError) as error:
        services.story_share(actor=collab.lived.user, story=story)
    assert error.value.code == "stale_check"


def test_a_check_of_words_that_changed_meanwhile_is_not_saved(collab: Collab) -> None:
    story = add(collab)
    seen = services.words_hash(story.title, story.body)
    Story.objects.filter(pk=story.pk).update(body=NAMED)
    story.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.story_check_save(
            actor=collab.lived.user, story=story, words_checked=seen, acceptances=[Acceptance("x")]
        )
    assert error.value.code == "stale"
    story.refresh_from_db()
    assert story.checked_hash == ""


def test_changing_the_words_of_a_public_story_unshares_it_until_checked_again(collab: Collab) -> None:
    story = add(collab)
    accept_all(story, collab.lived)
    services.story_share(actor=collab.lived.user, story=story)
    assert select.public_story(collab.site, story.pk) is not None
    story.refresh_from_db()
    changed = services.story_change(
        actor=collab.lived.user,
        story=story,
        answers=answers(body="I met Marcus Bell there."),
        expected_version=story.version,
    )
    assert changed == ["body"]
    story.refresh_from_db()
    assert story.status == StoryStatus.DRAFT and story.shared_at is None
    assert select.public_story(collab.site, story.pk) is None
    assert events()[-1].detail["unshared"] is True


def test_changing_only_the_themes_keeps_a_public_story_shared(collab: Collab) -> None:
    story = add(collab)
    accept_all(story, collab.lived)
    services.story_share(actor=collab.lived.user, story=story)
    story.refresh_from_db()
    changed = services.story_change(
        actor=collab.lived.user, story=story, answers=answers(themes=("hope",)), expected_version=story.version
    )
    assert changed == ["themes"]
    story.refresh_from_db()
    assert story.status == StoryStatus.SHARED
    assert [t.name for t in story.themes.all()] == ["hope"]


def test_two_people_changing_at_once_get_a_conflict(collab: Collab) -> None:
    story = add(collab)
    opened_at = story.version
    services.story_change(
        actor=collab.design_lead.user, story=story, answers=answers(title="Heard at last"), expected_version=opened_at
    )
    stale = Story.objects.get(pk=story.pk)
    with pytest.raises(EditConflict) as error:
        services.story_change(
            actor=collab.lived.user, story=stale, answers=answers(title="Listened to"), expected_version=opened_at
        )
    assert error.value.changed_by == "Dee"
    assert Story.objects.get(pk=story.pk).title == "Heard at last"


def test_only_the_gatherer_and_those_who_run_the_group_change_check_and_share(collab: Collab) -> None:
    story = add(collab)
    for member in (collab.staff_member, collab.carer):  # in the group but not its lead; outside the group
        with pytest.raises(AccessRefused):
            services.story_change(actor=member.user, story=story, answers=answers(), expected_version=story.version)
        with pytest.raises(AccessRefused):
            services.story_share(actor=member.user, story=story)
        with pytest.raises(AccessRefused):
            accept_all(story, member)
    refused = [e for e in events() if e.outcome == Outcome.REFUSED]
    assert len(refused) == 6


# ---- withdrawing ---------------------------------------------------------------------------------


def test_withdrawing_needs_a_reason_and_takes_the_story_off_every_page(collab: Collab) -> None:
    story = add(collab)
    accept_all(story, collab.lived)
    services.story_share(actor=collab.lived.user, story=story)
    with pytest.raises(DomainError) as error:
        services.story_withdraw(actor=collab.lived.user, story=story, reason=" ")
    assert error.value.field == "reason"
    story = services.story_withdraw(
        actor=collab.chair.user, story=story, reason="Rang the coordinator and asked for it to come down"
    )
    assert story.status == StoryStatus.WITHDRAWN and story.withdrawn_at is not None
    assert story.withdrawn_reason == "Rang the coordinator and asked for it to come down"
    assert select.public_story(collab.site, story.pk) is None
    assert select.public_stories(collab.site) == []
    # Only the gatherer and the stewards still see it.
    assert "Being listened to" in visible_to(collab.lived, collab)
    assert "Being listened to" in visible_to(collab.chair, collab)
    assert "Being listened to" not in visible_to(collab.design_lead, collab)
    assert "Being listened to" not in visible_to(collab.carer, collab)
    assert events()[-1].detail["reason"] == "Rang the coordinator and asked for it to come down"
    with pytest.raises(DomainError):
        services.story_share(actor=collab.lived.user, story=story)
    with pytest.raises(DomainError):
        services.story_change(actor=collab.lived.user, story=story, answers=answers(), expected_version=story.version)


def test_a_member_who_did_not_gather_it_and_does_not_run_the_group_cannot_withdraw(collab: Collab) -> None:
    story = add(collab)
    with pytest.raises(AccessRefused):
        services.story_withdraw(actor=collab.staff_member.user, story=story, reason="Asked")
    story.refresh_from_db()
    assert story.status == StoryStatus.DRAFT


# ---- who sees what -------------------------------------------------------------------------------


def test_the_visibility_cast(collab: Collab) -> None:
    team = add(collab, title="Team only", consent_level=ConsentLevel.TEAM)
    services.story_share(actor=collab.lived.user, story=team)
    draft = add(collab, title="Still a draft", consent_level=ConsentLevel.TEAM)
    collaborative = add(collab, title="For members", consent_level=ConsentLevel.COLLABORATIVE)
    accept_all(collaborative, collab.lived)
    services.story_share(actor=collab.lived.user, story=collaborative)
    public_unchecked = add(collab, title="Public but unchecked")
    assert draft.status == public_unchecked.status == StoryStatus.DRAFT

    everything = {"Team only", "Still a draft", "For members", "Public but unchecked"}
    assert visible_to(collab.lived, collab) == everything  # the gatherer
    assert visible_to(collab.design_lead, collab) == everything  # leads the group
    assert visible_to(collab.chair, collab) == everything  # a steward
    assert visible_to(collab.staff_member, collab) == {"Team only", "For members"}  # in the group
    assert visible_to(collab.carer, collab) == {"For members"}  # a member outside the group
    with pytest.raises(AccessRefused):
        select.viewer(collab.outsider, collab.site)
    assert select.public_stories(collab.site) == []

    with pytest.raises(AccessRefused):
        select.story_for(collab.carer.user, collab.site, team.pk)
    assert select.story_for(collab.staff_member.user, collab.site, team.pk) == team


def test_public_pages_show_only_public_stories_whose_check_matches_the_words(collab: Collab) -> None:
    story = add(collab)
    accept_all(story, collab.lived)
    services.story_share(actor=collab.lived.user, story=story)
    assert [s.pk for s in select.public_stories(collab.site)] == [story.pk]
    # Words changed behind the service's back: the check no longer matches, so it is not public.
    Story.objects.filter(pk=story.pk).update(body=NAMED)
    assert select.public_stories(collab.site) == []
    assert select.public_story(collab.site, story.pk) is None


def test_theme_counts_are_over_the_stories_the_reader_may_see(collab: Collab) -> None:
    a = add(collab, title="A", consent_level=ConsentLevel.TEAM, themes=("housing", "hope"))
    b = add(collab, title="B", consent_level=ConsentLevel.TEAM, themes=("housing",))
    add(collab, title="C", consent_level=ConsentLevel.TEAM, themes=("housing", "money"))  # a draft
    for story in (a, b):
        services.story_share(actor=collab.lived.user, story=story)
    who = select.viewer(collab.staff_member.user, collab.site)
    # staff_member sees A and B (shared with the group), not the draft C: housing 2, hope 1.
    counts = [(t.name, n) for t, n in select.theme_counts(who, collab.site, select.StoryFilters())]
    assert counts == [("housing", 2), ("hope", 1)]
    lead = select.viewer(collab.design_lead.user, collab.site)
    # the lead also sees the draft C: housing 3, hope 1, money 1.
    counts = [(t.name, n) for t, n in select.theme_counts(lead, collab.site, select.StoryFilters())]
    assert counts == [("housing", 3), ("hope", 1), ("money", 1)]


def test_places_come_from_the_site(collab: Collab) -> None:
    places = services.places_for(collab.site)
    assert "North" in places and "Certitude" in places and "South London Trust" in places
    story = add(collab, body="We met at Certitude in the North.")
    assert [(f.kind, f.text) for f in services.run_check(story)] == [("PLACE", "Certitude"), ("PLACE", "North")]


def test_sharing_more_widely_than_before_waits_for_a_deliberate_share(collab: Collab) -> None:
    story = add(collab, consent_level=ConsentLevel.COLLABORATIVE)
    accept_all(story, collab.lived)
    services.story_share(actor=collab.lived.user, story=story)
    story.refresh_from_db()
    services.story_change(
        actor=collab.lived.user, story=story, answers=answers(consent_level="public"), expected_version=story.version
    )
    story.refresh_from_db()
    assert story.status == StoryStatus.DRAFT and select.public_story(collab.site, story.pk) is None
    services.story_share(actor=collab.lived.user, story=story)
    assert select.public_story(collab.site, story.pk) is not None
    # Narrowing (the teller now wants it kept within the group) keeps it shared, and off the public pages.
    story.refresh_from_db()
    services.story_change(
        actor=collab.lived.user, story=story, answers=answers(consent_level="team"), expected_version=story.version
    )
    story.refresh_from_db()
    assert story.status == StoryStatus.SHARED and story.consent_level == "team"
    assert select.public_story(collab.site, story.pk) is None
    assert "Being listened to" not in visible_to(collab.carer, collab)
