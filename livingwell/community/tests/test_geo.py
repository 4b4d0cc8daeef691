"""Postcode shapes, great-circle distances, bounding boxes and `within` against hand-computed cases."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livingwell.community.geo import (
    EARTH_RADIUS_M,
    bounding_box,
    display_postcode,
    haversine_metres,
    normalise_postcode,
    where_is,
    within,
)
from livingwell.community.models import Location, Postcode

# One degree of arc on the sphere, by hand: 2 * pi * 6,371,008.8 m / 360.
ONE_DEGREE_M = 111_195.08023353


def destination(lat: float, lng: float, bearing: float, metres: float) -> tuple[float, float]:
    """The point `metres` from (lat, lng) along `bearing` degrees (spherical direct formula), with its
    longitude brought back into -180..180."""
    phi1, lambda1, theta = math.radians(lat), math.radians(lng), math.radians(bearing)
    delta = metres / EARTH_RADIUS_M
    phi2 = math.asin(math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta))
    lambda2 = lambda1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1), math.cos(delta) - math.sin(phi1) * math.sin(phi2)
    )
    lng2 = (math.degrees(lambda2) + 540.0) % 360.0 - 180.0
    return math.degrees(phi2), lng2


def law_of_cosines_metres(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """An independent formula for the same distance (good away from very short distances)."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lng2 - lng1)
    cosine = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return EARTH_RADIUS_M * math.acos(max(-1.0, min(1.0, cosine)))


# Postcodes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SW9 8AB", "SW98AB"),
        ("sw98ab", "SW98AB"),
        ("  se1  7eh ", "SE17EH"),
        ("SE11 4AZ", "SE114AZ"),
        ("W1A 1AA", "W1A1AA"),
        ("EC1A 1BB", "EC1A1BB"),
        ("M1 1AE", "M11AE"),
        ("B33 8TH", "B338TH"),
        ("CR2 6XH", "CR26XH"),
        ("DN55 1PT", "DN551PT"),
        ("sw9-8ab", "SW98AB"),
        ("GIR 0AA", "GIR0AA"),
        ("", ""),
        (None, ""),
        ("SW9", ""),
        ("8AB", ""),
        ("SW9 8A", ""),
        ("SW9 8ABC", ""),
        ("99 8AB", ""),
        ("SW9 AAB", ""),
        ("ABC1 2DE", ""),
        ("not a postcode", ""),
        ("SW9 8A£", ""),
    ],
)
def test_normalise_postcode(text: str | None, expected: str) -> None:
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("SW98AB", "SW9 8AB"),
        ("sw9 8ab", "SW9 8AB"),
        ("EC1A1BB", "EC1A 1BB"),
        ("M11AE", "M1 1AE"),
        ("SE114AZ", "SE11 4AZ"),
        (" not one ", "not one"),
        ("", ""),
    ],
)
def test_display_postcode(code: str, expected: str) -> None:
    assert display_postcode(code) == expected


# Distances


def test_the_same_point_is_no_distance_away() -> None:
    assert haversine_metres(51.4613, -0.1156, 51.4613, -0.1156) == 0.0


def test_a_hundredth_of_a_degree_of_latitude_is_1111_95_metres() -> None:
    # 2 * pi * 6,371,008.8 / 36,000 = 1,111.9508 m, anywhere on the Earth.
    assert haversine_metres(51.50, -0.1, 51.51, -0.1) == pytest.approx(1_111.9508, abs=0.001)
    assert haversine_metres(-10.0, 120.0, -10.01, 120.0) == pytest.approx(1_111.9508, abs=0.001)


def test_a_degree_of_longitude_on_the_equator_and_at_60_degrees() -> None:
    assert haversine_metres(0.0, 1.0, 0.0, 2.0) == pytest.approx(ONE_DEGREE_M, abs=0.001)
    # At 60 degrees north a degree of longitude is half as long (cos 60 = 0.5), and the great circle
    # is a little shorter than the parallel: 2 R asin(cos 60 * sin 0.5 degrees).
    expected = 2 * EARTH_RADIUS_M * math.asin(0.5 * math.sin(math.radians(0.5)))
    assert haversine_metres(60.0, 0.0, 60.0, 1.0) == pytest.approx(expected, abs=0.001)
    assert expected == pytest.approx(ONE_DEGREE_M / 2, rel=1e-4)


def test_london_to_paris_is_about_343_5_km() -> None:
    london, paris = (51.5074, -0.1278), (48.8566, 2.3522)
    metres = haversine_metres(*london, *paris)
    assert metres == pytest.approx(343_500, abs=500)
    assert metres == pytest.approx(law_of_cosines_metres(*london, *paris), abs=0.01)
    assert haversine_metres(*paris, *london) == metres


def test_opposite_sides_of_the_earth_are_half_its_circumference_apart() -> None:
    half_way_round = math.pi * EARTH_RADIUS_M  # 20,015,114.44 m
    assert haversine_metres(0.0, 0.0, 0.0, 180.0) == pytest.approx(half_way_round, abs=0.001)
    assert haversine_metres(51.5, -0.1, -51.5, 179.9) == pytest.approx(half_way_round, abs=0.001)
    assert haversine_metres(90.0, 0.0, -90.0, 0.0) == pytest.approx(half_way_round, abs=0.001)


