"""The intent of a whole message (DESIGN §3): the strongest act of a long message, question words
that ask nothing, and the out-of-scope boundary."""

from datetime import date

import pytest

from nlp import understand
from nlp.reader import _asks

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # A question or a wish at the end of a long story with several details.
        ("ลูกสาวดิฉันอายุ 13 ปีค่ะ จบป.6 แล้วไม่ได้เรียนต่อเพราะบ้านอยู่ไกลโรงเรียนมาก ไม่มีรถรับส่ง "
         "เขาอายุเท่านี้เรียนกศนได้หรือยังคะ", "ask_eligibility"),
        ("ลูกชายอายุ 18 ติดเกมจนไม่ไปโรงเรียน ออกตอนม.5 ตอนนี้ก็ยังอยู่บ้านเล่นเกม "
         "แต่เมื่อวานเขามาบอกว่าอยากเรียนให้จบม.6 แม่ดีใจมากเลยค่ะ บ้านอยู่เมืองพิษณุโลกค่ะ", "enroll"),
        ("หลานสาวอายุ 19 ปี จบม.3 ทำงานโรงงานที่สมุทรสาคร เงินเดือนไม่เยอะ "
         "ถ้าเรียน ม.ปลาย ต่อต้องใช้เงินเทอมละเท่าไหร่คะ", "ask_cost"),
    ],
)
def test_the_strongest_act_of_a_long_message(text: str, intent: str) -> None:
    assert understand(text, TODAY).intent == intent


@pytest.mark.parametrize(
    "text",
    ["สอบไม่ติดที่ไหนเลย", "ไม่อยากเจอใคร", "ไม่มีใครติดต่อมา", "ไปช่วยพ่อเกี่ยวข้าว", "ไม่ได้ทำอะไรเลย"],
)
def test_question_words_that_ask_nothing(text: str) -> None:
    assert not _asks(text)


@pytest.mark.parametrize(
    "text",
    ["ไม่รู้จะไปสมัครที่ไหน", "ต้องใช้อะไรบ้าง", "ไม่มีบัตรเรียนได้ไหม", "เรียนกี่ปีจบ", "ไม่ต้องจ่ายอะไรใช่ไหม"],
)
def test_questions_are_still_questions(text: str) -> None:
    assert _asks(text)


def test_a_story_with_a_negative_indefinite_is_not_a_question() -> None:
    # "ไม่อยากเจอใคร" asks nothing: the story is details, not a question or a wish.
    read = understand("ตอน ม.2 หนูเป็นซึมเศร้า ไม่อยากตื่น ไม่อยากเจอใคร แม่เลยให้พักการเรียน", TODAY)
    assert read.intent == "inform"


@pytest.mark.parametrize("text", ["อืม", "อืมมม...", "เอ่อ"])
def test_a_mumble_is_no_answer(text: str) -> None:
    # A hesitation is neither a yes nor a detail (it must never count as consent).
    assert understand(text, TODAY).intent == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "ย้ายทะเบียนบ้านไปอยู่กับแม่ต้องทำยังไง ใช้เอกสารอะไรบ้าง",
        "มหาลัยรามเปิดรับสมัครรอบหน้าเมื่อไหร่คะ",
        "อยากเรียนว่ายน้ำช่วงปิดเทอม มีที่ไหนสอนบ้าง",
        "ขอเบอร์สำนักงานประกันสังคมหน่อยครับ",
        "อยากกลับไปนอนแล้ว ง่วงมาก",
        "อยากเรียนดำน้ำที่ภูเก็ตค่ะ",
        "ลูกชายเรียน ม.5 อยู่ อยากเข้าวิศวะ ต้องเตรียมตัวยังไงคะ",
    ],
)
def test_other_offices_and_courses_are_out_of_scope(text: str) -> None:
    assert understand(text, TODAY).intent == "out_of_scope"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ยังไม่ได้ทำบัตรประชาชนเลย เรียน กศน ได้ไหม", "ask_eligibility"),
        ("ต้องใช้ใบเปลี่ยนชื่อด้วยไหมคะ", "ask_documents"),
        ("ฝาง เชียงใหม่", "inform"),
    ],
)
def test_our_questions_and_answers_near_those_words(text: str, intent: str) -> None:
    assert understand(text, TODAY).intent == intent


