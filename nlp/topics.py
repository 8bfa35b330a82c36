"""Which of the most-asked specific questions a message is (issue 13 item 2): the knowledge
base has a short answer for each, better than the intent's general one.

`topic_of(text) -> str | None`: one of TOPICS, or None. Pure and never raises. Read after
`nlp.normalize` (dialect spellings such as เฮียน → เรียน, Thai digits), so the patterns name
standard Thai only.
"""

from __future__ import annotations

import re

from nlp.normalize import normalize, safe_text

# In order of precedence: a message that names two topics gets the first.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("pregnancy", re.compile(r"ท้อง(?!เสีย|ร่วง|ผูก|อืด)|ตั้งครรภ์|มีครรภ์|คลอด|มีลูกอ่อน|ตั้งท้อง|pregnan")),
    (
        "disability",
        re.compile(
            r"พิการ|ออทิสติก|ออทิสซึม|ออทิซึม|autis|สมาธิสั้น|adhd|บกพร่อง|ความต้องการพิเศษ|เด็กพิเศษ|ดาวน์ซินโดรม|"
            r"หูหนวก|หูตึง|ตาบอด|สายตาเลือนราง|แอลดี|\bld\b|นั่งรถเข็น|ใช้วีลแชร์|disab"
        ),
    ),
    ("equivalency", re.compile(r"เทียบระดับ|เทียบโอน|เทียบวุฒิ|equivalen")),
    (
        "lost_id",
        re.compile(
            r"(บัตร(ประชาชน|ปชช)?|บัตรประจำตัวประชาชน)\s*(หาย|ทำหาย|หมดอายุ|ไม่อยู่)|ทำบัตร(ประชาชน)?หาย|"
            r"(หาย|ทำหาย).{0,6}บัตร(ประชาชน)?|lost (my )?id"
        ),
    ),
    ("online", re.compile(
        r"ออนไลน์|online|เรียนทางไกล|ทางไกล|ผ่านเน็ต|ทางเน็ต|ทางแอป|e-?learning|เรียนที่บ้าน(ได้)?ไหม"
    )),
    (
        "study_days",
        re.compile(
            r"เรียน(วัน)?(ไหน|อะไร)บ้าง|เรียนวัน(ไหน|อะไร)|วันไหนเรียน|เรียนกี่วัน|กี่วันต่อ(สัปดาห์|อาทิตย์)|"
            r"(สัปดาห์|อาทิตย์)ละกี่|เรียนเสาร์|เรียนอาทิตย์|เสาร์อาทิตย์|เรียนกี่โมง|เรียนตอนไหน|"
            r"กี่ปี(ถึง)?จบ|กี่เทอม(ถึง)?จบ|ใช้เวลากี่|นานไหม(กว่า)?(จะ)?จบ|เรียนนานไหม|จบเร็ว"
        ),
    ),
)
TOPICS = tuple(name for name, _ in _PATTERNS)


def topic_of(text: str | None) -> str | None:
    """The most-asked topic the message is about, or None."""
    cleaned = normalize(safe_text(text or "", 2000)).lower()
    if not cleaned:
        return None
    for name, pattern in _PATTERNS:
        if pattern.search(cleaned):
            return name
    return None
