"""The dashboard with three reports of one story (streamlit's AppTest, issue 14): a third report
added and removed, the coverage matrix, what only one report states, the pair picker, and claim
decisions that persist and go stale. Only the chosen tab is drawn: `story` chooses one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.pair import TABS as PAIR_TABS
from dashboard.story import TABS
from dashboard.ui import escape_markdown
from tests.conftest import ROOT, SHARED
from tests.test_app import STORM, metric, seen_in, view

APP = str(ROOT / "app.py")
TIMEOUT = 300
BETTING = SHARED / "eval" / "stories" / "betting"
IDS = ["fox", "reuters", "usatoday"]


def story(at: AppTest, label: str) -> AppTest:
    """`at` run again with the story's tab `label` chosen."""
    return view(at, label, "story_view")


def shown_matrix(at: AppTest):  # noqa: ANN201 - the coverage matrix on the page
    return next(d.value for d in at.dataframe if "claim" in d.value.columns and "status" in d.value.columns)


def matrix(at: AppTest):  # noqa: ANN201 - the coverage matrix as shown in its tab (then the tab chosen before)
    return seen_in(at, "Coverage matrix", shown_matrix, "story_view")


def added(at: AppTest, side: str, name: str) -> AppTest:
    """`at` with one more report, `side`, added and set to the file `name` of the folder: an
    added report starts empty, asking where it comes from (issue 25, item 6)."""
    at.sidebar.button(key="add_report").click().run()
    assert at.sidebar.radio(key=f"mode_{side}").value is None
    assert any(f"Report {side} is empty" in i.value for i in at.info)
    at.sidebar.radio(key=f"mode_{side}").set_value("From articles/").run()
    files = at.sidebar.selectbox(key=f"file_{side}")
    assert files.value is None  # never an unrelated file of the folder
    assert name in files.options
    files.set_value(Path(os.environ["COMPARE_ARTICLES"]) / name).run()
    assert not at.exception and not at.error
    return at


