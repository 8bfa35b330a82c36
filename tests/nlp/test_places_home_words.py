"""Home versus elsewhere, and words inside words (DESIGN §3): a birthplace, a former home, a relative's
home town, a customer's home, and the name of a market, hospital, shop or prison name no home; a place
name that is a person's name, a mother and a word ("แม่ใจดี"), and district names that are everyday
phrases ("อาจสามารถ") are no places. Only the place keys are compared."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand
from nlp.normalize import normalize
from nlp.places import extract_places

TODAY = date(2026, 11, 22)
KEYS = ("province", "district", "subdistrict")


def places(text: str) -> dict[str, str]:
    told = understand(text, today=TODAY).told
    return {k: v for k, v in told.items() if k in KEYS}


HOMES = [
    # a birthplace is no home; the home told beside it is
    ("ผมเกิดที่อุดรครับ ตอนนี้บ้านอยู่ อ.บ้านผือ", {"district": "4117"}),
    ("หนูเกิดเชียงราย แต่อยู่ อ.สันกำแพง มาตั้งแต่เด็กค่ะ", {"district": "5013"}),
    ("เกิดในกรุงเทพค่ะ อยู่บางบัวทองตอนนี้ อายุ 17", {"district": "1204"}),
    # a former home, said before or after the place
    ("เดิมอยู่สกลนครครับ ตอนนี้อยู่ อ.เมืองนครพนม", {"district": "4801"}),
    ("แต่ก่อนบ้านอยู่ อ.ฝาง ตอนนี้ย้ายมาอยู่ อ.สันป่าตอง ค่ะ", {"district": "5012"}),
    ("เคยไปอยู่กับน้าที่ระยองตอนเด็กๆ ตอนนี้อยู่ อ.เมืองจันทบุรี", {"district": "2201"}),
    # the name of a market, hospital, shop, station or prison
    ("ช่วยแม่ขายของที่ตลาดสุรินทร์ค่ะ บ้านอยู่ อ.ชุมพลบุรี", {"district": "3202"}),
    ("ยายนอนโรงพยาบาลลำปางค่ะ หนูอยู่ อ.แม่ทะ", {"district": "5210"}),
    ("ทำงานโลตัสสาขาพิษณุโลก บ้านอยู่ อ.บางกระทุ่ม ครับ", {"district": "6505"}),
    ("พ่ออยู่เรือนจำที่นครศรีฯ หนูอยู่กับแม่ที่ อ.ทุ่งสง", {"district": "8009"}),
    # a relative's home town or a customer's home is not the learner's
    ("แม่เป็นคนกาฬสินธุ์ หนูอยู่ อ.ลาดหลุมแก้ว ค่ะ", {"district": "1305"}),
    ("ลูกค้าคนหนึ่งอยู่ อ.ปากเกร็ด แต่หนูอยู่ อ.บางใหญ่ ค่ะ", {"district": "1203"}),
    # a person's name, not a place
    ("ลำพูนเป็นชื่อผมครับ บ้านอยู่ อ.แม่ริม", {"district": "5007"}),
    ("ชื่อ สุรินทร์ นามสกุล ใจดี อายุ 19", {}),
    # a mother and a word, not อ.แม่ใจ / อ.แม่อาย / อ.แม่วาง
    ("แม่ใจร้อนค่ะ หนูเลยไม่กล้าบอก", {}),
    ("แม่อายเพื่อนบ้านที่หนูไม่ได้เรียน", {}),
    ("แม่วางเงินไว้ให้ค่าสมัคร", {}),
    # the same names as a home
    ("บ้านอยู่แม่ใจ พะเยาค่ะ", {"province": "56", "district": "5607"}),
    ("อยู่แม่อาย เชียงใหม่ครับ", {"province": "50", "district": "5010"}),
    # everyday phrases that are district names
    ("พรุ่งนี้หนูอาจสามารถไปสมัครได้ค่ะ", {}),
    ("สองพี่น้องเรียนได้พร้อมกันไหมคะ", {}),
    ("อยู่ อ.อาจสามารถ ร้อยเอ็ดค่ะ", {"province": "45", "district": "4514"}),
    ("บ้านอยู่สองพี่น้อง สุพรรณครับ", {"province": "72", "district": "7207"}),
    # a province that is also a word, then a dialect particle
    ("บ้านอยู่สตูลหนิ อายุ 18", {"province": "91"}),
    ("อยู่ อ.ปัว น่านเจ้า", {"province": "55", "district": "5505"}),
]


@pytest.mark.parametrize(("text", "expected"), HOMES)
def test_home_versus_elsewhere_and_words(text: str, expected: dict[str, str]) -> None:
    assert places(text) == expected


RULES = [
    ("หนูเกิดที่ขอนแก่นค่ะ", {}),
    ("เมื่อก่อนบ้านอยู่ อ.เถิน ลำปาง", {}),
    ("ขายข้าวแกงหน้าโรงพยาบาลอุดรค่ะ", {}),
    ("อุดรเป็นชื่อเล่นค่ะ", {}),
    ("แม่ใจดีมากเลย", {}),
    ("ผมอาจสามารถไปได้", {}),
    ("อยู่ลำปางค่ะ", {"province": "52"}),
    ("บ้านอยู่ อ.แม่ใจ ค่ะ", {"district": "5607"}),
]


@pytest.mark.parametrize(("text", "expected"), RULES)
def test_the_rules_alone(text: str, expected: dict[str, str]) -> None:
    got = extract_places(normalize(text), judge=None)
    assert {k: v for k, v in got.items() if k in KEYS} == expected


MORE = [
    # where the learner lives, not where the house is registered; a registered home alone stands
    ("อยู่ อ.บางพลี แต่ทะเบียนบ้านอยู่บุรีรัมย์ค่ะ", {"district": "1103"}),
    ("ทะเบียนบ้านอยู่ อ.นางรอง บุรีรัมย์ครับ", {"province": "31", "district": "3104"}),
    # food and shops named after a place
    ("ชอบกินข้าวซอยเชียงใหม่มากค่ะ อยู่ลำพูน", {"province": "51"}),
    # particles, ฯ, แล้ว and a district's mark after a province that is also a word
    ("บ้านอยู่ อ.รือเสาะ นราธิวาสแหละ", {"province": "96", "district": "9606"}),
    ("อยู่ อ.สามพราน นครปฐมฯ ค่ะ", {"province": "73", "district": "7306"}),
    ("ตอนนี้กลับมาอยู่บ้านที่ตรังแล้วค่ะ", {"province": "92"}),
    ("อยู่น่าน อ.ปัว ครับ", {"province": "55", "district": "5505"}),
    # a construction site and work said in dialect are no home
    ("ทำก่อสร้างครับ ไซต์งานอยู่ อ.บางพลี ไม่มีบ้านเป็นหลักแหล่ง", {}),
    ("อ้ายไปเฮ็ดงานอยู่ชลบุรี ข่อยอยู่ อ.พล เด้อ", {"district": "4012"}),
]


@pytest.mark.parametrize(("text", "expected"), MORE)
def test_registration_food_particles_and_work(text: str, expected: dict[str, str]) -> None:
    assert places(text) == expected
