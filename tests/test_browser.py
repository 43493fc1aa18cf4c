"""The map in a real headless Chromium, with the network blocked.

Required in CI (CI=true): there, a missing browser fails these tests instead of skipping them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from mapper.pipeline import Pipeline

from .conftest import SEED

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("MAPPER_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
FIND_MAP = "Object.values(window).find(v => v instanceof L.Map)"
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> ${alert(1)} ` {{7*7}} C:\\1\\path"


@pytest.fixture(scope="module")
def browser():
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "playwright is not installed (pip install '.[test]')"
    if problem is None and not shutil.which(CHROMIUM):
        problem = f"no Chromium at {CHROMIUM} (apt-get install chromium, or set MAPPER_CHROMIUM)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests are required in CI: {problem}")
        pytest.skip(problem)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A map page opened from disk with every http(s) request refused."""

    def __init__(self, browser, path: Path, *, init_script: str | None = None) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1200, "height": 800})
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

        def block(route):
            self.requests.append(route.request.url)
            if route.request.url.startswith(("http://", "https://")):
                route.abort()
            else:
                route.continue_()

        self.page.route("**/*", block)
        if init_script:
            self.page.add_init_script(init_script)
        self.page.goto(path.resolve().as_uri())
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

    def filter_from(self, index: int) -> None:
        """Move the start of the date range to the ``index``-th day."""
        self.page.evaluate(
            "(n) => { const el = document.querySelector('.mapper-time-from'); el.value = n;"
            " el.dispatchEvent(new Event('input')); }",
            index,
        )

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


def test_the_tree_lists_each_event_type_and_sub_type_with_counts(browser, seed_map):
    result, features = seed_map
    page = Page(browser, result.map_path)
    types = Counter(f["properties"]["event_type"] for f in features)
    subs = Counter(
        (f["properties"]["event_type"], f["properties"]["sub_event_type"]) for f in features
    )
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
    page.click(borders)
    text = page.popup_text()
    assert "border clashes" in text and "along the Afghanistan–Pakistan border" in text
    areas = sum(f["properties"]["geo_precision"] > 1 for f in features) - 1
    assert areas > 0
    assert page.page.locator("path.mapper-area").count() == areas
    assert page.page.locator("path.mapper-precision-1").count() == len(features) - areas - 1


def test_time_filter_shows_the_events_of_the_chosen_dates(browser, seed_map):
    result, features = seed_map

    def first_day(date):
        return date + "-01-01" if len(date) == 4 else date + "-01" if len(date) == 7 else date

    days = sorted(
        {
            first_day(f["properties"]["event_date"])
            for f in features
            if f["properties"]["event_date"]
        }
    )
    page = Page(browser, result.map_path)
    assert page.page.get_attribute(".leaflet-container", "data-mapper-visible") == str(
        len(features)
    )
    # Move the start of the range to the last day: only that day's events stay.
    page.page.evaluate(
        "(n) => { const el = document.querySelector('.mapper-time-from'); el.value = n;"
        " el.dispatchEvent(new Event('input')); }",
        len(days) - 1,
    )
    expected = sum(first_day(f["properties"]["event_date"] or "") == days[-1] for f in features)
    assert page.page.get_attribute(".leaflet-container", "data-mapper-visible") == str(expected)
    assert page.markers().count() == expected
    assert f"{expected} events shown" in page.page.locator(".mapper-counts").inner_text()


def test_search_finds_a_place_and_opens_its_event(browser, seed_map):
    result, _ = seed_map
    page = Page(browser, result.map_path)
    page.search("dara adam")
    assert "Dara Adam Khel" in page.popup_text()
    page.search("Atlantis")
    assert (
        "no event at a place called Atlantis"
        in page.page.locator(".mapper-search-result").inner_text()
    )


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
