"""Benchmark scoring: corpus readers and metrics, on small corpora written here."""

import pytest

from mapper.cli import main
from mapper.evaluate import read_corpus, score_geoparse
from mapper.types import Mention, Place

from .conftest import ROOT, SHARED_BENCH

TEXT = "Rain fell on Kabul and Quetta."  # Kabul 13-18, Quetta 23-29

TR_STYLE = f"""<?xml version="1.0" encoding="utf-8"?>
<articles><article docid="7"><text><![CDATA[{TEXT}]]></text><toponyms>
<toponym><start>13</start><end>18</end><phrase>Kabul</phrase>
  <gaztag geonameid="1138958"><name>Kabul</name><lat>34.52813</lat><lon>69.17233</lon>
  </gaztag></toponym>
<toponym><start>23</start><end>29</end><phrase>Quetta</phrase>
  <gaztag geonameid="1167528"><name>Quetta</name><lat>30.18</lat><lon>67.0</lon></gaztag></toponym>
</toponyms></article></articles>"""

# GeoVirus-style, with every offset one character late (as that corpus has them).
GV_STYLE = f"""<articles><article><source>x</source><text>{TEXT}</text><locations>
<location><name>Kabul</name><start>14</start><end>19</end><lat>34.5</lat><lon>69.2</lon></location>
<location><name>Quetta</name><start>24</start><end>30</end><lat>30.2</lat><lon>67.0</lon></location>
</locations></article></articles>"""


def place(lat, lon):
    return Place(name="p", lat=lat, lon=lon, country="XX", precision="place")


@pytest.mark.parametrize("content", [TR_STYLE, GV_STYLE])
def test_readers_align_spans_to_their_names(tmp_path, content):
    path = tmp_path / "c.xml"
    path.write_text(content, encoding="utf-8")
    (article,) = read_corpus(path)
    assert [(t.start, t.end, t.text) for t in article.toponyms] == [
        (13, 18, "Kabul"),
        (23, 29, "Quetta"),
    ]
    assert article.toponyms[0].lat == pytest.approx(34.5, abs=0.1)


def test_metrics(tmp_path):
    path = tmp_path / "c.xml"
    path.write_text(TR_STYLE, encoding="utf-8")
    articles = read_corpus(path)

    def geoparse(text):  # finds Kabul right, misses Quetta, adds a spurious "Rain" placed far away
        return [
            Mention("Rain", 0, 4, place=place(0, 0)),
            Mention("Kabul", 13, 18, place=place(34.5, 69.2)),
        ]

    def resolve_spans(text, spans):  # Kabul right, Quetta 1,000+ km off
        far = {(13, 18): place(34.5, 69.2), (23, 29): place(40.0, 67.0)}
        return [Mention(text[s:e], s, e, place=far[(s, e)]) for s, e in spans]

    score = score_geoparse("t", articles, geoparse=geoparse, resolve_spans=resolve_spans)
    assert (score.precision, score.recall) == (0.5, 0.5) and score.f1 == 0.5
    assert score.e2e_correct / score.gold_located == 0.5
    assert score.span_correct / score.gold_located == 0.5
    assert score.far.most_common(1)[0][0].startswith("Quetta")
    assert "acc@161 gold spans  0.500" in score.report()


def test_a_country_whose_outline_holds_the_gold_point_is_counted_apart(tmp_path):
    # Corpora put a country's point by different conventions: a country resolved at its own
    # point, more than 161 km from the gold point, is counted apart when it holds that point.
    path = tmp_path / "c.xml"
    path.write_text(TR_STYLE, encoding="utf-8")
    articles = read_corpus(path)
    pakistan = Place(name="Pakistan", lat=30.0, lon=70.0, country="PK", precision="country")
    afghanistan = Place(name="Afghanistan", lat=33.0, lon=65.0, country="AF", precision="country")
    kabul_far = {(13, 18): pakistan, (23, 29): afghanistan}

    def resolve_spans(text, spans):
        return [Mention(text[s:e], s, e, place=kabul_far[(s, e)]) for s, e in spans]

    score = score_geoparse("t", articles, geoparse=lambda t: [], resolve_spans=resolve_spans)
    # gold 1 (34.5, 69.2) lies in Afghanistan, not Pakistan; gold 2 (Quetta) lies in Pakistan,
    # not Afghanistan: neither counts
    assert (score.span_correct, score.span_in_country) == (0, 0)
    kabul_far = {(13, 18): afghanistan, (23, 29): pakistan}
    score = score_geoparse("t", articles, geoparse=lambda t: [], resolve_spans=resolve_spans)
    assert (score.span_correct, score.span_in_country) == (0, 2)
    assert "outline holds the gold point  1.000" in score.report()
    assert "acc@161 gold spans  0.000" in score.report()