@given(
    st.floats(-89.0, 89.0),
    st.floats(-180.0, 180.0),
    st.floats(-89.0, 89.0),
    st.floats(-180.0, 180.0),
)
def test_haversine_agrees_with_the_law_of_cosines(lat1: float, lng1: float, lat2: float, lng2: float) -> None:
    # The law of cosines loses precision for short distances, so compare to within a metre.
    assert haversine_metres(lat1, lng1, lat2, lng2) == pytest.approx(
        law_of_cosines_metres(lat1, lng1, lat2, lng2), abs=1.0
    )


# Bounding boxes


@settings(max_examples=300)
@given(
    lat=st.floats(-89.9, 89.9),
    lng=st.floats(-180.0, 180.0),
    metres=st.floats(0.0, 3_000_000.0),
    bearing=st.floats(0.0, 360.0),
)
def test_the_box_holds_every_point_of_the_circle(lat: float, lng: float, metres: float, bearing: float) -> None:
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, metres)
    point_lat, point_lng = destination(lat, lng, bearing, metres)
    assert min_lat <= point_lat <= max_lat
    assert min_lng <= point_lng <= max_lng


@pytest.mark.parametrize("lat", [0.0, 30.0, 51.5, 60.0, 70.0, 80.0, 85.0, 89.0, -51.5, -85.0])
def test_the_box_holds_the_circle_at_many_latitudes(lat: float) -> None:
    for metres in (10.0, 1_000.0, 25_000.0, 100_000.0):
        min_lat, max_lat, min_lng, max_lng = bounding_box(lat, 10.0, metres)
        for step in range(720):
            point_lat, point_lng = destination(lat, 10.0, step / 2, metres)
            assert min_lat <= point_lat <= max_lat
            assert min_lng <= point_lng <= max_lng


def test_the_box_is_no_bigger_than_it_needs_to_be_in_london() -> None:
    min_lat, max_lat, min_lng, max_lng = bounding_box(51.5, -0.1, 1_000.0)
    # 1 km is 0.008993 degrees of latitude, and 0.008993 / cos(51.5 degrees) = 0.014446 of longitude.
    assert (max_lat - min_lat) / 2 == pytest.approx(0.0089932, abs=1e-6)
    assert (max_lng - min_lng) / 2 == pytest.approx(0.0144467, abs=1e-6)


def test_a_circle_round_a_pole_takes_every_longitude() -> None:
    assert bounding_box(89.99, 45.0, 5_000.0)[2:] == (-180.0, 180.0)
    assert bounding_box(89.99, 45.0, 5_000.0)[1] == 90.0
    assert bounding_box(-89.99, 45.0, 5_000.0)[0] == -90.0
    # Just short of the pole, the box is wide but not the whole world.
    min_lng, max_lng = bounding_box(89.9, 45.0, 5_000.0)[2:]
    assert -180.0 < min_lng < max_lng < 180.0


def test_a_circle_across_the_180th_meridian_takes_every_longitude() -> None:
    assert bounding_box(0.0, 179.99, 5_000.0)[2:] == (-180.0, 180.0)
    assert bounding_box(0.0, -179.99, 5_000.0)[2:] == (-180.0, 180.0)


def test_a_circle_as_big_as_the_world_is_the_world() -> None:
    assert bounding_box(10.0, 10.0, 30_000_000.0) == (-90.0, 90.0, -180.0, 180.0)


def test_a_negative_distance_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        bounding_box(51.5, -0.1, -1.0)


# Within, in the database


HOME = (51.4613, -0.1156)  # Brixton


@pytest.fixture
def around_brixton(db: None) -> dict[str, tuple[float, float]]:
    """Postcodes at known distances and bearings from HOME: just inside and just outside 1 km in
    several directions, and some further away."""
    points = {
        "SW98AA": HOME,
        "SW98AB": destination(*HOME, 0.0, 999.0),
        "SW98AD": destination(*HOME, 0.0, 1_001.0),
        "SW98AE": destination(*HOME, 90.0, 998.0),
        "SW98AF": destination(*HOME, 90.0, 1_001.0),
        "SW98AG": destination(*HOME, 180.0, 500.0),
        "SW98AH": destination(*HOME, 225.0, 999.5),
        "SW98AJ": destination(*HOME, 225.0, 1_000.5),
        "SW98AL": destination(*HOME, 300.0, 250.0),
        "SE17AA": (51.4975, -0.1155),  # Lambeth North, about 4 km away
        "SE191AA": (51.4180, -0.0920),
    }
    Postcode.objects.bulk_create(Postcode(code=code, lat=lat, lng=lng) for code, (lat, lng) in points.items())
    return points


