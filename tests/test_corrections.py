"""A reviewer's corrections file is applied on every rebuild."""

import pytest

from mapper.errors import InputFormatError

STORY = "Gunmen killed four policemen in Hyderabad on Tuesday, officials said."


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (folder / "story.meta.json").write_text('{"published": "2025-11-13"}', encoding="utf-8")
    return folder


def test_a_place_override_and_a_suppression_apply_and_persist(pipeline, seeds, tmp_path):
    out = tmp_path / "out"
    (first,) = pipeline.build(seeds, out).events
    assert first.country == "IN"  # no context: the larger Hyderabad
    (seeds / "corrections.tsv").write_text(
        "# action\tarticle\ttarget\tvalue\tnote\n"
        "place\tstory.txt\tHyderabad\tHyderabad|PK\tthe story is set in Pakistan\n",
        encoding="utf-8",
    )
    (fixed,) = pipeline.build(seeds, out).events
    assert fixed.country == "PK"
    again = pipeline.build(seeds, out)
    assert again.read == 0 and again.events[0].country == "PK"  # kept on rebuilds
    with (seeds / "corrections.tsv").open("a", encoding="utf-8") as handle:
        handle.write(f"suppress\t*\t{fixed.event_id}\t\tnot an event\n")
    assert pipeline.build(seeds, out).events == ()


def test_a_bad_correction_names_its_line(pipeline, seeds, tmp_path):
    (seeds / "corrections.tsv").write_text("place\t*\tHyderabad\tAtlantis|XX\n", encoding="utf-8")
    with pytest.raises(
        InputFormatError, match=r"corrections\.tsv, line 1: the gazetteer has no place"
    ):
        pipeline.build(seeds, tmp_path / "out")


def test_events_that_swap_countries_in_one_rebuild_are_both_kept(pipeline, seeds, tmp_path):
    # Each leaves the block (type and country) the other enters, with the same place in its
    # article: neither block's merge may take the other's new event for its own old one.
    # (a town near it places this Hyderabad in Pakistan)
    (seeds / "other.txt").write_text(
        "Gunmen killed two traders in Hyderabad and Jamshoro on Monday, police said.",
        encoding="utf-8",
    )
    (seeds / "other.meta.json").write_text('{"published": "2025-11-12"}', encoding="utf-8")
    out = tmp_path / "out"
    before = {e.article_id: e.country for e in pipeline.build(seeds, out).events}
    assert sorted(before.values()) == ["IN", "PK"]
    (seeds / "corrections.tsv").write_text(
        "place\tstory.txt\tHyderabad\tHyderabad|PK\nplace\tother.txt\tHyderabad\tHyderabad|IN\n",
        encoding="utf-8",
    )
    after = {e.article_id: e.country for e in pipeline.build(seeds, out).events}
    assert after == {a: {"IN": "PK", "PK": "IN"}[c] for a, c in before.items()}
    fresh = {e.article_id: e.country for e in pipeline.build(seeds, tmp_path / "fresh").events}
    assert after == fresh
