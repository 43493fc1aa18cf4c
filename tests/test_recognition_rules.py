"""Recognition and resolution rules, each shown on text written for it (on the small gazetteer)."""

import pytest

from mapper.geoparse.recognise import recognise
from mapper.geoparse.resolve import resolve


def parse(text, gazetteer):
    return resolve(recognise(text, gazetteer.candidates), gazetteer.candidates, text=text)


def places(text, gazetteer):
    return {m.text: m.place for m in parse(text, gazetteer)}


def texts(text, gazetteer):
    return [m.text for m in parse(text, gazetteer)]


def test_a_surname_stays_a_person_for_the_whole_article(small_gazetteer):
    text = "Coach Jim Walsh praised the team in Toronto. Later, Walsh flew to Ottawa."
    assert texts(text, small_gazetteer) == ["Toronto", "Ottawa"]


def test_a_name_before_a_speech_verb_is_a_person(small_gazetteer):
    assert texts("Steele said the road to Quetta was closed.", small_gazetteer) == ["Quetta"]


def test_a_demonym_that_is_also_a_town_means_the_country(small_gazetteer):
    (m,) = parse("Canadian troops arrived.", small_gazetteer)
    assert (m.place.country, m.place.precision) == ("CA", "country")


def test_continents_are_places(small_gazetteer):
    found = {
        m.text: m.place for m in parse("Flights from Europe to Asia resumed.", small_gazetteer)
    }
    assert found["Europe"].feature == "L.CONT" and found["Asia"].feature == "L.CONT"


def test_state_abbreviations_and_full_country_names(small_gazetteer):
    found = {
        m.text: m.place
        for m in parse(
            "Storms hit Louisville, Ky., and the Democratic Republic of the Congo.", small_gazetteer
        )
    }
    assert found["Ky."].name == "Kentucky"
    assert found["Democratic Republic of the Congo"].country == "CD"


def test_a_province_is_located_at_its_centre_but_events_at_its_seat(small_gazetteer):
    balochistan = small_gazetteer.lookup("Balochistan", country="PK")[0]
    assert balochistan.precision == "admin1"
    quetta = small_gazetteer.lookup("Quetta")[0]
    # The province's own point is inside it, well south-west of its capital ...
    assert balochistan.lat < quetta.lat
    # ... while an event known only to the province goes to its seat, as ACLED codes it.
    assert (balochistan.seat_lat, balochistan.seat_lon) == (quetta.lat, quetta.lon)


def test_given_names_and_the_surnames_after_them_are_people(small_gazetteer):
    text = "Amy Smith and Jerome Faulkner visited Kabul. Later, Faulkner flew home."
    assert texts(text, small_gazetteer) == ["Kabul"]


@pytest.mark.parametrize("given", ["Emeka", "Siddharth", "Kwame", "Mehmet", "Zainab"])
def test_given_names_of_many_languages_make_a_person_of_the_name_after_them(small_gazetteer, given):
    # Each surname here is a small town's name too.
    text = f"{given} Hangu told reporters in Kabul that the talks had failed."
    assert texts(text, small_gazetteer) == ["Kabul"]


def test_a_big_city_keeps_its_place_before_a_capitalised_word(small_gazetteer):
    assert "London" in texts("London Police said the road was closed.", small_gazetteer)


def test_a_qualifier_beats_a_containing_area_named_elsewhere(small_gazetteer):
    # The list names Pennsylvania, which holds a town called California; "Fresno,
    # California" says which California the story means.
    found = places(
        "Growers in Oregon, Pennsylvania and California lost crops; a plant in Fresno,"
        " California closed.",
        small_gazetteer,
    )
    assert (found["California"].country, found["California"].precision) == ("US", "admin1")


def test_the_area_after_a_town_is_the_one_that_holds_it(small_gazetteer):
    found = places("A lab in Atlanta, Georgia confirmed the result.", small_gazetteer)
    assert (found["Georgia"].country, found["Georgia"].precision) == ("US", "admin1")


