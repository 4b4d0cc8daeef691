"""Loading postcode files: the ONS Postcode Directory, the minimal CSV, the synthetic borough's file,
and `manage.py load_postcodes`."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from livingwell.community import postcodes
from livingwell.community.geo import normalise_postcode, where_is
from livingwell.community.models import Postcode
from livingwell.community.postcodes import (
    LAMBETH_BOX,
    SYNTHETIC_POSTCODES,
    PostcodeFileError,
    postcodes_load,
    synthetic_postcodes_csv,
    synthetic_postcodes_load,
)

pytestmark = pytest.mark.django_db

# A cut-down ONSPD: the real file has some 60 columns; these are the ones around the ones we read,
# in the real order, with values shaped as the real file gives them.
ONSPD_HEADER = (
    "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,"
    "oshlthau,nhser,ctry,rgn,lsoa21,msoa21,lat,long,icb"
)


def onspd_row(
    pcds: str,
    lat: str,
    lng: str,
    *,
    doterm: str = "",
    oslaua: str = "E09000022",
    osward: str = "E05014101",
    osgrdind: str = "1",
) -> str:
    pcd = f"{pcds[:-4]:<4}{pcds[-3:]}"
    return (
        f'"{pcd}","{pcd:<8}","{pcds}",200012,{doterm},E99999999,E99999999,{oslaua},{osward},E43000191,0,'
        f"531000,175000,{osgrdind},E18000007,E40000003,E92000001,E12000007,E01003000,E02000600,{lat},{lng},E54000030"
    )


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def onspd(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        "ONSPD_NOV_2025_UK.csv",
        [
            ONSPD_HEADER,
            onspd_row("SW9 8AB", "51.461300", "-0.115600"),  # line 2
            onspd_row("SE1 7EH", "51.498800", "-0.115400"),  # line 3
            onspd_row("SW2 1AA", "51.452000", "-0.116000", doterm="201003"),  # line 4: terminated
            onspd_row("SW9 9ZZ", "99.999999", "0.000000", osgrdind="9"),  # line 5: no grid reference
            onspd_row("SE5 8AA", "51.472000", "-0.097000", oslaua="E09000028", osward="E05011095"),  # Southwark
            onspd_row("SW16 1AA", "51.428000", "north", oslaua="E09000022"),  # line 7: broken longitude
            onspd_row("XX 1AA", "51.4", "-0.1"),  # line 8: not a postcode
            onspd_row("SW4 7AA", "151.0", "-0.135"),  # line 9: off the Earth
        ],
    )


def test_loading_the_ons_postcode_directory(onspd: Path) -> None:
    summary = postcodes_load(path=onspd)
    assert summary.format == "ONS Postcode Directory"
    assert summary.loaded == 3
    assert summary.skipped_terminated == 1
    assert summary.skipped_no_position == 1
    assert summary.skipped_elsewhere == 0
    assert summary.rejected == 3
    assert summary.rejected_rows == [
        (7, "SW16 1AA: the longitude 'north' is not a number"),
        (8, "'XX 1AA' is not a postcode"),
        (9, "SW4 7AA: the latitude '151.0' is not between -90 and 90"),
    ]
    assert list(Postcode.objects.values_list("code", "lat", "lng", "local_authority", "ward")) == [
        ("SE17EH", 51.4988, -0.1154, "E09000022", "E05014101"),
        ("SE58AA", 51.472, -0.097, "E09000028", "E05011095"),
        ("SW98AB", 51.4613, -0.1156, "E09000022", "E05014101"),
    ]
    assert where_is("SW9 8AB") == (51.4613, -0.1156)
    assert where_is("SW2 1AA") is None


def test_loading_one_local_authority(onspd: Path) -> None:
    summary = postcodes_load(path=onspd, local_authority=" e09000022 ")
    assert summary.loaded == 2
    assert summary.skipped_elsewhere == 1
    assert summary.skipped_terminated == 1
    assert sorted(Postcode.objects.values_list("code", flat=True)) == ["SE17EH", "SW98AB"]


def test_loading_again_changes_nothing_and_a_newer_file_moves_what_moved(onspd: Path, tmp_path: Path) -> None:
    postcodes_load(path=onspd)
    before = list(Postcode.objects.values_list("code", "lat", "lng", "local_authority", "ward"))
    again = postcodes_load(path=onspd)
    assert again.loaded == 3
    assert list(Postcode.objects.values_list("code", "lat", "lng", "local_authority", "ward")) == before
    newer = write(
        tmp_path,
        "newer.csv",
        [ONSPD_HEADER, onspd_row("SW9 8AB", "51.462000", "-0.116000", osward="E05014102")],
    )
    postcodes_load(path=newer)
    assert Postcode.objects.count() == 3
    assert Postcode.objects.values_list("lat", "lng", "ward").get(code="SW98AB") == (51.462, -0.116, "E05014102")


def test_loading_the_minimal_format(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "postcodes.csv",
        [
            "Postcode,Latitude,Longitude,Local_Authority,Ward",
            "sw9 8ab,51.4613,-0.1156,E09000022,E05014101",
            "SE1 7EH,51.4988,-0.1154,,",
            "SW2 1AA,,,E09000022,",  # line 4: no position
            "",  # a blank line is not a row
            "SW4 7AA,51.457,-0.135,E09000022,E0501410199999",  # line 6: the ward code is too long
            "SW4 7AB,51.457",  # line 7: the longitude is missing
        ],
    )
    summary = postcodes_load(path=path)
    assert summary.format == "postcode,latitude,longitude"
    assert (summary.loaded, summary.skipped_no_position, summary.rejected) == (2, 2, 1)
    assert summary.rejected_rows == [(6, "SW4 7AA: the ward code 'E0501410199999' is longer than 12 characters")]
    assert list(Postcode.objects.values_list("code", "lat", "lng", "local_authority", "ward")) == [
        ("SE17EH", 51.4988, -0.1154, "", ""),
        ("SW98AB", 51.4613, -0.1156, "E09000022", "E05014101"),
    ]


def test_the_minimal_format_without_optional_columns_and_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("\ufeffpostcode,latitude,longitude\r\nSW9 8AB,51.4613,-0.1156\r\n", encoding="utf-8")
    assert postcodes_load(path=path).loaded == 1
    assert Postcode.objects.values_list("code", "local_authority").get() == ("SW98AB", "")


def test_a_minimal_file_without_local_authorities_cannot_be_filtered(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", ["postcode,latitude,longitude", "SW9 8AB,51.4613,-0.1156"])
    with pytest.raises(PostcodeFileError, match="no local authority column"):
        postcodes_load(path=path, local_authority="E09000022")
    assert not Postcode.objects.exists()


def test_a_file_that_is_not_a_postcode_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "people.csv", ["name,address", "Alex,1 Acre Lane"])
    with pytest.raises(PostcodeFileError, match=r"not a postcode file.*name,address"):
        postcodes_load(path=path)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(PostcodeFileError, match="empty"):
        postcodes_load(path=empty)


def test_the_same_postcode_twice_in_a_batch_keeps_the_later(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "twice.csv",
        ["postcode,latitude,longitude", "SW9 8AB,51.40,-0.10", "SW98AB,51.4613,-0.1156"],
    )
    assert postcodes_load(path=path).loaded == 2
    assert Postcode.objects.values_list("lat", "lng").get(code="SW98AB") == (51.4613, -0.1156)


def test_a_long_file_is_written_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postcodes, "BATCH_SIZE", 7)
    saved: list[int] = []
    original = postcodes._save

    def counting(batch: dict[str, Postcode]) -> None:
        saved.append(len(batch))
        original(batch)

    monkeypatch.setattr(postcodes, "_save", counting)
    letters = "ABDEFGHJLN"
    lines = ["postcode,latitude,longitude"] + [
        f"SW9 8{a}{b},51.46{i:02d},-0.11" for i, (a, b) in enumerate((a, b) for a in letters[:4] for b in letters[:5])
    ]
    path = write(tmp_path, "long.csv", lines)
    assert postcodes_load(path=path).loaded == 20
    assert saved == [7, 7, 6]
    assert Postcode.objects.count() == 20


def test_rejected_rows_are_counted_but_only_the_first_thousand_are_kept(tmp_path: Path) -> None:
    lines = ["postcode,latitude,longitude"] + ["nonsense,51.4,-0.1"] * 1_005 + ["SW9 8AB,51.4613,-0.1156"]
    summary = postcodes_load(path=write(tmp_path, "bad.csv", lines))
    assert summary.rejected == 1_005
    assert len(summary.rejected_rows) == 1_000
    assert summary.rejected_rows[-1] == (1_001, "'nonsense' is not a postcode")
    assert summary.loaded == 1


# The command


def test_the_command_prints_the_summary(onspd: Path) -> None:
    out = io.StringIO()
    call_command("load_postcodes", str(onspd), stdout=out)
    assert out.getvalue().splitlines() == [
        "Read ONSPD_NOV_2025_UK.csv as ONS Postcode Directory.",
        "Loaded 3 postcodes.",
        "Skipped 1 postcode terminated.",
        "Skipped 1 postcode without a position.",
        "Could not read 3 rows:",
        "  line 7: SW16 1AA: the longitude 'north' is not a number",
        "  line 8: 'XX 1AA' is not a postcode",
        "  line 9: SW4 7AA: the latitude '151.0' is not between -90 and 90",
    ]


def test_the_command_filters_to_a_local_authority(onspd: Path) -> None:
    out = io.StringIO()
    call_command("load_postcodes", str(onspd), "--local-authority", "E09000022", stdout=out)
    assert "Loaded 2 postcodes." in out.getvalue()
    assert "Skipped 1 postcode outside E09000022." in out.getvalue()
    assert Postcode.objects.count() == 2


def test_the_command_refuses_a_missing_file_or_an_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("load_postcodes", str(tmp_path / "missing.csv"))
    other = write(tmp_path, "other.csv", ["a,b,c", "1,2,3"])
    with pytest.raises(CommandError, match="not a postcode file"):
        call_command("load_postcodes", str(other))


# The synthetic borough's file


def test_the_shipped_synthetic_file_is_the_one_the_code_makes() -> None:
    # If the generator's postcode districts change, rebuild the file (see `synthetic_postcodes_csv`).
    assert SYNTHETIC_POSTCODES.read_text(encoding="utf-8") == synthetic_postcodes_csv()


def test_every_postcode_the_synthetic_generator_can_give_is_in_the_file_inside_lambeth() -> None:
    from livingwell.core.synthetic import data

    with SYNTHETIC_POSTCODES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = {row["postcode"] for row in rows}
    expected = {
        f"{district} {sector}{a}{b}"
        for _, districts in data.LOCALITIES
        for district, sectors, _ in districts
        for sector in sectors
        for a in data.INCODE_LETTERS
        for b in data.INCODE_LETTERS
    }
    assert codes == expected
    assert len(rows) == len(codes)
    low_lat, high_lat, low_lng, high_lng = LAMBETH_BOX
    for row in rows:
        assert re.match(data.POSTCODE_PATTERN, row["postcode"])
        assert normalise_postcode(row["postcode"])
        assert low_lat <= float(row["latitude"]) <= high_lat
        assert low_lng <= float(row["longitude"]) <= high_lng
    # Units are spread round their sector, not piled on one point.
    assert len({(row["latitude"], row["longitude"]) for row in rows}) == len(rows)


def test_loading_the_synthetic_borough() -> None:
    summary = synthetic_postcodes_load()
    assert summary.loaded == Postcode.objects.count() == 39 * 400
    assert summary.rejected == 0
    lat, lng = where_is("SW9 8AB") or (0.0, 0.0)
    assert abs(lat - 51.4620) <= 0.003
    assert abs(lng - -0.1120) <= 0.005
