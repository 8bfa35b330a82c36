"""Questions asked the way people chat (issue 11): clipped question words, messages typed without
spaces, a request for the office's number beside one's own, job adverts, and grown-up small talk
beside a place. None of these sentences is in the training or development files."""

from datetime import date

import pytest

from nlp import understand
from nlp.normalize import normalize
from nlp.reader import _asks, _tail_windows

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("ต้องพกไรไปบ้าง", "ต้องพกอะไรไปบ้าง"),
        ("สมัครใช้ไรมั่งคะ", "สมัครใช้อะไรบ้างคะ"),
        ("เอกสารไรบ้าง", "เอกสารอะไรบ้าง"),
        ("ต้องทำไงคะ", "ต้องทำอย่างไรคะ"),
        ("วุฒินี้ใช้ได้หม้ายเด้อ", "วุฒินี้ใช้ได้ไหม"),
    ],
)
def test_clipped_question_words_are_read_whole(text: str, normalised: str) -> None:
    assert normalize(text) == normalised
    assert _asks(normalize(text))


@pytest.mark.parametrize(
    "text", ["ไม่เป็นไรค่ะ", "ขายได้กำไรดี", "ทำไร่อ้อยอยู่", "เป็นไรเดอร์ส่งอาหาร", "แม่หม้ายลูกสอง", "ร่ำรวยมั่งมี"]
)
def test_words_that_only_look_clipped_stay(text: str) -> None:
    assert normalize(text) == text
    assert not _asks(normalize(text))


def test_the_end_of_an_unspaced_message_is_read_alone() -> None:
    text = "หลานสาวอายุ15ออกตอนม1ยายอยากให้กลับไปเรียนต้องไปติดต่อที่ไหนคะ"
    windows = _tail_windows(text)
    assert windows and all(text.endswith(window) for window in windows)
    assert all(len(window) < len(text) for window in windows)
    assert _tail_windows("ไปติดต่อที่ไหนคะ") == []  # short: the whole message is read already
    assert _tail_windows("หลานสาวอายุ15ออกตอนม1ยายอยากให้กลับไปเรียนหนังสือค่ะ") == []  # asks nothing


@pytest.mark.parametrize(
    ("text", "intent", "entities"),
    [
        ("หลานสาวอายุ15ออกตอนม1ยายอยากให้กลับไปเรียนต้องไปติดต่อที่ไหนคะ", "ask_office",
         {"age": 15, "grade": "m1", "grade_status": "left_during", "role": "parent"}),
        ("ลูกชายอายุ 17 ค้าง ม.4 จะพาไปสมัครต้องถือไรไปมั่งคะ", "ask_documents",
         {"age": 17, "grade": "m4", "grade_status": "left_during", "role": "parent"}),
    ],
)
def test_a_chatty_question_after_details_is_a_question(text: str, intent: str, entities: dict) -> None:
    read = understand(text, TODAY)
    assert read.intent == intent
    assert read.entities == entities


def test_asking_for_the_office_number_beside_ones_own_is_a_question() -> None:
    read = understand("เบอร์หนู 0891234567 ขอเบอร์ครู กศน ตำบลหน่อยค่ะ", TODAY)
    assert read.intent == "ask_office"
    assert read.entities.get("phone") == "0891234567"


@pytest.mark.parametrize(
    "text",
    [
        "รับสมัครพนักงานเสิร์ฟ วุฒิ ม.3 ขึ้นไป สนใจทักมาค่ะ",
        "ด่วน รับสมัครคนงานโรงงาน จบ ป.6 ก็ได้ ทักแชทเลย",
    ],
)
def test_job_adverts_naming_a_level_are_out_of_scope(text: str) -> None:
    assert understand(text, TODAY).intent == "out_of_scope"


def test_a_wish_to_study_after_a_job_advert_word_is_still_a_wish() -> None:
    assert understand("สนใจติดต่อเรียน กศน ค่ะ ลูกอายุ 16", TODAY).intent != "out_of_scope"


