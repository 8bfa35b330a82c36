"""A learned reader of whose age and school level a message tells: the learner's, or someone else's.

Every mention that could be an age (a number 5–99, in digits or spelled out) and every school-level
mention (`entities._GRADE_RE`) is a candidate. A logistic regression scores each candidate "is the
learner's age now" / "is the learner's level reached" from its context: the words either side, the
nearest person named before it (ลูก, แม่, ผม, พี่ …) and how far, cue words (ตอน, ตั้งแต่, ปีนี้,
อยาก …), whether the rules (`nlp.entities`) read it and whether it sits in the stretch the rules take
to be about the learner. The best candidate above a threshold is the answer, else none. A second,
three-way model reads `grade_status` (completed, left during, none) from the chosen level's context.

    python -m nlp.mentions --cv      # cross-validation grouped by file: rules alone vs rules + this reader
    python -m nlp.mentions --train   # fit on every labelled file and keep the numbers in nlp/data/mentions.npz

The kept file holds plain arrays (feature names, weights, thresholds) and a fingerprint of the
training files and of the code that makes the features; nothing pickled. scikit-learn is used only
to fit: when the kept file is stale, the reader is fitted at first use (a few seconds, with a warning to
run --train), and if that fails the rules alone read age and level (logged).

A fourth model, four-way (none, self, parent, other), reads the writer's `role` from the whole message: the
rules' role, the message's words (newmm uni- and bigrams), each person named with the words right around it
("ถามให้น้อง", "ผมเป็นพี่ชาย", "น้องชายหนู"), the first person named, and who is named right before the first
age and level. It overrules the rules' role (gives one, changes it or drops it) only when sure
(P >= ROLE_SWAP), and never in a message of at most ROLE_SHORT characters; it never gives "self" nor turns
"parent" into "other", nor drops "self" (ROLE_NEVER_GIVES, ROLE_NEVER: grouped CV role 0.912 -> 0.932).
Grouped CV by file over 4,727 lines (files d and e in): role right on 0.962 of lines by the rules, 0.975 with
this model (new writers' files 0.933 -> 0.956, development files 0.991 -> 0.994); on check11.jsonl role
accuracy 0.709 -> 0.781 and entity exact match 0.830 -> 0.845 (before files d and e).

In `nlp.entities.extract_entities` the rules' values stand; this reader gives the age, the level and its
status the rules left empty (never when two children are told with no sign of which one is meant). Its
grouped cross-validation showed that it mostly finds what the rules miss; replacing the rules' values
outright did worse on the lines the rules were written against.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import logging
import math
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from nlp.classifier import token_spans
from nlp.kept import ReadOnce

log = logging.getLogger(__name__)

DATA = Path(__file__).with_name("data")
MODEL_FILE = DATA / "mentions.npz"
TODAY = date(2026, 11, 22)
# Bump when the features change: a kept model of another version is not used.
FORMAT = 2
C_AGE = 1.0
C_GRADE = 1.0
C_STATUS = 1.0
# The role model (`Reader.read_role`): on or off, its regularisation, the weight of the new writers' lines in
# it, and how sure it must be to overrule the rules' role.
ROLE = True
C_ROLE = 0.3
ROLE_NEW_WEIGHT = 4.0
ROLE_SWAP = 0.7
# What the role model never does, by grouped CV (6354 lines, 20 files, P >= 0.7): give "self" (the rules want
# ผมเอง, ตัวเอง; a bare ผม/หนู is no role: none -> self was wrong on 164 lines, right on 39) or turn the rules'
# "parent" into "other" (wrong on 4, right on 0: "ลูกชายลุง", a guardian). With both, role right on 0.913
# (rules alone) / 0.912 (model as was) -> 0.933 of lines; every development file at or above the rules but dev7.
ROLE_NEVER_GIVES = frozenset({"self"})
# Nor does it drop the rules' "self", read only from explicit words (ผมเอง, ตัวเอง, สมัครให้ตัวเอง: DESIGN §3);
# right on 4 CV lines, but the contract's words stand (role right 0.933 -> 0.932).
ROLE_NEVER = frozenset({("parent", "other"), ("self", "none")})
# A message this short keeps the rules' role ("สมัครให้แม่ค่ะ"): too few words for the model to judge.
ROLE_SHORT = 24
STATUSES = ("none", "completed", "left_during")
# Feature families left out of the fit (by name prefix), for experiments: ("rule", "about") etc.
DROP: tuple[str, ...] = ("rulel", "mark:")
POLICY = "fill"
# A status is added to a level the rules read without one only when this sure (and a word of leaving or
# finishing is said: `_status_told`).
STATUS_FILL = 0.5
# The rules' values missing, a value is filled only from a mention in the stretch the rules take to be
# about the learner (`entities.learner_parts`).
FILL_IN_ABOUT = False
# The rules' value missing, no value is filled from another adult's stretch: a mention the rules left out of
# the learner's stretch, said right after an adult (แม่, ลุง, แม่ผม …) when the learner is someone else (a
# child, a student, the writer): "แม่อายุ 40 จบแค่ ป.6 อยากให้ลูกได้เรียน", "แม่ผมจบ ม.6 … ผมเลยอยากเรียน".
# A marker ("mark:adult", left out of the fit), not a feature: the models are unchanged. Nor from a sibling's
# clause when the learner is a child or a student ("mark:kin": "ลูกสาวคนเล็กอายุ 15 … ส่วนพี่เขาจบ ม.6").
FILL_NOT_ADULTS = True
# More candidates than this (a pasted list or table) and the rules' reading stands: reading stays cheap.
MAX_CANDIDATES = 12


def training_files() -> tuple[Path, ...]:
    """The entity-labelled files: the development sets and the new writers' files. Never test.jsonl
    nor the held-out or chatter sets."""
    files = [*sorted(DATA.glob("dev*.jsonl")), DATA / "entity_dev.jsonl", *sorted(DATA.glob("train_entities_*.jsonl"))]
    return tuple(path for path in files if path.exists())


# --- tokens -----------------------------------------------------------------------------------------


def _spans(text: str) -> list[tuple[int, int, str]]:
    """newmm tokens of `text` with their character offsets (`nlp.classifier.token_spans`: a message's
    chunks are tokenised once for the intent classifier and the readers, through its cache)."""
    return token_spans(text)


def _window(spans: list[tuple[int, int, str]], start: int, end: int, size: int = 3) -> tuple[list[str], list[str]]:
    """The `size` tokens that end before `start` and the `size` that begin at or after `end` (the spans
    are in order and do not overlap)."""
    first_right = bisect.bisect_left(spans, end, key=lambda span: span[0])
    last_left = bisect.bisect_right(spans, start, key=lambda span: span[1])
    left = [token for _s, _e, token in spans[max(0, last_left - size) : last_left]]
    right = [token for _s, _e, token in spans[first_right : first_right + size]]
    return left, right


# --- people ---------------------------------------------------------------------------------------

_PERSON_WORDS = re.compile(
    r"(?P<baby>ลูก\S{0,6}?\s*(?:อายุ)?\s*(?:[0-4]|หนึ่ง|สอง|สาม|สี่)\s*(?:ขวบ|เดือน))"
    r"|(?P<ward>ลูกศิษย์|นักเรียน|เพื่อน|ลูกน้อง|ลูกจ้าง)"
    r"|(?P<sibling>ลูกพี่ลูกน้อง|พี่(?:ชาย|สาว)?|น้อง(?:ชาย|สาว)?|ญาติ|แฝด)"
    r"|(?P<child>ลูก(?:ชาย|สาว)?|หลาน(?:ชาย|สาว)?|บุตร|คนโต|คนเล็ก|คนกลาง|คนที่\s*\d|คนพี่|คนน้อง)"
    # an adult with the writer's possessive ("แม่ผมจบ ม.6"): the adult's, not the writer's
    r"|(?P<adult>(?:พ่อ|แม่|ยาย|ย่า|(?<![ก-๛])ตา(?![ก-๛])|ปู่|ป้า|ลุง|น้า|(?<![ก-๛])อา(?![ก-๛])|สามี|ภรรยา|แฟน|ผู้ปกครอง"
    r"|ครู)(?:ของ)?(?:ผม|หนู|ดิฉัน|ฉัน|เรา)?)"
    r"|(?P<self>ผม|หนู|ดิฉัน|ฉัน|ข่อย|กู|(?<![ก-๛])เรา|ตัวเอง|i\b|my\b)"
)
_LEARNER_ORDER = ("child", "ward", "self", "sibling", "adult")


@dataclass
class _People:
    found: list[tuple[int, str, str]]  # (start, kind, word)
    learner: str  # who the message is most likely about, by kind

    def before(self, where: int) -> tuple[str, str, int] | None:
        best = None
        for start, kind, word in self.found:
            if start < where:
                best = (kind, word, where - start)
        return best

    def after(self, where: int, limit: int = 14) -> tuple[str, str] | None:
        for start, kind, word in self.found:
            if where <= start <= where + limit:
                return kind, word
        return None


def _people(text: str) -> _People:
    found = [(m.start(), m.lastgroup or "", m.group()) for m in _PERSON_WORDS.finditer(text)]
    kinds = {kind for _, kind, _ in found}
    learner = next((kind for kind in _LEARNER_ORDER if kind in kinds), "nobody")
    return _People(found, learner)


def _distance(n: int) -> str:
    return "0" if n <= 6 else "1" if n <= 15 else "2" if n <= 35 else "3"


# --- candidates -------------------------------------------------------------------------------------

_THAI_NUMBER = r"(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่|เอ็ด)+"
_AGE_NUMBER = re.compile(
    r"(?<![\d.:/,])(\d{1,2})(?![\d:/])(?!\.\d)"
    r"|(?:(?<=อายุ)|(?<=อายุ\s)|(?<=อายุได้)|(?<=อายุได้\s))(" + _THAI_NUMBER + r")"
    r"|(" + _THAI_NUMBER + r")(?=\s*(?:ปี|ขวบ))"
)


_DATE_AFTER = re.compile(
    r"\s*(?:ม\.?ค|ก\.?พ|มี\.?ค|เม\.?ย|พ\.?ค|มิ\.?ย|ก\.?ค|ส\.?ค|ก\.?ย|ต\.?ค|พ\.?ย|ธ\.?ค)\.|\s*(?:มกรา|กุมภา|มีนา|เมษา|พฤษภา"
    r"|มิถุนา|กรกฎา|สิงหา|กันยา|ตุลา|พฤศจิ|ธันวา)"
)
# After a number, a unit that is not years of age.
_NOT_YEARS_AFTER = re.compile(
    r"\s*(?:เดือน|วัน|โมง|บาท|คน|เทอม|ครั้ง|กิโล|ชั่วโมง|นาที|หลัก|ชิ้น|ชุด|แผ่น|ข้อ|คะแนน|พัน|หมื่น|%|ตัว|วิชา|ห้อง|หน่วย"
    r"|กม|km|kg|cm|นิ้ว|ไซส์|หลัง|ไร่|ต้น|ลิตร|กรัม|เมตร|สัปดาห์|อาทิตย์|ทุ่ม|am|pm|โมงเช้า|เล่ม)"
)


@dataclass
class Candidate:
    value: Any
    start: int
    end: int
    features: list[str] = field(default_factory=list)


def _grade_spans(text: str) -> list[tuple[int, int, str]]:
    from nlp.entities import _GRADE_RE, _grade_value

    return [(m.start(), m.end(), _grade_value(m)) for m in _GRADE_RE.finditer(text)]


def age_candidates(text: str, grades: list[tuple[int, int, str]]) -> list[Candidate]:
    """The numbers that could be someone's age now: not a level's number, a count of something else, a
    day of a date, a range, a price, nor an age told of the past."""
    from nlp.entities import _PAST_AGE, _word_number

    found = []
    for match in _AGE_NUMBER.finditer(text):
        raw = match.group(match.lastindex or 1)
        value = int(raw) if raw.isdigit() else _word_number(raw)
        if value is None or not 5 <= value <= 99:
            continue
        start, end = match.span()
        if any(s <= start < e for s, e, _ in grades):
            continue  # the 2 of ม.2
        if _NOT_YEARS_AFTER.match(text, end) or _DATE_AFTER.match(text, end):
            continue  # "8 เดือน", "12 บาท", "13 หลัก", "15 มี.ค.": a number of something else, a day
        if re.match(r"\s*(?:ปี)?\s*(?:[-–]\s*\d|ถึง\s*\d|ขึ้นไป)", text[end:]) or re.search(
            r"ละ\s*$|\d\s*[-–]\s*$", text[max(0, start - 8) : start]
        ):
            continue  # "อายุ 20-50", "15 ขึ้นไป": a range asked for; "ไม้ละ 12": a price
        if re.search(r"(?:หมู่(?:ที่)?|ม\.|เลขที่|ซอย|ซ\.)\s*$", text[max(0, start - 10) : start]):
            continue  # "บ้านอยู่หมู่ 6", "ซอย 12": an address, not an age
        if _PAST_AGE.search(text[max(0, start - 24) : start]):
            continue  # "ตอนอายุ 12", "ตั้งแต่ 13": an age in the past, never the learner's now
        found.append(Candidate(value, start, end))
    return found


def grade_candidates(text: str, grades: list[tuple[int, int, str]]) -> list[Candidate]:
    """The level mentions, but for a level asked about ("จบ ม.6 ใช้เวลากี่เทอม") or a range or a
    requirement ("ม.4-ม.6", "วุฒิ ม.3 ขึ้นไป"): never a level reached."""
    from nlp.entities import _LEVEL_ASKED_AFTER, _WISH_BEFORE

    found = []
    skipped_to = -1  # where the last level skipped as a wish ends: a list of them goes on ("ใบจบ ม.3 ม.6")
    for start, end, value in grades:
        if skipped_to >= 0 and re.fullmatch(r"[\s,/]*(?:และ|หรือ|กับ|-)?[\s,/]*", text[skipped_to:start]):
            skipped_to = end
            continue
        skipped_to = -1
        after = text[end:]
        if _LEVEL_ASKED_AFTER.match(after) or re.match(r"\s*(?:ขึ้นไป|ขึ้น\s+ไป|[-–]\s*(?:ม|ป)\.?\s*\d)", after):
            continue
        if re.search(r"(?:ม|ป)\.?\s*\d\s*[-–]\s*$", text[max(0, start - 8) : start]):
            continue
        before = text[max(0, start - 16) : start]
        if _WISH_BEFORE.search(before) and not (
            re.search(r"(?:จบ|ออก|เรียนถึง|ถึง|หลัง(?:จาก)?|(?<=เรียน)ต่อจาก)\s*$", before)
            and not re.search(r"(?:ให้|อยาก|ใบ|จะ|จน|ต้อง|กี่\S{0,6})(?:จบ|ออก|เรียนถึง|ถึง)\s*$", before)
        ):
            skipped_to = end
            continue  # "อยากให้ลูกได้วุฒิ ม.3": a level wished for (the rules' own test)
        found.append(Candidate(value, start, end))
    return found


# --- features -----------------------------------------------------------------------------------------

_QUESTION = re.compile(r"ไหม|หรือเปล่า|หรือไม่|\?|ได้บ้าง|อย่างไร|เท่าไหร่|เมื่อไหร่|ยังไง|กี่")
_CLAUSE_BREAK = re.compile(r"\s(?:แต่|ส่วน|และ|แล้ว|ตอนนี้|ปัจจุบัน)|(?:ค่ะ|ครับ|คะ|นะ)\s|[.,!?]")


def _cue_features(text: str, start: int, end: int) -> list[str]:
    before = text[max(0, start - 14) : start]
    after = text[end : end + 14]
    feats = []
    for name, pattern in _BEFORE_CUES:
        if re.search(pattern, before):
            feats.append("cb:" + name)
    for name, pattern in _AFTER_CUES:
        if re.match(pattern, after):
            feats.append("ca:" + name)
    return feats


_BEFORE_CUES = [
    ("age", r"อายุ\S{0,6}\s*$"),
    ("age_far", r"อายุ"),
    ("past", r"(?:ตอน(?!นี้)|ตั้งแต่|เมื่อ|สมัย)\S{0,8}\s*$"),
    ("now", r"(?:ตอนนี้|ปีนี้|ปัจจุบัน)\S{0,6}\s*$"),
    ("wish", r"(?:อยาก|ต้องการ|จะ|ให้จบ|ได้วุฒิ|ต่อ|สมัคร|เทียบ|วุฒิ)\S{0,6}\s*$"),
    ("finish", r"จบ\S{0,4}\s*$"),
    ("left", r"(?:ออก|เลิก|หยุด|ดรอป|ทิ้ง|ค้าง|หลุด|ลาออก)\S{0,6}\s*$"),
    ("reach", r"(?:เรียนถึง|ถึง|แค่|เรียนได้)\S{0,3}\s*$"),
    ("deny", r"(?:ไม่ใช่|ไม่ได้)\S{0,6}\s*$"),
    ("duration", r"(?:เรียน|ใช้เวลา|กี่|ภายใน|ทำงาน|มา|ห่าง|นาน|เกือบ|ไป|ได้)\s*$"),
    ("year", r"(?:เกิด|พ\.ศ|ค\.ศ|ปี)\s*$"),
    ("range", r"\d\s*[-–]\s*$|ถึง\s*$"),
    ("now_far", r"ตอนนี้|ปีนี้"),
    ("correct", r"เอ้ย|เอ๊ย|ไม่ใช่|ขอแก้|ที่ถูก"),
    ("measure", r"(?:ไซส์|ไซซ์|size|ละ|เบอร์|ราคา|เลขที่|ห้อง|บ้านเลขที่|หมู่|ม\.)\s*$"),
]
_AFTER_CUES = [
    ("year", r"\s*ปี"),
    ("khuap", r"\s*ขวบ"),
    ("month", r"\s*เดือน"),
    ("unit", r"\s*(?:วัน|โมง|บาท|คน|เทอม|ครั้ง|กิโล|ชั่วโมง|นาที|ตัว|วิชา|พัน|หมื่น|%|หลัก|ชิ้น|ชุด|แผ่น|ข้อ|คะแนน)"),
    ("range", r"\s*(?:ปี)?\s*(?:[-–]\s*\d|ถึง\s*\d|ขึ้นไป)"),
    ("then", r"\s*(?:ปี|ขวบ)?\s*(?:แล้ว|กว่า)"),
    ("ago", r"\s*(?:ปี|เดือน)?\s*(?:ที่แล้ว|ก่อน|มาแล้ว|ที่)"),
    ("past_after", r"\s*(?:ปี|ขวบ)?\s*(?:ตอน|สมัย)"),
    ("finish", r"\s*(?:ปี|ขวบ)?\s*(?:ก็|แล้ว|ค่ะ|ครับ)?\s*จบ"),
    ("left", r"\s*\S{0,8}(?:ออก|เลิก|หยุด|ดรอป|ไม่จบ|ค้าง|ทิ้ง)"),
    ("question", r"[^?]{0,20}(?:ไหม|\?|หรือเปล่า|ได้บ้าง)"),
    ("path", r"\s*สาย"),
    ("particle", r"\s*(?:ค่ะ|ครับ|คะ|นะ|จ้า)"),
    ("end", r"\s*(?:ค่ะ|ครับ|คะ|นะ|จ้า)?\s*$"),
    ("tam", r"\s*(?:ทั้งคู่|ทั้งสอง|กับ\s*\d)"),
    (
        "date",
        r"\s*(?:ม\.?ค|ก\.?พ|มี\.?ค|เม\.?ย|พ\.?ค|มิ\.?ย|ก\.?ค|ส\.?ค|ก\.?ย|ต\.?ค|พ\.?ย|ธ\.?ค|มกรา|กุมภา|มีนา|เมษา|พฤษภา"
        r"|มิถุนา|กรกฎา|สิงหา|กันยา|ตุลา|พฤศจิ|ธันวา)",
    ),
]


def _value_bucket(value: int) -> str:
    for limit, name in ((11, "child"), (14, "young"), (17, "teen"), (21, "youth"), (25, "young_adult"), (35, "adult")):
        if value <= limit:
            return name
    return "older"


def _grade_kind(value: str) -> str:
    if value == "none":
        return "none"
    if value.startswith("pvc") or value == "vocational":
        return "pvc"
    if value in ("primary", "lower_secondary", "upper_secondary"):
        return "coarse"
    return value[0]


def _common_features(
    text: str,
    candidate: Candidate,
    rank: int,
    count: int,
    spans: list[tuple[int, int, str]],
    people: _People,
    about: str,
    two: bool,
    rule: Any,
) -> list[str]:
    feats = ["bias"]
    left, right = _window(spans, candidate.start, candidate.end)
    feats += [f"l{len(left) - i}:{token}" for i, token in enumerate(left)]
    feats += [f"r{i + 1}:{token}" for i, token in enumerate(right)]
    feats += [f"lb:{token}" for token in left] + [f"rb:{token}" for token in right]
    feats += _cue_features(text, candidate.start, candidate.end)
    near = people.before(candidate.start)
    learner = people.learner
    if near:
        kind, word, gap = near
        feats += [f"p:{kind}", f"pw:{word}", f"pd:{kind}:{_distance(gap)}", f"pl:{kind}|{learner}"]
        feats.append(f"pd:{kind}:{_distance(gap)}|{learner}")
        between = text[candidate.start - gap : candidate.start]
        if _CLAUSE_BREAK.search(between):
            feats.append(f"pbreak:{kind}|{learner}")
    else:
        feats += ["p:none", f"pl:none|{learner}"]
    after = people.after(candidate.end)
    if after:
        feats += [f"pa:{after[0]}", f"pal:{after[0]}|{learner}"]
    feats.append(f"learner:{learner}")
    context = text[max(0, candidate.start - 6) : candidate.end + 3]
    inside = bool(context.strip()) and context in about
    feats.append(f"about:{int(inside)}")
    feats.append(f"aboutl:{int(inside)}|{learner}")
    if not inside and near and near[0] == "adult" and _adults_stretch(text, candidate, near, people):
        feats.append("mark:adult")  # in another adult's stretch (`FILL_NOT_ADULTS`)
    if not inside and near and near[0] == "sibling" and learner == "child" and _siblings_own(text, candidate, near):
        feats.append("mark:kin")  # a sibling's own, the learner a child ("ลูกสาวคนเล็กอายุ 15 ส่วนพี่เขาจบ ม.6")
    feats.append(f"rank:{min(rank, 3)}")
    feats.append(f"last:{int(rank == count - 1)}")
    feats.append(f"count:{min(count, 4)}")
    if two:
        feats.append("two")
    clause_end = _CLAUSE_BREAK.search(text, candidate.end)
    clause = text[candidate.end : clause_end.start() if clause_end else len(text)]
    if _QUESTION.search(clause):
        feats.append("question_clause")
    if rule is None:
        feats.append("rule:none")
    elif rule == candidate.value:
        feats += ["rule:same", f"rulel:same|{learner}"]
    else:
        feats.append("rule:other")
    return feats


_DENIED_BEFORE = re.compile(r"(?:ไม่ใช่|ไม่ได้)\S{0,10}$")


_SIBLING_TURN = re.compile(r"(?:ส่วน|แต่)\s*$")
_SIBLING_SUBJECT = re.compile(r"\s*(?:เขา|เค้า)\s*(?:ก็)?\s*(?:อายุ|จบ|เรียน|ออก|ทำงาน|อยู่)")


def _siblings_own(text: str, candidate: Candidate, near: tuple[str, str, int]) -> bool:
    """A mention in a clause that turns to a child's sibling and tells of them ("… ส่วนพี่เขาจบ ม.6 ไปแล้ว"), said
    after a child is named: the sibling's own, not the learner's."""
    _kind, word, gap = near
    at = candidate.start - gap
    return (
        gap <= 24
        and bool(_SIBLING_TURN.search(text[max(0, at - 6) : at]))
        and bool(_SIBLING_SUBJECT.match(text, at + len(word)))
        and bool(re.search(r"ลูก|หลาน", text[:at]))
        and not _CLAUSE_BREAK.search(text[at + len(word) : candidate.start])
    )


def _adults_stretch(text: str, candidate: Candidate, near: tuple[str, str, int], people: _People) -> bool:
    """A mention said right after an adult, about that adult ("แม่อายุ 40 จบแค่ ป.6 อยากให้ลูกได้เรียน"), is that
    adult's own and not the learner's when a child or a student is named after it as the one to learn, not
    denied ("ไม่ใช่ถามให้ลูกนะ"); not when the adult is the writer ("แม่เองค่ะ", "ผมเป็นพ่อของ…", "ผมเป็นครู
    ที่ปรึกษา", "พ่อเลี้ยง") nor when the adult has someone the mention may be about ("ยายเลี้ยงเหลน อายุ 12")."""
    _kind, adult, gap = near
    at = candidate.start - gap
    base = re.sub(r"(?:ของ)?(?:ผม|หนู|ดิฉัน|ฉัน|เรา)$", "", adult)
    if adult.endswith("ของ") or re.search(re.escape(base) + r"(?:ผม|หนู|ดิฉัน|ฉัน|เรา)?\s*เอง", text):
        return False
    if base in ("แฟน", "สามี", "ภรรยา") or gap > 30:
        return False  # a partner is often the learner; a mention far on may be anyone's
    if re.search(r"เป็น\s*$", text[max(0, at - 6) : at]):
        return False
    between = text[at + len(adult) : candidate.start]
    if re.search(r"เลี้ยง|ดูแล|มี|ของ|ที่ปรึกษา|ประจำ|เขา|เค้า|สองคน|ทั้ง", between) or _CLAUSE_BREAK.search(between):
        return False
    end = candidate.end
    return any(
        start >= end and kind in ("child", "ward") and not _DENIED_BEFORE.search(text[max(0, start - 16) : start])
        for start, kind, _word in people.found
    )


def age_features(
    text: str,
    candidates: list[Candidate],
    spans: list[tuple[int, int, str]],
    people: _People,
    about: str,
    two: bool,
    rule: int | None,
) -> None:
    values = Counter(c.value for c in candidates)
    for rank, candidate in enumerate(candidates):
        feats = _common_features(text, candidate, rank, len(candidates), spans, people, about, two, rule)
        feats.append(f"v:{_value_bucket(candidate.value)}")
        if values[candidate.value] > 1:
            feats.append("repeated")
        if text[candidate.start : candidate.start + 1].isdigit():
            feats.append("digits")
        else:
            feats.append("words")
        if text[candidate.end : candidate.end + 1].isdigit() or text[max(0, candidate.start - 1) : candidate.start] in (
            "0",
        ):
            feats.append("glued_digit")
        candidate.features = feats


def grade_features(
    text: str,
    candidates: list[Candidate],
    spans: list[tuple[int, int, str]],
    people: _People,
    about: str,
    two: bool,
    rule: str | None,
) -> None:
    from nlp.entities import _LEVEL_ASKED_AFTER, _LEVEL_MARK_AFTER, _LEVEL_MARK_BEFORE, _WISH_BEFORE

    values = Counter(c.value for c in candidates)
    for rank, candidate in enumerate(candidates):
        feats = _common_features(text, candidate, rank, len(candidates), spans, people, about, two, rule)
        before = text[max(0, candidate.start - 16) : candidate.start]
        kind = _grade_kind(candidate.value)
        feats.append(f"g:{kind}")
        if _WISH_BEFORE.search(before):
            feats.append("wish_rule")
        if _LEVEL_MARK_BEFORE.search(text[max(0, candidate.start - 24) : candidate.start]):
            feats.append("marked_before")
        if _LEVEL_MARK_AFTER.match(text, candidate.end):
            feats.append("marked_after")
        if _LEVEL_ASKED_AFTER.match(text[candidate.end :]):
            feats.append("asked_after")
        if values[candidate.value] > 1:
            feats.append("repeated")
        candidate.features = feats


def status_features(
    text: str,
    grade: Candidate | None,
    rule_status: str | None,
    rule_grade: str | None,
    two: bool,
    spans: list[tuple[int, int, str]] | None = None,
) -> list[str]:
    from nlp.entities import _COMPLETED, _FINISH_QUESTION, _LEFT

    feats = ["bias", f"rule:{rule_status}", f"rulegrade:{rule_grade is not None}"]
    cleaned = _FINISH_QUESTION.sub(" ", text)
    left = [m.start() for m in _LEFT.finditer(cleaned)]
    done = [m.start() for m in _COMPLETED.finditer(cleaned)]
    feats.append(f"has_left:{bool(left)}")
    feats.append(f"has_done:{bool(done)}")
    feats.append(f"cues:{bool(left)}{bool(done)}|rule:{rule_status}|grade:{grade is not None}")
    if "ไม่จบ" in cleaned:
        feats.append("mai_jop")
    if two:
        feats.append("two")
    if grade is None:
        feats.append("no_grade")
        feats.append(f"len:{min(len(text) // 30, 3)}")
        return feats
    feats.append(f"g:{_grade_kind(grade.value)}")
    if grade.value == "none":
        feats.append("grade_none")
    for name, where in (("left", left), ("done", done)):
        if not where:
            continue
        gap = min(where, key=lambda w: abs(w - grade.start)) - grade.start
        side = "b" if gap < 0 else "a"
        feats.append(f"near_{name}:{side}{_distance(abs(gap))}")
    lw, rw = _window(spans if spans is not None else _spans(text), grade.start, grade.end, 4)
    feats += [f"l:{token}" for token in lw] + [f"r:{token}" for token in rw]
    feats += _cue_features(text, grade.start, grade.end)
    return feats


# --- whose message: the role -------------------------------------------------------------------------

ROLES = ("none", "self", "parent", "other")
# Words right before a person word that tell the message is for that person ("ถามให้น้อง", "แทนเพื่อน",
# "เรื่องหลาน"), that the writer is that person ("ผมเป็นพี่ชาย", "ยายเอง"), or that the person is only
# with the learner ("อยู่กับยาย").
_ROLE_BEFORE = re.compile(r"(?P<for>ให้|แทน|เรื่อง|ของ)\s*$|(?P<is>เป็น)\s*$|(?P<with>กับ|ดูแล|เลี้ยง|มี)\s*$")
_ROLE_AFTER = re.compile(
    r"(?:ชาย|สาว)?\s*(?:(?P<poss>(?:ของ)?(?:ผม|หนู|ฉัน|ดิฉัน|เรา|ข่อย|กู))|(?P<eng>เอง)|"
    r"(?P<intro>\s*(?:นะ)?\s*(?:ค่ะ|ครับ|คะ|จ้า|จ้ะ)))"
)


def role_features(
    text: str,
    spans: list[tuple[int, int, str]],
    people: _People,
    ages: list[Candidate],
    levels: list[Candidate],
    rule: str | None,
    two: bool,
) -> list[str]:
    """What tells who writes about whom: the rules' role, the message's words (uni- and bigrams), each person
    named with the words right around it (for whom, who writes, whose), the first person named, and who is
    named right before the first age and level."""
    feats = ["bias", f"rule:{rule or 'none'}", f"learner:{people.learner}"]
    tokens = [token for _s, _e, token in spans if token.strip()]
    feats += [f"w:{token}" for token in tokens]
    feats += [f"w2:{a}|{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    for n, (start, kind, word) in enumerate(people.found):
        before = _ROLE_BEFORE.search(text[max(0, start - 6) : start])
        after = _ROLE_AFTER.match(text, start + len(word))
        if n == 0:
            feats += [f"first:{kind}", f"firstw:{word}", f"firstat:{_distance(start)}"]
        feats.append(f"pk:{kind}")
        if before:
            feats += [f"pre:{before.lastgroup}:{kind}", f"prew:{before.lastgroup}:{word}"]
        if after:
            feats += [f"post:{after.lastgroup}:{kind}", f"postw:{after.lastgroup}:{word}"]
            if n == 0:
                feats.append(f"firstpost:{after.lastgroup}:{kind}")
    for name, found in (("age", ages), ("level", levels)):
        if found and found[0].start < len(text):
            near = people.before(found[0].start)
            feats.append(f"{name}p:{near[0] if near else 'none'}")
            if near:
                feats.append(f"{name}pw:{near[1]}")
    if two:
        feats.append("two")
    return feats


# --- reading one message ----------------------------------------------------------------------------


@dataclass
class Reading:
    """Everything the models look at for one message, with the candidates' features."""

    text: str
    ages: list[Candidate]
    grades: list[Candidate]
    rule_age: int | None
    rule_grade: str | None
    rule_status: str | None
    two: bool
    about: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    rule_role: str | None = None
    role: list[str] = field(default_factory=list)


def candidates(
    text: str, rules: dict[str, Any], ages: bool = True, levels: bool = True
) -> tuple[str, list[Candidate], list[Candidate]]:
    """The text with phones and long numbers blanked (same length), its age and level candidates (the
    rules' values among them even when no mention was found for them)."""
    from nlp.entities import _PHONE_RE

    scrubbed = _PHONE_RE.sub(lambda m: " " * len(m.group()), text)
    scrubbed = re.sub(r"\d{5,}", lambda m: " " * len(m.group()), scrubbed)
    if "birth_year_be" in rules:
        scrubbed = re.sub(r"\d{4}", lambda m: " " * len(m.group()), scrubbed)
    grades = _grade_spans(scrubbed)
    found_ages = age_candidates(scrubbed, grades) if ages else []
    found_levels = grade_candidates(scrubbed, grades) if levels else []
    rule_age, rule_grade = rules.get("age"), rules.get("grade")
    if ages and rule_age is not None and rule_age not in {c.value for c in found_ages}:
        found_ages.append(Candidate(rule_age, len(scrubbed), len(scrubbed), []))
    if levels and rule_grade is not None and rule_grade not in {c.value for c in found_levels}:
        found_levels.append(Candidate(rule_grade, len(scrubbed), len(scrubbed), []))
    return scrubbed, found_ages, found_levels


def featurise(
    scrubbed: str, ages: list[Candidate], levels: list[Candidate], about: str, two: bool, rules: dict[str, Any]
) -> Reading:
    """The reading of a message with every candidate's features."""
    rule_age, rule_grade = rules.get("age"), rules.get("grade")
    spans = _spans(scrubbed)
    people = _people(scrubbed)
    age_features(scrubbed, ages, spans, people, about, two, rule_age)
    grade_features(scrubbed, levels, spans, people, about, two, rule_grade)
    for candidate in (*ages, *levels):
        if candidate.start == len(scrubbed):
            candidate.features.append("rule_only")
    role = role_features(scrubbed, spans, people, ages, levels, rules.get("role"), two)
    return Reading(
        scrubbed,
        ages,
        levels,
        rule_age,
        rule_grade,
        rules.get("grade_status"),
        two,
        about,
        spans,
        rules.get("role"),
        role,
    )


def prepare(text: str, about: str, two: bool, rules: dict[str, Any]) -> Reading:
    """The candidates of a normalised message, with their features."""
    scrubbed, ages, levels = candidates(text, rules)
    return featurise(scrubbed, ages, levels, about, two, rules)


# --- the models ---------------------------------------------------------------------------------------


@dataclass
class Linear:
    """Weights per feature name, for one binary score or several classes."""

    classes: list[str]
    weights: dict[str, np.ndarray]
    intercept: np.ndarray
    threshold: float = 0.5

    def logits(self, feats: Iterable[str]) -> np.ndarray:
        total = self.intercept.copy()
        for name in feats:
            w = self.weights.get(name)
            if w is not None:
                total += w
        return total

    def probability(self, feats: Iterable[str]) -> float:
        z = float(self.logits(feats)[0])
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def classify(self, feats: Iterable[str]) -> tuple[str, float]:
        """The likeliest class and its probability."""
        z = self.logits(feats)
        if len(z) == 1:  # two classes: one column of weights for the second
            p = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, float(z[0])))))
            return (self.classes[1], p) if p >= 0.5 else (self.classes[0], 1.0 - p)
        e = np.exp(z - z.max())
        best = int(np.argmax(z))
        return self.classes[best], float(e[best] / e.sum())


