import base64
import json
import re
import zlib
from importlib import resources

from mapper.output.export import frame_from_values, sorted_events, stored_values, to_geodataframe
from mapper.output.render import _SCRIPTS, LOW_CONFIDENCE, render_map, script_json

from .conftest import event as make_event

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> ${alert(1)} ` {{7*7}} C:\\1\\path"
    " </script>"
)
SUMMARY = {
    "events": 1,
    "fatalities": 3,
    "articles": 1,
    "problems": 0,
    "first": "2025-11-09",
    "last": "2025-11-09",
}


def event(**kw):
    return make_event(
        **{
            "evidence": HOSTILE,
            "end": 10,
            "geo_precision": 1,
            "source": HOSTILE,
            "source_url": "javascript:alert(1)",
            **kw,
        }
    )


def test_script_json_outside_templates_still_cannot_close_the_script():
    value = {"t": HOSTILE}
    encoded = script_json(value, template=False)
    for raw in ("<", "${", "`"):
        assert raw not in encoded
    assert json.loads(encoded) == value


def test_script_json_cannot_close_the_script_and_round_trips():
    value = {"t": HOSTILE, "u": "\u2028", "nested": [{"k": '\\"{%\\'}], "\\{{": "}}"}
    encoded = script_json(value)
    for raw in ("<", "\u2028", "{{", "{%", "${", "`"):
        assert raw not in encoded
    assert json.loads(encoded) == value


def test_hostile_text_appears_only_encoded():
    html = render_map(to_geodataframe([event()]), summary=SUMMARY)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert " 49 " not in html  # Jinja did not evaluate {{7*7}}
    assert payload(html, "mapper-details")["evidence"] == [HOSTILE]  # present, as data


def test_hostile_text_comes_back_whole_from_the_pages_json_blocks():
    html = render_map(to_geodataframe([event()]), summary=SUMMARY)
    details = payload(html, "mapper-details")
    assert details["evidence"] == [HOSTILE]
    assert details["strings"][details["source"][0]] == HOSTILE
    # The first view's block carries no article text: popups read it from the details.
    assert HOSTILE not in json.dumps(payload(html))


def test_offline_page_links_no_cdn():
    html = render_map(to_geodataframe([event()]), summary=SUMMARY)
    assert not re.search(r'<script[^>]+src=|<link[^>]+href="http', html)
    online = render_map(to_geodataframe([event()]), summary=SUMMARY, assets="cdn")
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js">' in online


def payload(html: str, block: str = "mapper-data") -> dict:
    """The data the page draws (or, with ``block="mapper-details"``, shows in popups, packed),
    as render_map wrote it."""
    found = re.search(f'<script type="([^"]+)" id="{block}">(.*?)</script>', html)
    kind, text = found.groups()
    if kind == "application/octet-stream":
        text = zlib.decompress(base64.b64decode(text)).decode("utf-8")
    return json.loads(text)


def test_the_page_carries_each_event_type_and_sub_type_with_its_colour_and_shape():
    frame = to_geodataframe(
        [event(), event(start=20, end=30, event_type="Protests", sub_event_type="Peaceful protest")]
    )
    data = payload(render_map(frame, summary=SUMMARY))
    strings = data["events"]["strings"]
    assert [strings[i] for i in data["events"]["event_type"]] == ["Battles", "Protests"]
    assert [strings[i] for i in data["events"]["sub_event_type"]] == [
        "Armed clash",
        "Peaceful protest",
    ]
    shapes = [style["shape"] for style in data["styles"].values()]
    assert len(set(shapes)) == len(shapes) == len(data["types"])  # one shape per type


def in_pakistan(evidence: str, **kw):
    """An event known only to be in Pakistan (country level)."""
    return make_event(
        evidence=evidence,
        location="Pakistan",
        country="PK",
        geo_precision=4,
        latitude=30.0,
        longitude=70.0,
        **kw,
    )


def test_an_event_at_a_border_carries_the_line_the_two_countries_share():
    clash = in_pakistan("Deadly border clashes killed dozens of soldiers on both sides.")
    elsewhere = event(start=40, end=50, article_id="a1")  # Kabul: the article's other country
    town = event(
        start=60,
        end=70,
        evidence="A border post in Torkham came under fire.",
        location="Torkham",
        country="AF",
        geo_precision=1,
    )
    html = render_map(to_geodataframe([clash, elsewhere, town]), summary=SUMMARY)
    data = payload(html)
    (border,) = data["borders"]
    assert border["names"] == ["Afghanistan", "Pakistan"]
    # Events are sorted when the frame is made: find the clash by its evidence.
    index = payload(html, "mapper-details")["evidence"].index(clash.evidence)
    column = data["events"]["border"]
    column = column["sparse"] if isinstance(column, dict) else dict(enumerate(column))
    assert {int(k): v for k, v in column.items() if v is not None} == {index: 0}
    path = border["paths"][0]
    lats, lons = path[0::2], path[1::2]
    # The Afghanistan–Pakistan border runs between about 29 and 38 degrees north, 60 and 76 east.
    assert 29 <= min(lats) < max(lats) <= 38 and 60 <= min(lons) < max(lons) <= 76


