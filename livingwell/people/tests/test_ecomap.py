"""The ecomap: its geometry (nothing overlaps, up to 30 people), its words, its escaping, and the pages."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from livingwell.audit.models import AuditEvent
from livingwell.people import ecomap
from livingwell.people.models import Connection, Relationship, RelationshipKind
from livingwell.testing import Cast

SVG = "{http://www.w3.org/2000/svg}"
KINDS = [k for k, _ in RelationshipKind.choices]
CONNECTIONS = [c for c, _ in Connection.choices]
NAMES = [
    "Jo Morgan",
    "Mum",
    "Dr Priya Raman",
    "St Mark's Church lunch club on Tuesdays and Thursdays",
    "Wiktoria Wiśniewska",
    "李小龍",
    "Kwame Mensah-Boateng",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "Sam & <Co>",
    "Aunt Bea",
]


def people(n: int, names: list[str] | None = None) -> list[Relationship]:
    names = names or NAMES
    return [
        Relationship(
            name=names[i % len(names)] + ("" if i < len(names) else f" {i}"),
            kind=KINDS[(i * 7) % len(KINDS)],
            connection=CONNECTIONS[i % 3],
            wants_involved=i % 2 == 0,
        )
        for i in range(n)
    ]


def _segment_meets_box(x1: float, y1: float, x2: float, y2: float, box: ecomap.Box) -> bool:
    """Liang-Barsky clipping: does the segment enter the box's inside?"""
    t0, t1 = 0.0, 1.0
    dx, dy = x2 - x1, y2 - y1
    for p, q in ((-dx, x1 - box.x0), (dx, box.x1 - x1), (-dy, y1 - box.y0), (dy, box.y1 - y1)):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return False
    return True


def assert_nothing_overlaps(drawn: ecomap.Ecomap) -> None:
    placed = drawn.people
    for a, b in itertools.combinations(placed, 2):
        assert not a.label.overlaps(b.label), (a.name, b.name)
        assert math.hypot(a.x - b.x, a.y - b.y) >= 2 * ecomap.NODE_R, (a.name, b.name)
    for p in placed:
        assert not p.label.meets_circle(drawn.cx, drawn.cy, drawn.centre_r), p.name
        assert math.hypot(p.x - drawn.cx, p.y - drawn.cy) > drawn.centre_r + ecomap.NODE_R, p.name
        assert p.label.x0 >= 0 and p.label.x1 <= drawn.width, p.name
        assert p.label.y0 >= 0 and p.label.y1 < drawn.legend_top, p.name
        for q in placed:
            assert not p.label.meets_circle(q.x, q.y, ecomap.NODE_R), (p.name, q.name)
            if q is not p:
                assert not _segment_meets_box(*drawn.line_ends(q), p.label), (q.name, "line crosses", p.name)


@pytest.mark.parametrize("n", range(1, 31))
def test_nothing_overlaps_for_up_to_30_people(n: int) -> None:
    assert_nothing_overlaps(ecomap.layout(people(n), centre_name="Alex Morgan"))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=150)
            .map(lambda s: " ".join(s.split()))
            .filter(bool),
            st.sampled_from(KINDS),
            st.sampled_from(CONNECTIONS),
            st.booleans(),
        ),
        min_size=1,
        max_size=30,
    ),
    st.text(min_size=1, max_size=80).map(lambda s: " ".join(s.split()) or "A"),
)
def test_nothing_overlaps_whatever_the_names(rows: list[tuple[str, str, str, bool]], centre: str) -> None:
    relationships = [Relationship(name=n, kind=k, connection=c, wants_involved=w) for n, k, c, w in rows]
    drawn = ecomap.layout(relationships, centre_name=centre)
    assert_nothing_overlaps(drawn)
    svg = ecomap.ecomap_svg(relationships, centre_name=centre, own=False)
    ET.fromstring(str(svg))  # noqa: S314 (our own output) always well-formed: every name is escaped


def test_the_same_network_is_drawn_the_same_way_whatever_the_order() -> None:
    network = people(12)
    first = ecomap.ecomap_svg(network, centre_name="Alex Morgan", own=False)
    again = ecomap.ecomap_svg(list(reversed(network)), centre_name="Alex Morgan", own=False)
    assert str(first) == str(again)


