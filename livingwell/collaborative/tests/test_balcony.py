"""The balcony statements are the seed's table (seed 000), row by row, with its wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from livingwell.collaborative import balcony
from livingwell.collaborative.models import BalconyPlacement

SEEDS = Path("/work/shared/seeds")


def test_six_pairs_keyed_by_force_and_viewpoint_in_the_tables_order() -> None:
    assert balcony.KEYS == (
        "purpose.people",
        "purpose.practitioners",
        "power.people",
        "power.practitioners",
        "practice.people",
        "practice.practitioners",
    )
    # Every key fits the model's column.
    assert max(len(k) for k in balcony.KEYS) <= BalconyPlacement._meta.get_field("statement").max_length  # type: ignore[operator]
    assert [s.title for s in balcony.STATEMENTS][:2] == [
        "Purpose: people with mental health needs",
        "Purpose: practitioners in the system",
    ]
    assert balcony.statement("power.practitioners") is balcony.BY_KEY["power.practitioners"]
    assert balcony.statement("nonsense") is None
    assert balcony.field_prefix("power.people") == "power_people"


def test_spot_check_the_seeds_wording() -> None:
    s = balcony.BY_KEY
    assert s["purpose.people"].mechanistic == "People with mental health needs are defined by diagnosis of condition."
    assert s["purpose.people"].relational.startswith(
        "People with mental health needs are core to a shared vision that invests in people to lead bigger, better lives"
    )
    # A cell with several sentences keeps them all, each ending in a full stop.
    assert s["power.people"].mechanistic_sentences == (
        "People with mental health needs are best managed by clinical experts.",
        "People with mental health needs are valued when compliant and/or passive recipients of treatment.",
        "People with mental health needs are managed and contained effectively.",
    )
    assert len(s["power.practitioners"].relational_sentences) == 3
    assert "disrupt unhelpful patterns and ways of working." in s["power.practitioners"].relational
    assert s["practice.practitioners"].mechanistic_sentences[1] == (
        "Practitioners in the system do not have permission to use their own judgement."
    )
    # The seed's typo is mended.
    assert "needshave" not in s["practice.people"].relational
    assert (
        "People with mental health needs have capacity and rich resources to draw on."
        in s["practice.people"].relational
    )
    assert "only have to tell their story once." in s["practice.people"].relational


def test_the_intro_is_the_seeds_balcony_perspective() -> None:
    assert "'balcony' perspective" in balcony.INTRO
    assert "step back together" in balcony.INTRO
    assert [f.name for f in balcony.FORCES] == ["Purpose", "Power", "Practice"]
    assert balcony.FORCES[0].aim.startswith("Developing a system wide vision for a renewed and enlarged purpose")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("/ ", "/"))


@pytest.mark.skipif(not SEEDS.exists(), reason="the seeds are not on this machine")
def test_every_sentence_comes_from_the_seed_table() -> None:
    """Each sentence's words appear in order in the seed (the seed has no full stops inside cells), apart
    from the sentence that names the mechanistic words Living Well keeps out of what people read."""
    seed = next(SEEDS.glob("000_*.txt")).read_text().replace("needshave", "needs have").replace("and/ or", "and/or")
    seed_words = " ".join(_words(seed))
    reworded = "Practitioners in the system focus on immediate demand management"
    for statement in balcony.STATEMENTS:
        for sentence in statement.relational_sentences + statement.mechanistic_sentences:
            if sentence.startswith(reworded):
                assert reworded.lower() in seed_words
                continue
            assert " ".join(_words(sentence)) in seed_words, sentence
