"""The learned reader of the writer's role (`nlp.mentions.Reader.read_role`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from nlp import mentions
from nlp.entities import extract_entities, learner_parts
from nlp.normalize import normalize

TODAY = date(2026, 11, 22)


def _reading(text: str) -> mentions.Reading:
    normalised = normalize(text)
    about, _home, two = learner_parts(normalised)
    return mentions.prepare(normalised, about, two, extract_entities(normalised, TODAY, learned=False))


def test_role_features_tell_whom_the_message_is_for():
    feats = _reading("หนูอยากถามเรื่องน้องสาวหนูค่ะ น้องอายุ 14 ออกตอน ม.1").role
    assert "pre:for:sibling" in feats  # เรื่องน้องสาว
    assert "post:poss:sibling" in feats  # น้องสาวหนู
    assert "agep:sibling" in feats  # the first age is said after น้อง
    feats = _reading("ผมเป็นพี่ชายครับ น้องผมอายุ 15").role
    assert "pre:is:sibling" in feats  # เป็นพี่ชาย
    assert "first:self" in feats


def test_every_message_has_role_features_even_without_numbers():
    assert _reading("ลูกไม่อยากไปโรงเรียนค่ะ").role
    assert _reading("").role == ["bias", "rule:none", "learner:nobody"]


def _tiny_reader() -> mentions.Reader:
    texts: list[tuple[str, dict[str, Any]]] = [
        ("ลูกอายุ 15 ออกตอน ม.2", {"age": 15, "role": "parent"}),
        ("หลานอายุ 16 จบ ป.6", {"age": 16, "role": "parent"}),
        ("ผมเป็นพี่ชาย น้องผมอายุ 15", {"age": 15, "role": "other"}),
        ("ถามให้เพื่อนครับ เพื่อนอายุ 17", {"age": 17, "role": "other"}),
        ("ผมอายุ 17 อยากเรียนเองครับ", {"age": 17, "role": "self"}),
        ("หนูอายุ 16 ค่ะ", {"age": 16}),
    ]
    return mentions.fit([_reading(text) for text, _ in texts], [gold for _, gold in texts])


def test_the_role_model_is_kept_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    reader = _tiny_reader()
    assert reader.role is not None
    path = tmp_path / "mentions.npz"
    mentions.save(reader, path)
    monkeypatch.setattr(mentions, "fingerprint", lambda paths=None: str(__import__("numpy").load(path)["fingerprint"]))
    again = mentions.load(path)
    assert again is not None and again.role is not None
    reading = _reading("ผมเป็นพี่ชาย น้องผมอายุ 14")
    assert again.role.classify(reading.role) == pytest.approx(reader.role.classify(reading.role))


def test_the_rules_role_stands_unless_the_model_is_sure(monkeypatch: pytest.MonkeyPatch):
    reader = _tiny_reader()
    reading = _reading("ลูกอายุ 15 ออกตอน ม.2")
    assert reading.rule_role == "parent"
    monkeypatch.setattr(mentions, "ROLE_SWAP", 1.01)  # never sure enough: the rules' role
    assert reader.read_role(reading) == "parent"
    assert reader.read(reading)["role"] == "parent"
    reader.role = None  # a kept file from before the role model: the rules' role
    assert reader.read_role(reading) == "parent"


# Messages written for this test, in none of the labelled files: the kept reader's role.
ROLES = [
    ("หนูอยากถามเรื่องน้องสาวหนูค่ะ น้องอายุ 14 ออกตอน ม.1 อยากให้น้องเรียนต่อ", "other"),
    ("ผมเป็นพี่ชายครับ น้องผมอายุ 15 ออกจาก ม.2 อยากพาน้องไปสมัคร", "other"),
    ("คนเล็กอายุ 13 ค่ะ ไม่ได้เรียนต่อหลังจบ ป.6 คนโตทำงานแล้ว อยากให้คนเล็กเรียน", "parent"),
    ("ครูค่ะ มีศิษย์เก่าอายุ 16 ออกตอน ม.3 อยากให้มาเรียน กศน.", "other"),
    ("ลูกสาวอายุ 16 ออกตอน ม.4 ค่ะ", "parent"),
    ("หนูอายุ 16 ค่ะ ออกตอน ม.3", None),  # a bare หนู gives no role
    ("ผมอายุ 22 ลูกผม 2 ขวบ ผมจบแค่ ม.2 อยากเรียนต่อครับ", None),  # a young parent: not registering the baby
]


@pytest.mark.parametrize(("text", "role"), ROLES)
def test_the_kept_reader_reads_the_role(text: str, role: str | None):
    if mentions.load() is None:
        pytest.skip("mentions.npz is stale: run python -m nlp.mentions --train")
    assert extract_entities(normalize(text), TODAY).get("role") == role
