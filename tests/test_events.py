"""Event extraction on the seed and on short texts written for each rule."""

import pytest

from mapper.text.names import fold

from .conftest import article


def events_of(pipeline, text, **kw):
    return pipeline.extract(article(text, **kw)).events


def by_place(events):
    return {e.location: e for e in events}


def kinds(events):
    """(type, toll) of each event, sorted."""
    return sorted((e.event_type, e.fatalities) for e in events)


def at(events, folded_name):
    """The one event whose place name, folded, is ``folded_name``."""
    (event,) = [e for e in events if fold(e.location) == folded_name]
    return event


# ---------------------------------------------------------------- the client's seed


def test_seed_events(small_pipeline, seed):
    extraction = small_pipeline.extract(seed)
    events = extraction.events
    places = by_place(events)

    nw = places["North Wazīristān"]
    assert (nw.event_type, nw.fatalities, nw.event_date, nw.geo_precision) == (
        "Battles",
        8,
        "2025-11-09",
        2,
    )
    assert nw.admin1 == "Khyber Pakhtunkhwa"

    dak = places["Dara Adam Khel"]
    assert (dak.event_type, dak.fatalities, dak.event_date) == ("Battles", 12, "2025-11-09")

    kabul = places["Kabul"]
    assert (kabul.event_type, kabul.sub_event_type, kabul.event_date) == (
        "Explosions/Remote violence",
        "Air/drone strike",
        "2025-10-09",
    )
    assert kabul.country == "AF"

    istanbul = places["Istanbul"]
    assert istanbul.event_type == "Strategic developments"

    ceasefire = [
        e for e in events if e.sub_event_type == "Agreement" and e.event_date == "2025-10-19"
    ]
    assert len(ceasefire) == 1

    # The 20 in the lead is the sum of 8 and 12, not a third event.
    assert all(e.fatalities != 20 for e in events)
    (total,) = extraction.totals
    assert (total.fatalities, total.cue) == (20, "in raids")
    assert sorted(n for n, _, _ in total.parts) == [8, 12]

    # The parts inherit who fought from the total.
    assert nw.actor1 == "Military Forces of Pakistan"
    assert nw.actor2 == "TTP: Tehrik-i-Taliban Pakistan"


def test_seed_border_clashes_are_one_conservative_event_on_the_border(small_pipeline, seed):
    clashes = [
        e
        for e in small_pipeline.extract(seed).events
        if e.event_type == "Battles" and e.event_date == "2025-10"
    ]
    assert len(clashes) == 1
    clash = clashes[0]
    assert clash.fatalities == 24 and clash.fatalities_low == 24  # "dozens", read conservatively
    # No place is named: the clashes are put on the line Pakistan shares with Afghanistan
    # (the article's other country), at region precision, never as a confident point.
    assert (clash.location, clash.country) == ("Afghanistan–Pakistan border", "PK")
    assert clash.geo_precision == 3 and clash.location_source == "border"
    assert 31 < clash.latitude < 34 and 68 < clash.longitude < 71


def test_evidence_offsets_point_into_the_article(small_pipeline, seed):
    for e in small_pipeline.extract(seed).events:
        assert seed.text[e.start : e.end] == e.evidence
        assert e.source == "AP"


# ---------------------------------------------------------------- rules on our own text


def test_weekday_resolves_to_most_recent_day(small_pipeline):
    (e,) = events_of(
        small_pipeline, "Gunmen killed four policemen on Tuesday in Quetta, officials said."
    )
    assert (e.event_date, e.date_precision, e.fatalities, e.location) == (
        "2025-11-11",
        "day",
        4,
        "Quetta",
    )
    assert e.event_type == "Battles"  # an attack on police is coded as a clash


def test_attack_on_civilians_is_violence_against_civilians(small_pipeline):
    (e,) = events_of(small_pipeline, "Gunmen killed six passengers on a bus near Kohat on Monday.")
    assert (e.event_type, e.sub_event_type, e.fatalities) == (
        "Violence against civilians",
        "Attack",
        6,
    )


def test_suicide_bombing_subtype_and_injured(small_pipeline):
    (e,) = events_of(
        small_pipeline, "A suicide bomber killed 11 people and wounded 27 in Peshawar on Friday."
    )
    assert (e.sub_event_type, e.fatalities, e.injured) == ("Suicide bomb", 11, 27)


def test_parts_of_a_toll_add_up(small_pipeline):
    (e,) = events_of(
        small_pipeline,
        "Two soldiers and three militants were killed in a clash in Bannu on Sunday.",
    )
    assert e.fatalities == 5


def test_total_of_listed_events_is_not_an_event(small_pipeline):
    text = (
        "Security forces killed 15 militants in two raids, the army said on Wednesday. "
        "Nine were killed on Tuesday in Bannu and six were killed in a raid in Lakki Marwat."
    )
    events = events_of(small_pipeline, text)
    assert sorted(e.fatalities for e in events) == [6, 9]


@pytest.mark.parametrize(
    "text",
    [
        # habitual
        "Militants often attack checkpoints in Bannu. "
        "The region has seen a surge in attacks in recent years.",
        # negated and future
        "The government said there will be no talks in Tashkent. "
        "Elders threatened to protest in Quetta.",
        # tolls over a period or a whole war are running totals
        "Three days of border fighting killed dozens of soldiers near Chaman. "
        "The insurgency that has killed thousands in Balochistan shows no sign of ending. "
        "The civil war has killed more than 150,000 people in Yemen.",
        # generic present, and somewhere-and-everywhere
        '"When their men are arrested, they attack the police," an officer in Quetta said. '
        "The conflict began in December 2013 with fighting in Juba and elsewhere.",
        # deaths from disease or disaster, and the tolls that follow them
        "A cholera outbreak has killed 40 people in Peshawar since Monday. "
        "In Quetta, 12 people are dead and 300 ill.",
        # nor are the bare tolls told after them
        "Floods killed 20 people in Chitral on Monday. Another 12 people died in Dir, police said.",
        # a criminal assault is not an armed one
        "A man in Quetta was charged on Monday with assault.",
        # attacks and fights in words or in the body
        "The minister in Quetta sharply attacked the budget on Monday. A senator in Lahore "
        "suffered a heart attack on Tuesday. Clinics in Karachi are fighting AIDS.",
    ],
    ids=[
        "habitual",
        "negated-or-future",
        "running-total",
        "generic",
        "disease",
        "after-a-disaster",
        "crime",
        "figurative",
    ],
)
def test_statements_that_are_not_events(small_pipeline, text):
    assert events_of(small_pipeline, text) == ()


