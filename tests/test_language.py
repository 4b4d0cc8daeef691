"""Words matter: what people read on Living Well never uses the words of the mechanistic system.

The Living Well model counts introductions, not referrals; it has no thresholds or eligibility
criteria; it supports people, not patients, service users or cases; and support ends by moving on,
never by discharge (the product design, DESIGN.md section 1). These tests hold every page to that:

- each member of the cast signs in and every page they can reach by following links from their home
  page (and a few known addresses) is rendered, and its text is scanned;
- every Jinja template under livingwell/ is scanned too, so a page no test reaches is still covered.

Only what a person reads is scanned: text, the page title, and the attributes that browsers show or
screen readers speak (alt, title, aria-label, placeholder). Scripts, styles, comments, class names
and other attribute values are not, and whole words only, so "showcase" or "lowercase" never match.

Mapping to national standards (FHIR's Patient, ORUK's eligibility) may need a word in a template that
people do not read; such a template is named in ALLOWED_IN_TEMPLATES with the words and the reason.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from livingwell.accounts.models import User
from livingwell.accounts.services import two_factor_required
from livingwell.audit import services as audit
from livingwell.testing import PASSWORD, Cast
from tests.authenticator import give_authenticator

EXCLUDED = re.compile(
    r"\b(?:patients?|referrals?|referred|service[\s-]+users?|cases?|discharg(?:e|es|ed|ing)"
    r"|eligible|ineligible|eligibility|thresholds?)\b",
    re.IGNORECASE,
)

# Templates (relative to livingwell/) that may use some of the words, because they map our records to
# a national standard rather than speak to people: {"interop/jinja2/...": {"patient"}}, with a reason.
ALLOWED_IN_TEMPLATES: dict[str, set[str]] = {}

LIVINGWELL = Path(settings.BASE_DIR) / "livingwell"
SPOKEN_ATTRIBUTES = {"alt", "title", "aria-label", "aria-description", "placeholder"}
NOT_PAGES = ("/static/", "/sign-out/", "/django-admin/", "/api/", "/healthz")
MAX_PAGES_PER_ROLE = 200


class _Reader(HTMLParser):
    """Collects what a person reads or hears from an HTML page."""

    UNREAD = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._unread = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.UNREAD:
            self._unread += 1
            return
        values = dict(attrs)
        self.parts += [value for name, value in attrs if name in SPOKEN_ATTRIBUTES and value]
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(str(values["value"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.UNREAD and self._unread:
            self._unread -= 1

    def handle_data(self, data: str) -> None:
        if not self._unread:
            self.parts.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def readable_text(html: str) -> str:
    """The text a person reads or hears on the page, with whitespace collapsed."""
    return read(html).text()


def excluded_words(text: str) -> list[str]:
    """Each excluded word in `text`, in lower case, with a little context: ["referral: '…a new referral…'"]."""
    found = []
    for match in EXCLUDED.finditer(text):
        context = text[max(0, match.start() - 40) : match.end() + 40]
        found.append(f"{match.group(0).lower()}: '…{context}…'")
    return found


def template_text(source: str) -> str:
    """A template's readable text: Jinja comments removed, tags and unread attributes dropped.

    Jinja expressions stay in, since their strings (macro parameters, messages) are shown to people.
    """
    return readable_text(re.sub(r"\{#.*?#\}", " ", source, flags=re.DOTALL))


# The scanner itself: it must find the words, and only the words.


@pytest.mark.parametrize(
    "sentence",
    [
        "Our patients come first",
        "Patient",
        "Make a new referral",
        "Referrals this month",
        "She was referred by her GP",
        "Service users",
        "service-user involvement",
        "Open cases",
        "Case notes",
        "Discharge summary",
        "He was discharged",
        "Check eligibility",
        "You are not eligible",
        "Ineligible",
        "Below the threshold",
        "Thresholds",
    ],
)
def test_the_scanner_finds_each_excluded_word(sentence: str) -> None:
    assert excluded_words(readable_text(f"<p>{sentence}.</p>"))


def test_the_scanner_ignores_code_and_words_that_merely_contain_them() -> None:
    html = """
        <html><head><title>Showcase</title><style>.case { text-transform: lowercase }</style></head>
        <body class="patient-view" data-referral="1">
          <!-- referral -->
          <script>const patient = "referred"; </script>
          <p class="case">A suitcase, a showcase and a bookcase, in lowercase; caseload and casework.</p>
          <a href="/cases/">People</a>
        </body></html>
    """
    assert excluded_words(readable_text(html)) == []


def test_the_scanner_reads_what_screen_readers_speak() -> None:
    assert excluded_words(readable_text('<img src="x.png" alt="A patient">'))
    assert excluded_words(readable_text('<button aria-label="Discharge">X</button>'))
    assert excluded_words(readable_text('<input type="submit" value="Refer: new referral">'))
    assert excluded_words(readable_text("<title>Cases</title>"))


def test_the_template_scanner_skips_jinja_comments_but_reads_strings() -> None:
    assert template_text("{# no referrals, no thresholds #}<p>{{ name }}</p>").strip() == "{{ name }}"
    assert excluded_words(template_text('{{ insetText({"text": "No referral needed"}) }}'))
    assert excluded_words(template_text("{#- a comment -#}<h1>Patients</h1>"))


# Every template.


def _templates() -> Iterator[Path]:
    yield from sorted(LIVINGWELL.rglob("*.jinja"))


def test_templates_use_our_words() -> None:
    templates = list(_templates())
    assert len(templates) > 20, "the template scan found too few templates to be looking in the right place"
    problems = []
    for path in templates:
        name = str(path.relative_to(LIVINGWELL))
        allowed = ALLOWED_IN_TEMPLATES.get(name, set())
        for found in excluded_words(template_text(path.read_text(encoding="utf-8"))):
            if found.split(":")[0] not in allowed:
                problems.append(f"{name}: {found}")
    assert not problems, "Words we do not use (see tests/test_language.py):\n" + "\n".join(problems)


def test_the_allow_list_names_only_templates_that_exist() -> None:
    for name in ALLOWED_IN_TEMPLATES:
        assert (LIVINGWELL / name).is_file(), f"ALLOWED_IN_TEMPLATES names {name}, which no longer exists"


# Every page each member of the cast can reach.


def _page_links(base_path: str, links: list[str]) -> Iterator[str]:
    for href in links:
        href = urldefrag(href).url
        if not href:
            continue
        if href.startswith("?"):
            href = urlsplit(base_path).path + href
        if href.startswith("/") and not href.startswith("//") and not href.startswith(NOT_PAGES):
            yield href


def crawl(client: Client, seeds: list[str]) -> dict[str, list[str]]:
    """Render every page reachable from `seeds` by following links; return each page's excluded words.

    Every seed must render (a mistyped address may render the not found page), and so must every
    page it links to: the test client raises any server error.
    """
    queue = deque(seeds)
    seen = set(seeds)
    found: dict[str, list[str]] = {}
    while queue:
        path = queue.popleft()
        response = client.get(path, follow=True)
        assert response.status_code in (200, 403, 404), f"{path} answered {response.status_code}"
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        reader = read(html)
        found[path] = excluded_words(reader.text())
        for link in _page_links(path, reader.links):
            if link not in seen and len(seen) < MAX_PAGES_PER_ROLE:
                seen.add(link)
                queue.append(link)
    return found


def _signed_in(user: User, *, verified: bool = True) -> Client:
    """A client signed in as `user`; for roles that need it, with the second factor given."""
    client = Client()
    client.force_login(user)
    if verified and two_factor_required(user):
        device = give_authenticator(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def lived_in(cast: Cast) -> Cast:
    """The cast after some ordinary days: looks at Alex's record, a refused look and emergency access."""
    Client().post("/sign-in/", {"username": cast.team_worker.email, "password": "wrong"})
    _signed_in(cast.team_worker).get(f"/people/{cast.person.pk}/")
    _signed_in(cast.other_team_worker).get(f"/people/{cast.person.pk}/")
    audit.break_glass_open(user=cast.psychiatrist, person=cast.person, reason="Found in distress at A&E at night")
    return cast


