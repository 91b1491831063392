"""The dashboard without a browser (streamlit's AppTest): renders the seed comparison, sliders
re-classify, bad input shows a one-line error."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")
TIMEOUT = 300


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_default_page_renders_seed_comparison(app):
    assert not app.exception
    assert any("Seed report 000" in m.value for m in app.markdown)
    assert int(metric(app, "only b")) > 0
    assert len(app.dataframe) >= 2
    assert app.tabs


def test_threshold_reclassifies(app):
    before = int(metric(app, "only a"))
    app.slider(key="threshold").set_value(1.0).run()
    assert not app.exception
    after = int(metric(app, "only a"))
    assert after >= before
    assert int(metric(app, "partial")) + int(metric(app, "agree")) + int(metric(app, "conflict")) == 0


def test_pasted_report_without_text_asks_for_input(app):
    app.sidebar.radio(key="mode_A").set_value("Paste").run()
    assert not app.exception
    assert any("Choose two reports" in i.value for i in app.info)


def test_bad_pasted_report_shows_error(app):
    app.sidebar.radio(key="mode_A").set_value("Paste").run()
    app.sidebar.text_area(key="paste_A").set_value("---\ntitle: [broken\n---\nText.").run()
    assert not app.exception
    assert app.error and "malformed front matter" in app.error[0].value
