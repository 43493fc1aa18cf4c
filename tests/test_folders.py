"""Where the gazetteer's files are found: the user's folder by option, environment, checkout,
else the per-user data folder; the project's tables always from the package."""

from __future__ import annotations

import sys

import pytest

from mapper.gazetteer import folders

from .conftest import ROOT


def _checkout(root):
    (root / "mapper").mkdir(parents=True)
    (root / "gazetteer").mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "mapper"\n', encoding="utf-8")
    return root


def test_the_option_wins_then_the_environment(tmp_path):
    env = {folders.ENV_VARIABLE: str(tmp_path / "from-env")}
    assert folders.default_folder(tmp_path / "given", environ=env) == tmp_path / "given"
    assert folders.default_folder(None, environ=env, cwd=tmp_path) == tmp_path / "from-env"


def test_a_checkout_in_the_working_folder_gives_its_gazetteer(tmp_path):
    root = _checkout(tmp_path / "clone")
    assert folders.default_folder(environ={}, cwd=root) == root / "gazetteer"


def test_a_folder_is_a_checkout_only_if_its_project_is_mapper(tmp_path):
    other = _checkout(tmp_path / "other")
    (other / "pyproject.toml").write_text('[project]\nname = "another"\n', encoding="utf-8")
    assert folders.checkout_folder(cwd=other) != other / "gazetteer"
    plain = tmp_path / "plain"
    (plain / "gazetteer").mkdir(parents=True)  # a folder named gazetteer is not enough
    assert folders.checkout_folder(cwd=plain) != plain / "gazetteer"


def test_the_source_tree_is_a_checkout_wherever_it_runs_from(tmp_path):
    # Tests import the package from this checkout, as an editable install does.
    assert folders.checkout_folder(cwd=tmp_path) == ROOT / "gazetteer"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG convention is Linux's")
def test_outside_a_checkout_the_user_data_folder_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert folders.user_data_folder() == tmp_path / "data" / "mapper" / "gazetteer"


def test_the_project_tables_ship_in_the_package():
    shipped = folders.tables_folder()
    assert shipped.parent == ROOT / "mapper" / "gazetteer"
    for name in ("curated.tsv", "regions.tsv", "aliases.tsv", "centres.tsv"):
        assert (shipped / name).is_file(), name
