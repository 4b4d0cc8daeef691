"""Import an Open Referral UK 3.0 feed: a JSON file, a folder of JSON files, or an ORUK API.

`oruk_import` reads every record it can, saves each service in its own transaction through
`documents.save_service` (an upsert by id: created, updated, or unchanged when the canonical hash is
the same), and records an `ImportRun` with the counts and every problem (`where`, `id`, `reason`).
One bad record, file, page or URL never loses the valid ones.

What a source may hold:

- a JSON file: a Page (`{"contents": [...]}`), a bare record, or an array of records;
- a folder: every `*.json` file in it, in order of name;
- the base URL of an ORUK API (http or https): `/services` is followed page by page (with
  `modified_after` when given), then each service is read in full from `/services/{id}` (list items
  are not full services); `/taxonomies` and `/taxonomy_terms` are read too.

Records are told apart by shape: a service has a `status` (or `service_at_locations`); a taxonomy has
`taxonomy_terms` or a `version`; a taxonomy term has `taxonomy`, `taxonomy_id`, `parent_id`, `term` or
`term_uri`. Services at a location and organisations are turned away with a note: they are imported
through the services that carry them. A term already saved inside its taxonomy in the same run is
not saved again when it is listed on its own (feeds list terms both ways). In a file, the items of a Page are taken as they are, so a
folder of pages must hold full services (as `/services/{id}` gives them), not list items.

Counts: `created`, `updated` and `unchanged` count every record saved (services, taxonomies and
terms); `rejected` counts records turned away, including a service whose `/services/{id}` could not
be read. A file or page that cannot be read at all is a problem without a count, since how many
records it held is not known.

Nothing is deleted: a service missing from a feed stays in the directory (a later step may withdraw
it), so an incremental refresh with `modified_after` and a full one behave alike.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.db import transaction
from django.utils import timezone

from livingwell.core.errors import DomainError
from livingwell.network.models import Site

from .documents import DocumentInvalid, Problem, SaveOutcome, canonical, check_entity, clean, save_service
from .models import Curation, ImportRun, ImportSource, Origin, Taxonomy, TaxonomyTerm

USER_AGENT = "LivingWell-ORUK-importer/1.0 (+https://github.com/livingwell; community directory refresh)"
MAX_PAGES = 100_000
DUPLICATE = "the same id appears twice in this feed; the first was kept"
TERM_KEYS = ("taxonomy", "taxonomy_id", "parent_id", "term", "term_uri")


class SourceUnreachable(Exception):
    """The source cannot be read at all; the run records it as failed."""


# --------------------------------------------------------------------------------------------------
# Taxonomies
# --------------------------------------------------------------------------------------------------


def _same(existing: Any, document: dict[str, Any], kind: str, **columns: str) -> bool:
    if canonical(clean(existing.document), kind) != canonical(document, kind):
        return False
    return all(getattr(existing, name) == value for name, value in columns.items())


@transaction.atomic
def save_taxonomy_term(*, document: object, taxonomy_id: str = "") -> SaveOutcome:
    """Check and upsert one taxonomy term. A term nested in a taxonomy takes its id as `taxonomy_id`
    when it names none. Raises `DocumentInvalid`."""
    problems = check_entity("taxonomy_term", document)
    if problems:
        raise DocumentInvalid(problems)
    assert isinstance(document, dict)
    cleaned = clean(document)
    if taxonomy_id and not isinstance(cleaned.get("taxonomy_id"), str):
        cleaned["taxonomy_id"] = taxonomy_id
    columns = {
        "name": str(cleaned["name"])[:500],
        "taxonomy_id": str(cleaned.get("taxonomy_id", ""))[:64],
        "parent_id": str(cleaned.get("parent_id", ""))[:64],
    }
    existing = TaxonomyTerm.objects.select_for_update().filter(pk=cleaned["id"]).first()
    if existing is None:
        TaxonomyTerm.objects.create(id=cleaned["id"], document=cleaned, **columns)
        return "created"
    if _same(existing, cleaned, "taxonomy_term", **columns):
        return "unchanged"
    existing.document = cleaned
    for name, value in columns.items():
        setattr(existing, name, value)
    existing.save(update_fields=["document", *columns, "updated_at"])
    return "updated"


@transaction.atomic
def save_taxonomy(*, document: object) -> tuple[SaveOutcome, list[tuple[str, SaveOutcome]]]:
    """Check and upsert a taxonomy (stored without its terms) and each of its nested terms.
    Returns the taxonomy's outcome and each term's (id, outcome). Raises `DocumentInvalid`: a taxonomy
    with a broken term is turned away whole, so it is never half saved."""
    problems = check_entity("taxonomy", document)
    if problems:
        raise DocumentInvalid(problems)
    assert isinstance(document, dict)
    cleaned = clean(document)
    own = {k: v for k, v in cleaned.items() if k != "taxonomy_terms"}
    name = str(own["name"])[:500]
    existing = Taxonomy.objects.select_for_update().filter(pk=own["id"]).first()
    outcome: SaveOutcome
    if existing is None:
        Taxonomy.objects.create(id=own["id"], name=name, document=own)
        outcome = "created"
    elif _same(existing, own, "taxonomy", name=name):
        outcome = "unchanged"
    else:
        existing.document, existing.name = own, name
        existing.save(update_fields=["document", "name", "updated_at"])
        outcome = "updated"
    terms = [
        (term["id"], save_taxonomy_term(document=term, taxonomy_id=own["id"]))
        for term in cleaned.get("taxonomy_terms", [])
    ]
    return outcome, terms


# --------------------------------------------------------------------------------------------------
# Reading records
# --------------------------------------------------------------------------------------------------


@dataclass
class Record:
    """One record found in a source: where it came from (a file and index, or a URL) and what it is."""

    where: str
    document: Any
    kind: str  # service, taxonomy, taxonomy_term, service_at_location, organization


def kind_of(record: object, hint: str = "") -> str:
    """What a record is, by its shape (`hint` is what the endpoint serves, when known)."""
    if not isinstance(record, dict):
        return hint or "service"
    if "status" in record or "service_at_locations" in record:
        return "service"
    if "taxonomy_terms" in record or "version" in record:
        return "taxonomy"
    if any(key in record for key in TERM_KEYS):
        return "taxonomy_term"
    if isinstance(record.get("location"), dict) or isinstance(record.get("service"), dict):
        return "service_at_location"
    if any(key in record for key in ("services", "organization_identifiers", "website", "logo")):
        return "organization"
    return hint or "service"


def _records(data: Any, label: str, hint: str = "") -> Iterator[Record]:
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        for index, item in enumerate(data["contents"]):
            yield Record(f"{label} contents[{index}]", item, kind_of(item, hint))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield Record(f"{label} [{index}]", item, kind_of(item, hint))
    else:
        yield Record(label, data, kind_of(data, hint))


def _json_problem(label: str, error: json.JSONDecodeError) -> Problem:
    return Problem(label, None, f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}")


def _file_records(path: Path, label: str, problems: list[Problem]) -> Iterator[Record]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(label, None, f"could not be read: {error}"))
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problems.append(_json_problem(label, error))
        return
    yield from _records(data, label)


def _local_records(location: str, problems: list[Problem]) -> Iterator[Record]:
    path = Path(location)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".json" and p.is_file())
        if not files:
            raise SourceUnreachable(f"There are no .json files in the folder {location}.")
        for file in files:
            yield from _file_records(file, file.name, problems)
    elif path.is_file():
        yield from _file_records(path, path.name, problems)
    else:
        raise SourceUnreachable(f"There is no file or folder at {location}.")


def _http_reason(error: Exception) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "did not answer in time"
    if isinstance(error, httpx.HTTPStatusError):
        return f"answered with HTTP status {error.response.status_code}"
    if isinstance(error, httpx.ConnectError):
        return "could not be reached (nothing answered at that address)"
    return f"could not be read ({error.__class__.__name__}: {error})"


@dataclass
class Feed:
    """An ORUK API, read with explicit timeouts; a timeout is tried once more."""

    base: str
    client: httpx.Client
    problems: list[Problem]
    reached: bool = False

    def get(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """The JSON at `url`; raises httpx errors or json.JSONDecodeError."""
        for attempt in (1, 2):
            try:
                response = self.client.get(url, params=params)
            except httpx.TimeoutException:
                if attempt == 2:
                    raise
                continue
            self.reached = True
            response.raise_for_status()
            return json.loads(response.text)
        raise AssertionError("unreachable")

    def pages(self, path: str, params: dict[str, Any], hint: str, *, required: bool) -> Iterator[Record]:
        """Follow the Page wrapper until the last page, an empty page, or a page seen before."""
        seen_pages: set[int] = set()
        seen_ids: set[str] = set()
        page = 1
        while page <= MAX_PAGES:
            url = f"{self.base}{path}"
            shown = str(httpx.URL(url, params={**params, "page": page}))
            try:
                data = self.get(url, {**params, "page": page})
            except json.JSONDecodeError as error:
                self.problems.append(_json_problem(shown, error))
                if page == 1:
                    return
                page += 1
                continue
            except httpx.HTTPError as error:
                if page == 1 and not self.reached and required:
                    raise SourceUnreachable(f"The feed at {self.base} {_http_reason(error)}.") from error
                if isinstance(error, httpx.HTTPStatusError) and error.response.status_code == 404 and not required:
                    return  # the feed does not offer this list
                self.problems.append(Problem(shown, None, _http_reason(error)))
                if page == 1:
                    return
                page += 1
                continue
            if not isinstance(data, dict) or not isinstance(data.get("contents"), list):
                self.problems.append(Problem(shown, None, "is not an ORUK page: it has no 'contents' list"))
                return
            contents = data["contents"]
            number = data.get("page_number")
            ids: set[str] = {
                item["id"] for item in contents if isinstance(item, dict) and isinstance(item.get("id"), str)
            }
            if not contents or (isinstance(number, int) and number in seen_pages) or (ids and ids <= seen_ids):
                return
            if isinstance(number, int):
                seen_pages.add(number)
            seen_ids |= ids
            yield from _records(data, shown, hint)
            total = data.get("total_pages")
            if data.get("last_page") is True:
                return
            current = number if isinstance(number, int) else page
            if isinstance(total, int) and not isinstance(total, bool) and current >= total:
                return
            page += 1


def _url_records(
    feed: Feed, modified_after: dt.datetime | None, per_page: int, problems: list[Problem]
) -> Iterator[Record]:
    params: dict[str, Any] = {"per_page": per_page}
    if modified_after is not None:
        params["modified_after"] = modified_after.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ids: list[str] = []
    for item in feed.pages("/services", params, "service", required=True):
        item_id = item.document.get("id") if isinstance(item.document, dict) else None
        if not isinstance(item_id, str) or not item_id:
            problems.append(Problem(item.where, None, "has no id, so the full service cannot be read"))
            continue
        if item_id not in ids:
            ids.append(item_id)
    for service_id in ids:
        url = f"{feed.base}/services/{service_id}"
        try:
            document = feed.get(url)
        except json.JSONDecodeError as error:
            problems.append(_json_problem(url, error))
            yield Record(url, None, "unread")
            continue
        except httpx.HTTPError as error:
            problems.append(Problem(url, service_id, _http_reason(error)))
            yield Record(url, None, "unread")
            continue
        yield Record(url, document, "service")
    for path, hint in (("/taxonomies", "taxonomy"), ("/taxonomy_terms", "taxonomy_term")):
        yield from feed.pages(path, {"per_page": per_page}, hint, required=False)


# --------------------------------------------------------------------------------------------------
# The import
# --------------------------------------------------------------------------------------------------


def _prefixed(where: str, problem: Problem) -> Problem:
    return Problem(f"{where} {problem.where}".strip() if problem.where else where, problem.id, problem.reason)


NOT_IMPORTED = {
    "service_at_location": "is a service at a location, not a service; it was not imported "
    "(import the service itself, which carries its locations)",
    "organization": "is an organisation, not a service; it was not imported "
    "(organisations come in with the services that name them)",
}


def oruk_import(
    *,
    site: Site,
    location: str,
    modified_after: dt.datetime | None = None,
    source: ImportSource | None = None,
    timeout: float = 20,
    per_page: int = 100,
) -> ImportRun:
    """Import the ORUK feed at `location` into `site`'s directory and return the finished run.

    Each service is saved in its own transaction with `Origin.IMPORTED` and `Curation.PUBLISHED`;
    invalid records, duplicate ids, unreadable files, pages and URLs are recorded as problems and the
    rest goes on. If the source cannot be read at all, the run records `failed` and changes nothing.
    Nothing is ever deleted: services missing from the feed stay."""
    run = ImportRun.objects.create(
        source=source, location=location, started_at=timezone.now(), modified_after=modified_after
    )
    problems: list[Problem] = []
    counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    seen: set[tuple[str, str]] = set()
    nested_terms: set[str] = set()

    def reject(problem: Problem) -> None:
        problems.append(problem)
        counts["rejected"] += 1

    def take(record: Record) -> None:
        document = record.document
        record_id = document.get("id") if isinstance(document, dict) else None
        record_id = record_id if isinstance(record_id, str) and record_id else None
        if record.kind == "unread":
            counts["rejected"] += 1
            return
        if record.kind in NOT_IMPORTED:
            reject(Problem(record.where, record_id, NOT_IMPORTED[record.kind]))
            return
        if record_id is not None:
            if record.kind == "taxonomy_term" and record_id in nested_terms:
                return  # already saved with its taxonomy: the same term, listed twice by the feed
            if (record.kind, record_id) in seen:
                reject(Problem(record.where, record_id, DUPLICATE))
                return
        try:
            if record.kind == "service":
                _, outcome = save_service(
                    document=document, site=site, origin=Origin.IMPORTED, curation=Curation.PUBLISHED, source=source
                )
                counts[outcome] += 1
            elif record.kind == "taxonomy":
                outcome, terms = save_taxonomy(document=document)
                counts[outcome] += 1
                for term_id, term_outcome in terms:
                    nested_terms.add(term_id)
                    counts[term_outcome] += 1
            else:
                counts[save_taxonomy_term(document=document)] += 1
        except DocumentInvalid as error:
            problems.extend(_prefixed(record.where, p) for p in error.problems)
            counts["rejected"] += 1
        except DomainError as error:
            reject(Problem(record.where, record_id, error.message))
        else:
            if record_id is not None:
                seen.add((record.kind, record_id))  # a later record with this id is a duplicate

    try:
        if urlsplit(location).scheme in ("http", "https"):
            headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
            with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True, headers=headers) as client:
                feed = Feed(base=location.rstrip("/"), client=client, problems=problems)
                for record in _url_records(feed, modified_after, per_page, problems):
                    take(record)
        else:
            for record in _local_records(location, problems):
                take(record)
    except SourceUnreachable as error:
        run.failed = str(error)
    except Exception as error:
        run.failed = f"The import stopped unexpectedly: {error}"
        _finish(run, counts, problems, source)
        raise
    _finish(run, counts, problems, source)
    return run


def _finish(run: ImportRun, counts: dict[str, int], problems: list[Problem], source: ImportSource | None) -> None:
    run.created, run.updated = counts["created"], counts["updated"]
    run.unchanged, run.rejected = counts["unchanged"], counts["rejected"]
    run.problems = [p.as_dict() for p in problems]
    run.finished_at = timezone.now()
    run.save()
    if source is not None and not run.failed:
        source.last_refreshed_at = run.finished_at
        source.save(update_fields=["last_refreshed_at", "updated_at"])
