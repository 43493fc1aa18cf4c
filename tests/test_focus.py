"""A small town of a country the story names nothing else in is a namesake, not the place meant."""

from mapper.geoparse.focus import SMALL_TOWN, lone_namesakes
from mapper.types import Mention, MentionKind, Place


def _place(name, country, *, precision="place", population=5_000):
    return Place(
        name=name, lat=0.0, lon=0.0, country=country, precision=precision, population=population
    )


def _named(text, place, start=0, kind=MentionKind.NAME):
    return Mention(text, start, start + len(text), kind=kind, place=place)


STORY = [
    _named("Kohat", _place("Kohat", "PK", population=150_000)),
    _named("Pakistan", _place("Pakistan", "PK", precision="country"), start=10),
]


def test_a_small_town_abroad_that_nothing_else_in_the_story_supports_is_left_unplaced():
    lone = _named("Tanbo", _place("Tanbo", "US"), start=30)
    out = lone_namesakes([*STORY, lone])
    assert out[:2] == STORY
    assert out[2].place is None and out[2].text == "Tanbo"


def test_a_town_abroad_stays_when_the_story_names_its_country_or_it_is_big():
    lone = _named("Tanbo", _place("Tanbo", "US"), start=30)
    usa = _named("United States", _place("United States", "US", precision="country"), start=50)
    assert lone_namesakes([*STORY, lone, usa])[2].place is not None
    big = _named("Tanbo", _place("Tanbo", "US", population=SMALL_TOWN), start=30)
    assert lone_namesakes([*STORY, big])[2].place is not None
    # an area, a demonym and the dateline's country are not namesakes of this kind
    area = _named("Tanbo", _place("Tanbo", "US", precision="admin2"), start=30)
    assert lone_namesakes([*STORY, area])[2].place is not None
    demonym = _named("Tanbo", _place("Tanbo", "US"), start=30, kind=MentionKind.DEMONYM)
    assert lone_namesakes([*STORY, demonym])[2].place is not None
    dated = lone_namesakes([*STORY, lone], dateline=_place("Sarkano", "US"))
    assert dated[2].place is not None


def test_a_name_does_not_vouch_for_itself_and_a_story_of_one_name_keeps_it():
    twice = [
        _named("Tanbo", _place("Tanbo", "US"), start=30),
        _named("Tanbo", _place("Tanbo", "US"), start=60),
    ]
    assert [m.place for m in lone_namesakes([*STORY, *twice])[2:]] == [None, None]
    assert lone_namesakes(twice) == twice  # nothing else named: nothing to weigh it against
