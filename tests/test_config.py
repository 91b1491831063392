"""The settings table documents every field; docs/cli.md lists every setting."""

from __future__ import annotations

from dataclasses import fields

from compare.align.match import match_threshold
from compare.config import SETTINGS, Config, setting_range, settings_markdown
from tests.conftest import ROOT


def test_every_field_has_help():
    assert [name for name, _, _ in SETTINGS] == [f.name for f in fields(Config)]
    for name, _, help_text in SETTINGS:
        assert help_text.strip().endswith(")") or help_text.strip().endswith("."), name


def test_ranges_contain_defaults():
    config = Config()
    for name, _, _ in SETTINGS:
        low, high = setting_range(name)
        value = match_threshold(config) if name == "threshold" else getattr(config, name)  # unset: the model's
        if low is not None:
            assert low <= value <= high, name


def test_docs_document_every_setting():
    cli_doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert settings_markdown() in cli_doc  # the docs' table is this table, defaults included
    for name, _, _ in SETTINGS:
        assert f"`{name}`" in cli_doc, name
