from mapper.geoparse.recognise import recognise, unknown_mentions
from mapper.geoparse.resolve import resolve


def names(text, gazetteer):
    return [(m.text, m.kind) for m in recognise(text, gazetteer.candidates)]


def test_multiword_names_and_offsets(gazetteer):
    text = "Fighting spread from Lower Dir to Dera Ghazi Khan on Tuesday."
    found = recognise(text, gazetteer.candidates)
    assert [m.text for m in found] == ["Lower Dir", "Dera Ghazi Khan"]
    for m in found:
        assert text[m.start : m.end] == m.text


def test_spelling_variants_are_found(gazetteer):
    text = "Troops moved into Darra Adam Khel and Miranshah, then to Mazar-i-Sharif."
    assert [t for t, _ in names(text, gazetteer)] == [
        "Darra Adam Khel",
        "Miranshah",
        "Mazar-i-Sharif",
    ]


def test_type_word_is_a_hint_not_part_of_the_name(gazetteer):
    found = recognise(
        "Gunmen attacked a post in the Kurram district of Khyber Pakhtunkhwa province.",
        gazetteer.candidates,
    )
    assert [(m.text, m.hint) for m in found] == [
        ("Kurram", "district"),
        ("Khyber Pakhtunkhwa", "province"),
    ]


def test_demonyms_are_country_mentions(gazetteer):
    assert names("Afghan and Pakistani officials met Turkish mediators.", gazetteer) == [
        ("Afghan", "demonym"),
        ("Pakistani", "demonym"),
        ("Turkish", "demonym"),
    ]


def test_possessive_is_trimmed(gazetteer):
    found = recognise(
        "Pakistan’s Ministry of Foreign Affairs said it was concerned.", gazetteer.candidates
    )
    assert [(m.text, m.end) for m in found] == [("Pakistan", 8)]


def test_people_weekdays_and_common_words_are_not_places(gazetteer):
    text = (
        "On Monday, Foreign Minister Amir Khan Muttaqi said Police would act. "
        "The police said Most of the injured were children."
    )
    assert names(text, gazetteer) == []


def test_single_word_inside_a_longer_name_is_dropped_unless_major(gazetteer):
    assert names("Students of Kabul University protested.", gazetteer) == [("Kabul", "name")]
    assert names("Spokesman Zabihullah Mujahid denied it.", gazetteer) == []


def test_abbreviated_countries(gazetteer):
    text = "The U.S. and the UAE condemned the attack; US officials and TTP leaders met."
    found = resolve(recognise(text, gazetteer.candidates), gazetteer.candidates)
    assert [(m.text, m.place.country) for m in found] == [
        ("U.S.", "US"),
        ("UAE", "AE"),
        ("US", "US"),
    ]


def test_unknown_places_after_locatives(gazetteer):
    text = "The raid in Zarghunkot killed four near Kabul; officials in Islamabad said."
    found = recognise(text, gazetteer.candidates)
    assert [m.text for m in found] == ["Kabul", "Islamabad"]
    assert [(m.text, m.kind) for m in unknown_mentions(text, found)] == [("Zarghunkot", "unknown")]