def _fit(rows: Sequence[list[str]], labels: Sequence[str | int], c: float, sample_weight: Sequence[float]) -> Linear:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    classes = sorted(set(labels), key=str)
    if len(classes) < 2:
        # one class only (a tiny training set): a constant score for it
        only = str(classes[0]) if classes else "0"
        return Linear([only, only], {}, np.array([-10.0 if only == "0" else 10.0]))
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([{f: 1 for f in r if not f.startswith(DROP)} for r in rows])
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(matrix, list(labels), sample_weight=np.asarray(sample_weight, dtype=float))
    coef = model.coef_  # classes × features (one row for two classes)
    names = vectorizer.get_feature_names_out()
    weights = {str(name): np.ascontiguousarray(coef[:, j]) for j, name in enumerate(names) if np.any(coef[:, j])}
    return Linear([str(x) for x in model.classes_], weights, np.asarray(model.intercept_, dtype=float))


@dataclass
class Reader:
    age: Linear
    grade: Linear
    status: Linear
    role: Linear | None = None

    def read_role(self, reading: Reading) -> str | None:
        """The writer's role: the rules' one, unless the role model is sure (P ≥ ROLE_SWAP) of another one
        (or of none)."""
        rule = reading.rule_role
        if self.role is None or not reading.role or len(reading.text.strip()) <= ROLE_SHORT:
            return rule
        best, p = self.role.classify(reading.role)
        if p < ROLE_SWAP or best == (rule or "none") or (rule, best) in ROLE_NEVER or best in ROLE_NEVER_GIVES:
            return rule
        if rule is None and best == "other" and _writer_is_learner(reading.text):
            return rule  # "แฟนหนูอายุ 24 จบ ม.6 แล้ว หนูอายุ 19 จบ ม.3": the writer's own story, the partner only told
        return None if best == "none" else best

    def read(self, reading: Reading, policy: str | None = None) -> dict[str, Any]:
        """The learner's age, grade and grade_status. Policy "fill" (the default): the rules' values
        stand, and this reader gives what the rules left empty (never with two children told apart by
        nothing; a status only when sure); "alone": this reader's values only."""
        if (policy or POLICY) == "alone":
            return self._alone(reading)
        out = {
            key: value
            for key, value in (
                ("age", reading.rule_age),
                ("grade", reading.rule_grade),
                ("grade_status", reading.rule_status),
                ("role", self.read_role(reading)),
            )
            if value is not None
        }
        if reading.two:
            return out
        if "age" not in out:
            best = _best(self.age, reading.ages, FILL_IN_ABOUT)
            if best is not None:
                out["age"] = best.value
        if "grade" in out:
            level = next((c for c in reading.grades if c.value == out["grade"]), None)
        else:
            level = _best(self.grade, reading.grades, FILL_IN_ABOUT)
            if level is not None:
                out["grade"] = level.value
        if "grade_status" not in out and out.get("grade", "none") != "none" and _status_told(reading.text):
            status, p_status = self.status.classify(self._status_features(reading, level))
            if status != "none" and p_status >= STATUS_FILL:
                out["grade_status"] = status
        return out

    def _alone(self, reading: Reading) -> dict[str, Any]:
        learned: dict[str, Any] = {}
        role = self.read_role(reading)
        if role is not None:
            learned["role"] = role
        best = _best(self.age, reading.ages)
        if best is not None:
            learned["age"] = best.value
        level = _best(self.grade, reading.grades)
        if level is not None:
            learned["grade"] = level.value
        status, _p = self.status.classify(self._status_features(reading, level))
        if status != "none" and learned.get("grade") != "none":
            learned["grade_status"] = status
        return learned

    @staticmethod
    def _status_features(reading: Reading, level: Candidate | None) -> list[str]:
        return status_features(reading.text, level, reading.rule_status, reading.rule_grade, reading.two, reading.spans)


