"""`python -m etl … --help`: every option and argument of every subcommand is explained."""
from __future__ import annotations

import argparse
import re

import pytest

from etl import extract
from etl.__main__ import _parser


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    [sub] = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


SUBCOMMANDS = _subcommands()


def test_subcommands_are_discovered():
    assert {"load", "demo", "templates"} <= set(SUBCOMMANDS)  # the command-line contract of DESIGN.md


def test_every_subcommand_is_described_in_the_list():
    [sub] = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert {a.dest: bool(a.help and a.help.strip()) for a in sub._choices_actions} == dict.fromkeys(SUBCOMMANDS, True)


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_every_option_and_argument_has_help(name):
    parser = SUBCOMMANDS[name]
    undescribed = [a.option_strings or [a.metavar or a.dest] for a in parser._actions
                   if not isinstance(a, argparse._HelpAction) and not (a.help and a.help.strip())]
    assert undescribed == []
    shown = parser.format_help()
    assert "%(" not in shown and "usage:" not in shown and "options:" not in shown


def test_load_help_names_every_accepted_extension():
    shown = " ".join(SUBCOMMANDS["load"].format_help().split())  # argparse wraps lines
    missing = [s for s in sorted(extract.SUFFIXES) if not re.search(re.escape(s) + r"\b", shown)]
    assert missing == []


def test_defaults_are_said():
    shown = {name: " ".join(p.format_help().split()) for name, p in SUBCOMMANDS.items()}
    assert "(bawaan: 2026)" in shown["demo"] and "(bawaan: bapas)" in shown["demo"]
    assert "(bawaan: templates)" in shown["templates"]
    assert "(bawaan: parquet)" in shown["export"]
    assert all("data/bapas.duckdb" in text for name, text in shown.items() if "--db" in text)


def _analytics_subcommands() -> dict[str, argparse.ArgumentParser]:
    from analytics.__main__ import _parser as analytics_parser
    [sub] = [a for a in analytics_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def test_every_subcommand_of_both_commands_says_what_it_does_in_its_own_help():
    undescribed = [name for name, p in {**SUBCOMMANDS, **_analytics_subcommands()}.items()
                   if not (p.description and len(p.description.split()) >= 5)]
    assert undescribed == []


def test_every_db_option_names_the_whole_lookup_order():
    """BAPAS_DB, then db in konfigurasi.toml, then data/bapas.duckdb (etl.config.db_path) in both commands."""
    for name, parser in {**SUBCOMMANDS, **_analytics_subcommands()}.items():
        shown = " ".join(parser.format_help().split())
        if "--db" in shown:
            assert "BAPAS_DB, lalu db di konfigurasi.toml, lalu data/bapas.duckdb" in shown, name
