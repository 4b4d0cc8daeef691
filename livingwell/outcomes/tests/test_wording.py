"""`manage.py load_instrument_text FILE`: a site loads its licensed wording of SWEMWBS and ReQoL-10.

The wording here is placeholder text: the licensed words never ship with Living Well, and no test
needs them. Every failure is a CommandError that says what to put right, and leaves whatever was
loaded before exactly as it was.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from livingwell.outcomes.instruments import get_instrument
from livingwell.outcomes.models import InstrumentWording
from livingwell.outcomes.wording import worded

pytestmark = pytest.mark.django_db


def placeholder(code: str, *, mark: str = "", **changes: Any) -> dict[str, Any]:
    """A complete wording file entry for a licensed instrument, in placeholder words."""
    instrument = get_instrument(code)
    values = range(instrument.items[0].minimum, instrument.items[0].maximum + 1)
    entry: dict[str, Any] = {
        "instrument": code,
        "version": instrument.version,
        "source": f"Placeholder for tests{mark}",
        "title": f"{instrument.name} (placeholder{mark})",
        "instructions": "Placeholder instructions: load your licensed wording.",
        "items": {str(i.position): f"Placeholder statement {i.position}{mark}" for i in instrument.items},
        "options": {str(v): f"Placeholder response {v}{mark}" for v in values},
    }
    entry.update(changes)
    return entry


def write(tmp_path: Path, content: Any, name: str = "wording.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def load(path: Path) -> str:
    out = io.StringIO()
    call_command("load_instrument_text", str(path), stdout=out)
    return out.getvalue()


def loaded() -> list[tuple[Any, ...]]:
    return list(
        InstrumentWording.objects.order_by("instrument").values_list(
            "instrument", "instrument_version", "title", "instructions", "items", "options", "source", "loaded_at"
        )
    )


def test_licensed_instruments_have_no_words_until_the_site_loads_them(tmp_path: Path) -> None:
    swemwbs = get_instrument("swemwbs")
    assert worded(swemwbs) is None and worded(get_instrument("reqol10")) is None
    assert worded(get_instrument("dialog")) is not None  # free to use: its words ship in the definition

    out = load(write(tmp_path, placeholder("swemwbs")))
    assert out.strip() == "Loaded the wording of swemwbs version 1: 7 items, 5 responses."
    words = worded(swemwbs)
    assert words is not None
    assert words.title == "SWEMWBS (placeholder)"
    assert words.instructions == "Placeholder instructions: load your licensed wording."
    assert [words.text(item) for item in swemwbs.items] == [f"Placeholder statement {n}" for n in range(1, 8)]
    assert [(o.value, o.label) for o in words.options(swemwbs.items[0])] == [
        (v, f"Placeholder response {v}") for v in range(1, 6)
    ]
    assert worded(get_instrument("reqol10")) is None  # only what was in the file


def test_one_file_can_hold_both_instruments_and_items_as_a_list(tmp_path: Path) -> None:
    reqol = placeholder("reqol10")
    reqol["items"] = [{"position": int(p), "text": text} for p, text in reqol["items"].items()]
    out = load(write(tmp_path, [placeholder("swemwbs"), reqol]))
    assert "swemwbs version 1: 7 items, 5 responses" in out
    assert "reqol10 version 1: 10 items, 5 responses" in out
    words = worded(get_instrument("reqol10"))
    assert words is not None
    assert words.text(get_instrument("reqol10").item_at(10)) == "Placeholder statement 10"
    assert words.option_text[0] == "Placeholder response 0"


def test_loading_again_replaces_the_words(tmp_path: Path) -> None:
    load(write(tmp_path, placeholder("swemwbs")))
    load(write(tmp_path, placeholder("swemwbs", mark=" (2025 edition)"), "again.json"))
    assert InstrumentWording.objects.count() == 1
    wording = InstrumentWording.objects.get()
    assert wording.items["1"] == "Placeholder statement 1 (2025 edition)"
    assert wording.source == "Placeholder for tests (2025 edition)"


def test_words_are_tidied_of_extra_spaces(tmp_path: Path) -> None:
    entry = placeholder("swemwbs")
    entry["items"]["3"] = "  Placeholder\n statement   three  "
    load(write(tmp_path, entry))
    assert InstrumentWording.objects.get().items["3"] == "Placeholder statement three"


def _without(entry: dict[str, Any], part: str, key: str) -> dict[str, Any]:
    entry[part] = {k: v for k, v in entry[part].items() if k != key}
    return entry


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            placeholder("swemwbs", instrument="phq9", version=None),
            "Instrument 1 in the file: There is no instrument 'phq9'",
        ),
        (placeholder("swemwbs", version="7"), "Instrument 1 in the file: There is no version 7 of 'swemwbs'"),
        (
            {**placeholder("swemwbs"), "instrument": "dialog"},
            "DIALOG's wording ships with Living Well; only licensed instruments load theirs",
        ),
        (_without(placeholder("swemwbs"), "items", "7"), "SWEMWBS item 7 has no words"),
        (
            {**placeholder("swemwbs"), "items": {**placeholder("swemwbs")["items"], "8": "An eighth"}},
            "SWEMWBS has no item 8",
        ),
        (
            {**placeholder("reqol10"), "items": {**placeholder("reqol10")["items"], "4": "  "}},
            "ReQoL-10 item 4 has no words",
        ),
        (_without(placeholder("reqol10"), "options", "0"), "ReQoL-10 response 0 has no words"),
        (
            {**placeholder("swemwbs"), "options": {**placeholder("swemwbs")["options"], "6": "Six"}},
            "SWEMWBS has no response 6",
        ),
        ({k: v for k, v in placeholder("swemwbs").items() if k != "options"}, "'options' must map each response"),
        ({**placeholder("swemwbs"), "items": "all of them"}, "'items' must map each position to its words"),
        ([], "The file has no instruments in it"),
        (["swemwbs"], "Instrument 1 in the file is not a JSON object"),
        ([placeholder("swemwbs"), placeholder("reqol10", instrument="gad7")], "Instrument 2 in the file"),
        ({**placeholder("swemwbs"), "items": {**placeholder("swemwbs")["items"], "2": "x" * 501}}, "longer than 500"),
        ("{not json", "is not JSON"),
    ],
    ids=[
        "unknown instrument",
        "unknown version",
        "unlicensed instrument",
        "missing item",
        "extra item",
        "blank item",
        "missing option",
        "extra option",
        "no options",
        "items not a mapping",
        "empty list",
        "not an object",
        "second entry bad",
        "too long",
        "not JSON",
    ],
)
def test_a_bad_file_is_refused_with_a_message_and_changes_nothing(tmp_path: Path, content: Any, message: str) -> None:
    load(write(tmp_path, placeholder("swemwbs", mark=" (before)"), "before.json"))
    before = loaded()
    with pytest.raises(CommandError, match=re.escape(message)):
        load(write(tmp_path, content))
    assert loaded() == before
    assert worded(get_instrument("reqol10")) is None


def test_no_file_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    with pytest.raises(CommandError, match=re.escape(f"There is no file at {missing}")):
        load(missing)
    assert not InstrumentWording.objects.exists()


def test_a_file_that_is_not_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wording.json"
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(CommandError, match="is not JSON"):
        load(path)


def test_the_licensed_definitions_hold_no_words_to_leak() -> None:
    """The repository cannot be searched for the licensed words without having them, so check the
    definitions instead: a licensed instrument's definition has no text or labels anywhere."""
    from livingwell.outcomes.instruments import DEFINITIONS

    for code in ("swemwbs", "reqol10"):
        data = json.loads((DEFINITIONS / f"{code}-1.json").read_text(encoding="utf-8"))
        assert data["licensed"] is True
        assert "labels" not in data["scale"] and "question" not in data
        assert all(not ({"text", "labels"} & set(item)) for item in data["items"])
        assert all(not item.text for item in get_instrument(code).items)
