"""mapper as users install it: a wheel in a fresh virtual environment, pinned by
``constraints.txt``, run from a folder that has nothing to do with the checkout.

The tests import the source tree, so without this nothing would notice a data file missing
from the wheel or a path that only exists in a checkout. Needs the package registry (as the
README's install does); slow (a venv and the first gazetteer compile), so marked ``install``.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, SEED

pytestmark = pytest.mark.install

# A page written for this test: boilerplate around the story, metadata in the head.
PAGE = """<!doctype html><html><head><title>Bomb kills four in Kohat</title>
<meta property="article:published_time" content="2025-11-14T06:00:00Z">
<link rel="canonical" href="https://news.example/kohat-bomb"></head>
<body><nav>Home | Region | Weather</nav><article><h1>Bomb kills four in Kohat</h1>
<p>KOHAT, Pakistan (AP) — A roadside bomb killed four soldiers in Kohat on Thursday,
the military said.</p><p>No group claimed the attack.</p></article>
<footer>Subscribe to our newsletter</footer></body></html>"""


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of a copy of the source: a stale ``build/`` in the checkout cannot leak in."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "mapper", source / "mapper", ignore=shutil.ignore_patterns("__pycache__")
    )
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work), str(source)])
    (found,) = work.glob("mapper-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel and its pinned dependencies; returns its scripts folder."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    _run(
        [str(python), "-m", "pip", "install", "-q", "-c", str(ROOT / "constraints.txt"), str(wheel)]
    )
    return bin_dir


def test_the_wheel_carries_every_file_the_package_reads(wheel):
    """Rule tables, word lists, gazetteer tables, page scripts: all of mapper/ but caches."""
    in_source = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "mapper").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = {n for n in archive.namelist() if n.startswith("mapper/")}
    assert in_source - in_wheel == set()
    assert "mapper/gazetteer/tables/curated.tsv" in in_wheel
    assert not any(n.startswith("gazetteer/") for n in in_wheel)  # the user's folder stays out


def test_installed_mapper_builds_the_seed_and_a_web_page_from_any_folder(installed, tmp_path):
    site = tmp_path / "desk"  # a user's own folder: no checkout, no gazetteer/
    articles = site / "articles"
    articles.mkdir(parents=True)
    shutil.copy(SEED, articles / SEED.name)
    shutil.copy(SEED.with_suffix(".meta.json"), articles / SEED.with_suffix(".meta.json").name)
    (articles / "kohat.html").write_text(PAGE, encoding="utf-8")
    data_home = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("MAPPER_GAZETTEER", "PYTHONPATH")}
    env.update(
        PATH=f"{installed}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(data_home),
    )
    mapper = shutil.which("mapper", path=str(installed))
    assert mapper, f"no mapper script in {installed}"

    done = _run([mapper, "build", "--seeds", "articles", "--out", "out"], cwd=site, env=env)

    assert "out/map.html" in done.stdout.replace(os.sep, "/")
    assert (site / "out" / "map.html").stat().st_size > 10_000
    with (site / "out" / "events.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    urls = {row["source_url"] for row in rows}
    assert "https://news.example/kohat-bomb" in urls  # the web page's event
    assert {row["location"] for row in rows} >= {"Kohat", "Kabul"}  # both articles mapped
    # The compiled gazetteer went to the per-user data folder, nowhere near the articles
    # (``$XDG_DATA_HOME/mapper/gazetteer`` here; under the home folder on other systems).
    (compiled,) = tmp_path.rglob("gazetteer.sqlite")
    assert compiled.parent.parent.name == "gazetteer" and site not in compiled.parents
    assert sorted(p.name for p in site.iterdir()) == ["articles", "out"]
    # The module form works too, and finds the same, already compiled, gazetteer.
    again = _run(
        [str(installed / "python"), "-m", "mapper", "gazetteer", "lookup", "Dara Adam Khel"],
        cwd=site,
        env=env,
    )
    assert '"country": "PK"' in again.stdout
    assert "Building the gazetteer" not in again.stderr
