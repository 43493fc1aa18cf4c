"""Fit the place ranker on gold place names and write its weights.

    python bench/fit_ranker.py [--corpus FILE ...] [--write]

The corpora (default: TR-News and GeoVirus in ``../shared/bench/geoparse``) give place names
with their true coordinates. Each article's gold names are resolved as ``mapper evaluate
geoparse`` resolves them, and the ranker's view of each name is kept: every candidate with
its feature values (``mapper/geoparse/resolve.py``, ``FEATURES``). A candidate within 161 km
of the truth is right. A conditional logit (the chance of a candidate is the softmax of its
score among the name's candidates; L2, Newton's method) is fitted to give the right ones the
most chance. Names with one candidate, or none right, say nothing about the weights.

The features of a name depend on where the other names were placed, so fitting goes in rounds:
the names are resolved with the weights of the round before (the first round with ``START``),
and the model is fitted again, ``ROUNDS`` times.

Printed: acc@161 of the gold names in a 5-fold cross-validation by article (each article
resolved, from its text, by a model fitted without it), against the hand-set weights; the
model fitted on all; its weights. ``--write`` writes that model to ``mapper/rules/ranker.tsv``.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mapper.evaluate import ACC_KM, GoldArticle, inside_country, read_corpus  # noqa: E402
from mapper.gazetteer import Gazetteer  # noqa: E402
from mapper.geo import haversine_km  # noqa: E402
from mapper.geoparse.resolve import FEATURES, Ranker  # noqa: E402
from mapper.pipeline import Pipeline  # noqa: E402
from mapper.rules import write_weights  # noqa: E402
from mapper.text.names import fold  # noqa: E402

CORPORA = ("TR-News.xml", "GeoVirus.xml")
LIST = "name list"
# The weights the rounds start from, and are compared with: those mapper was tuned with by
# hand before it had a fitted ranker.
_HAND = {"prior": 1.0, "focus": 3.0, "hint": 3.0, "containment": 2.0, "holder": 4.0,
         "siblings": 1.5, "nearby": 1.0}  # fmt: skip
START = Ranker(tuple(_HAND.get(f, 0.0) for f in FEATURES))
ROUNDS = 2
FOLDS = 5
L2 = 1.0  # pulls weights towards 0: a feature seen a few times cannot take over


class Group:
    """One gold name's candidates: feature rows and which are right; ``source`` is the corpus
    or list it comes from."""

    __slots__ = ("right", "source", "x")

    def __init__(self, source: str, x: np.ndarray, right: np.ndarray) -> None:
        self.source, self.x, self.right = source, x, right


def resolved(
    pipeline: Pipeline, articles: Sequence[GoldArticle], source: str = ""
) -> tuple[list[Group], int, int, int]:
    """(the groups the ranker saw, gold names placed right, gold names, names placed at a
    country farther than 161 km from the gold point but holding it) over ``articles``."""
    groups: list[Group] = []
    right = total = inside = 0
    for article in articles:
        located = [t for t in article.toponyms if t.lat is not None and t.lon is not None]
        trace: list = []
        out = pipeline.resolve_spans(article.text, [(t.start, t.end) for t in located], trace=trace)
        for t, m in zip(located, out, strict=True):
            total += 1
            placed = m.place is not None
            near = placed and haversine_km(m.place.lat, m.place.lon, t.lat, t.lon) <= ACC_KM
            right += near
            inside += not near and inside_country(m.place, t)
        gold = {(t.start, t.end): t for t in located}
        for mention, rows in trace:
            t = gold.get((mention.start, mention.end))
            if t is None or len(rows) < 2:
                continue
            ok = np.array(
                [haversine_km(c.place.lat, c.place.lon, t.lat, t.lon) <= ACC_KM for _, c in rows]
            )
            if ok.any() and not ok.all():
                groups.append(Group(source, np.array([v for v, _ in rows]), ok))
    return groups, right, total, inside


# How the name list's names are read: in a sentence that says which countries the story is about
# (as ``tests/test_gazetteer_pkaf.py`` reads them).
_LIST_SENTENCE = "Officials in Pakistan and Afghanistan said clashes broke out in {} on Monday."


def name_list(path: Path) -> list[dict[str, str]]:
    """The rows of a name list (``tests/data/pk_af_names.tsv``: name, country, admin1,
    precision)."""
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x and x[0] != "#"]
    return list(csv.DictReader(lines, delimiter="\t"))


def _as_listed(place, row: dict[str, str], gazetteer: Gazetteer) -> bool:
    """The place is the one the list expects: its country, its level and (below a province)
    its province, however the list spells it."""
    if place is None or place.country != row["country"] or place.precision != row["precision"]:
        return False
    if not row["admin1"] or row["precision"] in ("admin1", "country"):
        return True
    areas = {fold(row["admin1"])} | {
        fold(p.name)
        for p in gazetteer.lookup(row["admin1"], country=row["country"], limit=20)
        if p.precision == "admin1"
    }
    return bool(place.admin1) and fold(place.admin1) in areas


def listed(pipeline: Pipeline, rows: Sequence[dict[str, str]]) -> tuple[list[Group], int, int, int]:
    """``resolved`` for the names of a name list, each read in ``_LIST_SENTENCE``."""
    groups: list[Group] = []
    right = 0
    gazetteer = pipeline.gazetteer
    for row in rows:
        text = _LIST_SENTENCE.format(row["name"])
        start = text.index(" in ", 20) + 4
        span = (start, start + len(row["name"]))
        trace: list = []
        inside = [
            m
            for m in pipeline.geoparse(text, trace=trace)
            if span[0] <= m.start and m.end <= span[1] and m.place is not None
        ]
        best = max(inside, key=lambda m: m.end - m.start).place if inside else None
        right += _as_listed(best, row, gazetteer)
        # The name as recognised: the longest within the listed name.
        within = [(m, o) for m, o in trace if span[0] <= m.start and m.end <= span[1]]
        if within:
            _, options = max(within, key=lambda mo: mo[0].end - mo[0].start)
            ok = np.array([_as_listed(c.place, row, gazetteer) for _, c in options])
            if len(options) > 1 and ok.any() and not ok.all():
                groups.append(Group(LIST, np.array([v for v, _ in options]), ok))
    return groups, right, len(rows), 0


def fit(groups: Sequence[Group]) -> np.ndarray:
    """Weights maximising the chance of the right candidates, less an L2 pull. Each source
    weighs the same in all: a corpus of many names does not drown a list of few.

    Newton's method with the Fisher information (the candidates' feature covariance) as the
    curvature, and a step halved until the objective improves."""
    x = np.vstack([g.x for g in groups])
    right = np.concatenate([g.right for g in groups])
    sizes = np.array([len(g.right) for g in groups])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    owner = np.repeat(np.arange(len(groups)), sizes)
    per_source = Counter(g.source for g in groups)
    weight = np.array([len(groups) / (len(per_source) * per_source[g.source]) for g in groups])

    def objective(w: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        s = x @ w
        s = s - np.maximum.reduceat(s, starts)[owner]
        e = np.exp(s)
        total = np.add.reduceat(e, starts)
        good = np.add.reduceat(np.where(right, e, 0.0), starts)
        loss = -weight @ (np.log(good) - np.log(total)) + 0.5 * L2 * w @ w
        p = e / total[owner]  # chance among all
        q = np.where(right, e, 0.0) / good[owner]  # chance among the right ones
        gradient = x.T @ ((p - q) * weight[owner]) + L2 * w
        mean = np.add.reduceat(x * p[:, None], starts)  # each group's expected features
        centred = x - mean[owner]
        fisher = (centred * (p * weight[owner])[:, None]).T @ centred + L2 * np.eye(len(w))
        return loss, gradient, fisher

    w = np.zeros(x.shape[1])
    loss, gradient, fisher = objective(w)
    for _ in range(100):
        step = np.linalg.solve(fisher, gradient)
        rate = 1.0
        while rate > 1e-6:
            trial = w - rate * step
            new_loss, new_gradient, new_fisher = objective(trial)
            if new_loss <= loss:
                break
            rate /= 2
        else:
            break
        done = loss - new_loss < 1e-9
        w, loss, gradient, fisher = trial, new_loss, new_gradient, new_fisher
        if done:
            break
    return w


def rounds(
    gazetteer: Gazetteer,
    corpora: dict[str, list[GoldArticle]],
    rows: Sequence[dict[str, str]],
) -> tuple[Ranker, int]:
    """The ranker fitted on the articles of ``corpora`` and the name list's ``rows`` in
    ``ROUNDS`` rounds, and the number of names with a choice in the last."""
    ranker = START
    count = 0
    for _ in range(ROUNDS):
        pipeline = Pipeline(gazetteer, ranker=ranker)
        groups = listed(pipeline, rows)[0]
        for name, articles in corpora.items():
            groups += resolved(pipeline, articles, name)[0]
        ranker = Ranker(tuple(float(v) for v in fit(groups)))
        count = len(groups)
    return ranker, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    bench = ROOT.parent / "shared" / "bench" / "geoparse"
    parser.add_argument(
        "--corpus", action="append", help="a gold corpus (repeatable; default TR-News, GeoVirus)"
    )
    parser.add_argument(
        "--names",
        default=str(ROOT / "tests" / "data" / "pk_af_names.tsv"),
        help="a name list with the places expected ('' for none)",
    )
    parser.add_argument("--write", action="store_true", help="write rules/ranker.tsv")
    args = parser.parse_args()
    paths = [Path(p) for p in args.corpus] if args.corpus else [bench / c for c in CORPORA]
    gazetteer = Gazetteer(ROOT / "gazetteer")
    corpora = {p.stem: read_corpus(p) for p in paths}
    rows = name_list(Path(args.names)) if args.names else []
    started = time.perf_counter()

    # Cross-validation: each article (and each listed name) resolved by a model fitted on the
    # other folds.
    everything = [(name, a) for name, arts in corpora.items() for a in arts]
    fold_of = {(name, a.id): i % FOLDS for i, (name, a) in enumerate(everything)}
    row_fold = [i % FOLDS for i in range(len(rows))]
    scores = {name: [0, 0, 0, 0] for name in [*corpora, *([LIST] if rows else [])]}
    for k in range(FOLDS):
        train = {
            name: [a for a in arts if fold_of[name, a.id] != k] for name, arts in corpora.items()
        }
        ranker, _ = rounds(
            gazetteer, train, [r for r, f in zip(rows, row_fold, strict=True) if f != k]
        )
        for name in scores:
            if name in corpora:
                held = [a for a in corpora[name] if fold_of[name, a.id] == k]
                result = lambda p, held=held: resolved(p, held)  # noqa: E731
            else:
                held_rows = [r for r, f in zip(rows, row_fold, strict=True) if f == k]
                result = lambda p, held_rows=held_rows: listed(p, held_rows)  # noqa: E731
            _, right, total, inside = result(Pipeline(gazetteer, ranker=ranker))
            start_right = result(Pipeline(gazetteer, ranker=START))[1]
            scores[name][0] += right
            scores[name][1] += start_right
            scores[name][2] += total
            scores[name][3] += inside
    for name, (right, start_right, total, inside) in scores.items():
        print(
            f"{name}: right within 161 km (the name list: as listed), {FOLDS}-fold"
            f" cross-validated {right / total:.3f} ({total} names; hand-set weights"
            f" {start_right / total:.3f})"
            + (
                f"; a country right when its outline holds the gold point"
                f" {(right + inside) / total:.3f}"
                if name != LIST
                else ""
            )
        )

    ranker, count = rounds(gazetteer, corpora, rows)
    pipeline = Pipeline(gazetteer, ranker=ranker)
    for name, arts in corpora.items():
        _, right, total, _ = resolved(pipeline, arts)
        print(f"{name}: fitted on all {right / total:.3f}")
    if rows:
        _, right, total, _ = listed(pipeline, rows)
        print(f"name list: fitted on all {right / total:.3f}")
    print(f"fitted on {count} names with a choice to make ({time.perf_counter() - started:.0f} s)")
    for name, weight in zip(FEATURES, ranker.weights, strict=True):
        print(f"  {name:12s} {weight:+.3f}")
    if args.write:
        sources = [*corpora, *([Path(args.names).name] if rows else [])]
        target = write_weights(
            "ranker.tsv",
            [
                "Weights of the place ranker (mapper/geoparse/resolve.py, FEATURES), fitted by",
                "bench/fit_ranker.py on gold place names; do not edit by hand, run the script.",
                f"{count} names with a choice to make, from {', '.join(sources)}.",
            ],
            zip(FEATURES, ranker.weights, strict=True),
        )
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
