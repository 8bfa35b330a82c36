"""Entity extraction (DESIGN §3) from normalised text: ages, birth years, grades, phones,
role, reason, path — and places through `nlp.places`. Only what is stated; a key is absent
otherwise."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from pythainlp.util import thaiword_to_num

from nlp import mentions, reasons
from nlp.ids import find_national_ids
from nlp.places import _index as _place_index
from nlp.places import extract_places
from nlp.places import mentions as place_mentions
from nlp.thaitime import BE_OFFSET

# --- numbers -------------------------------------------------------------------------------

# A value named only to deny it, in a correction ("ไม่ใช่ 15 ปี 16 ปี", "ไม่ใช่ ม.2 ค่ะ ม.3").
_DENIED_BEFORE = re.compile(
    r"(?:ไม่ใช่|ไม่เอา|ไม่อยากเรียน|ไม่อยากได้|ไม่สนใจ|"
    r"ไม่ได้(?:จบ|ออก(?:ตอน|จาก)?|เรียน(?:ถึง)?|ค้าง)?)\s*(?:อายุ|ชั้น)?\s*$"
)

_THAI_NUMBER_WORD = r"(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่|เอ็ด)+"


def _word_number(word: str) -> int | None:
    try:
        value = thaiword_to_num(word)
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return value if isinstance(value, int) else None


_AGE_PATTERNS = [
    re.compile(
        r"(?:^|\s)(?:ผม|หนู|ฉัน|ดิฉัน|ข่อย|เรา|กู|ตัวเอง|ผมเอง|"
        r"หนูเอง)\s*(\d{1,2})(?!\d)\s*(?:ปี|ขวบ)?\s*(?=ครับ|"
        r"ค่ะ|คะ|นะ|แล้ว|จ้า|ค่า|จบ|ออก|เรียน|อยู่|ที่|ชั้น|"
        r"$)"
    ),
    re.compile(
        r"(?:ปีนี้|ตอนนี้)\s*(?:อายุ)?\s*(?:ก็|จะ|ได้)?\s*(\d{1,2})(?!\d)(?!\s*(?:โมง|"
        r"บาท|คน|เดือน|วัน|ปีแล้วที่|ปีที่|เทอม))"
    ),
    re.compile(
        r"(?:^|\s|(?<=ให้))(?:ลูก|หลาน|บุตร)[ก-๛]{0,7}?\s*(\d{1,2})(?!\d)(?!\s*(?:คน|"
        r"บาท|โมง|เดือน|วัน|กิโล|ครั้ง|เทอม|ปีแล้วที่|ปีที่))"
    ),
    re.compile(
        r"อายุ\s*(?:(?:ได้|ประมาณ|ราวๆ?|จะ|ผิด|ที่ถูก(?:คือ|"
        r"ต้อง)?|จริง(?:ๆ)?|เป็น|คือ|ตอนนี้|ปีนี้|ค่ะ|ค่า|คะ|"
        r"ครับผม|ครับ|คับ|จ้ะ|จ้า|นะ(?:คะ|ครับ)?"
        r"|ไม่ใช่\s*\d{1,2}\s*(?:ปี)?(?:\s*แต่)?)ๆ*\s*)*(?:เป็น|คือ)?\s*(\d{1,2})(?!\d)"
    ),
    re.compile(
        r"(?<![\d.])(\d{1,2})\s*(?:ปี|ขวบ|yrs?|years?)(?!ที่)(?!\s*(?:แล้ว)?\s*(?:จบ|"
        r"ก็จบ)(?!\s*(?:ชั้น|ป\.|ม\.|ปวช|ประถม|มัธยม)))"
    ),
    re.compile(r"อายุ\s*(?:ได้|ประมาณ|ผิด|เป็น|คือ)?\s*(" + _THAI_NUMBER_WORD + r")"),
    re.compile(r"อายุ(?:ของ)?(?:ลูก|หลาน)(?:ชาย|สาว)?\s*(?:ตอนนี้)?\s*(\d{1,2})(?!\d)"),
    # "หนูเองค่ะ 16": the speaker, a particle, then the age that ends the message
    re.compile(
        r"(?:ผม|หนู|ฉัน|ดิฉัน|ข่อย|เรา|ตัว)เอง\s*(?:ครับ|ค่ะ|คะ|นะ|จ้า)?\s*(\d{1,2})(?!\d)\s*(?:ปี|ขวบ)?"
        r"\s*(?:ครับ|ค่ะ|คะ|นะ|จ้า|แล้ว)?\s*$"
    ),
    re.compile(r"คน(?:โต|เล็ก|กลาง|พี่|น้อง|แรก|สุดท้อง)\s*(?:อายุ)?\s*(\d{1,2})(?!\d)(?!\s*(?:คน|บาท|เดือน|วัน))"),
    re.compile(r"(" + _THAI_NUMBER_WORD + r")\s*(?:ปี|ขวบ)"),
    # "ผิด 16 ไม่ใช่ 15", "no, 16 not 15": the age said, then the one it replaces
    re.compile(
        r"(?<![\d.])(\d{1,2})(?!\d)(?=\s*(?:ปี|ขวบ)?\s*(?:ค่ะ|ครับ|คะ|นะ|เจ้า)?\s*[,.]?\s*(?:ไม่ใช่|ไม่ได้)\s*(?:อายุ\s*)?\d{1,2}(?!\d))"
    ),
]
_DURATION_BEFORE = re.compile(
    r"(?:เรียน|ใช้เวลา|กี่|ภายใน|ทำงาน(?:มา)?|ออกมา(?:ได้)?|"
    r"ออกมา|มา|ห่าง|นาน|เกือบ|หยุดเรียน(?:ไป)?|ไป)\s*$"
)
_PARTICLES = r"(?:\s*(?:ครับผม|ครับ|ค่ะ|คะ|นะ|จ้ะ|ค่า|จ้า|เด้อ|เน้อ|แล้ว|เต็ม|พอดี))*"
# A message that is only an age: "17", "สิบเจ็ด", "ประมาณ 20", "30 กว่าแล้ว", "14 ย่าง 15", "จะ 18 แล้ว".
_BARE_NUMBER = re.compile(
    r"^\s*(?:อายุ\s*)?(?:ประมาณ|ราวๆ?|ราว|เกือบ|น่าจะ|ก็|จะ|ตอนนี้|"
    r"ปีนี้|เพิ่ง(?:จะ)?(?:ครบ)?|ครบ)?\s*(\d{1,2}|" + _THAI_NUMBER_WORD + r")\s*(?:ปี|ขวบ)?"
    r"\s*(?:กว่า|ย่าง\s*(?:\d{1,2}|" + _THAI_NUMBER_WORD + r")|ต้นๆ|ปลายๆ|นิดๆ)?\s*(?:ปี|ขวบ)?" + _PARTICLES + r"\s*$"
)


# "16 ค่ะ ปีหน้า 17": a message that opens with the age, then goes on.
_LEADING_AGE = re.compile(
    r"^\s*(?:อายุ\s*)?(\d{1,2})\s*(?:ปี|ขวบ)?\s*"
    r"(?:(?:ค่ะ|ครับ|คะ|นะ)(?=\s)|(?=\s*(?:เรียน|สมัคร|จบ|ออกตอน))"
    # "17 ไม่ใช่ 16": the age said, then the one it replaces
    r"|(?=\s*(?:ค่ะ|ครับ|คะ|นะ)?\s*[,.]?\s*(?:ไม่ใช่|ไม่ได้)\s*(?:อายุ\s*)?\d))"
)


# Before a number: an age of the past ("ตอนอายุ 13", "ตั้งแต่ 12 ขวบ"), or one required, waited for or asked
# about as a limit ("ต้องรออายุ 15", "อายุไม่ถึง 15 ปี", "ต้องอายุ 15 ขึ้นไป"): not the learner's age now (the
# learned reader of `nlp.mentions` passes these over too).
_PAST_AGE = re.compile(
    r"(?:ตอน(?:นั้น)?(?!นี้)|ตั้งแต่|เมื่อ(?!ไหร่)|สมัย)\s*"
    r"(?:(?:ลูก|หลาน|น้อง|เขา|เค้า|ผม|หนู|ฉัน)(?:ชาย|สาว)?[ก-๛]{0,6}?)?\s*(?:อายุ|อายุได้)?\s*$"
    r"|(?:รอ(?:ให้)?|ต้อง(?:รอ(?:ให้)?)?|ถึงจะ|จนกว่า(?:จะ)?|ไม่ถึง|ไม่เกิน|(?<!ไม่)เกิน|ต่ำกว่า|มากกว่า|น้อยกว่า|ขั้นต่ำ"
    r"|กำหนด|เกณฑ์)\s*(?:ให้|ที่)?\s*(?:อายุ)?\s*(?:ครบ|ถึง)?\s*$"
)


# Right after a number: months, weeks or days ("ลูกอายุได้ 6 เดือน"), a baby's age, not years.
_NOT_YEARS_AFTER = re.compile(r"\s*(?:เดือน|อาทิตย์|สัปดาห์|วัน(?!ที่))")
# Several ages in a row ("อายุ 13, 15, 17", "อายุ 13 15 17 ปี", "15 และ 17"): several children, no one's age.
_AGE_LIST_AFTER = re.compile(
    r"\s*(?:ปี|ขวบ)?\s*(?:,|/|และ|กับ|หรือ)\s*\d{1,2}(?!\d)(?!\s*(?:เดือน|คน|บาท|โมง))|\s+\d{1,2}\s+\d{1,2}(?!\d)"
)
_AGE_LIST_BEFORE = re.compile(r"(?<!\d)\d{1,2}\s*(?:ปี|ขวบ)?\s*(?:,|/|และ|กับ|หรือ)\s*$")
# A self-correction in one message: what follows it replaces what came before ("16 ค่ะ เอ้ย 17 แล้ว").
# An age denied is one too: "ไม่ใช่ 15 ค่ะ, 16", "ลูกไม่ได้อายุ 14 นะคะ 15 แล้ว" (the number after it is the age).
_SELF_CORRECTION = re.compile(
    r"เอ้ย|เอ๊ย|เอ่อ\s*ไม่ใช่|ไม่ใช่ๆ|ขอแก้(?:อายุ)?(?:เป็น)?|ที่ถูก(?:คือ|ต้อง)?"
    r"|(?:ไม่ใช่|ไม่ได้)\s*(?:อายุ)?\s*\d{1,2}(?!\d)\s*(?:ปี|ขวบ)?"
    r"(?:\s*(?:ค่ะ|ครับ|คะ|นะ|จ้า|เจ้า|แต่|แล้ว))*\s*[,.]?(?!\s*(?:ปี|ขวบ|คน|บาท|เดือน))"
)


def extract_age(text: str) -> int | None:
    corrections = list(_SELF_CORRECTION.finditer(text))
    if corrections and corrections[-1].end() < len(text):
        corrected = _extract_age(text[corrections[-1].end() :])
        if corrected is not None:
            return corrected
    return _extract_age(text)


def _extract_age(text: str) -> int | None:
    bare = _BARE_NUMBER.match(text) or _LEADING_AGE.match(text)
    if bare:
        raw = bare.group(1)
        value = int(raw) if raw.isdigit() else _word_number(raw)
        if value is not None and 5 <= value <= 99:
            return value
    for pattern in _AGE_PATTERNS:
        for match in pattern.finditer(text):
            raw = match.group(1)
            value = int(raw) if raw.isdigit() else _word_number(raw)
            if value is None or not 5 <= value <= 99:
                continue
            if _DENIED_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
                continue
            if re.match(r"\s*(?:ปี)?\s*(?:[-–]\s*\d|ถึง\s*\d|ขึ้นไป)", text[match.end(1) :]):
                continue  # "อายุ 18-35", "อายุ 15 ขึ้นไป": a range asked for, not someone's age
            if _NOT_YEARS_AFTER.match(text, match.end(1)):
                continue  # "ลูกอายุได้ 6 เดือน": a baby's months
            if _AGE_LIST_AFTER.match(text, match.end(1)) or _AGE_LIST_BEFORE.search(
                text[max(0, match.start(1) - 12) : match.start(1)]
            ):
                continue  # "อายุ 13, 15, 17": several children's ages, none of them the one learner's
            if _PAST_AGE.search(text[max(0, match.start(1) - 24) : match.start(1)]):
                continue  # "ตอนอายุ 13", "ตั้งแต่ 12 ขวบ": an age in the past, not the learner's now
            if not match.group(0).startswith(("อายุ", "ปีนี้", "ตอนนี้")):
                before = text[max(0, match.start() - 12) : match.start()]
                if _DURATION_BEFORE.search(before) or re.search(r"(?:เกิด|พ\.ศ|ค\.ศ|ปี)\s*$", before):
                    continue
            return value
    return None


_MONTH = (
    r"(?:มกรา|กุมภา|มีนา|เมษา|พฤษภา|มิถุนา|กรกฎา|สิงหา|กันยา|ตุลา|พฤศจิกา|ธันวา)(?:คม|ยน|พันธ์)?"
    r"|(?:ม\.ค|ก\.พ|มี\.ค|เม\.ย|พ\.ค|มิ\.ย|ก\.ค|ส\.ค|ก\.ย|ต\.ค|พ\.ย|ธ\.ค)\.?"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
)
_BIRTH_PATTERNS = [
    # a birth date: the year, not the day ("เกิด 12 มีนาคม 2551", "5/6/2551", "เกิด 12 พ.ค. 51", "เกิด 12/5/51")
    re.compile(r"เกิด.{0,25}?(?<!\d)((?:25|19|20)\d{2})(?!\d)"),
    re.compile(r"(?<!\d)\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*((?:25|19|20)\d{2})(?!\d)"),
    re.compile(r"เกิด\s*(?:วันที่)?\s*\d{1,2}\s*(?:" + _MONTH + r")\s*(?:พ\.?\s*ศ\.?)?\s*(\d{2})(?!\d)"),
    re.compile(r"เกิด.{0,12}?(?<!\d)\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(\d{2})(?!\d)"),
    re.compile(r"เกิด\s*(?:ปี|ใน|เมื่อ)?\s*(?:พ\.?\s*ศ\.?|ค\.?\s*ศ\.?)?\s*(\d{4}|\d{2})(?!\d)"),
    re.compile(r"(?:ปี\s*เกิด|ปีเกิด)\s*(?:พ\.?\s*ศ\.?|ค\.?\s*ศ\.?)?\s*(\d{4}|\d{2})(?!\d)"),
    re.compile(r"(?:พ\.\s*ศ\.|พ\.ศ)\s*(25\d{2})(?!\d)"),
    re.compile(r"(?:ค\.\s*ศ\.?|ค\.ศ)\s*((?:19|20)\d{2})(?!\d)"),
    re.compile(r"^\s*(?:ปี\s*)?((?:19|20)\d{2})" + _PARTICLES + r"\s*$"),
    re.compile(r"(?<![\d])ปี\s*(\d{2})(?!\d)(?!\s*(?:ปี|ขวบ))"),
    re.compile(r"(?<![\d/.\-])(25[2-6]\d)(?![\d/.\-])"),
    re.compile(r"(?:born|เกิด)\s*(?:in)?\s*((?:19|20)\d{2})(?!\d)"),
]
# From this pattern on, a year is not said with a word of birth: it may be another event's.
_UNMARKED_FROM = 6
# The patterns of a year said bare ("ปี 51", "2551"): a birth year only as a short answer, whose other words
# are particles and people ("ปี 51 ค่ะ", "ลูกชาย 2551 ครับ"), not "ขายรถ ปี 62 สภาพดี".
_BARE_YEAR_PATTERNS = (_BIRTH_PATTERNS[9], _BIRTH_PATTERNS[10])
_ANSWER_WORDS_ONLY = re.compile(
    r"(?:\s|[,.!]|ค่ะ|ครับผม|ครับ|คะ|นะ|จ้ะ|จ้า|ค่า|เด้อ|แล้ว|ปี|พ\.?\s*ศ\.?|ลูก(?:ชาย|สาว)?|หลาน(?:ชาย|สาว)?|ผม|หนู"
    r"|ดิฉัน|ฉัน|เรา|ตัวเอง|เอง|เป็น|คือ|ของ)*"
)
# Other answers beside a bare year, in a message answering several questions at once ("2552 ม2 ไม่จบครับ อ.เมืองระนอง",
# "ผมชื่ออาร์มครับ 2543", "สมัครให้หลาน จ้า ปี 51จ้า"): the year is then the birth year asked for.
_OTHER_ANSWERS = re.compile(
    r"ชื่อ|(?<![ก-๛])(?:ม|ป|มอ)\.?\s*\d|ปวช|ปวส|(?<![ก-๛])[อจ]\.|อำเภอ|จังหวัด|สามัญ|สายอาชีพ|สายช่าง|สมัครให้|ตัวเอง"
    r"|ไม่จบ|ออกตอน|(?<![ก-๛])น้อง\S|(?<!\d)0\d(?:[\s-]?\d){7,8}(?!\d)"
)
# A bare year standing as a word of its own: nothing glued before it but ปี, nothing after it but a particle.
_YEAR_ALONE_BEFORE = re.compile(r"(?:^|(?<!เลขที่)(?<!หมู่)(?<!ซอย)(?<!ห้อง)(?<!รหัส)(?<!ราคา)(?<!เบอร์)\s)(?:ปี\s*)?$")
_YEAR_ALONE_AFTER = re.compile(r"(?:ค่ะ|ครับ|คะ|จ้า|จ้ะ|ค่า|นะ|เด้อ)*(?:\s|$)")
# Right before a year, the year named only to deny it ("ไม่ได้เกิด 2550 เกิด 2552").
_DENIED_YEAR_BEFORE = re.compile(r"(?:ไม่ได้|ไม่ใช่|ไม่)\s*(?:เกิด)?\s*(?:ปี)?\s*(?:พ\.?\s*ศ\.?)?\s*$")


# Before a year: leaving, finishing or some other event, not a birth.
_EVENT_YEAR = re.compile(
    r"(?:ออก|จบ|เลิก|หยุด|ดรอป|ย้าย|ทำงาน|เมื่อ|ตั้งแต่|ตอน|ช่วง|เข้า|สอบ|สมัคร|เรียน|ศึกษา|เทอม)"
    r"(?:(?!ค่ะ|ครับ|คะ|นะ|แล้ว)[^เ]){0,16}$"
)  # a particle or แล้ว closes the clause


# Right after a year: the event that year was of ("ปี 66 ออกจากโรงเรียน"), not a birth.
# ... or the level the learner was in that year ("ปี 51 หนูอยู่ ป.4", "ปี 64 ตอน ม.2").
_EVENT_AFTER = re.compile(
    r"\s*(?:ที่|ตอน|ก็|แล้ว|นั้น|นี้|ที่แล้ว)?\s*(?:ออก|จบ|เลิก|หยุด|ดรอป|ย้าย|เข้า|ลาออก|ทิ้ง)"
    r"|\s*(?:ตอน)?\s*(?:นั้น)?\s*(?:(?:ผม|หนู|ฉัน|เรา|ลูก|หลาน|เขา|เค้า)\S{0,4}\s*)?(?:ยัง)?(?:อยู่|เรียน)?\s*(?:ชั้น)?\s*(?:ม\.|ป\.|ปวช)"
)


def extract_birth_year(text: str, today: date | None = None) -> int | None:
    for number, pattern in enumerate(_BIRTH_PATTERNS):
        for match in pattern.finditer(text):
            value = _birth_year_value(text, number, pattern, match, today)
            if value is not None:
                return value
    return None


def _birth_year_value(
    text: str, number: int, pattern: re.Pattern[str], match: re.Match[str], today: date | None
) -> int | None:
    if _DENIED_YEAR_BEFORE.search(text[max(0, match.start(1) - 16) : match.start(1)]) and not re.search(
        r"เกิด|born", text[match.start() : match.start(1)]
    ):
        return None  # "ไม่ได้เกิด 2550 เกิด 2552": the year denied
    if _DENIED_YEAR_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
        return None
    if (
        number >= _UNMARKED_FROM
        and "เกิด" not in match.group(0)
        and "born" not in match.group(0)
        and (
            _EVENT_YEAR.search(text[max(0, match.start() - 24) : match.start()])
            or _EVENT_AFTER.match(text, match.end())
        )
    ):
        return None  # "ออกจากโรงเรียนปี 2565", "จบ ม.3 ปี 63", "ปี 66 ออกจากโรงเรียน", "ปี 51 หนูอยู่ ป.4"
    if (
        pattern in _BARE_YEAR_PATTERNS
        and "เกิด" not in text
        and not _ANSWER_WORDS_ONLY.fullmatch(text[: match.start()] + " " + text[match.end() :])
        and not (
            _YEAR_ALONE_BEFORE.search(text[: match.start(1)])
            and _YEAR_ALONE_AFTER.match(text, match.end(1))
            and _OTHER_ANSWERS.search(text[: match.start()] + " " + text[match.end() :])
        )
    ):
        return None  # "ขายรถ ปี 62 สภาพดี": a year in a sentence is not a birth year without a word of birth
    value = int(match.group(1))
    if value < 100:
        value += 2500
    elif 1900 <= value <= 2100:
        value += BE_OFFSET
    latest = (today.year + BE_OFFSET - 5) if today else 2600  # a learner is at least 5
    return value if 2440 <= value <= latest else None


# --- phones --------------------------------------------------------------------------------

# A phone number as typed: digits with spaces, a dash or a dot between them (spaced or not: "08 1 2 3 4 5 6 7 8",
# "0 8 9 - 4 4 1 - 0 0 2 7"), after 0 or the country code ("+66 81 …", "66-81-…", "(+66) 81-…", "+66 (0)81 …").
_PHONE_SEP = r"(?:\s?[\-.]\s?|\s{1,2})?"
_PHONE_RE = re.compile(
    r"(?<![\d])(?:\(?\s*\+?\s*66\s*\)?[\s\-.]*(?:\(\s*0\s*\)[\s\-.]*)?|0"
    + _PHONE_SEP
    + r")(?:\d"
    + _PHONE_SEP
    + r"){7,9}\d(?![\d])"
)
_SPOKEN_DIGITS = {
    "ศูนย์": "0",
    "สูน": "0",
    "หนึ่ง": "1",
    "เอ็ด": "1",
    "สอง": "2",
    "สาม": "3",
    "สี่": "4",
    "ห้า": "5",
    "หก": "6",
    "เจ็ด": "7",
    "แปด": "8",
    "เก้า": "9",
    "โท": "2",
}
_SPOKEN_DIGIT = re.compile("|".join(_SPOKEN_DIGITS))
# A run of digits said as words, alone or mixed with digits ("ศูนย์แปดหนึ่ง สองสามสี่ …", "092 ห้าห้าเจ็ด 8810"): three
# units or more, two of them words. ศูนย์ that is the centre ("เบอร์ศูนย์ 053-…") starts no run of digits.
_SPOKEN_RUN = re.compile(r"(?:(?:" + "|".join(_SPOKEN_DIGITS) + r"|\d)[\s\-.]{0,2}){3,}")
# A number said to be somebody else's: the centre's or one found somewhere ("เบอร์ศูนย์ 053-…", "เบอร์ที่ได้มา
# 054-… โทรไม่ติด"), not the learner's.
_OTHERS_NUMBER_BEFORE = re.compile(
    r"เบอร์\s*(?:โทร)?\s*(?:ของ)?\s*(?:ศูนย์(?!\s*(?:ศูนย์|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|โท|สูน))|กศน|สกร|ที่ได้มา)"
    r"\S{0,12}\s*$"
)
_OTHERS_NUMBER_AFTER = re.compile(r"\s*(?:ใช่ไหม\S{0,4}\s*)?(?:โทรไม่ติด|ไม่มีคนรับ|ติดต่อไม่ได้)")


def _spoken_phone(text: str) -> str:
    """ "ศูนย์แปดหนึ่ง สองสามสี่ ห้าหกเจ็ดแปด" → "081 234 5678": digit words in a run of digits, as digits."""

    def digits(run: re.Match[str]) -> str:
        said = run.group()
        if len(_SPOKEN_DIGIT.findall(said)) < 2:
            return said
        if re.match(r"(?:ศูนย์|สูน)\s+\d", said) and _OTHERS_NUMBER_BEFORE.search(
            text[max(0, run.start() - 16) : run.end()]
        ):
            return said
        return _SPOKEN_DIGIT.sub(lambda d: _SPOKEN_DIGITS[d.group()], said)

    return _SPOKEN_RUN.sub(digits, text)


def _phone_in(text: str, ids: set[str]) -> str | None:
    for match in _PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if digits in ids:
            continue
        if _OTHERS_NUMBER_BEFORE.search(text[max(0, match.start() - 24) : match.start()]) or _OTHERS_NUMBER_AFTER.match(
            text, match.end()
        ):
            continue  # "เบอร์ศูนย์ 053-123-456 ใช่ไหมคะ โทรไม่ติด": the centre's number
        if digits.startswith("66") and not match.group().lstrip().startswith("0"):
            digits = "0" + digits[2:].removeprefix("0")
        if len(digits) == 10 and digits[0] == "0" and digits[1] in "689":
            return digits
        if len(digits) == 9 and digits[0] == "0" and digits[1] in "234567":
            return digits
    return None


def extract_phone(text: str) -> str | None:
    text = re.sub(r"(?<![a-z])o(?=\d{2})", "0", text)  # "O81-234-5678": the letter O for zero
    ids = set(find_national_ids(text))
    found = _phone_in(text, ids)
    if found is None and _SPOKEN_DIGIT.search(text):
        found = _phone_in(_spoken_phone(text), ids)
    return found


# --- English and romanised words -----------------------------------------------------------------

# What `nlp.normalize` leaves in Latin letters of an English or romanised-Thai message, as the Thai words
# the readers below know: levels ("Mathayom 2", "por hok", "9th grade", "high school"), leaving and
# finishing ("mai jop", "lerk rian", "ork jak rong rian", "never went to school"), ages ("ayu sip jet",
# "now 17", "at age 13"), people (laan, nong chai) and home (baan). Applied to messages with Latin letters only.
_ROMAN_NUMBER = {
    "nueng": "หนึ่ง", "neung": "หนึ่ง", "nung": "หนึ่ง", "nuang": "หนึ่ง", "song": "สอง", "sorng": "สอง",
    "sam": "สาม", "saam": "สาม", "sarm": "สาม", "si": "สี่", "see": "สี่", "sii": "สี่", "ha": "ห้า", "haa": "ห้า",
    "hok": "หก", "jet": "เจ็ด", "chet": "เจ็ด", "jed": "เจ็ด", "paet": "แปด", "pad": "แปด", "paed": "แปด",
    "kao": "เก้า", "gao": "เก้า", "sip": "สิบ", "sib": "สิบ", "yi": "ยี่", "yee": "ยี่", "et": "เอ็ด", "ed": "เอ็ด",
}  # fmt: skip
_ROMAN_NUMBER_RUN = r"(?:(?:" + "|".join(sorted(_ROMAN_NUMBER, key=len, reverse=True)) + r")(?![a-z])\s*){1,4}"
_ROMAN_LEVEL_DIGIT = r"(?:nueng|neung|nung|song|sorng|saam|sam|sarm|sii|see|si|haa|ha|hok)(?![a-z])"
_ENGLISH_GRADE = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
_GRADE_NUMBER = r"(1[0-2]|[1-9])(?:st|nd|rd|th)?|(" + "|".join(sorted(_ENGLISH_GRADE, key=len, reverse=True)) + r")"


def _us_grade(number: str | None, word: str | None) -> str:
    """A US grade as the Thai level: grades 1–6 are ป.1–ป.6, grades 7–12 are ม.1–ม.6."""
    n = int(number) if number else _ENGLISH_GRADE[word or ""]
    return f" ป.{n} " if n <= 6 else f" ม.{n - 6} "


def _roman_level(prefix: str, word: str) -> str:
    return f"{prefix}.{_DIGIT_WORDS[_ROMAN_NUMBER[word]]}"


_LATIN_WORDS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"(?<![a-z])" + pattern + r"(?![a-z])"), replacement)
    for pattern, replacement in [
        # ages: อายุ, a romanised number after it, "now 17", an age of the past
        (r"(?:ayu|aryu|aayu|arayu|ar\s*yu|a-yu|aa-yu|ah\s*yu)", "อายุ"),
        (
            r"(?<=อายุ)\s*(" + _ROMAN_NUMBER_RUN + r")",
            lambda m: " " + "".join(_ROMAN_NUMBER[w] for w in m.group(1).split()) + " ",
        ),
        (r"(?:at\s*(?:the\s*)?(?:age|อายุ)(?:\s*of)?|when\s*(?:he|she|i|they|we)\s*(?:was|were))(?=\s*\d)", "ตอนอายุ"),
        (r"(?:just\s*)?(?:turned|turning|now)(?=\s*\d)", "ตอนนี้"),
        (r"(?<=\d)\s*(?:y/o|y\.o\.?|yo|-?years?-old)", " ปี"),
        (r"(?:ton|tawn|torn|taun)\s*(?:ni|nee|nii)|tonni|tonnee|tawnnee|ต่อ\s*(?:ni|nee|nii)", "ตอนนี้"),
        (r"(?:tung|tang|tung\s*tair|tang\s*tair)\s*tae|tungtae|tangtae", "ตั้งแต่"),
        # levels
        (
            r"(?:mathayom|matayom|mathayum|matthayom|mattayom|mathayomsuksa|matthayomsuksa)(?:\s*suksa)?\s*\.?\s*(?=[1-6](?!\d))",
            "ม.",
        ),
        (r"(?:prathom|pratom|prathum|prathomsuksa|pratomsuksa)(?:\s*suksa)?\s*\.?\s*(?=[1-6](?!\d))", "ป."),
        (r"(?:mathayom|matayom|mattayom|matthayom|mor|mo|ม\.)\s*(?:ton|torn)", "ม.ต้น"),
        (r"(?:mathayom|matayom|mattayom|matthayom|mor|mo|ม\.)\s*(?:plai|plaai|plaay)", "ม.ปลาย"),
        (
            r"(?:mathayom|matayom|mattayom|matthayom|mor|mo|ม\.)\s*\.?\s*(" + _ROMAN_LEVEL_DIGIT + ")",
            lambda m: _roman_level("ม", m.group(1)),
        ),
        (r"(?:prathom|pratom|ป\.)\s*\.?\s*(" + _ROMAN_LEVEL_DIGIT + ")", lambda m: _roman_level("ป", m.group(1))),
        # romanised พ่อ is "por" too: "chuay por ha ngern" (ช่วยพ่อหาเงิน) is no ป.5
        (
            r"(?:por|po)\s*\.?\s*(nueng|neung|nung|song|sorng|saam|sam|sarm|sii|si|hok|(?:haa|ha)(?=\s*(?:$|แล้ว|laew|ค่ะ|,|\.)))",
            lambda m: _roman_level("ป", m.group(1)),
        ),
        (r"(?:primary|prathom|pratom)\s*(?:school\s*)?(?=[1-6](?!\d))", "ป."),
        (r"p\s?(?=[1-6](?![\d]))", "ป."),
        (r"(?:por\s*\.?\s*wor\s*\.?\s*chor|porworchor|p\.\s*v\.\s*c\.?|pvc)", "ปวช"),
        (r"(?:por\s*\.?\s*wor\s*\.?\s*sor|porworsor|pvs)", "ปวส"),
        (r"(?:" + _GRADE_NUMBER + r")\s*grade", lambda m: _us_grade(m.group(1), m.group(2))),
        (r"grade\s*(?:" + _GRADE_NUMBER + r")", lambda m: _us_grade(m.group(1), m.group(2))),
        (
            r"(?:(?<=จบ)|(?<=ออกตอน)|(?<=ถึง))\s*(?:from\s*|in\s*|at\s*)?(?:the\s*)?(?:junior\s*high|lower\s*secondary|middle)(?:\s*school)?",
            " ม.ต้น",
        ),
        (
            r"(?:(?<=จบ)|(?<=ออกตอน)|(?<=ถึง))\s*(?:from\s*|in\s*|at\s*)?(?:the\s*)?(?:senior\s*high|high|upper\s*secondary)(?:\s*school)?",
            " ม.ปลาย",
        ),
        (r"(?:primary|elementary)(?:\s*school)?", "ประถม"),
        # leaving and finishing
        (r"(?:never|didn'?t|did\s*not|not|mai)\s*(?:finish|complete|graduate|จบ|jop|job)(?:ed|d)?", "ไม่จบ"),
        # never gone back to school after leaving it ("missed most of M.2, never went back")
        (r"(?:never|didn'?t|did\s*not)\s*(?:went|go|gone)\s*back(?:\s*to\s*(?:school|class))?", "ไม่ได้กลับไปเรียนอีก"),
        (
            r"(?:never|have\s*not|haven'?t)\s*(?:ever\s*)?(?:went|gone|been|go|attended|studied)(?:\s*to)?(?:\s*(?:school|study))?"
            r"|mai\s*(?:dai\s*|ได้\s*)?(?:koey|koei|kheoy|kheuy|kery|kuey|keuy|keoy|kuay|khoey)\s*(?:rian|เรียน)",
            "ไม่เคยเรียน",
        ),
        (r"mai\s*(?:dai|ได้)\s*(?:rian|เรียน)\s*(?:tor|tau|ต่อ)", "ไม่ได้เรียนต่อ"),
        (r"(?:lerk|leak|lek|loek|lert)\s*(?:rian|เรียน)", "เลิกเรียน"),
        (r"(?:yut|yud|yood|hyud|yhud|yoot)\s*(?:rian|เรียน)", "หยุดเรียน"),
        (r"(?:drop\s*-?\s*out|dropout)", "ออกกลางคัน"),
        (r"(?:jop|jób|job(?=\s*(?:laew|leaw|แล้ว))|(?:chop|chob)(?=\s*(?:ม\.|ป\.|ปวช)))", "จบ"),
        (r"(?:laew|leaw|laeo|lae?ow)", "แล้ว"),
        (r"mai(?=\s*(?:dai|ได้|mee|มี|yak|อยาก|chai|ใช่|pen|เป็น|ao|เอา|ru|รู้|kao|khao)(?![a-z]))", "ไม่"),
        (r"(?:phro|phror|pror|proh|pro(?=\s+[a-zก-๛]))", "เพราะ"),
        # births: "kert pee 2550"
        (r"(?:kert|kerd|koed|koet|goed|goet|gert|gerd|kurd)", "เกิด"),
        # a level still owed ("kang mor 6": ค้าง ม.6), a move ("yai baan": ย้ายบ้าน)
        (r"(?:kang|khang|kaang|khaang)(?=\s*(?:ม\.|ป\.|ปวช|mor|por))", "ค้าง"),
        (r"(?:yai|yaai|yaay)(?=\s*(?:baan|บ้าน|pai|ไป|ma|มา|rong|โรง)(?![a-z]))", "ย้าย"),
        (r"(?:pee|pi)(?=\s*\d)", "ปี"),
        (r"(?<=ออก)\s*(?:jak|jaak|chak)", "จาก"),
        # romanised ออก: before its time or level ("ok ton m.2", already "ok ตอน"), or after ต้อง/เลย ("loei tong ok")
        (r"(?<![a-z])(?:ork|oak|ok)(?=\s*(?:ตอน|จาก|tawn|ton|tone|taun|jak|chak|ม\.|ป\.|ปวช)(?![a-z]))", "ออก"),
        (
            r"(?<![a-z])(?:(?P<so>loei|leoy|leay|เลย)\s*)?(?:(?P<must>tong|ต้อง)\s*)?(?<=[a-zก-๛]\s)(?:ork|oak|ok)(?![a-z])",
            lambda m: ("เลย" if m.group("so") else "") + ("ต้อง" if m.group("must") else "") + "ออก"
            if m.group("so") or m.group("must") else m.group(),
        ),
        (r"(?:theung|teung|tueng|thueng|tung)(?=\s*(?:ม\.|ป\.|ปวช))", "ถึง"),
        (r"(?:tawn|taun|tohn)(?=\s*(?:ม\.|ป\.|ปวช|อายุ))", "ตอน"),
        # people and home
        (r"(?:laan|larn|lahn)(?:\s*(?:chai|sao|sau))?", "หลาน"),
        (r"(?:luuk|look)\s*(?:chai|sao|sau)", "ลูก"),
        (r"nong\s*chai", "น้องชาย"),
        (r"nong\s*sao", "น้องสาว"),
        (r"(?:baan|barn|bahn)", "บ้าน"),
    ]
]


_SPACED_PHRASE = re.compile(
    r"(?<![ก-๛])(อยาก|ไม่ได้|ต้อง)\s(?=เรียน(?![ก-๛])|ถึง|ต่อ|ออก|จบ(?![ก-๛]))|(?<!โรง)(เรียน)\s(?=ถึง|ต่อ|จบ(?![ก-๛]))"
    r"|(?<![ก-๛])(ไม่)\s(?=ได้|เคย|มี|จบ(?![ก-๛]))|(ออก)\s(?=จาก|ตอน)|(?<![ก-๛])(ย้าย)\s(?=บ้าน|ไป|มา|ตาม)"
)


@lru_cache(maxsize=256)
def latin_words(text: str) -> str:
    """Normalised `text` with the English and romanised-Thai words of levels, leaving, ages, people and home
    that `nlp.normalize` leaves in Latin letters read as Thai ("my son dropped out in Mathayom 2": ม.2;
    "jop por hok": จบ ป.6; "ayu sip jet": อายุ สิบเจ็ด; "quit in 9th grade": ม.3)."""
    # "ออก โรงเรียน" (romanised "ork rong rian", each word read by the normaliser): ออกจากโรงเรียน.
    text = re.sub(r"(?<=ออก)\s+(?=โรงเรียน(?:$|\s|แล้ว|ค่ะ|ครับ))", "จาก", text)
    # Romanised Thai read word by word leaves spaces Thai does not write: "อยาก เรียน ต่อ", "เรียน ถึง ป.6".
    text = _SPACED_PHRASE.sub(lambda m: next(word for word in m.groups() if word), text)
    if not re.search(r"[a-z]{2}", text):
        return text
    for pattern, replacement in _LATIN_WORDS:
        text = pattern.sub(replacement, text)
    for _ in range(2):  # "ไม่ ได้ เรียน": ไม่ได้ is joined first, then ไม่ได้เรียน
        text = _SPACED_PHRASE.sub(lambda m: next(word for word in m.groups() if word), text)
    return re.sub(r"\s+", " ", text).strip()


# --- grades ------------------------------------------------------------------------------------

# A bare ม/ป (no dot) starts a level only on a word start ("เทอม 1" is no level), or glued to the
# words people type right before a level: "จบม3แล้ว", "ออกตอนม2", "ออกจากม4", "หลุดม2".
_GLUED = (
    r"(?:(?<![ก-๛])|"
    + "|".join(
        f"(?<={word})"
        for word in (
            "จบ",
            "ตอน",
            "จาก",
            "ถึง",
            "หลุด",
            "เรียน",
            "ออก",
            "ขึ้น",
            "ชั้น",
            "แค่",
            "อยู่",
            "เป็น",
            "เพิ่ง",
            "ซ้ำ",
            "ค้าง",
            "ได้",
        )
    )
    + ")"
)
_DIGIT_WORDS = {"หนึ่ง": "1", "สอง": "2", "สาม": "3", "สี่": "4", "ห้า": "5", "หก": "6"}
_GRADE_RE = re.compile(
    r"(?P<pvc>ปวช\.?\s*(?:ปี\s*)?(?P<pvcn>[1-3])?)"
    r"|(?P<upper>ม\.?\s*ปลาย|มัธยมปลาย|มัธยมศึกษาตอนปลาย)"
    r"|(?P<lower>ม\.?\s*ต้น|มัธยมต้น|มัธยมศึกษาตอนต้น)"
    r"|(?:(?:ชั้น)?มัธยม(?:ศึกษา)?(?:ปีที่|ปี)?|ม\.|" + _GLUED + r"ม(?=\s*[1-6](?!\d)))"
    r"\s*(?P<m>[1-6]|หนึ่ง|สอง|สาม|สี่|ห้า|หก)(?!\d)"
    r"|(?:(?:ชั้น)?ประถม(?:ศึกษา)?(?:ปีที่|ปี)?|ป\.|" + _GLUED + r"ป(?=\s*[1-6](?!\d)))"
    r"\s*(?P<p>[1-6]|หนึ่ง|สอง|สาม|สี่|ห้า|หก)(?!\d)"
    r"|(?P<primary>ต่ำกว่า\s*(?:ชั้น)?\s*(?:ป\.?|ประถม(?:ศึกษาปีที่)?)\s*6|ประถม|ชั้นประถม)"
    r"|(?P<none>ไม่ได้เรียน(?:หนังสือ)?\s*เลย(?!\s*(?:มา|\d|สัก|กี่))|^\s*(?:\S{0,6}?)ไม่ได้เรียน(?:หนังสือ)?"
    r"(?=\s*(?:ค่ะ|ครับ|คะ|จ้า|ค่า|นะ|จ้ะ)?\s*$)|ไม่เคย(?:ได้)?เรียน|ไม่เคย(?:ได้)?เข้าโรงเรียน|ไม่ได้เข้าโรงเรียน(?!\s*มา))"
)
# A level named as a wish, not as the level reached.
_WISH_BEFORE = re.compile(
    r"(?:อยาก|ต้องการ|ระหว่าง(?!เทอม|เรียน|ปี)|ลังเล|(?:เรียน)?ให้จบ|ให้\S{0,6}ได้วุฒิ|สอบเข้า|สมัคร(?!ให้)|เรียนต่อ"
    r"|(?<!ติด)ต่อ|เทียบ|ถึงจะ|(?<!ไม่)จะ|กี่\S{0,6}จบ|ขอเรียน"
    r"|ทำ(?:วุฒิ|ใบจบ|จบ\s*(?:อะไร|ระดับไหน|ชั้นไหน))|"
    r"(?:ขาย|ซื้อ|ปลอม)(?:วุฒิ|ใบจบ)|สอบแทน|(?:ต้องมี|ต้องใช้|ไม่มี|ขั้นต่ำ)วุฒิ|ต้องจบ(?!แค่)|(?:(?<![ก-๛])|"
    r"(?<=รับ))สอน(?:พิ"
    r"เศษ)?)[^\s]{0,14}\s*(?:ชั้น|"
    r"ระดับ)?\s*$"
)
_COMPLETED = re.compile(
    r"(?<!ให้)(?<!ใบ)(?<!ทัน)(?<!ต้อง)(?<!จน)(?<!เกือบ)(?<!กี่เทอม)(?<!กี่ปี)(?<!ไม่)(?<!ยังไม่)(?<!ไม่ได้)(?<!จะ)(?<!กี่ป"
    r"ี)(?<!ถึงจะ)(?<!ถ้า)(?<!อยาก)(?<!อยาก\s)(?<!อยากเรียน)จบ(?!หรือ)(?!ยัง)(?!ไหม)(?!เมื่อ)(?!\s*(?:เร็ว|"
    r"ไว|ง่าย|ได้))|(?<!อยาก)(?<!ให้)(?<!ให้ลูก)(?<!ให้หลาน)(?<!ขอ)(?<!ขอแค่)(?<!อยากแค่)(?<!จะ)(?<!ไม่)ได้วุฒิ|"
    r"สำเร็จการศึกษา|(?<!ไม่)ผ่าน\s*(?=ป\.|ม\.)|"
    # holding the certificate of a level ("มีวุฒิ ม.3"), not lacking or wishing for it
    r"(?<!ไม่)(?<!อยาก)(?<!ต้อง)(?<!จะ)(?<!ให้)มีวุฒิ(?=\s*(?:ม\.|ป\.|ปวช))|(?<=ไม่ได้เรียนต่อ)\s*(?:หลัง|จาก)\s*(?=ป\.|ม\.)"
)
# Leaving told in story words: not going any more since a level, quitting, being retired, Isan ถิ่ม (ทิ้ง).
_MORE_LEFT = (
    r"(?:ไม่|หม้าย)ได้ไป(?:เรียน|โรงเรียน)?\s*(?:เลย|แล้ว|อีก)?\s*(?:ตั้งแต่|อีก)"
    r"|ไม่(?:กล้า)?ไป(?:เรียน|โรงเรียน)?อีก|ไม่ได้เรียน(?:หนังสือ)?\s*(?:แล้ว|มา)?\s*ตั้งแต่|เซา(?:เรียน|ไปโรงเรียน)"
    r"|เลิก(?:ไป)?(?:ตอน|ตั้งแต่)|เลิกไปเรียน|(?:ให้)?หยุด(?:ไป)?(?:ตอน|ตั้งแต่)|พักไว้|รีไทร์|retire"
    r"|เกือบจบ|อีก\S{0,10}(?:ก็|จะ)จบ|หมดสิทธิ์สอบ|ถิ่ม|ทิ้งโรงเรียน|ออกจาก(?=\s*(?:ม\.|ป\.|ปวช|ชั้น|มัธยม|"
    r"ประถม))|ค้างอยู่|(?<![ก-๛])ok\s*jak"
    # dropped out (หลุด), could not go any more since a level, dropped from a course (ซิ่ว)
    r"|(?<!ไม่)หลุด(?:ไป|จาก)?(?=\s*(?:ตอน|ตั้งแต่|ม\.|ป\.|ปวช|ชั้น))"
    r"|ไป(?:เรียน|โรงเรียน)ไม่ได้(?:อีก|เลย)?\s*ตั้งแต่|ซิ่ว(?:จาก|ออก)"
    # not going any more, told as a refusal, a fear, or a time ("ไม่ยอมไปโรงเรียนตั้งแต่ ม.1",
    # "ไม่ไปเรียนมาเป็นเทอมแล้ว", "อายเพื่อนเลยไม่ไป"), or a school that would not take them
    r"|ไม่(?:ยอม|กล้า)?ไป(?:เรียน|โรงเรียน)?\s*(?:เลย|อีก(?:เลย)?)?\s*(?:มา)?\s*(?:ตั้งแต่|เป็น(?:เทอม|ปี|เดือน))"
    r"|(?:เลย|ก็)ไม่(?:ยอม)?ไป(?:เรียน|โรงเรียน)?(?=$|\s|อีก|แล้ว|ค่ะ|ครับ)"
    # not coming to school any more, as a teacher or a driver sees it ("ไม่มาโรงเรียนตั้งแต่ ม.2", "ไม่มาเรียนมาเกือบปีแล้ว")
    r"|(?:ไม่|บ่)มา(?:เรียน|โรงเรียน)\s*(?:เลย|อีก)?\s*(?:ตั้งแต่|แต่|มา\S{0,10}(?:ปี|เทอม|เดือน))"
    # never gone back ("ไม่ได้กลับไปเรียนอีกเลย", "พอเปิดเรียนก็ไม่กลับไปแล้ว", "ไม่กล้ากลับไปโรงเรียน")
    r"|ไม่(?:ได้|ยอม|กล้า)?กลับ(?:ไป)?(?:เรียน|โรงเรียน)?\s*(?:อีก|แล้ว)"
    r"|ไม่(?:ได้|ยอม|กล้า)?กลับไป(?:เรียน|โรงเรียน)"
)
_LEFT = re.compile(
    r"ออกตอน|ออกตั้งแต่|เลิกตั้งแต่|ไม่ทันจบ|ออกกลางคัน|(?<!อยาก)(?<!จะ)ลาออก(?!จากงาน|"
    r"จากบริษัท|จากที่ทำงาน)|ไม่จบ|เรียนไม่จบ|ยังไม่จบ|(?<!ไป)ค้าง(?!คาว|บ้าน|ที่|แรม|ห้อง|กับ|"
    r"คืน|ค่า|จ่าย|ชำระ)|ดรอป|drop|หยุดเรียน|เลิกเรียน|ออกจากโรงเรียน"
    r"|แล้วออก|ก็ออก|ออก\s*(?=ม\.|ป\.|ปวช)|ต้องออก(?!มา|ไป)|เลยออก|"
    r"ออกระหว่าง|ทิ้ง(?:ไว้|การเรียน)|หยุดไป|เทอมเดียว|ออกมา|ออกไป|"
    r"ออกแล้ว|ออก(?:หมด|ทั้งคู่|ทั้งสองคน)|(?:เลิก|ออก)กลางทาง|พักการเรียน|ครึ่งเทอม|ได้เทอมเดียว|โดนไล่ออก|ถูกไล่ออก|"
    r"เรียนถึง|เรียนได้แค่|เรียนแค่|ได้แค่|ถึงแค่|ออกช่วง|ไม่ได้ไปเรียน|"
    r"ไม่ได้เรียนต่อ|ออกกลางเทอม|ไม่ได้ไป(?:โรงเรียน)?อีกเลย"
    r"|(?:โรงเรียน|ครู)?ให้ออก|ไม่ได้เข้าเรียน(?:อีก|ต่อ)|ก็ไม่ได้ไปแล้ว|ไม่ถึงเทอม"
    r"|ไม่(?:ยอม|กล้า)ไป(?:เรียน|โรงเรียน)(?!\S{0,4}ทุก)|ไม่รับ(?:ตั้งแต่|ตอน)"
    # not been to school for a while ("ไม่ได้เข้าโรงเรียนมาสองปี"), stopped coming ("หยุดมาเรียน"), romanised
    r"|ไม่ได้(?:เข้า|ไป)(?:โรงเรียน|เรียน)\s*มา\S{0,12}(?:ปี|เทอม|เดือน|อาทิตย์|สัปดาห์)|หยุดมา(?:เรียน|โรงเรียน)"
    r"|(?:(?<![a-z])(?:ork|oak|ok)|ออก)\s*(?:tawn|ton|tone|taun|jak|chak)(?![a-z])|โรงเรียนเดิม\S{0,4}ไม่(?:รับ|"
    r"ให้เรียน)|ออก\s*(?=เพราะ|เนื่องจาก)|เรียนได้ถึง"
    r"|(?<!อยาก)(?<!อยากเรียน)(?<!ให้)(?<!ให้เรียน)จนถึง(?=\s*(?:ม\.|ป\.|ปวช|ชั้น))"
    # the level of the time a story of leaving is told of ("… เลยต้องหยุดเรียน ตอนนั้นอยู่ ม.2"), of the event that
    # ended the schooling ("ท้องตอน ม.4", "ป่วยเป็นมะเร็งตอนอยู่ ม.2", "แม่เสียตอนผมเรียน ม.1"), or repeated
    # ("ซ้ำชั้น ม.1 สองรอบ")
    r"|ตอนนั้น\s*(?:ก็)?\s*(?:เรียน|อยู่)?\s*(?:อยู่)?\s*(?:ชั้น)?\s*(?=(?:ม|ป)\.\s*\d(?!\s*(?:แล้ว)?\s*จบ)|ปวช)"
    r"|(?:ท้อง|ตั้งครรภ์|ป่วย|(?<!ถึง)(?<!กลับ)เสีย)\S{0,16}?\s*ตอน(?:หนู|ผม|เขา|เค้า|ลูก)?\s*(?:ยัง)?(?:อยู่|เรียน)?\s*(?:ชั้น)?\s*"
    r"(?=(?:(?:ม|ป)\.\s*\d|ปวช)(?![^!?\n]{0,40}?(?:จนจบ|ก็จบ|ได้จบ|เรียนจบ|ก็ได้วุฒิ)))"
    r"|ซ้ำชั้น\s*(?=(?:ม|ป)\.)"
    r"|" + _MORE_LEFT
)
_FINISH_QUESTION = re.compile(
    r"ได้วุฒิ\s*(?:เมื่อไหร่|ไหม|อย่างไร|อะไร|ตอนไหน)|"
    r"ได้วุฒิ\S{0,16}ไหม|จบ\s*(?:กศน|สกร)|จบแล้ว(?:ได้|"
    r"เอา|ต่อ|จะ)|กี่\s*(?:ปี|เทอม|เดือน)\s*(?:ถึง|จึง)?\s*(?:จะ)?\s*จบ|ใบจบ|"
    r"จบ(?:ภายใน|กี่|เมื่อ|ได้ไหม|ไหม)|จะจบ|ถึงจะจบ|จบ\s*\S{0,8}\s*(?:ต้อง)?(?:ใช้เวลา)\s*กี่"
)


def _grade_value(match: re.Match[str]) -> str:
    if match.group("pvc") is not None:
        n = match.group("pvcn")
        return f"pvc{n}" if n else "vocational"
    if match.group("upper"):
        return "upper_secondary"
    if match.group("lower"):
        return "lower_secondary"
    if match.group("m"):
        return "m" + _DIGIT_WORDS.get(match.group("m"), match.group("m"))
    if match.group("p"):
        return "p" + _DIGIT_WORDS.get(match.group("p"), match.group("p"))
    if match.group("primary"):
        return "primary"
    return "none"


# Words that tie a level to the leaving or finishing of it, before it ("ออกตอน ม.2", "ขึ้น ม.1 ได้เทอมเดียว")
# or right after it ("ม.2 ก็เลิกไปเรียน", "ป.6 แล้วไม่ได้เรียนต่อ").
_LEVEL_MARK_BEFORE = re.compile(
    r"(?:จบ|ออก|ค้าง|ถึง|เลิก|หยุด|ทิ้ง|ขึ้น|แค่|ดรอป|ลาออก|ไม่ได้ไป\S{0,10})(?:อยู่|ไว้|ไป|มา)?\s*"
    r"(?:ตอน|ตั้งแต่|ที่|จาก|ชั้น|ช่วง|เรียน)?\s*(?:อยู่)?\s*$"
)
_LEVEL_MARK_AFTER = re.compile(
    r"\s*(?:ค่ะ|ครับ|นะ)?\s*(?:\S{0,12}\s*)?(?:ได้เทอม|ก็(?:ต้อง)?(?:ออก|เลิก|หยุด)|แล้ว(?:ก็)?(?:ออก|ไม่|เลิก|หยุด)|"
    r"ไม่จบ|เรียนไม่จบ|เทอม\s*\d?\s*ก็|(?:ก็)?เลย(?:ต้อง)?(?:ออก|เลิก|หยุด)|ต้องออก)"
)


# After a level, a question about it ("ใช้เวลากี่ปี", "สายสามัญเรียนกี่ปี"); a path said after the level
# reached without a question ("ออกตอน ม.2 สายสามัญ") leaves the level standing.
_LEVEL_ASKED_AFTER = re.compile(
    r"\s*(?:ต้อง)?(?:ใช้เวลา|เรียน)?\s*กี่(?:ปี|เทอม|เดือน)"
    r"|\s*สาย(?:สามัญ|อาชีพ|ช่าง)[^\n?.,]{0,24}?(?:กี่(?:ปี|เทอม|เดือน|บาท)|ไหม|มั้ย|ป่าว|ยังไง|อย่างไร|เท่าไหร่|\?)"
)


# The level after each that ends a stage, as written in "ไม่ได้ต่อ ม.1".
_NEXT_LEVEL_NOT_GONE_ON = {"p6": "ม1", "m3": "ม4", "primary": "ม1", "lower_secondary": "ม4"}


def _later_level_left(text: str, candidates: list[tuple[str, int, bool]]) -> str | None:
    """After a level finished, a next one gone on to and left is the level reached: "จบ ม.3 แล้วไปเรียน
    ปวช. ได้เทอมเดียวก็ดรอป" is vocational, left."""
    if len(candidates) < 2 or not re.search(r"จบ\s*(?:ชั้น)?\s*$", text[max(0, candidates[0][1] - 6) : candidates[0][1]]):
        return None
    for value, where, _marked in candidates[1:]:
        if value == candidates[0][0] or not re.search(
            r"(?:ไป|ต่อ|ขึ้น)\s*(?:เรียน)?\s*(?:ต่อ)?\s*$", text[max(0, where - 12) : where]
        ):
            continue
        after = text[where : where + 40]
        before = text[max(0, where - 16) : where]
        if _LEFT.search(after) and (not _WISH_BEFORE.search(before) or _WENT_ON.search(before)):
            return value
    return None


