"""Time per KB of one article as it grows: work per article must stay linear in its length.

    python bench/scaling.py [--sizes 10,100,1000] [--repeat 3] [--seed 7]

Writes wire-like articles of each size (in KB) from sentences made here — incidents with tolls,
places and days, background, quotes, village names the gazetteer lacks — and times
``Pipeline.geoparse`` and ``Pipeline.extract`` on each. Prints seconds and ms per KB for every
size, the best of ``--repeat`` runs, and how much longer each size took than the one before
it (linear work: as many times longer as the text is; the target for 1 MB against 100 KB is
at most 10x the time).
"""

from __future__ import annotations

import argparse
import itertools
import random
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mapper.gazetteer import Gazetteer  # noqa: E402
from mapper.ingest import article_from_json  # noqa: E402
from mapper.pipeline import Pipeline  # noqa: E402

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "10", "12", "15"]
VICTIMS = ["soldiers", "policemen", "civilians", "militants", "people", "worshippers", "workers"]
TEMPLATES = [
    "Gunmen killed {n} {victims} at a checkpoint in {place} on {day}, officials said.",
    "A roadside bomb exploded near a convoy in {place} on {day}, killing {n} {victims}.",
    "Security forces raided a hideout near {place} on {day} and killed {n} militants.",
    "Hundreds of protesters rallied in {place} on {day} against rising fuel prices.",
    "Residents of {village} said men on motorcycles fled toward {place} after the attack.",
    "The provincial government said talks with elders in {place} would resume next week.",
    "A drone strike hit a compound in {village}, near {place}, on {day}, residents said.",
    "The region has seen a surge in militant attacks in recent years, analysts say.",
    "“We are afraid to leave our homes,” said a shopkeeper in {place}.",
    "Police in {place} arrested {n} suspects on {day} in connection with the bombing.",
]


def places(gazetteer: Gazetteer, n: int = 300) -> list[str]:
    con = sqlite3.connect(gazetteer.path)
    rows = con.execute(
        "SELECT name FROM places WHERE country IN ('PK', 'AF') AND precision = 'place'"
        " AND population > 5000 ORDER BY population DESC LIMIT ?",
        (n,),
    ).fetchall()
    con.close()
    return [r[0] for r in rows]


def village(rng: random.Random) -> str:
    """A capitalised name no gazetteer has, as villages in the news often are."""
    syllables = ["Zar", "khel", "Ban", "dai", "Gul", "tora", "Shin", "warsak", "Mir", "kot"]
    return "".join(rng.choice(syllables) for _ in range(3)).capitalize()


def article(kb: int, names: list[str], rng: random.Random) -> str:
    parts, size = ["PESHAWAR, Pakistan (AP) — "], 0
    while size < kb * 1000:
        paragraph = " ".join(
            rng.choice(TEMPLATES).format(
                n=rng.choice(NUMBERS),
                victims=rng.choice(VICTIMS),
                place=rng.choice(names),
                village=village(rng),
                day=rng.choice(DAYS),
            )
            for _ in range(rng.randint(2, 4))
        )
        parts.append(paragraph + "\n")
        size += len(paragraph) + 1
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="article sizes in KB")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    pipeline = Pipeline(Gazetteer(ROOT / "gazetteer"))
    names = places(pipeline.gazetteer)
    rng = random.Random(args.seed)
    sizes = [int(x) for x in args.sizes.split(",")]
    texts = {kb: article(kb, names, rng) for kb in sizes}
    for text in texts.values():  # warm the name cache, outside the timings
        pipeline.geoparse(text[:20_000])
    per_kb: dict[str, dict[int, float]] = {"geoparse": {}, "extract": {}}
    for kb, text in texts.items():
        doc = article_from_json({"text": text, "published": "2025-11-10"}, where="bench")
        for label, run, arg in (
            ("geoparse", pipeline.geoparse, text),
            ("extract", pipeline.extract, doc),
        ):
            best = float("inf")
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                run(arg)
                best = min(best, time.perf_counter() - t0)
            per_kb[label][kb] = best * 1000 / (len(text) / 1000)
            print(
                f"{label:8s} {len(text) / 1000:7.0f} KB: {best:7.2f} s,"
                f" {per_kb[label][kb]:6.2f} ms/KB (best of {args.repeat})"
            )
    for label, costs in per_kb.items():
        for small, big in itertools.pairwise(sizes):
            took = costs[big] * big / (costs[small] * small)
            print(
                f"{label}: {big} KB took {took:.1f}x the time of {small} KB"
                f" ({big / small:g}x the text; ms/KB ratio {costs[big] / costs[small]:.2f})"
            )


if __name__ == "__main__":
    main()
