"""One article as the event stages read it, worked out once: its sentences and clauses, the
dates and counts it gives, and its place names, each kept in order of position so that a
clause takes its own without scanning the article.

>>> from mapper.types import Article
>>> text = "Gunmen killed two policemen in Quetta on Monday. Police said so on Tuesday."
>>> doc = make_doc(Article(id="a", text=text), [])
>>> len(doc.sentences), [c.best for c in doc.counts], [d.text for d in doc.dates]
(2, [2], ['on Monday', 'on Tuesday'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .text.counts import Count, people_counts
from .text.dates import DateMention, find_dates
from .text.segment import Clause, clauses, headline_end, sentences
from .text.spans import Spans
from .types import Article, Mention, MentionKind, Precision

__all__ = ["Doc", "make_doc"]


@dataclass(frozen=True, slots=True)
class Doc:
    """An article with what every event stage needs, computed once (``make_doc``)."""

    article: Article
    sentences: tuple[tuple[int, int], ...]  # (start, end) of each sentence
    clauses: tuple[tuple[Clause, ...], ...]  # the clauses of each sentence
    dates: Spans[DateMention]
    counts: Spans[Count]  # counts that may count people (not dates, ages, distances)
    mentions: tuple[Mention, ...]  # every place name, resolved or not
    places: Spans[Mention]  # names resolved to a place (demonyms left out)
    unknown: Spans[Mention]  # names in a place's position the gazetteer does not know
    countries: Spans[Mention]  # names resolved to a country
    headline: int = 0  # where the headline (the first line, no full stop) ends; 0: none

    @property
    def text(self) -> str:
        """The article's text."""
        return self.article.text

    def in_headline(self, index: int) -> bool:
        """The ``index``-th sentence is the headline."""
        return self.sentences[index][0] < self.headline

    def sentence(self, index: int) -> str:
        """The text of the ``index``-th sentence."""
        start, end = self.sentences[index]
        return self.article.text[start:end]


def make_doc(article: Article, mentions: Sequence[Mention]) -> Doc:
    """The Doc of ``article`` and its place mentions (resolved ones and unknown names)."""
    text = article.text
    spans = sentences(text)
    dates = Spans(find_dates(text, article.published))
    return Doc(
        article=article,
        sentences=tuple(spans),
        clauses=tuple(tuple(clauses(text, i, s, e)) for i, (s, e) in enumerate(spans)),
        dates=dates,
        counts=people_counts(text, dates),
        mentions=tuple(mentions),
        places=Spans(m for m in mentions if m.place is not None and m.kind != MentionKind.DEMONYM),
        unknown=Spans(m for m in mentions if m.kind == MentionKind.UNKNOWN),
        countries=Spans(
            m for m in mentions if m.place is not None and m.place.precision == Precision.COUNTRY
        ),
        headline=headline_end(text),
    )
