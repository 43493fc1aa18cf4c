"""The map in a real headless Chromium, with the network blocked.

Required in CI (CI=true): there, a missing browser fails these tests instead of skipping them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from mapper.pipeline import Pipeline

from .conftest import SEED, event

pytestmark = pytest.mark.browser

FIND_MAP = "Object.values(window).find(v => v instanceof L.Map)"
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> ${alert(1)} ` {{7*7}} C:\\1\\path"


class Page:
    """A map page opened from disk with every http(s) request refused; or, given ``served``
    (the address of a local server), opened from there, requests to that server allowed."""

    def __init__(
        self,
        browser,
        path: Path | None = None,
        *,
        init_script: str | None = None,
        fragment: str = "",
        served: str | None = None,
    ) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1200, "height": 800})
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        origin = served.split("/", 3)[:3] if served else None
        origin = "/".join(origin) + "/" if origin else None

        def block(route):
            self.requests.append(route.request.url)
            url = route.request.url
            if url.startswith(("http://", "https://")) and not (served and url.startswith(origin)):
                route.abort()
            else:
                route.continue_()

        self.page.route("**/*", block)
        if init_script:
            self.page.add_init_script(init_script)
        self.page.goto((served or path.resolve().as_uri()) + fragment)
        self.page.wait_for_function("window.mapperReady === true", timeout=15_000)

    def markers(self):
        return self.page.locator("path.mapper-event")

    def visible(self) -> int:
        return int(self.page.get_attribute(".leaflet-container", "data-mapper-visible"))

    def groups(self) -> int:
        return int(self.page.get_attribute(".leaflet-container", "data-mapper-groups"))

    def tree(self) -> dict:
        """{type: (count, {sub-type: count})} as the tree of layers shows them."""
        return self.page.evaluate(
            """() => Object.fromEntries(Array.from(document.querySelectorAll(
              '.mapper-tree-type')).map(li => [
                li.querySelector(':scope > label .mapper-tree-name').textContent,
                [+li.querySelector(':scope > label .mapper-tree-count').textContent,
                 Object.fromEntries(Array.from(li.querySelectorAll('.mapper-tree-sub')).map(
                   s => [s.querySelector('.mapper-tree-name').textContent,
                         +s.querySelector('.mapper-tree-count').textContent]))]]))"""
        )

    def toggle(self, name: str) -> None:
        """Click the tree's checkbox of an event type or sub-type named exactly ``name``."""
        self.page.locator(".mapper-tree label").filter(
            has=self.page.locator(".mapper-tree-name", has_text=re.compile(f"^{re.escape(name)}$"))
        ).first.locator("input").click()

    def set_zoom(self, zoom: int) -> None:
        # A zoom animation still running ignores setZoom, so keep asking until it holds.
        self.page.wait_for_function(
            f"() => {{ const m = {FIND_MAP}; if (m.getZoom() !== {zoom})"
            f" m.setZoom({zoom}, {{animate: false}}); return m.getZoom() === {zoom}; }}"
        )

    def zoom(self) -> float:
        return self.page.evaluate(f"() => {FIND_MAP}.getZoom()")

    def days(self) -> list[str]:
        """The first day each event's date can mean, each once, in order."""
        return self.page.evaluate(
            """() => Array.from(new Set(mapper.firstView(JSON.parse(document.getElementById(
              'mapper-data').textContent).events).event_date.filter(Boolean).map(
              d => d.length === 4 ? d + '-01-01' : d.length === 7 ? d + '-01' : d))).sort()"""
        )

    def set_dates(self, first: str | None = None, last: str | None = None) -> None:
        """Type the dates of the range, as a reader does, into its boxes."""
        for cls, value in (("from", first), ("to", last)):
            if value is not None:
                self.page.locator(f".mapper-time-{cls}").evaluate(
                    "(el, v) => { el.value = v;"
                    " el.dispatchEvent(new Event('change', {bubbles: true})); }",
                    value,
                )

    def filter_from(self, index: int) -> None:
        """Move the start of the date range to the ``index``-th day that starts an event's
        date (the last, for an index past it)."""
        days = self.days()
        self.set_dates(days[min(index, len(days) - 1)])

    def open_popup(self, index: int) -> str:
        self.page.evaluate(
            "document.querySelectorAll('.leaflet-popup-close-button').forEach(b => b.click())"
        )
        self.page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0")
        self.click(self.markers().nth(index))
        return self.popup_text()

    def click(self, marker) -> None:
        """Click a drawn event (a line half way along it, a shape or an area at its centre),
        even where a control covers it."""
        marker.evaluate(
            """el => {
              let x, y;
              if (el.classList.contains('mapper-border')) {
                const p = el.getPointAtLength(el.getTotalLength() / 2).matrixTransform(
                  el.getScreenCTM());
                [x, y] = [p.x, p.y];
              } else {
                const r = el.getBoundingClientRect();
                [x, y] = [r.x + r.width / 2, r.y + r.height / 2];
              }
              for (const type of ['mousedown', 'mouseup', 'click']) {
                el.dispatchEvent(new MouseEvent(type, {bubbles: true, clientX: x, clientY: y}));
              }
            }"""
        )

    def search(self, name: str) -> None:
        box = self.page.locator(".mapper-search input")
        box.fill(name)
        box.press("Enter")

    def popup_text(self) -> str:
        popup = self.page.locator(".leaflet-popup-content .mapper-popup")
        popup.wait_for(timeout=5_000)
        return popup.inner_text()

    def evidence(self) -> tuple[str, list[tuple[str, int, int, str]]]:
        """The open popup's evidence as text and its marks as (class, start, end, text), the
        offsets counted in code points as Python counts them."""
        text, marks = self.page.evaluate(
            """() => {
              const quote = document.querySelector('.leaflet-popup .mapper-evidence');
              let at = 0;
              const marks = [];
              for (const node of quote.childNodes) {
                const n = Array.from(node.textContent).length;
                if (node.nodeType !== Node.TEXT_NODE) {
                  marks.push([node.tagName + '.' + node.className, at, at + n, node.textContent]);
                }
                at += n;
              }
              return [quote.textContent, marks];
            }"""
        )
        return text, [tuple(m) for m in marks]


def build(pipeline: Pipeline, seeds: Path, out: Path):
    result = pipeline.build(seeds, out)
    features = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]
    return result, features


