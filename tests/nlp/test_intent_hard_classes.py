"""Intents of the hard categories of issue 11 (engineer n3): a question about several people, a long
parent story that ends in a question, a wish carried by a plan, dialect question particles, romanised
Thai, and corrections. Each row is a Thai message and its expected reading; none is taken from a
development or evaluation file."""

from datetime import date

import pytest

from nlp import understand
from nlp.normalize import normalize

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # A wish or a plan to study that asks nothing is `enroll`, whatever the classifier makes of its places.
        ("พรุ่งนี้เช้าจะพาหลานไปสมัครที่ศูนย์จ้ะ", "enroll"),
        ("อาทิตย์หน้าแม่จะส่งลูกทั้งสองคนไปเรียน กศน ค่ะ", "enroll"),
        ("ลูกชายอายุ 17 ออกตอน ม.4 อยู่บ้านเฉยๆ มาปีนึง ตอนนี้อยากกลับไปเรียนแล้วค่ะ", "enroll"),
        ("ผมกับพี่ชายอยากเรียนให้จบ ม.3 ทั้งคู่ครับ", "enroll"),
        ("รับจ้างตัดอ้อยทั้งปีครับ อยากได้วุฒิ ม.3 สักใบ", "enroll"),
        # … but a negated wish is no wish.
        ("ไม่ได้อยากเรียนสายอาชีพนะคะ", "inform"),
        ("ไม่เอาสายช่างค่ะ ลูกขอเอาสามัญ", "inform"),
        # … while a negated path beside a wish for the other keeps the wish.
        ("ไม่อยากเรียนสายสามัญครับ อยากเรียนช่างยนต์", "enroll"),
        # … and a hobby course stays someone else's business.
        ("อยากเรียนทำขนมเค้กค่ะ", "out_of_scope"),
    ],
)
def test_a_wish_carried_by_a_plan(text: str, intent: str) -> None:
    assert understand(text, TODAY).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # A message that opens with a correction corrects a detail (DESIGN §3: inform).
        ("ผิดครับ ไม่ได้เรียนเอง จะสมัครให้หลาน", "inform"),
        ("ไม่ได้สมัครให้ตัวเองค่ะ สมัครให้ลูกสาว", "inform"),
        ("ไม่ใช่ ม.5 ครับ ออกตอน ม.4", "inform"),
        # A correction that asks is still a question.
        ("ไม่ใช่ลูกค่ะ หลาน แบบนี้ยายสมัครแทนได้ไหมคะ", "ask_eligibility"),
    ],
)
def test_corrections(text: str, intent: str) -> None:
    assert understand(text, TODAY).intent == intent


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        # Northern ก่อ / ก่ asks; it is not the ก่ of ไก่ nor ก่อน, ก่อสร้าง.
        ("หลานเฮียนได้ก่อเจ้า", "หลานเรียนได้ไหม"),
        ("ลูกอายุ 13 เรียนได้ก่อ", "ลูกอายุ 13 เรียนได้ไหม"),
        ("ซื้อไก่", "ซื้อไก่"),
        ("ไปทำงานก่อสร้าง", "ไปทำงานก่อสร้าง"),
        ("ขอตัวก่อนนะ", "ขอตัวก่อนนะ"),
        # Isan บ่ is ไม่, but not in บ่น (to grumble).
        ("ลูกบ่นทุกวัน", "ลูกบ่นทุกวัน"),
        ("บ่มีเงินส่ง", "ไม่มีเงินส่ง"),
        # Southern หม้าย / ม้าย before the one asked.
        ("เรียนต่อได้หม้ายพี่", "เรียนต่อได้ไหมพี่"),
        # Northern สตัง after a verb of paying.
        ("ต้องเสียสตังก่อ", "ต้องเสียเงินไหม"),
        ("บ่มีสตัง", "ไม่มีเงิน"),
        # Romanised Thai: ไหม glued to Thai or before an emoji; ไม่ before its verb stays.
        ("rian dai maiครับ", "เรียน ได้ ไหมครับ"),
        ("mai mee ngern", "mai มี เงิน"),
        ("samak tong ao arai pai bang", "สมัคร ต้อง เอา อะไร ไป บ้าง"),
        ("tabian baan tua jing rue samnao ka", "ทะเบียนบ้าน ตัวจริง หรือ สำเนา ค่ะ"),
        ("soon yu nai", "ศูนย์ อยู่ ที่ไหน"),
        ("perd rap samak mua rai krub", "เปิด รับ สมัคร เมื่อไหร่ ค่ะ"),
        ("khor ber tor sun noi krub", "ขอ เบอร์โทร ศูนย์ หน่อย ค่ะ"),
        ("see you soon", "see you soon"),
    ],
)
def test_dialect_and_romanised_words(text: str, normalised: str) -> None:
    assert normalize(text) == normalised


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("หลานอายุ 15 เฮียนได้ก่อเจ้า", "ask_eligibility"),
        ("อายุ 28 แล้ว ยังเรียนได้หม้ายพี่", "ask_eligibility"),
        ("เฮียนต้องเสียสตังก่อ", "ask_cost"),
        ("nong ayu 16 rian dai maiคะ", "ask_eligibility"),
        ("samak tong ao arai pai bang ka", "ask_documents"),
        ("is 35 too old to study here", "ask_eligibility"),
    ],
)
def test_dialect_and_romanised_questions(text: str, intent: str) -> None:
    assert understand(text, TODAY).intent == intent
