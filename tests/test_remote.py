"""Articles at a URL (fsspec): listed, read and rebuilt as a local folder is. The stores here are
fsspec's in-memory file system and one made here whose reads fail mid-way; S3 and GCS go
through the same calls with their own back ends."""

from __future__ import annotations

import io
import json
import uuid

import fsspec
import pytest
from fsspec.implementations.memory import MemoryFileSystem

from mapper.cli import main
from mapper.errors import InputFormatError
from mapper.ingest import MAX_BYTES, file_key, list_files, read_file
from mapper.ingest.remote import is_url
from mapper.pipeline.distribute import BATCH

from .conftest import ROOT

STORIES = {
    "kohat.txt": "Gunmen killed five policemen in Kohat on Tuesday, officials said.",
    "hangu.txt": "A roadside bomb killed three soldiers near Hangu on Monday, police said.",
    "sub/karak.txt": "Security forces killed six militants in a raid in Karak on Friday.",
}


@pytest.fixture
def bucket():
    """A fresh folder of articles in fsspec's memory file system, and its URL."""
    fs = fsspec.filesystem("memory")
    root = f"/news-{uuid.uuid4().hex}"
    for name, text in STORIES.items():
        fs.pipe_file(f"{root}/{name}", text.encode())
        meta = {"published": "2025-11-14", "source": "Valley Wire"}
        fs.pipe_file(f"{root}/{name[:-4]}.meta.json", json.dumps(meta).encode())
    fs.pipe_file(f"{root}/.cache/old.txt", b"Gunmen killed two people in Chitral on Monday.")
    fs.pipe_file(f"{root}/notes.pdf", b"%PDF-1.4")
    yield fs, root, f"memory://{root}"
    fs.rm(root, recursive=True)


def test_a_folder_at_a_url_is_listed_as_a_local_one(bucket):
    fs, root, url = bucket
    listing = list_files(url)
    names = [p.rsplit("/", 1)[-1] for p in listing.paths]
    assert names == ["hangu.txt", "kohat.txt", "karak.txt"]  # in path order, hidden left out
    assert all(is_url(p) and p in listing.keys for p in listing.paths)
    (problem,) = listing.problems
    assert problem.path.endswith("notes.pdf") and "unsupported file type '.pdf'" in problem.reason
    # a key is the file's state, its sidecar's included, and is what file_key gives later
    assert all(listing.keys[p] == file_key(p) for p in listing.paths)
    fs.pipe_file(f"{root}/kohat.meta.json", b'{"published": "2025-11-15"}')
    changed = list_files(url).keys
    assert [p for p in listing.paths if changed[p] != listing.keys[p]] == [
        p for p in listing.paths if p.endswith("kohat.txt")
    ]


def test_an_article_at_a_url_is_read_with_its_sidecar(bucket):
    url = bucket[2]
    (article,), problems = read_file(f"{url}/kohat.txt")
    assert problems == [] and article.path == f"{url}/kohat.txt"
    assert (str(article.published), article.source) == ("2025-11-14", "Valley Wire")


def test_a_file_at_a_url_larger_than_an_article_is_reported_not_read(bucket):
    fs, root, url = bucket
    fs.pipe_file(f"{root}/huge.txt", b"Gunmen killed two people in Kohat. " * 150_000)
    articles, (problem,) = read_file(f"{url}/huge.txt")
    assert articles == [] and problem.path == f"{url}/huge.txt"
    assert problem.reason == f"too large (5,250,000 bytes; the limit is {MAX_BYTES:,})"


