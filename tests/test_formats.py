"""Web pages, JSON lines and RSS/Atom feeds as input, each written here."""

import datetime as dt

from mapper.ingest import read_file

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
