"""The out-of-scope boundary: chatter and other services that use our words start no intake, and the
chatty in-scope look-alikes beside them still do (nlp/data/dev10.jsonl, written for this boundary)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from nlp import INTENTS, understand
from nlp.classifier import DATA

TODAY = date(2026, 11, 22)
DEV10 = DATA / "dev10.jsonl"
OOS2 = DATA / "train_oos2.tsv"
INTAKE = {"enroll", "inform"}


def _rows() -> list[dict]:
    return [json.loads(line) for line in DEV10.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_dev10_lines_are_well_formed() -> None:
    rows = _rows()
    assert len({row["text"] for row in rows}) == len(rows), "a line is repeated"
    for row in rows:
        assert row["intent"] in INTENTS
        assert isinstance(row["entities"], dict)
        # chatter is out of scope by definition; in-scope lines carry another tag
        assert ("chatter" in row["tags"]) == (row["intent"] == "out_of_scope")


def test_train_oos2_lines_are_well_formed() -> None:
    content = OOS2.read_text(encoding="utf-8")
    lines = [line for line in content.splitlines() if line.strip() and not line.startswith("#")]
    texts = []
    for line in lines:
        intent, _, text = line.partition("\t")
        assert intent in INTENTS, line
        assert text.strip(), line
        texts.append(text)
    assert len(set(texts)) == len(texts), "a line is repeated"


@pytest.fixture(scope="module")
def dev10_readings() -> list[tuple[dict, str]]:
    return [(row, understand(row["text"], today=TODAY).intent) for row in _rows()]


def test_chatter_starts_no_intake_and_rarely_an_answer(dev10_readings: list[tuple[dict, str]]) -> None:
    chatter = [got for row, got in dev10_readings if "chatter" in row["tags"]]
    assert len(chatter) >= 100
    intake = sum(got in INTAKE for got in chatter)
    faq = sum(got.startswith("ask_") for got in chatter)
    # The product targets on real chatter: at most 1 % start an intake, at most 5 % get an FAQ answer.
    assert intake / len(chatter) <= 0.01, [row["text"] for row, got in dev10_readings if got in INTAKE]
    assert faq / len(chatter) <= 0.05


def test_chatty_applicants_are_not_swallowed(dev10_readings: list[tuple[dict, str]]) -> None:
    in_scope = [(row, got) for row, got in dev10_readings if row["intent"] != "out_of_scope"]
    lost = [row["text"] for row, got in in_scope if got == "out_of_scope"]
    assert len(lost) <= len(in_scope) * 0.05, lost


@pytest.mark.parametrize(
    "text",
    [
        "อยากเรียนทำขนมปังไว้ขายหน้าบ้าน มีคอร์สออนไลน์ไหมคะ",
        "ลูกชายอายุ 21 ต้องไปตรวจเลือกทหารที่อำเภอวันไหนครับ",
        "รับทำวุฒิ ม.6 ด่วน ไม่ต้องสอบ ทักแชทเลย",
        "ผลสอบ TCAS รอบสองออกแล้ว ติดคณะที่อยากได้ 😭",
    ],
)
def test_other_services_and_hobbies_start_no_intake(text: str) -> None:
    assert understand(text, today=TODAY).intent not in INTAKE