# Some word of leaving or finishing: without one, a level is only named ("ม.3 ครับ") and its status is
# not stated, however likely. Words of a wish, a condition or a question about finishing do not count
# ("ถ้าจบ ป.6 แล้ว…", "อยากเรียนให้จบ", "กี่ปีจบ").
_STATUS_WORDS = re.compile(
    r"ออก|จบ|เลิก|หยุด|ดรอป|ทิ้ง|ค้าง|ไม่ได้(?:ไป|เรียน|ต่อ|ขึ้น|กลับ)|ไม่(?:ยอม|กล้า|อยาก)?ไป|ลาออก|พัก|หลุด|ซิ่ว|ไล่"
    r"|รีไทร์|ได้วุฒิ|ถึง|แค่|ได้เทอม|เทอมเดียว|ครึ่งเทอม|กลางเทอม|กลางปี|ไม่มาเรียน|พ้นสภาพ|ไม่รับ"
    r"|(?<![a-z])(?:drop|left|leave|quit|finish|graduat|retire|stop|out|ork|jop|job|chop|laew)"
)
_NOT_TOLD = re.compile(r"(?:ถ้า|อยาก|จะ|ให้|ต้อง|เพื่อ|กี่ปี|กี่เทอม)\S{0,8}?(?:จบ|ออก)|(?:ไม่(?:ยอม|กล้า)ไป\S{0,12}ทุก)")


