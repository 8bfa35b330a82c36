"""The dialogue's readings of a message: what it answers to the question just asked.

`Understanding.answer` (computed on first use, from the text, the intent and the entities) is an
`Answer`; the dialogue reads these properties and never looks at the raw text itself. Also
`bare_entities(text, expecting)`: the entity a bare answer gives for the slot just asked
("17" → age, used by `understand(..., expecting=...)`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

import geothai

from nlp.normalize import normalize

if TYPE_CHECKING:
    from nlp.understanding import Understanding

LOCATION_KEYS = ("province", "district", "subdistrict", "postal_code")
# A place answer is a few words: longer text is never compared letter by letter with place names.
MAX_PLACE_ANSWER = 40

_POLITE_TAIL = re.compile(
    r"(?:\s*(?:ครับผม|ครับ|คร้าบ|ค้าบ|คับ|ฮับ|ค่ะ|ค่า|คร่า|คร้า|คะ|(?<!วัง)(?<!กะ)(?<!พระ)เจ้า|จ้า|จ้ะ|จ๊ะ|"
    r"นะคะ|นะครับ|นะ|เด้อ|เด้"
    r"|เน้อ|ฮะ|ค่ะๆ|[!.~ๆ😊🙏👍]))+\s*$"
)


@lru_cache(maxsize=256)
def squeezed(text: str | None) -> str:
    """The message with single spaces."""
    return re.sub(r"\s+", " ", text or "").strip()


@lru_cache(maxsize=256)
def norm(text: str | None) -> str:
    """The message as a quick-reply label would be typed: single spaces, no polite tail."""
    said = squeezed(text)
    return _POLITE_TAIL.sub("", said).strip() or said


def plain(text: str | None) -> str:
    """`norm`, with dialect and chat spellings made standard ("จำบ่ได้" → "จำไม่ได้")."""
    return normalize(norm(text))


# --- answers that give no value ---------------------------------------------------------------------

_UNKNOWN = re.compile(
    r"^(?:ไม่รู้|ไม่ทราบ|ไม่ทราบเขต|ไม่แน่ใจ|ไม่รู้อำเภอ|ไม่ทราบอำเภอ|จำไม่ได้|บ่รู้|บ่ฮู้|บ่แน่ใจ|"
    r"ไม่รู้เหมือนกัน|ข้าม|ไม่รู้จัก|ลืม)"
)
_SKIP = re.compile(
    r"^(?:ข้าม|ไม่อยากบอก|ไม่บอก|ไม่ตอบ|ไม่อยากตอบ|ผ่าน|skip|ไม่มี$|ไม่มีอะไร|ไม่มีเหตุผล|ไม่ระบุ|"
    r"ไม่สะดวกบอก|บ่บอก|บ่อยากบอก"
    r"|ไว้ก่อน|ยังไม่บอก|ขอไม่(?:บอก|ตอบ|ระบุ|อยากบอก)|ขอข้าม|ขอผ่าน)", re.IGNORECASE)
_REFUSES = re.compile(r"ไม่(?:อยาก|สะดวก)?(?:บอก|ให้|ตอบ)|ไม่ทราบ|ไม่รู้|จำไม่ได้|ไม่แน่ใจ|^ไม่มี")
_QUESTION = re.compile(r"ไหม|มั้ย|อะไร|ยังไง|อย่างไร|เหรอ|หรอ|ที่ไหน|เท่าไหร่|ทำไม|หรือเปล่า|รึเปล่า|\?")
# A question or a request inside a message (on the normalised text).
_ASKS = re.compile(
    r"ไหม|หรือเปล่า|รึเปล่า|หรือยัง|อะไร|อย่างไร|เหรอ|หรอ|ไหน|เท่าไหร่|เมื่อไหร่|กี่|ได้บ้าง|ใคร|คืออะไร|"
    r"ต่างกัน|ทำไม|\?"
    r"|^(?:ขอ)?(?:ถาม|สอบถาม)|อยากรู้|อยากทราบ|^ขอ(?:ทราบ|เบอร์|ที่อยู่|ข้อมูล|แผนที่)"
)
_NOT_ASKING = re.compile(
    r"ไม่มีอะไร|(?:อะไร|ไหน|ใคร)ก็ได้|ไม่มีใคร|ไม่รู้อะไร|ไม่(?:รู้|ทราบ)(?:ว่า)?(?:อยู่)?(?:อำเภอ|เขต|จังหวัด)?ไหน"
)
# A wish to study ("ผมยังอยากเรียนอยู่", "อยากกลับไปเฮียน"), not its negation ("ไม่อยากเรียน").
_WANTS_STUDY = re.compile(r"(?<!ไม่)(?<!บ่)(?<!ไม่ค่อย)อยาก(?:จะ)?(?:กลับ(?:ไป|มา))?(?:เรียน|เฮียน)")
_ASKS_TO_SKIP = re.compile(r"^(?:ขอ)?(?:ไม่บอก|ข้าม|ไม่ตอบ|ไม่ใส่|ไม่ให้|ไม่ต้อง)(?:ได้)?(?:ไหม|ได้ไหม|ได้หรือเปล่า)")
# "เดี๋ยวก่อน", "รอแป๊บ", "ขอเช็คก่อน": not yet; nothing is sent or dropped.
_WAIT = re.compile(
    r"^(?:เดี๋ยว|รอ(?:ก่อน|แป๊บ|สักครู่)|แป๊บ|ขอ(?:เช็ค|ดู|คิด|ตรวจ)(?:ก่อน)?|ยังก่อน"
    r"|ยังไม่(?:ยืนยัน|ส่ง))"
)
_NEGATIVE = re.compile(r"^(?:ไม่|อย่า|ยังไม่|ไม่ต้อง)")
_RESTART = re.compile(r"^(?:เริ่มใหม่|เริ่มต้นใหม่|ขอเริ่มใหม่|restart|reset)")

# --- yes and no ----------------------------------------------------------------------------------------

_NO = re.compile(r"^(?:ไม่ยินยอม|ไม่ยอม|ไม่ให้|ไม่ตกลง|ไม่เอา|ไม่สะดวก|ไม่อนุญาต|ไม่ค่ะ|ไม่ครับ|ไม่$|ไม่ใช่)")
_YES = re.compile(
    r"^(?:ยินยอม|ยอม|ตกลง|โอเค|ok(?:ay)?(?![a-z])|ได้(?!ยิน|วุฒิ|ข่าว|ไหม)|ยินดี|เอา(?=$|\s|ค่ะ|ครับ)|ใช่|"
    r"ค่ะ|ครับ|เจ้า|อนุญาต"
    r"|ให้(?:เก็บ|ส่ง)?(?:ข้อมูล)?(?:ได้|เลย)|ไม่มีปัญหา|เรียบร้อย|ถูก(?:ต้อง|หมด|แล้ว|ค่ะ|ครับ|$)|"
    r"ครบ(?:แล้ว)?|ส่ง(?:ได้|เลย)"
    r"|👍|🙆|✅)"
)
_CONSENTS = re.compile(r"(?<!ไม่)ยินยอม")

# --- questions about the questions --------------------------------------------------------------------

_PRIVACY = re.compile(
    r"ข้อมูล.{0,25}(?:ทำอะไร|ไปไหน|ใคร|ปลอดภัย|รั่ว|ขาย|ใช้ผิด|เก็บไว้|นานแค่ไหน|ไปใช้|ถูกใช้)|(?:ใคร|"
    r"ทำไม).{0,20}ข้อมูล"
    r"|ทำไม.{0,12}ยินยอม|ไม่ยินยอม(?:ได้ไหม|แล้วจะ)"
    r"|ความเป็นส่วนตัว|pdpa|privacy|(?:ให้|ขอ|เก็บ)ข้อมูลอะไร",
    re.IGNORECASE,
)
# Asked at the consent question, these are about the data even without the word ข้อมูล.
_PRIVACY_AT_CONSENT = re.compile(
    r"ปลอดภัย|ความลับ|รั่ว|เปิดเผย|เอาไปขาย|ใคร(?:จะ)?เห็น|เอาไป(?:ทำ|ใช้)|เก็บอะไร|เก็บไว้"
)
# "ทำไมต้องถาม", "ถามทำไม", "จะเอาไปทำอะไร": why the pending question is asked.
_WHY_ASK = re.compile(
    r"ทำไม(?:ต้อง|ถึง)?(?:ถาม|บอก|รู้|ขอ|ใช้|ให้)|(?:ถาม|ขอ|รู้)(?:ไป)?ทำไม|เอาไป(?:ทำ|ใช้)อะไร|จะเอาไปทำไม"
)
_ABOUT_BOT = re.compile(
    r"บอท|หุ่นยนต์|\bbot\b|\bai\b|เป็นคน(?:จริง)?(?:หรือ|ไหม|รึ)|คุณ(?:เป็น)?ใคร|(?:คุณ|แอด(?:มิน)?)ชื่ออะไร"
)
_PATH_QUESTION = re.compile(r"ต่างกัน|คืออะไร|แบบไหน|อันไหน|อย่างไร|ดีกว่า|แนะนำ|เรียนอะไร|สายไหน")

# Words that name a field of the summary ("เบอร์ผิด", "แก้ที่อยู่").
_FIELD_WORDS = (
    ("phone", ("เบอร์", "โทร")),
    ("name", ("ชื่อ",)),
    ("age", ("อายุ", "ปีเกิด")),
    ("grade", ("ชั้น", "ระดับ", "จบ")),
    ("location", ("ที่อยู่", "อำเภอ", "จังหวัด", "บ้าน", "เขต")),
    ("reason", ("สาเหตุ", "เหตุผล")),
    ("path", ("สาย",)),
    ("role", ("ผู้สมัคร", "สมัครให้")),
)

# --- names --------------------------------------------------------------------------------------------

# "ชื่อต้น", "ชื่อเล่นว่าฝน", "ลูกชื่อน้องมายด์" inside a longer message.
_NAMED = re.compile(
    r"ชื่อ(?:เล่น|จริง)?(?:ว่า|คือ|เป็น)?\s*((?:น้อง)?[ก-๛A-Za-z]{1,30}?)"
    r"(?=\s|$|ครับ|คับ|คร้าบ|ค่ะ|คะ|ค่า|คร่า|คร้า|เจ้า|จ้า|จ้ะ|นะ|เด้อ|ก็ได้|อายุ|อยู่|จบ|เรียน|เกิด|เบอร์|"
    r"โทร|ออก|เลข|[0-9,.!])"
)
_NOT_NAMES = re.compile(
    r"ไม่|บ่|อยาก|ทำไม|อะไร|ไหม|มั้ย|ยังไง|อย่างไร|เหรอ|หรอ|ที่ไหน|เท่าไหร่|ได้ไหม|\?|"
    r"สมัคร|เรียนต่อ|กลับไปเรียน|ยินยอม|ยืนยัน|ตกลง|โอเค|ถูกต้อง|สวัสดี|หวัดดี|ขอบคุณ|เจ้าหน้าที่|ข้อมูล|เอกสาร|"
    r"ถูก|ผิด|แก้(?:ไข|ชื่อ|เป็น|ให้)|เปลี่ยน"
)
# A yes or a no is no name ("ได้ค่ะ" said to the name question meant the consent before).
_YES_NO_WORD = re.compile(
    r"^(?:ได้|ใช่|โอเค|ok|okay|ตกลง|ยินดี|เอา|แม่น|ถูก|อืม|อือ|อื้อ|เค|ครับ|ค่ะ|คะ|จ้า|จ้ะ|ค่า|เจ้า|ไม่|บ่|"
    r"ยืนยัน|ยินยอม|ครับผม)"
    r"(?:เลย|แล้ว|ค่ะ|ครับ|คะ|จ้า|ๆ)*$", re.IGNORECASE)
# Words that begin another answer after a name ("ข้าว ไม่สะดวกให้เบอร์", "ต่าย สายสามัญ").
_OTHER_ANSWER = re.compile(
    r"^(?:ไม่|บ่|ทาง|ติดต่อ|ใช้|สาย|อยาก|เอา|ต้อง|ที่บ้าน|ครับ|ค่ะ|คะ|จ้า|นะ|เด้อ|ปวช|ลูก|หลาน|เพื่อน)"
)
# A title before a name ("นายสมชาย", "ด.ญ.ฝน", Isan "บักเอ็ม"), dropped when a name follows it.
_TITLE = re.compile(
    r"^(?:นางสาว|นาย|นาง|น\.ส\.|ด\.ช\.|ด\.ญ\.|ดช\.?|ดญ\.?|เด็กชาย|เด็กหญิง|บัก|ไอ้)\s*(?=[ก-๛A-Za-z]{2,})"
)
_NAME_PREFIX = re.compile(
    r"^(?:(?:ผม|หนู|ฉัน|เรา|ข่อย|ลูก(?:สาว|ชาย)?|หลาน(?:สาว|ชาย)?|เขา|น้องเขา|ดิฉัน)\s*)?"
    r"(?:ชื่อ(?:เล่น|จริง)?(?:ว่า|คือ|เป็น)?|เรียก(?:ว่า)?)\s*"
)
_NAME_STOP = re.compile(
    r"\s*(?:อายุ|อยู่|จบ|เรียน|เกิด|เบอร์|โทร|ออก|เลข|ม\.|ป\.|(?<![ก-๛])มอ\s?\d|(?<![ก-๛])[มป]\s?\d|\d|ก็ได้).*$"
)
_PRONOUN_ONLY = re.compile(
    r"^(?:ผม|หนู|ฉัน|เรา|ข่อย|ดิฉัน|ตัวเอง|น้อง|ลูก(?:ชาย|สาว)?|หลาน(?:ชาย|สาว)?|เหลน|ลูกศิษย์|นักเรียน|เพื่อน|คนอื่น)"
    r"(?:เอง|ของ.*)?$"
)
_NOT_A_NAME_WORD = {
    "ผิด", "ถูก", "ใหม่", "เดิม", "ของ", "ด้วย", "อะไร", "ไม่", "ว่า", "คือ", "เล่น", "จริง", "น้อง", "เต็ม",
}
_NAME_INTENTS = ("inform", "out_of_scope", "greet", "enroll", "affirm", "thanks")

# --- numbers --------------------------------------------------------------------------------------------

_NUMBER_WORD = r"(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่|เอ็ด)+"
# A plain number standing alone in a longer answer, not a count, a house number or a level.
_BARE_AGE = re.compile(
    r"(?:^|(?<=\s))(\d{1,2}|" + _NUMBER_WORD + r")(?=$|\s|ค่ะ|ครับ|คะ|จ้ะ|นะ|ปี|ขวบ)"
    r"(?!\s*(?:คน|ครั้ง|บาท|เดือน|วัน|โมง|ชม|ชั่วโมง|นาที|กม|กิโล|ห้อง|หลัง|%|/|:|-|\.\d))"
)
_NOT_AN_AGE_BEFORE = re.compile(
    r"(?:เลขที่|หมู่|ม\.|ป\.|ซอย|ซ\.|ถนน|ถ\.|ชั้น|ปวช\.?|ปี|ห้อง|(?<![ก-๛])(?:ม|ป|มอ)|ประถม|มัธยม|เทอม|ที่)\s*$"
)
_AGE_ONLY = re.compile(r"(?:อายุ\s*)?(\d{1,2})(?:\s*(?:ปี|ขวบ))?")

# --- other slots ----------------------------------------------------------------------------------------

_NO_PHONE_INLINE = re.compile(r"ไม่(?:มี|สะดวก|อยาก)?(?:ให้)?\s*เบอร์|ติดต่อ(?:ทาง)?ไลน์|ทางไลน์")
_LINE_ONLY = re.compile(r"ไม่มี|บ่มี|ไม่สะดวก|บ่สะดวก|ไลน์|line|ไม่ให้|ไม่อยากให้|แชท|แชต|ทางนี้")
_SAME_PLACE = re.compile(r"ที่(?:อยู่)?เดิม|ที่เดียวกัน|เหมือน(?:เดิม|กัน|คนก่อน)|บ้านเดียวกัน")
_PLACE_PREFIX = re.compile(r"^(?:บ้านอยู่|อาศัยอยู่|อยู่)?(?:ที่)?(?:ใน)?(?:ตัว)?")
_UNIT_PREFIX = re.compile(r"^(?:จังหวัด|จ\.|อำเภอ|อ\.|เขต)")
_DISTRICT_UNITS = ("อำเภอ", "อ.", "เขต")
_CORRECTION_LEAD = re.compile(r"^.*?(?:ผิด|ไม่ใช่)\S*\s*(?:ค่ะ|ครับ|คะ|นะ)?\s*(?:เป็น|คือ|อยู่)?")


def asks(text: str | None) -> bool:
    """The message asks something ("…ไหม", "ขอเบอร์ศูนย์"), not only answers."""
    said = _NOT_ASKING.sub(" ", normalize(text or ""))
    return bool(_ASKS.search(said))


def refuses(text: str | None) -> bool:
    """"ไม่รู้", "ข้าม", "ไม่บอก", "จำไม่ได้": an answer that gives no value."""
    said = plain(text)
    return bool(_UNKNOWN.match(said) or _SKIP.match(said) or _REFUSES.search(said))


def yes_or_no(text: str | None) -> bool | None:
    """A yes or no at the start of the message, whatever follows ("ได้ครับ ลูกชื่อเมย์ อายุ 14")."""
    for form in (norm(text), normalize(text or "")):
        form = form.strip()
        if _NO.match(form) and not form.startswith("ไม่มีปัญหา"):
            return False
        if _YES.match(form):
            return True
    return None


def marked_name(text: str | None) -> str | None:
    """A name marked with ชื่อ inside any message ("ผมเอง ชื่อต้น อายุ 17", "ชื่อผิด ชื่อแพรว")."""
    for found in _NAMED.finditer(text or ""):
        name = re.sub(r"^ชื่อ(?:เล่น|จริง)?(?:ว่า|คือ)?", "", found.group(1) or "")  # "ชื่อเล่นชื่อฝ้าย"
        name = _TITLE.sub("", name)
        if name and name not in _NOT_A_NAME_WORD and not _PRONOUN_ONLY.match(name) and not _NOT_NAMES.search(name):
            return name
    return None


def bare_age(text: str | None) -> int | None:
    """The age in "24 สายสามัญ", "ปาล์ม 12", "ยี่สิบ จ้า เบอร์ …": one plain number, 10–99."""
    from pythainlp.util import thaiword_to_num

    said = normalize(text or "")
    said = re.sub(r"(?:\+?66|0)(?:[\s\-.]?\d){8,9}", " ", said)  # phones
    said = re.sub(r"\d{3,}", " ", said)
    found = []
    for match in _BARE_AGE.finditer(said):
        if _NOT_AN_AGE_BEFORE.search(said[:match.start()]):
            continue
        raw = match.group(1)
        try:
            value = int(raw) if raw.isdigit() else thaiword_to_num(raw)
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        if isinstance(value, int) and 10 <= value <= 99:  # a lone 6 in a longer answer is no age
            found.append(value)
    return found[0] if len(found) == 1 else None


# --- places ----------------------------------------------------------------------------------------------


def _place_index() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(province name → code, district name → codes): nlp.places' one index."""
    from nlp.places import _index

    index = _index()
    return index.provinces, index.districts