def test_people_are_grouped_by_kind_clockwise() -> None:
    drawn = ecomap.layout(people(9), centre_name="Alex Morgan")
    angles = [math.atan2(p.x - drawn.cx, -(p.y - drawn.cy)) % (2 * math.pi) for p in drawn.people]
    kinds_clockwise = [p.kind for _, p in sorted(zip(angles, drawn.people, strict=True), key=lambda pair: pair[0])]
    assert kinds_clockwise == [k for k in ecomap.KIND_ORDER if k in kinds_clockwise]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, which these tests check)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_every_name_is_in_the_picture_and_names_are_escaped() -> None:
    network = people(10)
    svg = str(ecomap.ecomap_svg(network, centre_name="Alex <b>Morgan</b> & co", own=False))
    assert "<b>" not in svg and "<Co>" not in svg
    assert "Sam &amp; &lt;Co&gt;" in svg
    root = parse(svg)
    drawn_words = " ".join(texts(root))
    for r in network:
        line_by_line = "".join(r.name.split())
        assert line_by_line in "".join(drawn_words.split()), r.name
    assert "Sam & <Co>" in texts(root)  # one line, exactly as typed once unescaped


def test_it_is_an_image_with_a_title_and_a_description_in_words() -> None:
    network = [
        Relationship(name="Jo", kind="family", connection="strong", wants_involved=True),
        Relationship(name="Sam", kind="friend", connection="strained", wants_involved=False),
        Relationship(name="Dr Raman", kind="professional", connection="some", wants_involved=True),
    ]
    root = parse(str(ecomap.ecomap_svg(network, centre_name="Alex Morgan", own=False)))
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "The network of Alex Morgan"
    assert desc.text == (
        "Alex Morgan is at the centre. 3 people are in their network. "
        "Family: Jo (strong connection, wanted involved in support). "
        "Friend: Sam (strained or stressful connection, not involved in support). "
        "Professional: Dr Raman (some connection, wanted involved in support)."
    )
    own = parse(str(ecomap.ecomap_svg(network[:1], centre_name="Alex Morgan", own=True)))
    assert own.find(f"{SVG}title").text == "Your network"  # type: ignore[union-attr]
    assert own.find(f"{SVG}desc").text == (  # type: ignore[union-attr]
        "You are at the centre. 1 person is in your network. "
        "Family: Jo (strong connection, you want them involved in your support)."
    )
    assert "You" in texts(own)


def test_the_line_style_says_how_the_connection_feels_and_the_key_says_so() -> None:
    network = [
        Relationship(name="Strong one", kind="family", connection="strong"),
        Relationship(name="Some one", kind="family", connection="some"),
        Relationship(name="Strained one", kind="family", connection="strained"),
    ]
    root = parse(str(ecomap.ecomap_svg(network, centre_name="Alex", own=False)))
    lines = list(root.iter(f"{SVG}line"))[:3]  # the network's lines come first, the key's after
    drawn = ecomap.layout(network, centre_name="Alex")
    style = {
        p.name: (line.get("stroke-width"), line.get("stroke-dasharray"))
        for p, line in zip(drawn.people, lines, strict=True)
    }
    assert style == {"Strong one": ("5", None), "Some one": ("2", None), "Strained one": ("2.5", "8 6")}
    words = texts(root)
    for key in (
        "Key",
        "Strong connection",
        "Some connection",
        "Strained or stressful",
        "Wanted involved in support",
        "Not involved in support",
    ):
        assert key in words


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_have_enough_contrast() -> None:
    svg = str(ecomap.ecomap_svg(people(6), centre_name="Alex Morgan", own=False))
    text_colours = set(re.findall(r'<text [^>]*fill="(#[0-9a-f]{6})"', svg))
    assert text_colours <= {ecomap.TEXT, ecomap.SECONDARY}
    for colour in text_colours:
        assert contrast(colour, ecomap.WHITE) >= 4.5  # text (WCAG AA)
    assert contrast(ecomap.TEXT, ecomap.CENTRE_FILL) >= 4.5  # the name at the centre
    for colour in set(re.findall(r'stroke="(#[0-9a-f]{6})"', svg)) - {ecomap.WHITE}:
        assert contrast(colour, ecomap.WHITE) >= 3  # lines and markers (WCAG non-text contrast)
    assert contrast(ecomap.WHITE, ecomap.BLUE) >= 3  # the tick on the filled marker


def test_nobody_in_the_network_draws_nothing() -> None:
    assert str(ecomap.ecomap_svg([], centre_name="Alex", own=False)) == ""
    assert ecomap.describe([], centre_name="Alex", own=True) == (
        "You are at the centre. Nobody has been added to your network yet."
    )