def _status_told(text: str) -> bool:
    from nlp.entities import _FINISH_QUESTION

    return bool(_STATUS_WORDS.search(_NOT_TOLD.sub(" ", _FINISH_QUESTION.sub(" ", text))))


_OTHERS_RIGHT_BEFORE = frozenset(
    f"pd:{kind}:0|{learner}" for kind in ("self", "adult", "sibling", "baby") for learner in ("child", "ward")
)


def _writer_is_learner(text: str) -> bool:
    from nlp.entities import writer_is_learner

    return writer_is_learner(text)


def _best(model: Linear, candidates: list[Candidate], about_only: bool = False) -> Candidate | None:
    """The likeliest candidate when likely enough; with `about_only`, among those said in the stretch the
    rules take to be about the learner."""
    if about_only:
        candidates = [c for c in candidates if "about:1" in c.features]
    # said right after another person than the learner ("ลูกชายอายุ 15 ผมจบ ม.6"): theirs
    candidates = [c for c in candidates if not _OTHERS_RIGHT_BEFORE.intersection(c.features)]
    if FILL_NOT_ADULTS:
        candidates = [c for c in candidates if "mark:adult" not in c.features and "mark:kin" not in c.features]
    scored = [(model.probability(c.features), -i, c) for i, c in enumerate(candidates)]
    if not scored:
        return None
    p, _, best = max(scored, key=lambda x: (x[0], x[1]))
    return best if p >= model.threshold else None


