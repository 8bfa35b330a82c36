"""Text normalisation before reading: digits, repeated letters, chat spellings and dialect."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
# A Thai or Latin letter typed three or more times in a row ("มากกกก", "ค่าาาา", "okkkk").
_REPEATS = re.compile(r"([ก-ฮะ-ูเ-์a-z])\1{2,}")
_SPACES = re.compile(r"\s+")

# Chat spellings and northern/north-eastern words → standard Thai. Applied in order.
_REPLACEMENTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"เฮียน", "เรียน"),
        # Isan and northern words people type: ฮอด (to reach) after เรียน, กะ (ก็), เฮ็ด (ทำ),
        # ฮู้ (รู้), คือกัน (เหมือนกัน), ซาว (ยี่สิบ), เจียง- (เชียง-), ตัวเก่า (ตัวเอง), เพิ่น (เขา).
        (r"เรียนฮอด", "เรียนถึง"),
        (r"(?:ละ|แล้ว)กะ(?=ออก|บ่|ไม่|ไป)", "แล้วก็"),
        (r"เฮ็ด", "ทำ"),
        (r"(?<=บ่)ฮู้|(?<=ไม่)ฮู้", "รู้"),
        (r"คือกัน", "เหมือนกัน"),
        (r"(?<![ก-ฮ])ซาว(?=หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|เอ็ด|ปี|ขวบ|$|\s)", "ยี่สิบ"),
        (r"เจียง(?=ใหม่|ราย|คำ|ของ|แสน|ดาว)", "เชียง"),
        (r"ตัวเก่า|ตั๋วเก่า", "ตัวเอง"),
        (r"เพิ่น", "เขา"),
        (r"ฮียน", "เรียน"),
        (r"ม่าย|มะได้", "ไม่"),
        (r"บ่(?![ายอ่])", "ไม่"),
        (r"บ่อยาก", "ไม่อยาก"),
        (r"แม่นแล้ว|แม่นเลย", "ใช่แล้ว"),
        (r"(?<![ก-ฮ])แม่น(?=$|\s|ครับ|ค่ะ|จ้า|เด้อ)", "ใช่"),
        (r"บ่ใจ้|ไม่ใจ้|บ่แม่น|ไม่แม่น", "ไม่ใช่"),
        (r"(?<![ก-ฮ])ใจ้", "ใช่"),
        (r"เปน", "เป็น"),
        (r"สมัค(?!ร)", "สมัคร"),
        (r"มั้ย|มั๊ย|ไม๊|ไหมคะ|ป่าว|ปะ(?=$|\s|ครับ|คะ)|บ่(?=$)", "ไหม"),
        (r"(?<![ก-ฮ])(?<!ทำ)ไม(?=$|\s|ครับ|คะ|ค่ะ)", "ไหม"),  # "ได้ไม" is ได้ไหม; ทำไม stays why
        (r"คับ|ครัช|คร้าบ|ฮะ(?=$|\s)", "ครับ"),
        (r"คร่า|ค่า(?=$|\s|!)|คร้า|(?<!เ)(?:จ้ะ|จ้า|จ๊ะ)", "ค่ะ"),  # not the จ้า inside เจ้า, เจ้าหน้าที่
        # (เจ้า closes a message as a northern/Isan particle, but not the place names วังเจ้า, บางกะเจ้า…)
        (r"เด้อ|เด้|เนาะ|เน้อ|(?<=.)(?<!วัง)(?<!กะ)(?<!กระ)(?<!พระ)เจ้า(?=$)", " "),
        (r"ข่อย|เฮา(?![ก-ฮ])", "ฉัน"),
        (r"อิหยัง|หยัง", "อะไร"),
        (r"จั่งใด|จังใด|จังได๋", "อย่างไร"),
        (r"ยังไง|ยังงัย|ไง(?=$|\s)", "อย่างไร"),
        (r"เท่าไร|เท่าไหร่|เท่าไร่|เท่าใด", "เท่าไหร่"),
        (r"เมื่อไร|เมื่อไหร่|ตอนไหน|เมื่อใด", "เมื่อไหร่"),
        # "มอ 3", "มอสาม", "มอต้น" for ม.3 / ม.ต้น (not หมอ, เสมอ).
        (r"(?<![เหม])มอ\s*(?=[1-6](?!\d)|หนึ่ง|สอง|สาม|สี่|ห้า|หก|ต้น|ปลาย)", "ม."),
        (r"กศน\.?|ก\.ศ\.น\.?", "กศน"),
        (r"สกร\.?|ส\.ก\.ร\.?", "สกร"),
    ]
]


@lru_cache(maxsize=256)
def normalize(text: str) -> str:
    """A canonical form for reading: NFC, Thai digits → ASCII, lower case, repeats collapsed,
    chat spellings and dialect mapped to standard words, single spaces. (Cached: the NLU and
    then the dialogue's readers read the same message several times in one turn.)"""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text).translate(_THAI_DIGITS).lower()
    # Typed look-alikes: ํ + า for ำ ("ทํางาน"), เ + เ for แ ("จบเเล้ว").
    text = text.replace("\u0e4d\u0e32", "\u0e33").replace("\u0e40\u0e40", "\u0e41")
    text = _REPEATS.sub(r"\1", text)
    # Tone-mark/vowel duplicates like "ค่่ะ", "ค่ะะ", "อายุุ".
    text = re.sub(r"([ะ-ฺ็-๎])\1+", r"\1", text)
    # "ม . 3", "ป .6": the level with stray spaces.
    text = re.sub(r"(?<![ก-ฮ])([มป])\s*\.\s*(?=\d)", r"\1.", text)
    for pattern, replacement in _REPLACEMENTS:
        text = pattern.sub(replacement, text)
    return _SPACES.sub(" ", text).strip()


def safe_text(value: object, limit: int = 2000) -> str:
    """Any input as a bounded, valid Unicode string (lone surrogates and NULs removed)."""
    if not isinstance(value, str):
        return ""
    text = value[:limit]
    text = text.encode("utf-8", "ignore").decode("utf-8", "ignore")
    return text.replace("\x00", " ")
