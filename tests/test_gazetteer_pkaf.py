"""Names that reporting on Pakistan and Afghanistan uses resolve to the right place.

``tests/data/pk_af_names.tsv`` (written for this project) lists each name with the place an
analyst expects. Each name is resolved as it would be in a story about the region: inside a
sentence that also names Pakistan and Afghanistan, through recognition and resolution (a name
the main index lacks is looked up among the villages of the story's countries).
"""

import csv
from pathlib import Path

import pytest

from mapper.pipeline import Pipeline
from mapper.text.names import fold

DATA = Path(__file__).parent / "data" / "pk_af_names.tsv"
TARGET = 0.98


def rows():
    lines = [
        line
        for line in DATA.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    return list(csv.DictReader(lines, delimiter="\t"))


def resolve_in_context(name, gazetteer):
    prefix = "Officials in Pakistan and Afghanistan said clashes broke out in "
    text = f"{prefix}{name} on Monday."
    start, end = len(prefix), len(prefix) + len(name)
    mentions = Pipeline(gazetteer).geoparse(text)  # the village layer included
    inside = [m for m in mentions if start <= m.start and m.end <= end and m.place]
    return max(inside, key=lambda m: m.end - m.start).place if inside else None


def same_admin1(expected, got, country, gazetteer):
    if not expected:
        return True
    if got and fold(expected) == fold(got):
        return True
    # The data may spell the province differently ("Azad Kashmir"): compare the areas.
    areas = [
        p for p in gazetteer.lookup(expected, country=country, limit=20) if p.precision == "admin1"
    ]
    return bool(got) and any(fold(a.name) == fold(got) for a in areas)


def check(row, gazetteer):
    place = resolve_in_context(row["name"], gazetteer)
    if place is None:
        return "not found"
    if place.country != row["country"]:
        return f"country {place.country} ({place.name})"
    if place.precision != row["precision"]:
        return f"precision {place.precision} ({place.name})"
    want_admin1 = row["admin1"] if row["precision"] not in ("admin1", "country") else ""
    if not same_admin1(want_admin1, place.admin1, row["country"], gazetteer):
        return f"admin1 {place.admin1} ({place.name})"
    return None


def test_pk_af_names_resolve_to_the_right_place_first(gazetteer):
    data = rows()
    assert len(data) >= 150
    misses = [(r["name"], problem) for r in data if (problem := check(r, gazetteer))]
    accuracy = 1 - len(misses) / len(data)
    report = "\n".join(f"  {name}: {problem}" for name, problem in misses)
    print(f"\n{len(data)} names, accuracy {accuracy:.3f}; misses:\n{report}")
    assert accuracy >= TARGET, report


@pytest.mark.parametrize("name", ["Kabul", "Peshawar", "North Waziristan", "Dara Adam Khel"])
def test_core_names(gazetteer, name):
    row = next(r for r in rows() if r["name"] == name)
    assert check(row, gazetteer) is None