def fit(readings: Sequence[Reading], golds: Sequence[dict[str, Any]], weights: Sequence[float] | None = None) -> Reader:
    """The three models fitted on `readings` labelled by `golds` (each line weighted by `weights`)."""
    weights = weights or [1.0] * len(readings)
    age_rows, age_labels, grade_rows, grade_labels, status_rows, status_labels = [], [], [], [], [], []
    age_w, grade_w = [], []
    role_rows, role_labels = [], []
    for reading, gold, weight in zip(readings, golds, weights, strict=True):
        role_rows.append(reading.role)
        role_labels.append(str(gold.get("role") or "none"))
        for c in reading.ages:
            age_rows.append(c.features)
            age_labels.append(int(gold.get("age") == c.value))
            age_w.append(weight)
        for c in reading.grades:
            grade_rows.append(c.features)
            grade_labels.append(int(gold.get("grade") == c.value))
            grade_w.append(weight)
        # the status model learns from the level the gold names, else from the one the rules name (as it
        # will see it when reading)
        level = next((c for c in reading.grades if c.value == gold.get("grade")), None) or next(
            (c for c in reading.grades if c.value == reading.rule_grade), None
        )
        status_rows.append(Reader._status_features(reading, level))
        status_labels.append(str(gold.get("grade_status", "none")))
    return Reader(
        _fit(age_rows, age_labels, C_AGE, age_w),
        _fit(grade_rows, grade_labels, C_GRADE, grade_w),
        _fit(status_rows, status_labels, C_STATUS, weights),
        _fit(role_rows, role_labels, C_ROLE, [ROLE_NEW_WEIGHT if w > 1.0 else 1.0 for w in weights]) if ROLE else None,
    )


