"""Numbers and English/romanised entity words (issue 11, items 8 and 10): phone numbers spaced, spelled out,
with a country code or in Thai digits; ages said in passing, in months, in a list or as a limit; birth years
(พ.ศ., ค.ศ., two digits, in a date) and years of leaving that are no birth year; English and romanised levels,
leaving words, ages, people and places. Whole entity dicts: an extra key is as wrong as a missing one."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand

TODAY = date(2026, 11, 22)

PHONES = [
    ("ศูนย์แปดหนึ่งสองสามสี่ห้าหกเจ็ดแปด", {"phone": "0812345678"}),
    ("เบอร์ ศูนย์แปดหนึ่ง สองสามสี่ ห้าหกเจ็ดแปด ค่ะ", {"phone": "0812345678"}),
    ("สูนแปดหนึ่ง สองสามสี่ ห้าหกเจ็ดแปด", {"phone": "0812345678"}),
    ("เบอร์หนู 092 ห้าห้าเจ็ด 8810 ค่ะ", {"phone": "0925578810"}),
    ("08 1 2 3 4 5 6 7 8", {"phone": "0812345678"}),
    ("0 8 9 - 4 4 1 - 0 0 2 7", {"phone": "0894410027"}),
    ("๐๘๑-๒๓๔-๕๖๗๘", {"phone": "0812345678"}),
    ("+66 81 234 5678", {"phone": "0812345678"}),
    ("66-81-234-5678", {"phone": "0812345678"}),
    ("(+66) 81-234-5678", {"phone": "0812345678"}),
    ("+66 (0) 81 234 5678", {"phone": "0812345678"}),
    ("O81-234-5678", {"phone": "0812345678"}),
    ("call me +66 81 234 5678", {"phone": "0812345678"}),
    ("โทร 02 123 4567 ได้ค่ะ", {"phone": "021234567"}),
    # the centre's number, or one found somewhere that does not answer: not the learner's
    ("เบอร์ศูนย์ 053-123-456 ใช่ไหมคะ โทรไม่ติด", {}),
    ("ขอเบอร์ศูนย์หน่อยค่ะ เบอร์ที่ได้มา 054-222-111 โทรไม่ติด", {}),
]

AGES = [
    ("ปีนี้ 19 แล้ว", {"age": 19}),
    ("สิบห้าขวบ", {"age": 15}),
    ("15 ปีกว่า", {"age": 15}),
    ("ลูก 14 ขวบแล้ว", {"role": "parent", "age": 14}),
    ("อายุ 15 ปี 6 เดือน", {"age": 15}),
    # a baby's months are no age in years
    ("ลูกอายุได้ 6 เดือน", {"role": "parent"}),
    # several children's ages in a row: no one learner's age
    ("ลูกทั้งสามคน อายุ 13, 15, 17", {"role": "parent"}),
    # an age required or waited for, not the learner's
    ("อายุไม่ถึง 15 ปี เรียนได้ไหม", {}),
    ("ต้องรออายุ 15 ก่อนใช่ไหมคะ", {}),
    ("ต้องอายุ 15 ขึ้นไปใช่ไหม", {}),
    ("อายุ 14 เรียนได้ไหม", {"age": 14}),
]

BIRTH_YEARS = [
    ("เกิดปี 2551", {"birth_year_be": 2551}),
    ("เกิด 2008", {"birth_year_be": 2551}),
    ("เกิดปี 51", {"birth_year_be": 2551}),
    ("เกิด พ.ศ. 2550", {"birth_year_be": 2550}),
    ("ค.ศ. 2009", {"birth_year_be": 2552}),
    ("ปี 51 ค่ะ", {"birth_year_be": 2551}),
    ("born in 2009", {"birth_year_be": 2552}),
    # the year of a date of birth, not its day
    ("เกิด 12 พ.ค. 51", {"birth_year_be": 2551}),
    ("เกิดวันที่ 3 มีนาคม 52 ค่ะ", {"birth_year_be": 2552}),
    ("เกิด 12/5/51", {"birth_year_be": 2551}),
    # the year denied is not the one
    ("ผิดครับ ไม่ได้เกิด 2550 เกิด 2552", {"birth_year_be": 2552}),
    # a year of leaving, finishing or of a school year is no birth year
    ("ผมออกปี 2566 ครับ", {}),
    ("จบ ม.3 ปี 65", {"grade": "m3", "grade_status": "completed"}),
    ("ปีการศึกษา 2560 ออกตอน ม.1", {"grade": "m1", "grade_status": "left_during"}),
    ("ปี 51 หนูอยู่ ป.4 ค่ะ แล้วก็ไม่ได้เรียนต่ออีกเลย", {"grade": "p4", "grade_status": "left_during"}),
    # a year in a sentence about something else
    ("ขายรถ ปี 62 สภาพดี", {}),
]

POSTAL = [
    ("อยู่ อ.เถิน 52160", {"district": "5208", "postal_code": "52160"}),
    ("เงินเดือน 15000", {}),
    ("ราคา 12000 บาท", {}),
]

ENGLISH_AND_ROMANISED = [
    (
        "my son dropped out in Mathayom 2",
        {"role": "parent", "grade": "m2", "grade_status": "left_during"},
    ),
    ("quit in grade 8", {"grade": "m2", "grade_status": "left_during"}),
    ("left school in 8th grade", {"grade": "m2", "grade_status": "left_during"}),
    ("9th grade dropout", {"grade": "m3", "grade_status": "left_during"}),
    ("finished M.3", {"grade": "m3", "grade_status": "completed"}),
    ("left at P.6", {"grade": "p6", "grade_status": "left_during"}),
    ("finished primary only", {"grade": "primary", "grade_status": "completed"}),
    ("he finished high school", {"grade": "upper_secondary", "grade_status": "completed"}),
    ("never went to school", {"grade": "none"}),
    ("age 15", {"age": 15}),
    ("ayu 15", {"age": 15}),
    ("ayu sip jet", {"age": 17}),
    ("age: 15", {"age": 15}),
    ("15 y/o", {"age": 15}),
    ("jop por hok", {"grade": "p6", "grade_status": "completed"}),
    ("lan sao aryu 14 jop p6", {"role": "parent", "age": 14, "grade": "p6", "grade_status": "completed"}),
    ("mai kery rian loei krub ayu 14", {"age": 14, "grade": "none"}),
    ("jop por wor chor 1 mai jop ka", {"grade": "pvc1", "grade_status": "left_during"}),
    ("lerk rian ton m.1", {"grade": "m1", "grade_status": "left_during"}),
    ("ork tawn por 5", {"grade": "p5", "grade_status": "left_during"}),
    ("luk chai ork rong rian", {"role": "parent", "grade_status": "left_during"}),
    (
        "rian mai job m.3 krub, ok ma tam ngan tung tae ayu 15, tonni 19 laew",
        {"age": 19, "grade": "m3", "grade_status": "left_during", "reason": "work"},
    ),
    (
        "my niece is 14 and quit in grade 8, we are in Chiang Rai",
        {"role": "parent", "age": 14, "grade": "m2", "grade_status": "left_during", "province": "57"},
    ),
    # romanised พ่อ is "por" too: ช่วยพ่อหาเงิน names no ป.5
    ("tong chuay por ha ngern", {}),
]

PLACES_IN_ENGLISH = [
    ("Chiang Rai", {"province": "57"}),
    ("Korat", {"province": "30"}),
    ("BKK", {"province": "10"}),
    ("Ayutthaya", {"province": "14"}),
    ("Krung Thep", {"province": "10"}),
    ("Surat", {"province": "84"}),
    ("Hatyai", {"district": "9011"}),
    ("we live in Bangna", {"district": "1047"}),
    # อ.เมืองX alone gives the district only (as in Thai)
    ("amphoe mueang chiang rai", {"district": "5701"}),
    ("baan yu muang lampang", {"district": "5201"}),
    ("Muang Korat", {"district": "3001"}),
]


@pytest.mark.parametrize(
    ("text", "expected"), PHONES + AGES + BIRTH_YEARS + POSTAL + ENGLISH_AND_ROMANISED + PLACES_IN_ENGLISH
)
def test_numbers_and_latin_words(text: str, expected: dict[str, object]) -> None:
    assert understand(text, today=TODAY).told == expected


# Romanised Thai read word by word: the phrases the readers know, written together as in Thai.
ROMANISED_PHRASES = [
    ("kert pee 2550 ka", {"birth_year_be": 2550}),
    (
        "pom rian tueng p.6 laew ork pro baan mai mee ngern",
        {"grade": "p6", "grade_status": "left_during", "reason": "financial"},
    ),
    ("chop m3 laew mai dai rian tor khrap, ayu 18", {"age": 18, "grade": "m3", "grade_status": "completed"}),
    ("yak rian por wor chor ka", {"path": "vocational"}),
    ("เบอร์ออฟฟิศ 02-123-4567 ต่อ 12 ถ้าโทรหาตอนกลางวัน", {"phone": "021234567"}),
]


@pytest.mark.parametrize(("text", "expected"), ROMANISED_PHRASES)
def test_romanised_phrases(text: str, expected: dict[str, object]) -> None:
    assert understand(text, today=TODAY).told == expected


BLIND_WRITERS_CLASSES = [
    # romanised birth words and a level still owed, as the new writers' files type them
    (
        "luk chai gerd pee 2550 rian tueng m.3 laew ork",
        {"role": "parent", "birth_year_be": 2550, "grade": "m3", "grade_status": "left_during"},
    ),
    (
        "lan sao jop mor plai mai dai, kang mor 6 yoo, ayu 20",
        {"role": "parent", "grade": "m6", "grade_status": "left_during", "age": 20},
    ),
]


@pytest.mark.parametrize(("text", "expected"), BLIND_WRITERS_CLASSES)
def test_romanised_birth_and_owed_level(text: str, expected: dict[str, object]) -> None:
    assert understand(text, today=TODAY).told == expected
