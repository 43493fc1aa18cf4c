"""The village layer: compiled from a packed table beside the main index, asked only for names
the main index lacks, and only in the story's own countries.

The villages here are invented; the main index is the small one the rule tests use (it knows
Pakistan, Kohat and Hangu).
"""

import lzma
from dataclasses import replace

import pytest

from mapper.gazetteer import Gazetteer
from mapper.gazetteer.rank import Candidate
from mapper.gazetteer.villages import SOURCE
from mapper.geoparse.villages import (
    district_towns,
    home_villages,
    place_villages,
    story_countries,
)
from mapper.pipeline import Pipeline
from mapper.types import Mention, MentionKind, Place

from .conftest import SMALL_TABLES

HEADER = "geonameid\tname\tlat\tlon\tcountry\tfeature\tpopulation\talt_names\n"
ROWS = [
    # beside Kohat
    ("910001", "Zarbelai", "33.61", "71.47", "PK", "PPL", "0", "Sarbelay"),
    # a namesake in another country, which a story about Pakistan never reaches
    ("910002", "Zarbelai", "55.10", "37.20", "RU", "PPL", "0", ""),
    # two namesakes far apart: one beside Hangu, one in the south
    ("910003", "Tanoorkhel", "33.55", "71.08", "PK", "PPL", "0", ""),
    ("910004", "Tanoorkhel", "28.90", "70.10", "PK", "PPL", "0", ""),
    # the only one of its name, 500 km from any town a story about Kohat names
    ("910005", "Spalgai", "29.40", "66.90", "PK", "PPL", "0", ""),
    # a town written about in many spellings, and a hamlet whose own name is one of them
    (
        "910006",
        "Gulbanokot",
        "33.10",
        "70.40",
        "PK",
        "PPL",
        "0",
        "Gulbano|Gulbanu Kot|Gul Banokot|Gulbanokut|Golbanokot|Gulbaanokot|Guul Banokot",
    ),
    ("910007", "Gulbano", "29.10", "67.20", "PK", "PPL", "0", ""),
    # three namesakes, one known by three names: not twice as well as the two others together
    ("910008", "Sarkano", "33.20", "70.80", "PK", "PPL", "0", "Sarkanu|Sar Kano"),
    ("910009", "Sarkano", "29.60", "67.40", "PK", "PPL", "0", "Sarkanu"),
    ("910010", "Sarkano", "28.70", "69.90", "PK", "PPL", "0", ""),
]


