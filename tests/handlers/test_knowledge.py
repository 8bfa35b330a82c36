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


@pytest.mark.parametrize(
    "intent, facts",
    [
        ("ask_cost", ["ไม่เสียค่าเล่าเรียน", "15 ปี", "หนังสือ", "อาจได้รับการสนับสนุน", "สอบถามศูนย์"]),
        (
            "ask_documents",
            [
                "ใบสมัคร",
                "สำเนาบัตรประชาชน",
                "สำเนาทะเบียนบ้าน",
                "ปพ.1",
                "1 นิ้ว 2 รูป",
                "เปลี่ยนชื่อ",
                "ฉบับจริง",
                "ไม่มีบัตรประชาชน",
            ],
        ),
        ("ask_schedule", ["ปีละ 2", "เมษายน", "ตุลาคม", "โดยปกติใช้เวลา 4 ภาคเรียน (ประมาณ 2 ปี)"]),
        ("ask_eligibility", ["15 ปีขึ้นไป", "ไม่มีอายุสูงสุด", "สพป./สพม.", "เทียบระดับ", "ไม่ได้เรียนอยู่ในโรงเรียน"]),
        ("ask_certificate", ["เท่ากับ", "สมัครงาน", "เรียนต่อ", "ก.พ.", "ปวช. ขึ้นไป"]),
        ("ask_office", ["อำเภอ", "ส่งตำแหน่ง"]),
    ],
)
def test_answers_hold_the_facts(intent, facts):
    answer = knowledge.answer(intent)
    for fact in facts:
        assert fact in answer, (intent, fact)


def test_eligibility_is_tailored_by_age():
    assert "สพป./สพม." in knowledge.answer("ask_eligibility", {"age": 14}) and "14 ปี" in knowledge.answer(
        "ask_eligibility", {"age": 14}
    )
    assert "เทียบระดับ" in knowledge.answer("ask_eligibility", {"age": 25})
    teen = knowledge.answer("ask_eligibility", {"age": 16})
    assert "16 ปี" in teen and "สพป." not in teen
    assert knowledge.answer("ask_eligibility", {}) == knowledge.answer("ask_eligibility")


def test_the_referral_letter_is_for_under_15_without_m3_design_4_rule_2():
    """Both halves of the rule, as routing.compulsory_age and the card say it: a 14-year-old who
    finished ม.3 needs no letter."""
    for answer in (knowledge.answer("ask_eligibility"), knowledge.answer("ask_eligibility", {"age": 14})):
        assert "15 ปี" in answer and "ยังไม่จบ ม.3" in answer and "สพป./สพม." in answer


def test_department_contact_names_the_departments_own_website():
    assert "www.dole.go.th" in knowledge.department_contact()
    assert "dle.go.th" not in knowledge.department_contact().replace("dole.go.th", "")
    assert knowledge.load()["department"]["website"] == "https://www.dole.go.th"


def test_corrections_from_the_check_against_public_sources():
    """Issue 13 item 3: what a check of public pages found wrong is said right."""
    everything = "\n".join([*knowledge.load()["answers"].values(), *knowledge.load()["topics"].values()])
    assert "อย่างน้อย 4 ภาคเรียน" not in everything
    assert "สมัครทหาร" not in everything  # not stated until an office confirms it
    assert "สอบราชการ" not in knowledge.answer("ask_certificate").replace(
        "สอบเข้ารับราชการ (สอบ ก.พ.) ต้องมีวุฒิ ปวช.",
        "",
    )
    # ปวช. needs ม.3 and is not run by every centre.
    paths = knowledge.text("paths")
    assert "ต้องจบ ม.3" in paths and "ไม่ได้เปิดทุกศูนย์" in paths and "วิทยาลัย" in paths
    # เทียบระดับ: an assessment, one level up from a level already held, nationality or lawful entry.
    for text in (knowledge.text("equivalency"), knowledge.topic_answer("equivalency")):
        assert "แฟ้มผลงานและการทดสอบ" in text and "ไม่ใช่การเข้าเรียน" in text
        assert "วุฒิระดับก่อนหน้า" in text and "ทีละระดับ" in text and "สัญชาติไทย" in text
    # ... and does not sit beside "no nationality can apply".
    assert "ไม่มีสัญชาติ" not in knowledge.answer("ask_eligibility")
    assert "เพื่อนรุ่นเดียวกัน" in knowledge.answer("ask_eligibility", {"age": 13})
    assert "example" not in everything and "dle.go.th" not in everything.replace("dole.go.th", "")


def test_facts_an_office_must_confirm_are_marked():
    data = knowledge.load()
    marked = set(data["office_confirm"])
    assert {"ask_cost", "ask_schedule", "online", "equivalency", "paths"} <= marked
    assert marked <= set(data["answers"]) | set(data["topics"])
    raw = knowledge.KNOWLEDGE_FILE.read_text(encoding="utf-8")
    assert raw.count("OFFICE CONFIRMS") >= 6


@pytest.mark.parametrize(
    "topic, facts",
    [
        ("study_days", ["สัปดาห์ละ 1 วัน", "4 ภาคเรียน", "2 ปี"]),
        ("online", ["ออนไลน์", "ศูนย์ใกล้บ้าน"]),
        ("disability", ["ออทิสติก", "เรียนกับ สกร. ได้", "บัตรประจำตัวคนพิการ"]),
        ("equivalency", ["ประมาณ 1 ภาคเรียน", "ทีละระดับ"]),
        ("lost_id", ["บัตรประชาชนหาย", "ทะเบียนบ้าน", "ทำบัตรใหม่"]),
        ("pregnancy", ["ตั้งครรภ์", "เรียนได้"]),
    ],
)
def test_the_most_asked_questions_get_short_specific_answers(topic, facts):
    specific = knowledge.topic_answer(topic)
    assert specific and len(specific) < 400 and "ค่ะ" in specific
    for fact in facts:
        assert fact in specific, (topic, fact)
    assert knowledge.answer("ask_eligibility", topic=topic) == specific
    assert knowledge.answer("ask_office", topic=topic) == knowledge.answer("ask_office")  # where is not what
    assert knowledge.topic_answer("nonsense") is None


@pytest.mark.parametrize(
    "text, topic",
    [
        ("เรียนวันไหนบ้างคะ", "study_days"),
        ("กี่ปีจบคะ", "study_days"),
        ("เรียนออนไลน์ได้ไหม", "online"),
        ("ลูกเป็นออทิสติกเรียนได้ไหมคะ", "disability"),
        ("เทียบระดับใช้เวลานานไหม", "equivalency"),
        ("บัตรประชาชนหายสมัครได้ไหม", "lost_id"),
        ("ท้องอยู่เรียนได้ไหมคะ", "pregnancy"),
        ("เรียนฟรีไหม", None),
        ("ปวดท้องเสีย", None),
    ],
)
def test_nlp_reads_the_topic_of_a_question(text, topic):
    from nlp.topics import topic_of

    assert topic_of(text) == topic


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


@pytest.mark.parametrize(
    "break_it, message",
    [
        (lambda d: d["answers"].pop("ask_cost"), "lacks answers for: ask_cost"),
        (lambda d: d["answers"].update(ask_cost=""), "non-empty"),
        (lambda d: d["answers"].update(ask_cost="ฟรีค่ะ {price}"), "unknown placeholders"),
        (lambda d: d["answers"].update(eligibility_ok="อายุ {age ปีค่ะ"), "broken"),
        (lambda d: d.pop("department"), "department.contact"),
        (lambda d: d["topics"].pop("online"), "'topics' must answer"),
        (lambda d: d["answers"].update(ask_cost="ก" * 2000), "longer than"),
    ],
)
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


@pytest.mark.parametrize(
    "question, fact",
    [
        ("เรียนออนไลน์ได้ไหมคะ", "ออนไลน์"),
        ("ลูกเป็นออทิสติกเรียนได้ไหมคะ", "ออทิสติก"),
        ("ท้องอยู่เรียนได้ไหมคะ", "ตั้งครรภ์"),
        ("บัตรประชาชนหายสมัครได้ไหม", "ทำบัตรใหม่"),
        ("เทียบระดับใช้เวลานานไหมคะ", "ประมาณ 1 ภาคเรียน"),
        ("เรียนวันไหนบ้างคะ", "สัปดาห์ละ 1 วัน"),
    ],
)
def test_the_bot_answers_the_most_asked_questions_specifically(line, question, fact):
    """Over the real webhook: not the nearest stock paragraph (issue 13: office hours, online
    study and a child with autism all got the same eligibility text)."""
    from tests.support.line_events import texts_of

    reply = texts_of(line.user().say(question))
    assert fact in reply, reply
    assert "สพป./สพม." not in reply  # not the general eligibility answer


def test_a_topic_question_mid_intake_is_answered_and_the_question_asked_again(line):
    from tests.support.line_events import texts_of

    chat = line.user()
    chat.say("อยากกลับไปเรียน")
    chat.say("ยินยอม")
    reply = texts_of(chat.say("ท้องอยู่เรียนได้ไหมคะ"))
    assert "ตั้งครรภ์" in reply and "?" not in reply[:3]
    assert "คะ" in reply.splitlines()[-1]  # the pending question comes back
