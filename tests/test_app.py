"""The dashboard without a browser (streamlit's AppTest): renders the seed comparison, sliders
re-classify, bad input shows a one-line error. Only the chosen tab is drawn (`dashboard.tabs`):
`view` chooses one as a reader's click does."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest
from streamlit.testing.v1 import AppTest

from compare.align.match import match_threshold
from compare.config import Config
from compare.export.rows import ALIGNMENT_COLUMNS, FACT_COLUMNS
from dashboard.pair import TABS
from tests.conftest import ROOT

T = TypeVar("T")

APP = str(ROOT / "app.py")
TIMEOUT = 300


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    return at


def view(at: AppTest, label: str, key: str = "view") -> AppTest:
    """`at` run again with the tab `label` of the tabs `key` chosen, as a reader's click on it."""
    at.session_state[key] = label
    return at.run()


def seen_in(at: AppTest, label: str, read: Callable[[AppTest], T], key: str = "view") -> T:
    """What `read` finds with the tab `label` chosen; the tab chosen before is chosen again after."""
    before = at.session_state[key]
    found = read(view(at, label, key))
    view(at, before, key)
    return found


def picker(at: AppTest):  # noqa: ANN201 - the review tab's pair list (its key changes with its labels)
    return next(box for box in at.selectbox if box.label == "Aligned pair")


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_default_page_renders_seed_comparison(app):
    assert not app.exception
    assert any("Seed report 000" in m.value for m in app.markdown)
    assert int(metric(app, "only b")) > 0
    assert [t.label for t in app.tabs] == list(TABS)


def test_differences_the_judge_is_not_sure_of_are_listed_to_check(app):
    """The seed pair's differing days are differences to check, under their own heading, each with
    the judge's probability and both sentences, never among the conflicts."""
    heading = next(h.value for h in app.subheader if h.value.startswith("Differences to check"))
    checks = [w.value for w in app.warning if "different date" in w.value.replace("\\", "")]
    assert heading == f"Differences to check ({len(checks)})" and checks
    assert all("(p 0." in w and "A" in w and "B" in w for w in checks)
    assert any("**Sunday**" in w and "**Monday**" in w for w in checks)  # the differing words, in bold
    assert not any(h.value.startswith("Conflicts") for h in app.subheader)


# the CSV contracts' columns as the page shows them: sentence ids numbered from 1, renamed (issue 25, item 10)
SHOWN_FIRST = ["status", "A", "a_text", "B", "b_text", "why"]  # the sentences and the reason first
MOVED = ("status", "a_id", "a_text", "b_id", "b_text")
SHOWN_ALIGNMENT = SHOWN_FIRST + [c for c in ALIGNMENT_COLUMNS if c not in MOVED]
SHOWN_FACTS = [{"a_sentences": "A sentences", "b_sentences": "B sentences"}.get(c, c) for c in FACT_COLUMNS]


def drawn(at: AppTest) -> dict[str, bool]:
    """Which of the tabs' contents the page shows."""
    return {
        "Side by side": any(m.value.startswith("#### A:") for m in at.markdown) and len(at.get("html")) == 2,
        "Aligned pairs": any(list(d.value.columns) == SHOWN_ALIGNMENT for d in at.dataframe),
        "Review": any(box.label == "Aligned pair" for box in at.selectbox),
        "Facts": any(list(d.value.columns) == SHOWN_FACTS for d in at.dataframe),
        "Similarity map": len(at.get("vega_lite_chart")) == 1,
    }


def test_each_tab_is_drawn_when_chosen(app):
    """The first run draws the first tab alone; each tab chosen draws its view and no other, and
    stays chosen when the page reruns for another reason (a slider moved)."""
    assert drawn(app) == {label: label == TABS[0] for label in TABS}
    for label in [*TABS[1:], TABS[0]]:
        view(app, label)
        assert not app.exception, label
        assert drawn(app) == {other: other == label for other in TABS}
    view(app, "Facts").slider(key="threshold").set_value(0.9).run()
    assert app.session_state["view"] == "Facts" and drawn(app)["Facts"]


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
    assert any("Choose two reports" in i.value and "waiting for report A" in i.value for i in app.info)
    assert app.sidebar.button(key="paste_go_A").label == "Compare"
    app.sidebar.text_area(key="paste_A").set_value(STORM[0])
    app.sidebar.button(key="paste_go_A").click().run()
    assert not app.exception
    assert app.sidebar.text_input(key="source_A_pasted-A").value == ""  # asked for, not "pasted-A"
    assert any("publication date" in c.value for c in app.sidebar.caption)
    app.sidebar.text_input(key="source_A_pasted-A").set_value("Coast Courier").run()
    assert any("Coast Courier" in m.value for m in app.markdown)