def test_place_is_where_it_happened_not_who_spoke(small_pipeline):
    (e,) = events_of(
        small_pipeline, "Kabul accused Islamabad of an airstrike in Khost on Sunday that killed 9."
    )
    assert (fold(e.location), e.sub_event_type, e.fatalities) == ("khost", "Air/drone strike", 9)


def test_finest_place_in_the_clause_wins(small_pipeline):
    (e,) = events_of(
        small_pipeline,
        "Three soldiers were killed in Khyber Pakhtunkhwa's Bannu district on Monday.",
    )
    assert e.location == "Bannu" and e.geo_precision <= 2


def test_follow_up_sentence_joins_its_event(small_pipeline):
    text = (
        "Peace talks were held in Tashkent on Sunday. "
        "The talks broke up with no deal after the two sides failed to agree."
    )
    events = events_of(small_pipeline, text)
    assert len(events) == 1 and events[0].location == "Tashkent"


def test_an_event_the_text_names_no_place_for_is_reported_not_drawn(small_pipeline):
    found = small_pipeline.extract(
        article("Pakistani officials said an ambush killed seven soldiers on Monday.")
    )
    assert found.events == ()
    (e,) = found.unplaced
    assert (e.location, e.geo_precision, e.location_source) == ("Pakistan", 4, "country")
    assert e.fatalities == 7 and any("country level" in n for n in e.notes)


def test_an_agreement_known_only_to_its_country_is_drawn_there(small_pipeline):
    (e,) = events_of(small_pipeline, "Pakistani officials said a ceasefire was agreed on Monday.")
    assert (e.sub_event_type, e.location, e.geo_precision) == ("Agreement", "Pakistan", 4)


def test_without_publication_date_dates_are_unresolved_not_guessed(small_pipeline):
    (e,) = events_of(
        small_pipeline, "Gunmen killed four policemen on Tuesday in Quetta.", published=None
    )
    assert e.event_date is None
    assert any("publication date" in n for n in e.notes)


def test_text_without_events(small_pipeline):
    assert events_of(small_pipeline, "The minister visited Lahore and praised the weather.") == ()


def test_country_mention_and_town_mention_of_one_event_merge(small_pipeline):
    text = (
        "A bomb killed nine people in Pakistan on Tuesday. "
        "The blast hit a market in Quetta on Tuesday, police said."
    )
    (e,) = events_of(small_pipeline, text)
    assert (e.location, e.geo_precision, e.fatalities) == ("Quetta", 1, 9)


def test_a_detail_without_a_place_joins_the_event_before_it(small_pipeline):
    text = (
        "A suicide bomber killed 12 people at a shrine in Kohat on Friday. "
        "Several pilgrims were hurt in the blast as well."
    )
    (e,) = events_of(small_pipeline, text)
    assert (e.sub_event_type, e.location, e.fatalities) == ("Suicide bomb", "Kohat", 12)


def test_two_places_two_tolls_stay_two_events(small_pipeline):
    text = "Gunmen killed three soldiers in Bannu on Monday, and five soldiers were killed in Tank."
    assert sorted(e.fatalities for e in events_of(small_pipeline, text)) == [3, 5]


def test_a_region_in_the_lead_is_refined_to_the_town_named_next(small_pipeline):
    text = (
        "A car bomb killed 13 people at a bus terminal in northwestern Pakistan on Wednesday. "
        "The travellers were queuing for coaches to Lahore from Kohat, police said."
    )
    (e,) = events_of(small_pipeline, text)
    assert (e.location, e.geo_precision) == ("Kohat", 1)
    assert any("named in the sentences that follow" in n for n in e.notes)


def test_a_rising_death_toll_is_the_toll_not_the_increment(small_pipeline):
    text = (
        "The death toll from the car bombing of a bus depot in Karak has risen to 38 after "
        "three more of the wounded died on Tuesday."
    )
    (e,) = events_of(small_pipeline, text)
    assert e.fatalities == 38


def test_a_village_missing_from_the_gazetteer_is_named_at_its_district(small_pipeline):
    text = "A drone strike killed five people on Thursday in the Gulbarkot area of Kurram."
    (e,) = events_of(small_pipeline, text)
    assert (e.location, e.admin2, e.geo_precision) == ("Gulbarkot", "Kurram", 2)
    assert any("not in the gazetteer" in n for n in e.notes)


def test_talks_are_where_the_delegations_travelled(small_pipeline):
    text = "Afghan ministers flew to Riyadh on Tuesday for talks with Pakistani officials."
    (e,) = events_of(small_pipeline, text)
    assert (e.event_type, e.location) == ("Strategic developments", "Riyadh")


def test_a_place_across_after_does_not_locate_the_earlier_event(small_pipeline):
    text = "Envoys met for talks in Tashkent on Tuesday after border clashes left dozens dead."
    found = small_pipeline.extract(article(text))
    events = {e.event_type: e for e in (*found.events, *found.unplaced)}
    assert events["Strategic developments"].location == "Tashkent"
    assert events["Battles"].location != "Tashkent"


def test_a_bare_killing_at_the_same_place_is_part_of_the_event(small_pipeline):
    text = (
        "Militants attacked a checkpoint in Karak on Wednesday, killing four soldiers. "
        "A civilian woman was also killed in Karak on Wednesday."
    )
    (e,) = events_of(small_pipeline, text)
    assert (e.event_type, e.location) == ("Battles", "Karak")


def test_a_part_named_with_including_is_not_the_toll(small_pipeline):
    text = "At least 11 villagers, including four women, were killed in Kohat on Tuesday."
    (e,) = events_of(small_pipeline, text)
    assert e.fatalities == 11


def test_the_city_of_x_is_where_it_happened(small_pipeline):
    (e,) = events_of(
        small_pipeline,
        "Police said 14 gunmen were killed on Thursday in Lahore, the eastern city.",
    )
    assert e.location == "Lahore"


def test_an_event_without_a_place_goes_to_the_place_the_article_is_about(small_pipeline):
    text = (
        "Police in Quetta said the market in Quetta reopened. Traders in Quetta were relieved. "
        "Separately, officials said on Friday that gunmen killed three soldiers."
    )
    (e,) = events_of(small_pipeline, text)
    assert (e.location, e.location_source) == ("Quetta", "article")
    assert any("the place the article is about" in n for n in e.notes)


