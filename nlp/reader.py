"""`understand`: classifier + entities + a few crisp rules, never raising."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from nlp import answers, classifier, places
from nlp.entities import extract_entities
from nlp.normalize import normalize, safe_text
from nlp.residue import residue
from nlp.thaitime import BANGKOK
from nlp.understanding import Understanding

log = logging.getLogger(__name__)
_lock = threading.Lock()
_model: classifier.IntentModel | None = None
# Readings of short messages are kept: much of what people send is the same few strings
# (every quick-reply tap sends its label's text, and "สวัสดีครับ", "ใช่", "ขอบคุณค่ะ" …), and
# `understand` is a pure function of the text and the day. Long messages are rarely repeated.
CACHE_SIZE = 4096
CACHE_MAX_CHARS = 80

_YES_EMOJI = {"👍", "👌", "🙆", "✅", "👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿", "🆗"}
_NO_EMOJI = {"👎", "🙅", "❌", "🙅‍♀️", "🙅‍♂️"}
_THANKS_EMOJI = {"🙏", "🙏🏻", "🙏🏼", "🙏🏽", "💕", "🥰"}
_CANCEL = re.compile(r"^(?:ยกเลิก|เริ่มใหม่|เริ่มต้นใหม่|cancel|restart|reset)(?:ค่ะ|ครับ|นะ|ๆ|\s)*$")
# A sound of hesitation alone ("อืม", "เอ่อ"): no answer yet, and never a consent.
_MUMBLE = re.compile(r"(?:อื+ม+|เอ่อ+|อ่า+|อ้า+|hm+|um+)(?:\s*(?:[.…]+|ๆ))*")
# The northern/Isan "yes" (เจ้า, เจ้าค่ะ) on its own: a closed-class word, not left to the classifier.
_NORTHERN_YES = re.compile(r"^(?:เจ้า|จ้าว)(?:\s*(?:ค่ะ|ๆ|เจ้า))*$")
_DELETE = re.compile(r"ลบข้อมูล|ลบเบอร์|ถอนความยินยอม|ลบประวัติ|ลบทิ้ง|delete my data")
# A talk that is told, not asked for ("คุยกับครูที่โรงเรียนเก่าแล้วค่ะ", "เคยปรึกษาครูแล้ว"): a past talk,
# or one with another school's teacher, is part of a story (no training line has one as `human`).
_HUMAN = re.compile(
    r"(?<!ได้)(?<!เคย)(?<!เคยไป)(?:ขอ|อยาก|ต้องการ)?(?:คุย|ติดต่อ|ปรึกษา|พูด)(?:กับ)?(?:เจ้าหน้าที่|"
    r"คนจริง|แอดมินตัวจริง|ครู)(?!\S{0,3}(?:ที่|ประจำ|ใน)?โรงเรียน|\S{0,14}?(?:มา)?แล้ว(?!\S{0,4}(?:ยัง|ไหม|มั้ย)))"
    r"(?!.*(?:เบอร์|อยู่ไหน|ที่ไหน))"
)
_QUESTION_WORD = re.compile(
    r"^(?:can|could|what|when|where|how|is|are|do|does|which|who|may)(?![a-z])"
    r"|(?<![a-z])(?:what|when|where|how|which|can (?:i|"
    r"he|she|we)|do (?:i|we)|is there|are there|too old|too young)(?![a-z])|"
    r"ไหม|ไหน|ไส|หรือไม่|มั้ย|ป่ะ|หรอ(?!ก)|เหรอ|หรือเปล่า|"
    r"รึเปล่า|หรือยัง|อะไร|อย่างไร|ที่ไหน|เมื่อไหร่|"
    r"เท่าไหร่|(?<!เ)กี่|\?|ได้บ้าง|ใคร"
    r"|ได้ยัง|ได้ป่าว|ได้ปะ|ได้เปล่า"
)
# Question words that ask nothing: a negative indefinite ("ไม่มีใคร", "สอบไม่ติดที่ไหนเลย",
# "ไม่อยากเจอใคร"), "อะไรก็ได้".
_NOT_ASKING = re.compile(
    r"ไม่(?!รู้|ทราบ|แน่ใจ|เข้าใจ)\S{0,12}?(?:ใคร|อะไร|ที่ไหน|ไหน)(?!\S{0,6}(?:บ้าง|ไหม|มั้ย|คะ|ครับ|\?))"
    r"|(?:ใคร|อะไร|ที่ไหน|ไหน)\s*(?:เลย|ทั้งนั้น|ก็ได้|สักอย่าง)"
)


@lru_cache(maxsize=256)  # a message and its clauses are asked about several times
def _asks(text: str) -> bool:
    """Whether a message asks something (a question word that is not a negative indefinite)."""
    return bool(_QUESTION_WORD.search(_NOT_ASKING.sub(" ", text)))


_ANSWER_WORDS = re.compile(
    r"^(?:ไม่มีเบอร์|ไม่มี|ข้าม|ไม่อยากบอก|(?:ขอ)?ไม่บอก|"
    r"(?:ขอ)?ไม่ตอบ|ไม่ทราบ|ไม่รู้|ไม่แน่ใจ|ยังไม่แน่ใจ|"
    r"ติดต่อทางไลน์|ทางไลน์|ใช้ไลน์|ไลน์)"
)


def _load() -> classifier.IntentModel:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                places.warm_up()
                _model = classifier.IntentModel.load()
    return _model


def warm_up() -> None:
    _load()
    understand("สวัสดีครับ อายุ 17 อยู่ต.ล้อมแรด อ.เถิน ลำปาง 52160")


def _emoji_intent(text: str) -> str | None:
    stripped = re.sub(r"[\s\ufe0f]", "", text)
    if not stripped or stripped.isalnum():
        return None
    for group, intent in ((_YES_EMOJI, "affirm"), (_NO_EMOJI, "deny"), (_THANKS_EMOJI, "thanks")):
        remaining = stripped
        for emoji in sorted(group, key=len, reverse=True):
            remaining = remaining.replace(emoji, "")
        if not remaining and remaining != stripped:
            return intent
    return None


def understand(text: str, today: date | None = None, expecting: str | None = None) -> Understanding:
    """Intent, confidence and entities of one message. Never raises. `expecting`: the slot the
    bot has just asked for; a bare answer is then read for it (`nlp.answers.with_expecting`)."""
    try:
        if isinstance(text, str) and len(text) <= CACHE_MAX_CHARS:
            known = _understand_cached(text, today or _today())
            # Each caller gets its own entities dict (the values are plain str and int).
            read = replace(known, entities=dict(known.entities), aside=dict(known.aside))
        else:
            read = _understand(text, today)
        return answers.with_expecting(read, expecting) if expecting else read
    except Exception:  # the contract: any string gets an answer
        log.exception("understand failed; answering out_of_scope")
        return Understanding("out_of_scope", 0.0, {}, text if isinstance(text, str) else "")


def forget_readings() -> None:
    """Drop the kept readings (for measuring the NLU itself), the classifier's and the per-text
    ones (`_asks`, the token spans) too."""
    _understand_cached.cache_clear()
    _asks.cache_clear()
    classifier.forget_spans()
    if _model is not None:
        _model.forget()


@lru_cache(maxsize=CACHE_SIZE)
def _understand_cached(text: str, today: date) -> Understanding:
    return _understand(text, today)


def _understand(text: str, today: date | None) -> Understanding:
    read = _gated(*_read_scored(text, today))
    if read.intent == "out_of_scope" and read.entities:
        # No learner in chatter or another service's errand: what it named is set aside (DESIGN §3).
        return replace(read, entities={}, aside=read.entities)
    return read


def _gated(read: Understanding, p_chat: float) -> Understanding:
    """The chatter gate: a reading that would start an intake or get an FAQ answer, and the classifier's
    out-of-scope share, checked for chatter (out_of_scope, with what it said still read)."""
    if STORY_MODE and read.intent in ("inform", "enroll") and _story_told(read):
        # A story whose present is not about school: nothing to take in, however sure the classifier is.
        return Understanding("out_of_scope", read.confidence, read.entities, read.text)
    if read.intent == "inform" and _life_news(read):
        # However sure the classifier is: its in-domain lines with these words are stories of leaving.
        return Understanding("out_of_scope", read.confidence, read.entities, read.text)
    if SETTLED_MODE and read.intent in ("inform", "enroll") and _settled(read):
        # "…ตอนนี้ขับแกร็บ รายได้โอเค ไม่คิดจะกลับไปเรียนแล้ว": a life that is settled, told without a wish.
        return Understanding("out_of_scope", read.confidence, read.entities, read.text)
    if AT_SCHOOL_MODE and read.intent == "inform" and _at_school_now(read):
        # A pupil at school now ("หลานเรียน ม.1 อยู่ ชอบวิชาวิทย์มาก"): a formal school's day, no learner of ours.
        return Understanding("out_of_scope", read.confidence, read.entities, read.text)
    if read.intent == "enroll" and not _names_study(read):
        # A wish that names no studying ("อยากกลับไปเป็นเด็ก", "อยากไปสวนสนุก"), however sure the classifier
        # is: no labelled wish to enrol lacks a word of studying, a level or a path.
        return Understanding("out_of_scope", read.confidence, read.entities, read.text)
    if (
        (read.intent in ("inform", "enroll") or read.intent.startswith("ask_"))
        and not (read.confidence >= TRUST_CONFIDENCE and p_chat <= TRUST_CHAT)
        and _chatter(read)
    ):
        # Chat about daily life starts no intake; what it said is still read.
        return Understanding("out_of_scope", read.confidence, read.entities, read.text)
    return read


# What may follow an answer word in a short answer ("ไม่มีเบอร์ค่ะ", "ข้ามไปก่อนนะคะ", "ไม่บอกได้ไหม").
_ANSWER_TAIL = re.compile(
    r"(?:\s*(?:ค่ะ|ครับ|คะ|นะ|จ้า|เด้อ|เลย|ก่อน|ไป|"
    r"ได้|ไหม|เบอร์|โทร|ทางไลน์|ไลน์|แทน|ด้วย|หรอก|"
    r"อ่ะ|อะ"
    r"|เหมือนกัน|ว่า|จะ|เรียน|สาย|ไหน|ดี|แล้ว|ตอนนี้|ค่า|ครับผม))*\s*"
)
# A wish to study names studying (or a level, a certificate, the office).
_STUDY = re.compile(
    r"เรียน|สมัคร|กศน|สกร|วุฒิ|ลงทะเบียน|ม\.|ป\.|ปวช|ปวส|ม\s*[1-6]|การศึกษา|หนังสือ|โรงเรียน|จบ|ศึกษา"
    r"|สาย(?:อาชีพ|สามัญ)|อาชีวะ|ฝาก(?:ลูก|หลาน|น้อง|ตัว)|study|school|enrol|register|class"
)
# A correction of a detail (DESIGN §3: inform with the new value).
_CORRECTION = re.compile(r"ไม่ใช่|บ่แม่น|บ่ใช่|ม่ายช่าย|ผิด|แก้เป็น|แก้ไขเป็น|ขอแก้|เปลี่ยนเป็น|พิมพ์ผิด|not \d|wrong")
# A correction followed closely by the new value ("อายุไม่ใช่ 15 ค่ะ 16 แล้ว"), not a "ไม่ใช่" in chat.
_CORRECTED_VALUE = re.compile(r"(?:" + _CORRECTION.pattern + r").{0,24}?(?:\d|[มปอจ]\.|ปวช|ปวส)")
# … or of who studies ("ไม่ใช่ลูกค่ะ หลาน", "ไม่ได้สมัครให้ตัวเอง สมัครให้ลูก", "ผิดค่ะ ไม่ได้เรียนเอง").
_CORRECTED_ROLE = re.compile(
    r"(?:ไม่ใช่|ผิด|ไม่ได้)\S{0,16}?(?:ลูก|หลาน|ตัวเอง|เอง|เพื่อน|แฟน|น้อง|ผม|หนู)"
)
# A message that opens with a correction ("ไม่ใช่ ม.3 ค่ะ ม.2", "ผิดค่ะ ไม่ได้เรียนเอง สมัครให้ลูก"): it
# corrects a detail, however its other words read (DESIGN §3: `inform` with the new value). In the
# training files no line that opens so and asks nothing is a wish.
_OPENS_CORRECTION = re.compile(
    r"^(?:ไม่ใช่|ผิด(?!หวัง)|ไม่ได้\S{0,14}(?:เอง|ตัวเอง)(?!\S{0,4}(?:อยาก|ได้))|ขอแก้|แก้เป็น|แก้ไขเป็น|เปลี่ยนเป็น)"
)
_LATIN_STUDY = re.compile(
    r"apply|enrol|register|sign (?:him|her|me|them|up)|stud|school|class|continue|learn|rian|rien|rean|hian"
)


def _names_study(read: Understanding) -> bool:
    """Whether a message names studying, a level, a certificate or a path (what every wish to enrol
    names), in Thai or in romanised Thai and English."""
    return bool(_STUDY.search(normalize(read.text)) or _LATIN_STUDY.search(read.text.lower()))
# Details that chat rarely carries: with one of these, a little chatter around them is fine.
_STRONG_KEYS = {
    "age",
    "birth_year_be",
    "grade",
    "grade_status",
    "province",
    "district",
    "subdistrict",
    "postal_code",
    "phone",
    "path",
}
INFORM_SURE = 0.9
# A story of leaving school is never chatter, with or without a detail read from it. Not going to the
# fields, the market or work that day ("ฝนตกบ่หยุด บ่ได้ไปนา") is the news of the day: in the training
# files no in-scope line has ไม่ได้ไป before one of those.
_LEAVING_STORY = re.compile(
    r"ออก|หยุด|เลิกเรียน|ไม่ได้(?:ไป)?เรียน"
    r"|ไม่ได้ไป(?!\s?(?:นา(?!น)|ไร่|ไฮ่|สวน|กรีด|ตลาด|เที่ยว|ทำงาน|เฮ็ดงาน|งาน|วัด|หาหมอ|รายงาน|เลือกตั้ง))|"
    r"ไม่กล้าไป|ไม่อยากไป|ขาดเรียน|รีไทร์|ดรอป|เพราะ"
    r"|ไม่(?:ได้)?\S{0,8}ไปโรงเรียน|พาไปโรงเรียน|ทนไม่ไหว|ไม่มีเวลาเรียน|ไม่อยากกลับ|ไม่กลับไป"
    r"|เนื่องจาก|ก็เลย|เลยต้อง|โดนไล่|ไม่จบ|because|had to|dropped|quit|left school|pror"
)
# A drop-out told as a life story that is over: pride, thanks to all, nostalgia, someone else's past.
_LIFE_STORY = re.compile(
    r"ภูมิใจ|ขอบคุณ(?:ตัวเอง|ทุก|พ่อแม่|ครู)|ฮีโร่|ซึ้ง|ใครว่า|ใครเคย|สมัยก่อน|เล่าว่า|เล่าให้ฟัง"
    r"|ชีวิตดี|ได้แชมป์|เถ้าแก่|มีร้านของตัวเอง|มีบริษัท|เป็นพระ|ดังไปแล้ว|ดีใจสุด|ให้กำลังใจ"
)
# A wish for something other than school ("อยากกลับไปนอน", "อยากไปเที่ยว").
_OTHER_WISH = re.compile(
    r"(?:อยาก|จะ)(?:กลับ)?(?:ไป)?(?:นอน|กิน|เที่ยว|เล่น|ดู|ซื้อ|บ้าน|ทำงาน|หา|มี|ได้(?!วุฒิ|เรียน|ใบ))"
)
_WISH_TO_QUIT = re.compile(r"(?:อยาก|จะ)(?:ลา)?ออก(?:จากงาน)?|ลาออกจากงาน|ออกกำลัง|ออกไปเที่ยว|ออกไปกิน|ออกนอกบ้าน")
# Words of feeling and daily life: in what is left after the details, a sign of chat.
_EMOTIVE = re.compile(
    r"มาก|จัง|สุดๆ|เกิน|ชะมัด|โคตร|ดีใจ|เสียใจ|เหนื่อย|"
    r"เบื่อ|โสด|รถติด|ร้อน|หนาว|ฝน|อร่อย|หิว|ซน|น่ารัก"
    r"|สวย|หล่อ|ปวด|ง่วง|สนุก|ตลก|555|กิน|เล่น|เกลียด|รัก|คิดถึง|แข็งแรง"
)
# Daily life beside a detail ("อายุ 20 แล้ว ไปงานแต่งค่ะ", "ลูกชาย เป็นไข้", "อยู่น่าน ไฟดับ"): in what is left
# after the details, news of the day, not details for an intake.
_DAILY_LIFE = re.compile(
    r"มีแฟน|ไม่มีแฟน|หาแฟน|อกหัก|เป็นไข้|เป็นหวัด|ไม่สบาย(?!ใจ)|เมา(?!ะ)|ไปตลาด|ตลาดนัด|เที่ยว|ของขวัญ|งานวัด|งานแต่ง|งานบวช"
    r"|งานศพ|ฝันร้าย|ฝันดี|ตื่นสาย|ไฟดับ|น้ำไม่ไหล|เน็ตหลุด|เน็ตช้า|ผอม|อ้วน|ของแพง|ร้องเพลง|ละคร(?!ั้ง)|ซีรี่|ดูหนัง"
    r"|หวย|ลอตเตอรี่|ช้อปปิ้ง|หมูกระทะ|ส้มตำ|ชาบู|ทะเล(?!าะ)|สงกรานต์|ลอยกระทง|ของหาย|ทำกับข้าว|ซักผ้า"
    r"|ปวดหัว|ปวดท้อง|ปวดหลัง|เกรดดี|ได้เกรด(?!เฉลี่ย)|แมว|หมา(?![กย])"
)
# Laughter ("555", "ฮ่าๆ", a bare "55" that is no age) and a memory told for fun ("ตอนเด็กๆ").
_LAUGHTER = re.compile(r"555|ฮ่าๆ|ฮ่า\s*ฮ่า|ตอนเด็กๆ|(?<![\d.])(?<!อายุ)(?<!อายุ )55(?![\d.]|\s*(?:ปี|ขวบ))")
# Married life, dating and parties: what grown-ups chat about beside a place or an age (the residue
# keeps none of these words, so they are looked for in the whole message).
_SOCIAL_LIFE = re.compile(
    r"แต่งงาน|มีผัว|มีเมีย|หาแฟน|หาเพื่อน|เพื่อนคุย|งานเลี้ยง|เลี้ยงรุ่น|หย่าแล้ว|เลิกกับ(?:สามี|ผัว|แฟน|เมีย)|ท้อง(?:ลูก)?คนที่"
)
# Words that tie a hardship to leaving school ("…เลยต้องออก", "เพราะ…").
_CAUSAL = re.compile(
    r"เพราะ|เนื่องจาก|สาเหตุ|ต้อง|เลย|จึง|ออก|หยุด|เลิก|"
    r"ไม่ได้(?:ไป)?เรียน|ดรอป|ไม่จบ|บ่อย|ตาม|จน(?=ไม่|"
    r"ต้อง)"
)


# Reading a story whose present is not about school (issue 11): on/off, the out-of-scope share its
# present needs, the shortest message read so. Grouped CV (`python -m nlp.tune --file-folds`, 11
# training files): out-of-scope lines starting an intake 0.0300 -> 0.0245, in-domain accuracy
# 0.8965 -> 0.8964.
STORY_MODE = True
STORY_CHAT = 0.4
STORY_MIN = 40
# … and the share it needs beside an age or a place (a parent's "…ตอนนี้ทำงานร้านกาแฟแถวศรีราชา" is
# details; "…ตอนนี้มีสวนเป็นของตัวเองห้าสิบไร่แล้ว" at กระบี่ is a life that is settled). 1.0: never.
STORY_CHAT_KEPT = 0.7
# Details only an applicant gives: a message with one of them is read as details, its present or not
# (a parent's "…ตอนนี้ทำงานร้านกาแฟ อยู่ อ.เมืองชลบุรี").
_STORY_KEEPS = frozenset({"age", "birth_year_be", "province", "district", "subdistrict", "postal_code", "phone"})
# A story framed as news, a post, or times gone by: told about someone else or about a past that is
# over (in the training files: 112 chatter lines, and no applicant's line without a wish).
_FRAME = re.compile(
    r"ข่าว|ประกาศ|โพสต์|สถิติ|รายงาน|ดารา|ตามข้อมูล|เล่าว่า|เล่าให้ฟัง|สมัยก่อน|สมัยนั้น|แต่ก่อน|เมื่อก่อน|ย้อนไป"
)
# Where a story turns to the present ("…ออกตอน ม.3 ตอนนี้มีร้านของตัวเองแล้ว").
_NOW = re.compile(r"ตอนนี้|ปัจจุบัน(?:นี้)?|ทุกวันนี้|เดี๋ยวนี้|(?<![a-z])(?:now|tonni|ton ni|these days)(?![a-z])")


def _story_told(read: Understanding) -> bool:
    """A long message read as details or a wish that neither asks nor wishes nor gives an age or a
    place, framed as news or times gone by, or whose present (the words from its last "ตอนนี้") the
    classifier reads alone as chatter: a life story that is over ("…ออกตอน ม.3 ตอนนี้เป็นแม่ครัว
    โรงแรมที่ภูเก็ต"), news of someone else. An applicant's present is an age, a home, a wish or a
    question ("…ตอนนี้อายุ 18 อยากกลับไปเรียน")."""
    normalised = normalize(read.text)
    if len(normalised) < STORY_MIN or _asks(normalised) or _REQUEST.search(normalised):
        return False
    if _WISH.search(normalised):
        return False
    kept = bool(read.entities.keys() & _STORY_KEEPS)
    if _FRAME.search(normalised) and not kept:
        return True
    starts = [match.start() for match in _NOW.finditer(normalised)]
    if not starts or starts[-1] < 8 or len(normalised) - starts[-1] < 12:
        return False
    chat = dict(_load().predict(normalised[starts[-1] :]))["out_of_scope"]
    return chat >= (STORY_CHAT_KEPT if kept else STORY_CHAT)


def _life_news(read: Understanding) -> bool:
    """ "แต่งงานแล้วจ้า ตอนนี้อยู่สกลนคร": news of one's married or social life beside a place or an
    age, not details for an intake, even when a reason is read from the marriage (a marriage that
    ended school is a story of leaving, kept)."""
    normalised = normalize(read.text)
    return bool(
        _SOCIAL_LIFE.search(normalised)
        # a school level told beside it is schooling: details for an intake ("17 แต่งงานแล้ว จบแค่ ม.2")
        and not ({"grade", "grade_status"} & read.entities.keys())
        and not _LEAVING_STORY.search(_WISH_TO_QUIT.sub(" ", normalised))
        and not _asks(normalised)
        and not _WISH.search(normalised)
        and len(normalised) <= 60
    )


# A life that is settled, or a return to school refused (issue 11): on/off. In the training files 32 lines
# have one of these words, all out of scope; none of the development or check sets' in-scope lines has one.
SETTLED_MODE = True
_SETTLED = re.compile(
    r"ไม่คิดจะกลับ|ไม่(?:เสียใจ|เสียดาย)(?:เลย)?ที่|ปล่อยมันไป|พอใจแล้ว|ไม่เอาแล้วล่ะ|ชีวิต(?:ดี|โอเค|ok)|no regret"
    r"|proud of|รายได้(?:ดี|โอเค|พอตัว)|ขายดี|งานล้นมือ|kai dee|ลูกค้า(?:บ่|ไม่)ขาด"
)


def _settled(read: Understanding) -> bool:
    """ "ไม่เสียดายเลยที่ออกมา ตอนนี้ขายดีมาก": contentment with a life without school, or a return refused,
    with no wish, no question and no request."""
    normalised = normalize(read.text)
    return bool(
        (_SETTLED.search(normalised) or _SETTLED.search(read.text.lower()))
        and not _WISH.search(normalised)
        and not _asks(normalised)
        and not _REQUEST.search(normalised)
    )


# A pupil at school now, told as news (issue 11): on/off. In the training files 19 lines read so, all
# out of scope; a sibling at school beside the learner's own details ("…17 ปี จบ ม.3 แล้ว น้องเขาเรียน ป.5
# อยู่") is kept by those details.
AT_SCHOOL_MODE = True
# Signs that the schooling is over or unwanted: a school left, a time gone by, a path refused.
_SCHOOLING_OVER = re.compile(
    r"เลิก|ตอนนั้น|ตอนย้าย|สมัยนั้น|ไม่ได้เข้า|หนี|ค้าง|ซ้ำชั้น|พักการเรียน|ไม่ยอมไป|ไม่ไป|ไม่(?:อยาก|เอา|ชอบ|ถนัด)"
    r"|เคย|ตอนอายุ|left|quit|drop"
)
# The learner's own details: with one of them the message is details, whatever else it tells.
_LEARNER_DETAILS = frozenset({"age", "birth_year_be", "grade_status", "province", "district", "subdistrict",
                              "postal_code", "phone", "path"})


def _at_school_now(read: Understanding) -> bool:
    """ "ลูกสาวเรียนอยู่ ม.4 สายวิทย์ เหนื่อยการบ้านทุกวัน": a child at school now, no sign of leaving,
    no wish, no question and no detail of a learner of ours besides the level."""
    normalised = normalize(read.text)
    return bool(
        _IN_SCHOOL.search(normalised)
        and not (read.entities.keys() & _LEARNER_DETAILS)
        and not _LEAVING_STORY.search(_WISH_TO_QUIT.sub(" ", normalised))
        and not _SCHOOLING_OVER.search(normalised)
        and not _WISH.search(normalised)
        and not _asks(normalised)
        and not _REQUEST.search(normalised)
    )


def _chatter(read: Understanding) -> bool:
    normalised = normalize(read.text)
    answer = _ANSWER_WORDS.match(normalised)
    if answer and _ANSWER_TAIL.fullmatch(normalised, answer.end()):
        return False
    # English or romanised Thai (as typed: the normaliser turns some English words into Thai): chat
    # in it is rare, and its words are too many for the word lists below.
    latin = (
        bool(re.search(r"[a-zA-Z]{3}", read.text))
        and not re.search(r"[ก-๛]{2}", read.text)
        and len(re.findall(r"[a-z]{3,}", normalised)) >= 2
    )
    if read.intent == "enroll":
        # A wish names studying: "อยากกลับไปนอน" is no wish to enrol however sure the classifier is.
        if latin:
            return not (_LATIN_STUDY.search(read.text.lower()) or _STUDY.search(normalised))
        return not _STUDY.search(normalised) and (read.confidence < INFORM_SURE or bool(_OTHER_WISH.search(normalised)))
    if read.intent.startswith("ask_"):
        if latin:
            return False
        return read.confidence < INFORM_SURE and not _FAQ_TOPIC.search(normalised)
    if _LAUGHTER.search(normalised) and not set(read.entities) & _STRONG_KEYS:
        return True  # "ตอนเด็กๆ ไม่ชอบไปโรงเรียนเลย 555": a memory told for fun, no intake
    if _LEAVING_STORY.search(_WISH_TO_QUIT.sub(" ", normalised)):
        # A story of leaving school, however it is told, unless told as a life story that is over.
        return bool(
            _LIFE_STORY.search(normalised)
            and read.confidence < INFORM_SURE
            and not _asks(normalised)
            and not _WISH.search(normalised)
        )
    words = residue(normalised)
    left = words.replace(" ", "")
    share = len(left) / (len(normalised.replace(" ", "")) or 1)
    if not read.entities:
        # No detail at all: a name or a one-word answer is fine, a sentence about something else is not.
        return len(words.split()) >= 2 or bool(_EMOTIVE.search(left))
    if "phone" in read.entities or "postal_code" in read.entities:
        return False  # a phone number or a postal code is given, not chatted about
    if set(read.entities) & _STRONG_KEYS and _CORRECTION.search(normalised):
        return False  # "อายุไม่ใช่ 15 ค่ะ 16 แล้ว": a detail corrected
    daily = _EMOTIVE.search(left) or _DAILY_LIFE.search(normalised)
    if "reason" not in read.entities and daily and len(normalised) <= 40:
        return True  # "หลานอายุ 5 ขวบแล้ว ซนมาก", "กรุงเทพรถติดทุกวัน", "อายุ 30 แล้ว ปวดหลังทุกวัน": daily life
    if len(left) <= 4:
        return False
    strong = len(set(read.entities) & _STRONG_KEYS)
    if strong >= 2:
        return share >= 0.5
    if strong == 1:
        return share >= 0.3
    if "reason" in read.entities:
        if len(normalised) <= 24:
            return False  # a short answer to why they left ("โดนเพื่อนแกล้งทุกวัน")
        return share >= (0.55 if _CAUSAL.search(normalised) else 0.3)
    if _STUDY.search(normalised) and not _EMOTIVE.search(normalised) and read.confidence >= 0.5:
        return False  # "ผมเองครับที่จะสมัคร": who studies, said with a word of studying
    return share >= 0.2


def _read(text: str, today: date | None) -> Understanding:
    return _read_scored(text, today)[0]


def _read_scored(text: str, today: date | None) -> tuple[Understanding, float]:
    """The reading, and the classifier's probability that the message is out of scope (1.0 or
    0.0 when a rule decided before the classifier was asked)."""
    clean = safe_text(text)
    if not clean.strip():
        return Understanding("out_of_scope", 1.0, {}, clean), 1.0
    emoji = _emoji_intent(clean)
    if emoji:
        return Understanding(emoji, 0.99, {}, clean), 0.0
    normalised = normalize(clean)
    if re.fullmatch(r"[5๕]{3,}\+*|ฮ่า(?:ๆ|\s|ฮ่า)*|lol|55+\s*(?:ๆ)*", normalised):
        return Understanding("out_of_scope", 0.95, {}, clean), 1.0
    if not re.search(r"[ก-๛a-z0-9]", normalised):
        return Understanding("out_of_scope", 0.9, {}, clean), 1.0
    entities = extract_entities(normalised, today or _today())
    if _MUMBLE.fullmatch(normalised):
        return Understanding("out_of_scope", 0.6, entities, clean), 1.0
    if _NORTHERN_YES.match(normalised):
        return Understanding("affirm", 0.9, entities, clean), 0.0
    if _DELETE.search(normalised):
        return Understanding("delete_data", 0.99, entities, clean), 0.0
    if _CANCEL.match(normalised):
        return Understanding("cancel", 0.99, entities, clean), 0.0
    if _ADVERT.search(normalised):
        return Understanding("out_of_scope", 0.9, entities, clean), 1.0
    model = _load()
    ranked = model.predict(normalised)
    p_chat = dict(ranked)["out_of_scope"]
    read = _decide(model, normalised, clean, entities, ranked)
    if (
        (read.intent == "inform" or read.intent.startswith("ask_"))
        and _PLAN_TO_STUDY.search(normalised)
        and not _asks(normalised)
        and not _REQUEST.search(normalised)
        and not _ASKING.search(normalised)
        and not _OPENS_CORRECTION.match(normalised)
    ):
        # "พรุ่งนี้จะพาลูกไปสมัครที่ศูนย์ค่ะ", "ลูกทั้งสองคนอยากเรียนต่อ": a wish (or a plan) to study that
        # asks nothing is `enroll`, however many details or places come with it (DESIGN §3); a hobby
        # course is taken back just below.
        read = Understanding("enroll", max(read.confidence, 0.6), entities, clean)
    if (
        read.intent == "enroll"
        and _NEGATED_PATH.search(normalised)
        and not _asks(normalised)
        and not _WISH.search(_NEGATED_PATH.sub(" ", normalised))
    ):
        # "ไม่อยากเรียนสายอาชีพ", "ไม่เอาสายอาชีพ เอาสามัญ": a choice of path, said by what is not
        # wanted, is details (DESIGN §3); "ไม่อยากเรียนสายอาชีพ อยากเรียนสามัญ" keeps its wish.
        read = Understanding("inform", read.confidence, entities, clean)
    if (
        (
            read.intent.startswith("ask_")
            or read.intent == "enroll"
            # a question about another office's errand read as details ("…เบี้ยความพิการ ต้องติดต่อที่ อบต. ไหน")
            or (read.intent == "inform" and (_asks(normalised) or _ASKING.search(normalised)))
        )
        and _OTHER_COURSE.search(normalised)
        and not _OUR_SERVICE.search(normalised)
    ):
        # However the act was found (a clause, an unsure question): another office's errand or course.
        return Understanding("out_of_scope", read.confidence, entities, clean), max(p_chat, 0.5)
    return read, p_chat


def _decide(
    model: classifier.IntentModel,
    normalised: str,
    clean: str,
    entities: dict[str, Any],
    ranked: list[tuple[str, float]],
) -> Understanding:
    (intent, p1), (_second, p2) = ranked[0], ranked[1]
    if intent in ("human", "status") and _OTHER_SERVICE.search(normalised):
        return Understanding("out_of_scope", p1, entities, clean)  # another organisation's staff or case
    if (
        (intent.startswith("ask_") or intent == "enroll")
        and _OTHER_COURSE.search(normalised)
        and not _OUR_SERVICE.search(normalised)
    ):
        return Understanding("out_of_scope", p1, entities, clean)  # the army, a driving school, TCAS, tutoring
    if _HUMAN.search(normalised) and intent not in ("ask_office",) and not _OTHER_SERVICE.search(normalised):
        return Understanding("human", max(p1, 0.9), entities, clean)
    floor = classifier.ACT_CONFIDENCE if intent.startswith("ask_") or intent == "enroll" else classifier.MIN_CONFIDENCE
    unsure = p1 < floor or p1 - p2 < classifier.MIN_MARGIN
    p_chat = dict(ranked)["out_of_scope"]
    stronger = _strongest_clause(model, normalised, "inform" if unsure else intent,
                                 (p_chat if UNSURE_MARKED and len(normalised) >= UNSURE_MARKED_MIN else 1.0)
                                 if unsure else p_chat)
    if (
        stronger is None
        and OOS_CLAUSES
        and intent == "out_of_scope"
        and p1 < OOS_CLAUSE_MAX
        and len(normalised) >= OOS_CLAUSE_MIN
        and entities.keys() & _LEARNER_KEYS
        and (
            _LEAVING_STORY.search(_WISH_TO_QUIT.sub(" ", normalised))
            or entities.get("grade_status") == "left_during"
            or entities.get("grade") == "none"  # never at school
        )
        and not _IN_SCHOOL.search(normalised)
    ):
        # A long story about a learner that the classifier, reading it whole, takes for chat (a
        # teacher's or a grandparent's account of a child's life): a question at its end or start,
        # read alone, is still asked (DESIGN §3: a question over details).
        clause_asked = _strongest_clause(model, normalised, "inform", 0.0)
        if clause_asked is not None and clause_asked[0].startswith("ask_"):
            stronger = clause_asked
    corrected = bool(entities) and bool(_OPENS_CORRECTION.match(normalised)) and not _asks(normalised)
    if stronger is not None and not (corrected and stronger[0] == "enroll"):
        return Understanding(stronger[0], stronger[1], entities, clean)
    if corrected and (stronger is not None or intent in ("enroll", "deny", "affirm")):
        # "ผิดค่ะ ไม่ได้เรียนเอง สมัครให้ลูก": a detail corrected, not a new wish (DESIGN §3).
        return Understanding("inform", max(0.6, p1), entities, clean)
    if (
        "phone" in entities
        and intent in ("ask_office", "out_of_scope")
        and not _asks(normalised)
        and not (intent == "ask_office" and _ASKS_NUMBER.search(normalised))
    ):
        return Understanding("inform", max(0.6, p1), entities, clean)  # a number given, not asked for
    if (
        intent == "out_of_scope"
        and p1 >= (_CHATTER_FLOOR if "reason" not in entities else 0.8)
        and not (set(entities) - _WEAK_KEYS)
        and len(normalised) > 12
    ):
        # Chatter that names a child or a hardship ("ลูกชอบเล่นเกมทั้งวัน") gives no intake.
        return Understanding(intent, p1, entities, clean)
    if entities and intent in ("greet", "thanks") and not (set(entities) - _WEAK_KEYS) and len(normalised) > 16:
        return Understanding(intent, p1, entities, clean)  # "ขอบคุณค่ะ ไว้จะพาลูกไปสมัครนะคะ"
    if (
        entities
        and intent in ("out_of_scope", "deny", "greet", "thanks", "affirm", "help")
        and not _asks(normalised)
        and not (
            intent == "out_of_scope"
            and p1 >= OOS_SURE
            and not {"phone", "postal_code"} & set(entities)
            and not (set(entities) & _STRONG_KEYS and _CORRECTED_VALUE.search(normalised))
            and not ("role" in entities and _CORRECTED_ROLE.match(normalised))
            and (p1 >= OOS_CERTAIN or len(residue(normalised).replace(" ", "")) >= 3)
        )
    ):
        # Details given (a correction "อายุผิด 16", or details after a hello) → inform.
        return Understanding("inform", max(0.6, p1), entities, clean)
    if _ANSWER_WORDS.match(normalised) and intent in ("out_of_scope", "deny", "cancel"):
        return Understanding("inform", max(0.6, p1), entities, clean)
    if (
        intent.startswith("ask_")
        and not _asks(normalised)
        and set(entities) & (_STRONG_KEYS | {"reason"})
        and not _ASKING.search(normalised)
    ):
        return Understanding("inform", p1, entities, clean)  # "ได้วุฒิ ม.3 แล้วค่ะ": told, not asked
    if unsure:
        if entities and not _asks(normalised) and (set(entities) - _WEAK_KEYS or len(normalised) <= 16):
            return Understanding("inform", p1, entities, clean)
        asked = sum(p for label, p in ranked[:3] if label.startswith("ask_"))
        p_chat = dict(ranked)["out_of_scope"]
        asked_all = sum(p for label, p in ranked if label.startswith("ask_"))
        if intent != "out_of_scope" and p_chat <= UNSURE_CHAT:
            # Unsure which of our intents, not whether it is ours: a question takes the likeliest
            # question, anything else the likeliest intent.
            if asked_all >= ASK_MASS and _asks(normalised):
                return Understanding(next(label for label, _ in ranked if label.startswith("ask_")), asked_all,
                                     entities, clean)
            return Understanding(intent, p1, entities, clean)
        if (
            intent.startswith("ask_")
            and p_chat <= UNSURE_TOPIC_CHAT
            and asked_all >= ASK_MASS
            and _asks(normalised)
            and _FAQ_TOPIC.search(normalised)
        ):
            return Understanding(intent, asked_all, entities, clean)  # a question on one of the FAQ's topics
        if (
            intent.startswith("ask_")
            and asked >= 0.6
            and _asks(normalised)
            and re.search(r"กศน|สกร|การศึกษานอกระบบ", normalised)
        ):
            return Understanding(intent, p1, entities, clean)  # a question about us, its topic unsure
        return Understanding("out_of_scope", 1.0 - p1, entities, clean)
    return Understanding(intent, p1, entities, clean)


# An advertisement for certificates without study (DESIGN §3: out_of_scope whatever it names).
_ADVERT = re.compile(
    r"รับ(?:จ้าง)?ทำ(?:วุฒิ|ใบ)|(?:ขาย|ซื้อ)(?:วุฒิ|ใบจบ)|"
    r"ไม่ต้อง(?:ไป)?(?:เรียน|สอบ)\S{0,12}(?:จบ|วุฒิ|ได้)"
    r"|ตรวจสอบได้\s*100|จ่ายครั้งเดียวจบ|รับสอบแทน|วุฒิปลอม|ใบจบปลอม"
    # A seller's or an employer's words: cash on delivery, levels to choose from, open posts.
    r"|(?:จ่าย|เก็บเงิน)ปลายทาง|วุฒิ\S{0,24}ให้เลือก|ไม่จำกัดวุฒิ|หลายอัตรา|\d+\s*อัตรา|ตำแหน่งว่าง"
    # A post to share, a thing for sale at a price.
    r"|ฝากแชร์|ช่วยแชร์|ขาย.{0,40}ราคา\s*\d"
    # Job and sales adverts that name a certificate level ("รับสมัครพนักงาน วุฒิ ม.6 สนใจติดต่อ").
    r"|รับสมัคร(?:พนักงาน|คน(?:งาน|ทำงาน)|แอดมิน|ทหาร|ด่วน|ตำแหน่ง)|สนใจ(?:ติดต่อ|ทัก|"
    r"inbox)(?!\S{0,8}(?:เรียน|สมัคร|กศน))|ทัก(?:แชท|ไลน์|inbox)"
)
# Other organisations whose staff or cases people ask about with our words.
_OTHER_SERVICE = re.compile(
    r"ธนาคาร|กรุงไทย|กสิกร|ไทยพาณิชย์|ออมสิน|ธกส|ทรู|ดีแทค|เอไอเอส|ais|dtac|true|ไปรษณีย์|พัสดุ"
    r"|kerry|flash|shopee|lazada|แกร็บ|grab|ไลน์แมน|ประกันสังคม|เยียวยา|บัตรสวัสดิการ|บัตรคนจน"
    r"|ประกันชีวิต|การไฟฟ้า|การประปา|ค่าไฟ|ค่าน้ำ|โรงพยาบาล|ตำรวจ|ทหาร|กยศ|บริษัท"
)
# Other schools, exams and offices a question may be about (DESIGN §3: other services).
_OTHER_COURSE = re.compile(
    r"ทหาร|กองประจำการ|ตรวจเลือก|ครูผู้ช่วย|สอบ\s*ก\.?\s*พ|ข้าราชการ|ขับรถ|ใบขับขี่|พาสปอร์ต"
    r"|หนังสือเดินทาง|tcas|ติว|เรียนพิเศษ|สอบเข้า|"
    r"(?:เรียน|สอน)(?:ทำ)?(?:ขนม|เค้ก|อาหาร|ภาษา|ดนตรี)"
    # Other offices' errands (DESIGN §3: welfare cards, social security, ID cards, house registration).
    r"|ประกันสังคม|บัตรสวัสดิการ|บัตรคนจน|เบี้ยยังชีพ|เบี้ยผู้สูงอายุ|เงินอุดหนุน"
    r"|(?:ย้าย|แก้|แก้ไข)(?:ชื่อ)?(?:ใน|ที่)?ทะเบียนบ้าน|(?<!ใบ)เปลี่ยน(?:ชื่อ|นามสกุล)(?!มาแล้ว)|"
    r"(?<!ได้)(?:ทำ|ต่อ)บัตรประชาชน(?!\S{0,12}เรียน)"
    r"|ใบดำใบแดง|ไปเกณฑ์|ผ่อนผันทหาร"
    # Higher education and its loans, and courses or contests that are not school.
    r"|(?:มหาลัย|มหาวิทยาลัย|ม\.)\s*(?:ราม|รามคำแหง|สุโขทัย|มสธ|เปิด|รับสมัคร)|ปริญญา|ป\.\s*(?:ตรี|โท|เอก)|กยศ|กรอ\b"
    r"|(?:เรียน|สมัคร|สอน)(?:เล่น)?(?:เป็น)?(?:ช่าง)?(?:ว่ายน้ำ|แต่งหน้า|กีตาร์|เปียโน|ร้องเพลง|เต้น|ฟุตบอล|มวย|ทำเล็บ|ตัดผม|เสริมสวย|นวด"
    r"|ประกวด|ทำงาน(?!\s?(?:ไป|ด้วย|พร้อม))|งาน(?!\S{0,3}(?:ได้|ไหม))|ดำน้ำ|วาดรูป|โยคะ|ยิม|ฟิตเนส|ถ่ายภาพ)"
    r"|(?:เรียน|เข้า|สอบ)(?:ต่อ)?(?:คณะ|วิศวะ|แพทย์|หมอ|นิติ|บัญชี|บริหาร)|ทุนไปเรียน|เรียนต่อต่างประเทศ"
    # Other offices' papers and licences, and universities by name.
    r"|วีซ่า|visa|บัตรทอง|ภาษีรถ|บัตร\s*atm|บัตรเครดิต|ทะเบียนสมรส|ฟ้องหย่า|จดทะเบียนหย่า|(?<!ใบ)แจ้งความ|ราชภัฏ|มสธ"
    r"|สัสดี|หมายเรียก|ขึ้นทะเบียนคนพิการ|ทำบัตรคนพิการ|เบี้ย(?:ความ|คน)?พิการ|(?:สอบ|สมัคร)(?:เป็น)?ตำรวจ|ใบอนุญาตทำงาน|work permit"
    # A hobby course ("เรียนทำเบเกอรี่"), a master's or doctor's degree, an account on an app or a shop.
    r"|(?:เรียน|สอน)ทำ(?!งาน|ใบ|วุฒิ|บัตร|เอกสาร|ไม|ได้|อะไร|อย่างไร|ยังไง)\S"
    r"|(?:ต่อ|เรียน)\s*(?:ป\.\s*)?(?:โท|เอก)(?![ก-๛])"
    r"|สมัคร(?:สมาชิก|แอป|ติ๊กต็อก|tiktok|เฟส|facebook|ไอจี|ig|ยูทูบ|youtube|ช้อปปี้|ลาซาด้า|เน็ตฟลิกซ์|netflix)"
    # Loans and bank accounts, and other government offices by name.
    r"|กู้เงิน|สินเชื่อ|เปิดบัญชี|ธกส|ออมสิน|สำนักงานเขต|สำนักงานที่ดิน|สรรพากร|ขนส่งจังหวัด|สถานีตำรวจ|โรงพัก"
)
_OUR_SERVICE = re.compile(
    r"ใบเปลี่ยนชื่อ|ใบจบ|กศน|สกร|วุฒิ|การศึกษานอกระบบ|ตามอัธยาศัย|เทียบโอน"
    r"|เรียนต่อ(?!\s*(?:ป\.\s*)?(?:ตรี|โท|เอก)(?![ก-๛])|\s*ปริญญา)|ม\.\s*[1-6]|ป\.\s*[1-6]"
)
# Asking for the office's number or address, beside one's own number ("เบอร์ 08… ขอเบอร์ศูนย์หน่อย").
_ASKS_NUMBER = re.compile(
    r"ขอ(?:เบอร์|ช่องทาง|ที่อยู่|แผนที่|โลเคชั่น|ไลน์)(?!\S{0,3}(?:ผม|หนู|ฉัน|แม่|ลูก|หลาน|ข่อย|ตัวเอง))"
    r"|เบอร์(?:โทร)?(?:ของ)?\s?(?:ศูนย์|ครู|กศน|สกร|เจ้าหน้าที่|ที่ว่าการ|สำนักงาน)"
)
# Asking without a question word: "ขอเบอร์ศูนย์", "อยากทราบค่าใช้จ่าย".
_ASKING = re.compile(r"ขอ|อยากรู้|อยากทราบ|สอบถาม|บอกหน่อย|แนะนำ|หน่อย|ช่วย")
# A question about our service names it, or one of the things the FAQ answers.
_FAQ_TOPIC = re.compile(
    r"เรียน|สมัคร|กศน|สกร|วุฒิ|ศูนย์|ครู|เอกสาร|ใบ|บัตร|ทะเบียน|"
    r"ฟรี|ค่าเทอม|ค่าใช้จ่าย|เสียเงิน|ค่าสมัคร|จ่าย|เงิน|อายุ|"
    r"จบ|สอบ"
    r"|เทอม|เปิด|(?<!ค)รับ|ปิด|ม\.|ป\.|ปวช|มัธยม|ประถม|โรงเรียน|ที่ไหน|"
    r"เบอร์|โทร|ติดต่อ|เวลา|วัน|กี่|study|school|document|cost"
    r"|ใช้อะไร|ใช้ไหร|ใช้\S{0,4}(?:มั่ง|บ้าง)|สำเนา|ตัวจริง|ถ่ายรูป|รูปถ่าย|หลักฐาน|กระดาษ|ค่า(?=[ก-ฮ])|ชุด"
    r"|ที่ทำการ|ห้องการ|บริการ|เงื่อนไข|ระยะเวลา"
    r"|free|fee|apply|enrol|office|certificate|age|when|where|paper|pay|open|(?<![a-z])(?:kha|term|perd|soon|ber|mong"
    r"|samak|tabian|bat|roop|wut|duan|wan|pee|rong rian|pid|perd|rap|rub)(?![a-z])"
)
# Entities that chatter often carries too; alone they do not turn a chat message into details.
_WEAK_KEYS = {"role", "reason"}
_CHATTER_FLOOR = 0.6
# The classifier sure a message with details is out of scope ("หลานอายุ 5 ขวบ ผอมลงค่ะ"): it stays so
# when words other than the details are left (a bare "ฝาง เชียงใหม่" is an answer).
OOS_SURE = 0.5
# … and this sure, even when only words around details are left ("น่าน แต่งงานแล้วเด้อ").
OOS_CERTAIN = 0.85
# Unsure which intent, but the out-of-scope share at most this: one of ours.
UNSURE_CHAT = 0.15
# The share of the top three that must be questions for an unsure question to get an answer.
ASK_MASS = 0.5
# An unsure question on one of the FAQ's topics, with at most this out-of-scope share: answered.
UNSURE_TOPIC_CHAT = 0.3
# An intent this sure, with this little out-of-scope share, is not second-guessed by the chatter gate.
TRUST_CONFIDENCE = 0.8
TRUST_CHAT = 0.05
# The strength of an act (DESIGN §3): a command over a question over a wish over details.
_RANK = {
    "human": 4,
    "status": 4,
    "cancel": 4,
    "delete_data": 4,
    "ask_documents": 3,
    "ask_cost": 3,
    "ask_schedule": 3,
    "ask_eligibility": 3,
    "ask_certificate": 3,
    "ask_office": 3,
    "enroll": 2,
    "inform": 1,
}
_CLAUSE_SPLIT = re.compile(r"\s+|[,;!?.]+\s*")
CLAUSE_CONFIDENCE = 0.85
# A clause marked as a question or a wish: the share it needs, and the most the whole message
# may look like chatter.
CLAUSE_MARKED = 0.5
CLAUSE_CHAT = 0.3
MARKED_OVER_WISH = True
# A long message the classifier is unsure of (a parent's story with a question at its end, its share
# spread over inform, the question and chatter): its marked clauses are read as in a sure one, when
# the whole message is not likely chatter.
UNSURE_MARKED = True
UNSURE_MARKED_MIN = 60
# A long message about a learner read whole as out of scope, at most this sure: its question clauses
# are read alone (`_decide`). Its details must describe a learner (an age, a level, who they are) who
# has left school: a child still at school is a formal school's business.
OOS_CLAUSES = True
OOS_CLAUSE_MAX = 0.8
OOS_CLAUSE_MIN = 60
_LEARNER_KEYS = frozenset({"age", "grade", "grade_status", "role", "birth_year_be"})
# A child at school now ("ลูกเรียน ป.4", "เรียน ม.5 อยู่"), not one who left ("เรียนถึง ป.4 แล้วออก").
_IN_SCHOOL = re.compile(
    r"(?<!เคย)(?<!ไม่ได้)(?<!ได้)เรียน(?:อยู่)?\s*(?:ชั้น)?\s*(?:[มป]\.|ปวช)\s*\d?(?!\S{0,12}(?:ออก|ไม่จบ|ค้าง|หยุด))"
    r"|(?:ยัง|กำลัง)เรียนอยู่"
)
# Asking to be signed up, let in or helped ("สมัครให้หลานได้ไหม", "เรียนต่อได้เลยไหม", "ช่วยเขาหน่อยได้ไหม"):
# after a wish, the wish itself (DESIGN §3's question over a wish is a question about something else:
# the office, the days, the cost).
_APPLYING = re.compile(r"สมัคร|ลงทะเบียน|รับ\S{0,8}เข้า|เรียน\S{0,6}ได้|ช่วย|apply|enrol|register")
# A clause that is only a question word ("สมัครเรียน กศน | ยังไง ค่ะ") asks about the wish before it:
# "สมัครเรียน กศน. ยังไง" is DESIGN §3's own example of `enroll`.
_BARE_QUESTION = re.compile(
    r"^\s*(?:ต้อง)?\s*(?:ทำ)?\s*(?:ยังไง|อย่างไร|ไง|ได้ไหม|ได้มั้ย|ไหม|มั้ย|หรือเปล่า|บ้าง)\s*"
    r"(?:ดี|คะ|ค่ะ|ครับ|คับ|จ้า|จ้ะ|จ๊ะ|นะ|เด้อ|เนอะ|ฮะ)*\s*[?？]*\s*$"
)
# Words of a wish or a command: a clause without them (and without a question) is not read alone.
_ACT_CUE = re.compile(
    r"อยาก|ต้องการ|สมัคร|ลงทะเบียน|เรียน|เฮียน|กศน|สกร|ขอ|เจ้าหน้าที่|แอดมิน|แอด|คนจริง|คุย|โทร|ยกเลิก|"
    r"ไม่เอา|เริ่มใหม่|ลบ"
    r"|เรื่อง|ถึงไหน|ติดตาม|ผล|คืบหน้า|เงียบ|รอ|ติดต่อ|ช่วย|want|apply|enrol|register|study|cancel|delete|staff"
    r"|someone|talk|call"
)
# Who the writer is ("ผมเป็นเจ้าหน้าที่ อบต. ครับ", "เป็นครูค่ะ") or a talk already had ("ป้าคุยกับแม่มันแล้ว"):
# a clause of a story that is told, never a request to talk to staff, whatever its words.
_TOLD_NOT_ASKED = re.compile(
    r"เป็น(?:เจ้าหน้าที่|ครู|แอดมิน|พนักงาน)|(?:คุย|ปรึกษา|ติดต่อ|โทร)\S{0,16}แล้ว(?!\S{0,4}(?:ยัง|ไหม|มั้ย))"
)
# A letter's salutation ("เรียนเจ้าหน้าที่", "เรียนครู กศน"): it addresses, it neither asks nor commands.
_SALUTATION = re.compile(r"^เรียน\s*(?:เจ้าหน้าที่|ครู|ท่าน|แอดมิน|แอด|ผู้|ผอ|คุณ)")
# A request for information is a question without a question word ("ขอที่อยู่ศูนย์ใน อ.เมือง ด้วยครับ",
# "อยากทราบค่าใช้จ่าย", "ไม่รู้จะไปสมัครที่ไหน" is caught by ที่ไหน already).
_REQUEST = re.compile(
    r"ขอ(?:ทราบ|ที่อยู่|เบอร์|รายการ|รายละเอียด|ข้อมูลเรื่อง|แผนที่|ช่องทาง|คำแนะนำ|โลเคชั่น)|อยากทราบ|อยากรู้"
    r"|รบกวนบอก|บอกหน่อย|แนะนำหน่อย|ไม่รู้(?:ว่า)?จะ(?:ไป)?(?:ถาม|ติดต่อ|สมัคร|เริ่ม)"
)
# A wish or a plan to study, said outright: in the training files 262 lines with it and no question are
# `enroll`, none is a question, one is details (a negated wish, "ไม่ได้อยากเรียน…", kept out here); the
# out-of-scope ones are hobby courses, which `_OTHER_COURSE` takes back. "คนที่อยากเรียนคือคนเล็ก" names who,
# it is no wish of its own.
_PLAN_TO_STUDY = re.compile(
    r"(?<!ไม่)(?<!ไม่ได้)(?<!ไม่ค่อย)(?<!ที่)(?<!ที่\s)(?:อยาก|ต้องการ)(?:ให้\S{0,8}?)?(?:ได้)?(?:กลับ)?(?:ไป|มา)?(?:เรียน|สมัคร)"
    r"|จะ(?:พา|ส่ง)\S{0,12}?(?:ไป|มา)?(?:สมัคร|เรียน|ลงทะเบียน)"
    # a wish for the certificate itself ("อยากมีวุฒิ ม.3 สักใบ"): 26 of 26 such training lines are `enroll`
    r"|(?<!ไม่)(?<!ไม่ได้)อยาก(?:มี|ได้)(?:ใบ)?วุฒิ"
)
# A path that is not wanted. In the training files all 18 lines with one, no question and no wish besides
# are `inform`.
_NEGATED_PATH = re.compile(
    r"(?:ไม่|ไม่ได้|ไม่ค่อย)(?:อยาก|เอา|ชอบ|ถนัด)?(?:ได้)?(?:เรียน)?\s*"
    r"(?:สาย\S{0,6}|ปวช\.?|ปวส\.?|อาชีวะ|อาชีพ|สามัญ|ช่าง|ม\.\s*ปลาย)"
)
_WISH = re.compile(
    r"จะ(?:พา|ส่ง)\S{0,12}?(?:ไป|มา)?(?:สมัคร|เรียน|ลงทะเบียน)|"
    r"(?<!ไม่)อยาก|ต้องการ|สมัคร|ขอเรียน|ให้(?:เขา|ลูก|หลาน|น้อง|มัน)?(?:ได้)?(?:เรียน|เฮียน)|want|wish|apply"
    # A wish said as an intention or a plea ("ตั้งใจจะเรียนให้จบ", "ฝากหลานด้วย", "รับลูกเข้าเรียนด้วย").
    r"|(?<!ไม่)(?:สนใจ|ตั้งใจ|คิดจะ|พร้อม)(?:จะ)?(?:ให้\S{0,6})?(?:กลับ)?(?:ไป)?(?:เรียน|สมัคร|กศน)"
    r"|ฝาก(?:ลูก|หลาน|น้อง)|รับ\S{0,8}เข้าเรียน"
)


# Thai is often typed without spaces ("ลูกอายุ16ออกตอนม2อยากให้เรียนต้องไปสมัครที่ไหนคะ"): the end of a
# long unspaced run is read alone in windows of these many characters, as a clause would be.
TAIL_WINDOWS = (14, 20, 28)
_TAIL_PARTICLES = re.compile(r"(?:\s*(?:ค่ะ|คะ|ครับ|นะ|จ้า|อะ|อ่ะ|หน่อย|ด้วย|บ้าง|\?|ๆ))*$")


def _tail_windows(last: str) -> list[str]:
    """The end of a long unspaced last word, cut at the start of a window (particles not counted),
    when it asks: "…ต้องไปสมัครที่ไหนคะ" alone, without the details glued before it."""
    core = _TAIL_PARTICLES.sub("", last)
    if len(core) <= TAIL_WINDOWS[0] + 6 or not _asks(last[-(TAIL_WINDOWS[-1] + 8):]):
        return []
    tail = last[len(core):]
    return [core[-size:] + tail for size in TAIL_WINDOWS if size < len(core) - 4]


def _strongest_clause(
    model: classifier.IntentModel, normalised: str, intent: str, p_chat: float = 1.0
) -> tuple[str, float] | None:
    """A long message read clause by clause: when one clause is confidently a stronger act than
    the whole message's intent (a question at the end of a parent's list of details), that act.
    A clause marked as its act (a question word, a wish) needs less confidence, when the whole
    message is not likely chatter."""
    if intent not in ("inform", "enroll") or len(normalised) < 24:
        return None
    words = [w for w in _CLAUSE_SPLIT.split(normalised) if w]
    if len(words) < 2 and len(normalised) < TAIL_WINDOWS[-1] + 8:
        return None
    clauses: list[str] = []
    for word in words:  # short pieces ("ค่ะ", "ม.2") stay with the clause before them
        if clauses and len(word) < 6:
            clauses[-1] += " " + word
        else:
            clauses.append(word)
    best: tuple[str, float] | None = None
    # The last clauses, their pairs of neighbours, and the message's last three words ("สมัคร กศน ได้เลยไหมคะ");
    # and its first two clauses when they ask, as a question is often asked first and the story told after
    # it ("เรียนฟรีไหมคะ ลูกสาวอายุ 16 ออกตอน ม.2 เพราะ…"; a salutation "เรียนเจ้าหน้าที่" asks nothing).
    pairs = [f"{a} {b}" for a, b in zip(clauses, clauses[1:], strict=False)]
    first = [clause for clause in clauses[:2] if clause not in clauses[-6:] and _asks(clause)]
    candidates = clauses[-6:] + pairs[-3:] + [" ".join(words[-3:])] + _tail_windows(words[-1]) + first
    marked_ok = p_chat <= CLAUSE_CHAT
    whole_clauses = set(clauses)
    for clause in candidates:
        if _SALUTATION.match(clause):
            continue  # "เรียนเจ้าหน้าที่ค่ะ": the letter's "Dear officer", no wish to talk to one
        asked = _asks(clause) or bool(_REQUEST.search(clause))
        if not asked and not _ACT_CUE.search(clause):
            continue  # no question, wish or command in it: it cannot be a stronger act
        ranked = model.predict(clause)
        (label, p) = ranked[0]
        mass = sum(q for name, q in ranked if name.startswith("ask_"))
        if (
            marked_ok
            and asked
            and (
                intent == "inform"
                or (
                    MARKED_OVER_WISH
                    and label.startswith("ask_")
                    and clause in whole_clauses  # not a window cut out of a wish ("…สมัครเรียน | กศน ยังไง ค่ะ")
                    and not _APPLYING.search(clause)
                    and not _BARE_QUESTION.match(clause)
                )
            )
            and label != "out_of_scope"
            and mass >= CLAUSE_MARKED
        ):
            label, p = next((name, mass) for name, _ in ranked if name.startswith("ask_"))
        elif marked_ok and label == "enroll" and p >= CLAUSE_MARKED and _WISH.search(clause):
            pass
        elif p < CLAUSE_CONFIDENCE:
            continue
        if _RANK.get(label, 0) <= _RANK.get(intent, 0):
            continue
        if label == "human" and _TOLD_NOT_ASKED.search(clause) and not _HUMAN.search(clause):
            continue
        if label.startswith("ask_") and not asked:
            continue
        if best is None or _RANK[label] > _RANK.get(best[0], 0):
            best = (label, p)
    return best


def _today() -> date:
    from datetime import datetime

    return datetime.now(BANGKOK).date()