def test_same_events_give_the_same_page():
    frame = to_geodataframe([event()])
    assert render_map(frame, summary=SUMMARY) == render_map(frame, summary=SUMMARY)


def test_a_page_from_stored_records_is_the_page_from_the_events():
    # The build draws its map from the records the event store keeps, whose other reports are
    # lists; a map drawn straight from events has them as objects. The page is the same.
    events = [
        event(also_reported=(("a2", "Wire B", "https://b.example/2"), ("a3", None, None))),
        event(evidence="Clashes in Kabul.", event_date="2025-11-10"),
    ]
    stored = [stored_values(e.to_record()) for e in sorted_events(events)]
    page = render_map(frame_from_values(stored), summary=SUMMARY)
    assert page == render_map(to_geodataframe(events), summary=SUMMARY)
    reports = [r for r in payload(page, "mapper-details")["also_reported"] if r]
    assert reports == [[["a2", "Wire B", "https://b.example/2"], ["a3", None, None]]]


def test_the_details_carry_the_place_and_toll_as_offsets_into_the_evidence():
    told = make_event(
        evidence="Gunmen killed eight in North Waziristan.",
        start=120,
        end=160,
        location="North Wazīristān",
        place_start=143,
        place_end=159,
        toll_start=134,
        toll_end=139,
    )
    # Merged from another report: the place is this one's, the toll another's (no offsets).
    merged = make_event(
        evidence="Clashes in Kabul.", start=7, end=24, place_start=18, place_end=23, event_date=None
    )
    untold = make_event(evidence="Clashes somewhere.", start=300, end=318, event_date="2025-12-01")
    details = payload(
        render_map(to_geodataframe([told, merged, untold]), summary=SUMMARY), "mapper-details"
    )
    order = [told.evidence, merged.evidence, untold.evidence]
    assert sorted(details["evidence"]) == sorted(order)

    def column(name):
        values = details[name]
        if isinstance(values, dict):
            values = [values["sparse"].get(str(i)) for i in range(details["n"])]
        return dict(zip(details["evidence"], values, strict=True))

    place = {e: (column("place_at")[e], column("place_len")[e]) for e in order}
    toll = {e: (column("toll_at")[e], column("toll_len")[e]) for e in order}
    assert place == {
        told.evidence: (23, 16),
        merged.evidence: (11, 5),
        untold.evidence: (None,) * 2,
    }
    assert toll == {
        told.evidence: (14, 5),
        merged.evidence: (None,) * 2,
        untold.evidence: (None,) * 2,
    }
    assert told.evidence[23:39] == "North Waziristan" and told.evidence[14:19] == "eight"


def test_every_asset_mode_inlines_the_pages_scripts_in_their_order():
    static = resources.files("mapper.output").joinpath("static")
    # Every script shipped is one the page runs (no part left behind by a split).
    assert sorted(p.name for p in static.iterdir() if p.name.endswith(".js")) == sorted(_SCRIPTS)
    frame = to_geodataframe([event()])
    for assets in ("inline", "self-contained", "cdn"):
        html = render_map(frame, summary=SUMMARY, assets=assets)
        at = [html.index(static.joinpath(name).read_text(encoding="utf-8")) for name in _SCRIPTS]
        assert at == sorted(at), assets
        assert html.index("mapperDraw(") > at[-1]


def test_the_first_view_carries_each_events_confidence_and_the_page_its_threshold():
    # Invented places, one event each: the model's confidences, one with more digits than it
    # gives, so that the page's two decimals show.
    places = {"Ostermoor": 0.7349, "Kellin Ford": 0.2, "Brackwater": 1.0}
    frame = to_geodataframe(
        [
            event(start=10 * i, end=10 * i + 5, location=name, confidence=value)
            for i, (name, value) in enumerate(places.items())
        ]
    )
    data = payload(render_map(frame, summary=SUMMARY))
    columns = data["events"]
    by_place = {
        columns["strings"][at]: value
        for at, value in zip(columns["location"], columns["confidence"], strict=True)
    }
    assert by_place == {"Ostermoor": 0.73, "Kellin Ford": 0.2, "Brackwater": 1.0}
    # The threshold is set once, in Python, and handed to the page with its data.
    assert data["config"]["low_confidence"] == LOW_CONFIDENCE == 0.5
    # The popups' block does not carry it a second time.
    assert "confidence" not in payload(render_map(frame, summary=SUMMARY), "mapper-details")


def test_the_scripts_take_the_confidence_threshold_from_the_page_never_their_own():
    static = resources.files("mapper.output").joinpath("static")
    scripts = {name: static.joinpath(name).read_text(encoding="utf-8") for name in _SCRIPTS}
    readers = [name for name, js in scripts.items() if "config.low_confidence" in js]
    assert readers, "no script reads the threshold from the page's config"
    for name, js in scripts.items():
        # A number compared with a confidence would be the threshold written a second time.
        assert not re.search(r"confidence\w*\s*[<>]=?\s*\d", js), name
