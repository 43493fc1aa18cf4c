"""Nothing lost, nothing stalls: what a hostile or unlucky user puts in front of mapper.

Every case is made here by the test (no binaries committed): odd file names, link loops,
unreadable folders, pipes and sockets, bad records in a batch, a text too long for its time
budget, the same story under two wires, a full disk, a read-only or damaged output.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.cli import main
from mapper.errors import StoreError
from mapper.gazetteer import Gazetteer
from mapper.gazetteer.build import remove_stale_temporaries
from mapper.ingest import display_path, list_files, read_file
from mapper.pipeline import Pipeline
from mapper.pipeline.store import STORE_FILE, EventStore

from .conftest import ROOT, SEED

STORY = (
    "QUETTA, Pakistan (AP) — A roadside bomb killed four soldiers near Quetta on Monday, the"
    " military said. Police said the blast damaged two vehicles."
)
NOT_ENGLISH = (
    "La police a indiqué lundi que des hommes armés ont attaqué un poste de contrôle près de la"
    " ville et que plusieurs personnes ont été blessées pendant la nuit selon les autorités"
    " locales qui ont ouvert une enquête sur les circonstances de cette attaque contre les"
    " forces de sécurité dans la région"
)


def cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(["--gazetteer", str(ROOT / "gazetteer"), *args])
    out, err = capsys.readouterr()
    return code, out, err


def seed_into(folder: Path) -> None:
    shutil.copy(SEED, folder / SEED.name)
    shutil.copy(SEED.with_suffix(".meta.json"), folder / SEED.with_suffix(".meta.json").name)


@contextlib.contextmanager
def shared_folder():
    """A folder another user can enter (pytest's own are private to their owner)."""
    path = Path(tempfile.mkdtemp(prefix="mapper-hostile-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        for p in path.rglob("*"):
            with contextlib.suppress(OSError):
                p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(path, ignore_errors=True)


def as_other_user(work, *args):
    """``work(*args)`` run by a user without root's powers, so that a folder's permissions
    hold: in a child process that drops root, when the tests run as root (as CI does); else
    here. Returns what ``work`` returns (as JSON) or raises what it raised, as a string."""
    if os.geteuid() != 0:
        return work(*args)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read)
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            answer = {"value": work(*args)}
        except BaseException as exc:  # handed to the parent, which fails the test
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        with os.fdopen(write, "w") as handle:
            json.dump(answer, handle)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as handle:
        answer = json.load(handle)
    os.waitpid(pid, 0)
    if "error" in answer:
        raise AssertionError(answer["error"])
    return answer["value"]


def make_hostile_entries(folder: Path) -> dict[str, str]:
    """Every kind of bad entry a seeds folder can hold; returns name → what the report says."""
    expected = {}
    latin1 = os.fsdecode(b"caf\xe9.txt")  # a name that is not UTF-8
    (folder / latin1).write_text(STORY, encoding="utf-8")  # readable: it must be mapped
    (folder / "loop").symlink_to(folder / "loop")
    expected["loop"] = "link loop"
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    expected["gone.txt"] = "broken link"
    (folder / "back").symlink_to(folder)  # a link to a folder read already
    expected["back"] = "read already"
    os.mkfifo(folder / "pipe.txt")
    expected["pipe.txt"] = "named pipe"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.txt"))
    sock.close()
    expected["sock.txt"] = "socket"
    (folder / "empty.txt").write_bytes(b"")
    expected["empty.txt"] = "empty file"
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    expected["binary.txt"] = "binary"
    (folder / "french.txt").write_text(NOT_ENGLISH, encoding="utf-8")
    expected["french.txt"] = "not English"
    (folder / "huge.txt").write_bytes(b"a" * 5_000_001)
    expected["huge.txt"] = "too large"
    (folder / "notes.docx").write_bytes(b"PK")
    expected["notes.docx"] = "unsupported file type"
    other = STORY.replace("four soldiers", "two policemen")
    (folder / "batch.jsonl").write_bytes(
        b'{"text": "' + other.encode() + b'", "published": "2025-11-12"}\n'
        b"not json\n"
        b'{"text": "caf\xe9 au lait"}\n'
        b'{"text": ""}\n'
    )
    expected["batch.jsonl"] = "Windows-1252"  # a byte that is not UTF-8: read, with a warning
    expected["batch.jsonl, line 2"] = "expected a JSON object"
    expected["batch.jsonl, line 4"] = "no article text"
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(STORY.replace("four", "six"), encoding="utf-8")
    locked.chmod(0)
    expected["locked"] = "cannot read this folder"
    return expected


# ---------------------------------------------------------------- the folder


def test_every_entry_of_a_hostile_folder_is_read_or_reported_with_its_path_and_reason():
    with shared_folder() as folder:
        expected = make_hostile_entries(folder)

        def listing(path: str):
            found = list_files(Path(path))
            return [os.fsencode(p).hex() for p in found.paths], [
                [p.path, p.reason] for p in found.problems
            ]

        paths, problems = as_other_user(listing, str(folder))
    names = {os.path.basename(bytes.fromhex(p)) for p in paths}
    assert names == {b"caf\xe9.txt", b"empty.txt", b"binary.txt", b"french.txt", b"huge.txt",
                     b"batch.jsonl"}  # fmt: skip
    reported = {Path(path).name: reason for path, reason in problems}
    for name in ("loop", "gone.txt", "back", "pipe.txt", "sock.txt", "notes.docx", "locked"):
        assert expected[name] in reported[name], (name, reported.get(name))


def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path):
    path = tmp_path / os.fsdecode(b"caf\xe9.txt")
    path.write_text(STORY, encoding="utf-8")
    (article,), problems = read_file(path)
    assert problems == [] and article.path.endswith("caf\\xe9.txt")
    article.path.encode("utf-8")  # storable and printable anywhere


def test_a_build_over_a_hostile_folder_finishes_maps_the_seed_and_reports_every_bad_entry(
    capsys,
):
    with shared_folder() as folder:
        seeds, out = folder / "seeds", folder / "out"
        seeds.mkdir()
        seed_into(seeds)
        expected = make_hostile_entries(seeds)
        if os.geteuid() == 0:
            # root reads any folder; the locked one is tested as another user above
            (seeds / "locked").chmod(0o755)
            del expected["locked"]
        code, printed, _ = cli(["build", "--seeds", str(seeds), "--out", str(out)], capsys)
        assert code == 0 and "map.html" in printed
        report = (out / "report.txt").read_text(encoding="utf-8")
        with (out / "events.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    lines = report.splitlines()
    for name, reason in expected.items():
        assert any(f"/{name}: " in line and reason in line for line in lines), (name, reason)
    not_read = report.split("## Not read", 1)[1].split("## ", 1)[0]
    assert "caf\\xe9.txt" not in not_read  # the oddly named story was read, not refused
    assert "North Wazīristān" in {r["location"] for r in rows}  # the seed is mapped
    tolls = {int(r["fatalities"]) for r in rows if r["location"] == "Quetta"}
    assert {4, 2} <= tolls  # the oddly named story, and the good record of the batch


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.text(
            st.characters(blacklist_characters="/\x00", codec="utf-8"), min_size=1, max_size=30
        ).filter(lambda n: n not in (".", "..")),
        st.one_of(st.binary(max_size=300), st.sampled_from([STORY.encode(), b"", b"\xff\xfe"])),
        max_size=6,
    )
)
def test_whatever_a_folder_holds_the_build_finishes_and_accounts_for_every_file(
    pipeline, tmp_path_factory, files
):
    seeds = tmp_path_factory.mktemp("seeds")
    for name, data in files.items():
        with contextlib.suppress(OSError):  # a name the file system refuses (too long …)
            (seeds / name).write_bytes(data)
    result = pipeline.build(seeds, tmp_path_factory.mktemp("out"))
    written = [p for p in seeds.iterdir() if p.is_file() and not p.name.startswith(".")]
    reported = {p.path.split(", line")[0].split(", entry")[0] for p in result.problems}
    # Every file is mapped (it holds an article) or reported by its path, with a reason.
    for path in written:
        if path.name.endswith(".meta.json"):
            continue
        if display_path(path) not in reported:
            articles, _ = read_file(path)
            assert articles, path
    assert all(p.reason for p in result.problems)


