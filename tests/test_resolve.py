import pytest

from mapper.geoparse.recognise import recognise
from mapper.geoparse.resolve import distance_km, resolve


def geoparse(text, gazetteer, dateline=None):
    return resolve(recognise(text, gazetteer.candidates), gazetteer.candidates, dateline=dateline)


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Police in Jamshoro said a bomb exploded in Hyderabad, Pakistan.", "Hyderabad", "PK"),
        ("Voters in Telangana queued in Hyderabad on Tuesday, India said.", "Hyderabad", "IN"),
        ("Afghan officials said the blast in Kabul killed five.", "Kabul", "AF"),
    ],
)
def test_country_focus_picks_the_right_namesake(gazetteer, text, name, country):
    found = {m.text: m for m in geoparse(text, gazetteer)}
    assert found[name].place.country == country


def test_dateline_sets_the_focus(gazetteer):
    text = "HYDERABAD (AP) — A court in Hyderabad heard the case."
    with_pk = {m.text: m for m in geoparse(text, gazetteer, dateline="Karachi")}
    assert with_pk["Hyderabad"].place.country == "PK"


def test_type_hint_prefers_the_area(gazetteer):
    found = geoparse("Troops cleared villages in Kurram district.", gazetteer)
    assert found[0].place.precision == "admin2"


def test_confidence_is_a_probability(gazetteer):
    for m in geoparse("Clashes in Kabul and Peshawar and Quetta.", gazetteer):
        assert 0 < m.confidence <= 1


def test_distance_km(gazetteer):
    kabul = gazetteer.lookup("Kabul", country="AF")[0]
    islamabad = gazetteer.lookup("Islamabad")[0]
    assert 360 < distance_km(kabul, islamabad) < 400


def _focus(names, gazetteer):
    from mapper.geoparse.resolve import _country_focus
    from mapper.types import Mention

    options = [list(gazetteer.candidates(n)) for n in names]
    return _country_focus([Mention(n, 0, len(n)) for n in names], options, [])


def test_names_ambiguous_alone_agree_on_their_country_together(gazetteer):
    # Each has a likely namesake in another country; only Britain holds all three.
    for view in _focus(["Looe", "Penryn", "Launceston"], gazetteer):
        assert max(view, key=view.get) == "GB"


def test_a_name_said_again_does_not_agree_with_itself(gazetteer):
    assert _focus(["Falmouth"] * 5, gazetteer) == [{}] * 5


def test_a_long_list_of_states_makes_a_state_of_its_ambiguous_member(gazetteer):
    text = "Cases were reported in Texas, Utah, Virginia, Washington and West Virginia."
    found = {
        m.text: m.place
        for m in resolve(recognise(text, gazetteer.candidates), gazetteer.candidates, text=text)
    }
    assert (found["Washington"].country, found["Washington"].precision) == ("US", "admin1")


def test_a_name_the_gazetteer_lacks_is_placed_at_the_nearest_place_the_story_names(pipeline):
    text = (
        "Uganda's health ministry said the clinic in Mbwindori, a hamlet outside Kasese, "
        "reported ten cases."
    )
    start = text.index("Mbwindori")
    [found] = pipeline.resolve_spans(text, [(start, start + len("Mbwindori"))])
    assert found.kind == "context" and found.confidence == 0.0
    assert (found.place.name, found.place.country) == ("Kasese", "UG")


def test_with_only_a_country_named_an_unknown_name_is_placed_in_it(pipeline):
    text = "Residents of Mbwindori fled to Uganda."
    [found] = pipeline.resolve_spans(text, [(13, 22)])
    assert (found.kind, found.place.precision, found.place.country) == ("context", "country", "UG")


def test_without_any_place_in_the_story_an_unknown_name_stays_unresolved(pipeline):
    [found] = pipeline.resolve_spans("Residents of Mbwindori fled.", [(13, 22)])
    assert found.place is None


def test_a_plural_type_word_before_a_list_types_every_member(gazetteer):
    def ghazni(text):
        found = resolve(recognise(text, gazetteer.candidates), gazetteer.candidates, text=text)
        return next(m.place.precision for m in found if m.text == "Ghazni")

    assert ghazni("Aid reached Kunar and Ghazni on Monday.") == "place"
    assert ghazni("Aid reached the provinces of Kunar and Ghazni on Monday.") == "admin1"


def test_names_in_doubt_take_a_second_look_near_what_the_others_were_taken_to_be(gazetteer):
    # Edmonton alone is the Canadian city, Enfield alone in doubt; the story is in London.
    text = (
        "A man was stabbed in Seaton Street, Edmonton, on Friday. He was taken to hospital in"
        " London and his attacker was held in Enfield."
    )
    found = {
        m.text: m.place
        for m in resolve(recognise(text, gazetteer.candidates), gazetteer.candidates, text=text)
    }
    assert {found[n].country for n in ("Edmonton", "Enfield", "London")} == {"GB"}
    alone = geoparse("A man was stabbed in Edmonton on Friday.", gazetteer)
    assert alone[0].place.country == "CA"


def test_a_small_namesake_abroad_is_no_place_of_a_story_about_one_country(gazetteer):
    # A village the gazetteer lacks, named in a story about Myanmar, is not the Chinese hamlet
    # of that name: it is left unresolved (and reported), not drawn in China.
    text = (
        "Soldiers set fire to homes in Tanbin village in Sagaing Region on Sunday, residents "
        "said. Myanmar troops have burned villages across Sagaing for months."
    )
    found = {m.text: m.place for m in geoparse(text, gazetteer)}
    assert "Tanbin" not in found or found["Tanbin"] is None
    assert {p.country for p in found.values() if p is not None} == {"MM"}
    alone = geoparse("Tanbin is a village.", gazetteer)
    assert alone and alone[0].place.country == "CN"  # with no story around it, the namesake