@pytest.fixture(scope="module")
def seed_map(tmp_path_factory, pipeline):
    seeds = tmp_path_factory.mktemp("seeds")
    for path in SEED.parent.glob(SEED.stem + "*"):
        shutil.copy(path, seeds / path.name)
    out = tmp_path_factory.mktemp("out")
    return build(pipeline, seeds, out)


def test_map_initialises_offline_and_draws_every_event(browser, seed_map):
    result, features = seed_map
    page = Page(browser, result.map_path)
    assert page.errors == []
    assert page.markers().count() == len(features) > 0
    # No request left the machine: every asset is inlined (tiles are the only thing tried).
    assert all("tile.openstreetmap.org" in url for url in page.requests if url.startswith("http"))


def type_counts(features) -> tuple[Counter, Counter]:
    """How many features of each event type, and of each (type, sub-type)."""
    types = Counter(f["properties"]["event_type"] for f in features)
    subs = Counter(
        (f["properties"]["event_type"], f["properties"]["sub_event_type"]) for f in features
    )
    return types, subs


def test_the_tree_lists_each_event_type_and_sub_type_with_counts(browser, seed_map):
    result, features = seed_map
    page = Page(browser, result.map_path)
    types, subs = type_counts(features)
    assert page.tree() == {
        t: [n, {s: m for (t2, s), m in subs.items() if t2 == t}] for t, n in types.items()
    }


def test_clicking_an_event_opens_its_popup_with_evidence(browser, seed_map):
    result, features = seed_map
    evidences = {f["properties"]["evidence"] for f in features}
    page = Page(browser, result.map_path)
    for i in range(page.markers().count()):
        text = page.open_popup(i)
        assert any(e in text for e in evidences), text
        assert "Killed" in text and "precision" in text


def test_the_evidence_marks_the_place_and_the_toll_it_names(browser, pipeline, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bomb.txt").write_text(
        "A roadside bomb killed 8 soldiers near Quetta on Monday, 18 months after"
        " a similar attack, officials said.\n",
        encoding="utf-8",
    )
    (seeds / "bomb.meta.json").write_text('{"published": "2025-11-12"}', encoding="utf-8")
    result, features = build(pipeline, seeds, tmp_path / "out")
    assert [f["properties"]["fatalities"] for f in features] == [8]
    page = Page(browser, result.map_path)
    page.open_popup(0)
    marks = page.page.locator(".mapper-evidence mark")
    found = [
        (marks.nth(i).get_attribute("class"), marks.nth(i).inner_text())
        for i in range(marks.count())
    ]
    # The 8 of the toll, not the 8 inside 18; the sentence is otherwise unchanged.
    assert found == [("mapper-mark-toll", "8"), ("mapper-mark-place", "Quetta")]
    assert (
        page.page.locator(".mapper-evidence").inner_text() == features[0]["properties"]["evidence"]
    )


def expected_marks(properties: dict) -> list[tuple[str, int, int, str]]:
    """The marks an event's offsets give, relative to its evidence, in reading order."""
    evidence, start = properties["evidence"], properties["start"]
    marks = []
    for kind in ("place", "toll"):
        first, last = properties[f"{kind}_start"], properties[f"{kind}_end"]
        if first is not None:
            at, to = first - start, last - start
            marks.append((f"MARK.mapper-mark-{kind}", at, to, evidence[at:to]))
    return sorted(marks, key=lambda m: m[1])


def test_the_evidence_marks_exactly_the_spans_of_the_events_offsets(browser, seed_map):
    result, features = seed_map
    page = Page(browser, result.map_path)
    shown = []
    for i in range(page.markers().count()):
        page.open_popup(i)
        shown.append(page.evidence())
    expected = [(f["properties"]["evidence"], expected_marks(f["properties"])) for f in features]
    assert sorted(shown) == sorted(expected)
    # The gazetteer spells it North Wazīristān; the seed: "eight militants ... North Waziristan".
    waziristan = [marks for _, marks in shown if any(m[3] == "North Waziristan" for m in marks)]
    assert [(m[0], m[3]) for m in waziristan[0]] == [
        ("MARK.mapper-mark-toll", "eight"),
        ("MARK.mapper-mark-place", "North Waziristan"),
    ]
    assert any(f["properties"]["location"] == "North Wazīristān" for f in features)


def test_toggling_a_type_hides_its_events(browser, seed_map):
    result, features = seed_map
    page = Page(browser, result.map_path)
    battles = sum(f["properties"]["event_type"] == "Battles" for f in features)
    page.toggle("Battles")
    assert page.markers().count() == len(features) - battles
    assert page.visible() == len(features) - battles


def test_hostile_article_renders_literally_and_runs_nothing(browser, pipeline, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "hostile.txt").write_text(
        f"Gunmen killed four policemen in Quetta on Tuesday, witnesses said: {HOSTILE} end.\n",
        encoding="utf-8",
    )
    (seeds / "hostile.meta.json").write_text(
        json.dumps(
            {
                "published": "2025-11-13",
                "source": f"Wire {HOSTILE}",
                "url": "javascript:alert(1)",
                "title": HOSTILE,
            }
        ),
        encoding="utf-8",
    )
    result, features = build(pipeline, seeds, tmp_path / "out")
    assert features, "the hostile article must still produce its event"
    page = Page(browser, result.map_path)
    assert page.errors == [] and page.dialogs == []
    assert page.markers().count() == len(features)
    text = page.open_popup(0)
    assert HOSTILE in text  # shown literally: nothing parsed, nothing evaluated
    assert "49" not in text
    assert page.page.locator(".mapper-popup a").count() == 0  # a javascript: URL is not a link
    tooltip_html = page.page.evaluate("document.body.innerHTML")
    assert '<img src="x"' not in tooltip_html and "<img src=x" not in tooltip_html


def test_district_level_events_are_drawn_as_areas_and_border_events_as_the_border(
    browser, seed_map
):
    result, features = seed_map
    page = Page(browser, result.map_path)
    # The seed's border clashes between Pakistan and Afghanistan: known to a country only, but
    # drawn on the line the two countries share, not as a country-sized area.
    borders = page.page.locator("path.mapper-border")
    assert borders.count() == 1
    box = borders.bounding_box()
    assert box["width"] > 100 and box["height"] > 100  # a long line, not a dot
    # faint: the text names the border, not the stretch of it where the clashes were
    assert float(borders.get_attribute("stroke-opacity")) <= 0.5
    page.click(borders)
    text = page.popup_text()
    assert "border clashes" in text and "along the Afghanistan–Pakistan border" in text
    areas = sum(f["properties"]["geo_precision"] > 1 for f in features) - 1
    assert areas > 0
    assert page.page.locator("path.mapper-area").count() == areas
    assert page.page.locator("path.mapper-precision-1").count() == len(features) - areas - 1


