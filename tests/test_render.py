import json
import re

from mapper.export import to_geodataframe
from mapper.render import render_map, script_json

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


def test_hostile_text_appears_only_json_encoded():
    html = render_map(to_geodataframe([event()]), summary=SUMMARY)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert " 49 " not in html  # Jinja did not evaluate {{7*7}}
    assert script_json(HOSTILE, template=False)[1:-1] in html  # present, as data


def test_offline_page_links_no_cdn():
    html = render_map(to_geodataframe([event()]), summary=SUMMARY)
    assert not re.search(r'<script[^>]+src=|<link[^>]+href="http', html)
    online = render_map(to_geodataframe([event()]), summary=SUMMARY, assets="cdn")
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js">' in online


def test_one_layer_per_event_type_present():
    frame = to_geodataframe(
        [event(), event(start=20, end=30, event_type="Protests", sub_event_type="Peaceful protest")]
    )
    html = render_map(frame, summary=SUMMARY)
    assert "Battles (1)" in html and "Protests (1)" in html and "Riots (" not in html


def test_same_events_give_the_same_page():
    frame = to_geodataframe([event()])
    assert render_map(frame, summary=SUMMARY) == render_map(frame, summary=SUMMARY)