def _place_core(text: str | None) -> tuple[str, str]:
    """(unit word or "", the bare name) of a short place answer: "อยู่ จ.แพร่ ค่ะ" → ("จ.", "แพร่")."""
    said = normalize(norm(text)).replace(" ", "")
    said = re.sub(r"(?:ครับ|ค่ะ|คะ|นะ|จ้ะ)+$", "", said)
    said = _PLACE_PREFIX.sub("", said)
    unit = _UNIT_PREFIX.match(said)
    return (unit.group(0) if unit else ""), _UNIT_PREFIX.sub("", said)


def _close(word: str, candidates: list[str], cutoff: float) -> str | None:
    """The one candidate a typo is close to ("ลปาง" → ลำปาง), or None when none or several are."""
    if not 3 <= len(word) <= MAX_PLACE_ANSWER:
        return None
    found = difflib.get_close_matches(word, candidates, n=2, cutoff=cutoff)
    if len(found) == 1 or (len(found) == 2 and difflib.SequenceMatcher(None, word, found[0]).ratio()
                             - difflib.SequenceMatcher(None, word, found[1]).ratio() > 0.1):
        return found[0]
    return None


def district_in_province(text: str | None, province: str) -> str | None:
    """A district of a known province named in the text ("เมือง", "อ.เกาะคา", "ในตัวเมือง", "เถิ้น")."""
    said = normalize(norm(text)).replace(" ", "")
    said = re.sub(r"(?:ครับ|ค่ะ|คะ|นะ|จ้ะ)+$", "", said)
    said = _PLACE_PREFIX.sub("", said)
    said = re.sub(r"^(?:อำเภอ|อ\.|เขต)", "", said)
    unit = geothai.province(province)
    if not said or unit is None or len(said) > 4 * MAX_PLACE_ANSWER:
        return None
    districts = geothai.districts(province)
    mueang_name = "เมือง" + unit.name_th
    if said.startswith("เมือง"):
        mueang = [d.code for d in districts if d.name_th == mueang_name]
        named = [d.code for d in districts if d.name_th != mueang_name and d.name_th in said]
        if named:
            return named[0] if len(named) == 1 else None
        return mueang[0] if len(mueang) == 1 else None
    hits = [d.code for d in districts if d.name_th.removeprefix("เขต") in said]
    if len(hits) == 1:
        return hits[0]
    if hits:
        return None
    names = {d.name_th.removeprefix("เขต"): d.code for d in districts}
    close = _close(said, list(names), 0.75)
    return names[close] if close else None


