"""The FAQ knowledge base (`handlers/knowledge.yml`): complete, valid, and saying the facts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from handlers import knowledge


def test_every_faq_intent_has_an_answer_in_the_bots_voice():
    for intent in knowledge.FAQ_INTENTS:
        answer = knowledge.answer(intent)
        assert 20 < len(answer) <= knowledge.MAX_ANSWER
        assert "ค่ะ" in answer or "คะ" in answer  # the one polite female voice
        assert "ครับ" not in answer


@pytest.mark.parametrize("intent, facts", [
    ("ask_cost", ["ไม่เสียค่าเล่าเรียน", "15 ปี", "หนังสือ"]),
    ("ask_documents", ["สำเนาบัตรประชาชน", "สำเนาทะเบียนบ้าน", "ปพ.1", "1 นิ้ว 2 รูป", "เปลี่ยนชื่อ", "ไม่มีบัตรประชาชน"]),
    ("ask_schedule", ["ปีละ 2", "เมษายน", "ตุลาคม", "2 ปี"]),
    ("ask_eligibility", ["15 ปีขึ้นไป", "ไม่มีอายุสูงสุด", "สพป./สพม.", "เทียบระดับ"]),
    ("ask_certificate", ["เท่ากับ", "สมัครงาน", "เรียนต่อ"]),
    ("ask_office", ["อำเภอ", "ส่งตำแหน่ง"]),
])
def test_answers_hold_the_facts(intent, facts):
    answer = knowledge.answer(intent)
    for fact in facts:
        assert fact in answer, (intent, fact)


def test_eligibility_is_tailored_by_age():
    assert "สพป./สพม." in knowledge.answer("ask_eligibility", {"age": 14}) and "14 ปี" in knowledge.answer("ask_eligibility", {"age": 14})
    assert "เทียบระดับ" in knowledge.answer("ask_eligibility", {"age": 25})
    teen = knowledge.answer("ask_eligibility", {"age": 16})
    assert "16 ปี" in teen and "สพป." not in teen
    assert knowledge.answer("ask_eligibility", {}) == knowledge.answer("ask_eligibility")


def test_department_contact_names_the_website():
    assert "dle.go.th" in knowledge.department_contact()


def test_unknown_intent_is_an_error():
    with pytest.raises(KeyError):
        knowledge.answer("greet")


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "knowledge.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def good() -> dict:
    return yaml.safe_load(knowledge.KNOWLEDGE_FILE.read_text(encoding="utf-8"))


def test_the_shipped_file_validates_and_is_loaded_once():
    assert knowledge.load() is knowledge.load()
    knowledge.validate(good())


@pytest.mark.parametrize("break_it, message", [
    (lambda d: d["answers"].pop("ask_cost"), "lacks answers for: ask_cost"),
    (lambda d: d["answers"].update(ask_cost=""), "non-empty"),
    (lambda d: d["answers"].update(ask_cost="ฟรีค่ะ {price}"), "unknown placeholders"),
    (lambda d: d["answers"].update(eligibility_ok="อายุ {age ปีค่ะ"), "broken"),
    (lambda d: d.pop("department"), "department.contact"),
    (lambda d: d["answers"].update(ask_cost="ก" * 2000), "longer than"),
])
def test_a_broken_file_is_refused_with_a_clear_message(tmp_path, break_it, message):
    data = good()
    break_it(data)
    with pytest.raises(knowledge.KnowledgeError, match=message.replace(".", r"\.")):
        knowledge.load(write(tmp_path, data))


def test_invalid_yaml_is_refused(tmp_path):
    path = tmp_path / "knowledge.yml"
    path.write_text("answers: [unclosed", encoding="utf-8")
    with pytest.raises(knowledge.KnowledgeError, match="not valid YAML"):
        knowledge.load(path)