# ---- the pages ----------------------------------------------------------------------------------


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.django_db
def test_staff_and_the_person_see_the_ecomap_with_the_table_alternative(cast: Cast) -> None:
    Relationship.objects.create(
        person=cast.person, name="Jo <Morgan>", kind="family", connection="strong", wants_involved=True
    )
    Relationship.objects.create(person=cast.person, name="Sam", kind="friend", connection="strained")
    staff = client_for(cast.team_worker).get(reverse("people:record", args=[cast.person.pk])).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in staff and 'role="img"' in staff
    assert "Alex Morgan is at the centre. 2 people are in their network." in staff
    assert "Jo &lt;Morgan&gt; (strong connection, wanted involved in support)" in staff
    assert '<th scope="col">Connection</th>' in staff
    assert "<td>Strained or stressful</td>" in staff
    assert "The table below says the same in words" in staff
    own = client_for(cast.person_user).get(reverse("people:me")).content.decode()
    assert "You are at the centre. 2 people are in your network." in own
    assert '<h2 id="network">Your network</h2>' in own
    consent = client_for(cast.consent_worker).get(reverse("people:record", args=[cast.person.pk])).content.decode()
    assert "Alex Morgan is at the centre" in consent
    assert "/change/" not in consent.split('id="network"')[1]  # the consent worker changes nothing


@pytest.mark.django_db
def test_the_connection_is_asked_when_adding_and_changing_someone(cast: Cast) -> None:
    client = client_for(cast.person_user)
    add = reverse("people:add_relationship", args=[cast.person.pk])
    form = client.get(add).content.decode()
    assert "How does the connection with them feel?" in form
    assert 'value="some" checked' in form  # the default, so nobody has to choose
    client.post(add, {"name": "Jo", "kind": "friend", "connection": "strong"})
    relationship = Relationship.objects.get(person=cast.person)
    assert relationship.connection == "strong"

    change = reverse("people:change_relationship", args=[cast.person.pk, relationship.pk])
    assert f'href="{change}"' in client.get(reverse("people:me")).content.decode()
    page = client.get(change).content.decode()
    assert "<h1>Change what the record says about Jo</h1>" in page
    assert 'value="strong" checked' in page
    html = client.post(change, {"name": "Jo", "kind": "friend", "connection": "sometimes"}).content.decode()
    assert "Select how the connection feels" in html
    response = client.post(
        change, {"name": "Jo", "kind": "friend", "connection": "strained", "part_they_play": "Walks"}
    )
    assert response["Location"] == reverse("people:me") + "#network"
    relationship.refresh_from_db()
    assert (relationship.connection, relationship.part_they_play) == ("strained", "Walks")
    event = AuditEvent.objects.filter(actor=cast.person_user, person_id=cast.person.pk, action="change").latest("id")
    assert (event.parts, event.basis, event.detail["fields"]) == (["network"], "self", ["part_they_play", "connection"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("team_worker", 200),
        ("allocated_worker", 200),
        ("person_user", 200),
        ("consent_worker", 403),
        ("other_team_worker", 403),
        ("stranger", 403),
    ],
)
def test_who_may_change_someone_in_the_network(cast: Cast, who: str, status: int) -> None:
    relationship = Relationship.objects.create(person=cast.person, name="Jo", kind="friend")
    user = getattr(cast, who)
    url = reverse("people:change_relationship", args=[cast.person.pk, relationship.pk])
    assert client_for(user).get(url).status_code == status
    response = client_for(user).post(url, {"name": "Jo", "kind": "friend", "connection": "strained"})
    relationship.refresh_from_db()
    assert (relationship.connection == "strained") == (status == 200)
    events = AuditEvent.objects.filter(actor=user, person_id=cast.person.pk)
    if status == 200:
        assert response.status_code == 302
        assert events.filter(action="change", parts=["network"], outcome="allowed").exists()
    else:
        assert response.status_code == 403
        assert events.filter(outcome="refused").count() == 2


@pytest.mark.django_db
def test_another_persons_relationship_is_not_found(cast: Cast) -> None:
    theirs = Relationship.objects.create(person=cast.newcomer, name="Pat", kind="friend")
    url = reverse("people:change_relationship", args=[cast.person.pk, theirs.pk])
    assert client_for(cast.team_worker).get(url).status_code == 404
