"""The review tab's part in learning: the order pairs are met in (reading order, or the ones the
judges are least sure of first), and *Improve from my reviews*, which refits the match model and
the conflict judge from the decisions (`compare.quality.reviews`)."""

from __future__ import annotations

import streamlit as st

from compare.quality.reviews import MIN_DECISIONS, learn, summary_lines
from compare.records import Verdict
from compare.review.order import uncertain_first
from compare.review.store import ReviewStore
from compare.sqlite import StoreError
from dashboard.desk import Desk, md
from dashboard.tabs import KEEP

Pair = tuple[int, int]
ORDERS = {"reading order": "reading", "least sure first": "uncertain"}


def ordered(pairs: dict[Pair, Verdict], desk: Desk) -> list[Pair]:
    """The pairs in the order the reviewer chose: reading order, or least sure first."""
    choice = st.radio(
        "Order",
        list(ORDERS),
        horizontal=True,
        key="review_order",
        persist_state=KEEP,
        help="least sure first: the pairs the match model or the conflict judge is nearest to calling the other "
        "way come first; deciding those teaches Improve from my reviews most",
    )
    if ORDERS[choice] == "reading":
        return list(pairs)
    rank = {id(v): k for k, v in enumerate(uncertain_first(pairs.values(), desk.config))}
    return sorted(pairs, key=lambda p: rank[id(pairs[p])])


def improve_button(desk: Desk, session: object) -> None:
    """*Improve from my reviews*: refit both models from every current decision, say what changed,
    and use the refit when it agrees with the decisions at least as well (held out by report pair)."""
    st.markdown("**Improve from my reviews**")
    st.caption(
        f"Refits the match model and the conflict judge on the reference pairs and your decisions (at least "
        f"{MIN_DECISIONS}, each weighing 5 reference rows), and uses the refit only if it agrees with your decisions "
        "at least as well as the models in use, held out by report pair. `python -m compare learn --reset` undoes it."
    )
    if not st.button("Improve from my reviews", key="review_learn"):
        return
    try:
        with st.spinner("Refitting the match model and the conflict judge…"):
            version, used, result = learn(ReviewStore(desk.store), desk.config, session)
    except (StoreError, ValueError) as error:
        st.warning(md(str(error)))
        return
    text = "  \n".join(md(line) for line in summary_lines(version, used, result))
    (st.success if used else st.warning)(text)
