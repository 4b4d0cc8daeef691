"""The ORUK importer: the official examples, a round trip, folders of pages, an ORUK API served by a
real local HTTP server (no internet), bad feeds, and the `import_oruk` command."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from livingwell.community.documents import (
    save_service,
    serve_service,
    serve_taxonomy,
    serve_taxonomy_term,
)
from livingwell.community.imports import DUPLICATE, USER_AGENT, kind_of, oruk_import
from livingwell.community.models import (
    Curation,
    ImportRun,
    ImportSource,
    Origin,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from livingwell.network.models import Site

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
TAXONOMY_ID = "5c4d79d7-cc55-470e-9f1f-8cad074e4892"
TERM_ID = "3f7b145d-84af-42d7-8fae-eaca714b02b2"
EXAMPLES = [
    "organization_full",
    "organization_list",
    "service_at_location_full",
    "service_at_location_list",
    "service_full",
    "service_list",
    "taxonomy",
    "taxonomy_list",
    "taxonomy_term",
    "taxonomy_term_list",
]


@pytest.fixture
def site(db):
    return Site.objects.create(name="Lambeth", slug="lambeth")


def fresh_ids(value: Any) -> Any:
    """A copy with every `id` replaced by a new UUID (so services made from one example do not share rows)."""
    if isinstance(value, dict):
        return {k: (str(uuid.uuid4()) if k == "id" else fresh_ids(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [fresh_ids(v) for v in value]
    return value


@pytest.fixture
def make_service(oruk_example):
    def make(name: str = "", **fields: Any) -> dict[str, Any]:
        document = fresh_ids(oruk_example("service_full"))
        if name:
            document["name"] = name
        document.update(fields)
        return document

    return make


def write(folder: Path, name: str, data: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def page_of(contents: list[Any], number: int = 1, total: int = 1) -> dict[str, Any]:
    return {
        "total_items": len(contents),
        "total_pages": total,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= total,
        "empty": not contents,
        "contents": contents,
    }


def problems_of(run: ImportRun) -> list[str]:
    return [f"{p['where']} ({p.get('id', '')}): {p['reason']}" for p in run.problems]


# ---- A real ORUK API on 127.0.0.1 -------------------------------------------------------------------


class FakeFeed:
    """An ORUK API: `/services` pages of list items (scalars and organisation), `/services/{id}` in full,
    `/taxonomies` and `/taxonomy_terms` pages. `delays` and `bodies` override answers by path and page."""

    def __init__(self) -> None:
        self.services: list[dict[str, Any]] = []
        self.taxonomies: list[dict[str, Any]] = []
        self.terms: list[dict[str, Any]] = []
        self.delays: dict[tuple[str, int | None], float] = {}
        self.bodies: dict[tuple[str, int | None], tuple[int, bytes]] = {}
        self.requests: list[tuple[str, dict[str, str], str]] = []
        self.ignore_page = False
        self.total_pages: int | None = None
        self.lock = threading.Lock()

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        page = int(query.get("page", "1")) if path in ("/services", "/taxonomies", "/taxonomy_terms") else None
        if self.ignore_page:
            page = 1
        time.sleep(self.delays.get((path, page), 0))
        if (path, page) in self.bodies:
            return self.bodies[(path, page)]
        per_page = int(query.get("per_page", "50"))
        if path == "/services":
            chosen = self.services
            if "modified_after" in query:
                after = dt.datetime.fromisoformat(query["modified_after"])
                chosen = [s for s in chosen if dt.datetime.fromisoformat(s["last_modified"]) > after]
            items = [
                {
                    **{k: v for k, v in s.items() if not isinstance(v, dict | list)},
                    **({"organization": s["organization"]} if "organization" in s else {}),
                }
                for s in chosen
            ]
            return 200, self.page(items, page or 1, per_page)
        if path.startswith("/services/"):
            wanted = path.removeprefix("/services/")
            for service in self.services:
                if service["id"] == wanted:
                    return 200, json.dumps(service).encode()
            return 404, b'{"detail": "Not found"}'
        if path == "/taxonomies":
            items = [{k: v for k, v in t.items() if k != "taxonomy_terms"} for t in self.taxonomies]
            return 200, self.page(items, page or 1, per_page)
        if path == "/taxonomy_terms":
            return 200, self.page(self.terms, page or 1, per_page)
        return 404, b'{"detail": "Not found"}'

    def page(self, items: list[Any], number: int, per_page: int) -> bytes:
        total = max(1, -(-len(items) // per_page))
        chunk = items[(number - 1) * per_page : number * per_page]
        body = page_of(chunk, number, self.total_pages or total)
        body["total_items"] = len(items)
        return json.dumps(body).encode()


@pytest.fixture
def feed() -> Iterator[tuple[FakeFeed, str]]:
    fake = FakeFeed()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path.startswith("/moved/"):
                self.send_response(301)
                self.send_header("Location", "/api/" + self.path.removeprefix("/moved/"))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = parts.path.removeprefix("/api")
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            with fake.lock:
                fake.requests.append((path, query, self.headers.get("User-Agent", "")))
            status, body = fake.answer(path, query)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the importer stopped waiting

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}/api"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# ---- The official examples ----------------------------------------------------------------------------


def test_records_are_told_apart_by_shape(oruk_example):
    assert kind_of(oruk_example("service_full")) == "service"
    assert kind_of(oruk_example("service_list")["contents"][0]) == "service"
    assert kind_of(oruk_example("taxonomy")) == "taxonomy"
    assert kind_of(oruk_example("taxonomy_list")["contents"][0]) == "taxonomy"
    assert kind_of(oruk_example("taxonomy_term")) == "taxonomy_term"
    assert kind_of(oruk_example("service_at_location_full")) == "service_at_location"
    assert kind_of(oruk_example("organization_full")) == "organization"
    assert kind_of(oruk_example("organization_list")["contents"][0]) == "organization"
    assert kind_of({"id": "x", "name": "No status"}) == "service"


def test_the_full_service_example_is_imported_with_its_projections(oruk, site):
    run = oruk_import(site=site, location=str(oruk / "examples" / "service_full.json"))
    assert (run.created, run.updated, run.unchanged, run.rejected) == (1, 0, 0, 0)
    assert run.problems == [] and run.failed == "" and run.finished_at is not None
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.origin == Origin.IMPORTED and service.curation == Curation.PUBLISHED
    assert service.name == "Community Counselling"
    assert service.at_locations.count() == 1
    assert list(service.terms.values_list("id", flat=True)) == [TERM_ID]


def test_a_list_page_in_a_file_is_taken_as_it_is_and_the_full_service_then_updates_it(oruk, site):
    """A Page in a file is imported as it stands (a folder of pages must hold full services); the list
    item is a valid, thin service, and the full service then fills it in."""
    examples = oruk / "examples"
    first = oruk_import(site=site, location=str(examples / "service_list.json"))
    assert (first.created, first.rejected) == (1, 0)
    assert Service.objects.get(pk=SERVICE_ID).at_locations.count() == 0
    second = oruk_import(site=site, location=str(examples / "service_full.json"))
    assert (second.created, second.updated) == (0, 1)
    assert Service.objects.get(pk=SERVICE_ID).at_locations.count() == 1


def test_the_taxonomy_example_saves_the_taxonomy_and_its_terms(oruk, site):
    run = oruk_import(site=site, location=str(oruk / "examples" / "taxonomy.json"))
    assert (run.created, run.rejected) == (2, 0)
    taxonomy = Taxonomy.objects.get(pk=TAXONOMY_ID)
    assert "taxonomy_terms" not in taxonomy.document
    term = TaxonomyTerm.objects.get(pk=TERM_ID)
    assert term.taxonomy_id == TAXONOMY_ID  # taken from where it is nested
    assert term.parent_id == "0bc248fa-dc27-4650-9ba4-8f1a24ef16a2"  # kept though the feed lacks it
    again = oruk_import(site=site, location=str(oruk / "examples" / "taxonomy.json"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_lone_taxonomy_term_and_a_page_of_terms_are_saved(oruk, site):
    run = oruk_import(site=site, location=str(oruk / "examples" / "taxonomy_term.json"))
    assert (run.created, run.rejected) == (1, 0)
    again = oruk_import(site=site, location=str(oruk / "examples" / "taxonomy_term_list.json"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("service_at_location_full", "is a service at a location, not a service"),
        ("service_at_location_list", "is a service at a location, not a service"),
        ("organization_full", "is an organisation, not a service"),
        ("organization_list", "is an organisation, not a service"),
    ],
)
def test_services_at_a_location_and_organisations_are_turned_away_with_a_note(oruk, site, name, words):
    run = oruk_import(site=site, location=str(oruk / "examples" / f"{name}.json"))
    assert (run.created, run.rejected) == (0, 1)
    assert words in run.problems[0]["reason"]
    assert run.problems[0]["where"].startswith(f"{name}.json")
    assert Service.objects.count() == 0


def test_a_folder_of_every_example_file(oruk, site, tmp_path):
    for name in EXAMPLES:
        (tmp_path / f"{name}.json").write_bytes((oruk / "examples" / f"{name}.json").read_bytes())
    run = oruk_import(site=site, location=str(tmp_path))
    assert run.failed == ""
    # service_full, then the taxonomy; its term was first made from the service's attribute and now
    # gains its taxonomy id (updated).
    assert (run.created, run.updated, run.unchanged) == (2, 1, 0)
    # Two organisations, two services at a location, the service list's repeat and the taxonomy list's.
    assert run.rejected == 6
    duplicates = [p for p in run.problems if p["reason"] == DUPLICATE]
    assert [p["where"].split()[0] for p in duplicates] == ["service_list.json", "taxonomy_list.json"]
    assert Service.objects.get().document["service_at_locations"]  # the first (full) one was kept
    assert TaxonomyTerm.objects.get(pk=TERM_ID).taxonomy_id == TAXONOMY_ID
    again = oruk_import(site=site, location=str(tmp_path))
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 6)


# ---- Round trip --------------------------------------------------------------------------------------


def test_round_trip_import_serve_import_changes_nothing(oruk, site, tmp_path, make_service):
    feed_folder = tmp_path / "feed"
    write(feed_folder, "a_services.json", page_of([make_service("Walk and talk"), make_service("Men's shed")]))
    (feed_folder / "b_example.json").write_bytes((oruk / "examples" / "service_full.json").read_bytes())
    (feed_folder / "c_taxonomy.json").write_bytes((oruk / "examples" / "taxonomy.json").read_bytes())
    first = oruk_import(site=site, location=str(feed_folder))
    # Three services and the taxonomy; its term, first made from a service's attribute, is updated.
    assert (first.created, first.updated, first.rejected, first.problems) == (4, 1, 0, [])

    served_folder = tmp_path / "served"
    write(served_folder, "services.json", page_of([serve_service(s) for s in Service.objects.order_by("id")]))
    write(served_folder, "taxonomies.json", [serve_taxonomy(t) for t in Taxonomy.objects.all()])
    write(served_folder, "terms.json", page_of([serve_taxonomy_term(t) for t in TaxonomyTerm.objects.all()]))
    before = {s.pk: (s.hash, s.version, s.updated_at) for s in Service.objects.all()}
    terms_before = TaxonomyTerm.objects.count()

    second = oruk_import(site=site, location=str(served_folder))
    assert (second.created, second.updated, second.rejected, second.problems) == (0, 0, 0, [])
    assert second.unchanged == len(before) + 1 + terms_before
    assert {s.pk: (s.hash, s.version, s.updated_at) for s in Service.objects.all()} == before


# ---- Folders and feeds ---------------------------------------------------------------------------------


def test_a_folder_of_pages_is_read_in_order_of_name(site, tmp_path, make_service):
    services = [make_service(f"Offer {n}") for n in range(5)]
    write(tmp_path, "page2.json", page_of(services[3:], 2, 2))
    write(tmp_path, "page1.json", page_of(services[:3], 1, 2))
    (tmp_path / "notes.txt").write_text("not a feed")
    run = oruk_import(site=site, location=str(tmp_path))
    assert (run.created, run.rejected, run.problems) == (5, 0, [])
    assert Service.objects.filter(origin=Origin.IMPORTED, site=site).count() == 5


def test_a_file_with_an_array_of_services(site, tmp_path, make_service):
    path = write(tmp_path, "services.json", [make_service("One"), make_service("Two")])
    run = oruk_import(site=site, location=str(path))
    assert (run.created, run.rejected) == (2, 0)


def test_a_url_feed_is_followed_page_by_page_then_service_by_service(site, feed, make_service, oruk_example):
    fake, base = feed
    fake.services = [make_service(f"Offer {n}") for n in range(7)]
    fake.taxonomies = [oruk_example("taxonomy")]
    source = ImportSource.objects.create(site=site, name="Lambeth council", location=base)
    run = oruk_import(site=site, location=base, source=source, per_page=3)
    assert run.failed == "" and run.problems == []
    assert run.created == 7 + 1  # the services and the taxonomy (its list item has no terms)
    pages = [q for p, q, _ in fake.requests if p == "/services"]
    assert [q["page"] for q in pages] == ["1", "2", "3"]
    assert all(q["per_page"] == "3" for q in pages)
    details = [p for p, _, _ in fake.requests if p.startswith("/services/")]
    assert sorted(details) == sorted(f"/services/{s['id']}" for s in fake.services)
    assert {agent for _, _, agent in fake.requests} == {USER_AGENT}
    # The full documents were saved, not the list items.
    for document in fake.services:
        assert Service.objects.get(pk=document["id"]).document["service_at_locations"]
        assert Service.objects.get(pk=document["id"]).source == source
    assert Taxonomy.objects.filter(pk=TAXONOMY_ID).exists()
    source.refresh_from_db()
    assert source.last_refreshed_at == run.finished_at
    again = oruk_import(site=site, location=base + "/", source=source, per_page=3)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)


def test_taxonomy_terms_are_read_from_the_feed(site, feed, oruk_example):
    fake, base = feed
    fake.terms = [oruk_example("taxonomy_term")]
    run = oruk_import(site=site, location=base)
    assert (run.created, run.rejected) == (1, 0)
    assert TaxonomyTerm.objects.filter(pk=TERM_ID).exists()


def test_modified_after_is_passed_to_the_feed(site, feed, make_service):
    fake, base = feed
    old = make_service("Old", last_modified="2025-06-01T10:00:00.000Z")
    new = make_service("New", last_modified="2026-02-01T10:00:00.000Z")
    fake.services = [old, new]
    run = oruk_import(site=site, location=base, modified_after=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert run.created == 1 and run.modified_after == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert [q.get("modified_after") for p, q, _ in fake.requests if p == "/services"] == ["2026-01-01T00:00:00Z"]
    assert list(Service.objects.values_list("name", flat=True)) == ["New"]


def test_a_feed_that_ignores_the_page_number_is_not_followed_for_ever(site, feed, make_service):
    fake, base = feed
    fake.services = [make_service(f"Offer {n}") for n in range(3)]
    fake.ignore_page = True
    fake.total_pages = 1000
    run = oruk_import(site=site, location=base, per_page=2)
    assert [q["page"] for p, q, _ in fake.requests if p == "/services"] == ["1", "2"]
    assert run.created == 2 and run.problems == []


# ---- Bad feeds -------------------------------------------------------------------------------------------


def test_broken_json_in_one_file_of_three_loses_nothing_valid(site, tmp_path, make_service):
    write(tmp_path, "1.json", make_service("First"))
    (tmp_path / "2.json").write_text('{"id": "x",\n  "name": "Broken" "status": "active"}')
    write(tmp_path, "3.json", make_service("Third"))
    run = oruk_import(site=site, location=str(tmp_path))
    assert (run.created, run.rejected) == (2, 0)
    assert problems_of(run) == ["2.json (): is not valid JSON: Expecting ',' delimiter at line 2, column 20"]
    assert sorted(Service.objects.values_list("name", flat=True)) == ["First", "Third"]


def test_wrong_types_missing_fields_and_duplicate_ids_are_reported_and_skipped(site, tmp_path, make_service):
    good = make_service("Good")
    wrong_type = make_service("Wrong type", minimum_age="twelve")
    no_name = make_service()
    del no_name["name"]
    repeat = {**good, "name": "Good again"}
    path = write(tmp_path, "feed.json", page_of([good, wrong_type, no_name, repeat, "a string"]))
    run = oruk_import(site=site, location=str(path))
    assert (run.created, run.rejected) == (1, 4)
    assert problems_of(run) == [
        f"feed.json contents[1] minimum_age ({wrong_type['id']}): should be a number, not text",
        f"feed.json contents[2] name ({no_name['id']}): is missing: every service needs a name",
        f"feed.json contents[3] ({good['id']}): {DUPLICATE}",
        "feed.json contents[4] (): should be service (an object), not text",
    ]
    assert list(Service.objects.values_list("name", flat=True)) == ["Good"]


def test_a_record_after_an_invalid_one_with_the_same_id_is_taken(site, tmp_path, make_service):
    good = make_service("Good")
    path = write(tmp_path, "feed.json", [{**good, "status": "open"}, good, good])
    run = oruk_import(site=site, location=str(path))
    assert (run.created, run.rejected) == (1, 2)
    assert [p["where"] for p in run.problems] == ["feed.json [0] status", "feed.json [2]"]
    assert run.problems[1]["reason"] == DUPLICATE


def test_an_invalid_update_leaves_the_saved_service_as_it_was(site, tmp_path, make_service):
    document = make_service("Kept")
    save_service(document=document, site=site, origin=Origin.IMPORTED, curation=Curation.PUBLISHED)
    path = write(tmp_path, "feed.json", {**document, "status": "open"})
    run = oruk_import(site=site, location=str(path))
    assert (run.updated, run.rejected) == (0, 1)
    assert "'open' is not one of" in run.problems[0]["reason"]
    assert Service.objects.get(pk=document["id"]).document["status"] == "active"


def test_a_service_of_another_site_is_rejected(site, tmp_path, make_service):
    other = Site.objects.create(name="Southwark", slug="southwark")
    document = make_service("Theirs")
    save_service(document=document, site=other, origin=Origin.IMPORTED, curation=Curation.PUBLISHED)
    run = oruk_import(site=site, location=str(write(tmp_path, "feed.json", document)))
    assert run.rejected == 1
    assert run.problems == [
        {"where": "feed.json", "id": document["id"], "reason": "A service with this id belongs to another site"}
    ]


def test_an_unreachable_url_fails_the_run_and_changes_nothing(site, make_service):
    document = make_service("Already here")
    save_service(document=document, site=site, origin=Origin.IMPORTED, curation=Curation.PUBLISHED)
    base = f"http://127.0.0.1:{free_port()}/api"
    source = ImportSource.objects.create(site=site, name="Gone", location=base)
    run = oruk_import(site=site, location=base, source=source, timeout=2)
    assert run.failed == f"The feed at {base} could not be reached (nothing answered at that address)."
    assert (run.created, run.updated, run.rejected) == (0, 0, 0)
    assert run.finished_at is not None
    assert Service.objects.get(pk=document["id"]).name == "Already here"
    source.refresh_from_db()
    assert source.last_refreshed_at is None


def test_a_missing_file_or_empty_folder_fails_the_run(site, tmp_path):
    run = oruk_import(site=site, location=str(tmp_path / "nothing.json"))
    assert run.failed == f"There is no file or folder at {tmp_path / 'nothing.json'}."
    run = oruk_import(site=site, location=str(tmp_path))
    assert run.failed == f"There are no .json files in the folder {tmp_path}."


def test_a_page_that_times_out_is_reported_and_the_other_pages_are_imported(site, feed, make_service):
    fake, base = feed
    fake.services = [make_service(f"Offer {n}") for n in range(6)]
    fake.delays[("/services", 2)] = 1.5
    run = oruk_import(site=site, location=base, per_page=2, timeout=0.4)
    assert run.failed == ""
    assert run.problems == [
        {"where": f"{base}/services?per_page=2&page=2", "reason": "did not answer in time"},
    ]
    assert [q["page"] for p, q, _ in fake.requests if p == "/services"] == ["1", "2", "2", "3"]  # tried twice
    assert run.created == 4
    lost = {s["id"] for s in fake.services[2:4]}
    assert set(Service.objects.values_list("id", flat=True)) == {s["id"] for s in fake.services} - lost


def test_a_service_that_times_out_or_breaks_is_reported_by_its_url(site, feed, make_service):
    fake, base = feed
    fake.services = [make_service(f"Offer {n}") for n in range(4)]
    slow, broken, failing = (s["id"] for s in fake.services[:3])
    fake.delays[(f"/services/{slow}", None)] = 1.5
    fake.bodies[(f"/services/{broken}", None)] = (200, b'{"id": ')
    fake.bodies[(f"/services/{failing}", None)] = (500, b"{}")
    run = oruk_import(site=site, location=base, timeout=0.4)
    assert (run.created, run.rejected) == (1, 3)
    assert problems_of(run) == [
        f"{base}/services/{slow} ({slow}): did not answer in time",
        f"{base}/services/{broken} (): is not valid JSON: Expecting value at line 1, column 8",
        f"{base}/services/{failing} ({failing}): answered with HTTP status 500",
    ]
    assert list(Service.objects.values_list("id", flat=True)) == [fake.services[3]["id"]]


def test_a_broken_page_in_a_feed_is_reported_and_the_next_pages_read(site, feed, make_service):
    fake, base = feed
    fake.services = [make_service(f"Offer {n}") for n in range(4)]
    fake.bodies[("/services", 2)] = (200, b"<html>Oops</html>")
    fake.bodies[("/taxonomies", 1)] = (503, b"")
    run = oruk_import(site=site, location=base, per_page=1)
    assert run.created == 3
    assert problems_of(run) == [
        f"{base}/services?per_page=1&page=2 (): is not valid JSON: Expecting value at line 1, column 1",
        f"{base}/taxonomies?per_page=1&page=1 (): answered with HTTP status 503",
    ]


def test_a_feed_whose_first_page_is_an_error_fails_plainly(site, feed):
    fake, base = feed
    fake.bodies[("/services", 1)] = (500, b"")
    run = oruk_import(site=site, location=base)
    assert run.failed == ""  # the server answered: the page is a problem, the taxonomies were still read
    assert problems_of(run) == [f"{base}/services?per_page=100&page=1 (): answered with HTTP status 500"]


def test_redirects_are_followed(site, feed, make_service):
    fake, base = feed
    fake.services = [make_service("Moved")]
    run = oruk_import(site=site, location=base.removesuffix("/api") + "/moved/")
    assert (run.created, run.problems) == (1, [])


# ---- The command ------------------------------------------------------------------------------------------


def test_the_command_prints_the_summary_and_each_problem(site, tmp_path, make_service):
    good = make_service("Good")
    bad = make_service("Bad", status="open")
    write(tmp_path, "feed.json", [good, bad])
    out = StringIO()
    call_command("import_oruk", str(tmp_path / "feed.json"), stdout=out)
    assert out.getvalue().splitlines() == [
        "Created 1, updated 0, unchanged 0, rejected 1",
        f"feed.json [1] status ({bad['id']}): 'open' is not one of 'active', 'inactive', 'defunct', "
        "'temporarily closed'",
    ]
    run = ImportRun.objects.get()
    assert run.source is None and run.created == 1


def test_the_command_uses_a_known_source_and_the_modified_after_option(site, feed, make_service):
    fake, base = feed
    fake.services = [make_service("New", last_modified="2026-02-01T10:00:00.000Z")]
    source = ImportSource.objects.create(site=site, name="Council", location=base)
    out = StringIO()
    call_command("import_oruk", base, "--modified-after", "2026-01-01T00:00:00Z", "--timeout", "5", stdout=out)
    assert out.getvalue().splitlines() == ["Created 1, updated 0, unchanged 0, rejected 0"]
    assert ImportRun.objects.get().source == source
    assert [q.get("modified_after") for p, q, _ in fake.requests if p == "/services"] == ["2026-01-01T00:00:00Z"]


def test_the_command_fails_with_a_plain_reason_when_the_feed_cannot_be_reached(site):
    base = f"http://127.0.0.1:{free_port()}"
    out = StringIO()
    with pytest.raises(CommandError, match="could not be reached"):
        call_command("import_oruk", base, stdout=out)
    assert out.getvalue().startswith("Created 0, updated 0, unchanged 0, rejected 0")
    assert ImportRun.objects.get().failed


def test_the_command_needs_a_site_when_there_are_several(site, tmp_path, make_service):
    Site.objects.create(name="Southwark", slug="southwark")
    path = write(tmp_path, "feed.json", make_service("Good"))
    with pytest.raises(CommandError, match="more than one site"):
        call_command("import_oruk", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="no site with the slug 'nowhere'"):
        call_command("import_oruk", str(path), "--site", "nowhere", stdout=StringIO())
    with pytest.raises(CommandError, match="not a date and time"):
        call_command("import_oruk", str(path), "--site", "southwark", "--modified-after", "soon", stdout=StringIO())
    call_command("import_oruk", str(path), "--site", "southwark", stdout=StringIO())
    assert Service.objects.get().site.slug == "southwark"
