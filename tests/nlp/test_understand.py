"""The NLU contract (DESIGN §3): table-driven intents and entities, never raising, quality gate."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nlp
from nlp import INTENTS, Understanding, find_national_ids, mask_national_ids, understand

TODAY = date(2026, 11, 22)
DATA = Path(nlp.__file__).with_name("data")

# (text, intent, entities) — the contract's own examples first, then everyday chat.
CASES = [
    (
        "ลูกอายุ ๑๕ ออกตอน ม.2 อยู่ อ.เถิน ลำปางค่ะ",
        "inform",
        {
            "role": "parent",
            "age": 15,
            "grade": "m2",
            "grade_status": "left_during",
            "province": "52",
            "district": "5208",
        },
    ),
    ("ผมอายุ 17 อยู่เถิน จบ ม.2", "inform", {"age": 17, "district": "5208", "grade": "m2", "grade_status": "completed"}),
    ("อายุ 14 เรียนได้ไหม", "ask_eligibility", {"age": 14}),
    ("ลูกเรื่องถึงไหนแล้ว", "status", {"role": "parent"}),
    ("อายุผิด 16 ครับ", "inform", {"age": 16}),
    ("อยากได้วุฒิ ม.3", "enroll", {}),
    ("เรียนถึง ป.4 แล้วออก", "inform", {"grade": "p4", "grade_status": "left_during"}),
    ("สวัสดีครับ", "greet", {}),
    ("หวัดดีค่า", "greet", {}),
    ("ขอบใจเด้อ", "thanks", {}),
    ("อยากกลับไปเรียน", "enroll", {}),
    ("ต้องใช้เอกสารอะไรบ้าง", "ask_documents", {}),
    ("เรียนฟรีไหม", "ask_cost", {}),
    ("กี่ปีจบ", "ask_schedule", {}),
    ("วุฒิเท่ากับในโรงเรียนไหม", "ask_certificate", {}),
    ("ขอเบอร์โทรศูนย์", "ask_office", {}),
    ("ขอคุยกับเจ้าหน้าที่", "human", {}),
    ("ยกเลิก", "cancel", {}),
    ("เริ่มใหม่", "cancel", {}),
    ("ลบข้อมูลของฉัน", "delete_data", {}),
    ("เมนู", "help", {}),
    ("แม่นแล้ว", "affirm", {}),
    ("เจ้า", "affirm", {}),
    ("👍", "affirm", {}),
    ("บ่แม่น", "deny", {}),
    ("มากกกกก ขอบคุณค่าาา", "thanks", {}),
    ("เกิดปี 2551", "inform", {"birth_year_be": 2551}),
    ("ปี 51", "inform", {"birth_year_be": 2551}),
    ("เกิด 2008", "inform", {"birth_year_be": 2551}),
    ("สิบเจ็ดปีค่ะ", "inform", {"age": 17}),
    ("0812345678", "inform", {"phone": "0812345678"}),
    ("+66 81 234 5678", "inform", {"phone": "0812345678"}),
    ("โทร 02 123 4567", "inform", {"phone": "021234567"}),
    ("อ.เมือง ลำปาง", "inform", {"province": "52", "district": "5201"}),
    ("กทม. เขตบางกะปิ", "inform", {"province": "10", "district": "1006"}),
    ("52160", "inform", {"postal_code": "52160"}),
    ("ลองสมัครดู", None, {}),
    ("ไปทำงานกรุงเทพ", None, {"reason": "work"}),
    ("ต้องดูแลยายที่ป่วยค่ะ", "inform", {"reason": "family"}),
    ("ตัวเองครับ", "inform", {"role": "self"}),
    ("ผมอยากเรียน", "enroll", {}),
    ("ไม่เคยเรียนหนังสือเลยค่ะ", "inform", {"grade": "none"}),
    ("ม.ปลายไม่จบ", "inform", {"grade": "upper_secondary", "grade_status": "left_during"}),
    ("สายอาชีพ", "inform", {"path": "vocational"}),
    ("555555", "out_of_scope", {}),
    # Found by chatting as real people: numbers as words, approximate ages, years in ค.ศ.
    ("สิบเจ็ด", "inform", {"age": 17}),
    ("ยี่สิบห้าค่ะ", "inform", {"age": 25}),
    ("ประมาณ 20", "inform", {"age": 20}),
    ("30 กว่าแล้ว", "inform", {"age": 30}),
    ("อายุผิดค่ะ 18", "inform", {"age": 18}),
    ("อายุผิดครับผม ๓๙", "inform", {"age": 39}),
    ("อายุผิด ครับผม 39", "inform", {"age": 39}),
    ("อายุผิดค่ะๆ 43", "inform", {"age": 43}),
    # "ไม่ชอบเรียน" and "เรียนไม่ทัน" are one category, shown as ปัญหาการเรียน (its quick reply)
    ("ไม่ชอบเรียน", "inform", {"reason": "learning"}),
    ("ปัญหาการเรียนค่ะ", "inform", {"reason": "learning"}),
    ("ค.ศ. 2008", "inform", {"birth_year_be": 2551}),
    ("2008", "inform", {"birth_year_be": 2551}),
    # levels typed as มอ, a wish to finish is no level reached, a denied value is no value
    ("มอ 3 ครับ", "inform", {"grade": "m3"}),
    ("จบมอหกแล้ว", "inform", {"grade": "m6", "grade_status": "completed"}),
    ("อยากจบ ม.6", "enroll", {}),
    ("ไม่ใช่ ม.2 ค่ะ ม.3", "inform", {"grade": "m3"}),
    ("ไม่ใช่เถิน อยู่เกาะคา", "inform", {"district": "5203"}),
    # places: a name inside a word or a name is none; provinces that are also words, standing alone
    ("ต้องเลี้ยงน้อง", "inform", {"reason": "family"}),
    ("ชื่อเล่นจันทร์เพ็ญ", "inform", {}),
    ("อยู่ อ.ท่าศาลา นครศรีธรรมราช", "inform", {"province": "80", "district": "8008"}),
    ("อยู่แพร่ค่ะ", "inform", {"province": "54"}),
    ("อยู่สวี ชุมพร", "inform", {"province": "86", "district": "8607"}),
    ("อยู่บ้านไร่ อุทัยธานี", "inform", {"province": "61", "district": "6106"}),
    ("อยู่วังเจ้า จ.ตาก", "inform", {"province": "63", "district": "6309"}),
    ("ตากผ้าอยู่", None, {}),
    # role words inside other words
    ("อำเภอผิด เป็นแม่สอด", "inform", {"district": "6306"}),
    ("เอาสายสามัญ", "inform", {"path": "general"}),
    ("มีนักเรียนอยากเรียนต่อค่ะ", "enroll", {"role": "other"}),
    ("ไม่มีใครส่งเรียน", "inform", {"reason": "financial"}),
    # เจ้า: the northern yes on its own; inside เจ้าหน้าที่ it is no particle
    ("เจ้าค่ะ", "affirm", {}),
    ("ขอคุยกับเจ้าหน้าที่ค่ะ", "human", {}),
    # birth dates give the year; a level finished then not continued is completed
    ("เกิด 12 มีนาคม 2551", "inform", {"birth_year_be": 2551}),
    ("ไม่ได้เรียนต่อหลังจบ ม.3", "inform", {"grade": "m3", "grade_status": "completed"}),
    ("เรียน ม.4 ได้ครึ่งเทอม", None, {"grade": "m4", "grade_status": "left_during"}),
    ("น้องมิว 12 ปี จบ ป.6", "inform", {"age": 12, "grade": "p6", "grade_status": "completed"}),
    ("อยู่หนองบัว นครสวรรค์", "inform", {"province": "60", "district": "6004"}),
    ("Thoen Lampang", None, {"province": "52", "district": "5208"}),
    # typing look-alikes and slips: ํา for ำ, เเ for แ, doubled marks, spaced levels, misspellings
    ("ต้องทํางาน", None, {"reason": "work"}),
    ("จบเเล้ว", "inform", {"grade_status": "completed"}),
    ("๑๗ค่ะะ", "inform", {"age": 17}),
    ("ม . 3", "inform", {"grade": "m3"}),
    ("สายสามัน", "inform", {"path": "general"}),
    ("ไม่มีตัง", None, {"reason": "financial"}),
    # several answers in one line
    ("ม.ต้น แล้วออก ปวช", "inform", {"grade": "lower_secondary", "grade_status": "left_during", "path": "vocational"}),
    ("ติดต่อทางไลน์ ม.หนึ่ง ไม่จบ", None, {"grade": "m1", "grade_status": "left_during"}),
    ("สมัครให้ตัวเอง ม.3 จบแล้ว", None, {"role": "self", "grade": "m3", "grade_status": "completed"}),
    ("ลูก อยู่นาด้วง เลย ค่ะ", None, {"role": "parent", "province": "42", "district": "4202"}),
    (
        "ตัวเอง ปวช ออกตอน ม.1",
        None,
        {"role": "self", "grade": "m1", "grade_status": "left_during", "path": "vocational"},
    ),
    ("ออกมาทำงานรับจ้าง จบ ป.6 แล้ว", None, {"grade": "p6", "grade_status": "completed", "reason": "work"}),
    # Isan and northern words
    ("เฮียนฮอด ป.6 ละกะออก", "inform", {"grade": "p6", "grade_status": "left_during"}),
    ("ซาวปี", "inform", {"age": 20}),
    ("ต้องไปเฮ็ดงาน", None, {"reason": "work"}),
    ("อยู่ อ.สันป่าตอง เจียงใหม่", "inform", {"province": "50", "district": "5012"}),
    ("ตัวเก่าเจ้า", None, {"role": "self"}),
    ("พบพระ ตากค่ะ", "inform", {"province": "63", "district": "6307"}),
    ("อยู่ลอง แพร่", "inform", {"province": "54", "district": "5403"}),
]


@pytest.mark.parametrize("text, intent, entities", CASES, ids=[c[0] for c in CASES])
def test_reading(text, intent, entities):
    u = understand(text, today=TODAY)
    if intent is not None:
        assert u.intent == intent, (u.intent, u.confidence)
    # With no intent given, what the text states (set aside when the reading is out_of_scope).
    assert (u.entities if intent is not None else u.told) == entities


def test_masks_a_typed_national_id_but_not_other_numbers():
    valid = "1101700207030"  # checksum-valid
    assert find_national_ids(f"บัตร {valid[0]}-{valid[1:5]}-{valid[5:10]}-{valid[10:12]}-{valid[12]} ค่ะ") == [valid]
    assert mask_national_ids(f"เลขบัตร {valid}") == "เลขบัตร x-xxxx-xxxxx-xx-x"
    assert mask_national_ids("เลข 1101700207031") == "เลข 1101700207031"  # wrong check digit
    assert mask_national_ids("โทร 0812345678") == "โทร 0812345678"
    thai = valid.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert "x-xxxx" in mask_national_ids(thai)


def test_a_national_id_is_not_read_as_a_phone():
    assert "phone" not in understand("1101700207030").entities


def test_fast_scorer_matches_scikit_learn():
    from nlp import reader
    from nlp.classifier import IntentModel
    from nlp.normalize import normalize

    kept = reader._load()  # read from nlp/data/model.npz
    trained = IntentModel.train()
    for text in [
        "อายุ 17 อยู่เถิน",
        "เรียนฟรีไหม",
        "สวัสดีค่ะ",
        "zzz",
        "luk yak rian tor",
        "ลูก 16 ออก ม.2 อยู่โคราช สมัครใช้อะไรบ้าง",
    ]:
        fast = kept.predict(normalize(text))
        slow = trained.predict_with_sklearn(normalize(text))
        assert [i for i, _ in fast[:3]] == [i for i, _ in slow[:3]]
        assert fast[0][1] == pytest.approx(slow[0][1], abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=10_000))
def test_never_raises_on_any_string(text):
    u = understand(text)
    assert isinstance(u, Understanding)
    assert u.intent in INTENTS
    assert 0.0 <= u.confidence <= 1.0
    json.dumps(u.entities)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_never_raises_on_binary_junk(raw):
    for text in (raw.decode("utf-8", "surrogateescape"), raw.decode("latin-1")):
        assert understand(text).intent in INTENTS


def test_held_out_quality_meets_targets():
    from nlp.evaluate import evaluate, load

    result = evaluate(load(DATA / "test.jsonl"))
    assert result["accuracy"] >= 0.95
    assert result["macro_f1"] >= 0.93
    assert result["entity_exact_match"] >= 0.95
    assert result["first_load_seconds"] <= 3.0


def test_kept_model_is_trained_from_todays_data():
    """`python -m nlp.train` was run after the last change to the training data or the normaliser."""
    import numpy as np

    from nlp.classifier import MODEL_FILE, fingerprint

    with np.load(MODEL_FILE, allow_pickle=False) as kept:
        assert str(kept["fingerprint"]) == fingerprint(), "run: python -m nlp.train"


def test_test_set_is_never_trained_on():
    from nlp.classifier import load_training

    train = {text.strip() for text in load_training()[0]}
    test = [
        json.loads(line)["text"]
        for line in (DATA / "test.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    overlap = [t for t in test if t.strip() in train]
    # Nothing is shared: the held-out set is written apart from the training data.
    contract: set[str] = set()
    assert [t for t in overlap if t not in contract] == []


def test_evaluate_command_prints_the_report(capsys):
    from nlp.evaluate import main

    assert main([str(DATA / "test.jsonl"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"accuracy", "macro_f1", "per_intent", "confusion", "per_entity", "worst_errors", "latency_ms"} <= set(
        report
    )
