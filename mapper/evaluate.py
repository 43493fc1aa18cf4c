"""Scoring mapper against public geoparsing corpora (TR-News, GeoVirus, GeoWebNews-style).

Metrics, as the corpora's published comparisons define them:
- recognition: exact-span precision, recall and F1;
- acc@161 end to end: share of all gold toponyms with coordinates that the system found
  (exact span) and placed within 161 km, from raw text; also reported "on found";
- acc@161 gold spans: the system is handed the gold spans and only resolves them;
- mean and median error (km) of the gold-span resolutions; articles per second.
"""

from __future__ import annotations

import re
import statistics
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry import Point

from .errors import InputFormatError
from .gazetteer.villages import SOURCE as VILLAGES
from .geoparse.borders import countries
from .geoparse.resolve import distance_km
from .geoparse.villages import story_countries
from .types import Mention, MentionKind, Place

__all__ = [
    "SURE",
    "EventScore",
    "GeoparseScore",
    "GoldArticle",
    "GoldToponym",
    "inside_country",
    "match_events",
    "read_corpus",
    "score_events",
    "score_geoparse",
]

ACC_KM = 161.0
# Events this sure are told apart by ``mapper evaluate events``: how often they are right.
SURE = 0.8


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """A place name of a corpus article with its gold coordinates."""

    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None
    name: str = ""  # the name the corpus gives for the span


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """A corpus article with its gold place names."""

    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


def _float(element: ET.Element | None) -> float | None:
    if element is None or element.text is None or not element.text.strip():
        return None
    try:
        return float(element.text)
    except ValueError:
        return None


_ALIGN = 60


def _occurrences(text: str, name: str, lo: int, hi: int) -> list[int]:
    out, i = [], text.find(name, max(0, lo))
    while i != -1 and i <= hi:
        out.append(i)
        i = text.find(name, i + 1)
    return out


def _toponym(node: ET.Element, text: str, where: str) -> GoldToponym | None:
    try:
        start, end = int(node.findtext("start")), int(node.findtext("end"))
    except (TypeError, ValueError):
        raise InputFormatError(f"{where}: a toponym without integer <start>/<end>") from None
    # Some corpora's offsets are shifted (GeoVirus by one character, a few TR-News spans by
    # more): align each span to the name the corpus gives for it, nearest occurrence first.
    name = (node.findtext("phrase") or node.findtext("name") or "").strip()
    if name and text[start:end] != name:
        near = [i for i in _occurrences(text, name, start - _ALIGN, end + _ALIGN)]
        if near:
            start = min(near, key=lambda i: abs(i - start))
            end = start + len(name)
    if not 0 <= start < end <= len(text):
        return None  # a span outside the text: a corpus glitch, not scored
    holder = node.find("gaztag")
    holder = holder if holder is not None else node
    lat, lon = _float(holder.find("lat")), _float(holder.find("lon"))
    return GoldToponym(start, end, text[start:end], lat, lon, name)