def test_a_build_from_a_url_is_incremental(pipeline, bucket, tmp_path):
    fs, root, url = bucket
    out = tmp_path / "out"
    first = pipeline.build(url, out)
    assert first.read == 3 and {e.location for e in first.events} == {"Kohat", "Hangu", "Karak"}
    assert any(p.path.endswith("notes.pdf") for p in first.problems)
    assert pipeline.build(url, out).read == 0
    fs.pipe_file(f"{root}/hangu.txt", b"Gunmen killed two people in Charsadda on Sunday.")
    fs.rm(f"{root}/sub/karak.txt")
    again = pipeline.build(url, out)
    assert again.read == 1 and {e.location for e in again.events} == {"Kohat", "Charsadda"}
    fresh = tmp_path / "fresh"
    pipeline.build(url, fresh)
    for name in ("events.csv", "events.geojson", "map.html"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes()


def test_shards_by_a_glob_and_a_parquet_table_at_a_url(pipeline, bucket, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    fs, root, url = bucket
    for shard, town in enumerate(("Nowshera", "Chitral")):
        line = {"id": f"s{shard}", "text": f"Gunmen killed four people in {town} on Monday."}
        fs.pipe_file(f"{root}/wire/{shard}.jsonl", (json.dumps(line) + "\n").encode())
    shards = pipeline.build(f"{url}/wire/*.jsonl", tmp_path / "shards")
    assert shards.read == 2 and {e.location for e in shards.events} == {"Nowshera", "Chitral"}
    table = pa.table({"id": ["p1"], "text": ["A suicide bomber killed nine people in Kohat."]})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    fs.pipe_file(f"{root}/table.parquet", buffer.getvalue())
    (article,), problems = read_file(f"{url}/table.parquet")
    assert problems == [] and article.id == "p1" and article.path == f"{url}/table.parquet#1"
    one = pipeline.build(f"{url}/table.parquet", tmp_path / "table")
    assert [e.location for e in one.events] == ["Kohat"]


def test_corrections_at_a_url_apply(pipeline, bucket, tmp_path):
    fs, root, url = bucket
    first = pipeline.build(url, tmp_path / "out")
    hangu = next(e for e in first.events if e.location == "Hangu")
    fs.pipe_file(f"{root}/corrections.tsv", f"suppress\t*\t{hangu.event_id}\t\t\n".encode())
    again = pipeline.build(url, tmp_path / "out")
    assert {e.location for e in again.events} == {"Kohat", "Karak"}


class _Failing(MemoryFileSystem):
    """A store whose connections break off: past a file's first 100 bytes read a line at a
    time, or in a read of more than 4 kB (a whole file at once)."""

    protocol = "failing"

    @classmethod
    def _strip_protocol(cls, path):
        return super()._strip_protocol(path.replace("failing://", "memory://", 1))

    def _open(self, path, mode="rb", **kwargs):
        whole = super()._open(path, mode, **kwargs)
        return _BreaksOff(whole.getvalue())


class _BreaksOff(io.BytesIO):
    def readline(self, size=-1):
        line = super().readline(size)
        if self.tell() > 100:
            raise ConnectionResetError("connection reset by peer")
        return line

    def read(self, size=-1):
        if size < 0 or size > 4096:
            raise ConnectionResetError("connection reset by peer")
        return super().read(size)


def test_a_read_that_breaks_off_is_reported_and_the_rest_kept(pipeline, tmp_path):
    fsspec.register_implementation("failing", _Failing, clobber=True)
    fs = fsspec.filesystem("failing")
    root = f"/flaky-{uuid.uuid4().hex}"
    lines = [
        json.dumps({"id": f"k{n}", "text": f"Gunmen killed {n + 2} people in Kohat on Monday."})
        for n in range(6)
    ]
    fs.pipe_file(f"{root}/wire.jsonl", "\n".join(lines).encode())
    fs.pipe_file(f"{root}/story.txt", STORIES["kohat.txt"].encode() * 3)
    try:
        result = pipeline.build(f"failing://{root}", tmp_path / "out")
    finally:
        fs.rm(root, recursive=True)  # the store is the memory file system's, shared
    reasons = {p.path.rsplit("/", 1)[-1]: p.reason for p in result.problems}
    assert reasons["wire.jsonl"].startswith("lines from 2 on cannot be read")
    assert reasons["story.txt"] == "cannot read (connection reset by peer)"
    assert result.articles == 1 and result.read == 1  # the first line, read before the break


class _Counting(MemoryFileSystem):
    """The memory store, counting the requests for a file's state."""

    protocol = "counting"
    asked = 0

    @classmethod
    def _strip_protocol(cls, path):
        return super()._strip_protocol(path.replace("counting://", "memory://", 1))

    def info(self, path, **kwargs):
        type(self).asked += 1
        return super().info(path, **kwargs)


def test_a_large_shard_at_a_url_is_not_asked_its_state_for_each_article(pipeline, tmp_path):
    # A shard of more articles than a batch is listed, then its articles extracted in batches,
    # their texts read again from the shard: as the listing found it, not asked anew each time.
    fsspec.register_implementation("counting", _Counting, clobber=True)
    fs = fsspec.filesystem("counting")
    root = f"/shard-{uuid.uuid4().hex}"
    towns = ("Kohat", "Hangu", "Karak")
    lines = [
        json.dumps({"id": f"a{n}", "text": f"Gunmen killed {n % 7 + 2} people in {towns[n % 3]}."})
        for n in range(BATCH * 3)
    ]
    fs.pipe_file(f"{root}/wire.jsonl", "\n".join(lines).encode())
    _Counting.asked = 0
    try:
        result = pipeline.build(f"counting://{root}", tmp_path / "out")
    finally:
        fs.rm(root, recursive=True)
    assert result.read == BATCH * 3 and {e.location for e in result.events} == set(towns)
    assert _Counting.asked < 10  # a few for the listing and the reads, none per article


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("nosuch://bucket/news", "expected a local path or a URL that fsspec can read"),
        ("memory://no-such-folder-here", "expected articles at memory://no-such-folder-here"),
    ],
)
def test_a_url_that_cannot_be_listed_says_why(url, expected):
    with pytest.raises(InputFormatError, match=expected):
        list_files(url)


def test_a_missing_storage_back_end_names_the_extra_to_install(monkeypatch):
    def refuse(url, **options):
        raise ImportError("Install s3fs to access S3")

    monkeypatch.setattr(fsspec.core, "url_to_fs", refuse)
    with pytest.raises(InputFormatError, match=r'needs pip install "mapper\[s3\]"'):
        list_files("s3://bucket/news")


def test_the_cli_builds_from_a_url_and_watch_refuses_one(bucket, tmp_path, capsys):
    _, _, url = bucket
    args = ["--gazetteer", str(ROOT / "gazetteer")]
    assert main([*args, "build", "--seeds", url, "--out", str(tmp_path / "out")]) == 0
    assert "3 articles (3 read" in capsys.readouterr().out
    assert main([*args, "watch", "--seeds", url, "--out", str(tmp_path / "out")]) == 1
    assert "mapper watch follows a local folder" in capsys.readouterr().err