def test_names_in_a_list_are_the_same_kind_of_place(small_gazetteer):
    found = places(
        "Cases were found in British Columbia, Alberta, Manitoba and Ontario.", small_gazetteer
    )
    assert (found["Ontario"].country, found["Ontario"].precision) == ("CA", "admin1")


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("A farm in the state of Washington reported the case.", "Washington", "US"),
        ("Hospitals across the province of Ontario were full.", "Ontario", "CA"),
    ],
)
def test_a_type_word_before_the_name_hints_the_area(small_gazetteer, text, name, country):
    found = places(text, small_gazetteer)
    assert (found[name].country, found[name].precision) == (country, "admin1")


def test_a_name_with_a_possessive_inside_is_one_mention(small_gazetteer):
    found = places("Officials of the People's Republic of China met in Kabul.", small_gazetteer)
    assert found["People's Republic of China"].country == "CN"
    assert "Republic of China" not in found


def test_a_country_code_before_a_dollar_sign_is_a_currency(small_gazetteer):
    assert texts("Donors pledged US$40 million to Pakistan.", small_gazetteer) == ["Pakistan"]


def test_two_small_places_side_by_side_are_a_name(small_gazetteer):
    # Each word is a hamlet somewhere; together they name a broadcaster.
    assert texts("Al Jazeera reported clashes in Quetta.", small_gazetteer) == ["Quetta"]


def test_small_places_joined_by_and_stay_a_list(small_gazetteer):
    assert texts("Birds died in Temryuk and Anapa.", small_gazetteer) == ["Temryuk", "Anapa"]


def test_a_village_council_is_not_a_major_province(small_gazetteer):
    # "Qala" is a Maltese council (a first-level area there); here it begins a longer name.
    text = "A grenade in Qala-e-Shadab area of Kabul wounded three."
    assert texts(text, small_gazetteer) == ["Kabul"]


def test_an_unknown_village_is_named_whole(small_gazetteer):
    from mapper.geoparse.recognise import unknown_mentions

    text = "Gunmen burned the village of Umm Tarfawi in Darfur and the Qala-e-Shadab area."
    unknown = [m.text for m in unknown_mentions(text, parse(text, small_gazetteer))]
    assert unknown == ["Umm Tarfawi", "Qala-e-Shadab"]


def test_a_lone_other_name_of_a_place_abroad_stays_unresolved(small_gazetteer):
    # "Burdigala" is an old name of Bordeaux, France; in a story from Pakistan it is a village
    # the gazetteer lacks, and "Dawn" is a newspaper.
    text = (
        "Gunmen fired on the Burdigala checkpoint in Karak district, Khyber Pakhtunkhwa,"
        " police in Peshawar told Dawn."
    )
    found = places(text, small_gazetteer)
    assert found.get("Burdigala") is None and found.get("Dawn") is None
    assert found["Peshawar"].country == "PK"


def test_a_small_place_inside_the_name_of_an_institution_is_not_a_place(small_gazetteer):
    text = (
        "The Kenya Red Cross Society sent aid to Women's College Hospital in Toronto."
        " None of the staff at the Dresden Zoo were hurt."
    )
    assert texts(text, small_gazetteer) == ["Kenya", "Toronto", "Dresden"]


def test_a_place_in_a_newspaper_name_is_not_a_place(small_gazetteer):
    text = "The New York Times and the Washington Post reported clashes in Kabul."
    assert texts(text, small_gazetteer) == ["Kabul"]


def test_a_place_after_a_capitalised_first_word_or_in_a_force_name_stays_a_place(small_gazetteer):
    text = "In Kurram, clashes continued. Kurram Militia troops were deployed near Parachinar."
    assert texts(text, small_gazetteer)[0] == "Kurram"


def test_a_name_after_a_kinship_word_or_a_title_is_a_person(small_gazetteer):
    text = "Her son, Jack, and regional director Luis Gomes Sambo flew to Nairobi."
    assert texts(text, small_gazetteer) == ["Nairobi"]


def test_a_district_named_in_a_business_name_is_not_a_place(small_gazetteer):
    # "Bell" is a county whose biggest town is large; alone with another word it is a name.
    assert texts("Customers of Taco Bell fell ill in Chicago.", small_gazetteer) == ["Chicago"]


def test_a_sentence_start_known_only_as_another_name_of_a_hamlet_is_no_place(small_gazetteer):
    assert texts("Farmers in Idaho lost their crops.", small_gazetteer) == ["Idaho"]


