"""Tolls read from one clause of text written here."""

import pytest

from mapper.events.tolls import INJURE, KILL, casualties, victim_groups
from mapper.text.counts import people_counts


def toll(text, verb=KILL):
    found = casualties(text, 0, len(text), people_counts(text, []), verb)
    return None if found is None else found.best


@pytest.mark.parametrize(
    ("text", "dead", "injured"),
    [
        ("Gunmen killed 12 people and wounded 20", 12, 20),
        ("eight militants were killed", 8, None),
        ("two soldiers and three militants were killed", 5, None),
        ("nine people, including three women, were killed", 9, None),
        ("A police officer was killed", 1, None),
        ("A U.N. peacekeeper was also killed", 1, None),
        ("killing four pilgrims and wounding many more", 4, None),
        ("leaving three people dead and four more wounded", 3, 4),
        ("five more bodies were found", None, None),
        ("three constables were gunned down", 3, None),
        # one victim named beside a count
        ("Militants killed a policeman and two farmers", 3, None),
        ("a soldier and three civilians were killed", 4, None),
        ("killed two farmers and a policeman", 3, None),
        # a crowd counted in the main clause, the dead in a relative clause about a place
        (
            "up to 300 mourners gathered at the mosque, where the bodies of those killed lay",
            None,
            None,
        ),
        # a weight is no toll: the bomber is killed, uncounted
        ("the bomber, who was carrying three to five kg of explosives, was killed", None, None),
        # a subject whose noun phrase runs long: its count is still the toll
        (
            "At least two senior commanders from the Islamist militant group of the northern"
            " hills have been killed",
            2,
            None,
        ),
        # as long a reach over another clause is not a subject: its count is not the toll
        (
            "Police arrested 12 suspects in raids across the district on Monday after a local"
            " teacher was killed",
            1,
            None,
        ),
    ],
)
def test_dead_and_injured(text, dead, injured):
    assert (toll(text), toll(text, INJURE)) == (dead, injured)


def test_whom_a_toll_counts():
    text = "Five soldiers and two villagers had been killed"
    counted = casualties(text, 0, len(text), people_counts(text, []), KILL)
    assert counted.best == 7
    assert victim_groups(text, counted) == {"security", "civilian"}
    people = "Ten people were killed"
    assert (
        victim_groups(people, casualties(people, 0, 22, people_counts(people, []), KILL)) == set()
    )