_LEVEL_RANK = {f"p{n}": n for n in range(1, 7)} | {f"m{n}": 6 + n for n in range(1, 7)}
_LEVEL_RANK |= {"pvc1": 10, "pvc2": 11, "pvc3": 12, "primary": 6, "lower_secondary": 9}
_LEVEL_RANK |= {"upper_secondary": 12, "vocational": 12}


def _lower_level_left(text: str, candidates: list[tuple[str, int, bool]]) -> str | None:
    """A level finished first, then a level no higher told as left: the finished one is someone else's
    ("พี่สาวเขาจบ ม.6 แล้ว แต่น้องคนนี้ออกตอน ม.2", "เพื่อนหนูจบ ม.6 ไปหมดแล้ว หนูยังค้างอยู่ ม.4")."""
    finished = text[max(0, candidates[0][1] - 8) : candidates[0][1]] if candidates else ""
    if len(candidates) < 2 or not re.search(r"จบ\s*(?:แค่)?\s*(?:ชั้น)?\s*$", finished):
        return None
    first = _LEVEL_RANK.get(candidates[0][0])
    for value, where, _marked in candidates[1:]:
        rank = _LEVEL_RANK.get(value)
        if first is None or rank is None or rank > first:
            continue
        if _LEFT_RIGHT_BEFORE.search(text[max(0, where - 16) : where]):
            return value
    return None


