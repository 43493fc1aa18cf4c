"""Tolls that sum other events: set aside only when the text says they are totals.

Every story here is written for the test. A toll equal to the sum of others is a total only
when its sentence says it covers several incidents (a headline, "in two raids", "in all",
"in attacks on several districts") and the incidents are listed near it, within its place
and time; arithmetic alone never drops an event.
"""

from __future__ import annotations

from .conftest import article


def extract(pipeline, text, **kw):
    return pipeline.extract(article(text, **kw))


def tolls(extraction):
    return sorted(e.fatalities for e in extraction.events if e.fatalities)


def test_three_incidents_whose_tolls_happen_to_add_up_are_three_events(small_pipeline):
    found = extract(
        small_pipeline,
        "ISLAMABAD (AP) — Gunmen killed 5 policemen at a checkpoint in Quetta on Monday, officials"
        " said. A roadside bomb killed 2 soldiers near Bannu on Tuesday, the military said. A"
        " suicide bomber killed 3 people at a market in Kabul on Wednesday, police said.",
        published="2025-11-10",
    )
    assert tolls(found) == [2, 3, 5] and found.totals == ()


def test_a_lead_that_counts_two_raids_is_their_total(small_pipeline):
    found = extract(
        small_pipeline,
        "PESHAWAR, Pakistan (AP) — Security forces killed 11 militants in two raids in Khyber"
        " Pakhtunkhwa province, the army said on Tuesday. Five militants were killed on Monday in"
        " Bannu, and six others died in a separate raid in Lakki Marwat the same day.",
        published="2025-11-11",
    )
    assert tolls(found) == [5, 6]
    (total,) = found.totals
    assert (total.fatalities, total.cue) == (11, "two raids")
    assert sorted(n for n, _, _ in total.parts) == [5, 6]
    assert "killed 11 militants in two raids" in total.evidence


def test_a_summary_after_the_incidents_is_their_total(small_pipeline):
    found = extract(
        small_pipeline,
        "A bomb killed three soldiers in Kohat on Sunday. Gunmen killed four policemen in Karak on"
        " Sunday. In all, seven soldiers and policemen were killed in the province on"
        " Sunday, officials said.",
        published="2025-11-10",
    )
    assert tolls(found) == [3, 4]
    assert [t.fatalities for t in found.totals] == [7]


def test_the_count_of_incidents_must_match_the_listed_ones(small_pipeline):
    # "two raids", but three incidents add up to the toll: the text does not say so.
    found = extract(
        small_pipeline,
        "Security forces killed 9 militants in two raids in Khyber Pakhtunkhwa on Monday, the army"
        " said. Two militants were killed in Bannu, three in Tank and four in Karak on Monday.",
        published="2025-11-11",
    )
    assert found.totals == () and 9 in tolls(found)


def test_a_total_said_in_words_but_not_adding_up_stays_an_event(small_pipeline):
    found = extract(
        small_pipeline,
        "Militants killed 12 people in attacks on several villages in Yobe state on Saturday."
        " Four villagers were killed in Damaturu on Saturday, residents said.",
        published="2025-11-10",
    )
    assert found.totals == () and 12 in tolls(found)


def test_incidents_in_another_country_are_not_parts_of_a_total(small_pipeline):
    found = extract(
        small_pipeline,
        "Air strikes killed 10 people in several districts of Helmand province on Monday,"
        " officials said. Separately, a bomb killed four people in Quetta on Monday and gunmen"
        " killed six in Peshawar on Monday.",
        published="2025-11-11",
    )
    assert found.totals == () and 10 in tolls(found)


def test_a_headline_toll_is_the_sum_of_the_incidents_its_story_lists(small_pipeline):
    found = extract(
        small_pipeline,
        "Nine killed in shelling of Kharkiv\n"
        "Shelling killed six people in Kharkiv on Tuesday, the governor said. A separate strike"
        " in the Kharkiv region killed three civilians on Tuesday, officials said.",
        published="2025-11-12",
    )
    assert [t.fatalities for t in found.totals] == [9]
    assert 9 not in tolls(found)


def test_a_town_in_a_lead_toll_stands_for_the_towns_around_it(small_pipeline):
    found = extract(
        small_pipeline,
        "Shelling on Tuesday killed nine civilians in Multan, officials said."
        " Seven died in Shujabad and two in Muzaffargarh.",
        published="2025-11-12",
    )
    assert sorted(e.fatalities for e in found.events) == [2, 7]
    assert [t.fatalities for t in found.totals] == [9]


def test_a_round_up_of_forty_incidents_loses_none(small_pipeline):
    towns = ["Quetta", "Bannu", "Kohat", "Peshawar", "Karak", "Tank", "Mardan", "Hangu"]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    sentences = [
        f"Gunmen killed {i % 7 + 1} people in {towns[i % 8]} on {days[i % 5]}, police said."
        for i in range(40)
    ]
    found = extract(small_pipeline, " ".join(sentences), published="2025-11-15")
    assert found.totals == ()
    assert len([e for e in found.events if e.fatalities]) == 40


def test_a_lead_whose_toll_the_next_sentence_splits_place_by_place_is_their_total(small_pipeline):
    found = extract(
        small_pipeline,
        "Artillery fire by government forces on Tuesday killed nine civilians in Kunar province,"
        " a rights group said. Seven villagers died in Asadabad and two in Kalaygal.",
        published="2025-11-12",
    )
    # the places' parts are the artillery fire of that Tuesday, not bare killings
    assert sorted((e.fatalities, e.event_type, e.event_date) for e in found.events) == [
        (2, "Explosions/Remote violence", "2025-11-11"),
        (7, "Explosions/Remote violence", "2025-11-11"),
    ]
    (total,) = found.totals
    assert total.fatalities == 9


def test_a_toll_of_attacks_in_a_list_of_towns_is_their_total_not_the_first_town_s(
    small_pipeline, tmp_path
):
    found = extract(
        small_pipeline,
        "A bomb killed a soldier in Bannu on Tuesday. Tuesday's blast followed explosions in"
        " Kohat, Hangu, and Karak over the weekend that damaged several shops. The explosions"
        " killed six people, officials said.",
        published="2025-06-12",
    )
    assert sorted((e.location, e.fatalities) for e in found.events) == [
        ("Bannu", 1),
        ("Hangu", None),
        ("Karak", None),
        ("Kohat", None),
    ]
    (total,) = found.totals
    assert total.fatalities == 6
    assert sorted(where for _, where, _ in total.parts) == ["Hangu", "Karak", "Kohat"]
    assert {n for n, _, _ in total.parts} == {None}
    assert total.to_record()["parts"][0]["fatalities"] is None