def test_a_town_in_the_headline_is_the_place_the_article_is_about(small_pipeline):
    text = (
        "Multan blast kills 12 at prayer gathering\n\n"
        "The bomb went off beside a stage in Zerawar Gardens, where hundreds had gathered on"
        " Friday, killing 12 people. Hospitals in Multan treated dozens of wounded."
    )
    (e,) = events_of(small_pipeline, text, published="2025-03-08")
    multan = small_pipeline.gazetteer.lookup("Multan")[0]
    # the park, named as written, at the town the story is about
    assert (e.location, e.location_source, e.fatalities) == ("Zerawar Gardens", "article", 12)
    assert (e.latitude, e.longitude) == (multan.lat, multan.lon)


def test_the_place_the_article_is_about_is_not_lent_to_an_event_told_abroad(small_pipeline):
    text = (
        "Multan blast kills 12 at prayer gathering\n\n"
        "A bomb in Multan killed 12 people on Friday. "
        "Separately, Indian officials said gunmen killed three villagers in Kotri Bela on Friday."
    )
    events = events_of(small_pipeline, text, published="2025-03-08")
    assert [e.location for e in events if e.fatalities == 3] != ["Multān"]


@pytest.mark.parametrize(
    "aftermath",
    [
        "Hospitals in Peshawar treated dozens of wounded on Tuesday.",
        "The dead included two traffic wardens, doctors in Peshawar said on Tuesday.",
        "The governor visited the injured in Peshawar on Tuesday.",
    ],
)
def test_the_casualties_of_an_event_named_later_are_no_event_of_their_own(
    small_pipeline, aftermath
):
    text = f"Gunmen killed four police officers in Kohat on Monday. {aftermath}"
    (e,) = events_of(small_pipeline, text, published="2025-03-12")
    assert (e.fatalities, e.event_date) == (4, "2025-03-10")


def test_a_town_far_from_the_event_that_a_bearing_is_taken_from_is_not_its_place(small_pipeline):
    found = small_pipeline.extract(
        article("Gunmen killed four police officers on Monday in a town 250 km north of Quetta.")
    )
    assert [e.location for e in found.events] == []
    near = events_of(small_pipeline, "Gunmen killed four police officers 20 km north of Quetta.")
    assert [e.location for e in near] == ["Quetta"]


def test_a_reference_to_an_event_told_later_joins_it(small_pipeline):
    text = (
        "Protesters in Kabul marched on Friday and tried to reach Wednesday's blast site in"
        " Zorbek Square. Police fired on them. Wednesday's truck bombing in the Karte Sakhi area"
        " of Kabul killed 90 people."
    )
    events = events_of(small_pipeline, text, published="2025-11-14")
    assert [(e.event_type, e.location, e.fatalities) for e in events] == [
        ("Explosions/Remote violence", "Karte Sakhi", 90)
    ]


def test_a_reference_to_a_day_s_attack_joins_that_day_s_event_not_the_last_told(small_pipeline):
    text = (
        "A bomb killed 12 people at a market in Bannu on Tuesday, police said. Militants have"
        " also struck Kohat, where they attacked a hotel in 2019. Until Tuesday's attack,"
        " security forces had kept the region calm."
    )
    events = events_of(small_pipeline, text, published="2025-11-14")
    assert sorted((e.location, e.event_date) for e in events) == [
        ("Bannu", "2025-11-11"),
        ("Kohat", "2019"),
    ]


def test_a_facility_named_like_a_town_abroad_is_in_the_town_after_it(small_pipeline):
    text = "Gunmen attacked the Greenwood shopping mall in Nairobi on Monday, killing 12 people."
    assert [m.text for m in small_pipeline.geoparse(text)] == ["Nairobi"]
    (e,) = events_of(small_pipeline, text, published="2025-11-14")
    nairobi = small_pipeline.gazetteer.lookup("Nairobi")[0]
    assert (e.location, e.latitude, e.longitude) == ("Greenwood", nairobi.lat, nairobi.lon)


def test_where_fire_was_aimed_is_where_it_happened(small_pipeline):
    text = "A gunboat fired 30 shells into Kalwar Bela town near Ormara on Friday."
    (e,) = events_of(small_pipeline, text, published="2025-11-15")
    assert (e.event_type, e.location) == ("Explosions/Remote violence", "Kalwar Bela")


def test_an_agreement_to_cease_hostilities_that_ends_a_deadly_war_is_an_agreement(small_pipeline):
    text = (
        "The government and rebels in Sudan agreed on Tuesday to cease hostilities, a"
        " breakthrough in a war that has killed thousands."
    )
    (e,) = events_of(small_pipeline, text, published="2025-11-13")
    assert (e.sub_event_type, e.event_date, e.fatalities) == ("Agreement", "2025-11-11", 0)


def test_a_group_s_record_of_killing_is_no_event_and_no_toll(small_pipeline):
    text = (
        "Rebels killed 14 villagers in an attack near Beni on Sunday, officials said. The group"
        " has been accused of killing thousands of civilians in the region."
    )
    events = events_of(small_pipeline, text, published="2025-11-13")
    assert [(e.location, e.fatalities) for e in events] == [("Beni", 14)]


def test_a_vague_toll_told_later_does_not_replace_a_count(small_pipeline):
    text = (
        "Rebels killed 14 villagers in an attack near Beni on Sunday, officials said. Residents"
        " said dozens were killed in the attack near Beni."
    )
    (e,) = events_of(small_pipeline, text, published="2025-11-13")
    assert e.fatalities == 14


@pytest.mark.parametrize(
    "text",
    [
        "Lahore hosted its second international match on Tuesday since the 2009 attack on a"
        " visiting team in the city.",
        "The mission in Kabul began soon after the 2001 attacks on the United States.",
        "El Obeid has been the site of fierce clashes between the army and the rebels since"
        " May 10 last year.",
    ],
)
def test_a_past_event_named_as_a_point_in_time_or_a_setting_is_no_event(small_pipeline, text):
    assert events_of(small_pipeline, text, published="2025-11-13") == ()


def test_people_killed_make_an_attack_of_a_raid_in_which_others_were_abducted(small_pipeline):
    text = (
        "Gunmen killed nine villagers in a raid near Kohat on Monday. The gunmen also abducted"
        " four women during the raid near Kohat."
    )
    (e,) = events_of(small_pipeline, text, published="2025-11-13")
    assert (e.sub_event_type, e.fatalities) == ("Attack", 9)