# "ค้าง" that starts a place name after a word of where ("ต.ค้างพลู", "บ้านอยู่ค้างพลู"): no leaving. It is
# read as "ค่าง" (same length), a word no pattern here knows.
_PLACE_KHANG = re.compile(
    r"((?:อยู่|บ้าน|ตำบล|ต\.|แถว|หมู่บ้าน|อำเภอ|อ\.)\s*)ค้าง(?=[ก-ฮเแโใไ])(?!อยู่|ไว้|ชั้น|ตอน|เทอม|วิชา|มา|ไป|ที่)"
)


# Before a level, "not gone on since": "ไม่ได้เรียนต่อตั้งแต่ ม.2" is the level left, not a level wished for.
# After a level finished, the next one gone on to ("จบ ม.3 แล้วไปต่อ ปวช. ได้ปีเดียว", "แล้วต่อ ม.4 ได้ครึ่งเทอม"):
# a level reached, not one wished for.
_WENT_ON = re.compile(r"(?<!อยาก)(?<!จะ)(?:แล้ว|ก็)\s*(?:ก็)?\s*(?:ไป|ได้|เข้า)?\s*(?:เรียน)?\s*ต่อ\s*(?:ที่)?\s*$")
_STOPPED_SINCE = re.compile(r"ไม่ได้(?:ไป)?(?:เรียน)?ต่อ\s*(?:เลย|อีก)?\s*ตั้งแต่\s*(?:ชั้น)?\s*$")
# A level told as the one studied now ("ยังเรียนอยู่ ม.3", "ตอนนี้เรียน ม.4 อยู่", "กำลังเรียน ม.2"), or a
# learner said not to have left ("ยังไม่ได้ลาออก"): no status, whatever leaving is feared or asked about.
_NOW_STUDYING_BEFORE = re.compile(
    r"(?:(?<![ก-๛])|(?<=[ก-๛]))(?:ยัง|กำลัง|ตอนนี้|ปัจจุบัน|ขณะนี้)(?:(?!ค้าง|ออก|ไม่|เลิก|หยุด)\S){0,12}?(?:เรียน|อยู่)\s*(?:อยู่|ที่)?\s*(?:ชั้น)?\s*$"
)
_NOT_LEFT_YET = re.compile(r"ยังไม่ได้(?:ลา)?ออก|ยังไม่ออก")
# Right before a level, words of never entering it: no school took them in, or they did not go up to it.
_NEVER_ENTERED = re.compile(r"ไม่(?:ได้|รับ|ให้)\s*(?:เข้า|ขึ้น)\s*(?:ชั้น)?\s*$")


