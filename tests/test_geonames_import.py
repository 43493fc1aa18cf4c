"""GeoNames import on small files in the official formats, written here."""

import zipfile
from pathlib import Path

import pytest

from mapper.cli import main
from mapper.errors import GazetteerError
from mapper.gazetteer import Gazetteer
from mapper.gazetteer.geonames import import_files, kind_of

HEADER = (
    "name\talt_names\tlat\tlon\tcountry\tadmin1\tadmin2\tfeature\tprecision\tpopulation\tsource\n"
)


def row(gid, name, lat, lon, fclass, fcode, cc, a1, a2="", population=0, alternates=""):
    ascii_name = name.encode("ascii", "ignore").decode() or name
    cells = [
        str(gid),
        name,
        ascii_name,
        alternates,
        str(lat),
        str(lon),
        fclass,
        fcode,
        cc,
        "",
        a1,
        a2,
        "",
        "",
        str(population),
        "",
        "1000",
        "Asia/Kabul",
        "2024-01-01",
    ]
    return "\t".join(cells) + "\n"


ROWS = (
    row(
        9000001,
        "Zarghun Kalay",
        33.1,
        69.2,
        "P",
        "PPL",
        "AF",
        "37",
        "9001",
        1500,
        "Zarghun Kaley,زرغون",
    )
    + row(9000002, "Spera Wuluswali", 33.2, 69.5, "A", "ADM2", "AF", "37", "9001")
    + row(9000003, "Tochi River", 33.0, 70.0, "H", "STM", "PK", "03")
    + row(9000004, "Tirah Valley", 33.7, 70.9, "T", "VAL", "PK", "03", population=0)
)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "curated.tsv").write_text(HEADER, encoding="utf-8")
    return tmp_path


def test_kind_of_names():
    assert kind_of(Path("allCountries.zip")) == "places"
    assert kind_of(Path("PK.txt")) == "places"
    assert kind_of(Path("cities500.zip")) == "places"
    assert kind_of(Path("alternateNamesV2.zip")) == "alternates"
    assert kind_of(Path("admin2Codes.txt")) == "admin2"
    with pytest.raises(GazetteerError, match="expected a GeoNames dump"):
        kind_of(Path("photos.zip"))


def test_import_zip_with_admin_codes_and_alternates(folder, tmp_path):
    dump = tmp_path / "AF.zip"
    with zipfile.ZipFile(dump, "w") as z:
        z.writestr("AF.txt", ROWS)
        z.writestr("readme.txt", "not data")
    (tmp_path / "admin1CodesASCII.txt").write_text(
        "AF.37\tKhōst\tKhost\t1444362\n", encoding="utf-8"
    )
    (tmp_path / "admin2Codes.txt").write_text(
        "AF.37.9001\tSpera\tSpera\t9000002\n", encoding="utf-8"
    )
    (tmp_path / "alternateNamesV2.txt").write_text(
        "1\t9000001\ten\tZarghoon Kalai\t\t\t\t\t\t\n"
        "2\t9000001\tlink\thttps://example.org/x\t\t\t\t\t\t\n"
        "3\t9000003\ten\tTochi\t\t\t\t\t\t\n",
        encoding="utf-8",
    )
    seen = []
    counts = import_files(
        [
            tmp_path / "alternateNamesV2.txt",
            dump,
            tmp_path / "admin2Codes.txt",
            tmp_path / "admin1CodesASCII.txt",
        ],
        folder,
        progress=seen.append,
    )
    assert counts["places"] == 3 and counts["skipped"] == 1  # the stream is not imported
    assert sum(seen) >= 4
    g = Gazetteer(folder, packages=False, tables=folder)
    kalay = g.lookup("Zarghun Kalay")[0]
    assert (kalay.admin1, kalay.admin2, kalay.population, kalay.precision) == (
        "Khost",
        "Spera",
        1500,
        "place",
    )
    assert kalay.source == "geonames: AF.zip"
    assert g.lookup("Zarghoon Kalai")[0].geonameid == 9000001  # from alternateNamesV2
    assert g.lookup("Zarghun Kaley")[0].geonameid == 9000001  # from the row's own alternates
    assert g.lookup("زرغون") == []  # other scripts are not indexed
    assert g.lookup("Tochi") == []  # alternates of places not imported are dropped
    assert g.lookup("Tirah Valley")[0].precision == "admin2"
    assert g.lookup("Spera Wuluswali")[0].feature == "A.ADM2"