# --- data ---------------------------------------------------------------------------------------------


@dataclass
class Example:
    file: str
    text: str
    gold: dict[str, Any]
    tags: list[str]
    rules: dict[str, Any]
    reading: Reading


def load_examples(paths: Sequence[Path] | None = None) -> list[Example]:
    from nlp.entities import extract_entities, learner_parts
    from nlp.normalize import normalize, safe_text

    examples = []
    for path in paths or training_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            tags = list(row.get("tags") or ([row["tag"]] if row.get("tag") else []))
            normalised = normalize(safe_text(row["text"]))
            rules = extract_entities(normalised, TODAY, learned=False)
            about, _home, two = learner_parts(normalised)
            reading = prepare(normalised, about, two, rules)
            examples.append(Example(path.name, row["text"], row.get("entities") or {}, tags, rules, reading))
    return examples


KEYS = ("age", "grade", "grade_status", "role")
# Lines of the writers who never saw the rules weigh more: there the rules' reading is a fair witness.
NEW_WRITERS_WEIGHT = 4.0


def weight(file: str) -> float:
    return NEW_WRITERS_WEIGHT if file.startswith("train_entities") else 1.0


def combine(rules: dict[str, Any], learned: dict[str, Any]) -> dict[str, Any]:
    """The rules' entities with age, grade and grade_status taken from the learned reader."""
    out = {k: v for k, v in rules.items() if k not in KEYS}
    out.update(learned)
    return out