# Right before a level, words of leaving it ("ออกตอน", "ค้างอยู่", "เลิกตั้งแต่", "ออกจาก").
_LEFT_RIGHT_BEFORE = re.compile(
    r"(?<!ไม่ได้)(?<!ไม่)(?<!ไม่ใช่)(?<!ไม่ใช่\s)(?<!บ่แม่น)(?:ออก|ค้าง|เลิก|หยุด|ดรอป|ลาออก|ทิ้ง)(?:อยู่|ไว้|ไป|มา)?\s*(?:ตอน|ตั้งแต่|จาก|ช่วง|ชั้น|ที่)?\s*(?:อยู่)?\s*$"
)


def _studying_now(text: str, grade_at: int) -> bool:
    before = text[max(0, grade_at - 24) : grade_at]
    if re.search(r"ตอนนั้น|ตอน\s*$|สมัย|เคย", before):
        return False
    return bool(_NOW_STUDYING_BEFORE.search(before) or _NOT_LEFT_YET.search(text))


def extract_grade(text: str) -> tuple[str | None, str | None]:
    """(grade, grade_status) for the level already reached."""
    text = _PLACE_KHANG.sub(r"\1ค่าง", text)
    grade = None
    grade_at = -1
    candidates: list[tuple[str, int, bool]] = []  # (value, where, said as the level left or finished)
    skipped_to = -1  # where the last level skipped as a wish ends
    for match in _GRADE_RE.finditer(text):
        if skipped_to >= 0 and re.fullmatch(r"[\s,/]*(?:และ|หรือ|กับ|-)?[\s,/]*", text[skipped_to : match.start()]):
            skipped_to = match.end()
            continue  # "ทำใบจบ ม.3 ม.6": the list goes on
        before = text[max(0, match.start() - 16) : match.start()]
        if _DENIED_BEFORE.search(before):
            continue  # "ไม่ใช่ ม.2 ค่ะ ม.3": the level denied is not the level
        if re.match(r"\s*(?:ขึ้นไป|ขึ้น\s+ไป|[-–]\s*(?:ม|ป)\.?\s*\d)", text[match.end() :]):
            continue  # "วุฒิ ม.3 ขึ้นไป", "ม.4-ม.6": a requirement or a range, not a level reached
        if _LEVEL_ASKED_AFTER.match(text[match.end() :]):
            continue  # "จบ ม.6 ใช้เวลากี่เทอม", "ม.6 สายสามัญเรียนกี่ปี": a level asked about
        if re.match(r"\s*สาย(?:สามัญ|อาชีพ|ช่าง)", text[match.end() :]) and not (
            _LEVEL_MARK_BEFORE.search(before) or re.search(r"(?:กลางคัน|ไม่จบ)\s*(?:ตอน|ช่วง)?\s*(?:ชั้น)?\s*$", before)
        ):
            continue  # "ม.ปลายสายสามัญค่ะ": a level named with a path, not said to be reached ("ออกตอน ม.2 สายสามัญ" is)
        if re.search(r"(?:ม|ป)\.?\s*\d\s*[-–]\s*$", before):
            continue
        if _NEVER_ENTERED.search(before):
            continue  # "โรงเรียนเลยไม่รับเข้า ม.1", "ไม่ได้ขึ้น ม.1": a level never entered is not the level reached
        if (
            _WISH_BEFORE.search(before)
            and not _STOPPED_SINCE.search(text[max(0, match.start() - 24) : match.start()])
            and not (candidates and _WENT_ON.search(before))
        ) and not (
            re.search(r"(?:จบ|ออก|เรียนถึง|ถึง|หลัง(?:จาก)?|(?<=เรียน)ต่อจาก)\s*$", before)
            and not re.search(
                r"(?:ให้|อยาก|ใบ|จะ|จน|ต้อง|กี่\S{0,6})(?:จบ|"
                r"ออก|เรียนถึง|ถึง)\s*$",
                before,
            )
        ):
            skipped_to = match.end()
            continue
        skipped_to = -1
        marked = bool(
            _LEVEL_MARK_BEFORE.search(text[max(0, match.start() - 24) : match.start()])
            or _LEVEL_MARK_AFTER.match(text, match.end())
        )
        candidates.append((_grade_value(match), match.start(), marked))
        if grade is not None:
            # A second level: it is the one reached when marked so ("ปวช ออกตอน ม.1").
            if re.search(r"(?:จบ|ออกตอน|ออกช่วง|เรียนถึง|ถึง|ค้าง)\s*$", before) and grade in ("vocational",):
                grade, grade_at = _grade_value(match), match.start()
            continue
        grade = _grade_value(match)
        grade_at = match.start()
    if len(candidates) > 1 and not candidates[0][2]:
        # "ตอน ป.6 หนูเรียนเก่งมาก แต่ขึ้น ม.1 ได้เทอมเดียวก็ต้องออก": the level told with the leaving
        marked_ones = [c for c in candidates if c[2]]
        if marked_ones and grade_at == candidates[0][1]:
            grade, grade_at = marked_ones[0][0], marked_ones[0][1]
    lower = _lower_level_left(text, candidates)
    if lower:
        return lower, "left_during"
    later = _later_level_left(text, candidates)
    if later:
        return later, "left_during"
    status = None
    cleaned = _FINISH_QUESTION.sub(" ", text)
    left = _LEFT.search(cleaned)
    done = _COMPLETED.search(cleaned)
    if grade == "none":
        return grade, None
    if left and done and left.group() in ("ไม่ได้เรียนต่อ", "ไม่ได้ไปเรียน") and "ไม่จบ" not in cleaned:
        left = None  # "ไม่ได้เรียนต่อหลังจบ ม.3": finished that level, then stopped
    if (
        left
        and done
        and grade_at >= 0
        and left.group() in ("ออกมา", "ออกไป")
        and "ไม่จบ" not in cleaned
        and re.search(r"จบ\s*(?:ชั้น)?\s*$", text[max(0, grade_at - 6) : grade_at])
    ):
        left = None  # "ออกมาทำงาน … จบ ป.6 แล้ว": the level is named finished; ออกมา is about work
    if (
        left
        and done
        and grade_at >= 0
        and left.start() > done.start()
        and _LEFT_RIGHT_BEFORE.search(text[max(0, grade_at - 16) : grade_at])
        and not re.search(r"จบ\s*(?:แค่|ชั้น)?\s*$", text[max(0, grade_at - 8) : grade_at])
    ):
        done = None  # "พี่ๆ เรียนจบหมดแล้ว เหลือผมที่ค้าง ม.6": the level reached is told as left
    if left and (not done or left.start() <= done.start() or "ไม่จบ" in cleaned):
        status = "left_during"
    elif done:
        # "จบ" about the level reached, not e.g. "อยากเรียนให้จบ".
        status = "completed"
    if grade is None and status is not None:
        # A status alone counts only when the message is about it ("จบแล้ว", "ออกกลางคัน").
        pass
    if grade_at < 0 and status is not None:
        # A status alone counts only in a short answer about it ("จบแล้ว", "ออกกลางคัน").
        told = (
            r"ออกกลางคัน|ออก(?:มา)?ตั้งแต่|ออกกลางเทอม|ดรอป|drop|หยุดเรียน|เลิกเรียน|พักการเรียน|ลาออก"
            r"|ออกจากโรงเรียน|ต้องออก(?!มา|ไป)|(?:โรงเรียน|ครู)ให้ออก|ไม่ได้เข้าเรียน(?:อีก|ต่อ)"
            r"|เลยออก|ก็ออก|ออกระหว่าง|ไม่ได้ไป(?:เรียน|โรงเรียน)?อีกเลย"
            r"|" + _MORE_LEFT
        )
        strong = told + r"|ไม่จบ|ค้าง|ออกแล้ว"
        said_left = re.search(told, cleaned)
        if (
            status == "left_during"
            and said_left
            and not re.search(
                r"(?:ไม่|อยาก|จะ|ถ้า|ห้าม|กลัว|อย่า)\S{0,4}\s*$",
                cleaned[max(0, said_left.start() - 8) : said_left.start()],
            )
        ):
            pass  # "ผมโดนจับเลยต้องออกจากโรงเรียน": the leaving is told, whatever the length
        elif len(cleaned) > 30 or (status == "left_during" and not re.search(strong, cleaned)):
            status = None
    if status is not None and grade_at >= 0 and _studying_now(text, grade_at):
        status = None  # "ตอนนี้ยังเรียนอยู่ ม.3 แต่ … ถ้าออก": the level is being studied; leaving is only feared
    if (
        grade
        and status == "left_during"
        and not re.search(r"ไม่จบ|ออก(?:ตอน|จาก|กลาง|ระหว่าง)|ค้าง|ดรอป|หยุด|เลิก|ทิ้ง|พัก", cleaned)
        and _NEXT_LEVEL_NOT_GONE_ON.get(grade, "@")
        in {
            f"{m.group(1)}{m.group(2)}"
            for m in re.finditer(r"ไม่ได้(?:เรียน)?ต่อ\s*(?:ชั้น)?\s*(m|p|ม|ป)\.?\s*([1-6])", text)
        }
    ):
        status = "completed"  # "เรียนถึง ป.6 แล้วไม่ได้ต่อ ม.1": the level before the one not gone on to was finished
    return grade, status


# --- role, reason, path ----------------------------------------------------------------------

# After ลูก/หลาน, another person whose child it is ("ลูกเพื่อนบ้าน", "ลูกของป้า", "หลานเจ้านาย"): someone else's.
_SOMEONE_ELSES_CHILD = r"(?:ชาย|สาว)?(?:ของ)?(?:เพื่อน|ป้า|ลุง|น้า|ญาติ|เจ้านาย|คนข้างบ้าน|ข้างบ้าน)"
_ROLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "other",
        re.compile(
            r"^คนอื่น|ให้คนอื่น|(?<![a-z])(?:brother|sister|cousin|friend|student)(?![a-z])|(?:(?:สมัคร|"
            r"เรียน|ถาม|(?:^|(?<=\s)))ให้|(?:สมัคร|เรียน|ถาม|พิมพ์|ทัก)แทน)(?:แม่|"
            r"พ่อ|ยาย|ย่า|ตา|ปู่|ป้า|ลุง|น้า|อา|พี่)(?=$|\s|"
            r"ค่ะ|ครับ|คะ|นะ|ด้วย|หน่อย|เขา|ที่|อายุ)|(?<!มี)(?<!กับ)ลูกพี่ลูกน้อง|"
            # a partner asked for ("ถามให้แฟนค่ะ", "สมัครแทนสามี")
            r"(?:สมัคร|เรียน|ถาม|ทัก|พิมพ์)\S{0,6}(?:ให้|แทน)\s*(?:แฟน|สามี|ภรรยา|เมีย|ผัว)|"
            r"นักเรียน(?:ของ|ใน)?(?:ครู|ผม|หนู|ฉัน|ดิฉัน|ที่ปรึกษา)|(?:ลูก|หลาน)(?=" + _SOMEONE_ELSES_CHILD + r")|"
            r"มีนักเรียน|ลูกศิษย์|(?<!พี่)(?<!มี)ลูกน้อง|(?<!เป็น)ลูกเขย|(?<!เป็น)ลูกสะใภ้|ลูกหลาน(?:ใน|"
            r"ของ)?(?:หมู่บ้าน|ชุมชน|ตำบล)|(?<=สมัครให้)ลูกจ้าง|(?<=ถามให้)ลูกจ้าง|ลูกจ้าง(?=ที่ร้าน|ในร้าน|"
            r"ร้าน(?:ผม|หนู|ฉัน|ดิฉัน|เรา|ป้า|ลุง|พี่|น้า|ยาย|ตา|แม่|พ่อ)|ของ)|"
            r"ให้เพื่อน(?!\S{0,10}(?:ล้อ|แกล้ง|รังแก|ชวน|บูลลี่|แนะนำ|บอก))|เพื่อน(?:ผม|หนู|"
            r"ฉัน|ของ|สนิท|บ้าน)(?!\S{0,10}(?:ล้อ|แกล้ง|รังแก|ชวน|บูลลี่|แนะนำ|บอก))|เป็นเพื่อน|"
            r"^เพื่อน(?!ๆ|ใน|\S{0,10}(?:ล้อ|แกล้ง|รังแก|ชวน|บูลลี่|แนะนำ|บอก))|เป็นครู|"
            r"ผมเป็นครู|ครูค่ะ|ครูครับ|(?<![ก-๛])อาสา|"
            # a lecturer or a social worker who introduces themself ("อาจารย์มหาลัยนะครับ")
            r"(?:^|(?<=\s)|(?<=เป็น))(?:อาจารย์|นักสังคมสงเคราะห์)\S{0,12}?\s*(?:นะ)?\s*(?:คะ|ค่ะ|ครับ)(?=\s|$)|(?<![ก-๛])อสม|น้อง(?:ที่|"
            r"ใน)(?:ชุมชน|หมู่บ้าน|รู้จัก)|คนรู้จัก|"
            r"(?<!กับ)(?<!บ้าน)(?<!ของ)(?<!มี)(?<!ช่วย)(?<!หา)(?<!ดูแล)ญาติ|น้องชาย|"
            r"น้องสาว|พี่ชาย|พี่สาว|หลานของเพื่อน|เด็กในชุมชน|"
            r"เด็กในความดูแล(?:ของ)?(?:ครู|มูลนิธิ)|"
            # a neighbour's child, a teacher's former pupil ("น้องข้างบ้าน", "ข้างบ้านมีเด็ก…", "ศิษย์เก่า")
            r"(?:เด็ก|น้อง)\S{0,4}?ข้างบ้าน|ข้างบ้าน\S{0,6}?มี(?:เด็ก|น้อง)|(?<!ลูก)ศิษย์"
        ),
    ),
    (
        "parent",
        re.compile(
            r"(?<!ญาติ)(?<!ลำ)(?<!ทุ่ง)(?<!บาง)(?<!เจ็ด)(?<!เป็น)(?<![ก-๛]ๆ)(?<!หลาน)ลูก(?!กา|หลาน|"
            r"บัว|นก|เสือ|ค้า|ศิษย์|น้อง|พี่ลูกน้อง|พี่|ชิ้น|"
            r"ทีม|จ้าง|หนี้|บอล|อม|เกด|เต๋า|หมา|แมว|ไก่|วัว|"
            r"หมู|ข่าง|กวาด|โป่ง|ตุ้ม|ปัด|ไม้|เล่น|เสือ|หนัง|"
            r"ครึ่ง|เขย|สะใภ้|สุนัข|ปลา|ม้า|เป็ด|แกะ|แพะ|ควาย|ช้าง|ลิง|" + _SOMEONE_ELSES_CHILD + r")|"
            r"(?<!ปะ)หลาน(?!ของเพื่อน|" + _SOMEONE_ELSES_CHILD + r")|เป็น(?:แม่|"
            r"พ่อ)(?=$|\s|ค่ะ|ครับ|ของ|เขา|เด็ก|น้อง)|(?<!ของ)(?<!ของ\s)ผู้ปกครอง|"
            r"(?:^|(?<=\s)|(?<=ผม)|(?<=ดิฉัน)|(?<=ฉัน)|(?<=เป็น))(?:คุณ)?(?:แม่|พ่อ|ยาย|ตา|ย่า|ปู่|ป้า|ลุง|"
            r"น้า)(?:ของ)?(?:น้อง(?!สาว|ชาย)|เด็กชาย|เด็กหญิง|ด\.ช\.|ด\.ญ\.)|"
            r"บุตร(?!ธรรม)|ลูกบุญธรรม|เด็กใน(?:ความ)?ปกครอง|เป็นลูก(?:ของ)?(?:ดิฉัน|ผม)"
            r"|เด็ก\S{0,10}ในความดูแล(?:ของ)?(?:ป้า|ยาย|ย่า|ตา|ปู่|ลุง|น้า|อา|ดิฉัน|ผม|แม่|พ่อ)"
            # a guardian who introduces themself ("แม่ค่ะ น้องอายุ 15", "ตาเองนะครับ หลาน…")
            r"|^\s*(?:สวัสดี\S*\s*)?(?:แม่|พ่อ|ยาย|ตา|ย่า|ปู่|ป้า|ลุง|น้า)(?:เอง)?\s*(?:นะ)?\s*(?:คะ|ค่ะ|"
            r"ครับ|จ้า|จ้ะ)(?=\s|$)"
        ),
    ),
    (
        "self",
        re.compile(
            r"(?:ผม|หนู|ฉัน|ดิฉัน|เรา|ตัว|กู|เค้า|ข้า)เอง|ตัวเอง|"
            r"เรียนเอง|ตัวผม|สำหรับตัวเอง|สมัครเอง|ของตัวเอง|"
            r"ตนเอง|^เอง|self"
        ),
    ),
]


_PREGNANT_CHILD = (
    r"มีลูก(?!พี่ลูกน้อง|ค้า|ศิษย์|จ้าง|น้อง|หมา|แมว)|(?<!ปวด)(?<!เจ็บ)(?<!แน่น)(?<!ลูบ)ท้อง(?!เสีย|ฟ้า|ถิ่น|ที่"
    r"|ร่วง|ผูก|อืด|ทะเล|นา|ถนน|ตลาด|สนาม|เรื่อง|ไส้|แขน|ขา|น้อย)|"
    r"ตั้งครรภ์|เลี้ยงลูก(?!หมา|แมว|ไก่|วัว|หมู|ปลา)|"
    r"คลอดลูก(?!หมา|แมว|วัว)"
)


# A guardian who says who they are, or asks for the child: the child's own baby leaves them a parent
# ("แม่ของน้องแก้วเจ้า … ท้องเลยออกมาเลี้ยงลูก", "ขอถามแทนลูกค่ะ ลูกอายุ 19 … คลอดลูก").
_GUARDIAN_SAYS = (
    r"(?:แม่|พ่อ|ยาย|ตา|ย่า|ปู่|ป้า|ลุง|น้า)(?:ของ)?น้อง|(?:ถาม|สมัคร|พิมพ์)(?:แทน|ให้)ลูก"
    r"|^\s*(?:สวัสดี\S*\s*)?(?:แม่|พ่อ|ยาย|ตา|ย่า|ปู่|ป้า|ลุง|น้า)(?:เอง)?\s*(?:นะ)?\s*(?:คะ|ค่ะ|ครับ|จ้า|จ้ะ)(?=\s|$)"
)


