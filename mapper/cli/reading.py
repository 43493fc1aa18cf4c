"""``mapper geoparse`` and ``extract``: place names and events of articles, as JSON."""

from __future__ import annotations

import sys

from .. import ingest
from ..errors import InputFormatError
from ..types import Article, Mention
from .batch import each, finish, open_pipeline, records, write

__all__ = ["cmd_extract", "cmd_geoparse"]


def _toponym_record(m: Mention) -> dict:
    p = m.place
    return {
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "kind": m.kind,
        "name": p.name if p else None,
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "country": p.country if p else None,
        "admin1": p.admin1 if p else None,
        "feature": p.feature if p else None,
        "precision": p.precision if p else None,
        "geonameid": p.geonameid if p else None,
        "score": m.score,
        "confidence": m.confidence,
    }


def cmd_geoparse(args) -> int:
    """``mapper geoparse``: the place names of articles, with offsets, resolved."""
    pipeline = open_pipeline(args)

    def one(where: str, record: dict) -> dict:
        text = record.get("text")
        if not isinstance(text, str):
            raise InputFormatError(f"{where}: expected a string field 'text'")
        spans = record.get("spans")
        if spans is not None:
            try:
                pairs = [(int(s), int(e)) for s, e in spans]
            except (TypeError, ValueError):
                raise InputFormatError(
                    f"{where}: expected 'spans' as a list of [start, end]"
                ) from None
            bad = next(((s, e) for s, e in pairs if not 0 <= s < e <= len(text)), None)
            if bad is not None:
                raise InputFormatError(
                    f"{where}: expected spans with 0 <= start < end <= {len(text)} (the text's"
                    f" length), got {list(bad)}"
                )
            mentions = pipeline.resolve_spans(text, pairs)
        else:
            mentions = pipeline.geoparse(text, dateline=ingest.parse_dateline(text)[0])
        return {"id": record.get("id"), "toponyms": [_toponym_record(m) for m in mentions]}

    write(each(args, records(args), one), fmt=args.format, out=sys.stdout)
    return finish(args)


def cmd_extract(args) -> int:
    """``mapper extract``: the events (and totals) of articles."""
    pipeline = open_pipeline(args)

    def one(where: str, record: dict) -> dict:
        if args.published and not record.get("published"):
            record = {**record, "published": args.published}
        article: Article = ingest.article_from_json(record, where=where)
        extraction = pipeline.extract(article)
        events = []
        for event in extraction.events:
            data = event.to_record()
            data["lat"], data["lon"] = data["latitude"], data["longitude"]
            events.append(data)
        return {
            "id": record.get("id", article.id),
            "events": events,
            "totals": [t.to_record() for t in extraction.totals],
            "unplaced": [e.to_record() for e in extraction.unplaced],
        }

    write(each(args, records(args), one), fmt=args.format, out=sys.stdout)
    return finish(args)
