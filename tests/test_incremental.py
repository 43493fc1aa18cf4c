"""A rebuild after articles are added, changed or removed gives exactly what a build from
scratch of the same articles gives, whatever order their files are found in."""

import datetime as dt
import random
import shutil

import pytest

from mapper.pipeline.merge import footprint, merge_clusters, stale, width
from mapper.types import Article

from .conftest import event as make_event

# Places of one country (two near each other, a district holding them, the country; a chain
# of three 22 km apart) and one place of another.
PLACES = [
    dict(location="Quetta", latitude=30.18, longitude=66.99, geo_precision=1, country="PK",
         admin1="Balochistan", admin2="Quetta District"),
    dict(location="Kuchlak", latitude=30.35, longitude=66.98, geo_precision=1, country="PK",
         admin1="Balochistan", admin2="Quetta District"),
    dict(location="Quetta District", latitude=30.2, longitude=67.0, geo_precision=2,
         country="PK", admin1="Balochistan"),
    dict(location="Pakistan", latitude=30.0, longitude=70.0, geo_precision=4, country="PK"),
    dict(location="Bannu", latitude=32.99, longitude=70.6, geo_precision=1, country="PK",
         admin1="Khyber Pakhtunkhwa", admin2="Bannu District"),
    dict(location="Chain District", latitude=31.0, longitude=70.0, geo_precision=2,
         country="PK"),
    dict(location="Chain Middle", latitude=31.2, longitude=70.0, geo_precision=1, country="PK"),
    dict(location="Chain End", latitude=31.4, longitude=70.0, geo_precision=1, country="PK"),
    dict(location="Kabul", latitude=34.53, longitude=69.17, geo_precision=1, country="AF",
         admin1="Kabul"),
]  # fmt: skip


def reports(rng, article_id, *, coarse):
    """A few reports of one article: dense in days and places, so that many merge."""
    out = []
    for seq in range(rng.randint(1, 3)):
        day = dt.date(2025, 3, 1) + dt.timedelta(days=rng.randint(0, 12))
        dates = [day.isoformat()] * 6 + [None] + ([day.isoformat()[:7], "2025"] if coarse else [])
        place = dict(rng.choice(PLACES))
        if rng.random() < 0.05:
            place.update(latitude=None, longitude=None)
        out.append(
            make_event(
                article_id=article_id,
                event_type=rng.choice(["Battles", "Riots"]),
                start=seq * 10,
                end=seq * 10 + 5,
                event_date=rng.choice(dates),
                fatalities=rng.choice([None, 0, 2, 3, 5, 9, 40]),
                injured=rng.choice([None, 4]),
                source=f"Wire {article_id}",
                **place,
            )
        )
    return out


def stale_in(seeds, current, before):
    """``stale`` over reports held in memory: (key, footprint) pairs of one block."""
    places = {fp.place for _, fp in current if fp.lo is not None}

    def at(place):
        return sorted((fp.lo, fp.hi, k) for k, fp in current if fp.place == place and fp.lo)

    return stale(
        seeds,
        span=width(fp for _, fp in current),
        before=before,
        places=places,
        at=at,
        everything=lambda: {k for k, _ in current},
    )


def merged(events, articles):
    return sorted(repr(m) for _, m in merge_clusters(events, articles))


@pytest.mark.parametrize("seed", range(40))
def test_merging_again_only_the_stale_reports_gives_the_full_merge(seed):
    rng = random.Random(seed)
    coarse = seed % 2 == 0  # half the cases have month and year dates (wider blocks)
    articles = {
        f"a{i:03d}": Article(
            id=f"a{i:03d}",
            text="x",
            published=dt.date(2025, 3, 1) + dt.timedelta(days=rng.randint(0, 14)),
        )
        for i in range(160)
    }
    by_article = {aid: reports(rng, aid, coarse=coarse) for aid in articles}
    before = [k for k in by_article if rng.random() < 0.8]
    changed = set(rng.sample(before, 6))
    after = [k for k in before if rng.random() > 0.05] + [k for k in by_article if k not in before]
    old_events = {(aid, n): e for aid in before for n, e in enumerate(by_article[aid])}
    new_by_article = {
        aid: reports(rng, aid, coarse=coarse) if aid in changed else by_article[aid]
        for aid in after
    }
    new_events = {(aid, n): e for aid, evs in new_by_article.items() for n, e in enumerate(evs)}
    arts = list(articles.values())

    gone = {k: e for k, e in old_events.items() if k[0] not in after or k[0] in changed}
    added = {k: e for k, e in new_events.items() if k[0] not in before or k[0] in changed}
    seeds = [(k, footprint(e)) for k, e in [*gone.items(), *added.items()]]
    # What the last merge left: each merged event with the key of its first report.
    key_of = {id(e): k for k, e in old_events.items()}
    kept = {key_of[id(first)]: m for first, m in merge_clusters(list(old_events.values()), arts)}
    redo = set()
    for block in {fp.block for _, fp in seeds}:
        old_width = width(fp for fp in map(footprint, old_events.values()) if fp.block == block)
        current = [(k, footprint(e)) for k, e in new_events.items()]
        current = [(k, fp) for k, fp in current if fp.block == block]
        redo |= stale_in([(k, fp) for k, fp in seeds if fp.block == block], current, old_width)
    for k in redo | {k for k, _ in seeds}:
        kept.pop(k, None)
    again = merge_clusters([e for k, e in new_events.items() if k in redo], arts)
    incremental = sorted([repr(m) for m in kept.values()] + [repr(m) for _, m in again])
    assert incremental == merged(list(new_events.values()), arts)
    assert len(redo) < len(new_events)  # and it was not simply everything again


