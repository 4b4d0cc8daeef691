"""The wording of licensed instruments, loaded by a site from its own licensed copy.

SWEMWBS and ReQoL-10 may be used only under their licences, so their words never ship with Living
Well. A site puts its licensed wording in a JSON file and loads it:

    python manage.py load_instrument_text licensed-wording.json

The file holds one instrument or a list of them:

    {"instrument": "swemwbs", "version": "1", "source": "Licence ref …",
     "title": "…", "instructions": "…",
     "options": {"1": "…", "2": "…", …},
     "items": {"1": "…", "2": "…", …}}

Every item and every response on the scale must have words; loading again replaces the words.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from livingwell.core.errors import DomainError
from livingwell.outcomes.instruments import Instrument, Item, Option, UnknownInstrument, get_instrument
from livingwell.outcomes.models import InstrumentWording

MAX_WORDS = 500


class WordingError(DomainError):
    """A wording file cannot be loaded; the message says what to put right."""


def _words(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise WordingError("wording_missing", f"{where} has no words")
    text = " ".join(value.split())
    if len(text) > MAX_WORDS:
        raise WordingError("wording_too_long", f"{where} is longer than {MAX_WORDS} characters")
    return text


def _parse_one(raw: Any, number: int) -> tuple[Instrument, dict[str, Any]]:
    where = f"Instrument {number} in the file"
    if not isinstance(raw, Mapping):
        raise WordingError("wording_not_object", f"{where} is not a JSON object")
    code = raw.get("instrument")
    try:
        instrument = get_instrument(str(code), None if raw.get("version") is None else str(raw["version"]))
    except UnknownInstrument as error:
        raise WordingError("wording_unknown_instrument", f"{where}: {error}") from None
    if not instrument.licensed:
        raise WordingError(
            "wording_not_licensed",
            f"{instrument.name}'s wording ships with Living Well; only licensed instruments load theirs",
        )
    items = raw.get("items")
    if isinstance(items, list):
        items = {str(entry.get("position")): entry.get("text") for entry in items if isinstance(entry, Mapping)}
    if not isinstance(items, Mapping):
        raise WordingError("wording_no_items", f"{instrument.name}: 'items' must map each position to its words")
    positions = {str(item.position) for item in instrument.items}
    if extra := sorted(set(map(str, items)) - positions, key=lambda p: (len(p), p)):
        raise WordingError("wording_extra_items", f"{instrument.name} has no item {', '.join(extra)}")
    item_words = {
        str(item.position): _words(items.get(str(item.position)), f"{instrument.name} item {item.position}")
        for item in instrument.items
    }
    options = raw.get("options")
    if not isinstance(options, Mapping):
        raise WordingError("wording_no_options", f"{instrument.name}: 'options' must map each response to its words")
    values = {str(v) for item in instrument.items for v in range(item.minimum, item.maximum + 1)}
    if extra := sorted(set(map(str, options)) - values):
        raise WordingError("wording_extra_options", f"{instrument.name} has no response {', '.join(extra)}")
    option_words = {
        value: _words(options.get(value), f"{instrument.name} response {value}") for value in sorted(values, key=int)
    }
    return instrument, {
        "title": " ".join(str(raw.get("title", "")).split())[:200],
        "instructions": str(raw.get("instructions", "")).strip(),
        "items": item_words,
        "options": option_words,
        "source": " ".join(str(raw.get("source", "")).split())[:300],
    }


def wording_load(*, data: Any) -> list[InstrumentWording]:
    """Load (or replace) licensed wording from parsed JSON; all or nothing."""
    entries = data if isinstance(data, list) else [data]
    if not entries:
        raise WordingError("wording_empty", "The file has no instruments in it")
    parsed = [_parse_one(raw, number) for number, raw in enumerate(entries, start=1)]
    now = timezone.now()
    loaded = []
    with transaction.atomic():
        for instrument, values in parsed:
            wording, _ = InstrumentWording.objects.update_or_create(
                instrument=instrument.code,
                instrument_version=instrument.version,
                defaults={**values, "loaded_at": now},
            )
            loaded.append(wording)
    return loaded


def wording_load_file(path: Path) -> list[InstrumentWording]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WordingError("wording_no_file", f"There is no file at {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise WordingError("wording_not_json", f"{path} is not JSON: {error}") from None
    return wording_load(data=data)


@dataclass(frozen=True)
class Worded:
    """An instrument with the words to show: its own, or the site's licensed wording."""

    instrument: Instrument
    title: str
    instructions: str
    item_text: Mapping[int, str]
    option_text: Mapping[int, str]

    def text(self, item: Item) -> str:
        return self.item_text.get(item.position, "")

    def options(self, item: Item) -> list[Option]:
        own = self.instrument.options_for(item)
        if own:
            return list(own)
        return [Option(v, self.option_text.get(v, str(v))) for v in range(item.minimum, item.maximum + 1)]


def worded(instrument: Instrument) -> Worded | None:
    """The words to show for an instrument, or None when it is licensed and the site has not loaded them."""
    if not instrument.licensed:
        return Worded(
            instrument=instrument,
            title=instrument.title,
            instructions=instrument.about,
            item_text={item.position: item.text for item in instrument.items},
            option_text={o.value: o.label for o in instrument.options},
        )
    wording = InstrumentWording.objects.filter(
        instrument=instrument.code, instrument_version=instrument.version
    ).first()
    if wording is None:
        return None
    return Worded(
        instrument=instrument,
        title=wording.title or instrument.title,
        instructions=wording.instructions,
        item_text={int(p): t for p, t in wording.items.items()},
        option_text={int(v): t for v, t in wording.options.items()},
    )
