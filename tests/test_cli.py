import json
import subprocess
import sys
from pathlib import Path

import pytest

from mapper.cli import build_parser, main

from .conftest import ROOT, SEED

COMMANDS = [
    ["build"],
    ["geoparse"],
    ["extract"],
    ["gazetteer"],
    ["gazetteer", "lookup"],
    ["gazetteer", "build"],
    ["gazetteer", "stats"],
    ["gazetteer", "import"],
    ["gazetteer", "add"],
    ["evaluate"],
    ["evaluate", "geoparse"],
    ["evaluate", "events"],
    ["watch"],
    ["export"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "-h"])
    assert exit_info.value.code == 0
    assert "usage: mapper" in capsys.readouterr().out


def test_parser_knows_every_listed_command():
    assert build_parser().parse_args(["gazetteer", "lookup", "Kabul"]).name == "Kabul"


def run(args, capsys, stdin=None, monkeypatch=None):
    if stdin is not None:
        import io

        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--gazetteer", str(ROOT / "gazetteer"), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_lookup_one_name(capsys):
    code, out, _ = run(["gazetteer", "lookup", "Kabul", "--country", "AF", "--limit", "2"], capsys)
    record = json.loads(out)
    assert code == 0 and record["id"] == "Kabul"
    best = record["candidates"][0]
    assert (best["name"], best["country"], best["precision"]) == ("Kabul", "AF", "place")
    assert set(best) == {
        "name",
        "lat",
        "lon",
        "country",
        "admin1",
        "admin2",
        "feature",
        "population",
        "precision",
        "geonameid",
        "source",
        "match",
    }
    assert len(record["candidates"]) <= 2


def test_lookup_batch(tmp_path, capsys):
    batch = tmp_path / "names.jsonl"
    batch.write_text(
        '{"id": 1, "name": "North Waziristan"}\n{"id": 2, "name": "Kabul", "country": "AF"}\n',
        encoding="utf-8",
    )
    code, out, _ = run(
        ["gazetteer", "lookup", "--input-jsonl", str(batch), "--format", "jsonl"], capsys
    )
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["id"] for r in lines] == [1, 2]
    assert lines[0]["candidates"][0]["precision"] == "admin2"


def test_geoparse_batch_and_gold_spans(tmp_path, capsys):
    text = "Troops entered Kabul after clashes near Peshawar."
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        json.dumps({"id": "a", "text": text})
        + "\n"
        + json.dumps({"id": "b", "text": text, "spans": [[15, 20]]})
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = run(["geoparse", "--input-jsonl", str(batch)], capsys)
    a, b = (json.loads(line) for line in out.splitlines())
    assert code == 0
    assert [(t["text"], t["country"]) for t in a["toponyms"]] == [
        ("Kabul", "AF"),
        ("Peshawar", "PK"),
    ]
    assert [(t["start"], t["end"], t["name"]) for t in b["toponyms"]] == [(15, 20, "Kabul")]
    keys = {
        "text",
        "start",
        "end",
        "name",
        "lat",
        "lon",
        "country",
        "feature",
        "precision",
        "geonameid",
        "score",
    }
    assert keys <= set(a["toponyms"][0])


def test_extract_seed_file_uses_its_metadata(capsys):
    code, out, _ = run(["extract", str(SEED)], capsys)
    record = json.loads(out)
    assert code == 0
    dates = {e["location"]: e["event_date"] for e in record["events"]}
    assert dates["Dara Adam Khel"] == "2025-11-09"
    assert all({"lat", "lon", "event_id", "evidence"} <= set(e) for e in record["events"])


def test_extract_batch_with_published(tmp_path, capsys):
    batch = tmp_path / "in.jsonl"
    text = SEED.read_text(encoding="utf-8")
    batch.write_text(
        json.dumps({"id": "seed", "text": text, "published": "2025-11-10"}) + "\n", encoding="utf-8"
    )
    code, out, _ = run(["extract", "--input-jsonl", str(batch), "--format", "jsonl"], capsys)
    assert code == 0
    (record,) = [json.loads(line) for line in out.splitlines()]
    places = {e["location"]: e for e in record["events"]}
    assert places["North Wazīristān"]["fatalities"] == 8
    assert all(e["fatalities"] != 20 for e in record["events"])