def _province_and_district(text: str | None) -> str | None:
    """"บ้านตาก ตาก", "สามเงา ตาก": words apart, one of them a province (any, even one that is
    also a word), the rest a district of it."""
    words = [_place_core(word) for word in norm(text).split()]
    provinces, _ = _place_index()
    found = [provinces[name] for unit, name in words if name in provinces and unit not in _DISTRICT_UNITS]
    if len(words) < 2 or len(set(found)) != 1:
        return None
    province = found[0]
    rest = " ".join(unit + name for unit, name in words if provinces.get(name) != province)
    return district_in_province(rest, province) if rest else None


def _place_answer(text: str | None) -> tuple[str, str] | None:
    """A short answer to "which district and province?" the entities leave out: ("district", code),
    ("province", code), or ("hint", name) for a district several provinces have ("อำเภอเมือง")."""
    unit, name = _place_core(text)
    if not name or re.search(r"\d", name):
        return None
    provinces, districts = _place_index()
    both = _province_and_district(text)
    if both:
        return "district", both
    province = provinces.get(name)
    if province is None and unit not in _DISTRICT_UNITS:
        thai = [key for key in provinces if re.match(r"[ก-๛]", key)]
        close = _close(name, thai, 0.8)
        province = provinces.get(close) if close else None
    if province:
        return "province", province
    if unit in ("จังหวัด", "จ."):
        return None
    codes = districts.get(name, ())
    if len(codes) == 1 and len(name) >= 3:
        return "district", codes[0]  # one district has this name, an everyday word too ("บ้านนา")
    if name == "เมือง" or len(codes) > 1:
        return "hint", name
    return None


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    provinces, districts = _place_index()
    return frozenset(name for name in (*provinces, *districts) if re.match(r"[ก-๛]", name))


def _name_answer(text: str, intent: str, entities: Mapping[str, Any]) -> str | None:
    """The whole message read as the answer to "what is the name?"."""
    raw = squeezed(text)
    if not raw or intent not in _NAME_INTENTS:
        return None
    marked = marked_name(raw)
    if marked:
        return marked
    name = norm(raw)
    name = _NAME_PREFIX.sub("", name).strip()
    name = _TITLE.sub("", name).strip()
    name = _NAME_STOP.sub("", name).strip()
    words = name.split()
    if len(words) > 1 and (entities or _OTHER_ANSWER.search(" ".join(words[1:]))):
        name = norm(words[0])  # "ข้าว ไม่สะดวกให้เบอร์", "ต่ายจ้า ทางไลน์": the name, then other answers
    name = re.sub(r"[\"'“”!?.,:;()\[\]{}<>*#@/\\_=+|~^]", "", name).strip()
    name = norm(name)
    if not name or _PRONOUN_ONLY.match(name) or _NOT_NAMES.search(name) or _YES_NO_WORD.match(norm(name)):
        return None
    if re.search(r"\d", name) or not re.search(r"[ก-๛A-Za-z]", name):
        return None
    if len(name.split()) > 4:
        return None  # a sentence, not a name
    if set(entities) & set(LOCATION_KEYS) and re.sub(r"^(?:อยู่|จังหวัด|จ\.|อำเภอ|อ\.)", "", name) in _place_names():
        return None  # "ลำปาง": where they live, not who they are
    return name[:60]


def place_inside(name: str | None, entities: Mapping[str, Any]) -> bool:
    """Is the place the NLU found only a part of the name taken ("จันทร์เพ็ญ" → อ.เพ็ญ)?"""
    if not name:
        return False
    for key in ("district", "province"):
        code = entities.get(key)
        if not isinstance(code, str):
            continue
        unit = geothai.district(code) if key == "district" else geothai.province(code)
        if unit and unit.name_th.removeprefix("เขต") in name:
            return True
    return False


class Answer:
    """What one message says as an answer. Each reading is computed on first use."""

    def __init__(self, text: str, intent: str, entities: Mapping[str, Any]) -> None:
        self.text = text or ""
        self.intent = intent
        self.entities = entities

    # -- forms and kinds --
    @cached_property
    def forms(self) -> tuple[str, str]:
        """The text as typed (single spaces) and without its polite tail: what a tapped label equals."""
        return squeezed(self.text), norm(self.text)

    @cached_property
    def plain(self) -> str:
        return plain(self.text)

    @cached_property
    def asks(self) -> bool:
        return asks(self.text)

    @cached_property
    def topic(self) -> str | None:
        """One of the most-asked specific questions (`nlp.topics`): study days, online, disability…"""
        from nlp.topics import topic_of

        return topic_of(self.text)

    @cached_property
    def wants_study(self) -> bool:
        """A wish to study in the message, whatever else it does ("ทำไมปิดเรื่อง ผมยังอยากเรียนอยู่")."""
        return bool(_WANTS_STUDY.search(normalize(self.text).replace(" ", "")))

    @cached_property
    def asks_to_skip(self) -> bool:
        """"ไม่บอกได้ไหม", "ข้ามได้ไหมคะ": a refusal put as a question."""
        return bool(_ASKS_TO_SKIP.match(normalize(norm(self.text)).replace(" ", "")))

    @cached_property
    def refuses(self) -> bool:
        return refuses(self.text)

    @cached_property
    def only_refuses(self) -> bool:
        """The whole message is a refusal ("ไม่แน่ใจค่ะ"), not a refusal inside other answers."""
        return self.refuses and len(self.plain.replace(" ", "")) <= 16

    @cached_property
    def unknown(self) -> bool:
        """"ไม่รู้", "จำไม่ได้": the user does not know."""
        return bool(_UNKNOWN.match(self.plain))

    @cached_property
    def skip(self) -> bool:
        """"ข้าม", "ไม่อยากบอก": the user passes."""
        return bool(_SKIP.match(self.plain))

    @cached_property
    def wait(self) -> bool:
        """"เดี๋ยวก่อน", "ขอคิดก่อน": not yet."""
        return bool(_WAIT.match(self.plain))

    @cached_property
    def negative(self) -> bool:
        """The message starts with a no ("ไม่ต้องลบ", "อย่ายกเลิกนะ")."""
        return bool(_NEGATIVE.match(self.plain))

    @cached_property
    def restart(self) -> bool:
        """"เริ่มใหม่": start the intake again (not: throw it away)."""
        return bool(_RESTART.match(self.plain))

    @cached_property
    def yes_no(self) -> bool | None:
        """A leading yes or no; None when the message asks something or is neither."""
        return None if self.asks else yes_or_no(self.text)

    @cached_property
    def consents(self) -> bool:
        """The word ยินยอม (not ไม่ยินยอม) in a message that asks nothing ("งั้นยินยอมก็ได้")."""
        return bool(_CONSENTS.search(self.plain)) and not self.asks

    @cached_property
    def has_digits(self) -> bool:
        return bool(re.search(r"\d{3}", normalize(self.text)))

    # -- questions about the questions --
    @cached_property
    def about_data(self) -> bool:
        return bool(_PRIVACY.search(normalize(self.text)))

    @cached_property
    def about_data_at_consent(self) -> bool:
        return bool(_PRIVACY_AT_CONSENT.search(normalize(self.text)))

    @cached_property
    def why_ask(self) -> bool:
        return bool(_WHY_ASK.search(normalize(self.text)))

    @cached_property
    def about_bot(self) -> bool:
        return bool(_ABOUT_BOT.search(normalize(self.text)))

    @cached_property
    def about_paths(self) -> bool:
        return bool(_PATH_QUESTION.search(normalize(self.text)))

    @cached_property
    def field(self) -> str | None:
        """A field of the summary the message names ("เบอร์ผิด" → phone)."""
        for name, words in _FIELD_WORDS:
            if any(word in self.text for word in words):
                return name
        return None

    # -- values --
    @cached_property
    def marked_name(self) -> str | None:
        return marked_name(self.text)

    @cached_property
    def name(self) -> str | None:
        """The message as the answer to the name question (None for a yes, a place, a sentence)."""
        return _name_answer(self.text, self.intent, self.entities)

    @cached_property
    def name_holds_place(self) -> bool:
        """The bare name contains the place the entities found ("จันทร์เพ็ญ" holds อ.เพ็ญ)."""
        return place_inside(self.name, self.entities)

    @cached_property
    def bare_age(self) -> int | None:
        return bare_age(self.text)

    @cached_property
    def age(self) -> int | None:
        """The whole message is an age ("17", "อายุ 17 ปี")."""
        found = _AGE_ONLY.fullmatch(norm(self.text))
        return int(found.group(1)) if found and 3 <= int(found.group(1)) <= 100 else None

    @cached_property
    def role(self) -> str | None:
        """The answer to "for whom?" in words the entities leave out."""
        said, stated = self.plain, self.entities.get("role")
        if re.search(r"^(?:ของ|ให้|สำหรับ)?(?:ตัวเอง|ผม|หนู|ฉัน|เรา|ข่อย|เค้า|ดิฉัน|กู)(?:เอง)?$|เอง$|ตัวเอง", said):
            return "self"
        if re.search(r"ให้น้อง(?!ๆ)|^น้อง(?:ของ)?(?:ผม|หนู|ฉัน|เรา)?$", said) and not stated:
            return "other"  # a younger brother or sister
        if re.match(r"(?:ผม|หนู|ฉัน|ข่อย|ดิฉัน|กู)\s*(?:อายุ|ชื่อ|จบ|เรียน|ออก|อยู่|เกิด)", said) and not stated:
            return "self"  # "ผมอายุ 17 ครับ ชื่อบอส" to "for whom?": the speaker
        if re.search(r"ลูก|หลาน|เหลน|^(?:เป็น)?(?:แม่|พ่อ|ยาย|ตา|ย่า|ปู่|ผู้ปกครอง|ป้า|น้า|อา|ลุง)"
                     r"(?:เขา|ของ.*|เอง)?$", said):
            return "parent"
        if re.search(r"นักเรียน|ลูกศิษย์|เพื่อน|คนอื่น|ครู|แฟน|น้องชาย|น้องสาว|พี่ชาย|พี่สาว|ญาติ|คนรู้จัก", said):
            return "other"
        return None

    @cached_property
    def grade_status(self) -> str | None:
        """Completed or left, to "did you finish it?" ("บ่ฮู้คือกัน" is not knowing, not a no)."""
        if self.only_refuses:
            return None
        said = self.plain
        if re.search(r"ไม่จบ|บ่จบ|ยังไม่จบ|ออก|ดรอป|ค้าง|ไม่ได้จบ|เรียนไม่ครบ", said) or self.intent == "deny":
            return "left_during"
        if re.search(r"จบ|ได้วุฒิ|ได้ใบ", said) or self.intent == "affirm":
            return "completed"
        return None

    @cached_property
    def path(self) -> str | None:
        said = self.plain
        if re.search(r"ไม่รู้|บ่รู้|บ่ฮู้|ไม่ทราบ|ไม่แน่ใจ|บ่แน่ใจ|แล้วแต่|ยังไม่รู้|ยังไม่ได้คิด|อะไรก็ได้", said):
            return "unsure"
        if re.search(r"สามัญ|ได้วุฒิ|ม\.3|ม\.6|ม\.ปลาย|ม\.ต้น|^(?:แบบ|สาย)?(?:ปกติ|ทั่วไป)$", said):
            return "general"
        if re.search(r"อาชีพ|ปวช|ช่าง|อาชีวะ", said):
            return "vocational"
        return None

    @cached_property
    def declines(self) -> bool:
        """A no or a pass to an optional question."""
        return self.intent == "deny" or self.skip

    @cached_property
    def no_phone(self) -> bool:
        """To the phone question: no number, LINE only ("ไม่สะดวกให้เบอร์", "ทางไลน์")."""
        said = self.plain
        return bool(_LINE_ONLY.search(said)) or self.declines or (self.refuses and not re.search(r"\d", said))

    @cached_property
    def no_phone_inline(self) -> bool:
        """"ไม่สะดวกให้เบอร์" said along with other answers."""
        return bool(_NO_PHONE_INLINE.search(self.plain))

    @cached_property
    def reason_in_own_words(self) -> bool:
        """A reason the reader has no category for ("เบื่อ ไม่อยากไปโรงเรียน")."""
        said = norm(self.text)
        return self.intent in ("inform", "out_of_scope") and len(re.findall(r"[ก-๛]", said)) >= 4 \
            and not _QUESTION.search(said)

    @cached_property
    def vocational_as_level(self) -> bool:
        """ปวช. named as the level reached ("จบ ปวช"), not as the path wished for."""
        return bool(re.search(r"(?:จบ|ออกตอน|เรียนถึง|ค้าง|เรียน)\s*ปวช", self.plain))

    @cached_property
    def mentions_path(self) -> bool:
        return bool(re.search(r"สาย|สามัญ|อาชีพ|ปวช|เรียนอะไร|เรียนต่อ", self.text))

    @cached_property
    def same_place(self) -> bool:
        """"ที่อยู่เดิม", "บ้านเดียวกัน": the home of the learner before."""
        return bool(_SAME_PLACE.search(self.plain))

    @cached_property
    def place(self) -> tuple[str, str] | None:
        """A short answer to the location question the entities leave out (see `_place_answer`)."""
        return _place_answer(self.text)

    def district_in(self, province: str) -> str | None:
        """A district of this province named in the message ("เมือง", "เถิ้น")."""
        return district_in_province(self.text, province)

    def district_beside(self, province: str) -> str | None:
        """With the province read from the message, its district named in words the entities leave
        out ("เมือง น่าน", "ตัวเมืองลำปาง")."""
        provinces, _ = _place_index()
        rest = norm(self.text)
        for name in sorted((n for n, code in provinces.items() if code == province), key=len, reverse=True):
            rest = rest.replace(name, " ")
        rest = re.sub(r"(?:จังหวัด|จ\.)\s*(?=\s|$)", " ", rest).strip()
        return district_in_province(rest, province) if rest and rest != norm(self.text) else None

    def corrected_district(self, province: str) -> str | None:
        """"เขตผิด เป็นจอมทอง": the district of this province named after the word of correction."""
        rest = _CORRECTION_LEAD.sub("", self.text, count=1)
        return district_in_province(rest, province) if rest != self.text else None


def warm_up() -> None:
    _place_names()


def bare_entities(text: str, expecting: str | None) -> dict[str, Any]:
    """The entity a bare answer gives for the slot just asked ("17" to the age question)."""
    answer = Answer(text, "inform", {})
    if expecting == "age" and answer.age is not None:
        return {"age": answer.age}
    if expecting in ("location", "district") and answer.place and answer.place[0] in ("province", "district"):
        kind, code = answer.place
        return {"province": code} if kind == "province" else {"province": code[:2], "district": code}
    return {}


# Slots `expecting` may name (DESIGN §3); "confirm" is the summary, "consent" the notice.
EXPECTABLE = ("name", "age", "grade", "location", "reason", "path", "phone", "role", "consent", "confirm",
              "grade_status", "district", "district_choice")


def with_expecting(u: Understanding, expecting: str | None) -> Understanding:
    """The reading of a message sent in answer to `expecting`: a bare answer's entity added when
    the message gave none for that slot ("17" → age 17, "เถินจ้า" → Thoen), and `expecting` kept."""
    if expecting not in EXPECTABLE:
        return u
    if u.aside:  # an answer to the bot's question is about the learner, however chatty
        u = replace(u, entities=u.told, aside={})
    extra = {key: value for key, value in bare_entities(u.text, expecting).items() if key not in u.entities}
    if not extra or (set(u.entities) & set(extra)) or (expecting in ("location", "district") and
                                                      set(u.entities) & set(LOCATION_KEYS)):
        return replace(u, expecting=expecting)
    intent = "inform" if u.intent in ("out_of_scope", "greet", "thanks", "affirm") else u.intent
    return replace(u, intent=intent, entities={**u.entities, **extra}, expecting=expecting)


# --- commands typed in an office's LINE group (DESIGN §5, §9) -------------------------------------------

_REF = r"((?:RT|EQ)-\d{4}-\d{1,8})"
_GROUP_COMMANDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("link", re.compile(r"^\s*ลงทะเบียน\s*([A-Za-z0-9]{4,16})\s*$")),
    ("help", re.compile(r"^\s*(?:ช่วยด้วย|คำสั่ง|help|เมนู|วิธีใช้)\s*$", re.IGNORECASE)),
    ("open_cases", re.compile(r"^\s*(?:เรื่องค้าง|สรุปเรื่อง)\s*$")),
    ("answer", re.compile(r"^\s*ตอบ\s*" + _REF + r"\s+(.+)$", re.IGNORECASE | re.DOTALL)),
    ("answer_usage", re.compile(r"^\s*ตอบ\s*(?:(?:RT|EQ)-\d{4}-\d{1,8})?\s*$", re.IGNORECASE)),
    ("close_thread", re.compile(r"^\s*ปิดแช[ทต]\s*" + _REF + r"\s*$", re.IGNORECASE)),
    ("reopen", re.compile(r"^\s*เปิดเรื่อง(?:อีกครั้ง)?\s*(RT-\d{4}-\d{1,8})\s*$", re.IGNORECASE)),
    ("sign_in", re.compile(r"^\s*(?:เข้าระบบ|เข้าสู่ระบบ|ลิงก์เข้าระบบ)\s*$")),
)


def group_command(text: str | None) -> tuple[str, tuple[str, ...]] | None:
    """A staff command in a group message: (name, its arguments) — link (code), help, open_cases,
    answer (ref, message), answer_usage, close_thread (ref), reopen (ref), sign_in (a link to the
    staff console) — or None for chatter."""
    said = text or ""
    for name, pattern in _GROUP_COMMANDS:
        found = pattern.match(said)
        if found:
            return name, tuple(part for part in found.groups())
    return None