def test_bad_pasted_report_shows_error(app):
    app.sidebar.radio(key="mode_A").set_value("Paste").run()
    app.sidebar.text_area(key="paste_A").set_value("---\ntitle: [broken\n---\nText.").run()
    assert not app.exception
    assert app.error and "malformed front matter" in app.error[0].value


def test_review_decision_survives_a_fresh_run(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPARE_REVIEW_DB", str(tmp_path / "reviews.sqlite"))
    first = AppTest.from_file(APP, default_timeout=TIMEOUT)
    view(first.run(), "Review")
    pair = picker(first).value
    first.radio(key="review_action").set_value("confirm")
    first.text_input(key="review_note").set_value("checked against the wire copy")
    first.button(key="review_save").click().run()
    assert not first.exception

    second = AppTest.from_file(APP, default_timeout=TIMEOUT)
    view(second.run(), "Aligned pairs")
    table = next(d.value for d in second.dataframe if "review" in d.value.columns)
    reviewed = table[(table["A"] == str(pair[0] + 1)) & (table["B"] == str(pair[1] + 1))]  # numbered from 1
    assert reviewed["review"].tolist() == ["confirmed"]
    assert reviewed["note"].tolist() == ["checked against the wire copy"]


def test_linking_a_missed_pair(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPARE_REVIEW_DB", str(tmp_path / "reviews.sqlite"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    view(at.run(), "Review")
    at.selectbox(key="link_a").set_value(16)
    at.selectbox(key="link_b").set_value(27)
    at.button(key="link_save").click().run()
    table = next(d.value for d in view(at, "Aligned pairs").dataframe if "review" in d.value.columns)
    linked = table[(table["A"] == "17") & (table["B"] == "28")]  # the page numbers sentences from 1
    assert linked["review"].tolist() == ["linked"]


def test_bad_upload_shows_one_line_error(app):
    app.sidebar.radio(key="mode_B").set_value("Upload").run()
    app.sidebar.file_uploader(key="upload_B").set_value(
        ("scan.txt", b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x81", "text/plain")
    )
    app.run()
    assert not app.exception
    assert app.error and "not a text file" in app.error[0].value
    assert "\n" not in app.error[0].value


def test_html_upload_is_compared(app):
    from tests.conftest import ROOT

    page = (ROOT / "tests" / "fixtures" / "storm.html").read_bytes()
    app.sidebar.radio(key="mode_B").set_value("Upload").run()
    app.sidebar.file_uploader(key="upload_B").set_value(("storm.html", page, "text/html"))
    app.run()
    assert not app.exception
    assert any("Daily News" in m.value for m in app.markdown)


def test_changed_report_shows_stale_reviews(tmp_path, monkeypatch):
    import shutil

    from tests.conftest import SEED_A, SEED_B

    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(SEED_A, articles / SEED_A.name)
    shutil.copy(SEED_B, articles / SEED_B.name)
    monkeypatch.setenv("COMPARE_ARTICLES", str(articles))
    first = AppTest.from_file(APP, default_timeout=TIMEOUT)
    view(first.run(), "Review")
    first.radio(key="review_action").set_value("confirm")
    first.button(key="review_save").click().run()
    assert not first.warning or all("earlier text" not in w.value for w in first.warning)

    edited = articles / SEED_B.name
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("three North Koreans", "four North Koreans"), encoding="utf-8"
    )
    second = AppTest.from_file(APP, default_timeout=TIMEOUT)
    second.run()
    assert any("earlier text of these reports" in w.value for w in second.warning)
    table = next(d.value for d in view(second, "Aligned pairs").dataframe if "review" in d.value.columns)
    assert "confirmed" not in table["review"].tolist()


PAGE_TEXT = ("markdown", "caption", "error", "warning", "info", "success", "title", "header", "subheader", "text")


def page_texts(at: AppTest) -> list[str]:
    """Every string the page shows: text elements, table cells, selectbox options."""
    texts = [str(e.value) for name in PAGE_TEXT for e in getattr(at, name)]
    texts += [str(h.value) for h in at.get("html")]
    texts += [d.value.to_csv() for d in at.dataframe]
    texts += [str(option) for box in at.selectbox for option in box.options]
    return texts


@pytest.mark.parametrize("typed", ["/etc/passwd", "file:///etc/passwd"])
def test_url_box_opens_http_only(app, typed):
    app.sidebar.radio(key="mode_A").set_value("URL").run()
    app.sidebar.text_input(key="url_A").set_value(typed).run()
    assert not app.exception
    assert len(app.error) == 1 and "addresses can be opened here" in app.error[0].value
    assert "\n" not in app.error[0].value
    assert not any("root:" in text for text in page_texts(app))


INJECTED = "![x](http://tracker.invalid/p.png) [link](http://evil.invalid) **FORGED**"


def test_report_markdown_is_shown_as_text(app):
    for side, count in (("A", "three"), ("B", "five")):
        app.sidebar.radio(key=f"mode_{side}").set_value("Paste").run()
        app.sidebar.text_area(key=f"paste_{side}").set_value(
            f"---\ntitle: 'Storm {INJECTED}'\nsource: 'Wire {INJECTED}'\npublished: 2024-03-04\n---\n"
            f"The storm killed {count} people on Monday, officials said {INJECTED}.\n\n"
            f"Rescue teams reached the coast on Tuesday {INJECTED}."
        ).run()
    assert not app.exception
    assert any("FORGED" in e.value for e in app.error)  # in the conflict box too
    for label in TABS:  # every tab's text
        shown = [m.value for name in PAGE_TEXT for m in getattr(view(app, label), name)]
        assert any("FORGED" in text for text in shown), label  # the text is there, only escaped
        for text in shown:
            assert "![" not in text and "](http" not in text and "**FORGED**" not in text, (label, text)


def test_corrupt_review_database_shows_one_line_error(review_db):
    review_db.write_bytes(bytes(range(256)) * 8)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    view(at.run(), "Review")
    assert not at.exception
    assert any("not a database" in e.value and "\n" not in e.value for e in at.error)
    assert int(metric(at, "only b")) > 0  # the comparison is still shown
    at.radio(key="review_action").set_value("confirm")
    at.button(key="review_save").click().run()
    assert not at.exception
    assert any("Decision not saved" in e.value for e in at.error)


def paste_pair(at: AppTest, a: str, b: str) -> None:
    for side, text in (("A", a), ("B", b)):
        if at.sidebar.radio(key=f"mode_{side}").value != "Paste":
            at.sidebar.radio(key=f"mode_{side}").set_value("Paste").run()
        at.sidebar.text_area(key=f"paste_{side}").set_value(text)
    at.run()
    assert not at.exception


def reviews(at: AppTest) -> list[str]:
    """The review column of the aligned pairs tab (the chosen tab is chosen again after)."""
    table = seen_in(at, "Aligned pairs", lambda a: next(d.value for d in a.dataframe if "review" in d.value.columns))
    return table["review"].tolist()


def stale_warned(at: AppTest) -> bool:
    return any("earlier text of these reports" in w.value for w in at.warning)


STORM = (
    "The storm killed three people on Monday, officials said.\n\nRescue teams reached the coast on Tuesday.",
    "The storm killed five people on Monday, officials said.\n\nRescue teams reached the coast on Tuesday.",
)
VOTE = (
    "The council voted for the new budget on Friday.\n\nThe mayor welcomed the vote.",
    "The council approved the budget on Friday by nine votes to two.\n\nThe mayor welcomed it.",
)


def test_pasted_pairs_keep_their_own_decisions():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    view(at.run(), "Review")
    paste_pair(at, *STORM)
    at.radio(key="review_action").set_value("confirm")
    at.button(key="review_save").click().run()
    assert "confirmed" in reviews(at)

    paste_pair(at, *VOTE)  # the same ids, pasted-A and pasted-B, other texts
    assert "confirmed" not in reviews(at) and not stale_warned(at)
    at.radio(key="review_action").set_value("reject")
    at.button(key="review_save").click().run()
    assert "rejected" in reviews(at)

    paste_pair(at, *STORM)
    assert "confirmed" in reviews(at) and "rejected" not in reviews(at) and not stale_warned(at)

    paste_pair(at, STORM[0], STORM[1].replace("five people", "six people"))  # report B edited
    assert stale_warned(at) and "confirmed" not in reviews(at)


def form(at: AppTest) -> tuple[object, str]:
    return at.radio(key="review_action").value, at.text_input(key="review_note").value


def test_review_form_never_leaks_between_pairs(app):
    """Item 1, 4 and 5 of issue 13: each pair shows its own decision or an empty form; a relabel
    is shown as the reviewer's with the note; the picker's tag, counter and marks follow; the
    reader stays on the review tab when a pair becomes a conflict."""
    pairs = picker(view(app, "Review"))
    first, total = pairs.value, len(pairs.options)
    assert form(app) == (None, "")
    assert any(f"0 of {total} reviewed" in m.value for m in app.markdown)
    app.radio(key="review_action").set_value("confirm")
    app.text_input(key="review_note").set_value("checked against the wire copy")
    app.button(key="review_save").click().run()
    assert any("Saved" in s.value and "confirmed" in s.value for s in app.success)
    assert any(f"1 of {total} reviewed" in m.value for m in app.markdown)

    app.button(key="review_next").click().run()
    second = picker(app).value
    assert second != first
    assert form(app) == (None, "")  # not the first pair's note, nothing preselected
    app.radio(key="review_action").set_value("reject")
    app.text_input(key="review_note").set_value("different meeting")
    app.button(key="review_save").click().run()
    # a rejected pair is no longer aligned, yet stays in the list, marked, and counted as reviewed
    assert len(picker(app).options) == total and picker(app).value == second
    assert "[rejected]" in picker(app).format_func(second)
    assert any(f"2 of {total} reviewed" in m.value for m in app.markdown)

    app.button(key="review_next").click().run()
    third = picker(app).value
    assert form(app) == (None, "")
    app.radio(key="review_action").set_value("relabel").run()
    app.selectbox(key="review_label").set_value("conflict")
    app.text_input(key="review_note").set_value("the toll differs")
    app.button(key="review_save").click().run()
    assert not app.exception
    box = next(e.value for e in app.error if f"A{third[0] + 1}:" in e.value)  # the page numbers from 1
    assert "Reviewer relabelled this pair conflict" in box and "the toll differs" in box
    assert "****" not in box  # no empty bold heading
    assert app.session_state["view"] == "Review" and drawn(app)["Review"]
    options = picker(app).options
    assert any(o.startswith(f"✓ A{third[0] + 1} ↔ B{third[1] + 1} [conflict]") for o in options)
    assert sum(o.startswith("✓") for o in options) == 3
    assert any("Reviewer relabelled" in i.value for i in app.info)

    picker(app).set_value(first).run()
    assert form(app) == ("confirm", "checked against the wire copy")
    assert picker(app).options[0].startswith(f"✓ A{first[0] + 1} ↔ B{first[1] + 1}")
    assert app.button(key="review_previous").disabled  # the first pair: Previous never wraps to the last
    app.button(key="review_next").click().run()
    assert picker(app).value == second and form(app) == ("reject", "different meeting")
    app.button(key="review_previous").click().run()
    assert picker(app).value == first and form(app) == ("confirm", "checked against the wire copy")
    app.radio(key="review_action").set_value("reject").run()
    app.button(key="review_save").click().run()
    assert any("replacing the earlier decision (confirmed)" in s.value.replace("\\", "") for s in app.success)
    app.radio(key="review_action").set_value("confirm").run()
    app.button(key="review_save").click().run()

    app.checkbox(key="review_unreviewed").check().run()  # ticked on a reviewed pair: the next one not reviewed
    order = list(picker(app).options)
    assert len(order) == total - 3 and not any(o.startswith("✓") for o in order)
    chosen = picker(app).value
    assert chosen not in (first, second, third) and chosen > first  # after the pair it was on
    assert form(app) == (None, "")


def test_only_unreviewed_keeps_the_place_and_never_lands_on_a_decision(app):
    """Issue 25, item 4: with *Only pairs not yet reviewed* ticked, saving a decision moves on to
    the next pair not yet reviewed (the place kept, not back to the first), the counter counts
    every decision, and the last decision leaves no pair to overwrite."""
    view(app, "Review")
    app.checkbox(key="review_unreviewed").check().run()
    total = len(picker(app).options)
    app.button(key="review_next").click().run()
    app.button(key="review_next").click().run()
    third = picker(app).value
    for k in range(1, total + 1):
        here = picker(app).value
        app.radio(key="review_action").set_value("reject" if k % 2 else "confirm").run()
        app.button(key="review_save").click().run()
        assert not app.exception
        assert any(f"{k} of {total} reviewed" in m.value for m in app.markdown)  # rejected pairs count too
        if k < total:
            assert picker(app).value != here and form(app) == (None, "")  # the next one, an empty form
            assert len(picker(app).options) == total - k
        if k == 1:
            assert picker(app).value > third  # the place is kept: the pair after the one just decided
    assert any("Every aligned pair has a decision" in s.value for s in app.success)
    assert not any(box.label == "Aligned pair" for box in app.selectbox)


def test_why_legend_and_reset(app):
    """Item 3 of issue 13: the legend at the top, a reason per pair, plain slider names, reset."""
    captions = " ".join(c.value for c in app.caption)
    for name in ("agree", "partial", "conflict", "only in A", "only in B"):
        assert f"{name}:" in captions
    assert any(m.value.startswith("> Both report") for m in app.markdown)  # the story line
    view(app, "Similarity map")
    assert "Each cell is the cosine similarity" in " ".join(c.value for c in app.caption)  # the map says what it is
    spec = app.get("vega_lite_chart")[0].proto.spec
    assert '"labelOverlap": false' in spec  # every row and column labelled, none dropped
    assert "'A' + datum.value" in spec and "'B' + datum.value" in spec
    view(app, "Review")
    assert "Similarity" in app.info[0].value and "agreement setting" in app.info[0].value
    table = next(d.value for d in view(app, "Aligned pairs").dataframe if "why" in d.value.columns)
    assert table["why"].str.len().min() > 0
    partial = table[table["status"] == "partial"]["why"]
    assert all("Partial" in w for w in partial)
    slider = app.slider(key="threshold")
    assert slider.label == "Minimum match probability" and "probability" in slider.help
    slider.set_value(0.9).run()
    app.button(key="reset_settings").click().run()
    assert app.slider(key="threshold").value == match_threshold(Config())


def test_two_sessions_reviewing_one_pair_never_lose_a_decision_in_silence(tmp_path, monkeypatch):
    """Issue 26, item 1: Ana and Ben open the same pair; Ben saves first; Ana's save is refused
    with both decisions shown, the store still holds Ben's; "Keep mine" saves Ana's over it; the
    pair's history and the review history CSV hold both saves, with who made them."""
    monkeypatch.setenv("COMPARE_REVIEW_DB", str(tmp_path / "reviews.sqlite"))
    ana, ben = (view(AppTest.from_file(APP, default_timeout=TIMEOUT).run(), "Review") for _ in range(2))
    for at, name in ((ana, "Ana"), (ben, "Ben")):
        at.text_input(key="reviewer").set_value(name).run()
    assert picker(ana).value == picker(ben).value
    ben.radio(key="review_action").set_value("confirm")
    ben.button(key="review_save").click().run()
    assert any("Saved:" in s.value.replace("\\", "") for s in ben.success)

    ana.radio(key="review_action").set_value("reject")
    ana.text_input(key="review_note").set_value("a different meeting")
    ana.button(key="review_save").click().run()
    assert not ana.exception
    warning = next(w.value for w in ana.warning if "Not saved" in w.value).replace("\\", "")
    assert "Theirs: confirmed, by Ben (version 1)" in warning
    assert 'Yours: rejected, note "a different meeting"' in warning
    assert not any("Saved:" in s.value.replace("\\", "") for s in ana.success)
    ana.button(key="conflict_mine").click().run()
    assert any("replacing theirs" in s.value for s in ana.success)

    history = next(e for e in ana.expander if e.label.startswith("History of this pair"))
    assert history.label == "History of this pair (2)"
    lines = " ".join(m.value.replace("\\", "") for m in history.markdown)
    assert "save — confirmed, by Ben (version 1)" in lines
    assert "save — rejected" in lines and "by Ana (version 2)" in lines
    download = next(b for b in ana.get("download_button") if "Review history CSV" in b.proto.label)
    assert download.proto.label == "Review history CSV (2)"


def test_a_hand_edited_review_database_never_shows_a_traceback(tmp_path, monkeypatch):
    """Issue 26, item 3: decisions and history rows this program did not write (an unknown
    action, text in an id column, a BLOB note) are skipped; the page, the review tab and its
    history draw without an exception, and the good decision is still applied."""
    import sqlite3

    path = tmp_path / "reviews.sqlite"
    monkeypatch.setenv("COMPARE_REVIEW_DB", str(path))
    at = view(AppTest.from_file(APP, default_timeout=TIMEOUT).run(), "Review")
    at.radio(key="review_action").set_value("confirm")
    at.button(key="review_save").click().run()
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT * FROM decisions").fetchone()
        for a_id, action, note in ((99, "approve", "x"), ("one", "confirm", "x"), (98, "reject", b"\xff")):
            db.execute("INSERT INTO decisions VALUES (" + ",".join("?" * len(row)) + ")",
                       (row[0], row[1], a_id, *row[3:4], action, row[5], note, *row[7:]))
        db.execute("INSERT INTO decision_history (event, a_report, a_hash, b_report, b_hash, a_id, b_id, version, "
                   "action, label, note, reviewer, model, settings, at) SELECT 'edited', a_report, a_hash, b_report, "
                   "b_hash, 'x', b_id, 'v', 'approve', label, note, reviewer, model, settings, 'when' FROM decisions")
    fresh = view(AppTest.from_file(APP, default_timeout=TIMEOUT).run(), "Review")
    assert not fresh.exception and not fresh.error
    assert any("1 of" in m.value and "reviewed" in m.value for m in fresh.markdown)
    assert any(e.label == "History of this pair (1)" for e in fresh.expander)


def test_improve_from_my_reviews_and_the_least_sure_order(tmp_path, monkeypatch, seed_comparison):
    """Issue 27 on the Review tab: *least sure first* puts the pair nearest a threshold first; with
    enough decisions saved, *Improve from my reviews* refits both models and says what it did."""
    from compare import versions
    from compare.review.order import uncertain_first
    from compare.review.store import ReviewStore
    from tests.test_learn import seed_decisions

    monkeypatch.setenv("COMPARE_REVIEW_DB", str(tmp_path / "reviews.sqlite"))
    monkeypatch.setenv("COMPARE_MODELS_DIR", str(tmp_path / "models"))
    at = view(AppTest.from_file(APP, default_timeout=TIMEOUT).run(), "Review")
    at.radio(key="review_order").set_value("least sure first").run()
    aligned = [v for v in uncertain_first(seed_comparison.verdicts, Config())
               if v.alignment.a is not None and v.alignment.b is not None]
    assert picker(at).options[0].startswith(f"○ A{aligned[0].alignment.a + 1} ↔ B{aligned[0].alignment.b + 1}")

    at.button(key="review_learn").click().run()
    assert any("a refit needs at least 20" in w.value for w in at.warning)  # no decisions yet
    seed_decisions(ReviewStore(tmp_path / "reviews.sqlite"), seed_comparison)
    at.button(key="review_learn").click().run()
    assert not at.exception
    said = " ".join(m.value for m in [*at.success, *at.warning]).replace("\\", "")
    assert "agreement with your decisions, held out by report pair" in said and "v1" in said
    assert [v for v, _ in versions.versions()] == ["v1"]
