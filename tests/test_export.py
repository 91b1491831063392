"""Export: CSV headers per contract, golden files for a hand-made comparison, spreadsheet safety."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from compare.export import rows as export
from compare.records import (
    Alignment,
    Article,
    Comparison,
    Conflict,
    ConflictKind,
    Fact,
    FactKind,
    Sentence,
    Side,
    Status,
    Verdict,
)

GOLDEN = Path(__file__).parent / "golden"
CONTRACT_ALIGNMENT = (
    "status,similarity,a_id,a_text,b_id,b_text,shared_facts,a_only_facts,b_only_facts,conflicts,review,note,to_check,"
    "a_source,b_source,wording"
)
CONTRACT_FACTS = "kind,value,in_a,in_b,a_mentions,b_mentions,status,conflict_with,a_sentences,b_sentences"


def sentence(article_id: str, index: int, text: str) -> Sentence:
    return Sentence(article_id, index, text, 0, len(text), index)


def handmade() -> Comparison:
    a = Article("a", "Paper A", "Title A", date(2018, 12, 16), "")
    b = Article("b", "Paper B", "Title B", date(2018, 12, 10), "")
    three = Fact(FactKind.NUMBER, "3 officials", "three", 0, 5, slot="people", amount=3)
    five = Fact(FactKind.NUMBER, "5 North Koreans", "five", 0, 4, slot="people", amount=5)
    monday = Fact(FactKind.DATE, "2018-12-10", "Monday", 0, 6)
    treasury_a = Fact(FactKind.ORG, "Treasury Department", "the Treasury Department", 0, 9)
    treasury_b = Fact(FactKind.ORG, "Treasury Department", "Treasury", 0, 8)
    warmbier = Fact(FactKind.PERSON, "Otto Warmbier", "Otto Warmbier", 0, 13)
    formula = Fact(FactKind.NUMBER, "-5 percent", "-5%", 0, 3, slot="percent", amount=-5)
    a_sentences = (
        sentence("a", 0, "Sanctions hit three top officials Monday."),
        sentence("a", 1, "The Treasury Department acted."),
        sentence("a", 2, "=SUM(A1:A2) is not a formula here."),
    )
    b_sentences = (
        sentence("b", 0, "Sanctions hit five North Koreans Monday."),
        sentence("b", 1, "Treasury acted, officials said."),
        sentence("b", 2, "Otto Warmbier died."),
    )
    a_facts = ((three, monday), (treasury_a,), (formula,))
    b_facts = ((five, monday), (treasury_b,), (warmbier,))
    verdicts = (
        Verdict(
            Alignment(0, 0, 0.91234, 0.8),
            Status.CONFLICT,
            ("date:2018-12-10",),
            (),
            (),
            (Conflict(ConflictKind.CONTRADICTION, three, five, "three", "five"),),
        ),
        Verdict(Alignment(1, 1, 0.8, 0.7), Status.AGREE, ("org:Treasury Department",)),
        Verdict(Alignment(2, None, None), Status.ONLY_A, a_only=("number:-5 percent",)),
        Verdict(Alignment(None, 2, None), Status.ONLY_B, b_only=("person:Otto Warmbier",)),
    )
    return Comparison(
        Side(a, a_sentences, a_facts, np.eye(3, dtype=np.float32)),
        Side(b, b_sentences, b_facts, np.eye(3, dtype=np.float32)),
        verdicts,
        "test",
    )


def test_alignment_csv_matches_golden():
    rows = export.alignment_rows(handmade(), {(1, 1): ("confirmed", "checked by hand")})
    text = export.csv_text(rows, export.ALIGNMENT_COLUMNS)
    assert text.splitlines()[0] == CONTRACT_ALIGNMENT
    assert text == (GOLDEN / "alignment.csv").read_text(encoding="utf-8")


def test_discrepancy_csv_matches_golden():
    rows = export.discrepancy_rows(export.alignment_rows(handmade()))
    assert [r["status"] for r in rows] == ["conflict", "only_a", "only_b"]
    text = export.csv_text(rows, export.ALIGNMENT_COLUMNS)
    assert text == (GOLDEN / "discrepancies.csv").read_text(encoding="utf-8")


def test_facts_csv_matches_golden():
    rows = export.fact_rows(handmade())
    text = export.csv_text(rows, export.FACT_COLUMNS)
    assert text.splitlines()[0] == CONTRACT_FACTS
    assert text == (GOLDEN / "facts.csv").read_text(encoding="utf-8")
    by_value = {r["value"]: r for r in rows}
    assert by_value["3 officials"]["status"] == "conflict"
    assert by_value["3 officials"]["conflict_with"] == "5 North Koreans"
    assert by_value["Treasury Department"]["a_mentions"] == "the Treasury Department"
    assert by_value["Treasury Department"]["b_mentions"] == "Treasury"
    assert by_value["2018-12-10"]["status"] == "shared"


def test_formula_cells_neutralised_in_csv_but_raw_in_json():
    comparison = handmade()
    rows = export.alignment_rows(comparison)
    parsed = list(csv.DictReader(io.StringIO(export.csv_text(rows, export.ALIGNMENT_COLUMNS))))
    cell = next(r["a_text"] for r in parsed if r["a_id"] == "2")
    assert cell.startswith("'=SUM")
    payload = json.loads(export.comparison_json(comparison))
    assert any(r["a_text"].startswith("=SUM") for r in payload["alignment"])


def test_write_csv(tmp_path):
    path = tmp_path / "out.csv"
    export.write_csv(path, export.alignment_rows(handmade()), export.ALIGNMENT_COLUMNS)
    assert path.read_text(encoding="utf-8").splitlines()[0] == CONTRACT_ALIGNMENT


def note_rows(note: str) -> list[dict[str, str]]:
    return export.alignment_rows(handmade(), {(1, 1): ("confirmed", note)})


def test_carriage_return_in_a_note_stays_in_its_row():
    text = export.csv_text(note_rows("ok\r=1+1"), export.ALIGNMENT_COLUMNS)
    parsed = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(parsed) == 4  # the note did not start a fifth row
    assert next(r["note"] for r in parsed if r["a_id"] == "1") == "ok\r'=1+1"
    assert not [line for line in text.splitlines() if line.startswith(export.FORMULA_START)]


def test_line_breaks_inside_a_cell_are_neutralised_line_by_line(tmp_path):
    path = tmp_path / "out.csv"
    export.write_csv(path, note_rows("a\n+1\r\n-2\r@3"), export.ALIGNMENT_COLUMNS)
    raw = path.read_bytes().decode("utf-8")
    with open(path, newline="", encoding="utf-8") as handle:
        parsed = list(csv.DictReader(handle))
    assert next(r["note"] for r in parsed if r["a_id"] == "1") == "a\n'+1\r\n'-2\r'@3"
    assert len(parsed) == 4
    assert not [line for line in raw.splitlines() if line.startswith(export.FORMULA_START)]


FULL_WIDTH = [
    ("\uff1d1+1", "'\uff1d1+1"),  # FULLWIDTH EQUALS SIGN
    ("\ufe66HYPERLINK()", "'\ufe66HYPERLINK()"),  # SMALL EQUALS SIGN
    ("\uff0b1", "'\uff0b1"),  # FULLWIDTH PLUS SIGN
    ("\uff0d1", "'\uff0d1"),  # FULLWIDTH HYPHEN-MINUS
    ("\uff20SUM(A1)", "'\uff20SUM(A1)"),  # FULLWIDTH COMMERCIAL AT
    ("ok\r\uff1d1", "ok\r'\uff1d1"),
    ("plain \uff1d inside", "plain \uff1d inside"),
    ("", ""),
]


def test_full_width_formula_characters_are_neutralised():
    for note, expected in FULL_WIDTH:
        assert export.neutralise(note) == expected, note
        parsed = list(
            csv.DictReader(io.StringIO(export.csv_text(note_rows(note), export.ALIGNMENT_COLUMNS), newline=""))
        )
        assert next(r["note"] for r in parsed if r["a_id"] == "1") == expected, note


def test_csv_reader_reads_back_every_cell():
    import random

    rng = random.Random(7)
    alphabet = ["a", " ", ",", '"', "\r", "\n", "=", "'", "\uff1d"]
    rows = [{c: "".join(rng.choices(alphabet, k=rng.randrange(6))) for c in export.FACT_COLUMNS} for _ in range(300)]
    parsed = list(csv.DictReader(io.StringIO(export.csv_text(rows, export.FACT_COLUMNS), newline="")))
    assert parsed == [{c: export.neutralise(r[c]) for c in export.FACT_COLUMNS} for r in rows]


def test_one_date_of_two_events_is_two_facts_rows():
    """A date both reports give, of events whose words differ ("declared an emergency" vs "evacuated
    the hospital"), is a row per report; of events that share a word, or of an event not named, one."""

    def rows_of(a_slot: str, b_slot: str) -> list[tuple[str, str, str]]:
        comparison = handmade()
        a_day = Fact(FactKind.DATE, "2019-07-04", "Thursday", 0, 8, slot=a_slot)
        b_day = Fact(FactKind.DATE, "2019-07-04", "Thursday", 0, 8, slot=b_slot)
        a_side = replace(comparison.a_side, facts=((a_day,), (), ()))
        b_side = replace(comparison.b_side, facts=((b_day,), (), ()))
        rows = export.fact_rows(replace(comparison, a_side=a_side, b_side=b_side, verdicts=()))
        return [(r["value"], r["in_a"], r["in_b"]) for r in rows]

    assert rows_of("declare emergency", "evacuate hospital") == [
        ("2019-07-04", "true", "false"), ("2019-07-04", "false", "true")]
    assert rows_of("declare emergency", "emergency") == [("2019-07-04", "true", "true")]
    assert rows_of("declare emergency", "") == [("2019-07-04", "true", "true")]


def test_excel_csv_starts_with_a_byte_order_mark(tmp_path):
    rows = export.alignment_rows(handmade())
    export.write_csv(tmp_path / "plain.csv", rows, export.ALIGNMENT_COLUMNS)
    export.write_csv(tmp_path / "excel" / "x.csv", rows, export.ALIGNMENT_COLUMNS, excel=True)
    plain, excel = (tmp_path / "plain.csv").read_bytes(), (tmp_path / "excel" / "x.csv").read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf") and excel == b"\xef\xbb\xbf" + plain
    assert [r["a_source"] for r in rows] == ["Paper A"] * len(rows) and {r["b_source"] for r in rows} == {"Paper B"}
