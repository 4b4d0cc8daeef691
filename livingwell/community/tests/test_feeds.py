"""Directory feeds for coordinators: the services (validated, audited, refused for anyone who does not
manage the site's feeds), the pages asserted on the HTML, "Refresh now" queueing one refresh for the
task worker, the runs and what each turned away, and the access cast."""

from __future__ import annotations

import datetime as dt
import html as htmllib
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from livingwell.accounts.models import User
from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.community import feeds, tasks
from livingwell.community.models import ImportRun, ImportSource
from livingwell.network.models import Organisation, Role, Sector, Site
from livingwell.network.tests.conftest import sign_in_verified as client_for
from livingwell.testing import Cast, make_member

pytestmark = pytest.mark.django_db

FEEDS = "/community/feeds/"
API = "https://directory.lambeth.example.gov.uk/api/oruk"


def text(response: object) -> str:
    return htmllib.unescape(response.content.decode())  # type: ignore[attr-defined]


@pytest.fixture
def source(cast: Cast) -> ImportSource:
    return ImportSource.objects.create(site=cast.site, name="Lambeth Council directory", location=API, refresh_hours=24)


@pytest.fixture
def other_coordinator(cast: Cast) -> User:
    other = Site.objects.create(name="Southwark", slug="southwark")
    organisation = Organisation.objects.create(site=other, name="Southwark Trust", sector=Sector.NHS_TRUST)
    return make_member(other, organisation, Role.HUB_COORDINATOR, name="Southwark Coordinator")


def refused_events(user: User) -> int:
    return AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED).count()


# ---- Services -----------------------------------------------------------------------------------------


def test_a_coordinator_adds_a_feed_and_it_is_audited(cast: Cast) -> None:
    added = feeds.source_add(
        actor=cast.coordinator, site=cast.site, name="  Lambeth   directory ", location=API + "/", refresh_hours=12
    )
    assert (added.name, added.location, added.refresh_hours, added.site) == ("Lambeth directory", API, 12, cast.site)
    event = AuditEvent.objects.get(actor=cast.coordinator, action=Action.CREATE)
    assert event.outcome == Outcome.ALLOWED and event.person_id is None
    assert event.detail["object"] == "directory_feed" and event.detail["id"] == str(added.pk)
    assert event.detail["location"] == API


@pytest.mark.parametrize(
    ("name", "location", "hours", "field", "message"),
    [
        ("", API, 24, "name", "Enter a name for the feed"),
        ("Feed", "", 24, "location", "Enter the address of the ORUK API"),
        ("Feed", "ftp://directory.example.org/api", 24, "location", "starting with https:// or http://"),
        ("Feed", "javascript:alert(1)", 24, "location", "starting with https:// or http://"),
        ("Feed", "/srv/feeds/oruk.json", 24, "location", "starting with https:// or http://"),
        ("Feed", API, 0, "refresh_hours", "between 1 and 720"),
        ("Feed", API, 721, "refresh_hours", "between 1 and 720"),
    ],
)
def test_a_feed_is_checked_before_it_is_saved(
    cast: Cast, name: str, location: str, hours: int, field: str, message: str
) -> None:
    with pytest.raises(feeds.FeedError) as error:
        feeds.source_add(actor=cast.coordinator, site=cast.site, name=name, location=location, refresh_hours=hours)
    assert error.value.field == field and message in error.value.message
    assert not ImportSource.objects.exists()


def test_the_same_feed_cannot_be_added_twice(cast: Cast, source: ImportSource) -> None:
    with pytest.raises(feeds.FeedError, match="already in the directory feeds as Lambeth Council directory"):
        feeds.source_add(actor=cast.coordinator, site=cast.site, name="Again", location=API, refresh_hours=None)


