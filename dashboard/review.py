"""The review tab: one pair at a time, its own decision or an empty form, next / previous, a
counter, marks on reviewed pairs, a confirmation after each save; and links the tool missed."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import date

import streamlit as st

from compare.export import explain
from compare.export.explain import numbered
from compare.records import Comparison, Verdict
from compare.review.store import Action, Decision, HistoryEntry, ReviewStore, report_key
from compare.sqlite import StoreError
from dashboard.desk import Desk, md, pair_words
from dashboard.review_history import (
    conflict_panel,
    form_version,
    history_download,
    pair_history,
    read_history,
    reviewer_name,
    save_decision,
)
from dashboard.review_learn import improve_button, ordered
from dashboard.sidebar import get_session
from dashboard.tabs import KEEP

ACTIONS = ["confirm", "reject", "relabel", "split"]
LABELS = ["agree", "partial", "conflict"]
SHORTCUTS = {"review_previous": "Alt+P", "review_next": "Alt+N", "review_save": "Alt+S"}  # listed in docs/dashboard.md
Pair = tuple[int, int]


def place_kept(order: list[Pair], options: list[Pair], before: Pair | None) -> Pair:
    """The pair to show from `options` when the one chosen `before` is not among them (it was
    just reviewed with *Only pairs not yet reviewed* ticked, or the box was ticked on it): the
    first option after it in `order`, else the last option before it; the first when there was none."""
    if before in options or before not in order:
        return before if before in options else options[0]
    here = order.index(before)
    after = [p for p in options if order.index(p) > here]
    return after[0] if after else options[-1]


def store_review(desk: Desk, change: Callable[[ReviewStore], object], done: str) -> None:
    """Apply `change` to the review store and rerun, with `done` shown as a green confirmation on
    the next run; if the store cannot be written, a red line says so (the page, and the note just
    typed, stay as they are)."""
    try:
        change(ReviewStore(desk.store))
    except StoreError as error:
        st.error(md(f"Decision not saved: {error}"))
    else:
        st.session_state["review_done"] = done
        st.rerun()


def fill_review_form(pair: Pair, saved: dict, reports: tuple[str, ...] = ()) -> None:
    """When the chosen pair changes (its sentences, or the reports it is in: `reports`, their ids
    and content hashes), load its own saved decision into the review form, or empty the form when
    it has none: a note, a decision or the version it was made on never carries over to another pair."""
    if st.session_state.get("review_form_pair") == (reports, pair):
        return
    decision = saved.get(pair)
    action = decision.action.value if decision else None
    st.session_state["review_action"] = action if action in ACTIONS else None
    st.session_state["review_label"] = decision.label if decision and decision.label in LABELS else LABELS[0]
    st.session_state["review_note"] = decision.note if decision else ""
    st.session_state["review_form_pair"] = (reports, pair)
    form_version(pair, saved)


def step_pair(options: list[Pair], key: str, step: int) -> None:
    """Choose the pair `step` places after (or before) the chosen one in `options`, stopping at the
    first and the last (never wrapping round to the other end)."""
    chosen = st.session_state.get(key, st.session_state.get("review_chosen"))
    here = options.index(chosen) if chosen in options else 0
    st.session_state["review_chosen"] = st.session_state[key] = options[max(0, min(len(options) - 1, here + step))]


def picker_key(labels: list[str]) -> str:
    """The pair list's widget key, new whenever its labels change. The browser sends a choice
    back as its label, so a list whose labels change under it (a ✓ or a new status after a save)
    would lose the choice; a new key makes a new list, set to the pair chosen before."""
    return "review_pair_" + hashlib.sha1("\n".join(labels).encode("utf-8")).hexdigest()[:12]


def review_tab(desk: Desk) -> None:
    """The whole review tab."""
    st.caption(f"Decisions are saved in {md(str(desk.store))} and go into every export (columns review, note).")
    st.text_input(
        "Reviewer",
        value=os.environ.get("COMPARE_REVIEWER", ""),
        key="reviewer",
        persist_state=KEEP,
        placeholder="your name, saved with each decision in the history",
    )
    if done := st.session_state.pop("review_done", None):
        st.success(md(done))
    history = read_history(desk)
    pairs = aligned(desk.tool) | aligned(desk.comparison)  # a rejected or split pair stays in the list
    if pairs:
        review_pair(desk, pairs, history)  # type: ignore[arg-type]
    link_pair(desk)
    if desk.current:
        st.markdown("**Decisions on these reports**")
        table = [
            {"pair": pair_words((d.a_id, d.b_id)), "decision": d.action.value, "label": d.label, "note": d.note}
            for d in desk.current
        ]
        import pandas as pd  # imported when needed (see `dashboard.views`)

        st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    history_download(desk, history, date.today())
    improve_button(desk, get_session(desk.config.model, desk.config.backend))


def aligned(comparison: Comparison) -> dict[Pair, Verdict]:
    """The aligned pairs of `comparison` and their verdicts, in its order."""
    return {(v.alignment.a, v.alignment.b): v for v in comparison.verdicts
            if v.alignment.a is not None and v.alignment.b is not None}


def pair_picker(desk: Desk, pairs: dict[Pair, Verdict]) -> Pair | None:
    """The counter, the not-yet-reviewed filter, previous / next and the pair list; the chosen pair
    (kept in `review_chosen` across changes of the list), None when the filter leaves no pair.
    With *Only pairs not yet reviewed* ticked a reviewed pair leaves the list, and the place is
    kept: the next pair not yet reviewed after it is chosen (`place_kept`), so a save never lands
    on a decision already made."""
    saved = desk.saved
    a_text = [s.text for s in desk.comparison.a_sentences]
    st.markdown(f"**{sum(p in saved for p in pairs)} of {len(pairs)} reviewed**")
    unreviewed_only = st.checkbox("Only pairs not yet reviewed", key="review_unreviewed", persist_state=KEEP)
    order = ordered(pairs, desk)
    options = [p for p in order if not (unreviewed_only and p in saved)]
    if not options:
        st.success("Every aligned pair has a decision: untick *Only pairs not yet reviewed* to see them again.")
        return None
    before = place_kept(order, options, st.session_state.get("review_chosen"))

    kept = aligned(desk.comparison)

    def label(p: Pair) -> str:
        tag = pairs[p].status.value if p in kept else explain.REVIEW_WORDS[saved[p].action.value]  # rejected, split
        return f"{'✓' if p in saved else '○'} {numbered('A', p[0])} ↔ {numbered('B', p[1])} [{tag}] {a_text[p[0]][:70]}"

    key = picker_key([label(p) for p in options])
    chosen = st.session_state.get(key, before)
    st.session_state["review_chosen"] = st.session_state[key] = chosen if chosen in options else before
    steps = st.container(horizontal=True)  # each button as wide as its label: never cut to "◀ Pr…"
    back, forward = steps, steps
    place = options.index(st.session_state[key])
    back.button("◀ Previous", key="review_previous", on_click=step_pair, args=(options, key, -1), shortcut="Alt+P",
                disabled=place == 0)
    forward.button("Next ▶", key="review_next", on_click=step_pair, args=(options, key, 1), shortcut="Alt+N",
                   disabled=place == len(options) - 1)
    return st.selectbox("Aligned pair", options, format_func=label, key=key)


def review_pair(desk: Desk, pairs: dict[Pair, Verdict], history: list[HistoryEntry] | None) -> None:
    """One pair: both sentences in full, why it has its status, and the decision form."""
    c = desk.comparison
    chosen = pair_picker(desk, pairs)
    if chosen is None:
        return
    verdict = pairs[chosen]
    fill_review_form(chosen, desk.saved, (*report_key(c.a), *report_key(c.b)))
    left, right = st.columns(2)
    left.markdown(f"**{numbered('A', chosen[0])}** ({md(c.a.source)})  \n{md(c.a_sentences[chosen[0]].text)}")
    right.markdown(f"**{numbered('B', chosen[1])}** ({md(c.b.source)})  \n{md(c.b_sentences[chosen[1]].text)}")
    st.info(f"**{md(explain.STATUS_NAMES[verdict.status])}**: {md(desk.why_text(verdict))}")
    action = st.radio(
        "Decision",
        ACTIONS,
        index=None,
        horizontal=True,
        key="review_action",
        persist_state=KEEP,
        help="confirm: the pair is right as it is; reject: the two sentences do not say the same thing, so they "
        "are no longer aligned (each becomes one-sided, or keeps its other partners) and the counts and exports "
        "follow; relabel: keep the pair with another status; split: the pair mixes two claims, with the same "
        "effect as reject. A rejected or split pair stays in this list, so its decision can be forgotten.",
    )
    label = st.selectbox("New status", LABELS, key="review_label", persist_state=KEEP) if action == "relabel" else ""
    note = st.text_input("Note", key="review_note", persist_state=KEEP)
    if st.button("Save decision", key="review_save", type="primary", shortcut="Alt+S"):
        if action is None:
            st.warning("Choose a decision (confirm, reject, relabel or split) before saving.")
        else:
            decision = Decision(*chosen, Action(action), label, note, reviewer=reviewer_name())
            done = f"Saved: {pair_words(chosen)} {explain.REVIEW_WORDS[action]}" + (f" {label}" if label else "")
            if (earlier := desk.saved.get(chosen)) and (earlier.action, earlier.label, earlier.note) != (
                decision.action, decision.label, decision.note
            ):  # never replaced in silence
                done += f", replacing the earlier decision ({explain.REVIEW_WORDS[earlier.action.value]})"
            save_decision(desk, chosen, decision, done, st.session_state.get("review_form_version", 0))
    conflict_panel(desk, chosen)
    if chosen in desk.saved and st.button("Forget decision", key="review_forget"):
        st.session_state.pop("review_form_pair", None)  # the form empties with the decision
        forgotten = f"Forgotten: the decision on {pair_words(chosen)}"
        store_review(desk, lambda store: store.delete(c, *chosen, reviewer_name()), forgotten)
    pair_history(history, chosen)


def link_pair(desk: Desk) -> None:
    """Link two sentences the tool left apart."""
    a_text = [s.text for s in desk.comparison.a_sentences]
    b_text = [s.text for s in desk.comparison.b_sentences]
    st.markdown("**Link two sentences the tool left apart**")
    link_a = st.selectbox(
        "A sentence",
        list(range(len(a_text))),
        format_func=lambda i: f"{numbered('A', i)}: {a_text[i][:80]}",
        key="link_a",
        persist_state=KEEP,
    )
    link_b = st.selectbox(
        "B sentence",
        list(range(len(b_text))),
        format_func=lambda j: f"{numbered('B', j)}: {b_text[j][:80]}",
        key="link_b",
        persist_state=KEEP,
    )
    link_note = st.text_input("Note", key="link_note", persist_state=KEEP)
    if st.button("Link", key="link_save"):
        link = Decision(link_a, link_b, Action.LINK, note=link_note)
        done = f"Saved: {pair_words((link_a, link_b))} linked"
        store_review(desk, lambda store: store.save(desk.comparison, link, desk.config), done)