# A partner or a friend the writer asks for by "เขา" ("แฟนหนูอายุ 20 … หนูสมัครแทนเขาได้ไหม").
_PARTNER_ASKED_FOR = re.compile(
    r"(?:แฟน|สามี|ภรรยา|เมีย|ผัว|เพื่อน|ลูกพี่ลูกน้อง).{0,120}(?:สมัคร|ถาม|ทัก|พิมพ์)(?:มา)?(?:ถาม)?\s*(?:ให้|แทน)"
    r"\s*(?:เขา|เค้า|(?:นะ)?\s*(?:ค่ะ|ครับ|คะ|จ้า|จ้ะ)(?=\s|$|[.!?])|(?=\s*[.!?]?\s*$))"
)
# A writer who says they are the child's guardian, and one who says they are not.
_GUARDIAN_BY_LAW = re.compile(r"เป็นผู้ปกครอง(?:ตามกฎหมาย|โดยชอบธรรม)?(?:ของ)?\s*(?:น้อง|หลาน|เด็ก|เขา|เค้า)")
_DENIED_GUARDIAN = re.compile(r"ไม่ได้\s*เป็นผู้ปกครอง|ไม่ใช่ผู้ปกครอง")
# A writer who raises the learner in a parent's place: a step-parent ("ผมเป็นพ่อเลี้ยงครับ", "ลูกติดแฟน",
# "my stepson"), or a sibling or a relative who brings them up ("ผมเลี้ยงน้องมาตั้งแต่พ่อแม่เสีย", "ป้าเป็นคน
# เลี้ยง", "เลี้ยงเหลนอยู่"): a parent, as a guardian is (not "ออกมาเลี้ยงน้อง", a reason for leaving).
_RAISES = re.compile(
    r"เป็น\s*(?:พ่อ|แม่)เลี้ยง(?=$|\s|ค่ะ|ครับ|คะ|นะ|ของ|เขา|เค้า|เด็ก|น้อง)|ลูกติด(?:แฟน|สามี|ภรรยา|เมีย|ผัว)"
    r"|(?<![a-z])step(?:son|daughter|child|kid)|เลี้ยงเหลน|(?:ป้า|ยาย|ตา|ย่า|ปู่|ลุง|น้า)เป็นคนเลี้ยง"
)
# A sibling who brings the learner up ("ผมเป็นพี่ อายุ 24 เลี้ยงน้องเองตั้งแต่พ่อแม่เสีย", "I've been raising her"),
# told with the sibling's own age: a parent's place; not "ออกมาเลี้ยงน้อง", a reason for leaving.
_RAISES_SIBLING = re.compile(
    r"(?<!ออก)(?<!มา)(?<!ไป)(?<!ต้อง)(?<!ช่วย)(?<!อยู่บ้าน)เลี้ยง(?:ดู)?\s*(?:น้อง\S{0,6}?|เขา|เค้า|มัน)?\s*(?:มา|เอง)"
    r"|(?:ผม|หนู|ฉัน|ดิฉัน|พี่|ปี้|เรา)(?:เอง)?\s*(?:ก็)?\s*เป็นคนเลี้ยง|(?<![a-z])raising (?:her|him|them|my)"
)
_SIBLING_AGE = re.compile(r"(?:น้อง|sister|brother)\S{0,10}\s*(?:อายุ\s*|is\s*)?(?:1\d|[5-9])(?!\d)(?!\s*(?:ขวบ|เดือน))")


# "ลูกไม่ได้ท้องนะคะ": a pregnancy denied is no sign the writer speaks of their own baby.
_DENIED_PREGNANCY = re.compile(r"(?:ไม่ได้|ไม่ใช่)\s*(?:เพราะ)?\s*(?:ตั้ง)?(?:ท้อง|ครรภ์|มีลูก|คลอด)")


def extract_role(text: str, skip: tuple[str, ...] = ()) -> str | None:
    if (
        "parent" not in skip
        and not _DENIED_GUARDIAN.search(text)
        and (_RAISES.search(text) or (_the_writers(_RAISES_SIBLING, text) and _SIBLING_AGE.search(text)))
    ):
        return "parent"  # "ผมเป็นพ่อเลี้ยงครับ", "น้องชายผมอายุ 16 … เลี้ยงน้องเองตั้งแต่พ่อแม่เสีย"
    hits = []
    for role, pattern in _ROLE_PATTERNS:
        if role in skip:
            continue
        for m in pattern.finditer(text):
            if not re.search(
                r"(?:ไม่ใช่\s*(?:ของ)?|ไม่ได้\S{0,8}(?:ให้|แทน)|ไม่ได้)\s*$", text[max(0, m.start() - 16) : m.start()]
            ):
                hits.append((m.start(), role))  # "ไม่ใช่ลูกค่ะ เป็นน้องสาว": the denied one is not the role
                break
    if not hits:
        if "other" not in skip and _PARTNER_ASKED_FOR.search(text):
            return "other"  # "แฟนหนูอายุ 20 … หนูสมัครแทนเขาได้ไหม": the partner is the learner
        return None
    if "parent" not in skip and _GUARDIAN_BY_LAW.search(text) and not _DENIED_GUARDIAN.search(text):
        # "พี่สาวนะคะ แต่เป็นผู้ปกครองตามกฎหมายของน้องชาย": a sibling who is the guardian acts as a parent
        return "parent"
    # A pregnancy reason ("มีลูก") is not a parent registering a child; "มีลูกสองคน" is a parent.
    if re.search(_PREGNANT_CHILD, _DENIED_PREGNANCY.sub(" ", text)) and not re.search(
        r"มีลูก\s*(?:\d|สอง|สาม|สี่|ห้า|"
        r"กี่)\s*คน|มีลูกคนเดียว|ลูก(?:ชาย|สาว)|หลาน(?!ของเพื่อน)|"
        + _GUARDIAN_SAYS
        + r"|^\s*ลูก(?:เขา|เค้า)?\s*(?:มีลูก|ท้อง|ตั้งท้อง|"
        r"ตั้งครรภ์)"
        r"|(?:^|ตอนนี้|ปีนี้)\s*ลูก\s*(?:อายุ\s*)?\d{1,2}(?!\d)(?!\s*(?:ขวบ|เดือน))|เป็นลูก(?:ของ)?(?:ดิฉัน|ผม)",
        text,
    ):
        hits = [(s, r) for s, r in hits if r != "parent"] or []
        if not hits:
            return None
    return min(hits)[1]


# Habits that are a reason only when told as what made them leave ("ติดเกมหนักจนไม่ยอมไปโรงเรียน").
_HABITS = r"ติดเกม|ติดเพื่อน|เกเร|หนีเรียน|โดดเรียน|มั่วสุม"
# Fights: a reason only when told with the leaving, like a habit. Kept out of `_REASONS`, whose words
# `nlp.residue` takes for details given: "ทะเลาะกับแม่อีกแล้ว" is small talk.
_FIGHTS = r"ทะเลาะ|วิวาท|ตีกัน|ยกพวก"
_REASONS: list[tuple[str, re.Pattern[str]]] = [
    (
        "pregnancy",
        re.compile(
            r"(?<!ปวด)(?<!เจ็บ)(?<!แน่น)(?<!ลูบ)ท้อง(?!เสีย|ฟ้า|ถิ่น|ที่|ร่วง|ผูก|อืด|ทะเล|นา|ถนน|ตลาด|สนาม|เรื่"
            r"อง|ไส้|แขน|ขา|น้อย)|ตั้งครรภ์|pregnan|มีลูก(?!พี่ลูกน้อง|"
            r"ค้า|ศิษย์|จ้าง|น้อง|หมา|แมว|\s*(?:\d|สอง|สาม|หลาย|"
            r"สี่|ห้า|กี่)\s*คน)|(?<!ลา)(?<!หมา)(?<!แมว)(?<!วัว)คลอด(?!ลูก(?:หมา|"
            r"แมว|วัว))|เลี้ยงลูก(?!หมา|แมว|ไก่|วัว|หมู|ปลา)|"
            r"มีน้อง(?=ในท้อง)|ตั้งท้อง"
        ),
    ),
    (
        "bullying",
        re.compile(
            r"(?<!ไม่ได้)แกล้ง|บูลลี่|บูลี่|bull(?:y|ied)|"
            r"รังแก|ล้อเลียน|(?:โดน|ถูก)\S{0,14}(?:ล้อ|รังแก|"
            r"ทำร้าย|รุม|ข่มขู่|ขู่|ตบ|ตี|ต่อย|เตะ|ด่า|ไถ)|โดนรุม|ล้อ(?:ว่า|เรื่อง|ปม)|(?:เพื่อน|"
            r"รุ่นพี่)\S{0,20}ล้อ(?!ม)|(?:คลิป|โพสต์)\S{0,4}ล้อ|รีดไถ|ไถเงิน|ข่มเหง"
        ),
    ),
    ("legal", re.compile(r"คดี|สถานพินิจ|ติดคุก|(?:โดน|ถูก)\S{0,10}จับ(?!มือ|ผิด)|ศาล(?![าีิ])|บ้านกาญจนา")),
    (
        "disability",
        re.compile(
            r"สายตาเลือนราง|เดินไม่ได้|ปัญญาอ่อน|พัฒนาการช้า|ดาวน์|พิการ|ตาบอด|หูหนวก|หู(?:ไม่ค่อย|"
            r"ไม่)ได้ยิน|ออทิสติก|ดาวน์ซินโดรม|บกพร่องทาง|รถเข็น|(?<!เ)ขาเสีย|(?<!เ)ขาลีบ|วีลแชร์|wheelchair"
        ),
    ),
    (
        "documents",
        re.compile(
            r"ไม่มีบัตร|ไม่มีสัญชาติ|ไร้สัญชาติ|ไม่มีทะเบียนบ้าน|"
            r"ไม่มีเอกสาร|(?:ติด|เลข|รหัส)\s*[gG](?![a-z])|บัตรสีชมพู|บัตรชมพู|เอกสารไม่ครบ|ไม่มีใบเกิด|"
            r"ไม่มีสูติบัตร|ไม่มีเลข\s*(?:13\s*หลัก|ประจำตัว|บัตร)|บัตร\S{0,10}หาย|(?:ไม่มีชื่อ|"
            r"ชื่อไม่อยู่)(?:ใน)?ทะเบียนบ้าน|ทะเบียนบ้าน\S{0,4}ไม่มีชื่อ"
        ),
    ),
    (
        "migration",
        re.compile(
            r"ย้ายบ้าน|ย้ายที่อยู่|ย้ายตาม|ย้ายมา|ย้ายไป|"
            r"ต้องย้าย|ตามพ่อแม่ไป|ตามพ่อไป|ตามแม่ไป|ย้ายจังหวัด|"
            r"ย้ายโรงเรียนไม่ได้|รับ(?:ไป|มา)อยู่ด้วย|พา(?:ไป|มา)อยู่|ย้ายงาน"
        ),
    ),
    (
        "family",
        re.compile(
            r"(?:ปัญหา|เรื่อง)(?:ใน)?ครอบครัว|ครอบครัว(?:มี)?(?:ปัญหา|แตก|ไม่อบอุ่น)|ครอบครัวใหม่|"
            r"^\s*ครอบครัว\s*(?:ค่ะ|ครับ|คะ|จ้า)?\s*$|ที่บ้าน(?:มี)?ปัญหา|ดูแล(?"
            r":พ่อ|แม่|ยาย|"
            r"ตา|ย่า|ปู่|น้อง|คนป่วย|ผู้ป่วย)|(?:พ่อ|แม่|ยาย|"
            r"ตา|ย่า|ปู่|น้อง)(?:เขา|เค้า)?(?:ป่วย|ไม่สบาย|เสีย)|(?:เลี้ยง|"
            r"ดูแล|เฝ้า)(?:พ่อ|แม่|ยาย|ตา|ย่า|ปู่)(?=\S{0,4}(?:ที่|"
            r"ป่วย|ไม่สบาย|เป็น|ติดเตียง))|พ่อแม่(?:เขา|เค้า|"
            r"ของ\S{0,4})?\s*(?:แยกทาง|หย่า|เลิกกัน|แยกกัน)|"
            r"เลี้ยงน้อง|ไม่มี(?:คน|ใคร)ดูแล|กำพร้า|ปัญหา(?:ที่|ทาง)บ้าน|เฝ้าไข้|พ่อแม่ไม่ให้(?:เรียน|ไป)|"
            r"(?<!อยาก)แต่งงาน|ความรุนแรงในครอบครัว|(?:พ่อ|แม่)\S{0,20}(?:ทำร้าย|ซ้อม|ตี)(?:แม่|พ่อ)|ดูแลท่าน"
            r"|(?:พ่อ|แม่)\S{0,16}ติดต่อไม่ได้"
            r"|(?:พ่อ|แม่)\S{0,8}ทะเลาะ(?=.{0,30}(?:จน|เลย|ออก|หยุด|เลิก|ไม่(?:อยาก|ยอม)?ไป))"
        ),
    ),
    (
        "health",
        re.compile(
            r"(?<!แม่)(?<!พ่อ)(?<!ยาย)(?<!ตา)(?<!ย่า)(?<!ปู่)(?<!น้อง)(?<!ที่บ้าน)(?<!ระวัง)(?<!หมา)(?<!แมว)(?:ป่วย|"
            r"อุบัติเหตุ|ข"
            r"าหัก|แขนหัก|รักษาตัว|ปวดท้อง|"
            r"ไม่สบาย|เป็นโรค|ผ่าตัด|ซึมเศร้า|โรค|นอนโรงพยาบาล|"
            r"สุขภาพ|มะเร็ง|ลมชัก|หอบหืด|แพนิค|ไบโพลาร์|ติดยา|บำบัด)"
        ),
    ),
    (
        "financial",
        re.compile(
            r"เงินไม่(?:มี|พอ)|(?:ที่)?บ้านจน|ขัดสน|(?<!โรงเรียน)(?<!เดินทาง)(?<!ไปมา)ลำบาก(?:เรื่องเงิน)?|"
            r"รายได้ไม่(?:พอ|มี)|ค้างค่าเทอม|"
            r"(?:ไม่|หม้าย)มี(?:เงิน|สตัง|ตัง)|ไม่มี(?:จ่าย|ค่ารถ)|"
            r"ขาดแคลน|ไม่มีเงิน|ไม่มีตัง(?:ค์)?|เงินไม่พอ|"
            r"ฐานะ|ยากจน|จน(?:มาก)?(?=$|\s|ครับ|ค่ะ)|(?:ไม่มี|"
            r"จ่าย)ค่าเทอม|ค่าเทอมแพง|ค่าใช้จ่าย(?:สูง|เยอะ|"
            r"ไม่พอ)(?!\s*(?:ไหม|มั้ย|หรือ|ไหน))|ปัญหาการเงิน|"
            r"การเงิน|(?<!ลูก)หนี้|ไม่มีค่า(?!อะไร|ใช้จ่าย)|ขาดทุนทรัพย์|ทุนทรัพย์|"
            r"ไม่มี(?:คน|ใคร)ส่ง(?:เสีย|เรียน)?|ส่งเสียไม่ไหว|"
            r"ไม่มีทุน|ส่ง(?:เรียน)?ไม่ไหว|เศรษฐกิจ|(?:พ่อ|แม่|ที่บ้าน)\S{0,6}ตกงาน|รายได้น้อย|ไม่พอกิน|"
            r"ไม่มีจะกิน|ค่าเทอม\S{0,10}ก็?ไม่มี|เลิกจ้าง|ไม่มี(?:คน|ใคร)หาเงิน"
        ),
    ),
    (
        "work",
        re.compile(
            r"(?<!อยาก)(?<!จะ)(?:ต้อง)?(?:ไป)?ทำงาน(?!ได้ไหม)|"
            r"(?<!ไม่มีคน)(?<!ไม่มีใคร)หาเงิน|ช่วย(?:พ่อแม่|ที่บ้าน|แม่|พ่อ)(?:ทำงาน|"
            r"ขายของ|ทำไร่|ทำนา|ทำสวน)?|ทำไร่|ทำนา|ทำสวน|กรีดยาง|"
            r"เลี้ยงวัว|ต้องช่วย\S{0,6}(?:งาน|ขาย|ทำ|กรีด|เก็บ)|"
            r"รับจ้าง|ขายของ|ประมง|ออกเรือ|เงินดีกว่า|หาปลา|เด็กเรือ|ลงเรือ"
        ),
    ),
    (
        "learning",
        re.compile(
            r"(?:ไม่อยากไป|ไม่ได้อยากไป)(?:โรงเรียน)?(?!\s*(?:เรียน)?\s*(?:สาย|"
            r"ปวช|ม\.|กศน))(?=$|\s|ค่ะ|ครับ|เลย)|ปัญหา(?:การ|"
            r"ด้าน)?เรียน|เรียนไม่ทัน|ตาม\S{0,8}ไม่ทัน|เรียนไม่ไหว|เรียนช้า|อ่านไม่ค่อยออก|ซ้ำชั้น|"
            r"เรียนไม่รู้เรื่อง|ขี้เกียจ(?:เรียน|ไปโรงเรียน)|(?:สอบ)?ตก\S{0,4}(?:\d|สอง|สาม|สี่|หลาย)\s*วิชา|"
            r"เรียน\S{0,10}ไม่ไหว|แอลดี|สมาธิสั้น|อ่านหนังสือ(?:ไม่คล่อง|ไม่ออก|ช้า)|"
            r"ไม่ชอบเรียน|เบื่อ(?:เรียน|"
            r"โรงเรียน)|สอบตก|ติด\s*[0๐ร]|ติดศูนย์|ติด ร|เกรดไม่ถึง|"
            r"อ่านไม่ออก|ไม่อยากเรียน(?:ที่โรงเรียน)?(?!\s*(?:สาย|"
            r"ปวช|ม\.|กศน|แบบ|สามัญ|ช่าง|อาชีพ))|หมดไฟ"
        ),
    ),
    (
        "other",
        re.compile(r"(?<!ข้อมูล)(?<!ความเป็น)ส่วนตัว|เหตุผลอื่น|" + _HABITS),
    ),
]


# The reasons as `extract_reason` reads them: fights are another reason too.
_READ_REASONS = [
    (reason, re.compile(pattern.pattern + "|" + _FIGHTS) if reason == "other" else pattern)
    for reason, pattern in _REASONS
]


# Words that tie a fact to leaving school: a cause, a consequence, or the leaving itself.
# (เลย the province, "อ.เมืองเลย", is no เลย of consequence.)
_CAUSAL = re.compile(
    r"เพราะ|เนื่องจาก|สาเหตุ|ต้อง|(?<!เมือง)(?<!จ\.)(?<!จ\.\s)(?<!จังหวัด)เลย|จึง|ออก|หยุด|เลิก|"
    r"ไม่ได้(?:ไป)?เรียน|ดรอป|ไม่จบ|ทิ้ง"
)
# A reason said with its cause marker: read first ("มีลูกแล้ว แต่ที่ออกเพราะไม่มีเงิน" is financial).
_BECAUSE = re.compile(r"(?:ที่ออก|ออก)?(?:เพราะ|เนื่องจาก|สาเหตุ(?:ที่ออก)?(?:คือ|เพราะ)?)")
# Where someone works, lives or has moved, told as the present: no reason unless tied to leaving.
_CONTEXT_ONLY = {"work", "migration", "pregnancy"}


# Leaving school to do something: that is the reason ("ต้องออกมาทำงาน", "ออกมาเลี้ยงน้อง").
_LEFT_TO = re.compile(
    r"(?:(?:ต้อง|เลย|ก็|แล้ว)\s*ออก(?:มา|ไป)"
    # "ออกจากโรงเรียนตอน ม.5 ไปทำงานก่อสร้าง": the leaving, its level, and what they went to do
    r"|ออก(?:จากโรงเรียน)?(?:ตอน|จาก)\s*(?:ม\.?|ป\.?|ปวช\.?)\s*[1-6]\s*(?:แล้ว)?\s*(?:ก็)?\s*(?:ไป|"
    r"มา))\s*(?:(?P<work>(?:ช่วย\S{0,8})?(?:ทำงาน|หาเงิน|ทำนา|ทำไร่|ทำสวน|ขายของ|รับจ้าง|ทำประมง))"
    r"|(?P<family>เลี้ยงน้อง|ดูแล(?:พ่อ|แม่|ยาย|ตา|ย่า|ปู่|น้อง)|เฝ้า(?:พ่อ|แม่|ยาย|ตา)))"
)


# A cause denied in a correction ("ไม่ได้ออกเพราะไม่มีเงินนะ ออกเพราะโดนแกล้ง", "ไม่ใช่เพราะท้องค่ะ"): not the reason.
_DENIED_CAUSE = re.compile(r"(?:ไม่ได้|ไม่ใช่)\s*(?:ลา)?(?:ออก(?:จากโรงเรียน)?)?\s*(?:เพราะ|เนื่องจาก|เรื่อง)\s*\S+")