def test_only_a_site_administrator_may_give_a_file_on_the_server(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(feeds.FeedError):
        feeds.source_add(actor=cast.coordinator, site=cast.site, name="File", location=str(path), refresh_hours=None)
    with pytest.raises(feeds.FeedError, match="There is no file or folder at this path"):
        feeds.source_add(
            actor=cast.site_admin, site=cast.site, name="File", location=str(tmp_path / "x.json"), refresh_hours=None
        )
    added = feeds.source_add(actor=cast.site_admin, site=cast.site, name="File", location=str(path), refresh_hours=None)
    assert added.location == str(path) and added.refresh_hours is None
    # A coordinator may still rename it and change its schedule, keeping the file.
    changed = feeds.source_change(
        actor=cast.coordinator, source=added, name="Council file", location=str(path), refresh_hours=6
    )
    assert (changed.name, changed.location, changed.refresh_hours) == ("Council file", str(path), 6)


def test_a_change_is_saved_and_audited_with_what_changed(cast: Cast, source: ImportSource) -> None:
    feeds.source_change(actor=cast.site_admin, source=source, name=source.name, location=API, refresh_hours=None)
    source.refresh_from_db()
    assert source.refresh_hours is None
    event = AuditEvent.objects.get(actor=cast.site_admin, action=Action.CHANGE)
    assert event.detail["changed"] == {"refresh_hours": None}


def test_people_who_do_not_manage_the_sites_feeds_are_refused_and_it_is_audited(
    cast: Cast, source: ImportSource, other_coordinator: User
) -> None:
    for user in (cast.team_worker, cast.analyst, cast.person_user, other_coordinator):
        with pytest.raises(AccessRefused):
            feeds.source_add(actor=user, site=cast.site, name="Mine", location=API + "/x", refresh_hours=None)
        with pytest.raises(AccessRefused):
            feeds.source_change(actor=user, source=source, name="Mine", location=API, refresh_hours=None)
        with pytest.raises(AccessRefused):
            feeds.refresh_now(actor=user, source=source)
        assert refused_events(user) == 3
    assert ImportSource.objects.get().name == "Lambeth Council directory"
    assert not DBTaskResult.objects.exists()


def test_refresh_now_queues_one_refresh_however_often_it_is_pressed(cast: Cast, source: ImportSource) -> None:
    assert feeds.refresh_now(actor=cast.coordinator, source=source) is True
    assert feeds.refresh_now(actor=cast.site_admin, source=source) is False
    assert DBTaskResult.objects.filter(task_path=tasks.refresh_source.module_path).count() == 1
    details = list(AuditEvent.objects.filter(action=Action.CHANGE).values_list("detail__refresh", flat=True))
    assert sorted(details) == ["already waiting", "queued"]


# ---- Pages --------------------------------------------------------------------------------------------


def test_the_feeds_page_shows_each_feed_with_its_last_refresh(
    cast: Cast, source: ImportSource, django_assert_max_num_queries: object
) -> None:
    broken = ImportSource.objects.create(site=cast.site, name="Partner file", location="/srv/feeds/partner.json")
    started = timezone.now() - dt.timedelta(hours=3)
    ImportRun.objects.create(
        source=source, location=API, started_at=started - dt.timedelta(days=1), finished_at=started, created=9
    )
    latest = ImportRun.objects.create(
        source=source,
        location=API,
        started_at=started,
        finished_at=started + dt.timedelta(minutes=2),
        created=3,
        updated=1,
        unchanged=40,
        rejected=2,
        problems=[{"where": "x", "id": "y", "reason": "z"}],
    )
    source.last_refreshed_at = latest.finished_at
    source.save()
    ImportRun.objects.create(
        source=broken,
        location=broken.location,
        started_at=started,
        finished_at=started,
        failed="There is no file or folder at /srv/feeds/partner.json.",
    )
    for n in range(5):
        ImportSource.objects.create(site=cast.site, name=f"Extra {n}", location=f"{API}/{n}", refresh_hours=1)
    tasks.request_refresh(source=broken)

    client = client_for(cast.coordinator)
    client.get(FEEDS)  # warm the session and memberships
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(FEEDS)
    assert response.status_code == 200
    html = text(response)
    assert "<h1>Directory feeds</h1>" in html
    assert "Lambeth Council directory" in html and API in html and "Every day" in html
    assert "3 new, 1 changed, 40 unchanged, 2 turned away" in html
    assert "9 new" not in html  # only the latest run
    assert "File on the server: /srv/feeds/partner.json" in html and "Only when asked" in html
    assert "Failed: There is no file or folder at /srv/feeds/partner.json." in html
    assert html.count("Refresh started") == 1  # the partner file's refresh is waiting
    assert "Every hour" in html and "Not refreshed yet" in html
    assert reverse("community:feed_run", args=[latest.pk]) in html
    assert 'href="/community/feeds/add/"' in html


def test_refresh_now_on_the_page_says_it_has_started_and_queues_only_once(cast: Cast, source: ImportSource) -> None:
    client = client_for(cast.coordinator)
    url = reverse("community:feed_refresh", args=[source.pk])
    response = client.post(url, follow=True)
    html = text(response)
    assert response.redirect_chain[-1][0] == FEEDS
    assert "The refresh has started. It usually takes a few minutes." in html
    assert "Refresh started" in html
    html = text(client.post(url, {"next": reverse("community:feed", args=[source.pk])}, follow=True))
    assert "A refresh of this feed has already started." in html
    assert "<h1>Lambeth Council directory</h1>" in html  # back on the feed's page
    assert DBTaskResult.objects.count() == 1
    assert client.get(url).status_code == 405


def test_add_a_feed_shows_errors_by_the_fields_and_keeps_the_answers(cast: Cast) -> None:
    client = client_for(cast.coordinator)
    html = text(client.get(reverse("community:feed_add")))
    assert "<h1>Add a directory feed</h1>" in html and "Address of the ORUK API" in html
    assert "file on the server" not in html  # coordinators give an address only
    response = client.post(
        reverse("community:feed_add"), {"name": "Lambeth", "location": "directory.example.org", "refresh_hours": "x"}
    )
    html = text(response)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Hours between refreshes must be a whole number, like 24" in html
    # Every mistake at once, each linked from the summary to its field.
    assert "Enter the address of the ORUK API, starting with https:// or http://" in html
    assert 'href="#id_location"' in html and 'href="#id_refresh_hours"' in html
    assert 'value="directory.example.org"' in html and 'value="Lambeth"' in html
    response = client.post(reverse("community:feed_add"), {"name": "", "location": API, "refresh_hours": "0"})
    html = text(response)
    assert "Enter a name for the feed" in html and "between 1 and 720, or left empty" in html
    assert f'value="{API}"' in html
    response = client.post(reverse("community:feed_add"), {"name": "Lambeth", "location": API, "refresh_hours": ""})
    assert response.status_code == 302 and response["Location"] == FEEDS
    added = ImportSource.objects.get()
    assert (added.name, added.location, added.refresh_hours) == ("Lambeth", API, None)
    assert "Lambeth added. Refresh it now to import its offers." in text(client.get(FEEDS))


def test_a_site_administrator_may_add_a_file(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text("{}", encoding="utf-8")
    client = client_for(cast.site_admin)
    assert "or a file on the server" in text(client.get(reverse("community:feed_add")))
    response = client.post(reverse("community:feed_add"), {"name": "File", "location": str(path), "refresh_hours": "6"})
    assert response.status_code == 302
    assert ImportSource.objects.get().location == str(path)


def test_change_a_feed(cast: Cast, source: ImportSource) -> None:
    client = client_for(cast.coordinator)
    url = reverse("community:feed_change", args=[source.pk])
    html = text(client.get(url))
    assert "<h1>Change Lambeth Council directory</h1>" in html and f'value="{API}"' in html and 'value="24"' in html
    response = client.post(url, {"name": "Lambeth directory", "location": API, "refresh_hours": "6"})
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.name, source.refresh_hours) == ("Lambeth directory", 6)


def test_a_feeds_runs_newest_first_and_paged(cast: Cast, source: ImportSource) -> None:
    start = timezone.now() - dt.timedelta(days=30)
    for n in range(25):
        ImportRun.objects.create(
            source=source,
            location=API,
            started_at=start + dt.timedelta(days=n),
            finished_at=start + dt.timedelta(days=n, minutes=1),
            created=n,
        )
    ImportRun.objects.create(source=source, location=API, started_at=timezone.now(), failed="", finished_at=None)
    client = client_for(cast.coordinator)
    html = text(client.get(reverse("community:feed", args=[source.pk])))
    assert "<h1>Lambeth Council directory</h1>" in html
    assert "26 refreshes, newest first (page 1 of 2)" in html
    assert "Under way" in html
    assert html.index("24 new") < html.index("23 new")
    assert "<td>6 new," in html and "<td>5 new," not in html  # the oldest five are on page 2
    html = text(client.get(reverse("community:feed", args=[source.pk]), {"page": "2"}))
    assert "<td>5 new," in html and "<td>0 new, 0 changed" in html and "24 new" not in html
    assert text(client.get(reverse("community:feed", args=[source.pk]), {"page": "x"})).count("24 new") == 1


def test_a_run_shows_every_record_turned_away_with_the_reason(cast: Cast, source: ImportSource) -> None:
    run = ImportRun.objects.create(
        source=source,
        location=API,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        created=5,
        rejected=2,
        problems=[
            {"where": f"{API}/services/abc", "id": "abc", "reason": "name: is required"},
            {"where": "page 3", "id": None, "reason": "did not answer in time"},
        ],
    )
    html = text(client_for(cast.coordinator).get(reverse("community:feed_run", args=[run.pk])))
    assert "Refresh started" in html and "Finished, with problems" in html
    assert '<th scope="col">Why</th>' in html
    assert f"{API}/services/abc" in html and "name: is required" in html
    assert "did not answer in time" in html and "None given" in html
    assert "2 problems found in this refresh" in html

    failed = ImportRun.objects.create(
        source=source, location=API, started_at=timezone.now(), finished_at=timezone.now(), failed="Nothing answered."
    )
    html = text(client_for(cast.site_admin).get(reverse("community:feed_run", args=[failed.pk])))
    assert "Why it failed" in html and "Nothing answered." in html
    assert "No problems: every record in the feed was read." in html


# ---- The access cast ----------------------------------------------------------------------------------


def test_access_cast_for_every_feeds_page(cast: Cast, source: ImportSource, other_coordinator: User) -> None:
    run = ImportRun.objects.create(source=source, location=API, started_at=timezone.now(), finished_at=timezone.now())
    pages = [
        FEEDS,
        reverse("community:feed_add"),
        reverse("community:feed", args=[source.pk]),
        reverse("community:feed_change", args=[source.pk]),
        reverse("community:feed_run", args=[run.pk]),
    ]
    for user in (cast.coordinator, cast.site_admin):
        client = client_for(user)
        for url in pages:
            assert client.get(url).status_code == 200, (user, url)
    for user in (
        cast.team_worker,
        cast.person_user,
        cast.analyst,
        cast.privacy_officer,
        cast.stranger,
        other_coordinator,
    ):
        client = client_for(user)
        # Another site's coordinator may list and add their own site's feeds, but not see this site's.
        refused = pages[2:] if user == other_coordinator else pages
        for url in refused:
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(reverse("community:feed_refresh", args=[source.pk])).status_code == 403
        assert refused_events(user) == len(refused) + 1, user
    html = text(client_for(other_coordinator).get(FEEDS))
    assert "Lambeth Council directory" not in html and "There are no directory feeds yet" in html
    assert not DBTaskResult.objects.exists()
    refused = AuditEvent.objects.filter(outcome=Outcome.REFUSED).first()
    assert refused is not None and refused.path.startswith("/community/feeds/")
    assert Client().get(FEEDS).status_code == 302  # signed out: to the sign-in page


def test_unknown_feeds_and_runs_are_not_found(cast: Cast, tmp_path: Path) -> None:
    client = client_for(cast.coordinator)
    assert client.get("/community/feeds/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/community/feeds/runs/999999/").status_code == 404
    orphan = ImportRun.objects.create(location=str(tmp_path / "x.json"), started_at=timezone.now())
    assert client.get(reverse("community:feed_run", args=[orphan.pk])).status_code == 404


def test_the_search_page_links_coordinators_to_the_feeds(cast: Cast) -> None:
    assert 'href="/community/feeds/"' in text(client_for(cast.coordinator).get("/community/"))
    assert 'href="/community/feeds/"' in text(client_for(cast.site_admin).get("/community/"))
    assert 'href="/community/feeds/"' not in text(client_for(cast.team_worker).get("/community/"))


def test_without_a_queue_refresh_now_refreshes_at_once(cast: Cast, oruk: Path) -> None:
    source = ImportSource.objects.create(
        site=cast.site, name="Examples", location=str(oruk / "examples" / "service_full.json")
    )
    immediate = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate):
        response = client_for(cast.coordinator).post(reverse("community:feed_refresh", args=[source.pk]), follow=True)
    html = text(response)
    assert "The feed was refreshed." in html
    assert "1 new, 0 changed, 0 unchanged, 0 turned away" in html
    assert not DBTaskResult.objects.exists()


def test_a_feeds_page_asks_the_database_a_fixed_number_of_times(
    cast: Cast, source: ImportSource, django_assert_max_num_queries: object
) -> None:
    for n in range(30):
        ImportRun.objects.create(source=source, location=API, started_at=timezone.now(), created=n)
    client = client_for(cast.coordinator)
    client.get(reverse("community:feed", args=[source.pk]))
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        assert client.get(reverse("community:feed", args=[source.pk])).status_code == 200
