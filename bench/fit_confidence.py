"""Fit the event confidence model on a gold event file and write its weights.

    python bench/fit_confidence.py [--gold ../shared/bench/events/gold.jsonl]
                                   [--articles ../shared/bench/events/articles] [--write]

Extracts every article, labels each event it draws 1 when it matches a gold event (the
matching of ``mapper evaluate events``), 0 otherwise, and fits a logistic regression (L2,
Newton's method) on the features of ``mapper/events/confidence.py``. Prints, from a 5-fold
cross-validation by article (each article scored by a model not fitted on it): how often
events of confidence >= 0.8 match, the Brier score, and the same for the model fitted on all.
``--write`` writes that model to ``mapper/rules/confidence.tsv``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mapper.doc import make_doc  # noqa: E402
from mapper.evaluate import SURE, match_events  # noqa: E402
from mapper.events.confidence import FEATURES, features  # noqa: E402
from mapper.events.extract import finished  # noqa: E402
from mapper.gazetteer import Gazetteer  # noqa: E402
from mapper.geoparse.recognise import unknown_mentions  # noqa: E402
from mapper.ingest import read_article  # noqa: E402
from mapper.pipeline import Pipeline  # noqa: E402
from mapper.rules import write_weights  # noqa: E402

L2 = 1.0  # pulls weights towards 0: a feature seen a few times cannot take over
FOLDS = 5


def samples(gold: Path, articles: Path) -> list[tuple[str, np.ndarray, int]]:
    """(article, features, matched) of every event the extraction draws."""
    pipeline = Pipeline(Gazetteer(ROOT / "gazetteer"))
    out = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        article = read_article(articles / f"{row['article']}.txt")
        mentions = pipeline.geoparse(article.text, dateline=article.dateline)
        doc = make_doc(article, [*mentions, *unknown_mentions(article.text, mentions)])
        drawn = [(e, d) for e, d, placed in finished(doc)[0] if placed]
        matched = {i for i, _ in match_events([e.to_record() for e, _ in drawn], row["events"])}
        for i, (_, d) in enumerate(drawn):
            values = features(d, doc)
            out.append((row["article"], np.array([values[f] for f in FEATURES]), int(i in matched)))
    return out


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (the bias is not pulled)."""
    w = np.zeros(x.shape[1])
    pull = np.full(x.shape[1], L2)
    pull[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + pull * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(pull) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def report(label: str, p: np.ndarray, y: np.ndarray) -> None:
    sure = p >= SURE
    share = f"{y[sure].mean():.0%}" if sure.any() else "n/a"
    print(
        f"{label}: {len(y)} events, {y.mean():.0%} match; confidence >= {SURE}:"
        f" {sure.sum()} events, {share} match; Brier {np.mean((p - y) ** 2):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    bench = ROOT.parent / "shared" / "bench" / "events"
    parser.add_argument("--gold", default=str(bench / "gold.jsonl"))
    parser.add_argument("--articles", default=str(bench / "articles"))
    parser.add_argument("--write", action="store_true", help="write rules/confidence.tsv")
    args = parser.parse_args()
    data = samples(Path(args.gold), Path(args.articles))
    names = sorted({a for a, _, _ in data})
    fold_of = {a: i % FOLDS for i, a in enumerate(names)}
    x = np.array([f for _, f, _ in data])
    y = np.array([t for _, _, t in data], dtype=float)
    folds = np.array([fold_of[a] for a, _, _ in data])
    held = np.zeros(len(y))
    for k in range(FOLDS):
        w = fit(x[folds != k], y[folds != k])
        held[folds == k] = 1.0 / (1.0 + np.exp(-x[folds == k] @ w))
    report("cross-validated by article", held, y)
    w = fit(x, y)
    report("fitted on all", 1.0 / (1.0 + np.exp(-x @ w)), y)
    for name, weight in zip(FEATURES, w, strict=True):
        print(f"  {name:26s} {weight:+.3f}")
    if args.write:
        target = write_weights(
            "confidence.tsv",
            [
                "Weights of the event confidence model (mapper/events/confidence.py), fitted by",
                "bench/fit_confidence.py on the development stories; do not edit by hand, run the",
                f"script. {len(y)} events of {len(names)} articles.",
            ],
            zip(FEATURES, w, strict=True),
        )
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