def extract_reason(text: str) -> str | None:
    text = _DENIED_CAUSE.sub(" ", text)
    # A workplace named as where to study/what to do next is not why they left.
    cleaned = re.sub(
        r"(?:อยาก|จะ)(?:ลา)?ออก(?:จากงาน)?|(?:ไม่)?อยาก(?:ไป)?ทำงาน|หางาน|(?:อยาก|ถ้า)(?:จะ)?ย้าย(?:มา|ไป)?|"
        r"สมัครงาน|ทำงานไปด้วย|ทำงานด้วย|ทำงานได้|ทำงานอยู่\s*(?:ด้วย)?\s*(?:เรียน|"
        r"จะ)",
        " ",
        text,
    )
    because = _BECAUSE.search(cleaned)
    if because:
        after = cleaned[because.end() :]
        said = []
        for reason, pattern in _READ_REASONS:
            match = pattern.search(after)
            if match and not _SOMEONE_ELSES(after, match, reason):
                said.append((match.start(), reason))
        for reason in ("work", "migration"):
            match = dict(_REASONS)[reason].search(after)
            if match and _SOMEONE_ELSES(after, match, reason):
                # "เพราะพ่อแม่ไปทำงานต่างประเทศ": no one at home; "… แล้วพาไปด้วย": the learner moved too
                taken = re.search(r"พา\S{0,8}(?:ไป|มา)|ไปด้วย|ตามไป", after[match.end() : match.end() + 40])
                said.append((match.start(), "migration" if taken else "family"))
        if said:
            # "เพราะป่วยเป็นซึมเศร้า … เราย้ายมาอยู่ …": the reason said right after the cause word
            return min(said)[1]
    joined = _LEFT_TO.search(cleaned)
    if joined:
        # "… หนูเลยต้องออกมาทำงานแทน": what they left school to do is why they left
        return "work" if joined.group("work") else "family"
    for reason, pattern in _READ_REASONS:
        match = pattern.search(cleaned)
        if not match or _SOMEONE_ELSES(cleaned, match, reason):
            continue
        if reason in _CONTEXT_ONLY and not _tied_to_leaving(cleaned, match, reason):
            continue
        if _told_as_now(cleaned, match, reason):
            continue
        if re.fullmatch(_HABITS + "|" + _FIGHTS, match.group()) and not re.search(
            r"จน|เลย|ออก|ไม่ยอมไป|ไม่ไป|หยุด|เลิก|ไล่", _clause_around(cleaned, match)
        ):
            continue  # "ออกตอน ม.2 ตอนนี้อยู่บ้านเฉยๆ ติดเกมทั้งวัน": what they do now
        return reason
    return None


# Said right before a fact: it is the present or just happened ("ตอนนี้ป่วยเป็นไข้หวัดอยู่", "เพิ่งคลอดลูก",
# "เพิ่งย้ายบ้านมา"); and words that tell a leaving the fact could explain.
_NOW_BEFORE = re.compile(r"(?:ตอนนี้|ช่วงนี้|ปัจจุบัน|เพิ่ง)\S{0,6}\s*$")
_LEAVING_WORDS = re.compile(r"ออก|เลิก|หยุด|ดรอป|ทิ้ง|ไม่ได้(?:ไป)?เรียน|ค้าง|เพราะ|เนื่องจาก|ไม่จบ|ไม่(?:ยอม)?ไปโรงเรียน")
_ANIMALS = r"(?:หมา|แมว|วัว|ควาย|หมู|สุนัข|ไก่|แพะ|ม้า)"


def _told_as_now(text: str, match: re.Match[str], reason: str) -> bool:
    """A fact of now, in a message that tells no leaving, is no reason; nor is an animal's birth."""
    if reason == "pregnancy" and re.search(_ANIMALS + r"\S{0,12}$", text[max(0, match.start() - 16) : match.start()]):
        return True  # "ลูกแมวที่บ้านเพิ่งคลอด"
    now = _NOW_BEFORE.search(text[max(0, match.start() - 12) : match.start()])
    return bool(now) and not _LEAVING_WORDS.search(text)


def _SOMEONE_ELSES(text: str, match: re.Match[str], reason: str) -> bool:  # noqa: N802 (reads as a phrase)
    """ "แม่ไปทำงานต่างจังหวัด": the mother's work, not why the learner left."""
    if reason == "health" and re.search(
        r"(?:แม่|พ่อ|ยาย|ตา|ย่า|ปู่|พี่|ป้า|ลุง|น้า|สามี)(?:เขา|เค้า|ก็)?\s*(?:ประสบ|เกิด|โดน|ถูก|เป็น)\s*$",
        text[max(0, match.start() - 12) : match.start()],
    ):
        return True  # "พ่อประสบอุบัติเหตุ": the father's accident is not the learner's health
    if reason == "legal":
        return bool(
            re.search(r"(?:แม่|พ่อ|พี่|ลุง|น้า|อา|สามี|แฟน)(?:เขา|เค้า)?\s*$", text[max(0, match.start() - 8) : match.start()])
        )
    return reason in ("work", "migration") and bool(
        re.search(
            r"(?:แม่|พ่อ|ยาย|ตา|ย่า|ปู่|พี่|ป้า|ลุง|สามี|แฟน|คนโต|คนกลาง|พี่ชาย|พี่สาว)(?:เขา|เค้า|ก็|จะ)?\s*$",
            re.sub(r"อายุ\s*\d{1,2}\s*(?:ปี)?\s*", "", text[max(0, match.start() - 20) : match.start()]),
        )
    )


def _clause_around(text: str, match: re.Match[str]) -> str:
    """The words said with a match: up to 28 characters either side, within the sentence."""
    before = text[max(0, match.start() - 28) : match.start()]
    after = text[match.end() : match.end() + 28]
    before = re.split(r"ตอนนี้|ปัจจุบัน|(?<=\S)\s+แต่|[.!?]", before)[-1]
    after = re.split(r"ตอนนี้|ปัจจุบัน|\s+แต่|[.!?]", after)[0]
    return before + match.group() + after


def _tied_to_leaving(text: str, match: re.Match[str], reason: str) -> bool:
    """A job, a move or a child told as the present ("ทำงานเซเว่นอยู่", "ย้ายมาอยู่เชียงใหม่ได้สองปีแล้ว",
    "ตอนนี้มีลูกแล้ว") is no reason; told as why ("ต้องไปทำงาน", "ออกมาทำงาน", "ย้ายตามพ่อ") or as a
    short answer ("ไปทำงานกรุงเทพ") it is."""
    said = match.group()
    if (
        reason in ("work", "migration")
        and re.search(r"(?:ตอนนี้|ปัจจุบัน|ยัง)\S{0,6}\s*$", text[max(0, match.start() - 12) : match.start()])
        and not re.search(r"เลย(?:ต้อง)?ออก|จึงออก|ต้องออก|ลาออก", text[match.end() :])
    ):
        return False  # "ตอนนี้ช่วยพ่อทำนาอยู่": what they do now
    if (
        reason == "work"
        and not re.search(
            r"ต้อง|ออก|หาเงิน|ช่วย|เลิก|หยุด|เพราะ|เลย(?=\s*(?:ต้อง|ออก|ไม่ได้|หยุด|เลิก))|^\s*(?:ไป)?ทำงาน(?:\s"
            r"*(?:ค่ะ|"
            r"ครับ|จ้า|เด้อ))?\s*$",
            _clause_around(text, match),
        )
        and not (len(text) <= 24 and "ไปทำงาน" in text)
    ):
        return False  # "จบ ม.3 แล้วไปทำงานโรงงานที่ระยอง": a job after school, not why they left
    if (
        reason == "work"
        and re.search(r"ต้อง|ออกมา|หาเงิน|ช่วย(?:พ่อ|แม่|ที่บ้าน)|เลิก|หยุด|ดรอป", _clause_around(text, match))
        and not re.search(
            r"(?:ตอนนี้|ปัจจุบัน)\s*(?:ไป)?ทำงาน|ทำงาน\S{0,20}อยู่(?:ครับ|ค่ะ|$|\s)"
            r"|ทำงาน\S*ที่\S+\s*(?:แต่|บ้าน(?:อยู่|เรา))|"
            r"แต่(?:ไป)?ทำงาน|ทำงาน\S*ที่\S+แล้วกลับมา",
            text,
        )
    ):
        return True
    if reason == "migration" and re.search(
        r"ตาม(?:พ่อ|แม่|ผู้ปกครอง|ครอบครัว)|ย้ายบ่อย|"
        r"บ่อย|ต้องย้าย|ย้ายโรงเรียนไม่ได้|ย้ายบ้าน",
        said + text[match.end() : match.end() + 16],
    ):
        return True
    if reason == "pregnancy" and re.search(r"ตอน(?:เรียน|อยู่|ม\.|ป\.)|ระหว่างเรียน|ตอนยังเรียน", text):
        return True  # "มีลูกตอนเรียน"
    if reason == "pregnancy" and re.search(r"ท้อง|ตั้งครรภ์|คลอด", said):
        return not re.search(r"ตอนนี้\s*(?:ท้อง|ตั้งครรภ์)", text) or bool(re.search(r"ต้องออก|เลยออก|ลาออก", text))
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    if (
        reason == "pregnancy"
        and re.search(r"ตอนนี้|แล้ว(?:ค่ะ|ครับ)?\s*(?:แต่|$)", rest)
        and not _CAUSAL.search(rest.replace("ตอนนี้", ""))
    ):
        return False
    if _CAUSAL.search(text):
        return not (reason == "work" and re.search(r"ทำงาน\S{0,20}อยู่(?:ครับ|ค่ะ|$|\s)", text))
    return len(text) <= 24 and not re.search(r"(?<!ที่)อยู่(?:ครับ|ค่ะ|$)|ได้\S*ปีแล้ว|ตอนนี้|แต่", text)


_PATHS: list[tuple[str, re.Pattern[str]]] = [
    (
        "unsure",
        re.compile(
            r"ไม่แน่ใจ|ยังไม่รู้(?!\s*จะเริ่ม)|ไม่รู้(?:ว่า)?จะเรียน|เรียน\S{0,4}อะไรดี|"
            r"ยังไม่(?:ได้)?คิด|ยังไม่(?:ได้)?ตัดสินใจ|ตัดสินใจไม่(?:ได้|ถูก)|ลังเล|ไม่รู้(?:ว่า)?จะ(?:เลือก|เอา)"
            # two paths weighed ("สามัญหรือสายอาชีพ", "ระหว่าง ปวช. กับ ม.ปลาย")
            r"|(?:สามัญ|อาชีพ|ปวช)\S{0,8}\s*หรือ\s*(?:สาย)?(?:สามัญ|อาชีพ|ปวช|ม\.?\s*ปลาย)"
            r"|ระหว่าง\s*(?:สาย)?(?:สามัญ|อาชีพ|ปวช|ม\.?\s*ปลาย)|"
            r"(?:^|(?<=\s))แล้วแต่(?!ง|ไม่|"
            r"ว่า)|(?:อะไร|อันไหน|แบบไหน|สายไหน)ก็ได้|ยังไม่แน่|ไม่ทราบว่าจะเรียน|สายไหน(?:ดี)?|"
            r"(?<![a-z])(?:not\s*sure|unsure|undecided)(?![a-z])"
        ),
    ),
    (
        "vocational",
        re.compile(
            r"สายอาชีพ|สายช่าง|อาชีวะ|อาชีวศึกษา|(?:อยาก|"
            r"จะ|สนใจ|เรียน(?:ต่อ)?|(?:อยาก|จะ|สนใจ)(?:เรียน)?ต่อ|(?:อยาก|จะ)ได้วุฒิ)\s*(?:เรียน)?\s*(?:ปวช|"
            r"ปวส)(?!\.?\s*(?:ปี\s*)?[1-3](?!\d))|"
            r"สายวิชาชีพ|เรียนช่าง|(?:อยาก|จะ)เรียน(?:สาย)?อาชีพ|เอา(?:สาย)?อาชีพ|(?<![a-z])(?:vocational|"
            r"technical|archeep|a-?cheewa|por\s*wor\s*chor)(?![a-z])"
        ),
    ),
    (
        "general",
        re.compile(
            r"สายสามัญ|สามัญ|สามัน|(?<![a-z])(?:saman|general\s*(?:track|education|stream)|"
            r"academic)(?![a-z])|ม\.?\s*ปลายทั่วไป|สายปกติ|"
            r"แบบปกติ|(?:แบบ|สาย|ทาง)ทั่วไป|(?<![a-z])general(?=\s*(?:ka|krub|kub|na|please|ค่ะ|ครับ|คะ|นะ|จ้า|$))"
            # the upper-secondary certificate wished for: at that level the other path is ปวช, so a
            # wish for ม.6/ม.ปลาย is the general one ("อยากได้วุฒิ ม.6"), like อยากได้วุฒิ ปวช is vocational
            # (the bot's own path question offers "สายสามัญ (ได้วุฒิ ป.6/ม.3/ม.6)")
            r"|(?:อยาก|ขอ)\s*(?:ได้)?\s*(?:แค่|เพียง)?\s*วุฒิ\s*(?:ม\.?\s*(?:ปลาย|6|หก)(?!\d)|มัธยม(?:ศึกษา)?ตอนปลาย)"
        ),
    ),
]


_NEGATED_PATH = re.compile(
    r"(?:ไม่เอา|ไม่สนใจ|ไม่ใช่)\s*(?:เรียน)?\s*(?:แบบ|ทาง)?\s*$"
    r"|(?:ไม่|ไม่ได้)(?:อยาก|ชอบ|ถนัด|ไหว)(?:ให้\S{0,8}?)?(?:เรียน|ได้|เข้า|กับ)?\s*(?:แบบ|ทาง)?\s*$"
    r"|(?:ไม่|ไม่ได้)\s*$"
)


# Before or in a path, a wish: what follows it ("เอาสายสามัญ อยู่ อ.…") is no path already taken.
_WISHED_PATH = re.compile(r"เอา|อยาก|สนใจ|ขอ|จะเรียน|(?:^|\s)จะ")


# A change of mind: the path said after it is the one ("ตอนแรกว่าจะสายอาชีพ แต่เปลี่ยนใจแล้ว เอาสามัญ").
_CHANGED_MIND = re.compile(r"เปลี่ยนใจ|เปลี่ยน\S{0,16}?เป็น|เอ้ย|เอ๊ย|ที่ถูก(?:คือ|ต้อง)?|ขอแก้(?:เป็น)?")


def extract_path(text: str) -> str | None:
    """The path wished for; one named only to refuse it ("ไม่เอาสายอาชีพ เอาสามัญ") or already
    taken ("ไปเรียน ปวช. ได้เทอมเดียว") is not. Unsure wins; else the last path said as a wish."""
    changes = list(_CHANGED_MIND.finditer(text))
    if changes and changes[-1].end() < len(text):
        changed = extract_path(text[changes[-1].end() :])
        if changed:
            return changed
    found: list[tuple[int, int, str]] = []  # (wished, where, path)
    for path, pattern in _PATHS:
        for match in pattern.finditer(text):
            if path == "unsure":
                return path
            wished = bool(_WISHED_PATH.search(text[max(0, match.start() - 12) : match.end()]))
            if re.match(r"\s*(?:ถึง|จบ|มาก่อน|อยู่|ได้\s*(?:\d|หนึ่ง|สอง|เทอม|ปี|ครึ่ง|แค่|ไม่))", text[match.end() :]) and not (
                wished and not re.match(r"\s*ได้", text[match.end() :])
            ):
                continue  # "เรียนสายสามัญถึง ม.5", "เรียน ปวช อยู่", "ไปเรียน ปวช. ได้เทอมเดียว": the path already taken
            if not _NEGATED_PATH.search(text[max(0, match.start() - 16) : match.start()]):
                found.append((int(wished), match.start(), path))
    return max(found)[2] if found else None


# --- whose details: the learner only ------------------------------------------------------------

_POSSESSIVE = (
    r"(?:\s*(?:ของ)?\s*(?:ผม|หนู|ฉัน|ดิฉัน|เรา|ข่อย|กู|พี่|ป้า|ยาย|ตา|ย่า|ครู)"
    r"(?=$|\s|[^ก-ฮ]|อายุ|อยู่|จบ|เรียน|ออก|ชื่อ|เขา|เค้า|ค่ะ|ครับ|คะ|นะ|ก็|เป็น|ได้|ปี|ตอน))?"
)
# People a message may talk about, by kind. A kind starts a stretch of text that is about that person
# until the next person is named ("แม่อายุ 40 ค่ะ ลูกสาวอายุ 16"); "อยู่กับยาย" names no new person.
_PERSONS: list[tuple[str, str]] = [
    (
        "kin",
        # not คนพี่/คนน้อง, the elder or younger of the writer's children ("อยากให้คนพี่เรียน")
        r"ลูกพี่ลูกน้อง|ญาติ|(?<!เป็น)(?<!คน)(?<!ของ)(?:พี่|น้อง)(?:ชาย|สาว)" + _POSSESSIVE + r"|(?<!คน)น้อง(?=เขา|เค้า)"
        r"|(?<!คน)พี่(?=\s*(?:อายุ|"
        r"จบ|เรียน|เขา|เค้า))",
    ),
    (
        "child",
        # "ดิฉันอายุ 42 มีลูกสาวอายุ 16": a child told with a teen's or an adult's age after มี is a child named
        r"(?<=มี)(?:ลูก|หลาน)(?:ชาย|สาว)?(?=\s*(?:คน\S{0,4}\s*)?(?:ชื่อ\S{1,12}\s*)?(?:อายุ\s*)?(?:1\d|[2-9]\d)(?!\d)"
        r"(?!\s*(?:ขวบ|เดือน|คน)))|"
        r"(?:(?<!มี)(?<!เลี้ยง)(?<!คลอด)(?<!ท้อง)(?<!ดูแล)(?<!ลำ)(?<!ทุ่ง)(?<!บาง)(?<!เจ็ด)ลูก|"
        r"(?<!ปะ)หลาน|(?<!มี)บุตร)(?!ค้า|กา|บัว|นก|เสือ|ศิษย์|"
        r"พี่|น้อง|ชิ้น|ทีม|จ้าง|หนี้|บอล|เกด|เต๋า|หมา|แมว|ไก่|"
        r"วัว|หมู|เขย|สะใภ้|" + _SOMEONE_ELSES_CHILD + r")"
        r"(?:ชาย|สาว)?(?:\s*(?:คนโต|คนเล็ก|คนกลาง|คนที่\s*\d|คนเดียว|คนพี่|คนน้อง|คนนี้))?"
        + _POSSESSIVE
        + r"|(?<=ของ)เด็ก(?=ที่|คนนี้|ผู้หญิง|ผู้ชาย)",
    ),
    (
        "ward",
        r"นักเรียน(?:ของ|ใน)?(?:ครู|ผม|หนู|ฉัน|ดิฉัน)?|(?:ลูก)?ศิษย์(?:เก่า)?" + _POSSESSIVE + r"|(?<!พี่)(?<!มี)ลูกน้อง|(?<!เป็น)ลูกเข"
        r"ย|(?<!เป็น)ลูกสะใภ้"
        r"|เพื่อน(?:ผม|หนู|ฉัน|ของ\S{0,4}|สนิท|บ้าน)|(?:^|(?<=\s)|(?<=ให้))เพื่อน(?=\s*(?:อายุ|\d|จบ|ออก|เขา|เค้"
        r"า|ชื่อ))"
        r"|เด็กใน(?:ชุมชน|หมู่บ้าน|ความดูแล)|ลูกหลาน(?:ใน|ของ)?(?:หมู่บ้าน|ชุมชน|ตำบล)"
        # a teacher, a volunteer or a neighbour who has a child in their care or near them, with a teen's age
        # ("ผมเป็นครูอาสา ผมอายุ 27 มีเด็กชนเผ่าที่ผมดูแลชื่อจะแฮ อายุ 15", "ข้างบ้านมีเด็กอายุ 14")
        r"|(?<=มี)เด็ก(?=\S{0,30}?\s*อายุ\s*(?:1\d|2\d)(?!\d))|(?:เด็ก|น้อง)(?=\S{0,4}ข้างบ้าน)",
    ),
    (
        "speaker",
        r"(?:(?<![ก-ฮ])|(?<=ส่วน)|(?<=แต่)|(?<=และ)|(?<=ว่า)|(?<=ตัว)|(?<=เหลือ))(?:ผม|"
        r"หนู|ดิฉัน|(?<!ดิ)ฉัน|ข่อย|กู|เรา|ตัวเอง)(?:เอง)?(?:เป็น(?:พ่อ|"
        r"แม่|ผู้ปกครอง|ยาย|ตา|ย่า|ปู่|ครู)(?:เลี้ยงเดี่ยว|ของ(?!เด็ก))?)?",
    ),
    (
        "adult",
        r"(?<!เป็น)(?<!ของ)(?:พ่อแม่|แม่|พ่อ|(?<!ข)ยาย|ย่า|ปู่|ป้า|ลุง|(?<!ห)น้า|สามี|ภรรยา|"
        r"แฟน|ผู้ปกครอง|ตา|(?<![ก-๛])อา)(?:ของ)?(?:หนู|ผม|ดิฉัน|ฉัน|เรา|เขา|หลาน|ลูก)?(?=\s*(?:(?:เขา|"
        r"เค้า)\s*)?(?:อายุ|อยู่|จบ|เรียน|เคย|ทำงาน|\d)|(?:เขา|เค้า)\s*(?:ตั้ง)?ท้อง"
        # the adult's own name or เอง before their age or schooling ("แม่ชื่อนางบุญเรือนนะคะ อายุ 39",
        # "แม่เองก็จบแค่ ป.6")
        r"|ชื่อ\S{1,24}\s*อายุ\s*\d|เอง\s*(?:ก็)?\s*(?:อายุ\s*\d|จบ|เรียน(?:ถึง|แค่|จบ)))"
        # a teacher's own age ("ครูอายุ 42 สอนมายี่สิบปี ลูกศิษย์คนนี้อายุ 15")
        r"|(?<![ก-๛])ครู(?:เอง)?(?=\s*อายุ\s*\d)",
    ),
]
_PERSON_RE = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _PERSONS))
_TWO_CHILDREN = re.compile(
    r"(?:ลูก|หลาน)\S{0,4}\s*(?:2|สอง|ทั้งสอง|ทั้งสาม)\s*คน|มีลูก\s*(?:2|สอง|สาม)\s*คน|ทั้งคู่|ทั้งสองคน"
    # three or more at once: "เด็กสามคน อายุ 14, 15, 17"
    r"|ทั้งสามคน|อายุ\s*\d{1,2}\s*,\s*\d{1,2}\s*(?:,|และ|กับ)"
    r"|คนนึง.{0,30}(?:คนนึง|อีกคน)|คนหนึ่ง.{0,30}(?:คนหนึ่ง|อีกคน)|เด็ก\s*(?:2|สอง)\s*คน|"
    r"(?:ลูก|หลาน)(?:ชาย|สาว)\s*(?:อายุ\s*)?\d{1,2}(?!\d).{0,24}?(?:ลูก|หลาน)(?:ชาย|สาว)\s*(?:อายุ\s*)?\d{1,2}(?!\d)|"
    r"แฝด|(?<!\d)\d{1,2}\s*(?:ปี|ขวบ)?\s*กับ\s*\d{1,2}(?!\d)"
)