def test_an_event_singled_out_of_a_spread_of_violence_is_one_with_its_own_toll(small_pipeline):
    text = (
        "Gunmen shot dead nine police officers in Kohat on Monday, officials said, the worst"
        " attack in a week of violence across the province that killed at least 30 people."
    )
    (e,) = events_of(small_pipeline, text, published="2025-11-13")
    assert (e.location, e.fatalities, e.event_date) == ("Kohat", 9, "2025-11-10")


def test_the_city_people_were_travelling_to_is_not_where_it_happened(small_pipeline):
    text = (
        "A bomb killed 16 people at a bus stand in Peshawar on Sunday. "
        "It went off as pilgrims queued for a coach to the eastern city of Lahore."
    )
    (e,) = events_of(small_pipeline, text)
    assert e.location == "Peshawar"


def test_a_headline_and_its_story_are_not_a_sum_and_an_older_event_is_not_a_part(small_pipeline):
    text = (
        "Three labourers shot dead at Kohat checkpoint\n\n"
        "Gunmen opened fire on a levies checkpoint in the Lachi area of Kohat on Thursday, "
        "leaving three labourers dead.\n\n"
        "Six militants were killed in a raid in Hangu on Friday.\n\n"
        "On February 9, gunmen killed two soldiers at a checkpoint in Karak."
    )
    events = events_of(small_pipeline, text, published="2024-03-10")
    assert sorted(e.fatalities for e in events) == [2, 3, 6]
    assert any(e.location == "Lachi" for e in events)


def test_fighters_who_kill_villagers_commit_violence_against_civilians(small_pipeline):
    (e,) = events_of(
        small_pipeline, "On Tuesday gunmen raided a village near Kohat, killing nine villagers."
    )
    assert (e.event_type, e.fatalities) == ("Violence against civilians", 9)


# ---------------------------------------------------------------- segmentation: one event or two


@pytest.mark.parametrize(
    ("text", "tolls"),
    [
        (
            "A bomb killed four people at a bus stop in Karachi on Wednesday. "
            "Separately, a drone strike on Wednesday killed two militants in "
            "northwestern Pakistan.",
            [2, 4],
        ),
        (
            "A suicide bomber killed nine worshippers at a shrine in Kohat on Thursday. "
            "Hours later on Thursday, another bomber blew himself up outside the hospital, "
            "killing three relatives of the wounded.",
            [3, 9],
        ),
        # "another attack" with no toll, place or date of its own is no second event
        (
            "A bomb killed five people in Quetta on Monday. Police in the city were on alert "
            "for another attack.",
            [5],
        ),
    ],
    ids=["separate-incident", "another-bomber", "feared-attack"],
)
def test_a_second_attack_is_not_a_repeat_of_the_first(small_pipeline, text, tolls):
    assert sorted(e.fatalities for e in events_of(small_pipeline, text)) == tolls


def test_another_victim_somewhere_else_is_another_event_of_the_same_kind(small_pipeline):
    text = (
        "A drone strike killed four people in Bannu overnight. "
        "Another villager was killed and two were wounded overnight in Charsadda."
    )
    charsadda = at(events_of(small_pipeline, text), "charsadda")
    assert (charsadda.fatalities, charsadda.injured, charsadda.event_date) == (1, 2, "2025-11-13")
    assert charsadda.sub_event_type == "Air/drone strike"


def test_one_attack_following_another_in_one_sentence_is_two_events(small_pipeline):
    text = (
        "On Nov. 4, a car bombing at a market in Karak followed shortly after a gun attack on "
        "an army checkpoint, where three soldiers were killed. Four shoppers and two policemen "
        "were killed in the car bombing."
    )
    events = events_of(small_pipeline, text)
    kinds = sorted((e.event_type, e.fatalities, e.event_date) for e in events)
    assert kinds == [
        ("Battles", 3, "2025-11-04"),
        ("Explosions/Remote violence", 6, "2025-11-04"),
    ]


def test_a_weapon_named_later_in_the_sentence_types_the_attack(small_pipeline):
    text = (
        "An attack on Odesa on Thursday killed nine people, most of them in an apartment block "
        "that was torn apart when a missile hit it."
    )
    (e,) = events_of(small_pipeline, text)
    assert (e.event_type, e.sub_event_type, e.fatalities) == (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        9,
    )


# ---------------------------------------------------------------- tolls


@pytest.mark.parametrize(
    ("text", "tolls"),
    [
        # one named victim
        ("A police officer was killed in a bomb blast in Bannu on Monday.", [1]),
        # soldiers, attackers and a bystander of one attack add up (ACLED counts all the
        # dead); the soldiers' toll is not a total of the other two
        (
            "Four soldiers were killed when militants attacked a checkpoint in Bannu on Monday. "
            "Three attackers were also killed in the exchange of fire, the army said. "
            "A woman was killed in the crossfire, police said.",
            [8],
        ),
        # victims "among the dead" are part of the toll, not more of it
        (
            "A car bombing in Kohat on Monday killed nine people. "
            "Three policemen were among the dead, officials said.",
            [9],
        ),
        # a toll of the wounded and a toll of the dead are not parts of one sum
        ("Clashes with police in Quetta on Monday left 20 protesters injured and one dead.", [1]),
        # the parts listed after the killing verb add up too
        ("Two bombs killed six police officers and a civilian in Quetta on Friday.", [7]),
    ],
    ids=["one-victim", "groups-add-up", "among-the-dead", "injured-and-dead", "listed-after"],
)
def test_tolls(small_pipeline, text, tolls):
    assert [e.fatalities for e in events_of(small_pipeline, text)] == tolls


# ---------------------------------------------------------------- dates relative to events