def test_extract_reads_any_article_file_the_build_reads(tmp_path, capsys):
    # A JSON-lines FILE is a batch: each record keeps its id, a bad one gives an error record.
    batch = tmp_path / "wire.jsonl"
    good = {"id": "w1", "text": "Gunmen killed two police officers in Quetta on Monday."}
    batch.write_text(json.dumps({"text": 5}) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    code, out, err = run(["extract", str(batch)], capsys)
    bad, record = (json.loads(line) for line in out.splitlines())
    assert code == 1 and "line 1" in bad["error"] and "line 1" in err
    assert record["id"] == "w1" and record["events"][0]["location"] == "Quetta"
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>Attack</title></head><body><article><p>"
        + "Gunmen killed two police officers in Quetta on Monday, officials said. " * 6
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    code, out, _ = run(["extract", str(page)], capsys)
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and record["id"] == "story"
    assert "<p>" not in record["events"][0]["evidence"]


def test_extract_reads_standard_input(capsys, monkeypatch):
    code, out, _ = run(
        ["extract", "-"],
        capsys,
        stdin="Gunmen killed two police officers in Quetta.",
        monkeypatch=monkeypatch,
    )
    assert code == 0 and json.loads(out)["events"][0]["location"] == "Quetta"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "missing.txt"], "missing.txt: cannot read"),
        (["geoparse", "--input-jsonl", "missing.jsonl"], "cannot read missing.jsonl"),
        (["gazetteer", "lookup"], "expected a NAME or --input-jsonl"),
    ],
)
def test_errors_are_one_line_and_non_zero(args, message, capsys):
    code, out, err = run(args, capsys)
    assert code == 1 and out == ""
    assert err.startswith("Error: ") and message in err and err.count("\n") == 1


def test_bad_jsonl_line_is_reported_with_its_number(tmp_path, capsys):
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"id": 1, "text": "Kabul"}\nnot json\n', encoding="utf-8")
    code, _, err = run(["geoparse", "--input-jsonl", str(batch)], capsys)
    assert code == 1 and "line 2: expected a JSON object" in err