# An adult who writes about themself ("ยายเองนะ", "ป้านะคะ", "ผมตาครับ", "แม่น้องโบว์ค่ะ", "ยายเลี้ยงหลานมา…").
_ADULT_SPEAKER = re.compile(
    r"(?:^|\s|ผม|ดิฉัน|ฉัน|หนู)(?:เป็น)?(ยาย|ตา|ย่า|ปู่|ป้า|ลุง|น้า|แม่|พ่อ)(?=เอง|นะ|ค่ะ|ครับ|คะ|จ้า|เด้อ|ของ|น้อง"
    r"|\s*(?:เลี้ยง|ดูแล)\s*(?:หลาน|ลูก))"
)
# An adult who introduces themself ("ป้าเองจ้ะ อายุ 52 …", "ยายนะคะ"): what follows, up to the child
# named, is about the writer.
_ADULT_INTRO = re.compile(
    r"(?:^|(?<=\s))(?:ผม|ดิฉัน|ฉัน)?(?:เป็น)?(?:ยาย|ตา|ย่า|ปู่|ป้า|ลุง|น้า|อา|แม่|พ่อ)(?:เอง)?\s*(?:นะ)?\s*"
    r"(?:คะ|ค่ะ|ครับ|จ้ะ|จ้า|เจ้า|เด้อ)(?=\s|$)"
)
# With a guardian writing, the child may be named น้อง + a nickname ("น้องเพชรอายุ 15").
_NONG_CHILD = re.compile(r"(?:(?<![ก-๛])|(?<=ของ))น้อง(?!ชาย|สาว|เขา|เค้า|ๆ|สาม|สอง)[ก-๛]{0,8}?\s*(?=อายุ\s*\d)")
# A child told as a baby or a toddler: the learner's own child, never the learner ("ลูกผมอายุ 3 ขวบ").
_BABY_AGE = re.compile(
    r"\S{0,8}?\s*(?:อายุ)?\s*(?:[0-4]|หนึ่ง|สอง|สาม|สี่)\s*(?:ขวบ|เดือน)|\S{0,8}?\s*(?:อายุ)?\s*\d{1,2}\s*เดือน"
)


# Where another person's stretch of a message ends: a clause that turns back to the learner.
_CLAUSE_END = re.compile(
    r"\s(?:แต่|ส่วน|ตอนนี้|ปัจจุบัน|เลย|ก็เลย|จึง|เพราะ|ทำให้)|\s(?=บ้าน(?:เรา|ผม|หนู|ฉัน)?อยู่|คน(?:โต|เล็ก|"
    r"กลาง|พี่|น้อง))"
    r"|(?:(?<=ครับ)|(?<=ค่ะ)|(?<=คะ)|(?<=จ้ะ)|(?<=จ้า))\s"
)


# After a child named, words of a baby or toddler: after a pregnancy told, the learner's own child.
_BABY_AFTER = re.compile(r"\S{0,10}\s*(?:\S{0,6}\s*)?(?:\d{1,2}\s*)?(?:ขวบ|เดือน|อนุบาล|เนอสเซอรี่|แบเบาะ|ยังเล็ก|ยังแดง)")
# A parent who tells what they had the child do: the clause is about the child ("ผมเลยให้ออกตอน ป.6").
_SPEAKER_ACTS_ON_CHILD = re.compile(r"(?:ผม|หนู|ดิฉัน|ฉัน|เรา)(?:เอง)?\s*(?:เลย|ก็|จึง|ก็เลย)?\s*(?:ให้|พา)")
# The speaker wishing to study themself, and a message made for someone else or for a sibling.
_SPEAKER_WISHES = re.compile(
    r"(?:^|(?<=\s)|(?<=แต่)|(?<=ส่วน))(?:ผม|หนู|(?<!ดิ)ฉัน|ดิฉัน|เรา)(?:เอง)?\s*(?:เลย|ก็|ก็เลย|"
    r"จึง)?\s*อยาก(?:เรียน|สมัคร|กลับไปเรียน)(?!ให้)"
)
_FOR_OTHER = re.compile(r"(?:ให้|แทน)\s*(?:เพื่อน|น้อง|พี่|หลาน|ลูก|เขา|เค้า)")
_FOR_KIN = re.compile(
    r"(?:สมัคร|เรียน|ถาม)\S{0,4}(?:ให้|แทน)\s*(?:น้อง|พี่|ญาติ|ลูกพี่ลูกน้อง)"
    # "น้องชายผมอายุ 15 … ผมเป็นพี่ อยากให้น้องเรียนต่อ"
    r"|อยากให้\s*(?:น้อง|พี่)(?:ชาย|สาว)?\s*(?:ได้)?(?:เรียน|กลับ|สมัคร)"
)
# A younger sibling whose age is told, and a writer who tells an adult's age of their own.
_KIN_WITH_AGE = re.compile(r"(?<!ลูกพี่ลูก)น้อง(?:ชาย|สาว)?(?:ของ)?(?:ผม|หนู|ฉัน|ดิฉัน|เรา)?\s*(?:เขา|เค้า)?\s*อายุ\s*\d")
_ADULT_WRITER_AGE = re.compile(
    r"(?:(?<![ก-๛])(?:ผม|หนู|ดิฉัน|ฉัน|เรา)|เป็นพี่(?:ชาย|สาว)?)(?:เอง)?\s*(?:เป็น\S{0,10}\s*)?(?:นะ\S{0,3}\s*)?"
    r"(?P<age>อายุ\s*[2-9]\d(?!\d))"
)
# The writer studying too ("ผมกับน้องชายอยากเรียนพร้อมกัน แต่สมัครให้ผมก่อน"): their own age may be the one.
_WRITER_STUDIES_TOO = re.compile(r"(?:ผม|หนู|ฉัน|ดิฉัน|เรา)(?:เอง)?\s*กับ\s*น้อง|ให้\s*(?:ผม|หนู|ตัวเอง)")
# A child word right before an adult's: the adult owns the child ("ลูกสาวแม่", "หลานป้า", "ลูกของลุง").
_CHILD_OF = re.compile(r"(?:ลูก|หลาน)(?:ชาย|สาว)?(?:คนโต|คนเล็ก|คนกลาง)?(?:ของ)?$")
# An adult's own name, then their age.
_OWN_NAME_AGE = re.compile(r"ชื่อ\S{1,24}\s*อายุ\s*\d{1,2}")
# The writer asking for a partner ("ถามให้แฟนค่ะ", "สมัครแทนสามี"): the partner is the learner.
_FOR_PARTNER = re.compile(r"(?:ให้|แทน)\s*(?:แฟน|สามี|ภรรยา|เมีย|ผัว)")
# The writer wishing to study with someone else ("ผมกับแฟนอยากเรียนด้วยกัน", "หนูเองอยากเรียนก่อน").
_WRITER_IN_PAIR = re.compile(
    r"(?:^|(?<=\s))(?:ผม|หนู|ฉัน|ดิฉัน|เรา)(?:เอง)?\s*กับ\s*\S{0,12}?\s*(?:ก็)?\s*อยาก(?:เรียน|สมัคร|กลับ)"
    r"|(?:ผม|หนู|ฉัน|ดิฉัน|เรา)เอง\s*(?:ก็)?\s*อยาก(?:เรียน|สมัคร|กลับ)"
)
# Both parents, said before a ทั้งคู่ ("พ่อแม่ผมจบ ป.4 ทั้งคู่", "พ่อแม่ทำงานอยู่นนท์ทั้งคู่").
_PARENTS_BOTH = re.compile(r"พ่อ\s*(?:กับ|และ)?\s*แม่[^,!?]{0,30}$")
# Another person's word and their own age at the start of their stretch ("แฟน 18", "น้องอายุ 15 ปี").
_OTHERS_OWN = re.compile(r"^\S*?\s*(?:อายุ\s*)?\d{1,2}(?:\s*(?:ปี|ขวบ))?")
# A child of five to nine told in ขวบ, when the writer tells an age of their own: the writer's child, not the
# learner ("ตัวเองอายุ 24 ค่ะ ลูกอายุ 5 ขวบ ยังเรียนได้ไหม").
_YOUNG_AGE = re.compile(r"\S{0,8}?\s*(?:อายุ)?\s*(?:[5-9]|ห้า|หก|เจ็ด|แปด|เก้า)\s*ขวบ")
_WRITER_OWN_AGE = re.compile(
    r"(?:(?<![ก-๛])|(?<=ตัว)|(?<=ส่วน))(?:ผม|หนู|ดิฉัน|ฉัน|เรา|ข่อย|ตัวเอง)(?:เอง)?\s*(?:นะ\S{0,3}\s*)?(?:อายุ\s*)?"
    r"(?:1[3-9]|[2-9]\d)(?!\d)(?!\s*(?:ขวบ|เดือน|คน|บาท))"
)
# An age said as someone's own ("อายุ 16", "16 ปี"), and the age of a stretch said before anyone is named.
_OWN_AGE = re.compile(r"อายุ\s*(?:\d{1,2}|" + _THAI_NUMBER_WORD + r")|(?<![\d.])\d{1,2}\s*(?:ปี|ขวบ)(?!\s*(?:ที่|ก่อน))")
_LEAD_AGE = re.compile(r"อายุ\s*(?:\d{1,2}|" + _THAI_NUMBER_WORD + r")(?!\d)(?:\s*ปี)?")
# The writer telling their own age and their own schooling or wish, and asking for no one else: the writer
# is the learner, whoever else the message names ("เพื่อนผมอายุ 20 จบ กศน. ไปแล้ว ผมอายุ 18 ออกตอน ม.5 อยาก
# เรียนบ้าง", "แฟนหนูอายุ 24 จบ ม.6 แล้ว หนูอายุ 19 จบ ม.3").
_WRITER_OWN_STORY = re.compile(
    r"(?:(?<![ก-๛])|(?<=ส่วน)|(?<=แต่)|(?<=เลย))(?:ผม|หนู|ฉัน|ดิฉัน|เรา|ข่อย|กู)(?:เอง)?\s*(?:อายุ\s*)?"
    r"(?:\d{1,2}\s*(?:ปี)?\s*)?(?:ก็|เลย|ก็เลย|ครับ|ค่ะ|คะ|นะ|แล้ว)?\s*(?:อยาก|ออก|จบ|เรียนถึง|เคยเรียน|ไม่ได้เรียน)"
)
_ASKS_FOR_ANOTHER = re.compile(
    r"(?:ให้|แทน)\s*(?:เพื่อน|น้อง|พี่|หลาน|ลูก|เขา|เค้า|แฟน|สามี|ภรรยา|เมีย|ผัว|มัน|ไอ้|คน)|ถามเรื่อง"
    r"|เลี้ยง(?:ดู)?\s*(?:น้อง|หลาน|เหลน|เขา|เค้า|มัน)|เป็นคนเลี้ยง"
    r"|ที่จะ(?:สมัคร|เรียน)|ฝาก|อยากให้\s*(?!ผม|หนู|ตัว)|(?<![a-z])(?:for (?:my|her|him)|she|he)(?![a-z])"
)


# Before ผม/หนู …, a person they belong to ("น้องชายผม", "แฟนหนู", romanised "nong chai phom"): not the writer.
_OWNER_BEFORE = re.compile(
    r"(?:ชาย|สาว|น้อง|พี่|แฟน|เพื่อน|แม่|พ่อ|ลูก|หลาน|สามี|ภรรยา|เมีย|ผัว|ของ|chai|sao|nong|phi|pee|fan|mae|por|luk|look"
    r"|phuen|puen|khong|kong)\s*$"
)


def _the_writers(pattern: re.Pattern[str], text: str) -> bool:
    """`pattern` is said of the writer somewhere in `text`, not of someone the writer owns ("แฟนผมอายุ 20")."""
    return any(not _OWNER_BEFORE.search(text[max(0, m.start() - 8) : m.start()]) for m in pattern.finditer(text))


def writer_is_learner(text: str) -> bool:
    """The writer tells their own age (13 or more) and their own leaving, finishing or wish, and asks for no
    one else: the message is about the writer, not the friend, sibling or partner it also names."""
    return (
        not _ASKS_FOR_ANOTHER.search(text)
        and _the_writers(_WRITER_OWN_AGE, text)
        and _the_writers(_WRITER_OWN_STORY, text)
    )


# A sibling named, which alone makes the role "other" ("น้องสาวผมจบ ม.6 แล้ว แต่ลูกผมออกตอน ม.2").
_SIBLING_OTHER = re.compile(r"(?:น้อง|พี่)(?:ชาย|สาว)")
# A person named only to deny it ("ไม่ได้สมัครให้ลูกนะ", "ไม่ใช่หลาน").
_DENIED_PERSON = re.compile(r"(?:ไม่ใช่|ไม่ได้\S{0,8}(?:ให้|แทน))\s*$")


def learner_parts(text: str) -> tuple[str, str, bool]:
    """(text about the learner, text where the learner's home may be named, two learners unmarked).

    The learner is the child when one is named, else a student or friend the speaker writes for,
    else the speaker, else a relative. A parent's own age, a sibling's grade are left out; places
    are left out only when said of another adult or a relative."""
    said, home_text, two, _learner = _learner_reading(text)
    return said, home_text, two


def learner_is_child(text: str) -> bool:
    """The message is about a child of the writer's (ลูก, หลาน …) more than anyone else it names."""
    return _learner_reading(text)[3] == "child"