def test_the_arabic_article_before_a_sun_letter_stays_inside_the_name(small_gazetteer):
    text = "Shells fell on Jisr ash-Shughur while talks went on in Dar es Salaam."
    found = places(text, small_gazetteer)
    assert found["Jisr ash-Shughur"].country == "SY"
    assert found["Dar es Salaam"].country == "TZ"


def test_a_compass_word_with_a_province_word_after_it_names_the_province(small_gazetteer):
    text = "Miners went on strike in South Africa. A mine was shut in the Northwest province."
    assert places(text, small_gazetteer)["Northwest"].precision == "admin1"
    # Without the province word it is a direction, not a place.
    assert texts("South African troops moved into the Northwest on Sunday.", small_gazetteer) == [
        "South African"
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Gunmen attacked Tungari Village on Monday.", "Tungari"),
        ("The army raided Saw Pyin village tract.", "Saw Pyin"),
        ("The town borders Kuyambana, where nine farmers were killed.", "Kuyambana"),
    ],
)
def test_a_village_the_gazetteer_lacks_is_found_by_how_news_names_villages(
    small_gazetteer, text, name
):
    from mapper.geoparse.recognise import unknown_mentions

    assert name in [m.text for m in unknown_mentions(text, parse(text, small_gazetteer))]


def test_a_name_said_again_does_not_vouch_for_its_own_country(small_gazetteer):
    # "Burdigala" (Bordeaux's old name) told three times in a story about Pakistan: its own
    # mentions are no evidence that the story is about France.
    text = (
        "Gunmen fired on a checkpoint in Burdigala in Karak. Burdigala lies near Kohat."
        " Police sent more men to Burdigala after the raid, officials in Peshawar said."
    )
    assert [m.place for m in parse(text, small_gazetteer) if m.text == "Burdigala"] == [None] * 3


def test_a_town_an_institution_or_body_is_named_after_stays_a_place(small_gazetteer):
    # The run of capitalised words is an organisation's name, not a person's: its words are
    # not remembered as people, so the town is still a place in the other sentences.
    text = (
        "Gunmen opened fire in Sibi on Monday. The wounded were taken to District Hospital "
        "Sibi. Youth Organisation Sibi branch chief Imran Ali said shops were closed in Sibi."
    )
    placed = [m.start for m in parse(text, small_gazetteer) if m.text == "Sibi" and m.place]
    assert placed[0] == text.index("Sibi") and placed[-1] == text.rindex("Sibi")


def test_a_name_that_qualifies_a_body_of_another_place_is_not_a_place(small_gazetteer):
    text = "The Kohat Council of Balochistan met in Quetta. The Kohat elders went home."
    found = texts(text, small_gazetteer)
    assert found[:2] == ["Balochistan", "Quetta"] and "Kohat" in found[2:]


def test_a_part_of_a_town_resolved_far_away_is_a_name_the_gazetteer_lacks(small_gazetteer):
    # Chitral is a district some 700 km away: "the Chitral area of Quetta" is a part of Quetta
    # the gazetteer does not know, not that district.
    found = {m.text: m for m in parse("Gunmen raided the Chitral area of Quetta.", small_gazetteer)}
    assert found["Chitral"].place is None and found["Chitral"].kind == "unknown"
    assert found["Quetta"].place.country == "PK"
    near = parse("Gunmen raided the Kohat area of Kohat district.", small_gazetteer)
    assert all(m.place is not None for m in near)


def test_a_district_abroad_known_by_no_population_is_a_village_the_gazetteer_lacks(small_gazetteer):
    # "Sherzad" is a district of Afghanistan with no population given; in a story about
    # Pakistan alone it is a village of the story's own country that the gazetteer lacks.
    text = "Gunmen attacked a checkpoint in Sherzad, in Pakistan's Khyber Pakhtunkhwa, police said."
    found = places(text, small_gazetteer)
    assert found.get("Sherzad") is None and found["Khyber Pakhtunkhwa"].country == "PK"


def test_a_name_joined_by_a_french_article_after_a_hyphen_is_one_name(small_gazetteer):
    assert texts("Gunmen attacked a police post in Port-au-Prince.", small_gazetteer) == [
        "Port-au-Prince"
    ]


def test_supranational_bodies_are_no_places(gazetteer, pipeline):
    text = "Envoys of the European Union, the African Union and the EU's partners met in Brussels."
    assert [m.text for m in pipeline.geoparse(text)] == ["Brussels"]
    # handed the span, the body is still no town named Eu
    start = text.index("EU")
    (m,) = pipeline.resolve_spans(text, [(start, start + 2)])
    assert m.place is None or m.kind == "context"


