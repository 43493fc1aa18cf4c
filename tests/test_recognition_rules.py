"""Recognition and resolution rules, each shown on text written for it."""

from mapper.resolve import resolve
from mapper.toponyms import recognise


def parse(text, gazetteer):
    return resolve(recognise(text, gazetteer.candidates), gazetteer.candidates)


def texts(text, gazetteer):
    return [m.text for m in parse(text, gazetteer)]


def test_a_surname_stays_a_person_for_the_whole_article(gazetteer):
    text = "Coach Jim Walsh praised the team in Toronto. Later, Walsh flew to Ottawa."
    assert texts(text, gazetteer) == ["Toronto", "Ottawa"]


def test_a_name_before_a_speech_verb_is_a_person(gazetteer):
    assert texts("Steele said the road to Quetta was closed.", gazetteer) == ["Quetta"]


def test_a_demonym_that_is_also_a_town_means_the_country(gazetteer):
    (m,) = parse("Canadian troops arrived.", gazetteer)
    assert (m.place.country, m.place.precision) == ("CA", "country")


def test_continents_are_places(gazetteer):
    found = {m.text: m.place for m in parse("Flights from Europe to Asia resumed.", gazetteer)}
    assert found["Europe"].feature == "L.CONT" and found["Asia"].feature == "L.CONT"


def test_state_abbreviations_and_full_country_names(gazetteer):
    found = {
        m.text: m.place
        for m in parse(
            "Storms hit Louisville, Ky., and the Democratic Republic of the Congo.", gazetteer
        )
    }
    assert found["Ky."].name == "Kentucky"
    assert found["Democratic Republic of the Congo"].country == "CD"


def test_a_province_is_located_at_its_centre_but_events_at_its_seat(gazetteer):
    balochistan = gazetteer.lookup("Balochistan", country="PK")[0]
    assert balochistan.precision == "admin1"
    quetta = gazetteer.lookup("Quetta")[0]
    # The province's own point is inside it, well south-west of its capital ...
    assert balochistan.lat < quetta.lat
    # ... while an event known only to the province goes to its seat, as ACLED codes it.
    assert (balochistan.seat_lat, balochistan.seat_lon) == (quetta.lat, quetta.lon)