VISITS: dict[str, list[str]] = {
    # member of the cast (or "visitor" for someone signed out): addresses to start from besides /home/
    "visitor": ["/", "/sign-in/", "/get-help-now/", "/how-we-use-your-information/", "/accessibility/", "/nowhere/"],
    "team_worker": ["/people/", "/people/{person}/"],
    "allocated_worker": ["/people/{person}/"],
    "team_leader": [],
    "other_team_worker": ["/people/{person}/"],
    "consent_worker": ["/people/{person}/"],
    "coordinator": ["/people/{newcomer}/"],
    "analyst": [],
    "site_admin": ["/network/"],
    "privacy_officer": ["/privacy/access-log/", "/privacy/emergency-access/"],
    "psychiatrist": ["/people/emergency-access/", "/people/{person}/emergency-access/", "/people/{person}/"],
    "person_user": ["/people/me/", "/people/me/access-log/"],
    "stranger": [],
}


@pytest.mark.parametrize("who", list(VISITS))
def test_pages_people_read_use_our_words(lived_in: Cast, who: str) -> None:
    cast = lived_in
    seeds = [s.format(person=cast.person.pk, newcomer=cast.newcomer.pk) for s in VISITS[who]]
    if who == "visitor":
        client = Client()
    else:
        client = _signed_in(getattr(cast, who))
        seeds = ["/home/", *seeds]

    found = crawl(client, seeds)

    assert set(seeds) <= set(found), "every starting page should have rendered as HTML"
    problems = [f"{path}: {word}" for path, words in found.items() for word in words]
    assert not problems, f"Words we do not use, on pages {who} reads:\n" + "\n".join(problems)


def test_sign_in_and_two_factor_pages_use_our_words(cast: Cast) -> None:
    pages = []
    visitor = Client()
    pages.append(visitor.post("/sign-in/", {"username": cast.team_worker.email, "password": "wrong"}))
    pages.append(visitor.post("/sign-in/", {"username": "", "password": ""}))

    # A privacy officer between their password and their code, and a site administrator setting up an app
    officer = Client()
    give_authenticator(cast.privacy_officer)
    officer.post("/sign-in/", {"username": cast.privacy_officer.email, "password": PASSWORD})
    pages.append(officer.get("/two-factor/"))
    pages.append(officer.post("/two-factor/", {"code": "000000"}))
    administrator = _signed_in(cast.site_admin, verified=False)
    pages.append(administrator.get("/two-factor/set-up/"))
    pages.append(administrator.post("/two-factor/set-up/", {"code": "12"}))

    for response in pages:
        assert response.status_code == 200
        assert b"<h1" in response.content
    problems = [word for response in pages for word in excluded_words(readable_text(response.content.decode()))]
    assert not problems, "Words we do not use, on the sign-in pages:\n" + "\n".join(problems)
