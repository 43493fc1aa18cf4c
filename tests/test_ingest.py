import datetime as dt
import json

import pytest

from mapper.errors import ArticleError, InputFormatError
from mapper.ingest import (
    MAX_BYTES,
    article_from_json,
    file_key,
    iter_jsonl,
    list_files,
    parse_dateline,
    read_article,
)

from .conftest import SEED, read_folder


def test_seed_reads_with_sidecar_metadata():
    a = read_article(SEED)
    assert a.published == dt.date(2025, 11, 10)
    assert a.source == "AP"
    assert a.dateline in ("ISLAMABAD", "Islamabad")
    assert len(a.id) == 16 and a.text.startswith("ISLAMABAD (AP)")


def test_article_id_is_content_hash(tmp_path):
    (tmp_path / "a.txt").write_text("Clashes in Kabul killed two.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Clashes in Kabul killed two.", encoding="utf-8")
    assert read_article(tmp_path / "a.txt").id == read_article(tmp_path / "b.txt").id


@pytest.mark.parametrize(
    ("text", "place", "agency"),
    [
        ("ISLAMABAD (AP) — Troops killed ...", "Islamabad", "AP"),
        ("KABUL, Afghanistan (Reuters) - A blast ...", "Kabul", "Reuters"),
        ("PESHAWAR, Pakistan, Nov 9 (AFP) -- Police said ...", "Peshawar", "AFP"),
        ("Pakistani security forces — said ...", None, None),
        ("No dateline here.", None, None),
        # after a headline, at the start of the story
        ("Clashes kill six near border\n\nQUETTA, Pakistan (AFP) -- Six were ...", "Quetta", "AFP"),
        # a headline that is a sentence of the story is none
        ("Six were killed.\nQUETTA (AFP) -- Six were ...", None, None),
    ],
)
def test_parse_dateline(text, place, agency):
    assert parse_dateline(text) == (place, agency)


def test_front_matter_metadata(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(
        "---\ntitle: Raid\nurl: https://example.org/x\npublished: 2025-01-02\nsource: Wire\n---\n"
        "KABUL (Wire) — Two people were killed.\n",
        encoding="utf-8",
    )
    a = read_article(path)
    assert (a.title, a.url, a.source, a.published) == (
        "Raid",
        "https://example.org/x",
        "Wire",
        dt.date(2025, 1, 2),
    )
    assert a.text.startswith("KABUL")


def test_bad_published_date_names_file_and_value(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("Text.", encoding="utf-8")
    (tmp_path / "s.meta.json").write_text(
        json.dumps({"published": "last Tuesday"}), encoding="utf-8"
    )
    with pytest.raises(InputFormatError, match=r"s\.txt.*ISO date.*last Tuesday"):
        read_article(path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t", "empty"),
        (b"\x00\x01\x02binary", "binary"),
    ],
)
def test_bad_files_raise_with_path_and_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=reason) as info:
        read_article(path)
    assert info.value.path == str(path)


def test_huge_file_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(ArticleError, match="too large"):
        read_article(path)


def test_read_folder_reports_problems_and_keeps_good_articles(tmp_path):
    (tmp_path / "good.txt").write_text("Clashes in Kabul killed two.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "good.meta.json").write_text("{}", encoding="utf-8")
    articles, problems = read_folder(tmp_path)
    assert [a.path for a in articles] == [str(tmp_path / "good.txt")]
    assert sorted((p.path.rsplit("/", 1)[-1], p.reason.split(" ")[0]) for p in problems) == [
        ("empty.txt", "empty"),
        ("photo.jpg", "unsupported"),
    ]


def test_jsonl_records_and_errors():
    lines = ['{"id": 1, "text": "a"}', "", "[1]"]
    it = iter_jsonl(lines, name="in.jsonl")
    assert next(it) == ("in.jsonl, line 1", {"id": 1, "text": "a"})
    with pytest.raises(InputFormatError, match="line 3: expected a JSON object, got list"):
        next(it)


def test_article_from_json_requires_text():
    with pytest.raises(InputFormatError, match="'text'"):
        article_from_json({"id": "x"}, where="w")
    a = article_from_json({"id": "x", "text": "Hello", "published": "2025-11-10"}, where="w")
    assert a.id == "x" and a.published == dt.date(2025, 11, 10)


def test_text_that_is_not_utf8_is_read_as_windows_1252_and_flagged(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Gunmen attacked a caf\xe9 in Quetta on Monday.".encode("cp1252"))
    a = read_article(path)
    assert "café" in a.text
    assert len(a.warnings) == 1 and "not valid UTF-8" in a.warnings[0]
    articles, problems = read_folder(tmp_path)
    assert [(p.skipped, "Windows-1252" in p.reason) for p in problems] == [(False, True)]
    assert len(articles) == 1


def test_an_article_not_in_english_is_reported_not_guessed_at(tmp_path):
    path = tmp_path / "fr.txt"
    path.write_text(
        "Des hommes armés ont tué quatre policiers mardi dans la ville de Quetta, selon les "
        "autorités locales. Les forces de sécurité ont bouclé le quartier et lancé une opération "
        "pour retrouver les assaillants, qui ont pris la fuite à moto vers les montagnes voisines.",
        encoding="utf-8",
    )
    with pytest.raises(ArticleError, match="not English"):
        read_article(path)


def test_a_folder_is_listed_in_path_order_with_keys_that_change_with_the_sidecar(tmp_path):
    names = ["b.txt", "a-c.txt", "a/b.txt", "a/z/y.html", "x.", ".hidden.txt", "n.meta.json"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("Clashes in Kabul killed two.", encoding="utf-8")
    listing = list_files(tmp_path)
    # Path order: "a/b.txt" (the folder "a") comes before "a-c.txt".
    assert listing.paths == [
        str(tmp_path / n) for n in ("a/b.txt", "a/z/y.html", "a-c.txt", "b.txt")
    ]
    assert [p.path for p in listing.problems] == [str(tmp_path / "x.")]
    assert "'(none)'" in listing.problems[0].reason
    assert listing.keys == {p: file_key(p) for p in listing.paths}
    before = listing.keys[str(tmp_path / "b.txt")]
    (tmp_path / "b.meta.json").write_text('{"published": "2025-11-10"}', encoding="utf-8")
    assert list_files(tmp_path).keys[str(tmp_path / "b.txt")] != before