def test_a_report_two_days_away_is_stale_when_it_can_join_through_a_finer_place():
    # The district report comes first; the town report (a day earlier) gives the cluster its
    # place; the report of the next town, two days after the town report, then joins it too.
    district, middle, end = (
        next(p for p in PLACES if p["location"] == f"Chain {name}")
        for name in ("District", "Middle", "End")
    )
    first = make_event(article_id="a", event_date="2025-03-10", **district)
    town = make_event(article_id="b", event_date="2025-03-09", **middle)
    later = make_event(article_id="c", event_date="2025-03-11", **end)
    arts = [
        Article(id=aid, text="x", published=dt.date(2025, 3, day))
        for aid, day in (("a", 10), ("b", 11), ("c", 12))
    ]
    assert len(merge_clusters([first, town, later], arts)) == 1
    assert len(merge_clusters([first, later], arts)) == 2  # too far apart without the town
    current = [(k, footprint(e)) for k, e in (("a", first), ("b", town), ("c", later))]
    assert stale_in([("b", footprint(town))], current, 1) == {"a", "b", "c"}


TOWNS = ["Quetta", "Bannu", "Kohat", "Peshawar"]
LINES = [
    "Gunmen killed {n} policemen at a checkpoint in {town} on {day}, officials said.",
    "A roadside bomb killed {n} soldiers near {town} on {day}, the military said.",
    "Security forces killed {n} militants in a raid in {town} on {day}.",
    "Hundreds of people protested in {town} on {day} against rising prices.",
]
DAYS = ["Monday", "Tuesday", "Wednesday"]


def write_article(folder, name, rng, number):
    lines = [
        rng.choice(LINES).format(n=rng.randint(2, 6), town=rng.choice(TOWNS), day=rng.choice(DAYS))
        for _ in range(rng.randint(1, 3))
    ]
    (folder / f"{name}.txt").write_text(" ".join(lines) + f" (Story {number}.)", encoding="utf-8")
    published = f"2025-11-{rng.randint(10, 13)}"
    (folder / f"{name}.meta.json").write_text(f'{{"published": "{published}"}}', encoding="utf-8")


EXPORTS = ("events.geojson", "events.csv", "map.html")


def exports(out):
    return {name: (out / name).read_bytes() for name in EXPORTS}


def built(pipeline, tmp_path, *, seed, articles):
    """A seeds folder of generated stories (s00, s01, …), built once; its generator goes on."""
    rng = random.Random(seed)
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    seeds.mkdir()
    for i in range(articles):
        write_article(seeds, f"s{i:02d}", rng, i)
    pipeline.build(seeds, out)
    return rng, seeds, out


def test_rebuilds_after_adding_changing_and_removing_match_a_build_from_scratch(pipeline, tmp_path):
    rng, seeds, out = built(pipeline, tmp_path, seed=7, articles=30)
    for step in range(3):
        for i in range(3):  # new stories
            write_article(seeds, f"n{step}{i}", rng, 100 + 10 * step + i)
        old = rng.sample(sorted(p.stem for p in seeds.glob("s*.txt")), 4)
        for name in old[:2]:  # rewritten
            write_article(seeds, name, rng, 200 + step)
        for name in old[2:]:  # withdrawn
            (seeds / f"{name}.txt").unlink()
            (seeds / f"{name}.meta.json").unlink()
        result = pipeline.build(seeds, out)
        assert result.read == 5
        # The same articles, under other names (listed in another order), built from scratch.
        other = tmp_path / f"other{step}"
        other.mkdir()
        for n, path in enumerate(sorted(seeds.glob("*.txt"), reverse=True)):
            shutil.copy(path, other / f"{n:03d}.txt")
            shutil.copy(path.with_suffix(".meta.json"), other / f"{n:03d}.meta.json")
        scratch = pipeline.build(other, tmp_path / f"scratch{step}")
        assert any(e.also_reported for e in scratch.events)  # reports did merge
        assert exports(out) == exports(tmp_path / f"scratch{step}")


def test_a_new_publication_date_alone_reads_the_article_again(pipeline, tmp_path):
    # "on Monday" is resolved from the publication date, and reports merge in its order.
    _, seeds, out = built(pipeline, tmp_path, seed=3, articles=6)
    (seeds / "s02.meta.json").write_text('{"published": "2025-10-02"}', encoding="utf-8")
    assert pipeline.build(seeds, out).read == 1
    other = tmp_path / "other"
    shutil.copytree(seeds, other)
    pipeline.build(other, tmp_path / "scratch")
    assert exports(out) == exports(tmp_path / "scratch")
