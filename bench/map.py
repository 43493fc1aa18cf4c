"""Map benchmark on synthetic events: build time, HTML size, first render, and how long a brush
on the timeline, a filter change and a zoom step take, in headless Chromium.

    python bench/map.py [--sizes 1000 10000 100000 1000000] [--chromium /usr/bin/chromium]

The page is written as a build writes it (a map of more than 250,000 events keeps its details
beside it) and opened from a local server as ``mapper serve`` serves it; a large map's popup
is timed from the click to its evidence, fetched from the server. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mapper.output.export import to_geodataframe  # noqa: E402
from mapper.output.page import DETAILS_PREFIX, write_map  # noqa: E402
from mapper.output.serve import serving  # noqa: E402
from mapper.types import EVENT_TYPES, Event, LocationSource  # noqa: E402

PLACES = [
    ("Peshawar", 34.01, 71.58, 1),
    ("Quetta", 30.18, 67.0, 1),
    ("Kabul", 34.53, 69.17, 1),
    ("North Waziristan", 32.95, 70.1, 2),
    ("Khyber Pakhtunkhwa", 34.0, 71.5, 3),
    ("Pakistan", 30.0, 70.0, 4),
    ("Kandahar", 31.61, 65.7, 1),
    ("Bannu", 32.99, 70.6, 1),
]
# ACLED sub-event types, a few per type, so the map's tree has branches to show.
SUB_TYPES = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
    ),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Other"),
}
WORDS = [
    *("militants", "attacked", "a", "police", "post", "killing", "soldiers"),
    *("in", "a", "raid", "officials", "said", "on", "Sunday"),
]


def synthetic(n: int, seed: int = 7) -> list[Event]:
    """Events spread over the region, two years and all types, with sentence-length evidence."""
    rng = random.Random(seed)
    # Confidences from a stream of their own, so the same seed still gives the same events.
    sure = random.Random(seed + 1)
    out = []
    for i in range(n):
        # As in real reporting, most events are at a named town, fewer at a district or wider.
        name, lat, lon, precision = rng.choices(PLACES, weights=[30, 30, 30, 8, 3, 1, 30, 30])[0]
        day = f"{rng.choice((2024, 2025))}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        event_type = rng.choice(EVENT_TYPES)
        subs = SUB_TYPES[event_type]
        # Drawn in the order they always were, so the same seed gives the same events.
        words = rng.choices(WORDS, k=24)
        fatalities = rng.choice((None, 0, 1, 2, 5, 12))
        shift = rng.uniform(-0.8, 0.8), rng.uniform(-0.8, 0.8)
        if precision == 1:
            # A town is one of many around its region; a district, a province or a country is
            # at the one point the gazetteer gives it, that of every event known only to it.
            lat, lon = lat + shift[0], lon + shift[1]
        evidence = " ".join(words) + "."
        # As extraction gives them: the place each sentence names (here its last word), the
        # toll where there is one (its first); what they mark does not matter, their bytes do.
        place_at = len(evidence) - 1 - len(words[-1])
        toll = (i, i + len(words[0])) if fatalities else (None, None)
        out.append(
            Event(
                article_id=f"a{i // 5}",
                event_type=event_type,
                sub_event_type=subs[i % len(subs)],
                evidence=evidence,
                start=i,
                end=i + 100,
                event_date=day,
                date_precision="day",
                actor1="Military Forces of Pakistan",
                actor2="Unidentified Armed Group",
                fatalities=fatalities,
                location=name,
                country="PK",
                latitude=lat,
                longitude=lon,
                geo_precision=precision,
                source="Synthetic Wire",
                source_url=f"https://example.org/{i}",
                place_start=i + place_at,
                place_end=i + len(evidence) - 1,
                toll_start=toll[0],
                toll_end=toll[1],
                confidence=round(sure.uniform(0.2, 1.0), 2),
                # (as extraction gives it: the place named by the event's own sentence)
                location_source=LocationSource.TEXT,
            )
        )
    return out


# Each interaction timed in the page, from the reader's action to the second frame after it
# (the first one drawn with its result): the median of REPEAT runs, in milliseconds.
INTERACTIONS = """async () => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const median = xs => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  async function time(act) {
    const t0 = performance.now();
    act();
    await frames();
    return performance.now() - t0;
  }
  const from = document.querySelector('.mapper-time-from');
  const to = document.querySelector('.mapper-time-to');
  const box = document.querySelector('.mapper-tree-sub input');
  const z = map.getZoom(), out = {brush: [], filter: [], zoom: []};
  for (let k = 0; k < REPEAT; k++) {
    // a brush over a quarter of the span, moved on each run, as a drag gives it
    out.brush.push(await time(() => {
      const d = new Date(Date.parse(from.min) + k * 20 * 86400000);
      from.value = d.toISOString().slice(0, 10);
      to.value = new Date(d.getTime() + 180 * 86400000).toISOString().slice(0, 10);
      to.dispatchEvent(new Event('change', {bubbles: true}));
    }));
    out.filter.push(await time(() => { box.click(); }));
    out.zoom.push(await time(() => { map.setZoom(k % 2 ? z : z + 1, {animate: false}); }));
  }
  return {brush: median(out.brush), filter: median(out.filter), zoom: median(out.zoom)};
}"""
REPEAT = 7


@contextmanager
def blank_page(chromium: str, *, allow: str):
    """A page of a headless Chromium that refuses every http(s) request but to ``allow``."""
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.startswith(allow) or not r.request.url.startswith("http")
                else r.abort()
            ),
        )
        try:
            yield page
        finally:
            browser.close()


def interactions(url: str, chromium: str) -> dict[str, float]:
    """Median milliseconds of a brush on the timeline, a type toggled and a zoom step; and of
    a popup opened by search, to its evidence."""
    with blank_page(chromium, allow=url.rsplit("/", 1)[0]) as page:
        page.goto(url)
        page.wait_for_function("window.mapperReady === true", timeout=120_000)
        page.wait_for_timeout(2000)  # the details unpacked, as a reader finds the page
        ms = page.evaluate(INTERACTIONS.replace("REPEAT", str(REPEAT)))
        box = page.locator(".mapper-search input")
        box.fill("Kandahar")
        t0 = time.perf_counter()
        box.press("Enter")
        page.locator(".leaflet-popup .mapper-evidence").wait_for(timeout=120_000)
        ms["popup"] = (time.perf_counter() - t0) * 1000
        return ms


def first_render(url: str, chromium: str) -> float:
    with blank_page(chromium, allow=url.rsplit("/", 1)[0]) as page:
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function("window.mapperReady === true", timeout=120_000)
        # A page still animating to its opening zoom has not drawn what the user sees yet.
        page.wait_for_function(
            "() => !Object.values(window).find(v => v instanceof L.Map)._animatingZoom",
            timeout=120_000,
        )
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    summary = {
        "events": 0,
        "fatalities": 0,
        "articles": 0,
        "problems": 0,
        "first": None,
        "last": None,
    }
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            frame = to_geodataframe(synthetic(n))
            out = Path(tmp) / str(n)
            t0 = time.perf_counter()
            path = write_map(out, frame, summary={**summary, "events": n})
            build = time.perf_counter() - t0
            del frame
            beside = [p for folder in out.glob(f"{DETAILS_PREFIX}*") for p in folder.iterdir()]
            with serving(out) as server:
                render = first_render(server.url, args.chromium)
                ms = interactions(server.url, args.chromium)
            print(
                f"{n:>9,} events: build {build:.2f} s, HTML {path.stat().st_size / 1e6:.1f} MB"
                + (
                    f" (details beside it: {sum(p.stat().st_size for p in beside) / 1e6:.1f} MB"
                    f" in {len(beside)} parts)"
                    if beside
                    else ""
                )
                + f", first render {render:.2f} s; brush {ms['brush']:.0f} ms, filter"
                f" {ms['filter']:.0f} ms, zoom step {ms['zoom']:.0f} ms (headless Chromium,"
                f" medians of {REPEAT}); a popup by search {ms['popup']:.0f} ms",
                flush=True,
            )


if __name__ == "__main__":
    main()
