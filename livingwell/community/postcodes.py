"""Loading a site's postcode file: where each postcode's centre is, for search by distance and for
placing offers whose feed gives only an address.

Two formats are read, told apart by the header row:

- the ONS Postcode Directory (ONSPD) CSV, which has a header with `pcds`, `lat`, `long`, `doterm`,
  `osgrdind`, `oslaua` and `osward` among many other columns. Terminated postcodes (`doterm` set)
  and postcodes without a grid reference (`osgrdind` 9, `lat` 99.999999) are skipped;
- a minimal CSV with the header `postcode,latitude,longitude` and optionally `local_authority` and
  `ward` (the synthetic site ships one: `livingwell/community/data/synthetic_postcodes.csv`).

The file is read as a stream and written in batches of `BATCH_SIZE` (ONSPD has about 2.7 million
rows), each batch an upsert, so loading the same file again changes nothing and loading a newer
directory moves the postcodes that moved. Rows that cannot be read are reported with their line
number and reason and do not stop the load.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from livingwell.community.geo import display_postcode, normalise_postcode
from livingwell.community.models import Postcode

BATCH_SIZE = 5_000
# How many rejected rows a summary keeps with their reasons (the count covers them all).
MAX_REPORTED = 1_000
NO_POSITION_LATITUDE = 99.999999
CODE_LENGTH = Postcode._meta.get_field("local_authority").max_length or 12

SYNTHETIC_POSTCODES = Path(__file__).resolve().parent / "data" / "synthetic_postcodes.csv"
SYNTHETIC_LOCAL_AUTHORITY = "E09000022"  # Lambeth's GSS code


class PostcodeFileError(ValueError):
    """The file cannot be loaded at all (not a postcode file, or it cannot be filtered as asked)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class LoadSummary:
    loaded: int = 0
    skipped_terminated: int = 0
    skipped_no_position: int = 0
    skipped_elsewhere: int = 0
    """Rows in other local authorities, when the load was filtered to one."""
    rejected: int = 0
    rejected_rows: list[tuple[int, str]] = field(default_factory=list)
    """(line number, reason) for the first `MAX_REPORTED` rows that could not be read."""
    format: str = ""

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.rejected_rows) < MAX_REPORTED:
            self.rejected_rows.append((line, reason))


@dataclass(frozen=True)
class _Columns:
    format: str
    postcode: str
    lat: str
    lng: str
    local_authority: str | None
    ward: str | None
    terminated: str | None
    grid_indicator: str | None


def _columns(header: list[str]) -> _Columns:
    names = [name.strip().lower() for name in header]

    def have(name: str) -> str | None:
        return name if name in names else None

    if {"lat", "long"} <= set(names) and (code := have("pcds") or have("pcd2") or have("pcd")):
        return _Columns(
            "ONS Postcode Directory",
            code,
            "lat",
            "long",
            have("oslaua"),
            have("osward"),
            have("doterm"),
            have("osgrdind"),
        )
    if {"postcode", "latitude", "longitude"} <= set(names):
        return _Columns(
            "postcode,latitude,longitude",
            "postcode",
            "latitude",
            "longitude",
            have("local_authority"),
            have("ward"),
            None,
            None,
        )
    shown = ",".join(names[:8]) + (",…" if len(names) > 8 else "")
    raise PostcodeFileError(
        "This is not a postcode file we can read. Use the ONS Postcode Directory CSV (with the columns "
        "pcds, lat and long) or a CSV with the header postcode,latitude,longitude. "
        f"The first line was: {shown}"
    )


def _coordinate(text: str, name: str, limit: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"the {name} {text!r} is not a number") from None
    if not -limit <= value <= limit:
        raise ValueError(f"the {name} {text!r} is not between -{limit:g} and {limit:g}")
    return value


