"""Whatever bytes or text arrive, ingest and extraction report or process them; they never crash."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.errors import ArticleError, InputFormatError
from mapper.ingest import read_article

from .conftest import article

PIECES = [
    *string.ascii_letters,
    *string.digits,
    *" ,.;:-'\"()\n—’",
    "Kabul",
    " killed ",
    " in ",
    " on Monday",
    " Quetta",
    " dozens ",
    "Oct. 9",
    " at least ",
    "Pakistani",
    "<script>",
    "{{",
    "${",
]
NEWSY = st.lists(st.sampled_from(PIECES), max_size=200).map("".join)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused_with_a_reason(tmp_path, raw):
    path = tmp_path / "any.txt"
    path.write_bytes(raw)
    try:
        a = read_article(path)
    except (ArticleError, InputFormatError) as exc:
        assert str(path) in str(exc)
    else:
        assert a.text.strip()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(NEWSY, st.text(max_size=400)))
def test_any_text_goes_through_extraction(small_pipeline, text):
    if not text.strip():
        return
    for e in small_pipeline.extract(article(text)).events:
        assert e.evidence and text[e.start : e.end] == e.evidence