@pytest.mark.parametrize("text", ["แต่งงานแล้วค่ะ ย้ายมาอยู่อุดรได้ปีนึง", "หาเพื่อนคุยค่ะ อายุ 19 อยู่โคราช"])
def test_grown_up_small_talk_beside_a_detail_starts_no_intake(text: str) -> None:
    assert understand(text, TODAY).intent == "out_of_scope"


def test_a_wish_beside_married_life_is_still_a_wish() -> None:
    assert understand("แต่งงานแล้วมีลูกหนึ่งคน อายุ 22 แต่อยากกลับไปเรียนให้จบ ม.6 ค่ะ", TODAY).intent == "enroll"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("เรียนฟรีไหมคะ ลูกสาวอายุ 16 ออกตอน ม.2 เพราะพ่อป่วยต้องมีคนดูแล ตอนนี้พ่อดีขึ้นแล้ว "
         "ลูกอยู่บ้านช่วยแม่ขายของที่ตลาดทุกเช้า บ้านอยู่ อ.กระนวน ขอนแก่น ค่ะ", "ask_cost"),
        ("ต้องใช้เอกสารอะไรบ้างคะ หลานสาวอายุ 14 จบ ป.6 แล้วไม่ได้ไปต่อ ม.1 เพราะบ้านอยู่บนดอยไกลโรงเรียนมาก "
         "ตอนนี้ช่วยยายทำไร่ข้าวโพดอยู่ที่บ้านค่ะ", "ask_documents"),
    ],
)
def test_a_question_asked_first_and_the_story_after_it(text: str, intent: str) -> None:
    assert understand(text, TODAY).intent == intent


def test_a_salutation_first_is_no_command() -> None:
    text = ("เรียนเจ้าหน้าที่ค่ะ ลูกชายอายุ 15 ไม่ยอมไปโรงเรียนจนโดนให้ออกตอน ม.2 ตอนนี้อยู่กับแม่ "
            "ที่ อ.หาดใหญ่ สงขลา เขาบอกว่าอยากเรียนต่อแล้วค่ะ")
    assert understand(text, TODAY).intent == "enroll"


@pytest.mark.parametrize(
    "text", ["จะเปิดบัญชีออมสินให้ลูกต้องใช้อะไรบ้าง", "สรรพากรพื้นที่เปิดกี่โมงคะ", "สถานีตำรวจใกล้บ้านอยู่ที่ไหนครับ"]
)
def test_loans_and_other_offices_are_other_services(text: str) -> None:
    assert understand(text, TODAY).intent == "out_of_scope"


def test_our_office_in_a_bangkok_district_is_ours() -> None:
    assert understand("ศูนย์ กศน เขตบางเขน เปิดกี่โมงคะ", TODAY).intent == "ask_office"


@pytest.mark.parametrize(
    "text", ["อยากเรียนทำเค้กไปขาย", "อยากเรียนต่อ ป.โท ที่ราม", "อยากสมัครติ๊กต็อกให้ร้าน", "สมัครสมาชิกยูทูบพรีเมียมยังไง"]
)
def test_hobby_courses_degrees_and_app_accounts_are_not_ours(text: str) -> None:
    assert understand(text, TODAY).intent == "out_of_scope"


@pytest.mark.parametrize("text", ["อยากเรียนต่อให้จบ ม.6 ค่ะ", "อยากเรียนทำงานไปด้วยได้ไหม อายุ 19"])
def test_studying_on_is_still_ours(text: str) -> None:
    assert understand(text, TODAY).intent != "out_of_scope"


def test_news_of_a_marriage_is_chat_but_a_marriage_that_ended_school_is_a_story() -> None:
    assert understand("แต่งงานกับคนบ้านเดียวกันค่ะ ตอนนี้อยู่ยโสธร", TODAY).intent == "out_of_scope"
    assert understand("แต่งงานตอนอายุ 16 เลยต้องออกจาก ม.4 ค่ะ", TODAY).intent == "inform"


def test_a_marriage_told_beside_a_school_level_is_details() -> None:
    # the level reached makes it schooling, not news of one's life
    read = understand("ตอนนี้ 17 แต่งงานแล้ว จบแค่ ม.2 อยู่อุดร", TODAY)
    assert read.intent == "inform"
    assert {"age": 17, "grade": "m2", "province": "41"}.items() <= read.entities.items()