def started() -> AppTest:
    """The dashboard on the folder `COMPARE_ARTICLES` names, a third report added: its third file."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    return added(at, "C", sorted(p.name for p in Path(os.environ["COMPARE_ARTICLES"]).iterdir())[2])


@pytest.fixture
def story_app(tmp_path, monkeypatch):
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in IDS:
        shutil.copy(BETTING / f"{name}.txt", articles / f"{name}.txt")
    monkeypatch.setenv("COMPARE_ARTICLES", str(articles))
    return started()


def test_story_coverage_matrix(story_app):
    at = story_app
    assert any(c.value.startswith("3 reports of one event") for c in at.caption)  # not "Two reports"
    assert list(TABS) == ["Coverage matrix", "Only in one report", "Claims review", "Two reports"]
    assert [t.label for t in at.tabs] == list(TABS)  # the two reports' tabs are not drawn
    table = shown_matrix(at)  # the first tab, the only one drawn
    columns = ["claim", "status", "reports", "independent", "first", *IDS, "conflicts", "review", "text"]
    assert list(table.columns) == columns
    assert all(1 <= row["independent"] <= row["reports"] for _, row in table.iterrows())
    assert int(metric(at, "claims")) == len(table) > 0
    counts = table["reports"].tolist()
    assert counts == sorted(counts, reverse=True)  # most reports first
    for _, row in table.iterrows():  # a report's cell is filled exactly when it states the claim
        assert sum(bool(row[i]) for i in IDS) == row["reports"]
        assert {row["status"]} == {"all" if row["reports"] == 3 else "some" if row["reports"] == 2 else "one"}
    assert (table["status"] == "all").sum() == int(metric(at, "in all reports")) > 0
    assert all(c == "" or c[0] in "✓⚠" for i in IDS for c in table[i])


def test_story_remove_report_goes_back_to_two(story_app):
    at = story_app
    at.sidebar.button(key="remove_B").click().run()
    assert not at.exception
    assert [t.label for t in at.tabs][:2] == ["Side by side", "Aligned pairs"]  # today's page
    assert any("usatoday" in m.value for m in at.markdown)  # A and C are left
    assert at.sidebar.subheader[1].value == "Report C"


def test_story_conflicts_are_marked_in_the_matrix(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPARE_ARTICLES", str(tmp_path))  # no files: every report pasted
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.sidebar.button(key="add_report").click().run()
    for side, text in zip("ABC", (STORM[0], STORM[1], STORM[0]), strict=True):
        at.sidebar.radio(key=f"mode_{side}").set_value("Paste").run()
        at.sidebar.text_area(key=f"paste_{side}").set_value(text).run()
    assert not at.exception
    table = matrix(at)
    killed = table[table["text"].str.contains("killed")].iloc[0]
    assert killed["status"] == "all" and "3" in killed["conflicts"] and "5" in killed["conflicts"]
    # the columns name the outlets, here as the sidebar names a pasted report without a source
    assert list(table.columns)[5:8] == ["report A", "report B", "report C"]
    # B conflicts with A and with C: B is the odd one out, and only B is marked
    assert [killed[f"report {s}"][:1] for s in "ABC"] == ["✓", "⚠", "✓"]
    assert int(metric(at, "claims with conflicts")) >= 1
    # each conflict also in full below the matrix, where no cell cuts it off
    shown = [plain(m.value) for m in at.markdown]
    assert any(f"Claim {killed['claim']}: report A #1 reports 3 people, report B #1 5 people" in m for m in shown)


def test_story_only_in_one_report(story_app):
    at = story_app
    table = matrix(at)
    story(at, "Only in one report").selectbox(key="only_report").set_value(2).run()
    mine = table[(table["reports"] == 1) & (table["usatoday"] != "")]
    assert any(f"**{len(mine)} claim(s) only usatoday states**" in m.value for m in at.markdown)
    first = escape_markdown(mine.iloc[0]["text"][:40])
    assert any(first in m.value and m.value.startswith(f"#{mine.iloc[0]['claim']}") for m in at.markdown)


def test_story_pair_picker(story_app):
    at = story(story_app, "Two reports")
    assert at.selectbox(key="pair_a").value == 0 and at.selectbox(key="pair_b").value == 1
    only_a, only_b = metric(at, "only a"), metric(at, "only b")
    at.selectbox(key="pair_a").set_value(1)
    at.selectbox(key="pair_b").set_value(0).run()
    assert not at.exception
    assert (metric(at, "only a"), metric(at, "only b")) == (only_b, only_a)  # the same pair, sides exchanged
    assert any(m.value.startswith("**A** — reuters") for m in at.markdown)
    at.selectbox(key="pair_a").set_value(2).run()
    assert any(m.value.startswith("**A** — usatoday") and "**B** — fox" in m.value for m in at.markdown)
    at.selectbox(key="pair_b").set_value(2).run()
    assert any("two different reports" in i.value for i in at.info)


def test_story_tabs_keep_their_choice(story_app):
    """Each story tab draws when chosen; the two reports' own tab chosen stays chosen while the
    story shows another tab, and so do the reports picked."""
    at = story_app
    for label in TABS:
        assert not story(at, label).exception, label
    assert [t.label for t in at.tabs][len(TABS) :] == list(PAIR_TABS)  # the two reports' tabs inside
    at.selectbox(key="pair_b").set_value(2).run()
    view(at, "Review")
    assert any(box.label == "Aligned pair" for box in at.selectbox)
    story(at, "Coverage matrix")
    assert [t.label for t in at.tabs] == list(TABS) and not any(box.label == "Aligned pair" for box in at.selectbox)
    story(at, "Two reports")
    assert at.session_state["view"] == "Review" and any(box.label == "Aligned pair" for box in at.selectbox)
    assert at.selectbox(key="pair_b").value == 2


def plain(text: str) -> str:
    return text.replace("\\", "")  # Markdown escapes taken out


def claim_picker(at: AppTest):  # noqa: ANN201 - the claims list (its key changes with its labels)
    return next(box for box in at.selectbox if box.label == "Claim")


def numbers(cell: str) -> str:
    """A matrix cell's sentence numbers, its mark (✓ or ⚠, which a split or a move may change) left out."""
    return cell[1:].strip()


def cells(table, claim: int) -> dict[str, str]:
    """Which sentences of each report state `claim` in the matrix."""
    row = table[table["claim"] == claim].iloc[0]
    return {i: numbers(row[i]) for i in IDS}


def without(cells_of: dict[str, str], report: str) -> dict[str, str]:
    """`cells_of` without the first sentence `report` has in it (the claim's first member of that report)."""
    return {**cells_of, report: ", ".join(cells_of[report].split(", ")[1:])}


def rows_with(table, cells_of: dict[str, str]):  # noqa: ANN201 - the matrix rows with these cells
    return table[[all(numbers(row[i]) == c for i, c in cells_of.items()) for _, row in table.iterrows()]]