@pytest.fixture(scope="module")
def village_gazetteer(tmp_path_factory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("villages")
    table = folder / "villages.tsv.xz"
    with lzma.open(table, "wt", encoding="utf-8") as out:
        out.write(HEADER + "".join("\t".join(r) + "\n" for r in ROWS))
    return Gazetteer(folder, packages=False, tables=SMALL_TABLES, villages=table)


def places(gazetteer, text):
    return {m.text: m.place for m in Pipeline(gazetteer).geoparse(text) if m.place}


def test_the_layer_is_compiled_beside_the_main_index_with_areas_from_nearby_towns(
    village_gazetteer,
):
    assert village_gazetteer.village_path.is_file()
    found = village_gazetteer.villages("Zarbelai", ["PK"])
    assert [(c.place.country, c.place.source) for c in found] == [("PK", SOURCE)]
    # the province and district of the nearest town (Kohat, 4 km away)
    assert (found[0].place.admin1, found[0].place.admin2) == ("Khyber Pakhtunkhwa", "Kohat")
    assert village_gazetteer.villages("Sarbelay", ["PK"])[0].kind == "alt"
    # villages never answer the main lookups: recognition does not see them
    assert village_gazetteer.candidates("Zarbelai") == ()
    assert village_gazetteer.villages("Zarbelai", []) == ()


def test_a_name_the_main_index_lacks_is_the_village_of_the_storys_country(village_gazetteer):
    found = places(
        village_gazetteer, "Police in Pakistan said militants attacked a checkpoint in Zarbelai."
    )
    assert (found["Zarbelai"].country, found["Zarbelai"].lat) == ("PK", 33.61)


def test_namesakes_are_settled_by_the_places_the_story_names(village_gazetteer):
    near_hangu = places(
        village_gazetteer, "Militants from Hangu in Pakistan raided a post in Tanoorkhel."
    )
    assert near_hangu["Tanoorkhel"].lat == 33.55
    # nothing in the story says which of the two: the name stays unplaced
    alone = places(village_gazetteer, "Fighting was reported in Tanoorkhel, Pakistan.")
    assert "Tanoorkhel" not in alone


def test_a_town_known_by_many_names_outweighs_a_hamlet_the_text_does_not_tell_apart(
    village_gazetteer,
):
    # "Gulbano" is the hamlet's own name and one of the town's eight: the town, eight times as
    # well known, is what a story that says nothing more means.
    found = places(village_gazetteer, "Fighting was reported in Gulbano, Pakistan.")
    assert found["Gulbano"].lat == 33.10
    assert {c.place.lat for c in village_gazetteer.villages("Gulbano", ["PK"])} == {33.10, 29.10}


def test_a_namesake_not_twice_as_well_known_as_the_others_leaves_the_name_unplaced(
    village_gazetteer,
):
    # known by 3, 2 and 1 names: 3 is not twice 2 + 1
    found = places(village_gazetteer, "Fighting was reported in Sarkano, Pakistan.")
    assert "Sarkano" not in found


def test_a_village_far_from_every_town_the_story_names_is_a_namesake(village_gazetteer):
    found = places(
        village_gazetteer, "Gunmen in Kohat, Pakistan, attacked the Spalgai police station."
    )
    assert "Spalgai" not in found


def test_no_village_without_a_story_country(village_gazetteer):
    assert "Zarbelai" not in places(village_gazetteer, "The attack took place in Zarbelai.")


# ---------------------------------------------------------------- the decisions, as functions


def _place(name, country, lat, lon, *, precision="place", population=0, admin2=None):
    return Place(
        name=name,
        lat=lat,
        lon=lon,
        country=country,
        precision=precision,
        admin2=admin2,
        population=population,
    )


def _named(text, place, start=0):
    return Mention(text, start, start + len(text), kind=MentionKind.NAME, place=place)


def test_story_countries_need_a_fair_share_of_the_names():
    names = [_named("A", _place("A", "PK", 30, 70))] * 5 + [_named("B", _place("B", "IN", 20, 77))]
    assert story_countries(names) == ("PK",)
    assert story_countries(names, _place("D", "IN", 20, 77)) == ("IN", "PK")
    assert story_countries([]) == ()


def test_a_small_place_abroad_gives_way_to_the_storys_own_village():
    pakistan = _named("Pakistan", _place("Pakistan", "PK", 30, 70, precision="country"))
    kohat = _named("Kohat", _place("Kohat", "PK", 33.58, 71.45), start=20)
    abroad = _named("Garai", _place("Garai", "RO", 47.0, 26.0, population=900), start=40)
    village = Candidate(_place("Garai", "PK", 33.6, 71.4), "garai", True, "name", 1.0)

    def villages(name, countries):
        return (village,) if name == "Garai" and "PK" in countries else ()

    out = home_villages([pakistan, kohat, abroad], villages)
    assert out[2].place.country == "PK"
    # a big city abroad, named as written, is what the story means
    city = _named("Garai", _place("Garai", "RO", 47.0, 26.0, population=900_000), start=40)
    assert home_villages([pakistan, kohat, city], villages)[2].place.country == "RO"


def test_a_district_named_bare_is_its_town_when_the_data_puts_the_district_at_the_town():
    def district(name):
        return Place(
            name=name,
            lat=33.20,
            lon=70.50,
            country="PK",
            precision="admin2",
            admin1="Khyber Pakhtunkhwa",
        )

    def village(name, lat, lon, kind="name"):
        place = replace(district(name), lat=lat, lon=lon, precision="place", admin2=None)
        return Candidate(place, name.lower(), True, kind, 1.0)

    towns = {
        "Mirwali": (village("Mirwali", 33.2004, 70.5003),),  # at the district's point
        "Dabgari": (village("Dabgari", 33.45, 70.90),),  # a hamlet elsewhere in the district
        "Tanbo": (village("Tanbo", 33.20, 70.50, kind="alt"),),  # only another name of it
    }

    def villages(name, countries):
        return towns.get(name, ()) if "PK" in countries else ()

    said = [_named(name, district(name), start=20 * i) for i, name in enumerate(towns)]
    out = district_towns(said, villages)
    assert [m.place.precision for m in out] == ["place", "admin2", "admin2"]
    assert out[0].place.lat == 33.2004
    # "Mirwali district" is the district
    typed = replace(said[0], end=said[0].end + 9, hint="district")
    assert district_towns([typed], villages)[0].place.precision == "admin2"


def test_place_villages_leaves_an_unknown_name_alone_when_no_village_has_it():
    pakistan = _named("Pakistan", _place("Pakistan", "PK", 30, 70, precision="country"))
    unknown = Mention("Nowhere", 30, 37, kind=MentionKind.UNKNOWN)
    out = place_villages([unknown], [pakistan], lambda name, countries: ())
    assert out == [unknown]


def test_a_malformed_village_row_is_reported_with_its_row(tmp_path):
    from mapper.errors import GazetteerError

    table = tmp_path / "villages.tsv.xz"
    with lzma.open(table, "wt", encoding="utf-8") as out:
        out.write(HEADER + "910009\tBadrow\tnorth\t71.0\tPK\tPPL\t0\t\n")
    with pytest.raises(GazetteerError, match="row 2"):
        Gazetteer(tmp_path, packages=False, tables=SMALL_TABLES, villages=table)


def test_stats_count_the_village_layer_apart_from_the_main_index(village_gazetteer):
    stats = village_gazetteer.stats()
    assert stats["villages"] == {"PK": 9, "RU": 1}
    assert SOURCE.split()[0] not in stats["source"]  # not counted with the main index