def test_a_dump_read_in_pieces_loses_no_line(folder, tmp_path, monkeypatch):
    """Pieces end between lines, wherever the reads fall; a Unicode line separator inside a
    name is not a line break; the last line may lack its newline."""
    from mapper.gazetteer import geonames

    monkeypatch.setattr(geonames, "CHUNK", 700)  # a few lines a piece
    rows = [
        row(9100000 + i, f"Kalay {i}", 30 + i / 100, 65, "P", "PPL", "AF", "37", population=i)
        for i in range(300)
    ]
    rows[7] = row(9100007, "Kalay\u2028Seven", 30.07, 65, "P", "PPL", "AF", "37")
    dump = tmp_path / "AF.txt"
    dump.write_text("".join(rows).rstrip("\n"), encoding="utf-8")
    counts = import_files([dump], folder)
    assert (counts["places"], counts["skipped"]) == (300, 0)
    g = Gazetteer(folder, packages=False, tables=folder)
    assert g.stats()["source"]["geonames"] == 300
    assert g.lookup("Kalay 299")[0].population == 299  # the last line, without its newline
    assert g.lookup("Kalay Seven")[0].geonameid == 9100007


def test_reimport_does_not_duplicate_and_survives_rebuild(folder, tmp_path):
    dump = tmp_path / "AF.txt"
    dump.write_text(ROWS, encoding="utf-8")
    import_files([dump], folder)
    import_files([dump], folder)
    g = Gazetteer(folder, packages=False, tables=folder, rebuild=True)
    assert len(g.candidates("Zarghun Kalay")) == 1
    assert g.stats()["source"]["geonames"] == 3


def test_failed_import_keeps_the_previous_data(folder, tmp_path):
    good = tmp_path / "AF.txt"
    good.write_text(ROWS, encoding="utf-8")
    import_files([good], folder)
    bad = tmp_path / "PK.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(GazetteerError, match="not a readable zip"):
        import_files([bad], folder)
    assert Gazetteer(folder, packages=False, tables=folder).lookup("Zarghun Kalay")


def test_cli_import_and_add(folder, tmp_path, capsys):
    dump = tmp_path / "AF.txt"
    dump.write_text(ROWS, encoding="utf-8")
    assert main(["--gazetteer", str(folder), "gazetteer", "import", "--quiet", str(dump)]) == 0
    assert "Imported 3 places" in capsys.readouterr().out
    assert (
        main(
            [
                "--gazetteer",
                str(folder),
                "gazetteer",
                "add",
                "Qila Saifullah Bazaar",
                "--lat",
                "30.7",
                "--lon",
                "68.36",
                "--country",
                "pk",
                "--alt",
                "QS Bazaar",
                "--source",
                "field notes",
            ]
        )
        == 0
    )
    capsys.readouterr()
    g = Gazetteer(folder, packages=False, tables=folder)
    best = g.lookup("QS Bazaar")[0]
    assert (best.country, best.source) == ("PK", "user: field notes")
    code = main(
        [
            "--gazetteer",
            str(folder),
            "gazetteer",
            "add",
            "X",
            "--lat",
            "95",
            "--lon",
            "0",
            "--country",
            "PK",
            "--source",
            "s",
        ]
    )
    assert code == 1 and "latitude in [-90, 90]" in capsys.readouterr().err