# --- cross-validation -------------------------------------------------------------------------------


def cross_validate(examples: list[Example]) -> dict[str, Any]:
    files = sorted({e.file for e in examples})
    predicted: list[dict[str, Any]] = [{} for _ in examples]
    for held in files:
        train = [e for e in examples if e.file != held]
        reader = fit([e.reading for e in train], [e.gold for e in train], [weight(e.file) for e in train])
        for i, e in enumerate(examples):
            if e.file == held:
                predicted[i] = combine(e.rules, reader.read(e.reading))
    return {"files": files, "predicted": predicted}


def _scores(examples: Sequence[Example], dicts: Sequence[dict[str, Any]]) -> dict[str, float]:
    out: dict[str, float] = {"n": float(len(examples))}
    out["exact"] = sum(e.gold == d for e, d in zip(examples, dicts, strict=True)) / max(1, len(examples))
    for key in KEYS:
        relevant = [(e, d) for e, d in zip(examples, dicts, strict=True) if key in e.gold or key in d]
        out[key] = sum(e.gold.get(key) == d.get(key) for e, d in relevant) / max(1, len(relevant))
        out[key + "_n"] = float(len(relevant))
    return out


def report(examples: list[Example], predicted: list[dict[str, Any]]) -> str:
    rules = [e.rules for e in examples]
    lines = []

    def row(name: str, idx: list[int]) -> None:
        sub = [examples[i] for i in idx]
        a = _scores(sub, [rules[i] for i in idx])
        b = _scores(sub, [predicted[i] for i in idx])
        lines.append(
            f"{name:<22}{len(idx):>5}  exact {a['exact']:.3f} → {b['exact']:.3f}"
            + "".join(f"  {k} {a[k]:.3f} → {b[k]:.3f} (n {int(b[k + '_n'])})" for k in KEYS)
        )

    row("ALL", list(range(len(examples))))
    lines.append("-- per left-out file")
    for file in sorted({e.file for e in examples}):
        row(file, [i for i, e in enumerate(examples) if e.file == file])
    lines.append("-- per tag")
    tags: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(examples):
        for tag in dict.fromkeys(e.tags):
            tags[tag].append(i)
    for tag in sorted(tags, key=lambda t: -len(tags[t])):
        if len(tags[tag]) >= 15:
            row(tag, tags[tag])
    return "\n".join(lines)