def test_an_faq_question_without_the_usual_words_is_answered() -> None:
    # ตัวจริง/สำเนา are the FAQ's topic (documents) though the message names no document.
    assert understand("ต้องเอาตัวจริงไปหรือแค่สำเนาก็พอคะ", TODAY).intent == "ask_documents"


def test_a_polite_particle_is_no_faq_topic() -> None:
    from nlp.reader import _FAQ_TOPIC

    # "ครับ" holds "รับ" (admission): a chat question ending with it names no topic of ours.
    assert not _FAQ_TOPIC.search("สบายดีไหมครับ")
    assert _FAQ_TOPIC.search("รับสมัครถึงเมื่อไหร่ครับ")


def test_an_english_question_is_not_taken_for_chat() -> None:
    # The normaliser turns "daughter" into ลูก; the message is still English, and answered.
    read = understand("my daughter is deaf, can she join your program?", TODAY)
    assert read.intent.startswith("ask_")


def test_chat_the_classifier_is_certain_of_stays_chat_with_details() -> None:
    assert understand("ลำปาง แต่งงานแล้วจ้า", TODAY).intent == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    ["รหัสไปรษณีย์ 50230 นะคะ", "ไม่ใช่ 17 ค่ะ อายุ 18 แล้ว เพิ่งฉลองวันเกิดไปเมื่อวาน"],
)
def test_a_postal_code_or_a_corrected_detail_is_given_not_chatted(text: str) -> None:
    assert understand(text, TODAY).intent == "inform"


def test_a_corrected_value_is_no_chat_but_a_no_in_chat_is() -> None:
    # A correction followed by the new value is a detail given, however much the words around it chat.
    assert understand("อายุไม่ใช่ 15 ค่ะ 16 แล้ว เพิ่งวันเกิดเมื่อวาน", TODAY).intent == "inform"
    # "ไม่ใช่" far from any value is chat's own word, not a correction.
    assert understand("อายุ 16 แล้วยังไม่มีแฟน ไม่ใช่คนสวยเลย", TODAY).intent == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "เพื่อนที่ออกจากโรงเรียนตอน ม.2 ตอนนี้มีบริษัทของตัวเองแล้ว ภูมิใจในตัวเขามาก",
        "สมัยก่อนพ่อต้องออกจากโรงเรียนตอน ป.4 มาช่วยปู่ทำนา ฟังแล้วซึ้งมาก",
    ],
)
def test_a_drop_out_told_as_a_life_story_that_is_over_starts_no_intake(text: str) -> None:
    assert understand(text, TODAY).intent == "out_of_scope"


def test_a_leaving_story_with_a_wish_is_still_ours_whatever_the_pride() -> None:
    read = understand("ภูมิใจที่ลูกอยากกลับไปเรียน ลูกออกตอน ม.2 ค่ะ", TODAY)
    assert read.intent in ("enroll", "inform")


@pytest.mark.parametrize(
    "text",
    ["ต่อวีซ่าต้องใช้เอกสารอะไรบ้างคะ", "ทำบัตรทองเสียเงินไหม", "สมัครสอบตำรวจต้องใช้อะไรบ้าง", "ราชภัฏเปิดรับสมัครเมื่อไหร่"],
)
def test_other_offices_papers_and_universities_get_no_faq_answer(text: str) -> None:
    assert understand(text, TODAY).intent == "out_of_scope"


def test_a_disability_card_in_our_question_stays_ours() -> None:
    assert understand("ลูกพิการ มีบัตรคนพิการ เรียนได้ไหมคะ", TODAY).intent == "ask_eligibility"