def test_a_humanitarian_body_named_like_a_town_is_no_place(pipeline):
    text = "The Red Cross and the Red Crescent said six aid workers were killed in Najaf."
    assert [m.text for m in pipeline.geoparse(text)] == ["Najaf"]


def test_a_continent_is_of_no_country(gazetteer):
    # "AF" is Afghanistan's code, not Africa's: a story about Africa must not vote for it
    assert gazetteer.candidates("Africa")[0].place.country == "ZZ"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Protesters marched through Tseung Kwan O on Sunday.", "Tseung Kwan O"),
        ("The road to Nyaung-U was closed by the police.", "Nyaung-U"),
    ],
)
def test_a_name_may_end_in_a_single_letter_that_is_a_word_of_it(small_pipeline, text, name):
    assert name in [m.text for m in small_pipeline.geoparse(text)]


@pytest.mark.parametrize(
    "text",
    ['"Now I will try to sleep," she said.', "The meeting was held in Room A of the ministry."],
)
def test_a_single_letter_after_a_word_makes_no_name_of_them(small_pipeline, text):
    assert [m.text for m in small_pipeline.geoparse(text) if " " in m.text] == []


def test_the_city_of_a_name_is_the_city_not_its_province(small_pipeline):
    plain, city = (
        next(m.place for m in small_pipeline.geoparse(text) if m.text == "Qalqilya")
        for text in (
            "Protesters gathered in Qalqilya.",
            "Protesters gathered in the City of Qalqilya.",
        )
    )
    assert (plain.precision, city.precision) == ("admin1", "place")


def test_a_known_name_at_the_end_of_a_longer_unknown_one_is_not_that_place(small_pipeline):
    # "Model Town" is a district of Lahore; "Zorwal Model Town" is another place altogether.
    text = "The gun attack took place in Zorwal Model Town, near Peshawar, police said."
    assert [m.text for m in small_pipeline.geoparse(text)] == ["Peshawar"]
    assert "Model Town" in [m.text for m in small_pipeline.geoparse("Shops shut in Model Town.")]


def test_a_name_and_a_participle_make_an_adjective_not_a_place():
    from mapper.geoparse.recognise import unknown_mentions

    text = "Gunmen attacked a Zorvani-run prison, then fought on in Zorvani-held areas."
    assert [m.text for m in unknown_mentions(text, [])] == []


def test_a_word_capitalised_to_open_the_sentence_is_no_part_of_the_name_after_of(pipeline):
    text = "Residents of Ormara reported blasts. Later, officials said two died in Ormara."
    assert [m.text for m in pipeline.geoparse(text)] == ["Ormara", "Ormara"]


def test_a_part_of_the_city_just_named_is_not_a_namesake_abroad(pipeline):
    text = (
        "A bomb exploded at a mosque in Kabul on Wednesday. The blast hit the city's Kher"
        " Khanna neighbourhood."
    )
    found = {m.text: m for m in pipeline.geoparse(text)}
    assert all(m.place is None or m.place.country == "AF" for m in found.values())


def test_a_hamlet_abroad_known_by_a_two_word_other_name_is_no_place_of_a_story_elsewhere(
    pipeline,
):
    text = (
        "Syrian forces shelled Afrin in northern Syria on Monday. Two people were killed last"
        " week in explosions in Sari Kani, a town near Aleppo in Syria."
    )
    found = {m.text: m for m in pipeline.geoparse(text)}
    assert found["Sari Kani"].place is None or found["Sari Kani"].place.country == "SY"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        (
            "Fighting flared in the Democratic Republic of Congo on Monday. Congo's army said"
            " rebels had taken two villages.",
            "CD",
        ),
        (
            "Ebola has killed nine people in the Republic of Congo this month. The government"
            " of Congo has announced a quarantine, an adviser to the Congolese health ministry"
            " said.",
            "CG",
        ),
    ],
)
def test_a_country_s_short_name_is_the_country_whose_full_name_the_story_gives(
    pipeline, text, country
):
    shorts = [m for m in pipeline.geoparse(text) if m.text == "Congo"]
    assert [m.place.country for m in shorts] == [country]
