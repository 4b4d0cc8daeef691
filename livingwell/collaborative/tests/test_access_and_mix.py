"""The shared rules of the Collaborative: who runs what, and the mix of people, against hand counts."""

from __future__ import annotations

import pytest

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.collaborative import access
from livingwell.collaborative.mix import mix_of, percent, share_text
from livingwell.collaborative.tests.conftest import Collab, make_collab_member
from livingwell.network.models import Sector

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [(0, 1, 0), (1, 3, 33), (2, 3, 67), (5, 8, 63), (1, 8, 13), (1, 200, 1), (1, 201, 0), (7, 7, 100), (0, 0, None)],
)
def test_percent_rounds_halves_up(count: int, total: int, expected: int | None) -> None:
    assert percent(count, total) == expected


def test_share_text() -> None:
    assert share_text(5, 12) == "5 of 12 (42%)"
    assert share_text(0, 0) == "none yet"


def test_mix_counts_each_member_once_and_under_each_perspective(collab: Collab) -> None:
    peer = make_collab_member(
        collab.site, known_as="Peer", lived_experience=True, staff=True, organisation=collab.cast.charity
    )
    members = [
        collab.chair,
        collab.co_chair,
        collab.lived,
        collab.carer,
        collab.staff_member,
        collab.commissioner,
        peer,
        peer,
    ]
    mix = mix_of(members, guests=3)
    # Hand count: 7 different members; lived experience: co_chair, lived, peer = 3; carers: 1;
    # staff: chair (voluntary), staff_member (NHS trust), peer (voluntary) = 3; commissioner 1.
    assert mix.total == 7
    assert mix.lived_experience == 3
    assert mix.lived_experience_share == 43
    assert mix.lived_experience_text == "3 of 7 (43%)"
    assert dict(mix.rows()) == {
        "Lived experience of mental health": 3,
        "Carer, family member or friend": 1,
        "Works in the network": 3,
        "Commissioner": 1,
    }
    assert mix.sector_rows() == [("Voluntary and community", 2), ("Local authority", 1), ("NHS trust", 1)]
    assert mix.guests == 3
    assert dict(Sector.choices)[Sector.VOLUNTARY] == "Voluntary and community"


def test_leads_stewards_and_runners(collab: Collab) -> None:
    cast = collab.cast
    assert access.is_steward(collab.chair.user, collab.site)
    assert access.is_steward(collab.co_chair.user, collab.site)
    assert access.is_steward(cast.site_admin, collab.site)
    assert not access.is_steward(collab.design_lead.user, collab.site)
    assert access.can_run(collab.design_lead.user, collab.design)
    assert access.can_run(collab.chair.user, collab.design)  # a steward may run any group
    assert not access.can_run(collab.lived.user, collab.design)
    assert not access.can_run(collab.outsider, collab.design)
    assert access.site_for(collab.lived.user) == collab.site


def test_refusals_are_recorded_with_the_area(collab: Collab) -> None:
    with pytest.raises(AccessRefused):
        access.require_member(collab.outsider, collab.site, what="groups")
    with pytest.raises(AccessRefused):
        access.require_run(collab.lived.user, collab.design, what="session")
    refused = list(AuditEvent.objects.filter(outcome=Outcome.REFUSED).order_by("id"))
    assert [e.detail["what"] for e in refused] == ["groups", "session"]
    assert all(e.detail["area"] == "collaborative" for e in refused)
    assert refused[1].detail["id"] == str(collab.design.pk)
