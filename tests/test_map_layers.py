"""The map's tree of event types, shapes, groups and evidence marks, in headless Chromium.

Pages are rendered straight from events written for each test, opened from disk with every
http(s) request refused (see ``test_browser.Page``).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from mapper.output.export import to_geodataframe
from mapper.output.render import render_map

from .conftest import event
from .test_browser import FIND_MAP, Page
from .test_render import in_pakistan

pytestmark = pytest.mark.browser

SUMMARY = {"events": 0, "fatalities": 0, "articles": 1, "problems": 0, "first": None, "last": None}
# Text that would run, or break the page, if it were ever treated as HTML, JavaScript or a
# template anywhere on its way into the tree, a tooltip or a popup.
HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "${alert(4)} `backtick` {{7*7}} {% raw %}",
    "C:\\1\\path \u2028 line\u2029 end",
    "javascript:alert(5)",
)


def open_map(browser, tmp_path, events, *, assets="self-contained") -> Page:
    path = tmp_path / "map.html"
    html = render_map(to_geodataframe(events), summary=SUMMARY, assets=assets)
    path.write_text(html, encoding="utf-8")
    page = Page(browser, path)
    assert page.errors == [] and page.dialogs == []
    assert [u for u in page.requests if not u.startswith("file:")] == []
    return page


def spread(specs, **common):
    """One event per (event type, sub-event type), a degree apart: none overlap on screen."""
    return [
        event(
            event_type=t,
            sub_event_type=s,
            start=10 * i,
            end=10 * i + 5,
            location=f"Town {i}",
            latitude=30 + (i % 4),
            longitude=66 + (i // 4),
            geo_precision=1,
            evidence=f"Report {i}.",
            event_date=f"2025-11-{1 + i:02d}",
            **common,
        )
        for i, (t, s) in enumerate(specs)
    ]


SPECS = [
    ("Battles", "Armed clash"),
    ("Battles", "Armed clash"),
    ("Battles", "Armed clash"),
    ("Battles", "Government regains territory"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
]


def checkbox(page: Page, name: str):
    return page.page.locator(".mapper-tree label").filter(has_text=name).first.locator("input")


def test_a_sub_type_hides_exactly_its_events_and_a_type_all_of_its_sub_types(browser, tmp_path):
    page = open_map(browser, tmp_path, spread(SPECS))
    assert page.zoom() >= 7 or page.groups() == 0
    assert page.markers().count() == page.visible() == 7
    assert page.tree() == {
        "Battles": [4, {"Armed clash": 3, "Government regains territory": 1}],
        "Explosions/Remote violence": [
            3,
            {"Air/drone strike": 2, "Shelling/artillery/missile attack": 1},
        ],
    }
    page.toggle("Armed clash")
    assert page.markers().count() == page.visible() == 4
    assert checkbox(page, "Battles").evaluate("el => el.indeterminate")
    page.toggle("Battles")  # the type: all its sub-types go, whatever their state
    assert page.markers().count() == page.visible() == 3
    assert not checkbox(page, "Government regains territory").is_checked()
    page.toggle("Battles")
    assert page.markers().count() == page.visible() == 7
    assert checkbox(page, "Armed clash").is_checked()
    # Counts follow the dates: from the third day on, two clashes of three remain.
    page.filter_from(2)
    assert page.tree()["Battles"] == [2, {"Armed clash": 1, "Government regains territory": 1}]
    assert page.markers().count() == page.visible() == 5


def test_each_type_has_its_shape_on_its_markers_and_in_the_tree_and_size_follows_the_toll(
    browser,
    tmp_path,
):
    events = spread(
        [("Battles", "Armed clash"), ("Protests", "Peaceful protest"), ("Battles", "Armed clash")]
    )
    page = open_map(browser, tmp_path, events)
    shapes = page.page.evaluate(
        """() => Array.from(document.querySelectorAll('path.mapper-event')).map(
          p => p.getAttribute('class').match(/mapper-shape-(\\w+)/)[1])"""
    )
    assert sorted(shapes) == ["cross", "cross", "square"]
    icons = page.page.evaluate(
        """() => Array.from(document.querySelectorAll('.mapper-tree-type svg')).map(
          s => s.getAttribute('class'))"""
    )
    assert icons == ["mapper-icon mapper-shape-cross", "mapper-icon mapper-shape-square"]


def test_markers_are_sized_by_the_toll(browser, tmp_path):
    few, many = spread([("Battles", "Armed clash")] * 2)
    page = open_map(browser, tmp_path, [replace(few, fatalities=0), replace(many, fatalities=40)])
    sizes = page.page.evaluate(
        """() => Array.from(document.querySelectorAll('path.mapper-event')).map(
          p => p.getBBox().width)"""
    )
    assert max(sizes) > 3 * min(sizes)


def crowd():
    """Twelve events in one town and one far away: at low zoom the twelve are one group."""
    town = [
        event(
            sub_event_type="Government regains territory" if i < 2 else "Armed clash",
            start=10 * i,
            end=10 * i + 5,
            location=f"Quarter {i}",
            latitude=33.0 + i * 0.001,
            longitude=70.0 + i * 0.001,
            geo_precision=1,
            evidence=f"Report from quarter {i}.",
            event_date=f"2025-11-{1 + i:02d}",
        )
        for i in range(12)
    ]
    far = event(start=500, end=505, location="Far away", latitude=40.0, longitude=60.0)
    return [*town, far]


def group_counts(page: Page) -> list[int]:
    return sorted(int(t) for t in page.page.locator(".mapper-cluster").all_inner_texts())


def test_overlapping_markers_group_when_zoomed_out_and_follow_the_toggles_and_dates(
    browser,
    tmp_path,
):
    page = open_map(browser, tmp_path, crowd())
    page.set_zoom(5)
    assert group_counts(page) == [12]
    assert page.markers().count() == 1  # the far event, alone, is itself
    page.toggle("Government regains territory")
    assert group_counts(page) == [10]
    page.filter_from(10)  # the last two days of the town's events
    assert group_counts(page) == [2]
    page.filter_from(11)
    assert group_counts(page) == [] and page.markers().count() == 1  # one event: no group
    page.filter_from(0)
    page.toggle("Government regains territory")
    assert group_counts(page) == [12]
    # Zoomed in, every marker is drawn.
    page.set_zoom(10)
    assert group_counts(page) == [] and page.markers().count() == 13


def test_a_click_on_a_group_zooms_in_and_the_search_opens_an_event_inside_one(
    browser,
    tmp_path,
):
    page = open_map(browser, tmp_path, crowd())
    page.set_zoom(4)
    group = page.page.locator(".mapper-cluster")
    assert group.count() == 1
    assert group.get_attribute("title").startswith("12 events here: 12 Battles")
    group.click()
    page.page.wait_for_function(f"() => {FIND_MAP}.getZoom() === 6")
    page.set_zoom(4)
    page.search("Quarter 7")
    assert "Report from quarter 7." in page.popup_text()


def told(evidence: str, place: str | None, toll: str | None, *, at: int, **kw):
    """An event whose evidence names ``place`` and ``toll`` (their first occurrence, or the
    offsets into the evidence given as ``place_span``/``toll_span``, either end None), in an
    article where the evidence starts at ``at``."""
    spans = {}
    for kind, words in (("place", place), ("toll", toll)):
        span = kw.pop(f"{kind}_span", None)
        if span is None and words is not None:
            span = (evidence.index(words), evidence.index(words) + len(words))
        if span is not None:
            spans[f"{kind}_start"], spans[f"{kind}_end"] = (
                None if x is None else at + x for x in span
            )
    return event(
        evidence=evidence, start=at, end=at + len(evidence), geo_precision=1, **spans, **kw
    )


def shown_evidence(page: Page) -> dict[str, list[tuple[str, int, int, str]]]:
    """Each popup's evidence → its marks (class, start, end, text)."""
    shown = {}
    for i in range(page.markers().count()):
        page.open_popup(i)
        text, marks = page.evidence()
        shown[text] = marks
    return shown