def test_within_finds_the_points_inside_the_circle_nearest_first(
    around_brixton: dict[str, tuple[float, float]],
) -> None:
    found = list(within(Postcode.objects.all(), lat=HOME[0], lng=HOME[1], metres=1_000.0))
    assert [p.code for p in found] == ["SW98AA", "SW98AL", "SW98AG", "SW98AE", "SW98AB", "SW98AH"]
    for postcode in found:
        expected = haversine_metres(*HOME, postcode.lat, postcode.lng)
        assert postcode.distance == pytest.approx(expected, abs=1e-6)  # type: ignore[attr-defined]
    assert found[0].distance == pytest.approx(0.0, abs=1e-6)  # type: ignore[attr-defined]
    assert found[4].distance == pytest.approx(999.0, abs=1e-3)  # type: ignore[attr-defined]


def test_within_a_wider_circle_takes_in_lambeth_north(around_brixton: dict[str, tuple[float, float]]) -> None:
    lambeth_north = haversine_metres(*HOME, 51.4975, -0.1155)
    assert lambeth_north == pytest.approx(4_025, abs=5)
    inside = within(Postcode.objects.all(), lat=HOME[0], lng=HOME[1], metres=lambeth_north + 1)
    outside = within(Postcode.objects.all(), lat=HOME[0], lng=HOME[1], metres=lambeth_north - 1)
    assert "SE17AA" in {p.code for p in inside}
    assert "SE17AA" not in {p.code for p in outside}
    assert list(inside.values_list("code", flat=True))[-1] == "SE17AA"


def test_within_keeps_the_queryset_filters_and_names_the_distance(
    around_brixton: dict[str, tuple[float, float]],
) -> None:
    found = within(
        Postcode.objects.filter(code__startswith="SW98A").exclude(code="SW98AA"),
        lat=HOME[0],
        lng=HOME[1],
        metres=600.0,
        annotate_as="metres_away",
    )
    rows = [(postcode.code, getattr(postcode, "metres_away")) for postcode in found]  # noqa: B009
    assert [code for code, _ in rows] == ["SW98AL", "SW98AG"]
    assert [round(metres) for _, metres in rows] == [250, 500]


def test_within_follows_other_field_names_and_leaves_out_places_with_no_position(db: None) -> None:
    Location.objects.create(id="here", name="Here", lat=HOME[0], lng=HOME[1])
    Location.objects.create(id="near", name="Near", lat=HOME[0] + 0.001, lng=HOME[1])
    Location.objects.create(id="nowhere", name="Nowhere")
    Location.objects.create(id="far", name="Far", lat=HOME[0] + 0.1, lng=HOME[1])
    found = within(Location.objects.all(), lat=HOME[0], lng=HOME[1], metres=200.0)
    assert [(loc.id, round(loc.distance)) for loc in found] == [("here", 0), ("near", 111)]  # type: ignore[attr-defined]


def test_within_at_a_high_latitude_and_across_the_180th_meridian(db: None) -> None:
    tromso = (69.6492, 18.9553)
    Postcode.objects.create(code="AA11AA", lat=tromso[0], lng=tromso[1] + 0.02)  # about 774 m east
    Postcode.objects.create(code="AA11AB", lat=tromso[0], lng=tromso[1] + 0.03)  # about 1,161 m east
    fiji = (-16.5, 179.999)
    Postcode.objects.create(code="BB11AA", lat=fiji[0], lng=-179.999)  # about 213 m, over the line
    found = {p.code: p.distance for p in within(Postcode.objects.all(), lat=tromso[0], lng=tromso[1], metres=1_000.0)}  # type: ignore[attr-defined]
    assert list(found) == ["AA11AA"]
    assert found["AA11AA"] == pytest.approx(haversine_metres(*tromso, tromso[0], tromso[1] + 0.02), abs=1e-6)
    over = list(within(Postcode.objects.all(), lat=fiji[0], lng=fiji[1], metres=1_000.0))
    assert [p.code for p in over] == ["BB11AA"]
    assert over[0].distance == pytest.approx(haversine_metres(*fiji, fiji[0], -179.999), abs=1e-6)  # type: ignore[attr-defined]


def test_within_a_huge_circle_does_not_fail_at_the_far_side_of_the_world(db: None) -> None:
    Postcode.objects.create(code="AA11AA", lat=0.0, lng=0.0)
    Postcode.objects.create(code="AA11AB", lat=0.0, lng=180.0)
    found = list(within(Postcode.objects.all(), lat=0.0, lng=0.0, metres=math.pi * EARTH_RADIUS_M + 1))
    assert [p.code for p in found] == ["AA11AA", "AA11AB"]
    assert found[1].distance == pytest.approx(math.pi * EARTH_RADIUS_M, abs=0.01)  # type: ignore[attr-defined]


def test_where_is_a_postcode(around_brixton: dict[str, tuple[float, float]]) -> None:
    assert where_is("sw9 8aa") == pytest.approx(HOME)
    assert where_is("SE1 7AA") == (51.4975, -0.1155)
    assert where_is("SW9 8ZZ") is None
    assert where_is("not a postcode") is None
    assert where_is("") is None
