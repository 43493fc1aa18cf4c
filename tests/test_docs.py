"""The README says what the code does: its command table lists every command with every
option, and the categories it documents are the ones the code makes."""

from __future__ import annotations

import argparse
import re

import pytest

from mapper.cli import build_parser
from mapper.types import LocationSource

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, set[str]]:
    """Every leaf command of the parser ("gazetteer add") and its long options."""
    out: dict[str, set[str]] = {}

    def walk(parser: argparse.ArgumentParser, path: list[str]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            out[" ".join(path)] = {
                o for a in parser._actions for o in a.option_strings if o.startswith("--")
            } - {"--help"}
        for action in subs:
            for name, sub in action.choices.items():
                walk(sub, [*path, name])

    walk(build_parser(), [])
    return out


def _readme_rows() -> dict[str, str]:
    """The command table's rows by the command they document."""
    section = README.split("## Command line", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"\| `mapper ((?:[a-z]+ ?)+)", line)
        if m:
            words = m.group(1).split()
            rows[" ".join(w for w in words if w.islower())] = line
    return rows


COMMANDS = _commands()


def test_the_readme_table_lists_every_command_and_no_other():
    assert set(_readme_rows()) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_readme_row_of_a_command_names_each_of_its_options(command):
    row = _readme_rows()[command]
    assert {o for o in COMMANDS[command] if o not in row} == set()


def test_the_global_options_are_documented():
    parser_options = {o for a in build_parser()._actions for o in a.option_strings}
    for option in parser_options - {"-h", "--help"}:
        assert f"`{option}" in README, option


def test_the_location_sources_the_readme_lists_are_the_ones_events_carry():
    listed = README.split("`location_source` (", 1)[1].split(")", 1)[0]
    assert set(re.findall(r"`(\w+)`:", listed)) == {s.value for s in LocationSource}
