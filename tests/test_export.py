import csv
import io
import json

import pytest

from mapper.output.export import (
    CSV_COLUMNS,
    csv_text,
    geojson_text,
    sorted_events,
    stored_values,
    texts,
    to_geodataframe,
)
from mapper.types import RECORD_FIELDS, Event

from .conftest import event


def test_geojson_is_lon_lat_and_one_feature_per_located_event():
    events = [event(), event(start=20, end=30, latitude=None, longitude=None)]
    data = json.loads(geojson_text(events))
    assert len(data["features"]) == 1
    feature = data["features"][0]
    assert feature["geometry"]["coordinates"] == [69.2, 34.5]
    assert feature["properties"]["event_id"] == events[0].event_id


def test_exports_do_not_depend_on_input_order():
    a, b, c = event(), event(start=40, end=50, event_date="2025-10-01"), event(start=60, end=70)
    assert geojson_text([a, b, c]) == geojson_text([c, a, b])
    assert csv_text([a, b, c]) == csv_text([b, c, a])
    assert [e.event_date for e in sorted_events([a, b, c])] == [
        "2025-10-01",
        "2025-11-09",
        "2025-11-09",
    ]


def test_csv_has_acled_columns_and_keeps_hostile_text_as_data():
    text = 'A "quoted" word, <b>bold</b>, a comma'
    rows = list(csv.DictReader(io.StringIO(csv_text([event(evidence=text)]))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["evidence"] == text
    assert rows[0]["event_type"] == "Battles" and rows[0]["fatalities"] == "3"


@pytest.mark.parametrize(
    "hostile",
    [
        '=cmd|"/c calc"!A1',
        '=HYPERLINK("http://evil.example","click")',
        "@SUM(1+1)*cmd",
        "+1-2",
        "-2+3",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_csv_cells_that_would_run_as_formulas_are_made_inert(hostile):
    record = event(
        evidence=hostile,
        source=hostile,
        source_url=hostile,
        actor1=hostile,
        location=hostile,
        also_reported=(("a2", hostile, None),),
    )
    row = next(csv.DictReader(io.StringIO(csv_text([record]))))
    shown = "'" + hostile.replace("\r", "\n")  # a lone carriage return is a line break
    for column in ("evidence", "source", "source_url", "actor1", "location", "also_reported"):
        assert row[column] == shown, column  # shown as text, the text itself kept
    assert row["longitude"] == str(record.longitude) and row["fatalities"] == "3"


def test_negative_coordinates_stay_numbers_in_the_csv():
    row = next(csv.DictReader(io.StringIO(csv_text([event(latitude=-33.9, longitude=-70.6)]))))
    assert (row["latitude"], row["longitude"]) == ("-33.9", "-70.6")


def test_geodataframe_uses_wgs84_points():
    frame = to_geodataframe([event()])
    assert frame.crs.to_epsg() == 4326
    assert (frame.geometry.x[0], frame.geometry.y[0]) == (69.2, 34.5)


def test_an_event_comes_back_whole_from_the_record_the_store_keeps():
    one = event(also_reported=(("a2", "Wire B", "https://b.example/2"), ("a3", None, None)))
    _, _, record = texts(one)
    values = json.loads(record)
    assert values == json.loads(json.dumps(stored_values(one.to_record())))
    assert values[RECORD_FIELDS.index("also_reported")][0] == [
        "a2",
        "Wire B",
        "https://b.example/2",
    ]
    assert Event.from_record(dict(zip(RECORD_FIELDS, values, strict=True))) == one
    # the exports still spell each report out
    assert one.to_record()["also_reported"][1] == {
        "article_id": "a3",
        "source": None,
        "source_url": None,
    }
