"""Degenerate comparisons give sane output, and properties that hold for any input (hypothesis)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compare import Config
from compare.export import rows as export
from compare.pipeline import compare_articles, comparison_warnings
from compare.read.load import load_file, parse_article
from compare.records import Article, LoadError, Status
from tests.conftest import SEED_A, SEED_B

MIRROR = {Status.ONLY_A: Status.ONLY_B, Status.ONLY_B: Status.ONLY_A}


class HashEncoder:
    """A deterministic stand-in encoder for property tests: bag of hashed words, 64 dimensions."""

    def encode(self, sentences, **kwargs):
        out = np.zeros((len(sentences), 64), dtype=np.float32)
        for row, text in enumerate(sentences):
            for word in text.lower().split():
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
        return out


def test_identical_reports_all_agree(encoder):
    a = load_file(SEED_B)
    comparison = compare_articles(a, replace(a, id="copy"), Config(), encoder)
    assert {v.status for v in comparison.verdicts} == {Status.AGREE}
    assert len(comparison.verdicts) == len(comparison.a_sentences)


def test_one_sentence_report(encoder):
    a = load_file(SEED_A)
    b = Article(
        "one",
        "One",
        "",
        date(2018, 12, 10),
        "The Treasury Department sanctioned three North Korean officials on Monday.",
    )
    comparison = compare_articles(a, b, Config(), encoder)
    rows = export.alignment_rows(comparison)
    assert {r["b_id"] for r in rows if r["b_id"]} == {"0"}
    assert any(r["status"] in ("agree", "partial", "conflict") for r in rows)


def test_reports_with_nothing_in_common_are_all_one_sided(encoder, tmp_path):
    a = load_file(SEED_A)
    b = parse_article(
        "The storm hit the coast on Monday, killing ten people. Schools will stay closed until Thursday, the "
        "education minister said. Power companies said it could take a week to restore electricity to all homes.",
        article_id="storm",
        published=date(2021, 3, 3),
    )
    comparison = compare_articles(a, b, Config(), encoder)
    assert {v.status for v in comparison.verdicts} <= {Status.ONLY_A, Status.ONLY_B}


def test_non_english_report_warns(encoder):
    a = load_file(SEED_A)
    b = Article(
        "de",
        "De",
        "",
        None,
        "Das Finanzministerium der Vereinigten Staaten hat am Montag Sanktionen gegen drei "
        "nordkoreanische Funktionäre verhängt. Die Regierung in Pjöngjang reagierte empört auf die Maßnahmen.",
    )
    comparison = compare_articles(a, b, Config(), encoder)
    warnings = comparison_warnings(comparison)
    assert [w.split(":")[0].split(" does")[0] for w in warnings] == ["report B has no publication date", "report B"]
    assert warnings[1].startswith("report B does not look English")
    assert comparison_warnings(compare_articles(a, load_file(SEED_B), Config(), encoder)) == []


def sentence_ids(rows, side):
    return {int(r[f"{side}_id"]) for r in rows if r[f"{side}_id"]}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=400), st.text(min_size=1, max_size=400))
def test_arbitrary_text_never_crashes_and_covers_every_sentence(text_a, text_b):
    try:
        a = parse_article(text_a, article_id="a", published=date(2020, 1, 1))
        b = parse_article(text_b, article_id="b", published=date(2020, 1, 1))
        comparison = compare_articles(a, b, Config(), HashEncoder())
    except LoadError:
        return  # refused with a one-line reason: fine
    rows = export.alignment_rows(comparison)
    assert sentence_ids(rows, "a") == set(range(len(comparison.a_sentences)))
    assert sentence_ids(rows, "b") == set(range(len(comparison.b_sentences)))
    export.csv_text(rows, export.ALIGNMENT_COLUMNS)
    export.csv_text(export.fact_rows(comparison), export.FACT_COLUMNS)


WORDS = st.sampled_from(
    "the minister said three officials were sanctioned on Monday in Seoul and Washington by Treasury "
    "police arrested 12 people after protests at least 40 were injured Kim Trump storm".split()
)
SENTENCE = st.lists(WORDS, min_size=3, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")
REPORT = st.lists(SENTENCE, min_size=1, max_size=6).map(" ".join)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REPORT, REPORT)
def test_swapping_reports_mirrors_the_statuses(text_a, text_b):
    a = Article("a", "A", "", date(2020, 1, 1), text_a)
    b = Article("b", "B", "", date(2020, 1, 1), text_b)
    forward = compare_articles(a, b, Config(), HashEncoder())
    backward = compare_articles(b, a, Config(), HashEncoder())
    there = {(v.alignment.a, v.alignment.b): v.status for v in forward.verdicts}
    back = {(v.alignment.b, v.alignment.a): MIRROR.get(v.status, v.status) for v in backward.verdicts}
    assert there == back