# --- the kept model -----------------------------------------------------------------------------------


def fingerprint(paths: Sequence[Path] | None = None) -> str:
    digest = hashlib.sha256(
        f"{FORMAT} {C_AGE} {C_GRADE} {C_STATUS} {ROLE} {C_ROLE} {ROLE_NEW_WEIGHT} {ROLE_SHORT}".encode()
    )
    here = Path(__file__)
    for path in (*(paths or training_files()), here, here.with_name("entities.py"), here.with_name("normalize.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def save(reader: Reader, path: Path = MODEL_FILE) -> None:
    arrays: dict[str, np.ndarray] = {"fingerprint": np.array(fingerprint())}
    for name, model in (("age", reader.age), ("grade", reader.grade), ("status", reader.status), ("role", reader.role)):
        if model is None:
            continue
        names = sorted(model.weights)
        arrays[f"{name}_classes"] = np.array(model.classes)
        arrays[f"{name}_names"] = np.array(names)
        width = len(model.intercept)
        arrays[f"{name}_weights"] = (
            np.array([model.weights[n] for n in names], dtype=np.float64) if names else np.zeros((0, width))
        )
        arrays[f"{name}_intercept"] = model.intercept.astype(np.float64)
        arrays[f"{name}_threshold"] = np.array(model.threshold)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def _from_arrays(kept: Any) -> Reader:
    models: list[Linear | None] = []
    for name in ("age", "grade", "status", "role"):
        if f"{name}_names" not in kept.files:
            models.append(None)
            continue
        names = kept[f"{name}_names"].tolist()
        weights = kept[f"{name}_weights"]
        models.append(
            Linear(
                kept[f"{name}_classes"].tolist(),
                {n: np.ascontiguousarray(weights[i]) for i, n in enumerate(names)},
                np.asarray(kept[f"{name}_intercept"], dtype=float),
                float(kept[f"{name}_threshold"]),
            )
        )
    age, grade, status, role = models
    assert age is not None and grade is not None and status is not None
    return Reader(age, grade, status, role)


def load(path: Path = MODEL_FILE) -> Reader | None:
    """The kept reader when its fingerprint matches today's data and code; else None (a warning is logged)."""
    try:
        with np.load(path, allow_pickle=False) as kept:
            if str(kept["fingerprint"]) == fingerprint():
                return _from_arrays(kept)
        log.warning("%s is stale (labelled files or entity rules changed)", path.name)
    except (OSError, KeyError, ValueError):
        log.warning("%s missing or unreadable", path.name)
    return None


def load_or_train(path: Path = MODEL_FILE) -> Reader | None:
    """The kept reader; when stale or missing, one fitted now from the labelled files (a few seconds; a
    warning says to run python -m nlp.mentions --train); when that fails too, None: the rules alone read
    age and level."""
    reader = load(path)
    if reader is not None:
        return reader
    log.warning("fitting the mentions reader now; run python -m nlp.mentions --train to keep it")
    try:
        examples = load_examples()
        return fit([e.reading for e in examples], [e.gold for e in examples], [weight(e.file) for e in examples])
    except Exception:  # noqa: BLE001 - no scikit-learn or no data: the rules stand
        log.exception("the mentions reader could not be fitted: the rules alone read age and level")
        return None


_reader: ReadOnce[Reader] = ReadOnce(lambda: load_or_train())


def kept_reader() -> Reader | None:
    """The reader kept in nlp/data/mentions.npz (fitted now when stale), read once; None when it cannot be
    had (the rules stand). No lock is held while fitting (fitting reads messages through other readers
    that may themselves be loading), and a message read while this thread fits gets the rules alone."""
    return _reader.get()


def complete(text: str, rules: dict[str, Any]) -> dict[str, Any]:
    """The rules' entities of normalised `text`, with the learner's age, grade and grade_status the rules
    left empty given by the kept reader, and the writer's role as its role model reads it. Never raises: on
    any failure the rules' entities stand."""
    missing = [key for key in KEYS if key not in rules and key != "role"]
    if missing == ["grade_status"] and rules.get("grade") == "none":
        missing = []
    try:
        reader = kept_reader()
        if reader is None:
            return rules
        scrubbed, ages, levels = candidates(text, rules, ages="age" in missing)
        if len(ages) > MAX_CANDIDATES or len(levels) > MAX_CANDIDATES:
            return rules  # a list or a table, not a message about one learner: the rules' reading
        read_levels = levels and ("grade" in missing or "grade_status" in missing)
        if reader.role is None and not ages and not read_levels:
            return rules  # nothing to read: no age wanted or found, no level to read or give a status
        from nlp.entities import learner_parts

        about, _home, two = learner_parts(text)
        reading = featurise(scrubbed, ages, levels, about, two, rules)
        if two or (not ages and not read_levels):
            role = reader.read_role(reading)
            out = {k: v for k, v in rules.items() if k != "role"}
            return out | ({"role": role} if role is not None else {})
        return combine(rules, reader.read(reading))
    except Exception:  # noqa: BLE001 - the reader must never break understand()
        log.exception("nlp.mentions failed on a message; the rules' reading stands")
        return rules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cv", action="store_true", help="cross-validation grouped by file")
    parser.add_argument("--train", action="store_true", help="fit on every file and save nlp/data/mentions.npz")
    parser.add_argument("--errors", type=str, default="", help="with --cv, print the changed lines of this file")
    parser.add_argument(
        "--policy",
        choices=("fill", "alone"),
        default="fill",
        help="with --cv: the rules' values stand and the reader fills the gaps (fill), or the reader alone",
    )
    args = parser.parse_args(argv)
    globals()["POLICY"] = args.policy
    started = time.perf_counter()
    examples = load_examples()
    print(f"{len(examples)} lines from {len({e.file for e in examples})} files ({time.perf_counter() - started:.1f} s)")
    if args.cv:
        result = cross_validate(examples)
        print(report(examples, result["predicted"]))
        if args.errors:
            for e, d in zip(examples, result["predicted"], strict=True):
                if e.file == args.errors and d != e.rules:
                    mark = "+" if d == e.gold else "-" if e.rules == e.gold else "~"
                    print(
                        mark,
                        e.text,
                        "| gold",
                        {k: e.gold.get(k) for k in KEYS},
                        "| rules",
                        {k: e.rules.get(k) for k in KEYS},
                        "| learned",
                        {k: d.get(k) for k in KEYS},
                    )
    if args.train:
        reader = fit([e.reading for e in examples], [e.gold for e in examples], [weight(e.file) for e in examples])
        save(reader)
        print(f"saved {MODEL_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
