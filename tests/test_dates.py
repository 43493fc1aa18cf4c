import datetime as dt

import pytest

from mapper.text.dates import find_dates

PUB = dt.date(2025, 11, 13)  # a Thursday


def only(text, published=PUB):
    found = find_dates(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("killed on Tuesday", "2025-11-11", "day"),
        ("killed Thursday", "2025-11-13", "day"),
        ("killed last Friday", "2025-11-07", "day"),
        ("a blast on Oct. 9", "2025-10-09", "day"),
        ("a blast on October 9, 2024", "2024-10-09", "day"),
        ("a blast on 9 October", "2025-10-09", "day"),
        ("on Dec. 30 troops", "2024-12-30", "day"),
        ("began last month", "2025-10", "month"),
        ("earlier this month", "2025-11", "month"),
        ("over the weekend", "2025-11-08", "week"),
        ("yesterday", "2025-11-12", "day"),
        ("three days ago", "2025-11-10", "day"),
        ("In 2022, a truce", "2022", "year"),
        ("in March", "2025-03", "month"),
        ("last year", "2024", "year"),
        ("earlier this year", "2025", "year"),
        ("on 2025-11-01", "2025-11-01", "day"),
    ],
)
def test_resolved_against_publication(text, iso, precision):
    d = only(text)
    assert (d.value.iso(), d.value.precision) == (iso, precision)


def test_december_date_in_january_story_is_last_year():
    assert only("on Dec. 30", dt.date(2026, 1, 3)).value.iso() == "2025-12-30"


def test_reporting_days_are_flagged():
    d = only("the military said Monday")
    assert d.reporting
    assert not only("were killed Monday in").reporting


def test_without_publication_date_relative_dates_stay_unresolved():
    assert only("on Tuesday", None).value is None
    assert only("on Oct. 9", None).value is None
    assert only("on October 9, 2024", None).value.iso() == "2024-10-09"


def test_impossible_dates_are_not_guessed():
    assert only("on Feb. 30").value is None


def test_the_day_of_a_dateline_is_the_day_the_story_was_filed():
    assert only("QUETTA, Pakistan, Nov. 9 (AFP) -- Six soldiers were killed").reporting


def test_the_day_before_a_claim_verb_is_a_reporting_day():
    assert only("the group on Tuesday claimed the attack").reporting


def test_overnight_is_the_night_ending_on_publication_day():
    d = only("killed overnight in")
    assert (d.value.iso(), d.value.precision) == ("2025-11-13", "day")


def test_days_counted_from_another_event_carry_an_offset():
    assert (only("A day before, gunmen").offset, only("the next day").offset) == (-1, 1)
    assert only("the previous day").value is None


def test_overnight_before_a_weekday_is_that_night():
    assert only("clashes overnight Saturday").value.iso() == "2025-11-08"


def test_the_day_a_list_or_statement_was_put_out_is_a_reporting_day():
    assert only("a rights group released the names on Tuesday of 12 victims").reporting
    assert only("the army released a statement on Monday").reporting


@pytest.mark.parametrize("text", ["rockets hit the 14 July hospital", "crowds on 6 October Bridge"])
def test_a_place_named_after_a_date_holds_no_date(text):
    assert find_dates(text, PUB) == []
