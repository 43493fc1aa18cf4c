import pytest

from mapper.text.counts import COUNT, parse_count


def counts(text):
    return [(c.best, c.low, c.high) for c in (parse_count(m) for m in COUNT.finditer(text)) if c]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eight", (8, 8, 8)),
        ("12", (12, 12, 12)),
        ("1,200", (1200, 1200, 1200)),
        ("twenty-one", (21, 21, 21)),
        ("at least 13", (13, 13, None)),
        ("more than 40", (40, 40, None)),
        ("no fewer than 13", (13, 13, None)),
        ("upwards of 30", (30, 30, None)),
        ("10 to 15", (10, 10, 15)),
        ("between 20 and 30", (20, 20, 30)),
        ("nearly 200", (200, 180, 200)),
        ("dozens", (24, 24, 99)),
        ("a dozen", (12, 12, 12)),
        ("several", (3, 3, 9)),
        ("two hundred", (200, 200, 200)),
        ("tens of thousands", (20000, 20000, 99999)),
    ],
)
def test_counts(text, expected):
    assert counts(text) == [expected]


def test_counts_add_up_and_span_both_parts():
    two, three = (parse_count(m) for m in COUNT.finditer("two soldiers and three civilians"))
    total = two.plus(three)
    assert (total.best, total.low, total.high, total.start, total.end) == (5, 5, 5, 0, 22)


def test_more_people_are_people_but_more_bodies_an_increment():
    from mapper.text.counts import people_counts

    def best(text):
        return [c.best for c in people_counts(text, [])]

    assert best("they killed 10 more people in Sarkano") == [10]
    assert best("rescuers found five more bodies") == []