PLACE, TOLL = "MARK.mapper-mark-place", "MARK.mapper-mark-toll"


def spread_out(events):
    """The events a few degrees apart, so that none hides another at the first view."""
    return [
        replace(e, latitude=28 + 2 * (i % 4), longitude=64 + 2 * (i // 4))
        for i, e in enumerate(events)
    ]


def test_the_evidence_marks_exactly_the_place_and_toll_its_offsets_give(browser, tmp_path):
    waziristan = "Drones hit a compound in North Waziristan, killing eight fighters overnight."
    darra = "Police said twelve died when gunmen raided a checkpost in Darra Adam Khel."
    # Quetta twice and 3 inside 2023: only the offsets say which words are the event's.
    quetta = "Quetta police said 3 guards from Quetta died in the 2023-style ambush."
    events = [
        # Gazetteer names spelled otherwise than the sentence spells them.
        told(waziristan, "North Waziristan", "eight", at=0, location="North Wazīristān"),
        told(darra, "Darra Adam Khel", "twelve", at=200, location="Dara Adam Khel"),
        told(quetta, "Quetta", "3", at=400, place_span=(33, 39), location="Quetta"),
    ]
    page = open_map(browser, tmp_path, spread_out(events))
    assert shown_evidence(page) == {
        waziristan: [(PLACE, 25, 41, "North Waziristan"), (TOLL, 51, 56, "eight")],
        darra: [(TOLL, 12, 18, "twelve"), (PLACE, 58, 73, "Darra Adam Khel")],
        quetta: [(TOLL, 19, 20, "3"), (PLACE, 33, 39, "Quetta")],
    }


def test_an_event_without_offsets_shows_its_evidence_unmarked(browser, tmp_path):
    # The sentence names the event's place and toll, but the event does not say where (as after
    # a merge that took them from another report): nothing is guessed.
    plain = "Five soldiers were killed in Kabul, 5 officials said."
    toll_only = "Seven people died in Kandahar after a blast, 7 of them children."
    events = [
        told(plain, None, None, at=0, location="Kabul", fatalities=5),
        told(toll_only, None, "Seven", at=100, location="Kandahar", fatalities=7),
    ]
    page = open_map(browser, tmp_path, spread_out(events))
    assert shown_evidence(page) == {plain: [], toll_only: [(TOLL, 0, 5, "Seven")]}


def test_spans_missing_out_of_range_or_overlapping_are_skipped(browser, tmp_path):
    text = "Gunmen killed nine in Bannu."
    bannu, nine = (22, 27), (14, 18)
    cases = {
        "past the end": {"place_span": (22, 200), "toll_span": nine},
        "backwards": {"place_span": (27, 22), "toll_span": nine},
        "empty": {"place_span": (22, 22), "toll_span": nine},
        "overlapping": {"place_span": (14, 27), "toll_span": nine},
        "before the start": {"place_span": (-3, 2), "toll_span": nine},
        "half of it": {"place_span": bannu, "toll_span": (None, 18)},
    }
    events = [
        told(f"{text} ({name})", None, None, at=100 * i + 10, **spans)
        for i, (name, spans) in enumerate(cases.items())
    ]
    page = open_map(browser, tmp_path, spread_out(events))
    assert shown_evidence(page) == {
        f"{text} (past the end)": [(TOLL, *nine, "nine")],
        f"{text} (backwards)": [(TOLL, *nine, "nine")],
        f"{text} (empty)": [(TOLL, *nine, "nine")],
        f"{text} (overlapping)": [],  # which of the two is right cannot be told: neither
        f"{text} (before the start)": [(TOLL, *nine, "nine")],
        f"{text} (half of it)": [(PLACE, *bannu, "Bannu")],
    }
    assert page.errors == []


def test_hostile_evidence_stays_text_with_marks_placed_by_offsets(browser, tmp_path):
    # A character outside the BMP first: JavaScript counts it as two, the offsets as one.
    hostile = (
        "\U0001f525 <img src=x onerror=alert(1)> ${alert(1)} `whoami` {{7*7}} {% if 1 %}"
        " <b>Raiders</b> killed six in Peshawar </mark><script>alert(2)</script>."
    )
    events = [told(hostile, "Peshawar", "six", at=50, location="Peshawar")]
    page = open_map(browser, tmp_path, events)
    before = page.page.evaluate("() => document.querySelectorAll('script, img, b').length")
    place, toll = hostile.index("Peshawar"), hostile.index("six")
    assert shown_evidence(page) == {
        hostile: [(TOLL, toll, toll + 3, "six"), (PLACE, place, place + 8, "Peshawar")]
    }
    assert page.page.locator(".leaflet-popup .mapper-evidence *").count() == 2  # the marks only
    assert page.page.evaluate("() => document.querySelectorAll('script, img, b').length") == before
    assert page.page.locator(".leaflet-popup img, .leaflet-popup b").count() == 0
    assert "49" not in page.popup_text()
    page.page.wait_for_timeout(200)
    assert page.errors == [] and page.dialogs == []


def test_hostile_names_reach_the_tree_tooltips_and_groups_as_text_only(browser, tmp_path):
    events = [
        event(
            sub_event_type=text,
            location=text,
            actor1=text,
            start=10 * i,
            end=10 * i + 5,
            latitude=30 + i,
            longitude=66 + i,
            geo_precision=1,
        )
        for i, text in enumerate(HOSTILE)
    ]
    page = open_map(browser, tmp_path, events)
    scripts = page.page.evaluate("() => document.querySelectorAll('script').length")
    names = page.page.locator(".mapper-tree-sub .mapper-tree-name").all_text_contents()
    assert sorted(names) == sorted(HOSTILE)
    titles = page.page.evaluate(
        "() => Array.from(document.querySelectorAll('.mapper-tree-sub label')).map(l => l.title)"
    )
    assert all(any(text in title for title in titles) for text in HOSTILE)
    for i in range(page.markers().count()):
        page.markers().nth(i).hover(force=True)
        tooltip = page.page.locator(".leaflet-tooltip").last
        assert any(text in tooltip.inner_text() for text in HOSTILE)
    page.toggle(HOSTILE[0])
    page.set_zoom(2)
    page.search("javascript")
    assert "javascript:alert(5)" in page.popup_text()
    page.page.wait_for_timeout(200)
    assert page.errors == [] and page.dialogs == []
    assert page.page.evaluate("() => document.querySelectorAll('script').length") == scripts
    assert (
        page.page.evaluate(
            "() => document.querySelectorAll('img[src=\"x\"], svg[onload], [onerror]').length"
        )
        == 0
    )
    assert "49" not in page.page.locator(".mapper-tree").inner_text()


def test_a_large_map_draws_a_border_event_on_its_canvas_and_opens_it(browser, tmp_path):
    border = in_pakistan("Border clashes with Afghan forces killed dozens on both sides.")
    many = [
        event(
            article_id=f"b{i}",
            start=i,
            end=i + 5,
            location=f"Village {i}",
            country="TD",
            latitude=10 + (i % 60) / 20,
            longitude=18 + (i // 60) / 20,
            geo_precision=1,
        )
        for i in range(3100)
    ]
    page = open_map(browser, tmp_path, [border, *many])
    assert page.page.get_attribute(".leaflet-container", "data-mapper-mode") == "canvas"
    page.search("Afghanistan–Pakistan border")
    assert "along the Afghanistan–Pakistan border" in page.popup_text()
    # Closed, then clicked where the canvas draws the line: the same event opens.
    at = page.page.evaluate(
        f"""() => {{ const m = {FIND_MAP}; const p = m.latLngToContainerPoint(
          document.querySelector('.leaflet-popup') && m._popup.getLatLng());
          m.closePopup(); const r = m.getContainer().getBoundingClientRect();
          return [r.x + p.x, r.y + p.y]; }}"""
    )
    page.page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0")
    page.page.mouse.click(*at)
    assert "Border clashes with Afghan forces" in page.popup_text()


def heat_points(page: Page) -> list[tuple[float, float, float]]:
    """The points of the heat map as the page draws them: (lat, lon, weight), sorted."""
    points = page.page.evaluate(
        f"""() => Object.values({FIND_MAP}._layers).find(l => l instanceof L.HeatLayer)
          ._latlngs.map(p => [p[0], p[1], p[2]])"""
    )
    return sorted((round(a, 4), round(b, 4), w) for a, b, w in points)


def expected_heat(events) -> list[tuple[float, float, float]]:
    return sorted(
        (round(e.latitude, 4), round(e.longitude, 4), max(1, e.fatalities or 0)) for e in events
    )


def heat_switch(page: Page):
    return page.page.locator(".leaflet-control-layers-overlays label", has_text="Heat map").locator(
        "input"
    )


def test_the_heat_map_weighs_exactly_the_events_shown_by_the_tree_and_the_dates(
    browser,
    tmp_path,
):
    events = [replace(e, fatalities=i % 3 * 4) for i, e in enumerate(spread(SPECS))]
    page = open_map(browser, tmp_path, events)
    heat_switch(page).check()
    assert heat_points(page) == expected_heat(events)
    page.toggle("Armed clash")
    shown = [e for e in events if e.sub_event_type != "Armed clash"]
    assert heat_points(page) == expected_heat(shown) and page.visible() == len(shown) == 4
    page.filter_from(4)  # from the fifth day: the three Explosions/Remote violence events
    shown = [e for e in shown if e.event_date >= "2025-11-05"]
    assert heat_points(page) == expected_heat(shown) and page.visible() == len(shown) == 3
    # Changed while the heat map is off, it shows the new choice when it is turned on again.
    heat_switch(page).uncheck()
    page.toggle("Explosions/Remote violence")
    page.toggle("Armed clash")
    page.filter_from(2)
    heat_switch(page).check()
    shown = [
        e
        for e in events
        if e.event_type != "Explosions/Remote violence" and e.event_date >= "2025-11-03"
    ]
    assert heat_points(page) == expected_heat(shown) and page.visible() == len(shown) == 2
    assert page.errors == []


def test_a_popup_opened_before_the_details_are_unpacked_fills_in_when_they_are(
    browser,
    tmp_path,
):
    events = [
        replace(e, evidence=f"{HOSTILE[i % len(HOSTILE)]} {i}") for i, e in enumerate(spread(SPECS))
    ]
    path = tmp_path / "map.html"
    path.write_text(render_map(to_geodataframe(events), summary=SUMMARY), encoding="utf-8")
    # No idle time: the page unpacks the popups' fields only when the first popup asks.
    page = Page(browser, path, init_script="window.requestIdleCallback = () => 0;")
    text = page.open_popup(0)
    assert any(e.evidence in text for e in events) and "Killed" in text
    assert page.page.locator(".leaflet-popup .mapper-popup").count() == 1
    assert "Loading" not in page.page.locator(".leaflet-popup").inner_text()
    assert page.errors == [] and page.dialogs == []