@pytest.mark.parametrize(
    ("text", "place", "date", "toll"),
    [
        # "a day after" in a clause: a day before the date of the clause it follows
        (
            "Elders will meet in Islamabad on Sunday, a day after rockets killed seven people "
            "in Bajaur.",
            "bajaur",
            "2025-11-08",
            7,
        ),
        # "A day before" opening a sentence: a day before the event just reported
        (
            "A roadside bomb killed a soldier in Mardan on Wednesday. "
            "A day before, an explosion in Kohat killed three people and injured nine.",
            "kohat",
            "2025-11-11",
            3,
        ),
        # with no event before it, from the last date the text gave
        (
            "Heavy rain fell on Quetta on Tuesday. A day earlier, a bomb killed two soldiers "
            "in Bannu.",
            "bannu",
            "2025-11-10",
            2,
        ),
        # the day a claim was made is not the day of the attack
        (
            "A militant group on Thursday claimed a bombing in Peshawar that killed four people. "
            "The blast in Peshawar on Wednesday also wounded 20, police said.",
            "peshawar",
            "2025-11-12",
            4,
        ),
        # "the day before" a date the sentence gives
        (
            "Police in Quetta on Monday questioned witnesses of the bomb blast that killed "
            "three people at a market the day before.",
            "quetta",
            "2025-11-09",
            3,
        ),
        # inside a quotation, "this afternoon" is the day the words were said
        (
            'Speaking on Tuesday, a provincial spokesman said, "A bomb in Kunduz this afternoon '
            'killed four people."',
            "kunduz",
            "2025-11-11",
            4,
        ),
    ],
)
def test_dates_read_from_the_story_not_only_from_publication(
    small_pipeline, text, place, date, toll
):
    e = at(events_of(small_pipeline, text), place)
    assert (e.event_date, e.fatalities) == (date, toll)


# ---------------------------------------------------------------- what is not an event


def test_breaking_a_ceasefire_is_not_an_agreement(small_pipeline):
    text = "On Wednesday, Islamabad said Afghan forces had broken the ceasefire near Chaman."
    assert all(e.sub_event_type != "Agreement" for e in events_of(small_pipeline, text))


def test_an_ambushed_village_is_violence_against_civilians(small_pipeline):
    text = "Raiders ambushed a village near Karak on Wednesday and torched homes. Five were killed."
    (e,) = events_of(small_pipeline, text)
    assert (e.event_type, e.fatalities) == ("Violence against civilians", 5)


def test_a_village_the_gazetteer_lacks_names_a_country_level_event(small_pipeline):
    text = (
        "Sudan's health ministry said on Monday that gunmen had overrun the village of "
        "Umm Tarfawi last month, leaving 38 civilians dead."
    )
    (e,) = events_of(small_pipeline, text)
    assert (e.location, e.country, e.fatalities, e.event_date) == (
        "Umm Tarfawi",
        "SD",
        38,
        "2025-10",
    )


def test_clashes_between_protesters_and_police_are_a_riot(small_pipeline):
    text = "Protesters clashed with police in Lahore on Sunday, leaving one man dead."
    (e,) = events_of(small_pipeline, text)
    assert (e.event_type, e.sub_event_type, e.fatalities) == (
        "Riots",
        "Violent demonstration",
        1,
    )


def test_details_join_events_of_their_own_kind_only(small_pipeline):
    text = (
        "Soldiers fought militants for two hours in Bannu on Sunday, leaving 18 dead. "
        "Later, hundreds of residents protested. "
        "After the battle, troops seized rifles and detained two men."
    )
    extraction = small_pipeline.extract(article(text))
    found = kinds((*extraction.events, *extraction.unplaced))
    assert ("Battles", 18) in found
    assert all(kind != "Violence against civilians" for kind, _ in found)
    assert any(kind == "Protests" for kind, _ in found)


@pytest.mark.parametrize(
    ("text", "dead", "injured"),
    [
        ("At least 13 people killed and 41 hurt in a blast in Kohat on Friday.", 13, 41),
        # "many" is no number, and the five belong to "killing"
        (
            "A grenade exploded at a cattle market in Karak on Friday, killing five traders and "
            "wounding many more.",
            5,
            None,
        ),
        # the wounded told in a clause of their own
        (
            "A suicide attacker detonated his vest at a rally in Bannu on Sunday, killing at "
            "least 19 people, including two police officers, and injuring around 40 others.",
            19,
            40,
        ),
        # "N more" wounded are others hurt, not an increment
        ("An explosion in Kunduz on Tuesday left three people dead and four more wounded.", 3, 4),
        ("Shelling killed five people and wounded 12 more in Zaporizhzhia on Wednesday.", 5, 12),
    ],
)
def test_dead_and_injured_are_counted_apart(small_pipeline, text, dead, injured):
    (e,) = events_of(small_pipeline, text)
    assert (e.fatalities, e.injured) == (dead, injured)


def test_violence_told_after_a_disaster_is_still_violence(small_pipeline):
    text = (
        "Floods killed 20 people in Chitral on Monday. "
        "Gunmen killed two shopkeepers in Dir on Monday. "
        "Separately, a bomb killed three soldiers in Bannu."
    )
    assert kinds(events_of(small_pipeline, text)) == [
        ("Explosions/Remote violence", 3),
        ("Violence against civilians", 2),
    ]


def test_a_bomber_who_blew_himself_up_is_a_suicide_bombing(small_pipeline):
    text = "A bomber blew himself up in a crowded bazaar in Bannu on Monday, killing four people."
    (e,) = events_of(small_pipeline, text)
    assert (e.sub_event_type, e.fatalities) == ("Suicide bomb", 4)