def date_span(date: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date of a day, a month or a year can mean."""
    if not date:
        return None
    if len(date) == 4:
        return dt.date(int(date), 1, 1), dt.date(int(date), 12, 31)
    if len(date) == 7:
        y, m = int(date[:4]), int(date[5:])
        return dt.date(y, m, 1), dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date.fromisoformat(date), dt.date.fromisoformat(date)


def within(features, first: str, last: str) -> int:
    """How many events' dates overlap first..last."""
    a, z = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    spans = [date_span(f["properties"]["event_date"]) for f in features]
    return sum(1 for s in spans if s and s[1] >= a and s[0] <= z)


def test_time_filter_shows_the_events_whose_dates_overlap_the_chosen_ones(browser, seed_map):
    result, features = seed_map
    page = Page(browser, result.map_path)
    assert page.visible() == len(features)
    days = page.days()
    # From the last day: that day's events stay, and so does an event known only to be in
    # that month.
    page.set_dates(days[-1])
    expected = within(features, days[-1], days[-1])
    assert page.visible() == expected < len(features)
    assert page.markers().count() == expected
    assert f"{expected} events shown" in page.page.locator(".mapper-counts").inner_text()
    months = [f for f in features if len(f["properties"]["event_date"] or "") == 7]
    assert months, "the seed story has an event dated only to its month"
    first, _ = date_span(months[0]["properties"]["event_date"])
    middle = (first + dt.timedelta(days=14)).isoformat()
    page.set_dates(middle, middle)
    assert page.visible() == within(features, middle, middle) >= 1
    page.page.locator(".mapper-time-all").click()
    assert page.visible() == len(features)


def test_search_finds_a_place_and_opens_its_event(browser, seed_map):
    result, _ = seed_map
    page = Page(browser, result.map_path)
    page.search("dara adam")
    assert "Dara Adam Khel" in page.popup_text()
    page.search("Atlantis")
    page.page.locator(".mapper-search-result", has_text="no event matches Atlantis").wait_for()
    # a search that finds nothing leaves no popup open as if it were its answer
    page.page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0")


def test_heat_map_layer_is_offered_but_off(browser, seed_map):
    result, _ = seed_map
    page = Page(browser, result.map_path)
    label = page.page.locator(".leaflet-control-layers-overlays label", has_text="Heat map")
    assert label.count() == 1 and not label.locator("input").is_checked()
    assert (
        page.page.locator(".leaflet-control-fullscreen, .leaflet-control-zoom-fullscreen").count()
        >= 1
    )


def test_one_event_reported_twice_is_one_marker_with_both_sources(browser, pipeline, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    story = "A suicide bomber killed {n} people at a court in Islamabad on Tuesday, police said.\n"
    for name, n, source, day in (
        ("a", 12, "Wire A", "2025-11-12"),
        ("b", 15, "Wire B", "2025-11-13"),
    ):
        (seeds / f"{name}.txt").write_text(story.format(n=n), encoding="utf-8")
        (seeds / f"{name}.meta.json").write_text(
            json.dumps(
                {"published": day, "source": source, "url": f"https://{name}.example/story"}
            ),
            encoding="utf-8",
        )
    result, features = build(pipeline, seeds, tmp_path / "out")
    assert len(features) == 1 and features[0]["properties"]["fatalities"] == 15
    page = Page(browser, result.map_path)
    text = page.open_popup(0)
    assert "Also: Wire B" in text
    assert page.page.locator(".mapper-popup a[href='https://b.example/story']").count() == 1


def test_a_large_map_draws_on_canvas_and_still_filters_and_opens_popups(browser, tmp_path):
    import random

    from mapper.output.export import to_geodataframe
    from mapper.output.render import render_map
    from mapper.types import EVENT_TYPES, Event

    rng = random.Random(3)
    events = [
        Event(
            article_id=f"a{i}",
            event_type=EVENT_TYPES[i % 3],
            sub_event_type="Armed clash",
            evidence=f"Report number {i}.",
            start=i,
            end=i + 10,
            event_date=f"2025-{1 + i % 12:02d}-15",
            date_precision="day",
            fatalities=i % 7,
            location=f"Village {i}",
            country="PK",
            latitude=30 + rng.uniform(-3, 3),
            longitude=70 + rng.uniform(-3, 3),
            geo_precision=1 + (i % 3 == 0),
        )
        for i in range(3600)
    ]
    path = tmp_path / "big.html"
    path.write_text(
        render_map(
            to_geodataframe(events),
            summary={
                "events": 3600,
                "fatalities": 0,
                "articles": 1,
                "problems": 0,
                "first": None,
                "last": None,
            },
        ),
        encoding="utf-8",
    )
    page = Page(browser, path)
    assert page.errors == []
    root = ".leaflet-container"
    assert page.page.get_attribute(root, "data-mapper-mode") == "canvas"
    assert page.page.locator("canvas.mapper-canvas").count() == 1
    assert page.visible() == 3600
    # Zoomed out, overlapping events are drawn as groups; a click on a group zooms in.
    page.set_zoom(5)
    assert page.zoom() == 5 and page.groups() > 0
    box = page.page.locator("canvas.mapper-canvas").bounding_box()
    page.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.page.wait_for_function(f"() => {FIND_MAP}.getZoom() > 5")
    # Zoomed in, nothing is grouped.
    page.set_zoom(10)
    assert page.groups() == 0
    page.set_zoom(5)
    groups = page.groups()
    page.filter_from(10_000)  # the last day only
    assert page.visible() == sum(e.event_date.startswith("2025-12") for e in events)
    assert page.groups() < groups
    # Search opens an event's popup, read from the page's columns, even from inside a group.
    page.search("Village 11")
    assert "Report number 11." in page.popup_text()


def test_the_self_contained_map_makes_no_network_request(browser, pipeline, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in SEED.parent.glob(SEED.stem + "*"):
        shutil.copy(path, seeds / path.name)
    result = pipeline.build(seeds, tmp_path / "out", assets="self-contained")
    page = Page(browser, result.map_path)
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith("file:")] == []
    assert page.markers().count() > 0


def test_an_event_at_sea_names_no_country_in_its_popup(browser, pipeline, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "sea.txt").write_text(
        "A drone struck a cargo ship in the Black Sea on Monday, killing 2 sailors.\n",
        encoding="utf-8",
    )
    (seeds / "sea.meta.json").write_text('{"published": "2025-11-12"}', encoding="utf-8")
    result, features = build(pipeline, seeds, tmp_path / "out")
    assert [f["properties"]["country"] for f in features] == ["ZZ"]
    text = Page(browser, result.map_path).open_popup(0)
    assert "Black Sea" in text and "ZZ" not in text


# Events written for the confidence tests, in invented places: two the model is sure of and
# two it is not (a place and an area of each), a degree apart so that none hides another.
CONFIDENCE_EVENTS = (
    # (type, place, geo_precision, toll, confidence, latitude, longitude)
    ("Battles", "Harrowmere", 1, 4, 0.91, 31.0, 66.0),
    ("Strategic developments", "Quillon Ferry", 1, 5, 0.21, 31.0, 68.0),
    ("Battles", "Upper Sallow", 2, 2, 0.64, 33.0, 66.0),
    ("Protests", "Dunmarch", 2, 1, 0.3, 33.0, 68.0),
)


def confidence_events(**common):
    return [
        event(
            event_type=kind,
            sub_event_type="Other" if kind != "Battles" else "Armed clash",
            location=place,
            geo_precision=precision,
            fatalities=toll,
            confidence=confidence,
            latitude=lat,
            longitude=lon,
            evidence=f"A report from {place}.",
            start=100 * i,
            end=100 * i + 30,
            event_date=f"2025-11-{10 + i:02d}",
            **common,
        )
        for i, (kind, place, precision, toll, confidence, lat, lon) in enumerate(CONFIDENCE_EVENTS)
    ]


def open_events(browser, path: Path, events, **summary) -> Page:
    """A page rendered straight from ``events``, opened with the network blocked."""
    from mapper.output.export import to_geodataframe
    from mapper.output.render import render_map

    counts = {"events": len(events), "fatalities": 0, "articles": 1, "problems": 0}
    html = render_map(
        to_geodataframe(events), summary={**counts, "first": None, "last": None, **summary}
    )
    path.write_text(html, encoding="utf-8")
    page = Page(browser, path)
    assert page.errors == [] and page.dialogs == []
    return page


def drawn(page: Page) -> dict[str, dict]:
    """Each drawn event's place (from its popup's title row) → how its path is painted."""
    return page.page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('path.mapper-event'))
          .map(p => [p.getAttribute('class').includes('mapper-low') ? 'low' : 'sure', p])
          .map(([kind, p]) => [p.getAttribute('class'), {kind: kind,
            fill: p.getAttribute('fill'), stroke: p.getAttribute('stroke'),
            box: p.getBoundingClientRect().toJSON()}]))"""
    )


def open_key(page: Page) -> str:
    """Open the key (a section of the dock, closed at first) and give its text."""
    title = page.page.locator(".mapper-key-title")
    if title.get_attribute("aria-expanded") == "false":
        title.click()
    return page.page.locator(".mapper-key").inner_text()


def hide_low(page: Page):
    """The box that hides low-confidence events, found by its label as a reader would, in the
    key opened."""
    open_key(page)
    return page.page.get_by_role("checkbox", name="Hide low-confidence events")


def test_low_confidence_events_are_drawn_hollow_in_their_shape_and_colour(browser, tmp_path):
    page = open_events(browser, tmp_path / "map.html", confidence_events())
    paths = page.page.evaluate(
        """() => Array.from(document.querySelectorAll('path.mapper-event')).map(p => ({
          cls: p.getAttribute('class'), fill: p.getAttribute('fill'),
          stroke: p.getAttribute('stroke'), events: getComputedStyle(p).pointerEvents}))"""
    )
    assert len(paths) == 4
    low = [p for p in paths if "mapper-low" in p["cls"]]
    sure = [p for p in paths if "mapper-low" not in p["cls"]]
    assert len(low) == len(sure) == 2
    # Hollow: an outline in the type's colour and no fill; the others filled as before.
    assert {(p["fill"], p["stroke"]) for p in low} == {("none", "#555555"), ("none", "#136397")}
    assert {(p["fill"], p["stroke"]) for p in sure} == {("#ad070a", "#ad070a")}
    assert any("mapper-shape-circle" in p["cls"] for p in low)  # its type's shape
    assert any("mapper-area" in p["cls"] for p in low)  # an area is hollow too
    # The legend says what hollow means.
    key = open_key(page)
    assert "hollow: low confidence (under 0.50)" in key


def test_a_hollow_marker_opens_with_a_click_inside_it_and_its_popup_gives_the_confidence(
    browser, tmp_path
):
    page = open_events(browser, tmp_path / "map.html", confidence_events())
    # Centred, so that no control covers it; clicked with the mouse in its empty middle.
    page.page.evaluate(f"() => {{ {FIND_MAP}.setView([31.0, 68.0], 8, {{animate: false}}); }}")
    box = page.page.locator("path.mapper-low.mapper-shape-circle").bounding_box()
    page.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    text = page.popup_text()
    assert "Quillon Ferry" in text
    assert re.search(r"Confidence\s+0\.21 \(low\)", text), text
    texts = [page.open_popup(i) for i in range(page.markers().count())]
    sure = next(t for t in texts if "Harrowmere" in t)
    assert re.search(r"Confidence\s+0\.91$", sure, re.MULTILINE) and "(low)" not in sure, sure


def test_the_box_hides_low_confidence_events_and_the_counts_follow(browser, tmp_path):
    page = open_events(browser, tmp_path / "map.html", confidence_events())
    counts = page.page.locator(".mapper-counts")
    assert page.visible() == page.markers().count() == 4
    assert counts.inner_text() == "4 events shown · 12 killed"
    box = hide_low(page)
    assert box.count() == 1 and not box.is_checked()
    # Reached with the keyboard alone, and ticked with the space bar.
    for _ in range(200):
        page.page.keyboard.press("Tab")
        if box.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the box is not reached by Tab")
    page.page.keyboard.press("Space")
    assert box.is_checked()
    assert page.visible() == page.markers().count() == 2
    assert page.page.locator("path.mapper-low").count() == 0
    assert counts.inner_text() == "2 events shown · 6 killed"
    assert page.tree() == {
        "Battles": [2, {"Armed clash": 2}],
        "Strategic developments": [0, {"Other": 0}],
        "Protests": [0, {"Other": 0}],
    }
    # With the other filters: a type unticked, then the box unticked, then the dates.
    page.toggle("Battles")
    assert page.visible() == 0
    box.uncheck()
    assert page.visible() == page.markers().count() == 2
    assert page.page.locator("path.mapper-low").count() == 2
    page.toggle("Battles")
    page.filter_from(2)  # the last two events: one sure area, one hollow one
    assert page.visible() == 2
    box.check()
    assert page.visible() == 1 and counts.inner_text() == "1 events shown · 2 killed"
    page.search("Dunmarch")  # hidden: not found
    page.page.locator(".mapper-search-result", has_text="no event matches Dunmarch").wait_for()


def test_the_threshold_the_page_draws_by_is_the_one_python_sets(browser, tmp_path, monkeypatch):
    from mapper.output import render

    monkeypatch.setattr(render, "LOW_CONFIDENCE", 0.7)
    page = open_events(browser, tmp_path / "map.html", confidence_events())
    # 0.64 is low now too: three hollow events, and the legend and popups say so.
    assert page.page.locator("path.mapper-low").count() == 3
    assert "under 0.70" in open_key(page)
    hide_low(page).check()
    assert page.visible() == 1


def test_a_map_of_sure_events_offers_no_box_and_no_hollow_key(browser, tmp_path):
    sure = [e for e in confidence_events() if e.confidence >= 0.5]
    page = open_events(browser, tmp_path / "map.html", sure)
    assert hide_low(page).count() == 0
    assert "hollow" not in open_key(page)


# Where the page finds an event on the page's first border (core.js's borderLines).
MIDDLE_OF_BORDER = (
    "mapper.borderLines(JSON.parse(document.getElementById('mapper-data').textContent)"
    ".borders[0]).middle"
)


def border_event(**kw):
    """A clash known only to its country and told at its border with the neighbour the
    sentence names: drawn along the line the two share; of low confidence unless told."""
    return event(
        evidence="Troops and Afghan guards traded fire across the border, leaving three dead.",
        location="Pakistan",
        country="PK",
        geo_precision=4,
        latitude=30.0,
        longitude=70.0,
        start=900,
        end=975,
        **{"confidence": 0.12, **kw},
    )


def test_a_low_confidence_border_event_is_a_hollow_line_that_still_opens(browser, tmp_path):
    page = open_events(browser, tmp_path / "map.html", [border_event()])
    line = page.page.locator("path.mapper-border")
    assert line.count() == 1 and "mapper-low" in line.get_attribute("class")
    # A white core over the line leaves its two edges in the type's colour; the core takes no
    # clicks, so a click on the middle of the line opens the event.
    core = page.page.locator("path.mapper-hollow-core")
    assert core.count() == 1 and core.get_attribute("stroke") == "#fff"
    assert core.evaluate("el => getComputedStyle(el).pointerEvents") == "none"
    page.page.evaluate(
        f"() => {{ {FIND_MAP}.setView({MIDDLE_OF_BORDER}, 7, {{animate: false}}); }}"
    )
    x, y = page.page.evaluate(
        f"() => {{ const p = {FIND_MAP}.latLngToContainerPoint({MIDDLE_OF_BORDER});"
        " const r = document.querySelector('.leaflet-container').getBoundingClientRect();"
        " return [r.x + p.x, r.y + p.y]; }"
    )
    page.page.mouse.click(x, y)
    text = page.popup_text()
    assert "Troops and Afghan guards" in text and re.search(r"Confidence\s+0\.12 \(low\)", text)
    page.page.mouse.move(x, y)
    assert "Afghanistan–Pakistan border" in page.page.locator(".leaflet-tooltip").last.inner_text()
    close_popups(page)
    page.search("Afghanistan–Pakistan")
    assert "Troops and Afghan guards" in page.popup_text()
    hide_low(page).check()
    assert page.visible() == 0 and line.count() == core.count() == 0
    # A sure one is the line alone, unfilled, as before.
    sure = open_events(browser, tmp_path / "sure.html", [border_event(confidence=0.8)])
    line = sure.page.locator("path.mapper-border")
    assert line.count() == 1 and line.get_attribute("fill") == "none"
    assert "mapper-low" not in line.get_attribute("class")
    assert sure.page.locator("path.mapper-hollow-core").count() == 0


def canvas_pixels(page: Page, lat: float, lon: float, radius: float) -> tuple[int, int]:
    """The canvas's opacity (0-255) at an event's centre, and the most it has on a ring of
    ``radius`` pixels around it (where its outline is drawn)."""
    return tuple(
        page.page.evaluate(
            f"""() => {{
              const m = {FIND_MAP}, p = m.latLngToContainerPoint([{lat}, {lon}]);
              const ctx = document.querySelector('canvas.mapper-canvas').getContext('2d');
              const alpha = (x, y) => ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data[3];
              let ring = 0;
              for (let a = 0; a < 360; a += 5) {{
                for (const r of [{radius} - 1, {radius}, {radius} + 1]) {{
                  ring = Math.max(ring, alpha(p.x + r * Math.cos(a * Math.PI / 180),
                                              p.y + r * Math.sin(a * Math.PI / 180)));
                }}
              }}
              return [alpha(p.x, p.y), ring];
            }}"""
        )
    )


def test_a_large_map_draws_low_confidence_events_hollow_on_its_canvas_and_hides_them(
    browser, tmp_path
):
    # Far from the four: three thousand sure events, so that the page draws on one canvas.
    filler = [
        event(
            article_id=f"f{i}",
            start=i,
            end=i + 5,
            location=f"Filler {i}",
            latitude=10 + (i % 60) / 20,
            longitude=18 + (i // 60) / 20,
            geo_precision=1,
            confidence=0.9,
        )
        for i in range(3000)
    ]
    # At zoom 10, all on screen and none over another: the two markers a fifth of a degree
    # apart, the areas (20 km across, some 150 pixels) well away from them and each other. A
    # large toll makes a marker 32 pixels across.
    at = [(35.0, 63.0), (35.0, 63.2), (35.4, 62.6), (35.4, 63.6)]
    four = [
        replace(e, latitude=lat, longitude=lon, fatalities=100)
        for e, (lat, lon) in zip(confidence_events(), at, strict=True)
    ]
    page = open_events(browser, tmp_path / "map.html", [*four, border_event(), *filler])
    assert page.page.get_attribute(".leaflet-container", "data-mapper-mode") == "canvas"
    page.page.evaluate(f"() => {{ {FIND_MAP}.setView([35.1, 63.1], 10, {{animate: false}}); }}")
    page.page.wait_for_function(f"() => {FIND_MAP}.getZoom() === 10")
    page.page.evaluate(f"() => Object.values({FIND_MAP}._layers).find(l => l._canvas).redraw()")
    sure_middle, sure_ring = canvas_pixels(page, *at[0], 1)  # an X: filled at its centre
    low_middle, low_ring = canvas_pixels(page, *at[1], 32)  # a circle of radius 32
    assert sure_middle > 100 and sure_ring > 100
    assert low_middle == 0 and low_ring > 100  # hollow: its outline, nothing inside
    # The hollow area (Dunmarch): its dashed outline, no fill; the sure one (Upper Sallow) is
    # tinted inside.
    assert canvas_pixels(page, *at[3], 1)[0] == 0
    assert canvas_pixels(page, *at[2], 1)[0] > 0
    # The hollow border line: white along its middle, where a sure one is its colour.
    middle = page.page.evaluate(
        f"""() => {{
          const m = {FIND_MAP}, at = {MIDDLE_OF_BORDER};
          m.setView(at, 8, {{animate: false}});
          const p = m.latLngToContainerPoint(at);
          return Array.from(document.querySelector('canvas.mapper-canvas').getContext('2d')
            .getImageData(Math.round(p.x), Math.round(p.y), 1, 1).data);
        }}"""
    )
    assert middle == [255, 255, 255, 255]
    assert page.visible() == 3005
    hide_low(page).check()
    assert page.visible() == 3002
    assert "3,002 events shown" in page.page.locator(".mapper-counts").inner_text()
    page.page.evaluate(f"() => {{ {FIND_MAP}.setView([35.1, 63.1], 10, {{animate: false}}); }}")
    assert canvas_pixels(page, *at[1], 32)[1] == 0  # no longer drawn


# ---------------------------------------------------------------- every event reachable


def stacked_events(n: int = 50, *, hostile: bool = False):
    """``n`` events reported at one point of Kohat (each its own evidence and toll), and two
    elsewhere."""
    word = HOSTILE if hostile else "Report"
    at_one_point = [
        event(
            event_type=("Battles", "Explosions/Remote violence", "Riots")[i % 3],
            sub_event_type="Other",
            location="Kohat",
            geo_precision=1,
            fatalities=i % 9,
            latitude=33.58,
            longitude=71.44,
            evidence=f"{word} {i} from the market.",
            start=100 * i,
            end=100 * i + 20,
            event_date=f"2025-10-{1 + i % 28:02d}",
        )
        for i in range(n)
    ]
    apart = [
        event(
            location=place,
            geo_precision=1,
            latitude=lat,
            longitude=lon,
            evidence=f"Elsewhere in {place}.",
            start=90_000 + k,
            end=90_010 + k,
        )
        for k, (place, lat, lon) in enumerate([("Quetta", 30.18, 67.0), ("Lahore", 31.55, 74.34)])
    ]
    return at_one_point + apart


def here_items(page: Page) -> list[str]:
    page.page.locator(".leaflet-popup .mapper-here").wait_for(timeout=5_000)
    return page.page.locator(".leaflet-popup .mapper-here-item").all_inner_texts()


def choose(page: Page, k: int) -> None:
    """Click the ``k``-th event of the open list (a DOM click: the popup may still be panning)."""
    page.page.locator(".leaflet-popup .mapper-here-item").nth(k).evaluate("b => b.click()")


def close_popups(page: Page) -> None:
    page.page.evaluate(
        f"() => new Promise(done => {{ {FIND_MAP}.closePopup(); const gone = () =>"
        " document.querySelector('.leaflet-popup') ? setTimeout(gone, 10) : done(); gone(); })"
    )


def test_every_event_stacked_at_one_point_opens_by_mouse(browser, tmp_path):
    page = open_events(browser, tmp_path / "map.html", stacked_events())
    page.set_zoom(12)  # nothing grouped: fifty markers drawn on one another
    assert page.groups() == 0
    seen = set()
    stack = page.page.locator("path.mapper-event[aria-label*='Kohat']")
    for k in range(50):
        close_popups(page)
        page.click(stack.first)
        items = here_items(page)
        assert len(items) == 50
        # the deadliest first
        tolls = [int(t.split(" · ")[-1].split()[0]) if "killed" in t else 0 for t in items]
        assert tolls == sorted(tolls, reverse=True)
        choose(page, k)
        text = page.popup_text()
        seen.add(re.search(r"Report (\d+) from", text).group(1))
    assert seen == {str(i) for i in range(50)}
    # zoomed out, they are one group that no zoom takes apart: a click lists them too
    close_popups(page)
    page.set_zoom(6)
    assert page.groups() == 1
    page.page.locator(".mapper-cluster").first.click()
    assert len(here_items(page)) == 50 and page.zoom() == 6
    assert page.errors == []


def test_every_event_stacked_at_one_point_opens_by_keyboard(browser, tmp_path):
    page = open_events(browser, tmp_path / "map.html", stacked_events())
    page.set_zoom(12)
    keys = page.page.keyboard
    # The controls come before the events in the tab order; the stack takes one tab stop.
    page.page.locator("body").focus()
    keys.press("Tab")
    if page.page.evaluate("() => document.activeElement.classList.contains('leaflet-container')"):
        keys.press("Tab")  # the map itself, which the arrow keys pan
    assert page.page.evaluate(
        "() => !!document.activeElement.closest('.leaflet-control-container')"
    )
    stops = page.page.evaluate(
        "() => Array.from(document.querySelectorAll('path.mapper-event'))"
        ".filter(p => p.getAttribute('tabindex') === '0').length"
    )
    assert stops == 3  # the stack, and the two events elsewhere
    seen = set()
    for k in range(50):
        close_popups(page)
        for _ in range(40):  # Tab on to the stack
            label = page.page.evaluate("() => document.activeElement.getAttribute('aria-label')")
            if label and "Kohat" in label:
                break
            keys.press("Tab")
        keys.press("Enter")
        assert len(here_items(page)) == 50
        assert page.page.evaluate("() => document.activeElement.className") == "mapper-here-item"
        for _ in range(k):
            keys.press("Tab")
        keys.press("Enter")
        seen.add(re.search(r"Report (\d+) from", page.popup_text()).group(1))
        page.page.locator("body").focus()
        keys.press("Tab")
    assert seen == {str(i) for i in range(50)}
    # zoomed out, the group ring is reached by Tab and listed by Enter
    close_popups(page)
    page.set_zoom(6)
    ring = page.page.locator(".mapper-cluster-icon")
    assert ring.get_attribute("tabindex") == "0"
    ring.focus()
    keys.press("Enter")
    assert len(here_items(page)) == 50
    assert page.errors == []


def test_the_list_of_events_here_keeps_hostile_text_inert(browser, tmp_path):
    page = open_events(browser, tmp_path / "map.html", stacked_events(3, hostile=True))
    page.set_zoom(12)
    page.click(page.page.locator("path.mapper-event[aria-label*='Kohat']").first)
    here_items(page)
    choose(page, 0)
    assert HOSTILE in page.popup_text()
    assert page.dialogs == [] and page.errors == []
    assert page.page.locator(".leaflet-popup img").count() == 0


def spread_events(*, seed: int, lat: float, lon: float, within: float, n: int = 3100):
    """``n`` events at villages scattered up to ``within`` degrees around (lat, lon): enough
    for the page to draw them all on one canvas."""
    import random

    rng = random.Random(seed)
    return [
        event(
            location=f"Village {i}",
            geo_precision=1,
            latitude=lat + rng.uniform(-within, within),
            longitude=lon + rng.uniform(-within, within),
            evidence=f"Spread report {i}.",
            start=i,
            end=i + 5,
        )
        for i in range(n)
    ]


def test_a_large_map_lists_the_events_stacked_under_a_click(browser, tmp_path):
    spread = spread_events(seed=5, lat=30, lon=70, within=3)
    page = open_events(browser, tmp_path / "big.html", stacked_events() + spread)
    assert page.page.get_attribute(".leaflet-container", "data-mapper-mode") == "canvas"
    for zoom in (12, 6):  # alone on the canvas, then inside a group
        close_popups(page)
        page.page.evaluate(
            f"() => {{ {FIND_MAP}.setView([33.58, 71.44], {zoom}, {{animate: false}}); }}"
        )
        page.set_zoom(zoom)
        point = page.page.evaluate(
            f"() => {{ const m = {FIND_MAP}; const p = m.latLngToContainerPoint([33.58, 71.44]);"
            " const b = m.getContainer().getBoundingClientRect(); return [b.x + p.x, b.y + p.y]; }"
        )
        page.page.mouse.click(*point)
        assert len(here_items(page)) == 50
        choose(page, 49)
        assert re.search(r"Report \d+ from the market", page.popup_text())
    assert page.errors == []


def test_the_summary_formats_its_numbers_and_counts_the_events_not_drawn(browser, tmp_path):
    events = [
        event(location="Kohat", latitude=33.58, longitude=71.44, fatalities=21_000),
        event(location="Hangu", latitude=33.53, longitude=71.06, fatalities=21, start=200),
    ]
    page = open_events(browser, tmp_path / "map.html", events, not_drawn=5, not_drawn_killed=75)
    summary = page.page.locator(".mapper-summary").inner_text()
    assert "2 events shown · 21,021 killed" in summary
    assert "5 events (75 killed) not drawn: no place found; in the exports" in summary


def test_an_event_placed_only_at_the_place_the_article_is_about_is_an_area_not_a_pin(
    browser, tmp_path
):
    from mapper.types import LocationSource

    events = [
        event(location="Kohat", latitude=33.58, longitude=71.44, geo_precision=1),
        event(
            location="Hangu",
            latitude=33.53,
            longitude=71.06,
            geo_precision=1,
            location_source=LocationSource.ARTICLE,
            start=200,
            end=220,
        ),
    ]
    page = open_events(browser, tmp_path / "map.html", events)
    classes = page.page.evaluate(
        "() => Object.fromEntries(Array.from(document.querySelectorAll('path.mapper-event'))"
        ".map(p => [p.getAttribute('aria-label'), p.getAttribute('class')]))"
    )
    named = next(c for label, c in classes.items() if "Kohat" in label)
    focus = next(c for label, c in classes.items() if "Hangu" in label)
    assert "mapper-shape" in named and "mapper-area" not in named
    assert "mapper-area" in focus and "mapper-shape" not in focus
    page.click(page.page.locator("path.mapper-event[aria-label*='Hangu']"))
    text = page.popup_text()
    assert "at the place the article is about" in text
    close_popups(page)
    page.click(page.page.locator("path.mapper-event[aria-label*='Kohat']"))
    assert "Placed" not in page.popup_text()  # its own sentence names it


# ---------------------------------------------------------------- links that share a view


def shared_view_events():
    kinds = ("Battles", "Explosions/Remote violence", "Protests")
    return [
        event(
            event_type=kinds[i % 3],
            sub_event_type="Other",
            location=f"Place {i}",
            latitude=30 + i * 0.4,
            longitude=66 + i * 0.5,
            fatalities=i,
            confidence=0.3 if i % 4 == 0 else 0.9,
            evidence=f"Account {i} of the day.",
            start=100 * i,
            end=100 * i + 20,
            event_date=f"2025-10-{1 + i:02d}",
        )
        for i in range(12)
    ]


def test_a_link_to_the_view_restores_the_view_the_filters_and_the_open_event(browser, tmp_path):
    from mapper.output.export import to_geodataframe

    events = shared_view_events()
    path = tmp_path / "map.html"
    page = open_events(browser, path, events)
    page.set_zoom(7)
    page.filter_from(2)  # from the third day
    page.toggle("Protests")
    hide_low(page).check()
    page.page.evaluate(f"() => {{ {FIND_MAP}.setView([32.8, 69.5], 7, {{animate: false}}); }}")
    page.click(page.page.locator("path.mapper-event[aria-label*='Place 7 ']"))
    text = page.popup_text()
    event_id = next(
        row["event_id"]
        for _, row in to_geodataframe(events).iterrows()
        if row["location"] == "Place 7"
    )
    assert f"Event id\t{event_id}" in text
    page.page.wait_for_function(f"() => location.hash.includes('e={event_id}')")
    fragment = page.page.evaluate("() => location.hash")
    before = (page.visible(), page.tree(), page.zoom())
    center = page.page.evaluate(f"() => {FIND_MAP}.getCenter()")

    again = Page(browser, path, fragment=fragment)
    assert again.errors == []
    again.page.locator(".leaflet-popup .mapper-popup").wait_for(timeout=5_000)
    assert "Account 7 of the day." in again.popup_text()
    assert (again.visible(), again.tree(), again.zoom()) == before
    # the zoom the link names, centred on the event it opens (as search opens one)
    assert again.page.evaluate(f"() => {FIND_MAP}.getCenter()")["lat"] == pytest.approx(
        center["lat"], abs=0.5
    )
    assert before[0] == sum(
        1 for i, e in enumerate(events) if i >= 2 and e.event_type != "Protests" and i % 4
    )


def test_a_link_with_hostile_or_unknown_values_opens_the_whole_map(browser, tmp_path):
    path = tmp_path / "map.html"
    open_events(browser, path, shared_view_events())
    fragment = (
        "#z=abc&ll=1,x&from=%3Cscript%3Ealert(1)%3C%2Fscript%3E&off=%E0%A4%A"
        "&e=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
    )
    page = Page(browser, path, fragment=fragment)
    page.page.wait_for_timeout(300)
    assert page.errors == [] and page.dialogs == []
    assert page.visible() == 12
    assert page.page.locator(".leaflet-popup").count() == 0


def test_search_finds_events_by_actor_and_word_and_lists_every_match(browser, tmp_path):
    events = [
        event(
            location=f"Place {i}",
            latitude=30 + i * 0.3,
            longitude=67 + i * 0.3,
            actor1="Zorbek Front" if i % 3 == 0 else "Police",
            evidence=f"Account {i}: " + ("a convoy was ambushed." if i % 2 else "a market raid."),
            fatalities=i,
            start=100 * i,
            end=100 * i + 20,
        )
        for i in range(9)
    ]
    page = open_events(browser, tmp_path / "map.html", events)
    page.search("zorbek")
    status = page.page.locator(".mapper-search-result")
    status.filter(has_text="events match").wait_for(timeout=5_000)
    assert status.inner_text() == "3 events match"
    items = page.page.locator(".mapper-search-list .mapper-here-item").all_inner_texts()
    assert [t.split(" · ")[1] for t in items] == [
        "Place 6",
        "Place 3",
        "Place 0",
    ]  # deadliest first
    assert "Account 6" in page.popup_text()  # the best match is opened
    page.page.locator(".mapper-search-list .mapper-here-item").nth(2).click()
    page.page.locator(".leaflet-popup .mapper-popup", has_text="Account 0").wait_for(timeout=5_000)
    page.search("ambushed")
    status.filter(has_text="4 events match").wait_for(timeout=5_000)
    # the filters hold: a type unticked is not found
    page.toggle("Battles")
    page.search("ambushed")
    status.filter(has_text="no event matches").wait_for(timeout=5_000)
    assert page.errors == []


def test_on_a_phone_no_panel_covers_another_and_popups_fit_the_screen(browser, seed_map):
    result, _ = seed_map
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(result.map_path.resolve().as_uri())
    page.wait_for_function("window.mapperReady === true", timeout=15_000)
    boxes = page.evaluate(
        "() => Array.from(document.querySelectorAll('.leaflet-control, .mapper-dock'))"
        ".map(c => [c.className, c.getBoundingClientRect().toJSON()])"
    )

    def overlap(a, b):
        return (
            a["x"] < b["x"] + b["width"]
            and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"]
            and b["y"] < a["y"] + a["height"]
        )

    covered = [
        (na.split()[0], nb.split()[0])
        for (na, a), (nb, b) in itertools.combinations(boxes, 2)
        if overlap(a, b)
    ]
    assert covered == []
    # the tree and the key start closed and open from their titles
    tree = page.get_by_role("button", name="Event types")
    assert tree.get_attribute("aria-expanded") == "false"
    tree.click()
    assert page.locator(".mapper-tree-type").first.is_visible()
    tree.click()
    # a popup lies inside the screen, above the dock
    dock = page.locator(".mapper-dock").bounding_box()
    for k in range(page.locator("path.mapper-event").count()):
        page.evaluate(f"() => {{ {FIND_MAP}.closePopup(); }}")
        page.locator("path.mapper-event").nth(k).evaluate(
            "el => { const r = el.getBoundingClientRect(); el.dispatchEvent(new MouseEvent("
            "'click', {bubbles: true, clientX: r.x + 2, clientY: r.y + 2})); }"
        )
        popup = page.locator(".leaflet-popup").last
        popup.wait_for(timeout=5_000)
        page.wait_for_timeout(400)  # panned into view
        box = popup.bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= 375 and box["y"] + box["height"] <= dock["y"]
    page.close()


def test_only_this_shows_one_type_or_sub_type_alone(browser, seed_map):
    result, features = seed_map
    page = Page(browser, result.map_path)
    kinds, subs = type_counts(features)
    kind = kinds.most_common(1)[0][0]
    page.page.get_by_role("button", name=f"show only {kind}").click()
    assert page.visible() == kinds[kind]
    (kind2, sub), n = subs.most_common()[-1]
    page.page.get_by_role("button", name=f"show only {sub}").first.click()
    assert page.visible() == n
    tree = page.tree()
    assert tree[kind2][1][sub] == n  # the counts stay those of the dates


def test_the_key_gives_the_size_scale_and_what_the_areas_mean(browser, seed_map):
    result, _ = seed_map
    page = Page(browser, result.map_path)
    scale = page.page.evaluate(
        "() => Array.from(document.querySelectorAll('.mapper-size-scale svg circle'))"
        ".map(c => +c.getAttribute('r'))"
    )
    drawn = page.page.evaluate("() => [1, 10, 100].map(n => window.mapper.radius(n))")
    assert scale == drawn and scale == sorted(scale) and len(set(scale)) == 3
    key = open_key(page)
    assert "killed: 1 10 100" in " ".join(key.split())
    assert "a district (a disc about 40 km across)" in key and "a country (its outline)" in key


def test_escape_closes_a_popup_from_the_search_box_and_from_a_list(browser, tmp_path):
    page = open_events(browser, tmp_path / "map.html", stacked_events(3))
    page.search("Kohat")
    page.popup_text()
    page.page.locator(".mapper-search input").press("Escape")
    page.page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0")
    page.set_zoom(12)
    page.click(page.page.locator("path.mapper-event[aria-label*='Kohat']").first)
    here_items(page)
    page.page.keyboard.press("Escape")  # the focus is on the list's first button
    page.page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0")
