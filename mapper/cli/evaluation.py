"""``mapper evaluate geoparse | events``: scores on public corpora and gold event files."""

from __future__ import annotations

import functools
from pathlib import Path

from .. import ingest
from ..errors import InputFormatError
from .batch import open_pipeline

__all__ = ["cmd_evaluate_events", "cmd_evaluate_geoparse"]


def cmd_evaluate_geoparse(args) -> int:
    """``mapper evaluate geoparse PATH…``: recognition and resolution scores of XML corpora."""
    from ..evaluate import read_corpus, score_geoparse

    pipeline = open_pipeline(args)
    for path in args.paths:
        articles = read_corpus(Path(path))
        if args.limit:
            articles = articles[: args.limit]
        score = score_geoparse(
            Path(path).stem,
            articles,
            geoparse=lambda text: pipeline.geoparse(text),
            resolve_spans=pipeline.resolve_spans,
            known=lambda name: pipeline.gazetteer.search(name, fuzzy=False),
        )
        print(score.report())
        if args.errors:
            for title, counts in (
                ("missed", score.missed),
                ("spurious", score.spurious),
                ("resolved > 161 km", score.far),
            ):
                top = ", ".join(f"{k} ({n})" for k, n in counts.most_common(args.errors))
                print(f"  {title}: {top}")
    return 0


def cmd_evaluate_events(args) -> int:
    """``mapper evaluate events``: event scores against a gold file, totals judged apart."""
    from ..evaluate import score_events

    pipeline = open_pipeline(args)
    folder = Path(args.articles)
    try:
        with open(args.gold, encoding="utf-8") as handle:
            rows = [record for _, record in ingest.iter_jsonl(handle, name=args.gold)]
    except OSError as exc:
        raise InputFormatError(f"cannot read {args.gold}: {exc.strerror or exc}") from None

    @functools.lru_cache(maxsize=1)
    def extraction(article_id: str):
        return pipeline.extract(ingest.read_article(folder / f"{article_id}.txt"))

    score = score_events(
        rows,
        lambda article_id: [e.to_record() for e in extraction(article_id).events],
        totals=lambda article_id: [t.to_record() for t in extraction(article_id).totals],
    )
    print(score.report())
    if args.errors:
        print("\n".join(score.lines))
    return 0