def read_corpus(path: Path) -> list[GoldArticle]:
    """Articles and gold toponyms of a TR-News, GeoVirus or GeoWebNews-style XML file."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise InputFormatError(f"{path}: expected a geoparsing corpus in XML ({exc})") from None
    articles = []
    for number, node in enumerate(root.iter("article"), start=1):
        text = node.findtext("text")
        if text is None:
            raise InputFormatError(f"{path}, article {number}: no <text>")
        where = f"{path}, article {number}"
        gold = [
            t
            for t in (
                _toponym(x, text, where) for x in node.iter() if x.tag in ("toponym", "location")
            )
            if t is not None
        ]
        articles.append(GoldArticle(node.get("docid") or str(number), text, tuple(gold)))
    if not articles:
        raise InputFormatError(f"{path}: expected <article> elements, found none")
    return articles


@dataclass
class GeoparseScore:
    """Recognition and resolution counts over a corpus, and the misses for ``--errors``."""

    corpus: str
    articles: int = 0
    gold: int = 0
    gold_located: int = 0
    predicted: int = 0
    exact: int = 0
    e2e_correct: int = 0
    span_correct: int = 0
    # … or a country whose outline holds the gold point: corpora put a country's point by
    # different conventions (GeoNames', Wikipedia's), up to 1,000 km apart
    span_in_country: int = 0
    span_errors: list[float] = field(default_factory=list)
    exact_located: int = 0  # exact spans among the gold toponyms with coordinates
    predicted_names: int = 0  # predictions that are names, not demonyms ("Pakistani")
    exact_names: int = 0
    e2e_seconds: float = 0.0
    missed: Counter = field(default_factory=Counter)
    spurious: Counter = field(default_factory=Counter)
    far: Counter = field(default_factory=Counter)
    fuzzy: int = 0  # gold spans resolved by a fuzzy match (a name the gazetteer does not know)
    fuzzy_abroad: int = 0  # … to a place outside the countries of the story's other names

    @property
    def precision(self) -> float:
        """Exact-span recognition precision."""
        return self.exact / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Exact-span recognition recall."""
        return self.exact / self.gold if self.gold else 0.0

    def _f1(self, exact: int, predicted: int) -> float:
        p = exact / predicted if predicted else 0.0
        r = exact / self.gold if self.gold else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def f1(self) -> float:
        """Exact-span recognition F1."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def report(self) -> str:
        """The scores as printed lines."""
        on_found = self.e2e_correct / self.exact_located if self.exact_located else 0.0
        errors = self.span_errors
        lines = [
            f"{self.corpus}: {self.articles} articles, {self.gold} gold toponyms"
            f" ({self.gold_located} with coordinates)",
            f"  recognition      P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}"
            f"  ({self.exact} exact of {self.predicted} predicted)",
            "  recognition, demonyms left out (for corpora that do not annotate them)"
            f"  F1 {self._f1(self.exact_names, self.predicted_names):.3f}",
            f"  acc@161 end to end  {self.e2e_correct / self.gold_located:.3f}"
            f"  (on found: {on_found:.3f})",
            f"  acc@161 gold spans  {self.span_correct / self.gold_located:.3f}",
            "  acc@161 gold spans, a country right when its outline holds the gold point"
            f"  {(self.span_correct + self.span_in_country) / self.gold_located:.3f}",
            f"  fuzzy matches (gold spans)  {self.fuzzy}, outside the story's countries"
            f" {self.fuzzy_abroad}",
            f"  error km (gold spans)  mean {statistics.fmean(errors):.0f}"
            f"  median {statistics.median(errors):.0f}"
            if errors
            else "  error km: none",
            f"  speed  {self.articles / self.e2e_seconds:.0f} articles/s end to end (one core)",
        ]
        return "\n".join(lines)


Geoparse = Callable[[str], Sequence[Mention]]
ResolveSpans = Callable[[str, Sequence[tuple[int, int]]], Sequence[Mention]]


def _error(place: Place | None, gold: GoldToponym) -> float:
    if place is None:
        return 20_000.0  # unresolved: as far as it gets
    return distance_km(
        place, Place(name="", lat=gold.lat, lon=gold.lon, country="", precision="place")
    )


def inside_country(place: Place | None, gold: GoldToponym) -> bool:
    """The place is a country and its outline holds the gold point."""
    if place is None or place.precision != "country":
        return False
    country = countries().get(place.country)
    return country is not None and country.outline.contains(Point(gold.lon, gold.lat))


def score_geoparse(
    name: str,
    articles: Iterable[GoldArticle],
    *,
    geoparse: Geoparse,
    resolve_spans: ResolveSpans,
    known: Callable[[str], Sequence] | None = None,
) -> GeoparseScore:
    """Score end-to-end geoparsing and gold-span resolution on one corpus.

    ``known(name)`` gives a name's candidates without a fuzzy match: a gold span resolved
    although it gives none was resolved by one, and is counted (and counted again when it lies
    outside the countries of the story's other names)."""
    score = GeoparseScore(name)
    for article in articles:
        score.articles += 1
        gold = {(t.start, t.end): t for t in article.toponyms}
        located = [t for t in article.toponyms if t.lat is not None and t.lon is not None]
        score.gold += len(gold)
        score.gold_located += len(located)

        t0 = time.perf_counter()
        found = [m for m in geoparse(article.text) if m.place is not None]
        score.e2e_seconds += time.perf_counter() - t0
        spans = {(m.start, m.end): m for m in found}
        score.predicted += len(spans)
        score.exact += sum(1 for s in spans if s in gold)
        names = {s for s, m in spans.items() if m.kind != "demonym"}
        score.predicted_names += len(names)
        score.exact_names += sum(1 for s in names if s in gold)
        for span, t in gold.items():
            if span not in spans:
                score.missed[t.text] += 1
        for span, m in spans.items():
            if span not in gold:
                score.spurious[m.text] += 1
        for t in located:
            m = spans.get((t.start, t.end))
            if m is not None:
                score.exact_located += 1
                if _error(m.place, t) <= ACC_KM:
                    score.e2e_correct += 1

        resolved = resolve_spans(article.text, [(t.start, t.end) for t in located])
        if known is not None:
            fuzzy = [
                m.place is not None
                and m.kind == MentionKind.NAME
                and m.place.source != VILLAGES
                and not known(m.text)
                for m in resolved
            ]
            countries = story_countries([m for m, f in zip(resolved, fuzzy, strict=True) if not f])
            score.fuzzy += sum(fuzzy)
            score.fuzzy_abroad += sum(
                1
                for m, f in zip(resolved, fuzzy, strict=True)
                if f and countries and m.place.country not in countries
            )
        for t, m in zip(located, resolved, strict=True):
            error = _error(m.place, t)
            score.span_errors.append(error)
            if error <= ACC_KM:
                score.span_correct += 1
            else:
                score.span_in_country += inside_country(m.place, t)
                score.far[
                    f"{t.text} → {m.place.name + ', ' + m.place.country if m.place else 'nothing'}"
                ] += 1
    return score


# ---------------------------------------------------------------- events

# Gold place tolerance by its geo_precision (1 place, 2 district/near, 3 province/region).
EVENT_KM = {1: 25.0, 2: 50.0, 3: 150.0}
# What a gold place name may say around the name itself: "near X", "X village", "X district",
# "X shopping center".
# Compared without it, "Kin Seik village" is the village an event names "Kin Seik".
_NAME_FRAME = re.compile(
    r"^(?:near|outside|the)\s+(?:the\s+)?(?:(?:village|town|city)\s+of\s+)?"
    r"|\s+(?:village(?:\s+tract)?|town(?:ship)?|city|district|province|state|region|area|camp"
    r"|(?:shopping\s+)?(?:mall|cent(?:re|er))|hotel|hospital|mosque|church|market|bazaar"
    r"|police\s+station|checkpoint|square|(?:border\s+|army\s+|military\s+)?(?:outpost|base))$",
    re.IGNORECASE,
)


def _bare(name: str) -> str:
    return _NAME_FRAME.sub("", name.strip())


@dataclass
class EventScore:
    """Event matching counts over a gold file, the totals set aside, and lines for ``--errors``."""

    articles: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    type_ok: int = 0
    fatalities_ok: int = 0
    date_ok: int = 0
    # Tolls set aside as totals of other events, by what the gold makes of them.
    totals: int = 0
    totals_in_gold: int = 0  # a total the gold notes too (``aggregate_notes``)
    totals_lost: int = 0  # a real event of the gold, wrongly set aside
    sure: int = 0  # events of confidence SURE or more …
    sure_matched: int = 0  # … and how many of them match a gold event
    lines: list[str] = field(default_factory=list)

    def report(self) -> str:
        """The scores as printed lines."""
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0

        def share(n: int) -> str:
            return f"{n / self.matched:.3f}" if self.matched else "n/a"

        return "\n".join(
            [
                f"events: {self.articles} articles, {self.gold} gold events,"
                f" {self.predicted} extracted",
                f"  precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  ({self.matched} matched)",
                f"  on matched events: type {share(self.type_ok)}  fatalities exact"
                f" {share(self.fatalities_ok)}  date exact {share(self.date_ok)}",
                f"  confidence >= {SURE}: {self.sure} events, "
                + (
                    f"{self.sure_matched / self.sure:.0%} of them match a gold event"
                    if self.sure
                    else "none"
                ),
                f"  totals set aside (not drawn): {self.totals} ({self.totals_in_gold} totals in"
                f" the gold, {self.totals_lost} real events of the gold,"
                f" {self.totals - self.totals_in_gold - self.totals_lost} neither)",
            ]
        )


def _date_close(out: str | None, gold: dict) -> bool:
    import datetime as dt

    wanted = [d for d in (gold.get("event_date"), gold.get("date_alt")) if d]
    if not wanted:
        return True  # the text does not allow a date: any is accepted
    if not out:
        return False
    for g in wanted:
        if len(g) < 10 or len(out) < 10:  # month or year precision: compare what both give
            n = min(len(g), len(out))
            if out[:n] == g[:n]:
                return True
            continue
        if abs((dt.date.fromisoformat(out) - dt.date.fromisoformat(g)).days) <= 1:
            return True
    return False


def _place_distance(event: dict, gold: dict) -> float | None:
    """km between the event and the gold place, 0 for a name match, None when too far."""
    from .text.names import variant_key

    if gold.get("latitude") is None or gold.get("longitude") is None:
        names = [event.get(k) for k in ("location", "admin2", "admin1")]
        return (
            0.0
            if any(
                n and variant_key(_bare(n)) == variant_key(_bare(gold.get("location_name") or ""))
                for n in names
            )
            else None
        )
    if event.get("latitude") is None:
        return None
    km = distance_km(
        Place(
            name="", lat=event["latitude"], lon=event["longitude"], country="", precision="place"
        ),
        Place(name="", lat=gold["latitude"], lon=gold["longitude"], country="", precision="place"),
    )
    return km if km <= EVENT_KM.get(gold.get("geo_precision") or 3, 150.0) else None


def _same_date(out: str | None, gold: dict) -> bool:
    want = gold.get("event_date")
    if not want:
        return out is None
    return bool(out) and out in (want, gold.get("date_alt"))


def _disagreement(event: dict, gold: dict) -> int:
    return sum(event.get(k) != gold.get(k) for k in ("event_type", "fatalities", "event_date"))


def _folded(text: str) -> str:
    return " ".join(text.split()).lower()


def _judge_total(total: dict, row: dict) -> str:
    """What the gold makes of a toll set aside as a total: "total" when the gold notes it as
    one, "lost" when it is the toll of a gold event told in the same words, else "neither"."""
    if any(a.get("fatalities") == total["fatalities"] for a in row.get("aggregate_notes") or []):
        return "total"
    said = _folded(total["evidence"])
    for g in row.get("events") or []:
        told = _folded(g.get("evidence") or "")
        if g.get("fatalities") == total["fatalities"] and told and (said in told or told in said):
            return "lost"
    return "neither"


def match_events(out: Sequence[dict], gold: Sequence[dict]) -> list[tuple[int, int]]:
    """(extracted, gold) index pairs of the events that match one to one: places within the
    gold precision's distance (or named alike) and dates within a day, nearest first; among
    equally near pairs (two events in one town on one day), the pair that agrees more on type,
    toll and date."""
    pairs = []
    for i, e in enumerate(out):
        for j, g in enumerate(gold):
            km = _place_distance(e, g)
            if km is not None and _date_close(e.get("event_date"), g):
                pairs.append((km, _disagreement(e, g), i, j))
    used_out, used_gold, matched = set(), set(), []
    for _km, _disagree, i, j in sorted(pairs):
        if i in used_out or j in used_gold:
            continue
        used_out.add(i)
        used_gold.add(j)
        matched.append((i, j))
    return matched


def score_events(
    gold_rows: Iterable[dict],
    extract: Callable[[str], Sequence[dict]],
    *,
    totals: Callable[[str], Sequence[dict]] | None = None,
) -> EventScore:
    """Match extracted events to gold events one to one, nearest first (ties: the pair that
    agrees more), and score them.

    ``extract(article_id)`` returns the extracted event records of that article; ``totals``,
    the records of the tolls it set aside as totals (``Total.to_record``), which are judged
    against the gold's ``aggregate_notes`` and events and counted apart.
    """
    score = EventScore()
    for row in gold_rows:
        gold_events = row.get("events") or []
        for total in totals(row["article"]) if totals else ():
            verdict = _judge_total(total, row)
            score.totals += 1
            score.totals_in_gold += verdict == "total"
            score.totals_lost += verdict == "lost"
            label = {"total": "a total in the gold", "lost": "A REAL EVENT OF THE GOLD"}
            score.lines.append(
                f"  {row['article']} total set aside ({label.get(verdict, 'not in the gold')}):"
                f" {total['fatalities']} ({total['cue']}): {total['evidence'][:80]}"
            )
        out = list(extract(row["article"]))
        score.articles += 1
        score.gold += len(gold_events)
        score.predicted += len(out)
        pairs = match_events(out, gold_events)
        used_out, used_gold = {i for i, _ in pairs}, {j for _, j in pairs}
        for i, e in enumerate(out):
            if (e.get("confidence") or 0.0) >= SURE:
                score.sure += 1
                score.sure_matched += i in used_out
        for i, j in pairs:
            e, g = out[i], gold_events[j]
            score.matched += 1
            score.type_ok += e.get("event_type") == g.get("event_type")
            score.fatalities_ok += e.get("fatalities") == g.get("fatalities")
            score.date_ok += _same_date(e.get("event_date"), g)
            wrong = [
                f"{k} {e.get(k)!r} (gold {g.get(k)!r})"
                for k in ("event_type", "fatalities", "event_date")
                if (e.get(k) != g.get(k)) and not (k == "event_date" and _same_date(e.get(k), g))
            ]
            if wrong:
                score.lines.append(f"  {row['article']} matched {g.get('id')}: " + "; ".join(wrong))
        for j, g in enumerate(gold_events):
            if j not in used_gold:
                score.lines.append(
                    f"  {row['article']} missed {g.get('id')}: {g.get('event_type')},"
                    f" {g.get('event_date')}, {g.get('location_name')}, {g.get('fatalities')}"
                )
        for i, e in enumerate(out):
            if i not in used_out:
                score.lines.append(
                    f"  {row['article']} extra: {e.get('event_type')}, {e.get('event_date')},"
                    f" {e.get('location')}, {e.get('fatalities')}: {e.get('evidence', '')[:80]}"
                )
    return score
