"""Where the gazetteer's files are.

Two kinds of files, kept apart so that an installed mapper works from any folder:

- the project's tables (curated places, regions, aliases, country centres) ship inside the
  package, in ``mapper/gazetteer/tables/``, and are read from there wherever mapper runs;
- the user's gazetteer folder holds what is theirs or made on their machine: ``user.tsv``,
  imported GeoNames dumps, cached online answers and the compiled index (``cache/``).

The user's folder is, in order: the ``--gazetteer`` option, ``$MAPPER_GAZETTEER``, the
``gazetteer/`` folder of a mapper checkout (the working folder, or the one the package runs
from), else the per-user data folder of the platform (``~/.local/share/mapper/gazetteer`` on
Linux, by the XDG convention; ``$XDG_DATA_HOME`` moves it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import platformdirs

__all__ = [
    "ENV_VARIABLE",
    "checkout_folder",
    "default_folder",
    "tables_folder",
    "user_data_folder",
]

ENV_VARIABLE = "MAPPER_GAZETTEER"


def tables_folder() -> Path:
    """The project's tables shipped in the package (``curated.tsv``, ``regions.tsv`` …)."""
    return Path(str(resources.files("mapper.gazetteer"))) / "tables"


def _is_checkout(root: Path) -> bool:
    """A mapper source checkout: its ``pyproject.toml`` names the project, with the package
    and the ``gazetteer/`` folder beside it."""
    project = root / "pyproject.toml"
    if not (project.is_file() and (root / "gazetteer").is_dir() and (root / "mapper").is_dir()):
        return False
    try:
        return 'name = "mapper"' in project.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def checkout_folder(*, cwd: Path | None = None) -> Path | None:
    """``gazetteer/`` of the mapper checkout in ``cwd`` or holding the running package."""
    package_root = Path(str(resources.files("mapper"))).parent
    for root in (cwd if cwd is not None else Path.cwd(), package_root):
        if _is_checkout(root):
            return root / "gazetteer"
    return None


def user_data_folder() -> Path:
    """The per-user gazetteer folder (created on first use by :func:`default_folder`)."""
    return platformdirs.user_data_path("mapper", appauthor=False) / "gazetteer"


def default_folder(
    explicit: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Path:
    """The user's gazetteer folder, by the order in the module's docstring.

    >>> default_folder("/data/gaz").name
    'gaz'
    """
    if explicit:
        return Path(explicit)
    env = os.environ if environ is None else environ
    if env.get(ENV_VARIABLE):
        return Path(env[ENV_VARIABLE])
    found = checkout_folder(cwd=cwd)
    if found is not None:
        return found
    folder = user_data_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder
