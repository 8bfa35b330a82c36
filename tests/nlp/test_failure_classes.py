"""The eleven ways the reader used to break on real chat (issue 11), one table each (DESIGN §3)."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand

TODAY = date(2026, 11, 22)


def _check(text: str, intent: str | None, entities: dict | None) -> None:
    u = understand(text, today=TODAY)
    if intent is not None:
        assert u.intent == intent, (u.intent, u.confidence, u.entities)
    if entities is not None:
        # With no intent given, what the text states (set aside when the reading is out_of_scope).
        assert (u.entities if intent is not None else u.told) == entities


SEVERAL_ACTS = [
    ("หลานชายปีนี้ 15 ค่ะ ออกกลางคันตอน ม.1 บ้านอยู่ อ.เมืองน่าน จะสมัครให้ต้องใช้อะไรบ้างคะ", "ask_documents",
     {"role": "parent", "age": 15, "grade": "m1", "grade_status": "left_during", "district": "5501"}),
    ("ลูกอายุ 16 ออกตอน ม.2 เรียนฟรีไหมคะ", "ask_cost",
     {"role": "parent", "age": 16, "grade": "m2", "grade_status": "left_during"}),
    ("ลูกสาว 17 ออกตอน ม.4 อยู่หาดใหญ่ ขอคุยกับเจ้าหน้าที่หน่อยค่ะ", "human",
     {"role": "parent", "age": 17, "grade": "m4", "grade_status": "left_during", "district": "9011"}),
    ("สวัสดีค่ะ ลูกชายอายุ 16 ค่ะ ออกตอน ม.3 อยากให้กลับไปเรียนค่ะ", "enroll",
     {"role": "parent", "age": 16, "grade": "m3", "grade_status": "left_during"}),
    ("ผมอายุ 18 เคยสมัครไว้ ลบข้อมูลของผมด้วยครับ", "delete_data", {"age": 18}),
    ("อายุ 17 อยู่ชลบุรี ออกตอน ม.4", "inform", {"age": 17, "province": "20", "grade": "m4", "grade_status": "left_during"}),
]

LEARNER_ONLY = [
    ("แม่อายุ 40 ค่ะ ลูกสาวอายุ 16 ออกตอน ม.3", "inform",
     {"role": "parent", "age": 16, "grade": "m3", "grade_status": "left_during"}),
    ("ผมอายุ 45 ครับ สมัครให้หลาน หลานอายุ 15", None, {"role": "parent", "age": 15}),
    ("ผมเป็นพ่อ อายุ 38 ลูกผมอายุ 14 ครับ", None, {"role": "parent", "age": 14}),
    ("หนูออกจากโรงเรียนตอนอายุ 13 ตอนนี้ 18 แล้วค่ะ", None, {"age": 18, "grade_status": "left_during"}),
    ("พี่ชายจบ ม.6 แต่หนูเรียนถึงแค่ ม.2 ค่ะ", None, {"grade": "m2", "grade_status": "left_during"}),
    ("ลูกสองคนค่ะ 13 กับ 15 ออกตอน ป.6 กับ ม.2", None, {"role": "parent"}),
    ("มีลูกสองคน คนนึง 14 คนนึง 16 อยากให้กลับไปเรียนทั้งคู่ค่ะ", "enroll", {"role": "parent"}),
    ("ลูกชายคนโต 17 ปี จบ ม.3 แล้ว น้องเขาเรียน ป.5 อยู่", None,
     {"role": "parent", "age": 17, "grade": "m3", "grade_status": "completed"}),
    ("น้องสาวผมอายุ 15 ออกตอน ม.1 ครับ", None, {"role": "other", "age": 15, "grade": "m1", "grade_status": "left_during"}),
    ("สมัครให้แม่ค่ะ", None, {"role": "other"}),
]

HOME_ONLY = [
    ("ไปทำงานโรงแรมที่ชลบุรี แต่บ้านอยู่ อ.ธาตุพนม นครพนม", None, {"district": "4805", "province": "48"}),
    ("ตอนนี้ทำงานอยู่กรุงเทพ บ้านจริงๆอยู่ร้อยเอ็ดครับ", None, {"province": "45"}),
    ("เคยเรียนที่โรงเรียนในเชียงใหม่ ตอนนี้อยู่ลำพูนค่ะ", None, {"province": "51"}),
    ("หลานไปอยู่บ้านป้าที่ระยอง แต่ทะเบียนบ้านอยู่ อ.นางรอง บุรีรัมย์", None,
     {"role": "parent", "district": "3104", "province": "31"}),
    ("เคยอยู่ขอนแก่น ตอนนี้ย้ายมาอยู่อุดรแล้ว", None, {"province": "41"}),
    ("ลูกอายุ 16 ค่ะ ส่วนแม่อยู่กรุงเทพ ลูกอยู่กับยายที่ อ.เกาะคา ลำปาง", None,
     {"role": "parent", "age": 16, "district": "5203", "province": "52"}),
]

WORDS_INSIDE_WORDS = [
    ("ประกันสังคมมาตรา 40 สมัครยังไง", "out_of_scope", {}),
    ("ลูกพี่ลูกน้องผมอายุ 17 ออกตอน ม.4", None, {"role": "other", "age": 17, "grade": "m4", "grade_status": "left_during"}),
    ("เป็นลูกศิษย์ครูค่ะ อายุ 16", None, {"role": "other", "age": 16}),
    ("ลูกจ้างร้านค่ะ ออกมาตอน ม.3", None, {"grade": "m3", "grade_status": "left_during"}),
    ("ค้างคาวเข้าบ้านเลย", "out_of_scope", {}),
    ("ลูกค้าสั่งของแล้วยังไม่ได้รับเลย", "out_of_scope", {}),
    ("อยู่ลอง แพร่ค่ะ", None, {"district": "5403", "province": "54"}),
    ("ลองสมัครดู", None, {}),
]

REASONS = [
    ("ถูกแกล้งที่โรงเรียนจนไม่อยากไปค่ะ", "inform", {"reason": "bullying"}),
    ("ที่บ้านขัดสนต้องหยุดไปก่อน", "inform", {"reason": "financial"}),
    ("ตอนนี้ทำงานร้านกาแฟอยู่ค่ะ ออกเพราะโดนเพื่อนรังแก", None, {"reason": "bullying"}),
    ("ตอนนี้มีลูกแล้วค่ะ แต่ที่ออกเพราะไม่มีเงินค่าเทอม", None, {"reason": "financial"}),
    ("ย้ายมาอยู่เชียงใหม่ได้สองปีแล้วครับ", None, {"province": "50"}),
    ("ทำงานเซเว่นอยู่ครับ", None, {}),
    ("ย้ายบ้านบ่อยตามพ่อที่ไปทำงานก่อสร้าง", None, {"reason": "migration"}),
    ("ย้ายที่อยู่", None, {"reason": "migration"}),
    ("ไปทำงานกรุงเทพ", None, {"reason": "work"}),
]

NEGATION = [
    ("ไม่เอาสายอาชีพ เอาสามัญ", "inform", {"path": "general"}),
    ("บ่แม่น 17 อายุ 18", "inform", {"age": 18}),
    ("ขอแก้เป็น อ.แม่ริม ค่ะ", "inform", {"district": "5007"}),
    ("ไม่อยากเรียนสายอาชีพค่ะ", None, {}),
    ("ไม่เอาปวช ขอเรียน ม.ปลายแบบสามัญ", None, {"path": "general"}),
    ("ไม่ได้อยู่ลำปางแล้วค่ะ ย้ายมาอยู่ลำพูน", None, {"province": "51"}),
]

DIALECT = [
    ("หลานซื่อบักหำ อายุ 14 เด้อ", "inform", {"role": "parent", "age": 14}),
    ("ข่อยอยากกลับไปเฮียนโฮงเฮียนอีก", "enroll", {}),
    ("สิสมัครเฮียนต้องใช้เอกสารหยังแหน่", "ask_documents", {}),
    ("ลูกอยากเฮียนต่อเด้อ อยู่เจียงฮาย", "enroll", {"role": "parent", "province": "57"}),
    ("อายุ 25 ก่เฮียนได้ก่", "ask_eligibility", {"age": 25}),
    ("เฮียนกศน. ต้องเสียเงินหม้าย", "ask_cost", {}),
    ("ต้องใช้ไหรบ้างถ้าจะสมัคร", "ask_documents", {}),
    ("ฉานอายุ 17 อยู่ทุ่งสง นครศรี", "inform", {"age": 17, "district": "8009", "province": "80"}),
]

ROMANISED = [
    ("luk yak rian tor, ekkasan arai bang", "ask_documents", {"role": "parent"}),
    ("my niece is 14 and quit in grade 8, we are in Chiang Rai", "inform",
     {"role": "parent", "age": 14, "grade": "m2", "grade_status": "left_during", "province": "57"}),
    ("ayu 22 rian dai mai", "ask_eligibility", {"age": 22}),
    ("my son left school at M.2, he wants to study again", "enroll",
     {"role": "parent", "grade": "m2", "grade_status": "left_during"}),
    ("sawasdee krub", "greet", {}),
]

OTHER_SERVICES = [
    "ทำบัตรสวัสดิการแห่งรัฐต้องไปที่ไหน", "ทำบัตรประชาชนใหม่ต้องใช้เอกสารอะไร", "เกณฑ์ทหารปีนี้วันไหน",
    "TCAS รอบ 3 เปิดเมื่อไหร่", "สมัครเรียนมหาลัยราชภัฏต้องใช้อะไรบ้าง", "รับสมัครพนักงานเซเว่น สนใจทักมา",
    "รับจ้างทำใบจบ ม.6 ไม่ต้องเรียน ทักไลน์", "กยศ กู้ได้ถึงเท่าไหร่", "รับทำวุฒิ ไม่ต้องเรียน ได้จริง 100%",
    "ร้อยเอ็ดร้อนมาก", "หลานอยากไปสวนสัตว์", "ลูกชอบเล่นเกมทั้งวันเลยค่ะ ปวดหัว",
]

NUMBERS = [
    ("เบอร์ ศูนย์แปดหนึ่ง สองสามสี่ ห้าหกเจ็ดแปด", "inform", {"phone": "0812345678"}),
    ("08 1 2 3 4 5 6 7 8", "inform", {"phone": "0812345678"}),
    ("เบอร์ 0 8 9 9 8 7 6 5 4 3", "inform", {"phone": "0899876543"}),
    ("+66812345678", "inform", {"phone": "0812345678"}),
    ("ปีนี้ 19 แล้วค่ะ", "inform", {"age": 19}),
    ("จบ ม.3 ปี 2563 ครับ", "inform", {"grade": "m3", "grade_status": "completed"}),
    ("ลาออกเมื่อปี 64", "inform", {"grade_status": "left_during"}),
    ("เกิด พ.ศ. 2550", "inform", {"birth_year_be": 2550}),
]

LEAVING = [
    ("ที่บ้านไม่มีเงินก็เลยต้องลาออก", "inform", {"reason": "financial", "grade_status": "left_during"}),
    ("ออกระหว่างเทอมตอน ม.2", "inform", {"grade": "m2", "grade_status": "left_during"}),
    ("ทิ้งไว้ตอน ม.4", "inform", {"grade": "m4", "grade_status": "left_during"}),
    ("จบ ม.3 แล้วไม่ได้ไปเรียนต่อ", "inform", {"grade": "m3", "grade_status": "completed"}),
    ("ตั้งท้องตอน ม.4 เลยต้องออกค่ะ", "inform", {"reason": "pregnancy", "grade": "m4", "grade_status": "left_during"}),
    ("กี่เทอมจบ ม.ปลาย", "ask_schedule", {}),
]


@pytest.mark.parametrize("text, intent, entities", SEVERAL_ACTS, ids=[c[0] for c in SEVERAL_ACTS])
def test_the_strongest_act_wins_with_every_detail(text, intent, entities):
    _check(text, intent, entities)


@pytest.mark.parametrize("text, intent, entities", LEARNER_ONLY, ids=[c[0] for c in LEARNER_ONLY])
def test_details_describe_the_learner_only(text, intent, entities):
    _check(text, intent, entities)


@pytest.mark.parametrize("text, intent, entities", HOME_ONLY, ids=[c[0] for c in HOME_ONLY])
def test_places_are_the_learners_home_only(text, intent, entities):
    _check(text, intent, entities)


@pytest.mark.parametrize("text, intent, entities", WORDS_INSIDE_WORDS, ids=[c[0] for c in WORDS_INSIDE_WORDS])
def test_words_inside_longer_words_are_not_read(text, intent, entities):
    _check(text, intent, entities)


@pytest.mark.parametrize("text, intent, entities", REASONS, ids=[c[0] for c in REASONS])
def test_a_reason_is_why_the_learner_left(text, intent, entities):
    _check(text, intent, entities)


@pytest.mark.parametrize("text, intent, entities", NEGATION, ids=[c[0] for c in NEGATION])
def test_negated_and_corrected_values(text, intent, entities):
    _check(text, intent, entities)


@pytest.mark.parametrize("text, intent, entities", DIALECT, ids=[c[0] for c in DIALECT])
def test_dialect_words_read_as_standard_thai(text, intent, entities):
    _check(text, intent, entities)


@pytest.mark.parametrize("text, intent, entities", ROMANISED, ids=[c[0] for c in ROMANISED])
def test_romanised_thai_and_english(text, intent, entities):
    _check(text, intent, entities)


@pytest.mark.parametrize("text", OTHER_SERVICES)
def test_other_services_ads_and_chat_are_out_of_scope(text):
    u = understand(text, today=TODAY)
    assert u.intent == "out_of_scope", (u.intent, u.confidence)


@pytest.mark.parametrize("text, intent, entities", NUMBERS, ids=[c[0] for c in NUMBERS])
def test_numbers_phones_and_years(text, intent, entities):
    _check(text, intent, entities)


@pytest.mark.parametrize("text, intent, entities", LEAVING, ids=[c[0] for c in LEAVING])
def test_leaving_words(text, intent, entities):
    _check(text, intent, entities)


def test_the_same_message_read_with_and_without_spaces_gives_the_same_details():
    spaced = understand("ลูก อายุ 15 ออกตอน ม.2 อยู่ อ.เถิน ลำปาง ค่ะ", today=TODAY).entities
    joined = understand("ลูกอายุ15ออกตอนม.2อยู่อ.เถินลำปางค่ะ", today=TODAY).entities
    assert spaced == joined == {"role": "parent", "age": 15, "grade": "m2", "grade_status": "left_during",
                                "district": "5208", "province": "52"}


@pytest.mark.parametrize("text", ["ลูกอายุ 15 ออกตอน ม.2 อยู่ อ.เถิน ลำปางค่ะ", "ผมอายุ 17 อยู่เถิน จบ ม.2",
                                  "เกิด 12 มีนาคม 2551", "ชื่อเล่นว่าแป้งค่ะ"])
def test_a_details_message_leaves_no_residue(text):
    from nlp.normalize import normalize
    from nlp.residue import residue

    assert residue(normalize(text)) == ""


@pytest.mark.parametrize("text, left", [("ร้อยเอ็ดร้อนมาก", "ร้อน"), ("ผมอายุ 30 แล้วยังไม่มีแฟน", "แฟน")])
def test_chat_around_a_detail_leaves_its_words(text, left):
    from nlp.normalize import normalize
    from nlp.residue import residue

    assert left in residue(normalize(text))


def test_chat_that_carries_a_detail_starts_no_intake_and_gives_it_only_as_an_answer():
    u = understand("กรุงเทพรถติดทุกวัน", today=TODAY)
    assert u.intent == "out_of_scope"
    assert u.entities == {}  # no learner in chatter (DESIGN §3)
    assert u.told == {"province": "10"}
    # Sent in answer to the bot's question about the home, it is the learner's.
    assert understand("กรุงเทพรถติดทุกวัน", today=TODAY, expecting="location").entities == {"province": "10"}


def test_a_story_of_leaving_school_is_details_even_without_a_keyword():
    u = understand("ตอนนั้นเพื่อนชวนโดดเรียนบ่อย สุดท้ายก็เลิกเรียนไปเลยค่ะ", today=TODAY)
    assert u.intent == "inform"


def test_a_missing_kept_model_is_trained_at_load(tmp_path, caplog):
    from nlp.classifier import IntentModel

    model = IntentModel.load(tmp_path / "missing.npz")
    assert model.predict("เรียนฟรีไหม")[0][0] == "ask_cost"
    assert "python -m nlp.train" in caplog.text


def test_the_kept_model_round_trips(tmp_path):
    from nlp import reader
    from nlp.classifier import IntentModel

    kept = reader._load()
    kept.save(tmp_path / "model.npz")
    again = IntentModel.load(tmp_path / "model.npz")
    for text in ("สวัสดีค่ะ", "ลูกอายุ 15 ต้องใช้เอกสารอะไรบ้าง"):
        assert again.predict(text) == kept.predict(text)
