"""A large map's page with its details beside it, and ``mapper serve``, which lets the page
read them: the files written, replaced and cleaned up; the server's limits; and, in a real
headless Chromium, popups that load their details from the server, and a page opened as a
file that says why it cannot."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest

from mapper.cli import main
from mapper.errors import InputFormatError
from mapper.output import page as page_module
from mapper.output import render
from mapper.output.export import to_geodataframe
from mapper.output.page import DETAILS_PREFIX, details_beside, write_map
from mapper.output.serve import MapServer, serving

from .conftest import event
from .test_browser import Page
from .test_render import payload

SUMMARY = {"events": 7, "fatalities": 0, "articles": 7, "problems": 0, "first": None, "last": None}
TOWNS = [
    ("Karak", 33.12, 71.09),
    ("Kohat", 33.58, 71.44),
    ("Hangu", 33.53, 71.06),
    ("Charsadda", 34.15, 71.73),
    ("Nowshera", 34.02, 71.98),
    ("Chitral", 35.85, 71.79),
    ("Ormara", 25.21, 64.64),
]


def events(word: str = "attacked"):
    """Seven events, one a town, each with evidence of its own."""
    return to_geodataframe(
        [
            event(
                article_id=f"a{k}",
                evidence=f"Gunmen {word} a police post in {town}, officials said.",
                end=40 + len(town),
                location=town,
                country="PK",
                latitude=lat,
                longitude=lon,
                event_date=f"2025-03-{k + 1:02d}",
                source="Frontier Wire",
                actor1=f"Armed group {k}",
            )
            for k, (town, lat, lon) in enumerate(TOWNS)
        ]
    )


def folders(out: Path) -> list[Path]:
    return sorted(out.glob(f"{DETAILS_PREFIX}*")) + sorted(out.glob(f".{DETAILS_PREFIX}*"))


def test_a_small_map_keeps_its_details_in_the_page(tmp_path):
    path = write_map(tmp_path, events(), summary=SUMMARY)
    html = path.read_text(encoding="utf-8")
    assert 'id="mapper-details"' in html and "beside" not in payload(html)["config"]
    assert folders(tmp_path) == [] and details_beside(tmp_path) is None


def test_a_large_map_keeps_its_details_beside_it_in_parts_that_hold_every_event(tmp_path):
    frame = events()
    path = write_map(tmp_path, frame, summary=SUMMARY, inline_max=3, part_size=2)
    html = path.read_text(encoding="utf-8")
    assert 'id="mapper-details"' not in html
    beside = payload(html)["config"]["beside"]
    (folder,) = folders(tmp_path)
    assert details_beside(tmp_path) == folder
    assert beside["folder"] == folder.name and beside["size"] == 2 and beside["parts"] == 4
    assert sorted(p.name for p in folder.iterdir()) == ["0.bin", "1.bin", "2.bin", "3.bin"]
    # The parts, one after the other, hold what a page with its details would: each event's
    # evidence and its actor, its own table of strings in each part.
    inline = payload(render.render_map(frame, summary=SUMMARY), "mapper-details")
    evidence, actors = [], []
    for k in range(4):
        part = json.loads(zlib.decompress((folder / f"{k}.bin").read_bytes()))
        assert part["n"] == (2 if k < 3 else 1)
        evidence += part["evidence"]
        actors += [part["strings"][c] for c in part["actor1"]]
    assert evidence == inline["evidence"] == frame["evidence"].tolist()
    assert actors == [f"Armed group {k}" for k in range(7)]


def test_a_rebuild_replaces_the_details_and_removes_the_old_ones_only_after_the_page(tmp_path):
    write_map(tmp_path, events(), summary=SUMMARY, inline_max=3)
    (first,) = folders(tmp_path)
    # The same events: the same folder, kept as it is.
    write_map(tmp_path, events(), summary=SUMMARY, inline_max=3)
    assert folders(tmp_path) == [first]
    # Other events: a new folder, and the old one gone once the page names the new one.
    path = write_map(tmp_path, events("raided"), summary=SUMMARY, inline_max=3)
    (second,) = folders(tmp_path)
    assert second != first
    assert payload(path.read_text(encoding="utf-8"))["config"]["beside"]["folder"] == second.name
    # Below the limit again: the page holds its details and no folder is left.
    write_map(tmp_path, events(), summary=SUMMARY)
    assert folders(tmp_path) == []


def test_a_build_that_fails_writing_the_page_leaves_the_old_page_and_its_details(
    tmp_path, monkeypatch
):
    path = write_map(tmp_path, events(), summary=SUMMARY, inline_max=3)
    before = path.read_text(encoding="utf-8")
    (folder,) = folders(tmp_path)

    def fails(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(page_module.render, "render_map", fails)
    with pytest.raises(RuntimeError):
        write_map(tmp_path, events("raided"), summary=SUMMARY, inline_max=3)
    assert path.read_text(encoding="utf-8") == before
    # The page still names a folder that is there, whole; the new one is left for the next
    # build to remove.
    assert (folder / "0.bin").is_file()
    monkeypatch.undo()
    write_map(tmp_path, events("raided"), summary=SUMMARY, inline_max=3)
    assert len(folders(tmp_path)) == 1 and not folder.exists()


def get(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, b"", dict(exc.headers)


def test_the_server_serves_the_page_and_its_details_and_nothing_hidden(tmp_path):
    write_map(tmp_path, events(), summary=SUMMARY, inline_max=3)
    (folder,) = folders(tmp_path)
    (tmp_path / ".mapper-store.sqlite").write_bytes(b"private")
    (tmp_path / "events.csv").write_text("event_id\n", encoding="utf-8")
    with serving(tmp_path) as server:
        root = server.url.rsplit("/", 1)[0]
        status, body, headers = get(server.url)
        assert status == 200 and b"mapperDraw" in body
        assert headers["Cache-Control"] == "no-cache"
        status, body, _ = get(f"{root}/{folder.name}/0.bin")
        assert status == 200 and body == (folder / "0.bin").read_bytes()
        assert get(f"{root}/events.csv")[0] == 200
        # The page is what the address without a path leads to; no folder is listed, no
        # hidden file served, no path leads out of the folder.
        assert get(f"{root}/")[1] == get(server.url)[1]
        assert get(f"{root}/{folder.name}/")[0] == 404
        assert get(f"{root}/.mapper-store.sqlite")[0] == 404
        assert get(f"{root}/%2e%2e/{tmp_path.name}/events.csv")[0] == 404


def test_the_server_needs_a_built_map(tmp_path):
    with pytest.raises(InputFormatError, match=r"expected a built map at .*map\.html"):
        MapServer(tmp_path, port=0)


def test_mapper_serve_refuses_a_port_out_of_range(tmp_path, capsys):
    write_map(tmp_path, events(), summary=SUMMARY)
    assert main(["serve", "--out", str(tmp_path), "--port", "70000"]) == 1
    assert "--port expects 0 to 65535, got 70000" in capsys.readouterr().err


@pytest.mark.browser
def test_a_served_large_map_loads_an_events_details_when_its_popup_opens(browser, tmp_path):
    write_map(tmp_path, events(), summary=SUMMARY, inline_max=3, part_size=2)
    with serving(tmp_path) as server:
        page = Page(browser, served=server.url)
        assert page.errors == []
        assert page.page.locator(".mapper-unserved").count() == 0
        fetched = [u for u in page.requests if u.endswith(".bin")]
        assert fetched == []  # nothing before a popup asks
        text = page.open_popup(5)
        town = re.search(r"police post in (\w+)", text).group(1)
        k = [t for t, _, _ in TOWNS].index(town)
        assert f"Armed group {k}" in text and "Frontier Wire" in text
        # Only the part that holds the event was fetched.
        assert [u.rsplit("/", 1)[1] for u in page.requests if u.endswith(".bin")] == [
            f"{k // 2}.bin"
        ]
        assert page.errors == []


@pytest.mark.browser
def test_a_served_map_built_again_while_open_asks_for_a_reload(browser, tmp_path):
    write_map(tmp_path, events(), summary=SUMMARY, inline_max=3, part_size=2)
    with serving(tmp_path) as server:
        page = Page(browser, served=server.url)
        write_map(tmp_path, events("raided"), summary=SUMMARY, inline_max=3, part_size=2)
        page.search("Ormara")
        content = page.page.locator(".leaflet-popup-content")
        content.filter(has_text="Reload the page").wait_for(timeout=5_000)
        assert "built again" in content.inner_text()
        fresh = Page(browser, served=server.url)
        assert "police post" in fresh.open_popup(5) and fresh.errors == []


@pytest.mark.browser
def test_a_large_map_opened_as_a_file_says_its_details_need_the_server(browser, tmp_path):
    path = write_map(tmp_path, events(), summary=SUMMARY, inline_max=3)
    page = Page(browser, path)
    notice = page.page.locator(".mapper-unserved")
    assert "mapper serve" in notice.inner_text()
    # The popup still gives what the page holds (type, place, date) and says why the rest
    # is missing; the search finds a place without the details.
    page.search("Ormara")
    content = page.page.locator(".leaflet-popup-content")
    content.filter(has_text="mapper serve").wait_for(timeout=5_000)
    text = content.inner_text()
    assert "Battles" in text and "Ormara · 2025-03-07" in text and "police post" not in text
    assert page.errors == []


@pytest.mark.browser
def test_a_large_groups_count_is_shortened_to_fit_its_disc(browser, tmp_path):
    path = write_map(tmp_path, events(), summary=SUMMARY)
    page = Page(browser, path)
    shown = page.page.evaluate(
        "() => [950, 1000, 9549, 9990, 21899, 999499, 999990, 1250000].map(mapper.shortCount)"
    )
    assert shown == ["950", "1.0k", "9.5k", "10k", "22k", "999k", "1.0M", "1.3M"]
