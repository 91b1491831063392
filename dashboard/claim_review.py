"""The claims review tab: one claim at a time with its sentences and conflicts; confirm it,
reject it, split it (choose the sentences that go) or move one sentence to another claim (or a
claim of its own); the decisions so far, and a way to forget them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping

import streamlit as st

from compare.export.explain import numbered
from compare.records import Claim, Member
from compare.sqlite import StoreError
from compare.story.claim_review import REVIEW_WORDS, ClaimAction, ClaimDecision, ClaimReviewStore
from compare.story.export import claim_conflict_text
from dashboard.desk import md
from dashboard.story_desk import StoryDesk
from dashboard.tabs import KEEP

ACTIONS = [a.value for a in ClaimAction]
OWN = 0  # the move target meaning "a claim of its own" (claim ids start at 1)
FORM_KEYS = ("claim_action", "claim_part", "claim_move", "claim_target", "claim_note")


def store_claim(desk: StoryDesk, change: Callable[[ClaimReviewStore], object], done: str) -> None:
    """Apply `change` to the review store and rerun with `done` confirmed in green and the form
    emptied; if the store cannot be written, a red line says so."""
    try:
        change(ClaimReviewStore(desk.store))
    except StoreError as error:
        st.error(md(f"Claim decision not saved: {error}"))
    else:
        st.session_state["claim_done"] = done
        st.session_state.pop("claim_form_for", None)
        st.rerun()


def fill_claim_form(claim: Claim) -> None:
    """An empty form whenever another claim is chosen (or after a save): nothing carries over."""
    if st.session_state.get("claim_form_for") == claim.members:
        return
    for key in FORM_KEYS:
        st.session_state.pop(key, None)
    st.session_state["claim_form_for"] = claim.members


def pick_claim(desk: StoryDesk) -> Claim:
    """The counter and the claim list (its key new whenever its labels change, as the pair list's)."""
    claims = {c.id: c for c in desk.story.claims}
    st.markdown(f"**{sum(i in desk.reviews for i in claims)} of {len(claims)} claims reviewed**")
    labels = {i: desk.claim_label(c) for i, c in claims.items()}
    key = "claim_pick_" + hashlib.sha1("\n".join(labels.values()).encode("utf-8")).hexdigest()[:12]
    chosen = st.session_state.get(key, st.session_state.get("claim_chosen"))
    st.session_state[key] = chosen if chosen in claims else next(iter(claims))
    st.session_state["claim_chosen"] = st.selectbox("Claim", list(claims), format_func=labels.__getitem__, key=key)
    return claims[st.session_state["claim_chosen"]]


def show_claim(desk: StoryDesk, claim: Claim) -> None:
    """The claim's sentences in full, its conflicts, and the reviewer's decision if any."""
    lines = [f"**Claim #{claim.id}**, stated by {len(claim.reports)} of {len(desk.story.ids)} reports"]
    lines += [md(desk.member_line(m)) for m in claim.members]
    st.info("  \n".join(lines))
    for conflict in claim.conflicts:
        st.error(md(claim_conflict_text(desk.story, conflict, for_people=True)))
    if claim.id in desk.reviews:
        review, note = desk.reviews[claim.id]
        st.caption(md(f"Reviewer: {review}" + (f" ({note})" if note else "")))


def claim_decision(
    claim: Claim, action: str | None, part: list[int], target: int, claims: Mapping[int, Claim], note: str
) -> ClaimDecision | str:
    """The decision the form describes, or what is missing from it in one line. `part` are
    positions in `claim.members`; `target` a claim id, or `OWN`."""
    if action is None:
        return "Choose a decision (confirm, reject, split or move) before saving."
    chosen = tuple(claim.members[k] for k in part)
    if action == ClaimAction.SPLIT and not 0 < len(chosen) < len(claim.members):
        return "Choose the sentences that go to a claim of their own (some, not all)."
    if action == ClaimAction.MOVE:
        if len(chosen) != 1:
            return "Choose the sentence to move."
        if target == OWN and len(claim.members) == 1:
            return "This sentence is a claim of its own already; choose another claim to move it to."
        into = claims[target].members if target != OWN else ()
        return ClaimDecision(ClaimAction.MOVE, claim.members, chosen, into, note)
    return ClaimDecision(ClaimAction(action), claim.members, chosen if action == ClaimAction.SPLIT else (), (), note)


def claim_form(desk: StoryDesk, claim: Claim) -> None:
    """The decision, what it needs (the sentences that go, the sentence to move and where), a note, save."""
    claims = {c.id: c for c in desk.story.claims}
    positions = list(range(len(claim.members)))

    def sentence(k: int) -> str:
        return desk.member_line(claim.members[k])[:90]

    action = st.radio(
        "Claim decision",
        ACTIONS,
        index=None,
        horizontal=True,
        key="claim_action",
        persist_state=KEEP,
        help="reject: its sentences are not one claim, each becomes a claim of its own; split: the sentences "
        "chosen become a claim of their own; move: one sentence goes to another claim, or its own",
    )
    part: list[int] = []
    target = OWN
    if action == ClaimAction.SPLIT:
        part = st.multiselect(
            "Sentences that go to a claim of their own",
            positions,
            format_func=sentence,
            key="claim_part",
            persist_state=KEEP,
        )
    elif action == ClaimAction.MOVE:
        part = [st.selectbox("Sentence to move", positions, format_func=sentence, key="claim_move", persist_state=KEEP)]
        others = [OWN, *(i for i in claims if i != claim.id)]
        target = st.selectbox(
            "Move it to",
            others,
            format_func=lambda i: "a claim of its own" if i == OWN else desk.claim_label(claims[i]),
            key="claim_target",
            persist_state=KEEP,
        )
    note = st.text_input("Note", key="claim_note", persist_state=KEEP)
    if st.button("Save claim decision", key="claim_save", type="primary"):
        decision = claim_decision(claim, action, part, target, claims, note)
        if isinstance(decision, str):
            st.warning(decision)
            return
        where = f" to claim #{target}" if target != OWN else " to a claim of its own"
        done = f"Saved: claim #{claim.id} {REVIEW_WORDS[decision.action]}" + (where if action == "move" else "")
        store_claim(desk, lambda store: store.save(desk.story, decision, desk.config), done)


def decisions_table(desk: StoryDesk) -> None:
    """Every claim decision on these reports, oldest first, and whether it still applies."""

    def sentences(members: tuple[Member, ...]) -> str:
        return ", ".join(numbered(f"{desk.story.ids[m.report]} #", m.sentence) for m in members)

    table = [
        {
            "decision": d.action.value,
            "claim": sentences(d.members),
            "part": sentences(d.part),
            "to": sentences(d.target),
            "note": d.note,
            "applied": "no (stale)" if d in desk.stale else "yes",
        }
        for d in desk.decisions
    ]
    st.markdown("**Claim decisions on these reports**")
    import pandas as pd  # imported when needed (see `dashboard.views`)

    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    if st.button("Forget the claim decisions on these reports", key="claim_forget"):
        store_claim(desk, lambda store: store.clear(desk.story), "Forgotten: every claim decision on these reports")


def claims_tab(desk: StoryDesk) -> None:
    """The whole claims review tab."""
    st.caption(
        f"Claim decisions are saved in {md(str(desk.store))} and go into the claims CSV and the story JSON "
        "(columns review, note)."
    )
    if done := st.session_state.pop("claim_done", None):
        st.success(md(done))
    claim = pick_claim(desk)
    fill_claim_form(claim)
    show_claim(desk, claim)
    claim_form(desk, claim)
    if desk.decisions:
        decisions_table(desk)
