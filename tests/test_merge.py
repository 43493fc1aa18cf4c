"""The same event reported by two articles is one event with both sources."""

import datetime as dt

from mapper.types import Article

from .conftest import event as make_event
from .conftest import merge_reports


def article(aid, published):
    return Article(id=aid, text="x", published=dt.date.fromisoformat(published))


def event(aid, **kw):
    """A report of one suicide bombing in Islamabad, by article ``aid``."""
    bombing = dict(
        article_id=aid,
        event_type="Explosions/Remote violence",
        sub_event_type="Suicide bomb",
        evidence="e",
        end=1,
        event_date="2025-11-11",
        latitude=33.72,
        longitude=73.04,
        location="Islamabad",
        country="PK",
        geo_precision=1,
        fatalities=12,
        source="A",
        source_url="https://a.example/1",
    )
    return make_event(**{**bombing, **kw})


def test_two_reports_of_one_bombing_become_one_event_with_the_latest_toll():
    early = event("a1", fatalities=12, source="Wire A")
    late = event(
        "a2",
        fatalities=15,
        event_date="2025-11-12",
        source="Wire B",
        source_url="https://b.example/2",
    )
    (merged,) = merge_reports(
        [late, early], [article("a1", "2025-11-11"), article("a2", "2025-11-12")]
    )
    assert merged.article_id == "a1" and merged.fatalities == 15
    assert merged.also_reported == (("a2", "Wire B", "https://b.example/2"),)


def test_a_country_level_report_merges_into_the_precise_one():
    vague = event("a1", location="Pakistan", geo_precision=4, latitude=30.0, longitude=70.0)
    precise = event("a2")
    (merged,) = merge_reports(
        [vague, precise], [article("a1", "2025-11-11"), article("a2", "2025-11-11")]
    )
    assert (merged.location, merged.geo_precision) == ("Islamabad", 1)


def test_different_days_places_types_or_tolls_stay_apart():
    a = event("a1")
    others = [
        event("a2", event_date="2025-11-14"),
        event("a3", latitude=34.0, longitude=71.5, location="Peshawar"),
        event("a4", event_type="Battles"),
        event("a5", fatalities=200),
    ]
    arts = [article(f"a{i}", "2025-11-11") for i in range(1, 6)]
    assert len(merge_reports([a, *others], arts)) == 5


def test_events_of_one_article_are_never_merged_here():
    assert (
        len(
            merge_reports([event("a1"), event("a1", start=5, end=6)], [article("a1", "2025-11-11")])
        )
        == 2
    )
