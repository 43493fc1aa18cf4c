"""The place ranker: fitted weights read from data, and the evidence they weigh."""

import pytest

from mapper.geoparse.resolve import FEATURES, Ranker, fitted
from mapper.pipeline import Pipeline
from mapper.rules import RuleError

TEXT = "The council met in Alexandria, Virginia, on Monday to discuss the flooding."


def test_the_shipped_weights_read_the_evidence_the_right_way_round():
    # A refit that went wrong, or a mangled table, shows here first: the story's country
    # focus and an agreeing type word speak for a candidate, a disagreeing one against it.
    weights = dict(zip(FEATURES, fitted().weights, strict=True))
    assert weights["focus"] > 0 and weights["hint"] > 0 and weights["against_hint"] < 0
    assert weights["prior"] > 0 and weights["distance"] < 0  # nearer the story's places


def test_a_weights_table_without_a_feature_is_an_error_that_names_it():
    rows = [{"feature": f, "weight": "1.0"} for f in FEATURES if f != "focus"]
    with pytest.raises(RuleError, match=r"missing \['focus'\]"):
        Ranker.from_table(rows)


def test_a_weights_table_with_an_unknown_feature_is_an_error_that_names_it():
    rows = [{"feature": f, "weight": "1.0"} for f in (*FEATURES, "moon_phase")]
    with pytest.raises(RuleError, match=r"unknown \['moon_phase'\]"):
        Ranker.from_table(rows)


def test_weights_of_the_wrong_count_are_an_error():
    with pytest.raises(RuleError, match=f"expected {len(FEATURES)} ranker weights"):
        Ranker((1.0, 2.0))


def _place(pipeline, text, name):
    return next(m.place for m in pipeline.geoparse(text) if m.text == name)


def test_the_weights_decide_between_namesakes(gazetteer):
    # With the gazetteer's prior alone the famous city wins; the fitted weights let the state
    # named after the town decide.
    prior_only = Ranker(tuple(1.0 if f == "prior" else 0.0 for f in FEATURES))
    assert _place(Pipeline(gazetteer, ranker=prior_only), TEXT, "Alexandria").country == "EG"
    assert _place(Pipeline(gazetteer), TEXT, "Alexandria").country == "US"


def test_the_trace_shows_each_name_its_candidates_and_their_features(pipeline):
    trace = []
    mentions = pipeline.geoparse(TEXT, trace=trace)
    traced = {m.text: rows for m, rows in trace}
    assert set(traced) == {m.text for m in mentions}
    rows = traced["Alexandria"]
    assert len(rows) > 1  # the namesakes the choice was made among
    assert all(len(values) == len(FEATURES) for values, _ in rows)
    best = max(rows, key=lambda row: fitted().score(row[0]))[1]
    assert best.place == _place(pipeline, TEXT, "Alexandria")
