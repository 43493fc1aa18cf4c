from mapper.geoparse.borders import basemap, border_pair, shared_border


def pair(evidence, *, country="PK", precision=4, actors=(), others=()):
    return border_pair(
        evidence=evidence,
        country=country,
        geo_precision=precision,
        actors=actors,
        article_countries=others,
    )


def test_a_country_level_event_on_the_border_names_the_neighbour_in_its_sentence():
    assert pair("Clashes on the Afghan border killed six soldiers.") == ("PK", "AF")
    assert pair("Troops fought Indian forces across the frontier.") == ("PK", "IN")


def test_the_neighbour_may_come_from_the_actors_or_the_article_s_other_events():
    sentence = "Border clashes killed dozens on both sides."
    assert pair(sentence, actors=["Military Forces of Afghanistan"]) == ("PK", "AF")
    # Turkey is no neighbour of Pakistan; Afghanistan, where the article's other event is, is.
    assert pair(sentence, others=["TR", "AF", "PK"]) == ("PK", "AF")
    # Two neighbours and nothing to choose between them: no border drawn.
    assert pair(sentence, others=["AF", "IN"]) is None


def test_not_a_border_event():
    assert pair("Clashes in the north killed six.", others=["AF"]) is None  # no border word
    assert pair("A border post came under fire.", precision=1, others=["AF"]) is None  # a town
    # An event known to its province stays there, however close to the border it was.
    assert pair("Clashes near the border in Balochistan.", precision=3, others=["AF"]) is None
    assert pair("Qatar brokered talks after border clashes.", others=[]) is None  # no neighbour


def test_neighbours_share_a_line_and_others_do_not():
    (path,) = shared_border("AF", "PK")
    assert len(path) > 10
    assert shared_border("PK", "TR") == ()
    assert shared_border("PK", "XX") == ()


def test_the_basemap_has_every_country_outline():
    assert len(basemap()["features"]) > 150


def test_a_border_event_is_put_on_the_middle_of_the_shared_line():
    from mapper.geoparse.borders import on_borders

    from .conftest import event

    clash = event(
        evidence="Border clashes killed 9 soldiers, Afghan officials said.",
        location="Pakistan",
        country="PK",
        geo_precision=4,
        location_source="country",
    )
    town = event(
        evidence="A border post in Chaman was shelled.",
        location="Chaman",
        country="PK",
        geo_precision=1,
    )
    moved, kept = on_borders([clash, town])
    assert moved.location == "Afghanistan–Pakistan border" and moved.geo_precision == 3
    (path,) = shared_border("AF", "PK")
    # The point lies on the shared line, not at a country's centre.
    assert min(abs(moved.latitude - lat) + abs(moved.longitude - lon) for lat, lon in path) < 0.5
    assert kept == town  # an event at a named town stays there
