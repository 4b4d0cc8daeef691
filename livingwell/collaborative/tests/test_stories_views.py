"""The story bank's pages: what each reader sees in the HTML, the forms, the check page with its
marked words, sharing and withdrawing, the public pages, refusals and query counts."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.collaborative import stories as services
from livingwell.collaborative.models import ConsentLevel, Member, Story, StoryStatus
from livingwell.collaborative.selectors_stories import STORY_PAGE_SIZE
from livingwell.collaborative.stories import Acceptance, StoryAnswers
from livingwell.collaborative.tests.conftest import Collab, make_collab_member
from livingwell.network.tests.conftest import sign_in_verified

pytestmark = pytest.mark.django_db

NAMED = "Sarah listened to me on a Tuesday. I live near SW9 8AB."


def client_for(member: Member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def make_story(collab: Collab, *, title: str = "Being listened to", body: str = NAMED, **kw: Any) -> Story:
    values: dict[str, Any] = {
        "kind": "story",
        "title": title,
        "body": body,
        "gathered_on": dt.date(2026, 3, 3),
        "consent_level": ConsentLevel.PUBLIC,
        "consent_note": "Agreed out loud at the group",
        "teller_perspective": "carer",
        "themes": ("being listened to",),
    }
    values.update(kw)
    return services.story_add(actor=collab.lived.user, group=collab.design, answers=StoryAnswers(**values))


def shared_public(collab: Collab, **kw: Any) -> Story:
    story = make_story(collab, **kw)
    findings = services.run_check(story)
    services.story_check_save(
        actor=collab.lived.user,
        story=story,
        words_checked=services.words_hash(story.title, story.body),
        acceptances=[Acceptance("The teller asked for it to stay") for _ in findings],
    )
    return services.story_share(actor=collab.lived.user, story=story)


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "story",
        "title": "Heard at last",
        "body": "Nobody rushed me.",
        "teller_perspective": "lived_experience",
        "gathered_on_0": "3",
        "gathered_on_1": "3",
        "gathered_on_2": "2026",
        "consent_level": "collaborative",
        "consent_note": "Signed the form",
        "themes": "being listened to, hope",
        "insights": ["experience"],
    }
    data.update(overrides)
    return data


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# ---- adding and changing -------------------------------------------------------------------------


def test_a_group_member_adds_a_story_through_the_form(collab: Collab) -> None:
    client = client_for(collab.lived)
    url = reverse("collaborative:story_add", args=[collab.design.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Add a story gathered by Front door Design Team</h1>" in html
    assert "How far did the teller agree it may be shared?" in html
    assert "Anyone, on the public pages" in html

    response = client.post(url, form_data())
    story = Story.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("collaborative:story", args=[story.pk])
    assert story.consent_level == "collaborative" and story.status == StoryStatus.DRAFT
    assert sorted(t.name for t in story.themes.all()) == ["being listened to", "hope"]


def test_the_add_form_shows_errors_by_each_field_and_keeps_the_answers(collab: Collab) -> None:
    client = client_for(collab.lived)
    url = reverse("collaborative:story_add", args=[collab.design.pk])
    response = client.post(url, form_data(consent_note="", title="Keep me"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert "Say how the teller agreed" in html
    assert 'value="Keep me"' in html
    assert not Story.objects.exists()


def test_a_member_outside_the_group_is_refused_the_add_form(collab: Collab) -> None:
    response = client_for(collab.carer).get(reverse("collaborative:story_add", args=[collab.design.pk]))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(outcome=Outcome.REFUSED, detail__area="collaborative").exists()


def test_changing_shows_a_conflict_panel_when_someone_saved_first(collab: Collab) -> None:
    story = make_story(collab)
    url = reverse("collaborative:story_change", args=[story.pk])
    client = client_for(collab.lived)
    assert client.get(url).status_code == 200
    opened = story.version
    services.story_change(
        actor=collab.design_lead.user,
        story=story,
        answers=StoryAnswers(
            kind="story",
            title="Dee's title",
            body=NAMED,
            gathered_on=dt.date(2026, 3, 3),
            consent_level="public",
            consent_note="Agreed out loud at the group",
        ),
        expected_version=opened,
    )
    response = client.post(url, form_data(version=opened, title="My title"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this while you were editing" in html
    assert "Saved now, by Dee" in html
    assert "Dee's title" in html_module.unescape(html)
    assert Story.objects.get(pk=story.pk).title == "Dee's title"


# ---- the check -----------------------------------------------------------------------------------


def test_the_check_page_marks_each_finding_and_saving_it_allows_sharing(collab: Collab) -> None:
    story = make_story(collab)
    client = client_for(collab.lived)
    url = reverse("collaborative:story_check", args=[story.pk])
    html = client.get(url).content.decode()
    assert '<mark id="marked-1">Sarah<span class="nhsuk-u-visually-hidden"> (name, finding 1)</span></mark>' in html
    assert '<mark id="marked-2">Tuesday<span class="nhsuk-u-visually-hidden"> (date, finding 2)</span></mark>' in html
    assert "(postcode, finding 3)" in html
    assert "What the check found (3)" in html
    assert "1. Name: “Sarah”" in html
    words = re.search(r'name="words" value="([0-9a-f]{64})"', html)
    assert words is not None

    # Leave the postcode open: saved, but not yet shareable.
    response = client.post(
        url, {"words": words.group(1), "reason_1": "Sarah agreed", "reason_2": "Many groups meet then", "reason_3": ""}
    )
    assert response.status_code == 302
    page = client.get(reverse("collaborative:story", args=[story.pk])).content.decode()
    assert "Checked on" in page and "by Sunny: 1 of 3 findings still to change or accept" in page
    assert "Share it on the public pages" not in page

    client.post(
        url,
        {"words": words.group(1), "reason_1": "Sarah agreed", "reason_2": "Many groups", "reason_3": "Teller's wish"},
    )
    page = text_of(client.get(reverse("collaborative:story", args=[story.pk])).content.decode())
    assert "by Sunny, 3 findings accepted" in page
    assert "Kept because Sarah agreed" in page
    assert "Share it on the public pages" in page
    response = client.post(reverse("collaborative:story_share", args=[story.pk]))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == StoryStatus.SHARED


def test_sharing_an_unchecked_story_beyond_the_group_shows_an_error_linking_to_the_check(collab: Collab) -> None:
    story = make_story(collab)
    response = client_for(collab.lived).post(reverse("collaborative:story_share", args=[story.pk]))
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in html
    assert "The story cannot be shared yet" in html
    assert f'href="{reverse("collaborative:story_check", args=[story.pk])}"' in html
    story.refresh_from_db()
    assert story.status == StoryStatus.DRAFT


def test_a_group_member_who_did_not_gather_it_cannot_open_the_check(collab: Collab) -> None:
    story = make_story(collab)
    response = client_for(collab.staff_member).get(reverse("collaborative:story_check", args=[story.pk]))
    assert response.status_code == 403


# ---- reading -------------------------------------------------------------------------------------


def test_the_story_page_cast(collab: Collab) -> None:
    story = make_story(collab, title="Team only", consent_level=ConsentLevel.TEAM)
    services.story_share(actor=collab.lived.user, story=story)
    url = reverse("collaborative:story", args=[story.pk])
    page = client_for(collab.staff_member).get(url)
    html = text_of(page.content.decode())
    assert page.status_code == 200
    assert "Team only" in html and "Sarah listened to me" in html
    assert "A carer, family member or friend" in html
    assert "The group that gathered it" in html
    assert "Change the story" not in html  # in the group, but neither gatherer nor lead
    assert client_for(collab.carer).get(url).status_code == 403  # a member outside the group
    stranger = Client()
    stranger.force_login(collab.outsider)
    assert stranger.get(url).status_code == 403
    assert sign_in_verified(collab.admin).get(url).status_code == 200  # a steward
    assert Client().get(url).status_code == 302  # not signed in: to sign-in
    refused = AuditEvent.objects.filter(outcome=Outcome.REFUSED, detail__area="collaborative")
    assert refused.count() == 2  # the member outside the group and the stranger


def test_the_list_filters_counts_themes_and_keeps_its_queries_flat(
    collab: Collab, django_assert_max_num_queries: Any
) -> None:
    for n in range(3):
        story = make_story(collab, title=f"Story {n}", consent_level=ConsentLevel.TEAM, themes=("hope", f"t{n}"))
        services.story_share(actor=collab.lived.user, story=story)
    make_story(collab, title="Feedback", kind="feedback", consent_level=ConsentLevel.TEAM, themes=("hope",))
    client = client_for(collab.lived)
    url = reverse("collaborative:stories")
    with CaptureQueriesContext(connection) as few:
        html = text_of(client.get(url).content.decode())
    assert "4 stories" in html
    assert "Add a story gathered by Front door Design Team" in html
    # hope is on all 4 stories the gatherer sees; t0, t1, t2 on one each.
    assert "hope 4" in html and "t0 1" in html
    html = text_of(client.get(url, {"kind": "feedback"}).content.decode())
    assert "1 story" in html and "Feedback" in html and "Story 0" not in html
    for n in range(3, 12):
        story = make_story(collab, title=f"Story {n}", consent_level=ConsentLevel.TEAM, themes=("hope", f"t{n}"))
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as many:
        html = text_of(client.get(url).content.decode())
    assert "13 stories" in html
    assert len(many) == len(few)  # no query for each story
    # A member outside the group sees none of them.
    html = text_of(client_for(collab.carer).get(url).content.decode())
    assert "0 stories" in html


def test_the_list_comes_a_page_at_a_time_keeping_the_filters(collab: Collab) -> None:
    for n in range(STORY_PAGE_SIZE + 2):
        make_story(
            collab,
            title=f"Story {n:02d}",
            consent_level=ConsentLevel.TEAM,
            gathered_on=dt.date(2026, 1, 1) + dt.timedelta(days=n),
        )
    make_story(collab, title="Feedback", kind="feedback", consent_level=ConsentLevel.TEAM)
    client = client_for(collab.lived)
    url = reverse("collaborative:stories")
    first = client.get(url, {"kind": "story"}).content.decode()
    text = text_of(first)
    assert f"{STORY_PAGE_SIZE + 2} stories" in text and f"Showing 1 to {STORY_PAGE_SIZE}, newest first." in text
    titles = re.findall(r"Story \d\d|Feedback gathered", text)
    assert titles == [f"Story {n:02d}" for n in range(STORY_PAGE_SIZE + 1, 1, -1)], titles
    older = re.search(r'href="(\?[^"]*page=2[^"]*)"', first)
    assert older is not None and "kind=story" in older.group(1)
    second = text_of(client.get(url + html_module.unescape(older.group(1))).content.decode())
    assert f"Showing {STORY_PAGE_SIZE + 1} to {STORY_PAGE_SIZE + 2}" in second
    assert re.findall(r"Story \d\d|Feedback gathered", second) == ["Story 01", "Story 00"]
    assert "Newer stories" in second and "Older stories" not in second


def test_someone_who_is_not_a_member_is_refused_the_list(collab: Collab) -> None:
    stranger = Client()
    stranger.force_login(collab.outsider)
    assert stranger.get(reverse("collaborative:stories")).status_code == 403


# ---- withdrawing ---------------------------------------------------------------------------------


def test_withdrawing_through_the_page(collab: Collab) -> None:
    story = shared_public(collab)
    public_url = reverse("collaborative:public_story", args=[story.pk])
    assert Client().get(public_url).status_code == 200
    client = client_for(collab.design_lead)
    url = reverse("collaborative:story_withdraw", args=[story.pk])
    html = client.get(url).content.decode()
    assert "The teller has withdrawn their consent" in html
    response = client.post(url, {"reason": ""})
    assert "Say how the teller withdrew their consent" in response.content.decode()
    response = client.post(url, {"reason": "Phoned Dee on Monday"})
    assert response.status_code == 302
    assert Client().get(public_url).status_code == 404
    # The lead no longer sees it; the gatherer still reads the words.
    assert client.get(reverse("collaborative:story", args=[story.pk])).status_code == 403
    page = text_of(client_for(collab.lived).get(reverse("collaborative:story", args=[story.pk])).content.decode())
    assert "The teller withdrew their consent" in page and "Sarah listened to me" in page
    assert client_for(collab.staff_member).get(url).status_code == 403


# ---- the public pages ----------------------------------------------------------------------------


def test_the_public_pages_show_checked_public_stories_without_the_gatherer_s_name(collab: Collab) -> None:
    story = shared_public(collab, body="Nobody rushed me. I was listened to.")
    make_story(collab, title="Not shared yet")
    anyone = Client()
    html = text_of(anyone.get(reverse("collaborative:public_stories")).content.decode())
    assert "Stories from the Collaborative" in html
    assert "Being listened to" in html and "Not shared yet" not in html
    assert "being listened to (1)" in html
    page = anyone.get(reverse("collaborative:public_story", args=[story.pk]))
    html = text_of(page.content.decode())
    assert page.status_code == 200
    assert "Nobody rushed me. I was listened to." in html
    assert "Told by: a carer, family member or friend" in html
    assert "Gathered in March 2026 by a member with lived experience" in html
    assert "Sunny" not in html and "Alex" not in html
    other = make_story(collab, title="Draft")
    assert anyone.get(reverse("collaborative:public_story", args=[other.pk])).status_code == 404


def test_a_member_who_agreed_is_named_as_gatherer_on_the_public_page(collab: Collab) -> None:
    Member.objects.filter(pk=collab.lived.pk).update(public_name=True)
    story = shared_public(collab, body="Nobody rushed me.")
    html = text_of(Client().get(reverse("collaborative:public_story", args=[story.pk])).content.decode())
    assert "Gathered in March 2026 by Sunny" in html


def test_a_new_member_of_the_group_reads_its_team_stories(collab: Collab) -> None:
    from livingwell.collaborative.tests.conftest import add_to_group

    story = make_story(collab, title="Team only", consent_level=ConsentLevel.TEAM)
    services.story_share(actor=collab.lived.user, story=story)
    newcomer = make_collab_member(collab.site, known_as="Newcomer", carer=True)
    url = reverse("collaborative:story", args=[story.pk])
    assert client_for(newcomer).get(url).status_code == 403
    add_to_group(collab.design, newcomer)
    assert client_for(newcomer).get(url).status_code == 200
