"""What is left of a message once its details and the words around details are taken out.

A message that "mainly gives details" (DESIGN §3 `inform`) leaves little: "ลูกอายุ 15 ออกตอน ม.2
อยู่ อ.เถิน ลำปางค่ะ" leaves nothing. Chatter that happens to hold a detail leaves a lot:
"ร้อยเอ็ดร้อนมาก" leaves ร้อนมาก, "ผมอายุ 30 แล้วยังไม่มีแฟน" leaves ยังมีแฟน. The reader uses
this to keep chatter from starting an intake.

Romanised Thai and English are read as Thai first (`entities.latin_words`: "ayu sip jet" is อายุ สิบเจ็ด,
"jop por hok" is จบ ป.6, "now 17" is ตอนนี้ 17), and the words an age or a birth year is said with
("15 ปีครึ่ง", "เพิ่งจะ 15", "ปีนี้ขึ้น 16", "ปีเกิด 2552", "age: 15", "born in 2009") go with their
number: a short message that gives a detail this way leaves nothing, while the words of chat beside a
number stay ("ขายรถ ปี 62" leaves ขาย รถ, "เงินเดือน 15000" leaves เงินเดือน).
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp import entities, places

# Words that carry details or sit around them in a details message (particles, people, links).
AROUND = frozenset("""
ค่ะ คะ ครับผม ครับ นะ จ้ะ จ้า ค่า เด้อ เน้อ เจ้า ฮะ จ๊ะ คับ นะคะ นะครับ สวัสดี หวัดดี ขอบคุณ แอดมิน แอด รบกวน สอบถาม
ลูก ลูกชาย ลูกสาว หลาน หลานชาย หลานสาว บุตร ผม หนู ดิฉัน ฉัน ข่อย กู เรา ตัวเอง เอง
เขา เค้า น้อง พี่ พ่อ แม่ ยาย ตา ย่า ปู่
ป้า ลุง น้า อา ผู้ปกครอง ครู นักเรียน เพื่อน คน ชื่อ ชื่อเล่น ชื่อจริง นามสกุล ว่า
อายุ ปี ขวบ เดือน เกิด ตอนนี้ ปีนี้ ตอน แล้ว จะ ได้ ไม่ ยัง มี เป็น คือ ของ ให้ และ กับ แต่ ก็ เลย ค่อย
ส่วน ที่ ใน จาก ไป มา อยู่ บ้าน จังหวัด อำเภอ ตำบล เขต แขวง หมู่ หมู่บ้าน บ้านเลขที่ ถนน ซอย ทะเบียนบ้าน
เรียน โรงเรียน ชั้น ระดับ จบ ออก ลาออก กลางคัน ค้าง เทอม ภาค ถึง แค่ เพราะ เนื่องจาก ต้อง ช่วย ทำงาน งาน ทำ
เบอร์ โทร ติดต่อ ไลน์ ประมาณ กว่า ราว ต่อ สาย สามัญ อาชีพ ประถม มัธยม แก้ เปลี่ยน ผิด ถูก ใช่ เป็นต้น
ด้วย อีก ค่ะๆ ครับๆ หน่อย ละ กะ ครับบ ค่ะะ กำลัง ตั้งแต่ เมื่อ หลัง ก่อน นี้ นั้น เขต คุณ ท่าน ทาง
ลูกพี่ลูกน้อง น้องสาว น้องชาย พี่สาว พี่ชาย ญาติ ลูกศิษย์ ลูกจ้าง ร้าน ส่วนตัว สะดวก เล่า เหตุผล สาเหตุ ปัญหา
หวัด ดี สวัสดีค่ะ สวัสดีครับ ลูกผม ลูกหนู หลานผม เรียนต่อ แล้วก็ ตอนนั้น เคย สมัคร สนใจ คิด คิดดู กลับ แรก สุดท้าย
อยากให้ ลอง ทราบ รู้ ช่วง ทั้งหมด เท่านั้น เพิ่ง ครั้ง ปัจจุบัน จริง จริงๆ ค่ะๆ ซึ่ง ดังนั้น ประมาณนี้ ข้อมูล ครบ
มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม วันที่
ไว้ ตาม ทัน โดน เอา ขอ แบบ อยาก บอก หนังสือ ยินยอม ต อ จ ค ศ พ บ่อย ติด ตัว ทั้ง สอง คนนึง เดียว
and in is the of a my we i at he she was are
เปลี่ยนเป็น คนอื่น น่าจะ ราวๆ โรงงาน เรื่อง หนัก ขอเปลี่ยน ดีกว่า เอา เอาแบบ
primary school never went only but to started lives live with his her grandma grandpa mother father mom dad
son daughter niece nephew grade old years year finished left quit dropped out study studying he's she's it
""".split())  # noqa: SIM905 (a word list reads better as text)
_MONTH_SHORT = re.compile(r"(?:ม\.ค|ก\.พ|มี\.ค|เม\.ย|พ\.ค|มิ\.ย|ก\.ค|ส\.ค|ก\.ย|ต\.ค|พ\.ย|ธ\.ค)\.?")
_NAME = re.compile(r"(?:ชื่อ(?:เล่น|จริง)?|เรียก)\s*(?:ว่า|คือ)?\s*\S+")
_NUMBER = r"(?:\d|" + entities._THAI_NUMBER_WORD + ")"
# Who or when a turning age is said of: a word of turning counts as an age's only after one of these (or
# first, or after a space), so that "หุ้นขึ้น 16", "ราคาจะ 20" keep their word of chat.
_TURNING_AFTER = "|".join(
    f"(?<={word})"
    for word in [
        "ปีนี้", "ปีหน้า", "เดือนหน้า", "อายุ", "ตอนนี้", "ก็", "แล้ว", "ลูก", "ลูกชาย", "ลูกสาว", "หลาน", "หลานชาย",
        "หลานสาว", "ผม", "หนู", "ข่อย", "เรา", "น้อง", "ตัวเอง", "เขา", "เค้า", "มัน", "ฉัน", "ดิฉัน",
    ]
)
# The words an age or a birth year is said with, beside its number: "เพิ่งจะ 15", "ปีนี้ขึ้น 16", "ย่าง 17",
# "เต็ม 18", "15 ปีครึ่ง", "สิบห้าขวบกว่าๆ", "ปีเกิด 2552", "age: 15", "born in 2009", "aged 16".
_AGE_WORDS = re.compile(
    r"(?:^|(?<=\s)|" + _TURNING_AFTER + r")"
    r"(?:เพิ่ง(?:จะ)?|พึ่ง(?:จะ)?|กำลังจะ|จะ|ย่าง(?:เข้า)?|ขึ้น|เข้า|เต็ม|ครบ)\s*(?:อายุ\s*)?(?=" + _NUMBER + ")"
    r"|(?:ปีเกิด|เกิดปี|เกิดเมื่อปี|เกิด)\s*(?=" + _NUMBER + ")"
    r"|(?<![a-z])(?:age[ds]?|born(?:\s*in)?|turn(?:s|ed|ing)?|now)\s*[:=-]?\s*(?=\d)"
    r"|(?:ปี|ขวบ)\s*(?:ครึ่ง|กว่า(?:ๆ)?|เต็ม|บริบูรณ์)"
)
_NUMBERS = re.compile(r"[\d+\-./,:()!?]+|" + entities._THAI_NUMBER_WORD + "|ศูนย์")


def _tokens(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, engine="newmm", keep_whitespace=False)


@lru_cache(maxsize=1024)
def residue(normalised: str) -> str:
    """The words of `normalised` that are neither details nor the words around details."""
    text = entities.latin_words(normalised)
    text = _AGE_WORDS.sub(" ", _MONTH_SHORT.sub(" ", _NAME.sub(" ", text)))
    for pattern in (entities._GRADE_RE, entities._LEFT, entities._COMPLETED):
        text = pattern.sub(" ", text)
    for _reason, pattern in entities._REASONS:
        text = pattern.sub(" ", text)
    for _path, pattern in entities._PATHS:
        text = pattern.sub(" ", text)
    text = places._SUB_RE.sub(" ", text)
    text = places._index().pattern.sub(" ", text)
    text = _NUMBERS.sub(" ", text)
    words = [w for w in _tokens(text) if w.strip() and w not in AROUND and re.search(r"[ก-๛a-z]", w)]
    return " ".join(words)
