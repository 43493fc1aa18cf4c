"""GazetteerGeocoder honours geopy's contract; the online fallback is tested with a fake adapter."""

import typing

import geopandas
import pytest
from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderQueryError
from geopy.geocoders import Nominatim
from geopy.location import Location

from mapper.gazetteer import Gazetteer, GazetteerGeocoder

HEADER = (
    "name\talt_names\tlat\tlon\tcountry\tadmin1\tadmin2\tfeature\tprecision\tpopulation\tsource\n"
)


@pytest.fixture(scope="module")
def coder(gazetteer):
    return GazetteerGeocoder(gazetteer=gazetteer)


def test_exactly_one_gives_a_location_with_the_record_as_raw(coder):
    loc = coder.geocode("Kabul", country="AF")
    assert isinstance(loc, Location)
    assert abs(loc.latitude - 34.53) < 0.1 and abs(loc.longitude - 69.17) < 0.1
    assert loc.raw["country"] == "AF" and loc.raw["precision"] == "place" and loc.raw["geonameid"]
    address, (lat, lon) = loc  # geopy Locations unpack
    assert address.startswith("Kabul") and (lat, lon) == (loc.latitude, loc.longitude)


def test_list_and_limit(coder):
    found = coder.geocode("Hyderabad", exactly_one=False, limit=3)
    assert isinstance(found, list) and 1 < len(found) <= 3
    assert all(isinstance(x, Location) for x in found)


def test_a_miss_is_none_never_an_empty_list(coder):
    assert coder.geocode("Qwxzvillezzz") is None
    assert coder.geocode("Qwxzvillezzz", exactly_one=False) is None


def test_bad_queries_raise_geopy_errors(coder):
    with pytest.raises(GeocoderQueryError, match="non-empty string"):
        coder.geocode("  ")
    with pytest.raises(GeocoderQueryError, match="positive integer"):
        coder.geocode("Kabul", exactly_one=False, limit=0)


def test_fuzzy_match_score_is_exposed(coder):
    loc = coder.geocode("Peshwar", country="PK")
    assert loc.raw["name"] == "Peshawar" and 85 <= loc.raw["match"] < 100


def test_usable_as_a_context_manager(gazetteer):
    with GazetteerGeocoder(gazetteer=gazetteer) as g:
        assert g.geocode("Quetta").raw["country"] == "PK"


def test_geopandas_geocode_with_our_provider(gazetteer):
    frame = geopandas.tools.geocode(
        ["Kabul", "North Waziristan", "Qwxzvillezzz"],
        provider=GazetteerGeocoder,
        gazetteer=gazetteer,
    )
    assert frame.crs.to_epsg() == 4326
    assert abs(frame.geometry.iloc[0].x - 69.17) < 0.1  # lon first in shapely
    assert frame.address.iloc[1].startswith("North Waz")
    assert frame.geometry.iloc[2].is_empty and frame.address.isna().iloc[2]


class FakeNominatimAdapter(BaseSyncAdapter):
    """Answers like Nominatim would, and records each call; nothing leaves the machine."""

    calls: typing.ClassVar[list] = []

    def get_json(self, url, *, timeout, headers):
        FakeNominatimAdapter.calls.append(url)
        if "Kot+Azam" in url or "Kot%20Azam" in url:
            return [
                {
                    "lat": "32.0001",
                    "lon": "70.5002",
                    "display_name": "Kot Azam, Tank, Khyber Pakhtunkhwa, Pakistan",
                    "addresstype": "village",
                    "address": {"country_code": "pk", "state": "Khyber Pakhtunkhwa"},
                }
            ]
        return []

    def get_text(self, url, *, timeout, headers):  # pragma: no cover - Nominatim uses JSON
        raise AssertionError("unexpected text request")


def test_online_fallback_is_opt_in_cached_and_stored_with_its_source(tmp_path):
    (tmp_path / "curated.tsv").write_text(HEADER, encoding="utf-8")
    gazetteer = Gazetteer(tmp_path, packages=False, tables=tmp_path)
    offline = GazetteerGeocoder(gazetteer=gazetteer)
    assert offline.geocode("Kot Azam") is None  # off by default

    FakeNominatimAdapter.calls = []
    nominatim = Nominatim(user_agent="mapper-tests", adapter_factory=FakeNominatimAdapter)
    coder = GazetteerGeocoder(gazetteer=gazetteer, online=nominatim, min_delay_seconds=0)
    loc = coder.geocode("Kot Azam", country="PK")
    assert (round(loc.latitude, 4), loc.raw["country"], loc.raw["precision"]) == (
        32.0001,
        "PK",
        "place",
    )
    assert loc.raw["source"].startswith("online: Nominatim: Kot Azam")
    assert coder.geocode("Kot Azam", country="PK") is not None
    assert coder.geocode("Nowhere Atall", country="PK") is None
    assert coder.geocode("Nowhere Atall", country="PK") is None
    assert len(FakeNominatimAdapter.calls) == 2  # each name asked once, hits and misses cached

    # Later, offline: the answer is a gazetteer entry of its own source.
    again = Gazetteer(tmp_path, packages=False, tables=tmp_path)
    assert again.lookup("Kot Azam")[0].source.startswith("online: Nominatim")


def test_online_by_name_needs_a_user_agent(gazetteer, monkeypatch):
    monkeypatch.delenv("MAPPER_USER_AGENT", raising=False)
    with pytest.raises(GeocoderQueryError, match="user agent"):
        GazetteerGeocoder(gazetteer=gazetteer, online="nominatim")
