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
from .test_browser import FIND_MAP, Page, browser  # noqa: F401 (the browser fixture)
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


def open_map(browser, tmp_path, events, *, assets="self-contained") -> Page:  # noqa: F811
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


def test_a_sub_type_hides_exactly_its_events_and_a_type_all_of_its_sub_types(browser, tmp_path):  # noqa: F811
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
    browser,  # noqa: F811
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


def test_markers_are_sized_by_the_toll(browser, tmp_path):  # noqa: F811
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
    browser,  # noqa: F811
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
    browser,  # noqa: F811
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


def test_the_evidence_marks_a_place_the_sentence_spells_differently(browser, tmp_path):  # noqa: F811
    # (gazetteer name, evidence): the first two name the place in another spelling.
    cases = [
        ("Dara Adam Khel", "Twelve were killed in a raid in Darra Adam Khel on Sunday."),
        ("Miranshah", "Two soldiers died in Miran Shah, officials said."),
        ("Kabul", "Clashes broke out near the capital."),
    ]
    events = [
        event(
            location=name,
            evidence=evidence,
            start=100 * i,
            end=100 * i + 10,
            latitude=30 + 2 * i,
            longitude=66 + 2 * i,
            geo_precision=1,
        )
        for i, (name, evidence) in enumerate(cases)
    ]
    page = open_map(browser, tmp_path, events)
    marks = {}
    for i in range(page.markers().count()):
        text = page.open_popup(i)
        found = page.page.locator(".leaflet-popup .mapper-evidence mark.mapper-mark-place")
        marks[text.splitlines()[-2]] = found.all_inner_texts()
    assert marks["Twelve were killed in a raid in Darra Adam Khel on Sunday."] == [
        "Darra Adam Khel"
    ]
    assert marks["Two soldiers died in Miran Shah, officials said."] == ["Miran Shah"]
    assert marks["Clashes broke out near the capital."] == []


def test_hostile_names_reach_the_tree_tooltips_and_groups_as_text_only(browser, tmp_path):  # noqa: F811
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


def test_a_large_map_draws_a_border_event_on_its_canvas_and_opens_it(browser, tmp_path):  # noqa: F811
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
    browser,  # noqa: F811
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
    browser,  # noqa: F811
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