def test_story_claim_decisions_persist_and_go_stale(story_app):
    """Split the first claim (all three reports): its fox sentence goes, the other two stay a
    claim marked split; confirm another; both read back by a fresh run; other settings make
    them stale (warned, not applied)."""
    at = story(story_app, "Claims review")
    first = claim_picker(at).value
    kept = without(cells(matrix(at), first), "fox")
    assert matrix(at)[matrix(at)["claim"] == first]["status"].item() == "all"
    at.radio(key="claim_action").set_value("split").run()
    at.multiselect(key="claim_part").set_value([0])  # the first sentence: fox's
    at.text_input(key="claim_note").set_value("the ruling and the reaction")
    at.button(key="claim_save").click().run()
    assert not at.exception
    assert any(f"Saved: claim #{first} split" in plain(s.value) for s in at.success)
    assert rows_with(matrix(at), kept)["review"].tolist() == ["split"]
    assert at.radio(key="claim_action").value is None  # the form is empty again

    claim = claim_picker(at).value
    at.radio(key="claim_action").set_value("confirm")
    at.button(key="claim_save").click().run()
    assert any(f"Saved: claim #{claim} confirmed" in plain(s.value) for s in at.success)
    reviewed = (matrix(at)["review"] != "").sum()
    assert reviewed >= 2
    assert any(f"{reviewed} of {len(matrix(at))} claims reviewed" in plain(m.value) for m in at.markdown)

    fresh = started()  # the same review database: the decisions are read back
    assert (shown_matrix(fresh)["review"] != "").sum() == reviewed
    log = next(d.value for d in story(fresh, "Claims review").dataframe if "applied" in d.value.columns)
    assert log["decision"].tolist() == ["split", "confirm"] and log["note"][0] == "the ruling and the reaction"
    assert log["applied"].tolist() == ["yes", "yes"]

    fresh.slider(key="threshold").set_value(1.0).run()  # no links: the claims decided on are gone
    assert any("claim decision(s) no longer match" in w.value for w in fresh.warning)
    assert (matrix(fresh)["review"] != "").sum() == 0


def test_story_move_and_unsaved_form(story_app):
    at = story(story_app, "Claims review")
    at.button(key="claim_save").click().run()
    assert any("Choose a decision" in w.value for w in at.warning)
    first = claim_picker(at).value
    before = cells(matrix(at), first)
    kept = without(before, "reuters")
    at.radio(key="claim_action").set_value("move").run()
    at.selectbox(key="claim_move").set_value(len(before["fox"].split(", ")))  # reuters's sentence, after fox's
    at.button(key="claim_save").click().run()  # to a claim of its own, the default
    assert not at.exception
    assert any("moved to a claim of its own" in plain(s.value) for s in at.success)
    assert rows_with(matrix(at), kept)["review"].tolist() == ["moved"]


def test_story_fourth_report_added_and_removed(story_app):
    """A fourth report (the same file again: its own column, `usatoday-2`), chosen in the pair
    picker and the only-in list, then removed: the page keeps working on the three left."""
    at = added(story_app, "D", "usatoday.txt")
    assert list(matrix(at).columns)[5:9] == [*IDS, "usatoday (usatoday-2)"]  # the same outlet twice
    story(at, "Two reports").selectbox(key="pair_b").set_value(3).run()
    story(at, "Only in one report").selectbox(key="only_report").set_value(3).run()
    assert any("claim(s) only usatoday-2 (usatoday) states" in plain(m.value) for m in at.markdown)
    assert any(m.value.startswith("**A** — fox") and "usatoday" in m.value for m in story(at, "Two reports").markdown)
    at.sidebar.button(key="remove_D").click().run()
    assert not at.exception and not at.error
    assert list(matrix(at).columns)[5:8] == IDS
    assert at.selectbox(key="pair_b").value == 1
    assert story(at, "Only in one report").selectbox(key="only_report").value == 0


def test_a_third_report_that_cannot_be_read_is_left_out_not_the_page(story_app):
    """One bad address for report C (issue 25, item 10): a line says why it is left out, and A and
    B are still compared on the page."""
    at = story_app
    at.sidebar.radio(key="mode_C").set_value("URL").run()
    at.sidebar.text_input(key="url_C").set_value("file:///etc/passwd").run()
    assert not at.exception
    assert any("Report C is left out" in e.value for e in at.sidebar.error)
    assert any("Report C could not be read and is left out" in w.value for w in at.warning)
    assert any(m.value.startswith("#### A:") or "fox" in m.value for m in at.markdown)  # the pair page is drawn
    assert [t.label for t in at.tabs] == ["Side by side", "Aligned pairs", "Review", "Facts", "Similarity map"]
