"""Shared fixtures: the full compiled gazetteer (built on first use) for gazetteer and end-to-end
tests, and a small one compiled from tests/data/small_gazetteer/ for the rule tests."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from mapper.gazetteer import Gazetteer
from mapper.ingest import Problem, list_files, read_article, read_file
from mapper.pipeline import Pipeline
from mapper.pipeline.merge import merge_clusters
from mapper.types import Article, Event

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_716aa2230d152aa1.txt"
SHARED_BENCH = ROOT.parent / "shared" / "bench"
SMALL_TABLES = ROOT / "tests" / "data" / "small_gazetteer"


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer(ROOT / "gazetteer")


@pytest.fixture(scope="session")
def pipeline(gazetteer) -> Pipeline:
    return Pipeline(gazetteer)


@pytest.fixture(scope="session")
def small_gazetteer(tmp_path_factory) -> Gazetteer:
    """The places the rule tests name and their namesakes (tests/data/README.md): compiled in
    a blink, and the same answers for those names as the full index."""
    return Gazetteer(
        tmp_path_factory.mktemp("small_gazetteer"), packages=False, tables=SMALL_TABLES
    )


@pytest.fixture(scope="session")
def small_pipeline(small_gazetteer) -> Pipeline:
    return Pipeline(small_gazetteer)


@pytest.fixture(scope="session")
def seed() -> Article:
    return read_article(SEED)


def article(
    text: str,
    *,
    published: str | None = "2025-11-13",
    source: str = "Test Wire",
    url: str | None = "https://example.org/story",
) -> Article:
    """An Article from text written for a test."""
    return Article(
        id=Article.content_id(text),
        text=text,
        path="<test>",
        source=source,
        url=url,
        published=dt.date.fromisoformat(published) if published else None,
    )


def event(**overrides) -> Event:
    """An Event for tests that start after extraction: a clash in Kabul unless overridden."""
    fields = dict(
        article_id="a1",
        event_type="Battles",
        sub_event_type="Armed clash",
        evidence="Clashes in Kabul.",
        start=0,
        end=17,
        event_date="2025-11-09",
        latitude=34.5,
        longitude=69.2,
        location="Kabul",
        country="AF",
        fatalities=3,
    )
    return Event(**{**fields, **overrides})


def pytest_sessionfinish(session, exitstatus):
    """In CI every test is required: a skipped test fails the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped and exitstatus == 0:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; all must run here", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def read_folder(folder: Path) -> tuple[list[Article], list[Problem]]:
    """Every article under ``folder`` and what could not be used, as a build reads them."""
    listing = list_files(folder)
    articles, problems = [], list(listing.problems)
    for path in listing.paths:
        found, trouble = read_file(Path(path))
        articles += found
        problems += trouble
    return articles, problems


def merge_reports(events, articles) -> list[Event]:
    """One event per real event across articles, in the order of their first reports."""
    return [merged for _, merged in merge_clusters(events, articles)]


# The browser the map's tests run in (test_browser*.py, test_map_layers.py): required in CI.
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
