"""Dialect and spelling variants are the same words (DESIGN §3): Isan, Northern (Kham Mueang) and
Southern words and sound shifts, romanised Thai in several spellings and English are read like standard
Thai. The sentences are written for these tests; none is in a development or held-out file."""

from datetime import date

import pytest

from nlp import understand
from nlp.normalize import normalize

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "standard"),
    [
        # Northern: ช → จ, ท → ต, the rising tone on ปี/การ, ยะ (ทำ), อะหยัง … พ่อง (อะไรบ้าง), หื้อ (ให้)
        ("จื้อนก อายุ 16 ปี๋", "ชื่อนก อายุ 16 ปี"),
        ("ค่าเทอมเต้าใด", "ค่าเทอมเท่าไหร่"),
        ("ต้องเอาอะหยังไปพ่อง", "ต้องเอาอะไรไปบ้าง"),
        ("กศน. อยู่ตางใด", "กศน อยู่ที่ไหน"),
        ("ไปยะก๋านต่างจังหวัด", "ไปทำงานต่างจังหวัด"),
        ("อยากหื้อหลานเฮียน", "อยากให้หลานเรียน"),
        ("ขออู้กับครู", "ขอคุยกับครู"),
        ("ค่าใจ้จ่ายมีก่อ", "ค่าใช้จ่ายมีไหม"),
        ("ต้องจ่ายสตางค์ก่อ", "ต้องจ่ายเงินไหม"),
        # Isan: ย้อน (because), จั่งสิ, สิ (will) after who will, ฮับ (รับ) before สมัคร, บ้านทุกข์ (a poor home)
        ("ออกย้อนบ่มีเงิน", "ออกเพราะไม่มีเงิน"),
        ("เฮียนจั๊กปีจั่งสิจบ", "เรียนกี่ปีถึงจะจบ"),
        ("เฮ็ดจั่งใดข่อยสิได้เฮียน", "ทำอย่างไรฉันจะได้เรียน"),
        ("เปิดฮับสมัครมื้อใด", "เปิดรับสมัครเมื่อไหร่"),
        ("บ้านทุกข์เลยบ่ได้เฮียน", "บ้านจนเลยไม่ได้เรียน"),
        ("เซาเฮียนตอน ม.2", "หยุดเรียนตอน ม.2"),
        ("เซาไปโฮงเฮียนแล้ว", "หยุดไปโรงเรียนแล้ว"),
        # Southern: ท่อไหร่ (เท่าไหร่), พันพรือ (อย่างไร), the particle หนิ
        ("ค่าเรียนท่อไหร่หนิ", "ค่าเรียนเท่าไหร่"),
        ("สมัครพันพรือ", "สมัครอย่างไร"),
        ("หม้ายได้เรียนต่อแหละ", "ไม่ได้เรียนต่อ"),
        ("หม้ายช่าย 16", "ไม่ใช่ 16"),
        ("เรียนได้หม้ายหนิ", "เรียนได้ไหม"),
        ("ไช่แล้ว", "ใช่แล้ว"),
        ("บ่เคยเฮียนจบ ม.2", "เรียนไม่จบ ม.2"),
    ],
)
def test_dialect_words_read_as_standard_thai(text: str, standard: str) -> None:
    assert normalize(text) == standard


@pytest.mark.parametrize(
    "text", ["ไปงานปาร์ตี้มา", "ย้อนกลับไปดูใหม่", "ฝนเซาแล้ว", "ทิ้งขยะให้ด้วย", "ตี๋น้อยร้านข้าวมันไก่", "ย้อนหลังสามปี"]
)
def test_words_that_only_look_like_dialect_stay(text: str) -> None:
    assert normalize(text) == text


@pytest.mark.parametrize(
    ("text", "standard"),
    [
        ("my daughter is fifteen", "ลูก อายุ 15"),
        ("I am twenty two", "ผมอายุ 22"),
        ("she quit school because we had no money", "she ออกจากโรงเรียน เพราะ we ไม่มีเงิน"),
        ("how long to finish M.3", "ใช้เวลากี่ปีจบ ม.3"),
        ("where can I apply", "สมัครได้ที่ไหน"),
        ("perd samak meu rai", "เปิด สมัคร เมื่อไหร่"),
        ("rian dai mai", "เรียน ได้ ไหม"),
        ("ok ton por 5", "ออก ตอน ป.5"),
        ("ok krub", "ok ค่ะ"),
        ("tonnee tua eng ja rian", "ตอนนี้ ตัวเอง จะ เรียน"),
        ("we prefer vocational, not general", "อยากเรียนสายอาชีพ, ไม่เอาสายสามัญ"),
    ],
)
def test_english_and_romanised_words_read_as_thai(text: str, standard: str) -> None:
    assert normalize(text) == standard


@pytest.mark.parametrize(
    ("text", "intent", "entities"),
    [
        ("หลานอายุ 14 ปี๋ ออกจากโฮงเฮียนตอน ป.6 เจ้า", "inform",
         {"role": "parent", "age": 14, "grade": "p6", "grade_status": "left_during"}),
        ("ค่าเฮียนเต้าใดเจ้า", "ask_cost", {}),
        ("จะสมัครต้องใจ้อะหยังพ่อง", "ask_documents", {}),
        ("จื้อส้ม อายุ 18 ปี๋", "inform", {"age": 18}),
        ("ข่อยจบ ป.6 แล้วบ่ได้เฮียนต่อ ย้อนบ่มีเงิน", "inform",
         {"grade": "p6", "grade_status": "completed", "reason": "financial"}),
        ("เฮียนจั๊กปีจั่งสิจบ", "ask_schedule", {}),
        ("ค่าเรียนท่อไหร่หนิ", "ask_cost", {}),
        ("lan chai ayuu 16 ork tawn mor 3 ka", "inform",
         {"role": "parent", "age": 16, "grade": "m3", "grade_status": "left_during"}),
        ("rian gi pi jop", "ask_schedule", {}),
        ("my nephew is sixteen and quit school because he had to work", "inform",
         {"role": "parent", "age": 16, "grade_status": "left_during", "reason": "work"}),
        ("how do we apply?", "enroll", {}),
    ],
)
def test_dialect_romanised_and_english_messages(text: str, intent: str, entities: dict[str, object]) -> None:
    u = understand(text, today=TODAY)
    assert (u.intent, dict(u.entities)) == (intent, entities)
