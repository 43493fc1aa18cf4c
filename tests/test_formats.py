"""Web pages, JSON lines, Parquet tables and RSS/Atom feeds as input, each written here."""

import datetime as dt
import json
import sys

import pytest

from mapper.ingest import MAX_BYTES, read_file

from .conftest import read_folder

PAGE = """<html><head><title>Blast kills 9 in Quetta</title>
<meta property="article:published_time" content="2025-11-12T08:00:00Z">
<link rel="canonical" href="https://news.example/quetta"></head>
<body><nav>Home | World | Sport</nav><article><h1>Blast kills 9 in Quetta</h1>
<p>QUETTA, Pakistan (AP) — A bomb killed nine people at a market in Quetta on Tuesday,
police said.</p>
<p>Officials said the attack was the deadliest this month in the city.</p></article>
<footer>Copyright and cookie notice</footer></body></html>"""

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Frontier Wire</title>
<item><title>Clash in Bannu</title><link>https://wire.example/1</link>
<pubDate>Tue, 11 Nov 2025 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Militants killed three soldiers in Bannu on Monday, the army
said.&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://wire.example/2</link><description></description></item>
</channel></rss>"""


def test_a_web_page_gives_its_main_text_and_metadata(tmp_path):
    path = tmp_path / "story.html"
    path.write_text(PAGE, encoding="utf-8")
    (article,), problems = read_file(path)
    assert problems == []
    assert "nine people at a market in Quetta" in article.text
    assert "cookie" not in article.text and "Sport" not in article.text
    assert (article.title, article.url, article.published) == (
        "Blast kills 9 in Quetta",
        "https://news.example/quetta",
        dt.date(2025, 11, 12),
    )


def test_json_lines_give_one_article_a_line_and_report_bad_lines(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        '{"id": "x1", "text": "Gunmen killed two policemen in Quetta on Monday.",'
        ' "published": "2025-11-11"}\n'
        "not json\n"
        '{"id": "x2", "text": "Protesters marched in Peshawar on Sunday.", "source": "Wire"}\n'
        '{"id": "x3"}\n',
        encoding="utf-8",
    )
    articles, problems = read_file(path)
    assert [a.id for a in articles] == ["x1", "x2"]
    assert articles[0].path.endswith("batch.jsonl#1")
    assert [p.path.rsplit(",", 1)[-1].strip() for p in problems] == ["line 2", "line 4"]


def test_a_feed_gives_an_article_an_entry(tmp_path):
    path = tmp_path / "wire.rss"
    path.write_text(FEED, encoding="utf-8")
    articles, problems = read_file(path)
    assert len(articles) == 1 and len(problems) == 1  # the empty entry is reported
    (a,) = articles
    assert a.text.startswith("Militants killed three soldiers in Bannu")
    assert (a.source, a.url, a.published) == (
        "Frontier Wire",
        "https://wire.example/1",
        dt.date(2025, 11, 11),
    )


def test_a_broken_feed_is_reported_with_its_path(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("<rss><channel><item>", encoding="utf-8")
    articles, problems = read_file(path)
    assert articles == [] and problems and str(path) in problems[0].path


def test_every_format_in_one_build(pipeline, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.html").write_text(PAGE, encoding="utf-8")
    (seeds / "b.rss").write_text(FEED, encoding="utf-8")
    (seeds / "c.jsonl").write_text(
        '{"text": "A roadside bomb killed four soldiers in Kohat on Friday.",'
        ' "published": "2025-11-14"}\n',
        encoding="utf-8",
    )
    result = pipeline.build(seeds, tmp_path / "out")
    assert {e.location for e in result.events} >= {"Quetta", "Bannu", "Kohat"}
    again = pipeline.build(seeds, tmp_path / "out")
    assert again.read == 0 and len(again.events) == len(result.events)
    assert len(read_folder(seeds)[0]) == 3


def test_a_shard_of_json_lines_larger_than_an_article_is_read_a_line_at_a_time(tmp_path):
    path = tmp_path / "shard.jsonl"
    story = "Gunmen killed {n} people in Kohat on Monday, police said. " + (
        "Officials said it was the deadliest attack in the town this month. " * 60
    )
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "long", "text": "x" * (MAX_BYTES + 10)}) + "\n")
        for n in range(1_500):  # over 6 MB in all: more than one article may be
            handle.write(json.dumps({"id": f"s{n}", "text": story.format(n=n)}) + "\n")
    assert path.stat().st_size > MAX_BYTES
    articles, problems = read_file(path)
    assert len(articles) == 1_500 and articles[-1].path.endswith("shard.jsonl#1501")
    assert [(p.path.rsplit(",", 1)[-1].strip(), p.reason.split(" (")[0]) for p in problems] == [
        ("line 1", "too large")
    ]


def test_a_parquet_table_gives_an_article_a_row_and_reports_bad_rows(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "wire.parquet"
    table = pa.table(
        {
            "id": ["p1", "p2", "p3"],
            "text": [
                "A roadside bomb killed four soldiers in Kohat on Friday.",
                None,
                "Protesters marched in Karak on Sunday.",
            ],
            "published": [dt.date(2025, 11, 14), dt.date(2025, 11, 15), None],
            "source": ["Frontier Wire", "Frontier Wire", None],
            "pages": [3, 4, 5],  # a column mapper does not use
        }
    )
    pq.write_table(table, path, row_group_size=2)
    articles, problems = read_file(path)
    assert [a.id for a in articles] == ["p1", "p3"]
    assert (articles[0].published, articles[0].source) == (dt.date(2025, 11, 14), "Frontier Wire")
    assert articles[1].path.endswith("wire.parquet#3")
    assert [p.path.rsplit(",", 1)[-1].strip() for p in problems] == ["row 2"]
    assert "expected a string field 'text'" in problems[0].reason


def test_a_parquet_table_without_text_or_not_parquet_is_reported_with_what_was_found(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"body": ["Clashes in Kohat."]}), tmp_path / "other.parquet")
    (tmp_path / "fake.parquet").write_bytes(b"not a table at all")
    (tmp_path / "good.txt").write_text("Clashes in Kohat killed two.", encoding="utf-8")
    articles, problems = read_folder(tmp_path)
    assert [a.path.rsplit("/", 1)[-1] for a in articles] == ["good.txt"]
    reasons = {p.path.rsplit("/", 1)[-1]: p.reason for p in problems}
    assert "expected a column 'text', found body" in reasons["other.parquet"]
    assert "not a readable Parquet table" in reasons["fake.parquet"]


def test_a_parquet_table_without_pyarrow_says_what_to_install(tmp_path, monkeypatch):
    (tmp_path / "wire.parquet").write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    articles, problems = read_file(tmp_path / "wire.parquet")
    assert articles == [] and 'pip install "mapper[parquet]"' in problems[0].reason


def test_one_file_of_articles_is_a_build_s_input(pipeline, tmp_path):
    shard = tmp_path / "wire.jsonl"
    shard.write_text(
        '{"id": "a", "text": "Gunmen killed four people in Kohat on Monday."}\n'
        '{"id": "b", "text": "A roadside bomb killed two soldiers near Hangu on Friday."}\n',
        encoding="utf-8",
    )
    result = pipeline.build(shard, tmp_path / "out")
    assert result.read == 2 and {e.location for e in result.events} == {"Kohat", "Hangu"}
    assert pipeline.build(shard, tmp_path / "out").read == 0