@lru_cache(maxsize=256)
def _learner_reading(text: str) -> tuple[str, str, bool, str]:
    """`learner_parts` and the kind of person the learner is (child, ward, speaker, kin, adult, none)."""
    spans: list[tuple[int, str]] = []
    speaking = {m.group(1) for m in _ADULT_SPEAKER.finditer(text)}
    for match in _PERSON_RE.finditer(text):
        kind = match.lastgroup or ""
        joined = re.search(
            r"(?:กับ|โดน|ถูก|ตาม|ช่วย|ดูแล|เลี้ยง|เฝ้า|หา|(?P<has>มี))\s*$", text[max(0, match.start() - 4) : match.start()]
        )
        # "ครูมีลูกศิษย์ชื่อ…", "มีนักเรียน…": a teacher's student is introduced, the learner
        if (joined and not (joined.group("has") and kind in ("ward", "child"))) or re.search(
            r"อยู่นำ\s*$", text[max(0, match.start() - 7) : match.start()]
        ):
            continue  # "อยู่กับยาย", "อยู่นำยาย", "โดนเพื่อนแกล้ง", "ไปช่วยลุงทำงาน": no new person the details are about
        if _DENIED_PERSON.search(text[max(0, match.start() - 16) : match.start()]):
            continue  # "ไม่ได้สมัครให้ลูกนะ สมัครให้ตัวเอง"
        if (
            kind == "child"
            and _BABY_AFTER.match(text, match.end())
            and re.search(r"ท้อง|ตั้งครรภ์|คลอด|มีลูก", text[: match.start()])
        ):
            continue  # "หนูตั้งท้องตอน ม.4 … ตอนนี้ลูกหนูเข้าอนุบาลแล้ว": the learner's own baby
        if kind == "child" and spans and spans[-1][1] == "child" and re.search(r"ให้\s*$", text[: match.start()]):
            continue
        child_before = _CHILD_OF.search(text[max(0, match.start() - 10) : match.start()])
        if kind == "adult" and child_before:
            # "ลูกสาวแม่อายุ 17", "ป้าเองจ้า หลานป้าอายุ 16": the adult's child, told with the adult as owner
            if spans and spans[-1] == (match.start() - len(child_before.group()), "child"):
                continue
            spans.append((match.start() - len(child_before.group()), "child"))
            continue
        if kind == "adult" and match.group().startswith(tuple(speaking)):
            kind = "speaking_adult"  # "ยายเองนะ … ยายอยู่ อ.ท่าตูม": the grandparent who writes, at home
        if kind == "child" and (
            _BABY_AGE.match(text, match.end()) or (_YOUNG_AGE.match(text, match.end()) and _WRITER_OWN_AGE.search(text))
        ):
            kind = "baby"  # "ผมอายุ 22 ลูกผมอายุ 3 ขวบ", "ตัวเองอายุ 24 ลูกอายุ 5 ขวบ": the speaker's own child
        spans.append((match.start(), kind))
        if kind in ("adult", "kin", "speaking_adult", "baby"):
            # Another person's stretch ends with its clause ("ลุงทำงานที่ภูเก็ต แต่ลูกอยู่ …").
            own = _OWN_NAME_AGE.match(text, match.end())  # "แม่ชื่อนางบุญเรือนนะคะ อายุ 39": theirs to the age
            closing = _CLAUSE_END.search(text, own.end() if own else match.end())
            if closing:
                spans.append((closing.end(), "none"))  # the joining word stays with the clause it closes
    if speaking or _ADULT_INTRO.search(text) or re.search(_GUARDIAN_SAYS, text):
        taken = {start for start, _ in spans}
        spans.extend((m.start(), "child") for m in _NONG_CHILD.finditer(text) if m.start() not in taken)
    firsts = [start for start, kind in spans if kind in ("child", "ward")]
    if firsts:
        # "ป้าเองจ้ะ อายุ 52 อยากถามให้หลานสาว อายุ 18": the writer's own details, before the child
        spans.extend((m.start(), "speaking_adult") for m in _ADULT_INTRO.finditer(text) if m.start() < min(firsts))
    spans.sort()
    # "ลูกสาวอายุ 22 … ตอนนี้มีลูกสองคน": after a child is named, the children they have are theirs
    named = [start for start, kind in spans if kind == "child"]
    # "ผมกับแฟนอยากเรียนด้วยกัน ผม 19 แฟน 18 ออกตอน ม.5 ทั้งคู่": the writer is one of the two, and the
    # message is theirs; "พ่อแม่ผมจบ ป.4 ทั้งคู่": the parents both, no second learner
    pair = not ({"child", "ward"} & {kind for _, kind in spans}) and bool(
        _WRITER_IN_PAIR.search(text) or _SPEAKER_WISHES.search(text)
    )
    two = any(
        not (m.group().startswith("มีลูก") and named and named[0] < m.start())
        and not (m.group() in ("ทั้งคู่", "ทั้งสองคน") and (pair or _PARENTS_BOTH.search(text[: m.start()])))
        for m in _TWO_CHILDREN.finditer(text)
    )
    if not spans:
        said, two = _one_of_several(text, two)  # "ยายมีหลานสองคน คนโตชื่อนัท … อยากให้นัทเรียน"
        return said, text, two, "none"
    kinds = {kind for _, kind in spans}
    learner = next((kind for kind in ("child", "ward", "speaker", "kin", "adult") if kind in kinds), "none")
    if (
        learner == "ward"
        and "speaker" in kinds
        and ((_SPEAKER_WISHES.search(text) and not _FOR_OTHER.search(text)) or writer_is_learner(text))
    ):
        # "เพื่อนผมจบ กศน. ไปแล้ว … ผมเลยอยากเรียนบ้าง", "เพื่อนหนูอายุ 19 ค่ะ หนูอายุ 17 ออกตอน ม.4": the friend
        # only told of it
        learner = "speaker"
    elif learner == "speaker" and "kin" in kinds and _FOR_KIN.search(text):
        learner = "kin"  # "น้องชายหนูอายุ 13 … หนูเป็นพี่สาว อยากสมัครให้น้อง"
    if learner in ("speaker", "none", "adult") and {"adult", "kin"} & kinds and (
        _FOR_PARTNER.search(text) or _PARTNER_ASKED_FOR.search(text)
    ):
        # "ถามให้แฟนค่ะ แฟนอายุ 22 จบ ม.2 ส่วนหนูจบ ม.6", "ลูกพี่ลูกน้องหนูอายุ 18 … หนูเลยถามแทนค่ะ": the
        # partner or the cousin asked for
        learner = "adult" if "adult" in kinds else "kin"
    # "ผมเป็นผู้ปกครองน้อง … ผมอายุ 25 น้องชายอายุ 15": the writer's own age is not the learner's; the text
    # about the sibling is the learner's, with the writer's age left out.
    writer_aside = (
        learner == "speaker"
        and bool(_KIN_WITH_AGE.search(text))
        and bool(_ADULT_WRITER_AGE.search(text) or extract_role(text) == "parent")
        and not _WRITER_STUDIES_TOO.search(text)
    )
    bounds = [(0, "none")] + spans + [(len(text), "end")]
    # "ดิฉันอายุ 42 ปีค่ะ มีลูกสาวอายุ 16", "ครูประจำชั้นค่ะ อายุ 34 ปี มีนักเรียน… อายุ 14": an age said before
    # the child or student is named, when they have an age of their own, is the writer's.
    writer_lead = learner in ("child", "ward") and any(
        kind == learner and _OWN_AGE.search(text[start:end])
        for (start, kind), (end, _next) in zip(bounds, bounds[1:], strict=False)
    )
    about: list[str] = []
    home: list[str] = []
    dropped: list[str] = []  # the pieces left out of the home text
    for (start, kind), (end, _next) in zip(bounds, bounds[1:], strict=False):
        piece = text[start:end]
        if writer_lead and start == 0 and kind == "none":
            piece = _LEAD_AGE.sub(" ", piece)
        # A piece left out leaves a space, so the pieces either side do not run into one word.
        if (
            kind in ("none", learner)
            or (writer_aside and kind == "kin")
            or (learner == "child" and kind == "speaker" and not re.search(r"\d", piece))
            or (learner == "child" and kind == "speaker" and _SPEAKER_ACTS_ON_CHILD.match(piece))
        ):
            about.append(piece)
        elif pair and kind in ("adult", "kin") and re.search(r"ทั้งคู่|ทั้งสองคน|เหมือนกัน", piece):
            # "แฟน 18 ออกตอน ม.5 ทั้งคู่": what the two share is the writer's too, but for the other's age
            about.append(" , " + _OTHERS_OWN.sub(" ", piece, count=1))
        elif about and about[-1] != " , ":
            about.append(" , ")  # a mark, so the words either side do not read as one phrase ("ตั้งแต่ … อายุ 16")
        if kind not in ("adult", "kin", "baby") or kind == learner:  # a writing grandparent's home is the learner's
            home.append(piece)
        else:
            dropped.append(piece)
            if home and home[-1] != " ":
                home.append(" ")
    said, two = _one_of_several("".join(about), two)
    if writer_aside:
        said = _ADULT_WRITER_AGE.sub(lambda m: m.group()[: m.start("age") - m.start()] + " ", said)
    home_text = "".join(home)
    if dropped and _home_only_with_others(home_text, dropped, said):
        # "แม่อยู่ อ.ศรีราชาค่ะ", "ยายอยู่ อ.สามเงา": the only place of the message is named beside another
        # person, whom the learner mostly lives with; the place reader judges it as any other place.
        home_text = text
    if speaking:
        # "ลุงเองจ้ะ … ลุงอยู่ อ.ปากพนัง": the writer's home, where the child lives, not a relative's elsewhere
        writers = "|".join(sorted(speaking))
        home_text = re.sub(rf"(?:{writers})(?=(?:เอง|เขา|ก็)?\s*อยู่)", "", home_text)
    return said, home_text, two, learner


# Words that place the learner away from the people named ("ลูกอยู่ต่างจังหวัด", "ไม่ได้อยู่กับแม่"); not
# ต่างประเทศ (said of a parent working abroad) nor ไปอยู่กับ (moving in with the relative named).
_LEARNER_ELSEWHERE = re.compile(r"ต่างจังหวัด|คนละ\s*(?:ที่|จังหวัด|อำเภอ|บ้าน|ทาง)|ไม่ได้อยู่\s*(?:ด้วย|กับ|บ้าน)|แยกกันอยู่")


# Said before a place in another person's piece: where someone lives, not where they studied ("จบ ม.ขอนแก่น").
_LIVES_BEFORE = re.compile(r"อยู่|บ้าน|ภูมิลำเนา|แถว")


def _home_only_with_others(home_text: str, dropped: list[str], about: str) -> bool:
    """No place is named in the learner's own text, one is said as where someone lives in a piece about
    another person, and nothing says the learner lives away from them: that place is likely the learner's
    home too."""
    if _LEARNER_ELSEWHERE.search(about):
        return False
    names = _place_index().pattern
    # A cheap look for a place name said after a word of living first; the rules' reading of it only then.
    if not any(
        _LIVES_BEFORE.search(piece[max(0, m.start() - 24) : m.start()])
        for piece in dropped
        for m in names.finditer(piece)
    ):
        return False
    lived = any(
        _LIVES_BEFORE.search(piece[max(0, m.start - 24) : m.start]) for piece in dropped for m in place_mentions(piece)
    )
    return lived and not place_mentions(home_text)


def _only_babies(text: str) -> bool:
    """Every child named is told as a baby or a toddler: the writer's own, not one to register."""
    children = [m for m in _PERSON_RE.finditer(text) if m.lastgroup == "child"]
    if re.search(_GUARDIAN_SAYS, text) or _ADULT_INTRO.search(text):
        return False  # "แม่ของน้องแก้วเจ้า … ตอนนี้ลูกเขาสองขวบแล้ว": the learner's baby; the writer is a parent
    return bool(children) and all(_BABY_AGE.match(text, m.end()) for m in children)


# One child among several, by rank ("คนโตจบ ม.6 แล้ว คนเล็กอายุ 15 ออกตอน ม.2 อยากให้คนเล็กเรียน"), or by
# the child word when ranks are not said ("ลูกสาวอายุ 17 ออกตอน ม.5 ลูกชายอายุ 15 ยังเรียนอยู่").
_RANK = re.compile(r"คน(โต|เล็ก|กลาง|พี่|น้อง|แรก|สุดท้อง|ที่\s*\d)")
_KIN_WORD = re.compile(r"(?:ลูก|หลาน)(ชาย|สาว)(?!\s*(?:ทั้ง|สองคน|2\s*คน))")
# The elder and the younger, as a message may point at one of two children told apart another way.
_ELDER = {"โต", "พี่", "แรก"}
_YOUNGER = {"เล็ก", "น้อง", "สุดท้อง"}
# A child's nickname told in their stretch ("คนโตชื่อนัท 16 ปี").
_NICKNAME = re.compile(r"ชื่อ\s*(?:น้อง)?([ก-๛]{2,10}?)(?=\s|\d|อายุ|$)")
# Both children meant, or told as one ("ออกทั้งคู่", "อยากให้เรียนทั้งสองคน", "สมัครพร้อมกัน").
_BOTH_MEANT = re.compile(r"ทั้งคู่|ทั้ง\s*(?:สอง|2)\s*คน|พร้อมกัน|ทุกคน|ด้วยกัน")
# A child told as settled: working, still in school, married, or done with school.
_SETTLED = r"ทำงานแล้ว|ทำงานอยู่|เรียนอยู่|ยังเรียน|จบ\S{0,12}แล้ว|มีงานทำ|แต่งงาน"


def _one_of_several(about: str, two: bool) -> tuple[str, bool]:
    """With children told apart by rank (or by the child word, ลูกสาว/ลูกชาย), the text about the one the
    message is for: the one named after ให้ ("สมัครให้คนเล็ก", "อยากให้นัทเรียน", "อยากให้คนพี่เรียน"),
    else the only one told as having left school, else the only one not told as settled."""
    marks = [(m, m.group(1)) for m in _RANK.finditer(about)]
    if len({key for _m, key in marks}) < 2:
        if not two:
            return about, two  # the child words alone tell apart only children already told as two
        marks = [(m, m.group(1)) for m in _KIN_WORD.finditer(about)]
        if len({key for _m, key in marks}) < 2:
            return about, two
    stretches: dict[str, list[str]] = {}
    for (here, key), after in zip(marks, [m for m, _k in marks[1:]] + [None], strict=False):
        stretches.setdefault(key, []).append(about[here.start() : after.start() if after else len(about)])
    keys = "|".join(re.escape(key) for key in stretches)
    meant = {m.group(1) for m in re.finditer(rf"ให้\s*(?:คน|ลูก|หลาน)({keys})", about)}
    denied = {m.group(1) for m in re.finditer(rf"ไม่ใช่\s*(?:ลูก|หลาน)?\s*(?:ชาย|สาว)?\s*คน({keys})", about)}
    if not meant and denied and len(set(stretches) - denied) == 1:
        meant = set(stretches) - denied  # "ลูกคนกลางนะคะ อายุ 15 ไม่ใช่คนโต": the one not denied
    if len(meant) != 1:
        # by nickname ("คนโตชื่อนัท … ยายอยากให้นัทเรียน")
        names = {
            name: key
            for key, texts in stretches.items()
            for text in texts
            for name in _NICKNAME.findall(text)
        }
        meant = {names[m.group(1)] for m in re.finditer(r"ให้\s*(?:น้อง)?([ก-๛]{2,10})", about) if m.group(1) in names}
        if len(meant) != 1:
            for m in re.finditer(r"ให้\s*(?:น้อง)?([ก-๛]{2,10})", about):
                found = {key for name, key in names.items() if m.group(1).startswith(name)}
                if len(found) == 1:
                    meant = found
                    break
    if len(meant) != 1 and marks[0][0].re is _KIN_WORD:
        # "อยากให้คนพี่เรียน" with the children told as ลูกสาว/ลูกชาย: the elder by the ages told
        wanted = {m.group(1) for m in re.finditer(r"ให้\s*คน(โต|เล็ก|พี่|น้อง|แรก|สุดท้อง)", about)}
        ages = {
            key: [int(a) for t in texts for a in re.findall(r"(?<![\d.])(\d{1,2})(?!\d)", t)]
            for key, texts in stretches.items()
        }
        if len(wanted) == 1 and all(len(found) == 1 for found in ages.values()):
            pick = max if wanted <= _ELDER else min if wanted <= _YOUNGER else None
            if pick is not None and len({found[0] for found in ages.values()}) == len(ages):
                meant = {pick(ages, key=lambda key: ages[key][0])}
    if len(meant) != 1 and _BOTH_MEANT.search(about):
        return about, True  # "… ออกจากโรงเรียนทั้งคู่", "อยากให้เรียนทั้งสองคน": both, so neither's details
    if len(meant) != 1:
        meant = {rank for rank, texts in stretches.items() if any(_LEFT.search(t) for t in texts)}
    if len(meant) != 1:
        # the one not told as settled ("คนโตทำงานแล้ว", "คนพี่เรียนอยู่ ม.5", "ลูกชายยังเรียนอยู่")
        meant = {rank for rank, texts in stretches.items() if not any(re.search(_SETTLED, t) for t in texts)}
    if len(meant) != 1:
        return about, True  # two children and no sign of which one
    chosen = meant.pop()
    return about[: marks[0][0].start()] + " " + " ".join(stretches[chosen]), False


# A message that asks whether someone can study ("… เรียนได้ไหม"), and words that tell a leaving.
_QUESTION_ONLY = re.compile(r"ได้\s*(?:ไหม|หรือเปล่า|หรือไม่|เหรอ|รึเปล่า|ป่าว|มั้ย)\s*(?:คะ|ครับ|ค่ะ|คับ|จ้า|นะ)?\s*\??\s*$")
_LEAVING_TOLD = re.compile(r"ออก|เลิก|หยุด|ดรอป|ทิ้ง|ไม่ได้(?:ไป)?เรียน|ไม่ได้ไป|ค้าง|เพราะ|เนื่องจาก|ไม่จบ|จบ|ถึง\s*(?:ม|ป)\.")


def _asked_with(text: str, reason: str) -> bool:
    """The reason is said in the question's own clause ("ท้องอยู่เรียนได้ไหม"), not told before it
    ("ลูกไม่มีบัตรประชาชนค่ะ อายุ 15 … สมัครได้ไหมคะ")."""
    pattern = dict(_REASONS)[reason]
    said = list(pattern.finditer(text))
    if not said:
        return False
    rest = text[said[-1].end() :]
    return len(rest) <= 24 and not re.search(r"(?:ค่ะ|ครับ|คะ|นะ|จ้า)\s", rest)


def extract_entities(text: str, today: date, learned: bool = True) -> dict[str, Any]:
    """Every entity stated in normalised `text`, about the learner. With `learned`, the learned reader of
    whose age and level a message tells (`nlp.mentions`) gives those the rules leave empty."""
    text = latin_words(text)
    entities = _rule_entities(text, today)
    if learned:
        entities = mentions.complete(text, entities)
    return entities


def _rule_entities(text: str, today: date) -> dict[str, Any]:
    entities: dict[str, Any] = {}
    phone = extract_phone(text)
    if phone:
        entities["phone"] = phone
    full = text
    text, home_text, two_learners = learner_parts(full)
    # Remove phones, IDs and postal-code-like long numbers so their digits are not read as ages.
    scrubbed = _PHONE_RE.sub(" ", text)
    scrubbed = re.sub(r"\d{6,}", " ", scrubbed)
    birth = extract_birth_year(scrubbed, today)
    if birth:
        entities["birth_year_be"] = birth
        scrubbed = re.sub(r"(?:เกิด|ปีเกิด)?\s*(?:ปี|พ\.?ศ\.?|ค\.?ศ\.?)?\s*" + str(birth)[2:] + r"|\d{4}", " ", scrubbed)
    grade, status = extract_grade(scrubbed)
    if grade:
        entities["grade"] = grade
    if status:
        entities["grade_status"] = status
    no_grades = _GRADE_RE.sub(" ชั้น ", scrubbed)  # a level leaves a word: "12 ปี จบ ป.6" is an age
    age = extract_age(re.sub(r"(?<!\d)\d{5}(?!\d)", " ", no_grades))
    if age is not None:
        entities["age"] = age
    if two_learners:
        # Two children and no sign of which one: neither's age, level or status (even one they
        # share: "ลูกแฝด อายุ 15 ทั้งคู่ ออกตอน ม.2" gives none, as the development sets label it).
        for key in ("age", "grade", "grade_status", "birth_year_be"):
            entities.pop(key, None)
    entities.update(extract_places(home_text))
    role = extract_role(full)
    if (
        role == "other"
        and not _PARTNER_ASKED_FOR.search(full)
        and not _FOR_PARTNER.search(full)
        and (not re.search(_PERSONS[2][1], full) or (_SPEAKER_WISHES.search(full) and not _FOR_OTHER.search(full)))
        and not _FOR_KIN.search(full)
        and "speaker" in {m.lastgroup for m in _PERSON_RE.finditer(full)}
    ):
        role = extract_role(full, skip=("other",))  # "พี่ชายจบ ม.6 แต่หนูเรียนถึงแค่ ม.2": the sibling is no learner
    if role == "other" and writer_is_learner(full):
        role = extract_role(full, skip=("other",))  # "เพื่อนผมอายุ 20 จบแล้ว ผมอายุ 18 ออกตอน ม.5": the writer's
    if role == "other" and _SIBLING_OTHER.search(full):
        rest = extract_role(_SIBLING_OTHER.sub(" ", full))
        if rest == "parent" and learner_is_child(full):
            role = "parent"  # "น้องสาวผมจบ ม.6 แล้ว แต่ลูกผมออกตอน ม.2": the writer's child is the learner
    if role == "parent" and _only_babies(full) and {"age", "grade", "grade_status"} & set(entities):
        role = extract_role(full, skip=("parent",))  # "ผมอายุ 22 ลูกผมอายุ 3 ขวบ": a young parent who studies
    if role:
        entities["role"] = role
    reason = extract_reason(text)
    if reason and _QUESTION_ONLY.search(text) and not _LEAVING_TOLD.search(text) and _asked_with(text, reason):
        reason = None  # "ไม่มีบัตรประชาชนเรียนได้ไหม", "ท้องอยู่เรียนได้ไหม": asked about, not why they left
    reason = reasons.read_reason(text, full, reason)
    if reason:
        entities["reason"] = reason
    path = extract_path(text)
    if (
        not path
        and entities.get("grade")
        and not str(entities["grade"]).startswith(("pvc", "vocational"))
        and re.search(r"ปวช(?!\.?\s*(?:ปี\s*)?\d)", text)
    ):
        path = "vocational"  # "ม.ต้น แล้วออก ปวช": a level reached, then the vocational path wished for
    if (
        path == "vocational"
        and str(entities.get("grade", "")).startswith(("pvc", "vocational"))
        and entities.get("grade_status")
        and not re.search(
            r"สายอาชีพ|สายช่าง|อาชีวะ|(?:อยาก|จะ|สนใจ|ต่อ)(?:ให้\S{0,8}?)?\s*(?:เรียน)?\s*ปวช|ปวส|สายวิชาชีพ|เรียนช่าง", text
        )
    ):
        path = None  # "เรียน ปวช.2 ไม่จบ": the level reached
    if path:
        entities["path"] = path
        if (
            path == "vocational"
            and entities.get("grade") == "vocational"
            and not re.search(r"(?:จบ|ออก|เรียนถึง|ค้าง|(?<!อยาก)(?<!จะ)(?:แล้ว|ก็)\s*(?:ไป)?\s*(?:เรียน)?\s*ต่อ)\s*ปวช", text)
        ):
            del entities["grade"]
            entities.pop("grade_status", None)
    return entities