def test_usage_errors_use_the_same_one_line_form(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", "--format", "xml"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and err.count("\n") == 1


def test_build_writes_map_and_exports_and_reports_bad_files(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "story.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (seeds / "story.meta.json").write_text(
        '{"published": "2025-11-10", "source": "AP"}', encoding="utf-8"
    )
    (seeds / "blank.txt").write_text("", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, out, err = run(["build", "--seeds", str(seeds), "--out", str(out_dir)], capsys)
    assert code == 0
    assert out.count("\n") == 1 and "1 articles" in out and "1 unreadable" in out
    report = (out_dir / "report.txt").read_text(encoding="utf-8")
    assert "blank.txt: empty file" in report
    assert str((out_dir / "map.html").resolve()) in out
    assert "blank.txt: empty file" in err
    geojson = json.loads((out_dir / "events.geojson").read_text(encoding="utf-8"))
    assert len(geojson["features"]) >= 5
    assert (out_dir / "events.csv").read_text(encoding="utf-8").startswith("event_id,event_date,")


def test_python_dash_m_entry_point():
    result = subprocess.run(
        [sys.executable, "-m", "mapper", "-h"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "geoparse" in result.stdout


def test_build_self_contained_links_nothing_outside(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "story.txt").write_text(
        "Gunmen killed two policemen in Quetta on Monday.", encoding="utf-8"
    )
    code, _, _ = run(
        ["build", "--seeds", str(seeds), "--out", str(tmp_path / "out"), "--self-contained"], capsys
    )
    html = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    assert code == 0 and "tile.openstreetmap.org" not in html and "<script src=" not in html


def built_seed(tmp_path, capsys) -> Path:
    """The output folder of a build of the seed story (published 2025-11-10, by AP)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "story.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (seeds / "story.meta.json").write_text(
        '{"published": "2025-11-10", "source": "AP"}', encoding="utf-8"
    )
    out = tmp_path / "out"
    assert run(["build", "--seeds", str(seeds), "--out", str(out)], capsys)[0] == 0
    return out


def test_export_geopackage_has_one_row_per_event_with_every_field(tmp_path, capsys):
    import geopandas

    from mapper.output.export import CSV_COLUMNS

    out = built_seed(tmp_path, capsys)
    code, text, _ = run(["export", "--out", str(out), "--format", "gpkg"], capsys)
    assert code == 0 and "events.gpkg" in text
    frame = geopandas.read_file(out / "events.gpkg", layer="events")
    geojson = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    assert len(frame) == len(geojson["features"]) > 0
    assert set(CSV_COLUMNS) <= set(frame.columns)
    assert frame.crs.to_epsg() == 4326


def test_export_parquet_is_one_geoparquet_part_per_month_read_back_as_one_table(tmp_path, capsys):
    import geopandas

    from mapper.output.export import CSV_COLUMNS

    out = built_seed(tmp_path, capsys)
    for _ in range(2):  # a second export takes the place of the first, whole
        code, text, _ = run(["export", "--out", str(out), "--format", "parquet"], capsys)
        assert code == 0 and "monthly parts" in text
    folder = out / "events.parquet"
    geojson = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    dates = [f["properties"]["event_date"] for f in geojson["features"]]
    months = {d[:7] for d in dates if d}
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"month={m}" for m in months)
    assert len(months) >= 2  # the seed story's events span two months
    assert [p.name for p in out.iterdir() if p.name.startswith(".events.parquet")] == []
    frame = geopandas.read_parquet(folder)
    assert len(frame) == len(geojson["features"])
    assert set(CSV_COLUMNS) <= set(frame.columns) and frame.crs.to_epsg() == 4326
    pairs = zip(frame["event_date"], frame["month"], strict=True)
    assert all(d.startswith(str(m)) for d, m in pairs)
    one = geopandas.read_parquet(folder / f"month={min(months)}" / "part-0.parquet")
    assert set(one["event_id"]) == {
        f["properties"]["event_id"]
        for f in geojson["features"]
        if (f["properties"]["event_date"] or "").startswith(min(months))
    }


def test_dask_geopandas_reads_the_parquet_export_a_month_a_partition(tmp_path, capsys):
    import dask_geopandas

    out = built_seed(tmp_path, capsys)
    code, _, _ = run(["export", "--out", str(out), "--format", "parquet"], capsys)
    assert code == 0
    lazy = dask_geopandas.read_parquet(out / "events.parquet")
    months = sorted(p.name for p in (out / "events.parquet").iterdir())
    assert lazy.npartitions == len(months)
    frame = lazy.compute()
    geojson = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    assert sorted(frame["event_id"]) == sorted(f["id"] for f in geojson["features"])
    assert frame.crs.to_epsg() == 4326
    points = {f["id"]: tuple(f["geometry"]["coordinates"]) for f in geojson["features"]}
    assert all(
        (g.x, g.y) == points[i] for i, g in zip(frame["event_id"], frame.geometry, strict=True)
    )


def test_export_parquet_without_pyarrow_says_what_to_install(tmp_path, capsys, monkeypatch):
    import sys

    out = built_seed(tmp_path, capsys)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if not installed
    code, _, err = run(["export", "--out", str(out), "--format", "parquet"], capsys)
    assert code == 1 and 'pip install "mapper[parquet]"' in err
    assert not (out / "events.parquet").exists()


def test_export_without_a_build_is_a_clear_error(tmp_path, capsys):
    code, _, err = run(["export", "--out", str(tmp_path)], capsys)
    assert code == 1 and "run 'mapper build" in err


def test_export_geopackage_holds_the_events_of_the_map_after_a_suppression(tmp_path, capsys):
    import geopandas

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "story.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (seeds / "story.meta.json").write_text('{"published": "2025-11-10"}', encoding="utf-8")
    out = tmp_path / "out"
    assert run(["build", "--seeds", str(seeds), "--out", str(out)], capsys)[0] == 0
    first = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"][0]
    (seeds / "corrections.tsv").write_text(
        f"suppress\t*\t{first['properties']['event_id']}\t\tnot an event\n", encoding="utf-8"
    )
    assert run(["build", "--seeds", str(seeds), "--out", str(out)], capsys)[0] == 0
    assert run(["export", "--out", str(out), "--format", "gpkg"], capsys)[0] == 0
    frame = geopandas.read_file(out / "events.gpkg", layer="events")
    geojson = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    assert sorted(frame["event_id"]) == sorted(
        f["properties"]["event_id"] for f in geojson["features"]
    )
    assert first["properties"]["event_id"] not in set(frame["event_id"])


def test_gazetteer_stats_show_the_village_layer_apart(gazetteer, capsys):
    assert main(["--gazetteer", str(gazetteer.folder), "gazetteer", "stats"]) == 0
    out = capsys.readouterr().out
    layer = out[out.index("village layer (") :]
    assert "asked only for names the index lacks" in layer and "\n  PK\t" in layer
    assert (
        main(["--gazetteer", str(gazetteer.folder), "gazetteer", "stats", "--format", "json"]) == 0
    )
    assert json.loads(capsys.readouterr().out)["villages"]["AF"] > 10_000
