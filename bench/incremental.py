"""Full build versus adding, changing or removing one article, on a store of generated
articles.

    python bench/incremental.py [--articles 10000]

Prints the build times (wall clock, and CPU time of this process, which other work on the
machine disturbs less) and their ratio to the full build; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mapper.gazetteer import Gazetteer  # noqa: E402
from mapper.pipeline import Pipeline  # noqa: E402

TOWNS = [
    "Quetta",
    "Peshawar",
    "Bannu",
    "Kohat",
    "Kabul",
    "Jalalabad",
    "Kandahar",
    "Chaman",
    "Lakki Marwat",
    "Dera Ismail Khan",
    "Khost",
    "Hangu",
    "Sibi",
    "Mastung",
]
TEMPLATES = [
    "Gunmen killed {n} policemen at a checkpoint in {town} on {day}, officials said.",
    "A roadside bomb killed {n} soldiers near {town} on {day}, the military said.",
    "A suicide bomber killed {n} people at a market in {town} on {day}, police said.",
    "Security forces killed {n} militants in a raid in {town} on {day}.",
    "Hundreds of people protested in {town} on {day} against rising prices.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def article(rng: random.Random, i: int) -> tuple[str, str]:
    lines = [
        rng.choice(TEMPLATES).format(
            n=rng.randint(1, 30), town=rng.choice(TOWNS), day=rng.choice(DAYS)
        )
        for _ in range(rng.randint(2, 5))
    ]
    published = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return " ".join(lines) + f" (Report {i}.)", published


def write(folder: Path, i: int, rng: random.Random) -> None:
    text, published = article(rng, i)
    (folder / f"{i:06d}.txt").write_text(text, encoding="utf-8")
    (folder / f"{i:06d}.meta.json").write_text(f'{{"published": "{published}"}}', encoding="utf-8")


def timed(pipeline: Pipeline, seeds: Path, out: Path):
    wall, cpu = time.perf_counter(), time.process_time()
    result = pipeline.build(seeds, out)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(11)
    pipeline = Pipeline(Gazetteer(ROOT / "gazetteer"))
    with tempfile.TemporaryDirectory() as tmp:
        seeds, out = Path(tmp) / "seeds", Path(tmp) / "out"
        seeds.mkdir()
        for i in range(args.articles):
            write(seeds, i, rng)
        full, full_s, full_cpu = timed(pipeline, seeds, out)
        print(
            f"full build: {full.articles:,} articles, {len(full.events):,} events"
            f" in {full_s:.1f} s (CPU {full_cpu:.1f} s)"
        )
        steps = {
            "+1 article": lambda: write(seeds, args.articles, rng),
            "1 changed": lambda: write(seeds, args.articles // 2, rng),
            "1 removed": lambda: (seeds / f"{args.articles // 3:06d}.txt").unlink(),
            "no change": lambda: None,
        }
        for name, step in steps.items():
            step()
            more, more_s, more_cpu = timed(pipeline, seeds, out)
            print(
                f"{name}: {more.read} read, {len(more.events):,} events in {more_s:.2f} s"
                f" = {100 * more_s / full_s:.1f} % of the full build"
                f" (CPU {more_cpu:.2f} s = {100 * more_cpu / full_cpu:.1f} %)"
            )


if __name__ == "__main__":
    main()