# ---------------------------------------------------------------- bounded work


def test_an_article_over_its_time_budget_is_reported_and_the_build_goes_on(gazetteer, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    seed_into(seeds)
    long_story = " ".join(
        f"Gunmen killed {i % 9 + 2} people in Quetta on Monday." for i in range(40_000)
    )
    (seeds / "long.txt").write_text(long_story, encoding="utf-8")
    result = Pipeline(gazetteer, budget=0.5).build(seeds, tmp_path / "out")
    (slow,) = [p for p in result.problems if p.path.endswith("long.txt")]
    assert slow.skipped and "too long to read in 0.5 s" in slow.reason
    assert any(e.location == "Dara Adam Khel" for e in result.events)  # the seed is mapped
    report = (tmp_path / "out" / "report.txt").read_text(encoding="utf-8")
    assert "long.txt: too long to read in 0.5 s" in report
    # Not tried again on the next build, but reported again.
    again = Pipeline(gazetteer, budget=0.5).build(seeds, tmp_path / "out")
    assert again.read == 0 and any("too long" in p.reason for p in again.problems)


# ---------------------------------------------------------------- batches


def write_batch(path: Path, lines: list[bytes]) -> str:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return str(path)


def good(i: int) -> bytes:
    return json.dumps({"id": f"r{i}", "text": f"Militants attacked Bannu on day {i}."}).encode()


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_a_batch_goes_on_past_bad_records_and_fails_at_the_end(tmp_path, capsys, fmt):
    lines = [good(i) for i in range(1, 6)]
    lines += [b"{not json", b'{"id": "u", "text": "caf\xe9"}', b'{"id": "s", "text": "Kabul",'
              b' "spans": [[-3, 2]]}', good(9), good(10)]  # fmt: skip
    batch = write_batch(tmp_path / "in.jsonl", lines)
    code, out, err = cli(["geoparse", "--input-jsonl", batch, "--format", fmt], capsys)
    records = json.loads(out) if fmt == "json" else [json.loads(x) for x in out.splitlines()]
    assert code == 1
    assert [r["id"] for r in records] == [
        "r1",
        "r2",
        "r3",
        "r4",
        "r5",
        None,
        None,
        "s",
        "r9",
        "r10",
    ]
    errors = [r["error"] for r in records if "error" in r]
    assert "line 6: expected a JSON object" in errors[0]
    assert "line 7: expected UTF-8 text, found byte 0xe9" in errors[1]
    assert "line 8: expected spans with 0 <= start < end" in errors[2]
    assert err.count("Error: ") == 4  # one a bad record, one at the end
    assert "3 record(s) failed" in err


def test_extract_batch_reports_empty_and_foreign_records_and_goes_on(tmp_path, capsys):
    lines = [
        json.dumps({"id": "a", "text": STORY, "published": "2025-11-12"}).encode(),
        json.dumps({"id": "empty", "text": "  "}).encode(),
        json.dumps({"id": "fr", "text": NOT_ENGLISH}).encode(),
        json.dumps({"id": "b", "text": STORY, "published": "2025-11-12"}).encode(),
    ]
    batch = write_batch(tmp_path / "x.jsonl", lines)
    code, out, _ = cli(["extract", "--input-jsonl", batch], capsys)
    records = [json.loads(x) for x in out.splitlines()]
    assert code == 1 and [r["id"] for r in records] == ["a", "empty", "fr", "b"]
    assert records[0]["events"] and records[3]["events"]
    assert "no article text" in records[1]["error"] and "not English" in records[2]["error"]


# ---------------------------------------------------------------- outputs and stores


def test_the_same_text_under_two_wires_is_read_once_with_both_sources(pipeline, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, source, url in (("a", "AP", "https://ap.example/1"), ("b", "Reuters", None)):
        (seeds / f"{name}.txt").write_text(STORY, encoding="utf-8")
        meta = {"source": source, "url": url, "published": "2025-11-12"}
        (seeds / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    first = pipeline.build(seeds, tmp_path / "out")
    assert first.articles == 1 and first.read == 1
    (event,) = [e for e in first.events if e.fatalities == 4]
    assert event.source == "AP" and [s for _, s, _ in event.also_reported] == ["Reuters"]
    assert any(p.path.endswith("b.txt") and "same text" in p.reason for p in first.problems)
    again = pipeline.build(seeds, tmp_path / "out")
    assert again.read == 0 and again.events == first.events  # not re-read on every build


def full_disk_store(monkeypatch, pages: int) -> None:
    """Event stores that SQLite itself finds full after ``pages`` pages: its real error."""
    original = EventStore.__init__

    def small(self, folder):
        original(self, folder)
        self.con.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(EventStore, "__init__", small)


def test_a_full_disk_is_one_clear_error_line(tmp_path, capsys, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    seed_into(seeds)
    full_disk_store(monkeypatch, pages=12)
    code, out, err = cli(["build", "--seeds", str(seeds), "--out", str(tmp_path / "o")], capsys)
    assert code == 1 and out == ""
    assert err.startswith("Error: ") and err.count("\n") == 1
    assert "the disk is full" in err and "Traceback" not in err


def test_a_read_only_output_folder_is_said_to_be_read_only():
    with shared_folder() as folder:
        out = folder / "out"
        out.mkdir()
        out.chmod(0o555)

        def open_store(path: str) -> str:
            try:
                EventStore(Path(path))
            except StoreError as exc:
                return str(exc)
            return "opened"

        message = as_other_user(open_store, str(out))
    assert "read-only" in message and "choose another --out" in message
    assert "delete it" not in message


def test_a_damaged_store_says_so_and_how_to_recover(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    seed_into(seeds)
    out = tmp_path / "out"
    out.mkdir()
    (out / STORE_FILE).write_bytes(b"this is not a database" * 100)
    code, _, err = cli(["build", "--seeds", str(seeds), "--out", str(out)], capsys)
    assert code == 1 and err.count("\n") == 1
    assert "damaged" in err and "delete it" in err


def test_a_killed_compile_leaves_no_temporary_behind_the_next_run(tmp_path):
    (tmp_path / "curated.tsv").write_text(
        "name\talt_names\tlat\tlon\tcountry\tadmin1\tadmin2\tfeature\tprecision\tpopulation"
        "\tsource\nSangar\t\t30\t70\tPK\t\t\tP.PPL\tplace\t10\tour survey\n",
        encoding="utf-8",
    )
    Gazetteer(tmp_path, packages=False, tables=tmp_path)
    cache = tmp_path / "cache"
    dead = cache / "gazetteer.tmp999999999"  # no process has such a number
    dead.write_bytes(b"x" * 1000)
    mine = cache / f"gazetteer.tmp{os.getpid()}"  # a compile running now is left alone
    mine.write_bytes(b"x")
    Gazetteer(tmp_path, packages=False, tables=tmp_path)
    assert not dead.exists() and mine.exists()
    assert remove_stale_temporaries(cache) == []