def test_a_drone_that_struck_is_a_drone_strike_and_a_sea_has_no_country(small_pipeline):
    (e,) = events_of(
        small_pipeline,
        "A drone struck a cargo ship in the Black Sea on Monday, killing 2 sailors.",
        published="2025-11-12",
    )
    assert (e.event_type, e.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert (e.location, e.country, e.fatalities) == ("Black Sea", "ZZ", 2)


def test_a_relative_where_puts_the_toll_at_the_place_before_it(small_pipeline):
    # "with Kohat" is no locative phrase, but ", where" makes Kohat the place of the killing.
    (e,) = events_of(
        small_pipeline,
        "The valley of Hangu shares a long border with Kohat, where gunmen killed seven"
        " policemen on Monday.",
    )
    assert (e.location, e.fatalities) == ("Kohat", 7)


def test_a_district_of_central_x_is_a_finer_place_of_the_town_s_event(small_pipeline):
    text = (
        "Gunfights over the weekend in Bannu left twelve dead, officials said Monday. Four"
        " soldiers were killed on Sunday in the Mirwali district of central Bannu, a doctor"
        " said. Eight fighters also died, the army said."
    )
    events = events_of(small_pipeline, text, published="2025-11-17")
    assert [(e.location, e.admin2, e.fatalities, e.event_date) for e in events] == [
        ("Mirwali", "Bannu", 12, "2025-11-16")
    ]


def test_the_attack_named_again_far_into_the_story_is_not_a_new_event(small_pipeline):
    text = (
        "Gunmen shot nine traders dead at a cattle market in Ormara on Tuesday morning. The"
        " minister promised to find those responsible. Police said the men came on motorbikes."
        " Relatives gathered at the hospital. The governor called for calm. Schools closed"
        " for the day. Officials said the recent attack was the deadliest this year in Ormara"
        " district. The gunmen fled on motorbikes after the attack."
    )
    events = events_of(small_pipeline, text, published="2025-11-12")
    assert [(e.location, e.fatalities) for e in events] == [("Ormara", 9)]


@pytest.mark.parametrize(
    ("text", "village"),
    [
        # a village named after a famous place is the village, not that place
        (
            "Raiders overran Yar Kandahar Village in Kurram on Friday and shot 12 people dead.",
            "Yar Kandahar",
        ),
        # "localities of X", "the X department in Y": units of a place the gazetteer lacks
        (
            "Troops and rebels fought on Thursday across several localities of Sarkano, in"
            " Kurram, leaving seven soldiers dead.",
            "Sarkano",
        ),
        (
            "Before dawn on Monday, gunmen struck a police camp of the Tanbaro department in"
            " Kurram district, killing 12 officers.",
            "Tanbaro",
        ),
    ],
)
def test_a_village_the_gazetteer_lacks_is_named_within_its_district(small_pipeline, text, village):
    (e,) = events_of(small_pipeline, text, published="2025-02-10")
    assert (e.location, e.admin2, e.geo_precision) == (village, "Kurram", 2)


def test_a_story_that_names_a_province_but_no_country_places_its_village_there(small_pipeline):
    text = (
        "Gunmen on horseback raided Dabgari Village on Friday and shot 14 farmers dead. The"
        " governor of Helmand condemned the killings."
    )
    (e,) = events_of(small_pipeline, text, published="2025-02-10")
    assert (e.location, e.admin1, e.fatalities) == ("Dabgari", "Helmand", 14)


def test_where_a_victim_was_once_tried_and_what_was_once_plotted_are_not_the_event(
    small_pipeline,
):
    text = (
        "On Saturday, soldiers killed wanted commander Amir Dahar, who was educated in Germany"
        " and joined a plot to bomb a stadium, in Bannu."
    )
    (e,) = events_of(small_pipeline, text, published="2025-06-12")
    assert (e.event_type, e.location, e.fatalities) == ("Battles", "Bannu", 1)


def test_the_place_a_relative_where_tells_of_is_where_it_happened(small_pipeline):
    text = (
        "The commander had slipped away from an army operation in Kohat and was staying in"
        " Bannu, where he was shot dead on Saturday along with four guards."
    )
    (e,) = events_of(small_pipeline, text, published="2025-06-12")
    assert e.location == "Bannu"


def test_one_dignitary_named_by_office_is_a_toll_of_one(small_pipeline):
    text = "The district police chief was killed on Tuesday in a roadside bomb blast in Bannu."
    (e,) = events_of(small_pipeline, text, published="2025-06-12")
    assert e.fatalities == 1


def test_a_hospital_named_after_a_date_does_not_date_the_attack(small_pipeline):
    text = (
        "Gunmen fired rockets at the 14 July hospital in Bannu on Tuesday, killing three patients."
    )
    (e,) = events_of(small_pipeline, text, published="2025-06-12")
    assert e.event_date == "2025-06-10"


def test_a_square_of_a_town_places_the_event_in_the_town(small_pipeline):
    text = (
        "On Tuesday a roadside bomb hit a police patrol at Sarkano square of Bannu, killing"
        " four officers."
    )
    (e,) = events_of(small_pipeline, text, published="2025-06-12")
    assert (e.location, e.admin2, e.fatalities) == ("Sarkano", "Bannu", 4)


def test_a_year_s_toll_told_with_no_event_and_no_place_is_a_statistic(small_pipeline):
    text = (
        "Gunmen shot dead three police officers in Bannu on Monday. In 2022, at least 403"
        " people were slain across the district."
    )
    found = small_pipeline.extract(article(text, published="2025-06-12"))
    assert [(e.location, e.fatalities) for e in (*found.events, *found.unplaced)] == [("Bannu", 3)]


def test_an_attack_that_followed_bombings_in_a_list_of_towns_is_one_event_a_town(small_pipeline):
    text = (
        "A bomb killed a soldier in Bannu on Tuesday. Tuesday's blast followed explosions in"
        " Kohat, Hangu, and Karak over the weekend that damaged several shops."
    )
    events = events_of(small_pipeline, text, published="2025-06-12")
    assert sorted((e.location, e.event_date) for e in events) == [
        ("Bannu", "2025-06-10"),
        ("Hangu", "2025-06-07"),
        ("Karak", "2025-06-07"),
        ("Kohat", "2025-06-07"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Nine policemen, including an inspector, and a driver were killed in an ambush near"
        " Bannu on Tuesday.",
        "Nine policemen and a driver were killed in an ambush near Bannu on Tuesday.",
    ],
)
def test_one_more_victim_after_a_count_before_the_verb_adds_one(small_pipeline, text):
    (e,) = events_of(small_pipeline, text, published="2025-06-12")
    assert (e.event_type, e.fatalities) == ("Battles", 10)


def test_what_officials_call_the_attack_and_what_a_region_has_seen_are_no_new_events(
    small_pipeline,
):
    text = (
        "A car bomb killed three people in Bannu on Tuesday. The minister, speaking later,"
        " said the government had called it a cowardly attack. Parts of Bannu and villages"
        " near Kohat have seen heavy fighting between troops and militants."
    )
    events = events_of(small_pipeline, text, published="2025-06-12")
    assert [(e.location, e.fatalities) for e in events] == [("Bannu", 3)]


def test_the_place_people_had_come_from_is_not_where_they_were_ambushed(small_pipeline):
    text = (
        "Rebels ambushed an army convoy near Bannu on Tuesday, killing seven soldiers. An army"
        " officer said the soldiers were returning from a wedding in Sarkano town when they"
        " were attacked."
    )
    events = events_of(small_pipeline, text, published="2025-06-12")
    assert [(e.location, e.fatalities) for e in events] == [("Bannu", 7)]


def test_the_town_the_lead_tells_of_is_the_place_of_events_told_without_one(small_pipeline):
    text = (
        "Six attackers tried to force their way into a customs office in Ormara on Wednesday."
        " Guards fought back, and in the gunfight that followed all six attackers were killed,"
        " police said."
    )
    (e,) = events_of(small_pipeline, text, published="2025-06-13")
    assert (e.location, e.fatalities) == ("Ormara", 6)


def test_the_same_deaths_told_a_day_apart_at_one_place_are_one_event(small_pipeline):
    text = (
        "Two guards and five attackers died in fighting in Kurram overnight, an official said"
        ' on Friday. "The attackers raided a police post in Kurram on Thursday night. Two'
        ' guards and five attackers died," he said.'
    )
    (e,) = events_of(small_pipeline, text, published="2025-06-13")
    assert (e.location, e.fatalities) == ("Kurram", 7)


def test_a_part_of_a_town_named_after_its_possessive_is_not_a_namesake_far_away(small_pipeline):
    text = (
        "In a separate raid in Bannu's Old City on Monday, troops arrested two suspected militants."
    )
    (e,) = events_of(small_pipeline, text, published="2025-06-13")
    assert (e.location, e.admin2) == ("Old City", "Bannu")


def test_a_killing_and_the_attack_that_names_its_place_in_one_sentence_are_one_event(
    small_pipeline,
):
    text = (
        "Gunmen attacked a police post in Bannu on Tuesday, killing five officers. Earlier this"
        " month, six farm workers were shot dead in their beds after gunmen raided a house in"
        " an attack in Kohat city."
    )
    events = events_of(small_pipeline, text, published="2025-06-13")
    assert sorted((e.location, e.fatalities) for e in events) == [("Bannu", 5), ("Kohat", 6)]


@pytest.mark.parametrize(
    ("text", "deaths"),
    [
        ("A roadside bomb wounded two soldiers in Bannu on Monday.", None),
        (
            "A drone fired two missiles at a truck near Bannu on Monday. Nobody was hurt, police"
            " said.",
            0,
        ),
        ("Hundreds of traders protested in Bannu on Monday against new taxes.", 0),
        ("Militants attacked a police post in Bannu on Monday.", None),
    ],
)
def test_an_event_the_text_tells_no_deaths_of_has_none_an_untold_toll_is_unknown(
    small_pipeline, text, deaths
):
    (e,) = events_of(small_pipeline, text, published="2025-06-13")
    assert e.fatalities == deaths


@pytest.mark.parametrize(
    "text",
    [
        "Constable Amir Dahar was shot and killed by gunmen in Bannu on Monday.",
        "Troops captured and killed Amir Dahar in Bannu on Monday.",
        "Amir Dahar, a local trader, was shot dead in Bannu on Monday.",
    ],
)
def test_one_person_killed_named_without_a_count_is_a_toll_of_one(small_pipeline, text):
    (e,) = events_of(small_pipeline, text, published="2025-06-13")
    assert (e.location, e.fatalities) == ("Bannu", 1)


@pytest.mark.parametrize(
    "background",
    [
        "Checkpoints went up across Kohat following the Sept. 11, 2001 terrorist attacks in"
        " the United States.",
        "Checkpoints went up across Kohat following Hamas's attack on Israel on October 7.",
        "The army has fought the group in Kohat since Hamas's attack on Israel in 2023.",
    ],
)
def test_attacks_named_as_a_point_in_time_or_a_long_fight_are_no_events(small_pipeline, background):
    text = background + " Gunmen killed four guards in Bannu on Tuesday."
    events = events_of(small_pipeline, text, published="2025-06-13")
    assert [(e.location, e.fatalities) for e in events] == [("Bannu", 4)]


def test_a_town_a_bearing_is_taken_from_after_the_named_place_is_no_event_place(small_pipeline):
    text = (
        "Rebels ambushed soldiers in Kurram district, south of Peshawar, on Monday, killing four."
    )
    (e,) = events_of(small_pipeline, text, published="2025-06-13")
    assert e.location == "Kurram"


def test_where_a_speaker_is_is_not_where_the_event_happened(small_pipeline):
    text = (
        "Gunmen attacked an army base on Monday, killing five soldiers, a security official in"
        " Peshawar told reporters."
    )
    found = small_pipeline.extract(article(text, published="2025-06-13"))
    assert [e.location for e in found.events] == []
    assert [e.fatalities for e in found.unplaced] == [5]


def test_what_happened_earlier_this_month_is_not_the_news_it_follows(small_pipeline):
    text = (
        "Militants attacked an army base in Bannu on Friday. Earlier this month, 50 soldiers"
        " were killed in an ambush in Bannu."
    )
    events = events_of(small_pipeline, text, published="2025-06-13")
    assert sorted((e.fatalities or 0, e.event_date) for e in events) == [
        (0, "2025-06-13"),
        (50, "2025-06"),
    ]


def test_a_speaker_s_town_named_after_the_event_does_not_refine_its_place(small_pipeline):
    text = (
        "Militants attack army base in Pakistan, kill 10\n"
        "Militants attacked an army base in Pakistan's northwest on Friday, killing ten"
        ' soldiers, a commander in the region said. "Tension is high in the area," he said.'
        " A security official in Kohat told reporters that the militants had taken control of"
        " two villages."
    )
    events = events_of(small_pipeline, text, published="2025-06-13")
    assert [(e.location, e.fatalities) for e in events] == [("Pakistan", 10)]


def test_a_date_of_a_relative_clause_about_a_group_does_not_make_a_habit_an_event(
    small_pipeline,
):
    text = (
        "Gunmen killed four guards in Bannu on Tuesday. Most attacks in Kurram are blamed on"
        " the Tanbo group, which was founded in the hills in March 2011."
    )
    events = events_of(small_pipeline, text, published="2025-06-13")
    assert [(e.location, e.fatalities) for e in events] == [("Bannu", 4)]


@pytest.mark.parametrize(
    "background",
    [
        "On Wednesday the government offered to pull troops out of Kurram as the price of a halt"
        " to raids and bombings on checkpoints in Kurram.",
        "Zorbek Bridge in Kabul, which became a symbol of the student protests of 2019, was quiet"
        " on Tuesday.",
    ],
)
def test_a_demanded_halt_and_a_place_named_for_a_movement_are_no_events(small_pipeline, background):
    text = "Gunmen killed four guards in Bannu on Tuesday. " + background
    events = events_of(small_pipeline, text, published="2025-06-13")
    assert [(e.location, e.fatalities) for e in events] == [("Bannu", 4)]


def test_a_story_dated_by_a_sentence_of_its_own_and_a_second_village_with_ten_more_dead(
    small_pipeline,
):
    text = (
        "The killings took place on Sunday, March 6, 2022.\n\n"
        "Gunmen raided Dabgari Village in Kurram and shot 12 people dead.\n\n"
        "The gunmen then moved on and struck at Sarkano in Tanbo Local Government, where they"
        " killed 10 more people."
    )
    events = events_of(small_pipeline, text, published="2022-03-08")
    assert sorted((e.location, e.fatalities, e.event_date) for e in events) == [
        ("Dabgari", 12, "2022-03-06"),
        ("Sarkano", 10, "2022-03-06"),
    ]


def test_people_killed_for_their_faith_are_civilians(small_pipeline):
    text = "Gunmen stopped a bus near Bannu on Monday and shot 12 Christians dead."
    (e,) = events_of(small_pipeline, text, published="2025-06-13")
    assert (e.event_type, e.fatalities) == ("Violence against civilians", 12)


def test_the_first_day_of_a_ceasefire_in_the_country_s_port_city_is_the_town_s_agreement(
    small_pipeline,
):
    text = (
        "Truce shaken in Ormara\n"
        "Each side blamed the other for a truce breach in Ormara. Residents of Ormara heard"
        " gunfire. Residents in Pakistan's second port city heard two blasts on Tuesday - the"
        " second day of a truce between the rebels and Chinese-backed army units. The truce"
        " was negotiated by envoys at talks in Tashkent."
    )
    found = small_pipeline.extract(article(text, published="2025-06-13"))
    agreements = [e for e in found.events if e.event_type == "Strategic developments"]
    assert [(e.location, e.event_date) for e in agreements] == [("Ormara", "2025-06-10")]


def test_an_outpost_the_gazetteer_lacks_names_the_event(small_pipeline):
    text = "Rebels attacked the Sarkano border outpost in Kurram district on Thursday."
    (e,) = events_of(small_pipeline, text, published="2025-06-13")
    assert (e.location, e.admin2) == ("Sarkano", "Kurram")


@pytest.mark.parametrize(
    ("text", "deaths"),
    [
        # the hurt and the dead counted together are no toll of the dead
        (
            "Six police were killed when gunmen stormed a police post in Bannu on Sunday. The"
            " militants said 90 policemen had been killed or wounded.",
            6,
        ),
        # one victim and the others killed with him
        (
            "Troops cornered the commander in Bannu on Saturday, where he was shot dead together"
            " with three bodyguards.",
            4,
        ),
    ],
)
def test_tolls_told_with_the_wounded_or_along_with_others(small_pipeline, text, deaths):
    (e,) = events_of(small_pipeline, text, published="2025-06-13")
    assert e.fatalities == deaths


def test_a_running_total_told_after_its_period_is_no_event_and_no_toll(small_pipeline):
    text = (
        "Two people were killed in a rocket attack on Bannu on Sunday. Rebels have shelled"
        " villages around the town over the past two weeks, killing at least 30 people."
    )
    events = events_of(small_pipeline, text, published="2025-06-16")
    assert [(e.location, e.fatalities) for e in events] == [("Bannu", 2)]


def test_a_protest_over_the_victims_of_a_bombing_is_a_protest(small_pipeline):
    text = (
        "Hundreds held a protest in Quetta on Saturday, where families of the victims of last"
        " week's bombing demanded better security."
    )
    (e,) = events_of(small_pipeline, text, published="2025-06-16")
    assert (e.event_type, e.fatalities) == ("Protests", 0)


def test_a_guessed_toll_is_no_toll_and_the_dead_told_again_are_the_same_event(small_pipeline):
    text = (
        "A bomb killed three people at a warehouse in Bannu on Tuesday, police said. One"
        " witness said as many as 40 may have died in the blast. The three"
        " killed in Bannu were guards at the warehouse, which was set ablaze by the blast."
    )
    events = events_of(small_pipeline, text, published="2025-06-13")
    assert [(e.location, e.fatalities) for e in events] == [("Bannu", 3)]


def test_a_toll_split_by_place_lands_in_the_sea_port_not_the_sea(small_pipeline):
    text = (
        "Missile attacks on Tuesday killed three people in the Arabian Sea port of Ormara and"
        " two in Bannu, officials said."
    )
    events = events_of(small_pipeline, text, published="2025-06-13")
    assert sorted((e.location, e.fatalities) for e in events) == [("Bannu", 2), ("Ormara", 3)]


def test_a_march_that_turned_to_stone_throwing_is_one_riot_not_a_bombing(small_pipeline):
    text = (
        "Clashes between protesters and police in central Quetta killed two protesters"
        " overnight, hospital sources said on Monday. The protesters had begun marching to the"
        " governor's house. Police tried to stop the march and fired tear gas. The protesters"
        " hurled stones and petrol bombs, an officer said."
    )
    found = small_pipeline.extract(article(text, published="2025-06-16"))
    assert [(e.event_type, e.location, e.fatalities) for e in (*found.events, *found.unplaced)] == [
        ("Riots", "Quetta", 2)
    ]


def test_a_protest_that_turns_to_stone_throwing_is_a_riot(small_pipeline):
    text = (
        "Hundreds of traders marched through Quetta on Monday against new taxes. Later that"
        " day in Quetta the protesters hurled stones at police, officials said."
    )
    events = events_of(small_pipeline, text, published="2025-06-16")
    assert [(e.event_type, e.location) for e in events] == [("Riots", "Quetta")]


def test_a_town_named_with_its_arabic_article_is_where_it_happened(small_pipeline):
    text = (
        "Two soldiers were killed in an attack on a checkpoint on the outskirts of al-Rutba"
        " district in western Iraq on Monday night, a security source said."
    )
    (e,) = events_of(small_pipeline, text, published="2025-06-17")
    assert "rutba" in fold(e.location) and e.geo_precision <= 2


def test_a_toll_split_between_a_town_and_one_told_with_its_kind_is_two_events(small_pipeline):
    text = (
        "Shelling on Tuesday killed two people in Bannu and one in the busy market town of"
        " Kohat, officials said."
    )
    events = events_of(small_pipeline, text, published="2025-06-18")
    assert sorted((e.location, e.fatalities) for e in events) == [("Bannu", 2), ("Kohat", 1)]