def _code(text: str, name: str) -> str:
    code = text.strip().upper()
    if len(code) > CODE_LENGTH:
        raise ValueError(f"the {name} code {text!r} is longer than {CODE_LENGTH} characters")
    return code


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each row, keyed by lower-case column name; the header is checked first."""
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise PostcodeFileError("The postcode file is empty.")
        names = [name.strip().lower() for name in header]
        yield 1, dict.fromkeys(names, "")  # the header, so the caller can work out the format
        for row in reader:
            if not row or not any(cell.strip() for cell in row):
                continue
            yield reader.line_num, dict(zip(names, row, strict=False))


def postcodes_load(*, path: Path | str, local_authority: str | None = None) -> LoadSummary:
    """Load a postcode file (ONSPD or the minimal CSV) into `Postcode`, optionally only the postcodes
    of one local authority (a GSS code such as E09000022). Returns what was loaded, skipped and
    rejected. Raises `PostcodeFileError` for a file that is not a postcode file and `FileNotFoundError`
    for a missing one."""
    path = Path(path)
    rows = _rows(path)
    _, header = next(rows)
    columns = _columns(list(header))
    wanted = local_authority.strip().upper() if local_authority else None
    if wanted and columns.local_authority is None:
        raise PostcodeFileError(
            f"The file has no local authority column (oslaua or local_authority), so it cannot be filtered to {wanted}."
        )
    summary = LoadSummary(format=columns.format)
    batch: dict[str, Postcode] = {}
    for line, row in rows:
        if wanted and columns.local_authority and row.get(columns.local_authority, "").strip().upper() != wanted:
            summary.skipped_elsewhere += 1
            continue
        if columns.terminated and row.get(columns.terminated, "").strip():
            summary.skipped_terminated += 1
            continue
        lat_text = row.get(columns.lat, "").strip()
        lng_text = row.get(columns.lng, "").strip()
        raw_code = row.get(columns.postcode, "")
        if (columns.grid_indicator and row.get(columns.grid_indicator, "").strip() == "9") or not (
            lat_text and lng_text
        ):
            summary.skipped_no_position += 1
            continue
        code = normalise_postcode(raw_code)
        if not code:
            summary.reject(line, f"{raw_code.strip()!r} is not a postcode")
            continue
        try:
            lat = _coordinate(lat_text, "latitude", 90)
        except ValueError as error:
            if lat_text.startswith("99.9999"):
                summary.skipped_no_position += 1
            else:
                summary.reject(line, f"{display_postcode(code)}: {error}")
            continue
        try:
            lng = _coordinate(lng_text, "longitude", 180)
            authority = _code(row.get(columns.local_authority or "", "") or "", "local authority")
            ward = _code(row.get(columns.ward or "", "") or "", "ward")
        except ValueError as error:
            summary.reject(line, f"{display_postcode(code)}: {error}")
            continue
        # The same postcode twice in one batch would make the upsert touch a row twice (PostgreSQL
        # refuses that); the later row wins, as it would across batches.
        batch[code] = Postcode(code=code, lat=lat, lng=lng, local_authority=authority, ward=ward)
        summary.loaded += 1
        if len(batch) >= BATCH_SIZE:
            _save(batch)
            batch = {}
    if batch:
        _save(batch)
    return summary


def _save(batch: dict[str, Postcode]) -> None:
    with transaction.atomic():
        Postcode.objects.bulk_create(
            list(batch.values()),
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["lat", "lng", "local_authority", "ward"],
        )


# The synthetic borough: where each postcode sector the synthetic site uses lies (roughly; these are
# near the real sectors' centres in Lambeth). Every unit in a sector is placed within a few hundred
# metres of its sector's centre, by a hash of the postcode, so the file is the same on every build.
SECTOR_CENTRES: dict[str, tuple[float, float]] = {
    "SE1 6": (51.4965, -0.1080),
    "SE1 7": (51.4975, -0.1155),
    "SE1 8": (51.5025, -0.1125),
    "SE11 4": (51.4885, -0.1100),
    "SE11 5": (51.4870, -0.1175),
    "SE11 6": (51.4840, -0.1120),
    "SW8 1": (51.4820, -0.1260),
    "SW8 2": (51.4780, -0.1230),
    "SW8 4": (51.4730, -0.1360),
    "SW8 5": (51.4750, -0.1290),
    "SW9 0": (51.4720, -0.1180),
    "SW9 6": (51.4670, -0.1100),
    "SW9 7": (51.4680, -0.1050),
    "SW9 8": (51.4620, -0.1120),
    "SW9 9": (51.4700, -0.1220),
    "SW4 0": (51.4520, -0.1310),
    "SW4 6": (51.4630, -0.1300),
    "SW4 7": (51.4570, -0.1350),
    "SW4 8": (51.4500, -0.1280),
    "SW4 9": (51.4660, -0.1250),
    "SW2 1": (51.4520, -0.1160),
    "SW2 2": (51.4430, -0.1120),
    "SW2 3": (51.4420, -0.1200),
    "SW2 4": (51.4370, -0.1240),
    "SW2 5": (51.4520, -0.1220),
    "SE24 0": (51.4550, -0.1000),
    "SE24 9": (51.4520, -0.1040),
    "SE5 8": (51.4720, -0.0970),
    "SE5 9": (51.4680, -0.1000),
    "SW16 1": (51.4280, -0.1280),
    "SW16 2": (51.4250, -0.1200),
    "SW16 3": (51.4180, -0.1170),
    "SW16 5": (51.4200, -0.1330),
    "SW16 6": (51.4300, -0.1320),
    "SE27 0": (51.4310, -0.1030),
    "SE27 9": (51.4320, -0.0970),
    "SE19 3": (51.4180, -0.0920),
    "SW12 0": (51.4470, -0.1300),
    "SW12 9": (51.4440, -0.1350),
}
# Half the size of the square a sector's units are spread over, in degrees (about 330 m north-south
# and 350 m east-west in London).
_SPREAD_LAT = 0.003
_SPREAD_LNG = 0.005
_SYNTHETIC_SEED = "livingwell-synthetic-postcodes-1"
# The borough's box: no synthetic postcode lies outside it.
LAMBETH_BOX = (51.41, 51.51, -0.15, -0.08)


def synthetic_sectors() -> list[str]:
    """Every postcode sector ("SW9 8") the synthetic generator gives people, from its data."""
    from livingwell.core.synthetic import data

    return [
        f"{district} {sector}"
        for _, districts in data.LOCALITIES
        for district, sectors, _ in districts
        for sector in sectors
    ]


def _offset(code: str, which: str) -> float:
    digest = hashlib.sha256(f"{_SYNTHETIC_SEED}:{which}:{code}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 * 2 - 1  # in [-1, 1)


def synthetic_postcode_rows() -> Iterator[tuple[str, float, float]]:
    """(postcode, lat, lng) for every postcode the synthetic generator can give a person: each sector
    it uses, with every two-letter unit the generator can draw (`data.INCODE_LETTERS`)."""
    from livingwell.core.synthetic import data

    low_lat, high_lat, low_lng, high_lng = LAMBETH_BOX
    for sector in synthetic_sectors():
        centre_lat, centre_lng = SECTOR_CENTRES[sector]
        for first in data.INCODE_LETTERS:
            for second in data.INCODE_LETTERS:
                code = f"{sector}{first}{second}"
                lat = min(high_lat, max(low_lat, centre_lat + _SPREAD_LAT * _offset(code, "lat")))
                lng = min(high_lng, max(low_lng, centre_lng + _SPREAD_LNG * _offset(code, "lng")))
                yield code, round(lat, 6), round(lng, 6)


def synthetic_postcodes_csv() -> str:
    """The text of `data/synthetic_postcodes.csv` (minimal format), made from `synthetic_postcode_rows`.

    A test checks the shipped file is this text. To rebuild it after the generator's districts change:
    `DJANGO_SETTINGS_MODULE=livingwell.config.settings .venv/bin/python -c "import django; django.setup();
    from livingwell.community.postcodes import *; SYNTHETIC_POSTCODES.write_text(synthetic_postcodes_csv())"`
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["postcode", "latitude", "longitude", "local_authority"])
    for code, lat, lng in synthetic_postcode_rows():
        writer.writerow([code, f"{lat:.6f}", f"{lng:.6f}", SYNTHETIC_LOCAL_AUTHORITY])
    return out.getvalue()


def synthetic_postcodes_load() -> LoadSummary:
    """Load the synthetic borough's postcodes (for the synthetic site and its tests)."""
    return postcodes_load(path=SYNTHETIC_POSTCODES)
