"""Geoparse and extraction throughput in batch mode, start-up excluded.

    python bench/geoparse.py [--corpus ../shared/bench/geoparse/GeoVirus.xml] [--repeat 3]

Feeds every article of a corpus (or, without one, the seed article repeated) through
``Pipeline.geoparse`` and ``Pipeline.extract`` on one core and prints articles per second.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mapper.evaluate import read_corpus  # noqa: E402
from mapper.gazetteer import Gazetteer  # noqa: E402
from mapper.ingest import article_from_json  # noqa: E402
from mapper.pipeline import Pipeline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = ROOT.parent / "shared" / "bench" / "geoparse" / "GeoVirus.xml"
    parser.add_argument("--corpus", default=str(default) if default.exists() else None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.corpus:
        texts = [a.text for a in read_corpus(Path(args.corpus))]
    else:
        texts = [(ROOT / "seeds" / "000_716aa2230d152aa1.txt").read_text(encoding="utf-8")] * 200
    pipeline = Pipeline(Gazetteer(ROOT / "gazetteer"))
    # Start-up outside the timings: the gazetteer opened, the name lists and the lazily
    # imported modules loaded (one short text through both paths).
    warm = "Officials said Ahmed Khan was killed in Kabul on Monday."
    pipeline.geoparse(warm)
    pipeline.extract(article_from_json({"text": warm, "published": "2025-11-10"}, where="bench"))
    words = sum(len(t.split()) for t in texts)
    for label, run in (
        ("geoparse", lambda t: pipeline.geoparse(t)),
        (
            "extract",
            lambda t: pipeline.extract(
                article_from_json({"text": t, "published": "2025-11-10"}, where="bench")
            ),
        ),
    ):
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for text in texts:
                run(text)
            times.append(time.perf_counter() - t0)
        first, best = times[0], min(times)
        print(
            f"{label}: {len(texts) / first:,.0f} articles/s on the first pass (cold name cache),"
            f" {len(texts) / best:,.0f} at best ({words / best:,.0f} words/s);"
            f" {len(texts)} articles,"
            " one core"
        )


if __name__ == "__main__":
    main()