def test_bad_corpus_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "c.xml"
    path.write_text("<articles><article><text>x", encoding="utf-8")
    assert main(["evaluate", "geoparse", str(path)]) == 1
    assert "expected a geoparsing corpus in XML" in capsys.readouterr().err


@pytest.mark.skipif(not SHARED_BENCH.exists(), reason="public corpora live in ../shared/bench")
def test_public_corpora_are_read_whole(capsys):
    corpora = SHARED_BENCH / "geoparse"
    sizes = {"TR-News": 118, "GeoVirus": 229}
    for name, articles in sizes.items():
        read = read_corpus(corpora / f"{name}.xml")
        assert len(read) == articles
        aligned = sum(t.text == t.name for a in read for t in a.toponyms)
        assert aligned / sum(len(a.toponyms) for a in read) > 0.97
    assert (
        main(
            [
                "--gazetteer",
                str(ROOT / "gazetteer"),
                "evaluate",
                "geoparse",
                "--limit",
                "5",
                str(corpora / "GeoVirus.xml"),
            ]
        )
        == 0
    )
    assert "acc@161 end to end" in capsys.readouterr().out


def test_event_scoring_matches_one_to_one_by_place_and_date():
    from mapper.evaluate import score_events

    gold = [
        {
            "article": "a",
            "events": [
                {
                    "id": "e1",
                    "event_type": "Battles",
                    "event_date": "2025-11-09",
                    "latitude": 33.0,
                    "longitude": 70.0,
                    "geo_precision": 1,
                    "fatalities": 8,
                    "location_name": "X",
                },
                {
                    "id": "e2",
                    "event_type": "Battles",
                    "event_date": "2025-11-09",
                    "latitude": None,
                    "longitude": None,
                    "geo_precision": 1,
                    "fatalities": 12,
                    "location_name": "Dara Adam Khel",
                },
            ],
        }
    ]
    out = [
        {
            "event_type": "Battles",
            "event_date": "2025-11-10",
            "latitude": 33.1,
            "longitude": 70.0,
            "fatalities": 8,
            "location": "Y",
        },  # 11 km, a day later: a match
        {
            "event_type": "Explosions/Remote violence",
            "event_date": "2025-11-09",
            "latitude": 0.0,
            "longitude": 0.0,
            "fatalities": 12,
            "location": "Darra Adam Khel",
        },  # by name: a match
        {
            "event_type": "Battles",
            "event_date": "2025-11-09",
            "latitude": 40.0,
            "longitude": 70.0,
            "fatalities": 1,
            "location": "Z",
        },  # too far: extra
    ]
    score = score_events(gold, lambda article_id: out)
    assert (score.gold, score.predicted, score.matched) == (2, 3, 2)
    assert (score.type_ok, score.fatalities_ok, score.date_ok) == (1, 2, 1)
    assert "precision 0.667  recall 1.000" in score.report()


def test_equally_near_events_pair_with_the_gold_event_they_agree_with():
    from mapper.evaluate import score_events

    def event(kind, toll):
        return {
            "event_type": kind,
            "event_date": "2025-07-21",
            "latitude": 31.8,
            "longitude": 70.9,
            "geo_precision": 1,
            "fatalities": toll,
        }

    gold = [{"article": "a", "events": [event("Battles", 2), event("Explosions", 7)]}]
    score = score_events(gold, lambda _: [event("Explosions", 7), event("Battles", 2)])
    assert (score.matched, score.type_ok, score.fatalities_ok) == (2, 2, 2)


@pytest.mark.parametrize(
    ("gold_name", "named", "matched"),
    [
        ("Halwan village", "Halwan", True),
        ("Qarsi district", "Qarsī", True),
        ("near the village of Tobrin", "Tobrin", True),
        ("Bel Kora village tract", "Bel Kora", True),
        ("Zorvan shopping center", "Zorvan", True),
        ("Halwan village", "Halwani", False),
        ("district", "Halwan", False),
    ],
)
def test_a_gold_place_without_coordinates_matches_its_name_without_the_words_around_it(
    gold_name, named, matched
):
    from mapper.evaluate import match_events

    gold = {"event_date": "2024-05-02", "latitude": None, "longitude": None}
    event = {"event_date": "2024-05-02", "latitude": 10.0, "longitude": 20.0, "location": named}
    pairs = match_events([event], [gold | {"location_name": gold_name}])
    assert bool(pairs) is matched
