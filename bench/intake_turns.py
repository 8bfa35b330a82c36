"""Simulated users through the real reader and the pure dialogue: how many turns an intake
takes, against the fewest it could.

    python -m bench.intake_turns [--personas 400] [--seed 1] [--show 3] [--json]

Each persona has a profile (who studies, name, age, level, home, reason, path, phone) and a
style (particles ครับ/ค่ะ/จ้า, Isan or standard words, Thai digits, quick-reply taps). It
opens the chat, then answers whatever the bot asks (the dialogue's `stage`/`pending`) with
one thing per message, phrased from the tables below; some ask a question mid-intake, some
gave a wrong value and correct it at the summary, some read the summary and fix what the bot
got wrong. The minimum for a persona is: the consent answer + one message per unit of
information it gives (a level and its status given apart are two; a province then its
district are two) + its mid-intake questions and planned corrections + the confirmation.

Reported: completion (a case submitted), exact data (the submitted slots equal the profile),
turns against the minimum, which questions were asked again (beyond the re-ask a "ไม่รู้" gets
by design), questions that do not say what they ask, and — separately — how many messages that
answer the pending question and one or two later ones at once keep every value. Messages go
through `nlp.understand` (told the pending question, as the handler does) and
`handlers.dialogue.step` only; no database, no LINE.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import geothai
from pythainlp.util import num_to_thaiword

import nlp
from handlers import texts
from handlers.dialogue import State, step
from nlp.understanding import Understanding

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # BE 2569 in Bangkok
TODAY = date(2026, 12, 1)
BE_NOW = 2569
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

NAMES = [
    "ฝน",
    "ต้น",
    "แนน",
    "บอส",
    "มายด์",
    "เมย์",
    "ฟ้า",
    "ก้อง",
    "เบียร์",
    "นุ่น",
    "มิว",
    "พลอย",
    "ภูมิ",
    "โอ๊ต",
    "แบงค์",
    "ใบเตย",
    "ปอ",
    "เจ",
    "บีม",
    "แพรว",
    "กิ๊ฟ",
    "เอิร์ธ",
    "ไอซ์",
    "ข้าว",
    "แป้ง",
    "ต่าย",
    "กล้า",
    "ตูน",
    "อั้ม",
    "ปาล์ม",
    "ฟิล์ม",
    "เฟิร์น",
    "น้ำ",
    "มุก",
    "ออม",
    "ส้ม",
    "เอ",
    "บิว",
    "ปูเป้",
    "น้ำหวาน",
    "สมชาย",
    "จันทร์เพ็ญ",
    "อาร์ม",
    "โฟกัส",
]
# Words a question must contain to say plainly what it asks.
QUESTION_WORDS = {
    "consent": ("ยินยอม",),
    "role": ("ให้ใคร",),
    "name": ("ชื่อ",),
    "age": ("อายุ",),
    "grade": ("ชั้น",),
    "grade_status": ("จบ", "ออกกลางคัน"),
    "location": ("จังหวัด",),
    "district": ("อำเภอ", "เขต"),
    "district_choice": ("อำเภอ", "เขต"),
    "reason": ("ทำไม",),
    "path": ("สาย",),
    "phone": ("เบอร์",),
    "confirm": ("ถูกต้อง",),
}


# --- styles ----------------------------------------------------------------------------------------------


@dataclass
class Style:
    particle: str  # "ครับ", "ค่ะ", "จ้า", "" …
    me: str  # ผม, หนู, ข่อย, เรา, ฉัน
    isan: bool
    thai_digits: bool
    taps: float  # how often a quick reply is tapped when offered

    def p(self, rng: random.Random) -> str:
        """A particle, sometimes left out, sometimes stretched ("ค่าาา")."""
        roll = rng.random()
        if roll < 0.3 or not self.particle:
            return ""
        if roll > 0.92 and self.particle == "ค่ะ":
            return rng.choice(["ค่า", "คร่า", "ค่ะๆ"])
        if roll > 0.92 and self.particle == "ครับ":
            return rng.choice(["คับ", "ครับผม", "คร้าบ"])
        return rng.choice(["", " "]) + self.particle

    def say(self, line: str) -> str:
        if self.isan:
            line = line.replace("เรียน", "เฮียน").replace("ไม่", "บ่")
        if self.thai_digits:
            line = line.translate(THAI_DIGITS)
        return re.sub(r"\s+", " ", line).strip()


def random_style(rng: random.Random, role: str) -> Style:
    isan = rng.random() < 0.15
    female = rng.random() < 0.55 or role == "parent"
    particle = rng.choice(["ค่ะ", "ค่ะ", "จ้า", ""]) if female else rng.choice(["ครับ", "ครับ", ""])
    if isan:
        particle = rng.choice(["เด้อ", "จ้า", particle])
    me = "ข่อย" if isan else ("หนู" if female and role == "self" else "ผม" if role == "self" else "ฉัน")
    return Style(particle, me, isan, rng.random() < 0.12, rng.choice([0.0, 0.2, 0.5]))


# --- profiles ------------------------------------------------------------------------------------------


@dataclass
class Profile:
    role: str
    name: str
    age: int
    age_form: str  # digits, words, birth_be, birth_be2, birth_ce
    grade: str
    status: str | None
    grade_together: bool  # level and status in one answer
    province: str
    district: str | None
    place_style: str  # together, district_only, province_first, postal, unknown_district
    postal: str | None
    reason: str | None
    reason_text: str
    path: str | None
    path_text: str
    phone: str | None
    opening: str
    opening_gives: tuple[str, ...]
    faq: str | None  # a question asked once, mid-intake
    faq_at: str | None  # before answering this slot
    mistake: str | None  # a slot first given wrong, corrected at the summary
    extra: str | None  # name_and_age, age_in_a_question, age_unknown, details_first
    style: Style = field(repr=False, default=None)  # type: ignore[assignment]


GRADES = [
    ("m1", "left_during", 8),
    ("m2", "left_during", 10),
    ("m3", "left_during", 8),
    ("m3", "completed", 12),
    ("p6", "completed", 8),
    ("m4", "left_during", 8),
    ("m5", "left_during", 5),
    ("m6", "left_during", 4),
    ("p4", "left_during", 2),
    ("pvc1", "left_during", 3),
    ("pvc2", "left_during", 2),
    ("none", None, 2),
    ("lower_secondary", "left_during", 2),
    ("upper_secondary", "left_during", 2),
    ("primary", "completed", 2),
]
REASONS = {
    "work": ["ต้องทำงาน", "ไปทำงาน", "ต้องหาเงินช่วยที่บ้าน", "ออกมาทำงานรับจ้าง", "ช่วยพ่อแม่ทำนา"],
    "financial": ["ไม่มีเงิน", "ที่บ้านจน", "ไม่มีเงินจ่ายค่าเทอม", "ที่บ้านไม่มีเงินส่ง", "ปัญหาการเงิน"],
    "family": ["ปัญหาครอบครัว", "ต้องดูแลยายที่ป่วย", "พ่อแม่แยกทางกัน", "ต้องเลี้ยงน้อง"],
    "pregnancy": ["ท้อง", "มีลูกตอนเรียน", "ตั้งครรภ์"],
    "health": ["ป่วย", "ไม่สบายบ่อย", "เป็นโรคประจำตัว"],
    "migration": ["ย้ายบ้าน", "ย้ายตามพ่อแม่ไปทำงาน", "ย้ายที่อยู่บ่อย"],
    "learning": ["เรียนไม่ทัน", "ไม่ชอบเรียน", "เบื่อเรียน", "ติด 0 หลายวิชา"],
    "bullying": ["โดนแกล้ง", "โดนเพื่อนบูลลี่", "ถูกกลั่นแกล้งที่โรงเรียน"],
    None: ["ไม่อยากบอก", "ข้าม", "ไม่บอก", "ขอไม่ตอบ"],
}
PATHS = {
    "general": ["สายสามัญ", "สามัญ", "เอาสายสามัญ", "สายสามัญ อยากได้วุฒิ"],
    "vocational": ["สายอาชีพ", "ปวช", "อยากเรียนสายอาชีพ", "สายช่าง"],
    "unsure": ["ยังไม่แน่ใจ", "ไม่รู้", "แล้วแต่", "ยังไม่ได้คิด"],
    None: ["ข้าม", "ไม่บอก"],
}
FAQS = [
    "เรียนฟรีไหม",
    "ต้องใช้เอกสารอะไรบ้าง",
    "เรียนวันไหน",
    "วุฒิเอาไปสมัครงานได้ไหม",
    "กี่ปีจบ",
    "มีค่าใช้จ่ายอะไรไหม",
]


def _weighted(rng: random.Random, items: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    return rng.choices(items, weights=[i[-1] for i in items])[0]


def _district_is_unique(code: str, marked: bool) -> bool:
    """Can the district's name alone say where home is? Not when other provinces have one of
    that name, nor, unmarked (no อำเภอ/อ.), when it is also an everyday word or two letters
    ("คง", "ลอง", "ปาย")."""
    from nlp.places import MARKED_ONLY_DISTRICTS

    name = geothai.district(code).name_th.removeprefix("เขต")
    same = sum(
        1 for p in geothai.provinces() for d in geothai.districts(p.code) if d.name_th.removeprefix("เขต") == name
    )
    return same == 1 and (marked or (len(name) >= 3 and name not in MARKED_ONLY_DISTRICTS))


_PROVINCES = [p.code for p in geothai.provinces()]


def random_profile(rng: random.Random) -> Profile:
    role = rng.choices(["self", "parent", "other"], weights=[6, 3, 1])[0]
    age = rng.randint(15, 30) if role == "self" else rng.randint(12, 18) if role == "parent" else rng.randint(14, 22)
    if role == "self" and rng.random() < 0.15:
        age = rng.randint(30, 45)
    grade, status, _ = _weighted(rng, GRADES)
    province = rng.choice(_PROVINCES)
    district = rng.choice(geothai.districts(province)).code
    place_style = rng.choices(
        ["together", "district_only", "province_first", "postal", "unknown_district"], weights=[5, 2, 3, 1, 1]
    )[0]
    postal = None
    if place_style == "postal":
        codes = sorted({c for s in geothai.subdistricts(district) for c in s.postal_codes})
        postal = rng.choice(codes) if codes else None
        if postal is None:
            place_style = "together"
    if place_style == "unknown_district":
        district = None
    reason = rng.choices(list(REASONS), weights=[4, 4, 2, 1, 1, 1, 2, 1, 3])[0]
    path = rng.choices(list(PATHS), weights=[4, 2, 3, 1])[0]
    phone = (
        None if rng.random() < 0.3 else "0" + rng.choice("689") + "".join(rng.choice("0123456789") for _ in range(8))
    )
    opening, gives = {
        "self": rng.choice(
            [
                ("อยากกลับไปเรียน", ()),
                ("อยากเรียนต่อ{p}", ()),
                ("สมัครเรียน กศน ยังไง{p}", ()),
                ("สนใจเรียน กศน{p}", ()),
                ("อยากได้วุฒิ ม.6{p}", ("path",)),
            ]
        ),
        "parent": rng.choice(
            [("อยากให้ลูกกลับไปเรียน{p}", ("role",)), ("จะสมัครเรียนให้หลาน{p}", ("role",)), ("อยากกลับไปเรียน", ())]
        ),
        "other": rng.choice(
            [
                ("มีนักเรียนอยากเรียนต่อ{p}", ("role",)),
                ("อยากสมัครเรียนให้เพื่อน{p}", ("role",)),
                ("อยากกลับไปเรียน", ()),
            ]
        ),
    }[role]
    if "path" in gives:
        path = "general"
    profile = Profile(
        role=role,
        name=rng.choice(NAMES),
        age=age,
        age_form=rng.choices(["digits", "words", "birth_be", "birth_be2", "birth_ce"], weights=[7, 1, 2, 1, 1])[0],
        grade=grade,
        status=status,
        grade_together=rng.random() < 0.5,
        province=province,
        district=district,
        place_style=place_style,
        postal=postal,
        reason=reason,
        reason_text=rng.choice(REASONS[reason]),
        path=path,
        path_text=rng.choice(PATHS[path]),
        phone=phone,
        opening=opening,
        opening_gives=gives,
        faq=rng.choice(FAQS) if rng.random() < 0.3 else None,
        faq_at=None,
        mistake=rng.choice(["age", "name", "district"]) if rng.random() < 0.2 else None,
        extra=rng.choices(
            [None, "name_and_age", "age_in_a_question", "age_unknown", "details_first"], weights=[12, 2, 1, 1, 2]
        )[0],
    )
    if profile.extra == "details_first":
        profile.place_style, profile.district = "together", district or rng.choice(geothai.districts(province)).code
        profile.opening_gives = ("age", "location")
    if profile.extra and profile.mistake in ("age", "district"):
        profile.mistake = None
    if profile.faq:
        profile.faq_at = rng.choice(["role", "name", "age", "grade", "location", "reason", "phone"])
    if profile.mistake == "district" and (not district or place_style == "postal"):
        profile.mistake = "age"
    profile.style = random_style(rng, role)
    return profile


# --- what the persona says -------------------------------------------------------------------------------


def grade_words(grade: str, rng: random.Random) -> str:
    kind, number = re.match(r"([a-z_]+?)(\d?)$", grade).groups()  # type: ignore[union-attr]
    if kind == "p":
        return rng.choice([f"ป.{number}", f"ป{number}", f"ประถม {number}"])
    if kind == "m":
        return rng.choice(
            [f"ม.{number}", f"ม{number}", f"มอ {number}", f"ม.{num_to_thaiword(int(number))}", f"ม.{number}"]
        )
    if kind == "pvc":
        return rng.choice([f"ปวช.{number}", f"ปวช ปี {number}"])
    return {
        "none": "ไม่ได้เรียนเลย",
        "primary": "ประถม",
        "lower_secondary": "ม.ต้น",
        "upper_secondary": "ม.ปลาย",
    }[grade]


def place_names(profile: Profile) -> tuple[str, str | None]:
    province = geothai.province(profile.province).name_th
    if profile.province == "10":
        province = random.choice(["กรุงเทพ", "กทม.", "กรุงเทพมหานคร"])
    district = geothai.district(profile.district).name_th.removeprefix("เขต") if profile.district else None
    return province, district


class Persona:
    def __init__(self, profile: Profile, rng: random.Random) -> None:
        self.profile, self.rng, self.style = profile, rng, profile.style
        self.asked: Counter[str] = Counter()
        self.faq_done = False
        self.just_asked_faq = False  # the last message was the persona's own question
        self.just_refused = False  # … or "ไม่รู้", which is asked again once by design
        self.marked_district = False
        self.corrected: set[str] = set()

    def p(self) -> str:
        return self.style.p(self.rng)

    def pick(self, options: list[str]) -> str:
        return self.rng.choice(options)

    def tap(self, quick: list[str], label: str) -> bool:
        return label in quick and self.rng.random() < self.style.taps

    # the minimum number of messages this persona needs to give its details
    def units(self) -> int:
        pr = self.profile
        count = 0
        count += "role" not in pr.opening_gives
        count += 3  # name, age, grade
        count -= pr.extra in ("name_and_age", "details_first")  # the age came with something else
        count += pr.extra == "age_unknown"  # "ไม่รู้" twice
        count += bool(pr.status and not pr.grade_together)
        if "location" in pr.opening_gives:
            pass
        elif pr.place_style in ("province_first", "unknown_district"):
            count += 2
        elif pr.place_style == "district_only":
            count += 1 if _district_is_unique(pr.district or "", self.marked_district) else 2
        elif pr.place_style == "postal":
            many = len({s.district_code for s in geothai.by_postal_code(pr.postal or "")}) > 1
            count += 2 if many else 1
        else:
            count += 1
        count += "path" not in pr.opening_gives
        count += 2  # reason, phone
        count += self.faq_done  # a planned question only counts once it was asked
        count += {None: 0, "age": 1, "district": 1, "name": 2}[pr.mistake]
        return count

    def answer(self, pending: str, quick: list[str], bot: str) -> str:
        """The persona's message for the question asked (a rephrasing when asked again)."""
        pr = self.profile
        again = self.asked[pending]
        self.asked[pending] += 1
        self.just_asked_faq = self.just_refused = False
        if pr.faq and not self.faq_done and pending == pr.faq_at:
            self.faq_done = self.just_asked_faq = True
            self.asked[pending] -= 1
            return self.style.say(pr.faq + self.p())
        reader = getattr(self, f"_say_{pending}")
        return self.style.say(reader(quick, again, bot))

    def _say_consent(self, quick: list[str], again: int, bot: str) -> str:
        if self.tap(quick, texts.CONSENT_YES) or again:
            return texts.CONSENT_YES
        return self.pick(
            ["ยินยอม", "ยินยอม{p}", "ได้{p}", "ตกลง{p}", "โอเค{p}", "ได้เลย{p}", "ยินยอมให้เก็บข้อมูล{p}"],
        ).format(p=self.p())

    def _say_role(self, quick: list[str], again: int, bot: str) -> str:
        pr = self.profile
        label = {"self": "ตัวเอง", "parent": "ลูก/หลาน", "other": "คนอื่น (ครู/เพื่อน)"}[pr.role]
        if self.tap(quick, label) or again >= 2:
            return label
        options = {
            "self": ["ตัวเอง{p}", "{me}เอง{p}", "สมัครให้ตัวเอง{p}", "ของ{me}เอง{p}", "เรียนเอง{p}"],
            "parent": ["ลูก{p}", "ลูกสาว{p}", "ลูกชาย{p}", "หลาน{p}", "ให้ลูก{p}", "สมัครให้หลาน{p}"],
            "other": ["นักเรียน{p}", "ลูกศิษย์{p}", "เพื่อน{p}", "สมัครให้เพื่อน{p}"],
        }[pr.role]
        return self.pick(options).format(p=self.p(), me=self.style.me)

    def _name_value(self) -> str:
        pr = self.profile
        if pr.mistake == "name" and "name" not in self.corrected:
            return "โอ๊ค" if pr.name != "โอ๊ค" else "เอก"
        return pr.name

    def _say_name(self, quick: list[str], again: int, bot: str) -> str:
        pr, name = self.profile, self._name_value()
        if again:
            return name
        if pr.extra == "name_and_age":
            return self.pick(["ชื่อ{n} อายุ {a}{p}", "{n} {a} ปี{p}", "{kid}ชื่อ{n} อายุ{w}{p}"]).format(
                n=name, a=pr.age, w=num_to_thaiword(pr.age), p=self.p(), kid="ลูก" if pr.role == "parent" else ""
            )
        if pr.role == "self":
            options = ["{n}", "{n}{p}", "ชื่อ{n}{p}", "{me}ชื่อ{n}{p}", "ชื่อเล่น{n}{p}", "เรียก{n}ก็ได้{p}"]
        else:
            options = ["{n}", "น้อง{n}{p}", "ชื่อ{n}{p}", "ชื่อเล่นว่า{n}{p}", "{kid}ชื่อ{n}{p}"]
        kid = "ลูก" if pr.role == "parent" else "เขา"
        return self.pick(options).format(n=name, p=self.p(), me=self.style.me, kid=kid)

    def _age_value(self) -> int:
        pr = self.profile
        return pr.age + 1 if pr.mistake == "age" and "age" not in self.corrected else pr.age

    def _say_age(self, quick: list[str], again: int, bot: str) -> str:
        pr, age = self.profile, self._age_value()
        if pr.extra == "age_unknown":
            self.just_refused = True
            return (
                self.pick(
                    ["ไม่รู้{p}", "จำไม่ได้{p}", "ไม่แน่ใจ{p}"],
                ).format(p=self.p())
                if not again
                else "ไม่รู้เหมือนกัน"
            )
        if pr.extra == "age_in_a_question" and not again:
            return self.pick(["อายุ {a} เรียนได้ไหม{p}", "{a} ปีแล้ว ยังเรียนได้ไหม{p}"]).format(a=age, p=self.p())
        if again:
            return f"{age}"
        form = pr.age_form
        be = BE_NOW - age
        if form == "words":
            return self.pick(["{w}{p}", "{w}ปี{p}", "อายุ{w}{p}"]).format(w=num_to_thaiword(age), p=self.p())
        if form == "birth_be":
            return self.pick(["เกิดปี {be}{p}", "พ.ศ. {be}", "เกิด พ.ศ.{be}{p}", "{be}"]).format(be=be, p=self.p())
        if form == "birth_be2":
            return self.pick(["ปี {y}{p}", "เกิดปี {y}{p}"]).format(y=str(be)[2:], p=self.p())
        if form == "birth_ce":
            return self.pick(["เกิด {ce}{p}", "ค.ศ. {ce}", "เกิดปี {ce}{p}"]).format(ce=be - 543, p=self.p())
        return self.pick(["{a}", "{a}{p}", "{a} ปี{p}", "อายุ {a}{p}", "{a}ปี{p}"]).format(a=age, p=self.p())

    def _say_grade(self, quick: list[str], again: int, bot: str) -> str:
        pr = self.profile
        if pr.grade == "none":
            return (
                "ไม่ได้เรียน"
                if self.tap(quick, "ไม่ได้เรียน") or again
                else self.pick(["ไม่ได้เรียนเลย{p}", "ไม่เคยเรียน{p}"]).format(p=self.p())
            )
        words = grade_words(pr.grade, self.rng) if not again else texts.GRADE_NAMES.get(pr.grade, pr.grade)
        if pr.grade_together and pr.status:
            if pr.status == "completed":
                options = ["จบ {g}{p}", "{g} จบแล้ว{p}", "จบ{g}แล้ว{p}"]
            else:
                options = [
                    "ออกตอน {g}{p}",
                    "{g} ไม่จบ{p}",
                    "เรียนถึง {g} แล้วออก{p}",
                    "{g} แล้วออก{p}",
                    "ออกกลางคันตอน {g}{p}",
                ]
            return self.pick(options).format(g=words, p=self.p())
        label = texts.GRADE_NAMES.get(pr.grade)
        if label and self.tap(quick, label):
            return label
        return self.pick(["{g}", "{g}{p}", "ชั้น {g}{p}"]).format(g=words, p=self.p())

    def _say_grade_status(self, quick: list[str], again: int, bot: str) -> str:
        pr = self.profile
        label = "จบแล้ว" if pr.status == "completed" else "ออกกลางคัน"
        if self.tap(quick, label) or again:
            return label
        if pr.status == "completed":
            return self.pick(
                ["จบแล้ว{p}", "จบ{p}", "เรียนจบ{p}", "จบครับ" if self.style.particle == "ครับ" else "จบค่ะ"]
            ).format(p=self.p())
        return self.pick(["ออกกลางคัน{p}", "ไม่จบ{p}", "ยังไม่จบ{p}", "ออกก่อน{p}", "เรียนไม่จบ{p}"]).format(p=self.p())

    def _district_value(self) -> str | None:
        pr = self.profile
        if pr.mistake == "district" and "district" not in self.corrected and pr.district:
            others = [d.code for d in geothai.districts(pr.province) if d.code != pr.district]
            return others[0] if others else pr.district
        return pr.district

    def _say_location(self, quick: list[str], again: int, bot: str) -> str:
        pr = self.profile
        province, _ = place_names(pr)
        code = self._district_value()
        district = geothai.district(code).name_th.removeprefix("เขต") if code else None
        if "ของจังหวัดไหน" in bot or again >= 2:
            return self.pick(["{pv}", "จังหวัด{pv}{p}", "{pv}{p}"]).format(pv=province, p=self.p())
        style = pr.place_style
        if style == "postal" and not again:
            return self.pick(["{z}", "รหัสไปรษณีย์ {z}{p}", "{z}{p}"]).format(z=pr.postal, p=self.p())
        if style in ("province_first", "unknown_district") or not district:
            return self.pick(["{pv}", "{pv}{p}", "อยู่{pv}{p}", "จังหวัด{pv}{p}", "บ้านอยู่{pv}{p}"]).format(
                pv=province, p=self.p()
            )
        if style == "district_only" and not again:
            unit = "เขต" if pr.province == "10" else "อำเภอ"
            said = self.pick(["อยู่{d}{p}", "{u}{d}{p}", "อยู่ อ.{d}{p}" if pr.province != "10" else "อยู่เขต{d}{p}"])
            self.marked_district = "{u}" in said or "อ." in said or "เขต" in said
            return said.format(d=district, u=unit, p=self.p())
        unit = "เขต" if pr.province == "10" else "อ."
        return self.pick(
            [
                "{u}{d} จ.{pv}" if pr.province != "10" else "เขต{d} {pv}",
                "{d} {pv}{p}",
                "อยู่{d} {pv}{p}",
                "อยู่ {u}{d} {pv}{p}",
                "{pv} {d}{p}",
            ]
        ).format(u=unit, d=district, pv=province, p=self.p())

    def _say_district(self, quick: list[str], again: int, bot: str) -> str:
        pr = self.profile
        unknown = texts.UNKNOWN_KHET if pr.province == "10" else texts.UNKNOWN_DISTRICT
        code = self._district_value()
        if not code:
            return (
                unknown
                if self.tap(quick, unknown)
                else self.pick(["ไม่รู้{p}", "ไม่ทราบ{p}", "ไม่แน่ใจ{p}", "จำไม่ได้{p}"]).format(p=self.p())
            )
        district = geothai.district(code).name_th.removeprefix("เขต")
        if district in quick and self.rng.random() < self.style.taps:
            return district
        if _is_mueang(code) and not again:
            return self.pick(["เมือง{p}", "อำเภอเมือง{p}", "ในเมือง{p}", "อ.เมือง"]).format(p=self.p())
        unit = "เขต" if pr.province == "10" else "อำเภอ"
        return self.pick(["{d}", "{d}{p}", "{u}{d}{p}", "อยู่{d}{p}"]).format(d=district, u=unit, p=self.p())

    def _say_district_choice(self, quick: list[str], again: int, bot: str) -> str:
        return self._say_district(quick, again, bot)

    def _say_reason(self, quick: list[str], again: int, bot: str) -> str:
        pr = self.profile
        label = next((k for k, v in texts.REASON_CHOICES.items() if v == pr.reason), None)
        if (label and self.tap(quick, label)) or again:
            return label or "ไม่อยากบอก"
        return pr.reason_text + self.p()

    def _say_path(self, quick: list[str], again: int, bot: str) -> str:
        pr = self.profile
        label = {
            "general": "สายสามัญ",
            "vocational": "สายอาชีพ (ปวช.)",
            "unsure": "ยังไม่แน่ใจ",
            None: texts.SKIP,
        }[pr.path]
        if self.tap(quick, label) or again:
            return label
        return pr.path_text + self.p()

    def _say_phone(self, quick: list[str], again: int, bot: str) -> str:
        pr = self.profile
        if pr.phone is None:
            if self.tap(quick, texts.PHONE_NONE) or again:
                return texts.PHONE_NONE
            return self.pick(
                ["ไม่มีเบอร์{p}", "ทางไลน์{p}", "ติดต่อทางไลน์{p}", "ไม่สะดวกให้เบอร์{p}", "ใช้ไลน์นี้แหละ{p}"],
            ).format(p=self.p())
        digits = pr.phone
        shaped = self.pick(
            [
                digits,
                f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
                f"{digits[:3]} {digits[3:6]} {digits[6:]}",
                f"+66 {digits[1:3]} {digits[3:6]} {digits[6:]}",
            ]
        )
        return self.pick(["{ph}", "เบอร์ {ph}{p}", "โทร {ph}{p}", "{ph}{p}"]).format(ph=shaped, p=self.p())

    # at the summary: what is wrong, and the message that fixes it
    def check_summary(self, summary: str) -> str | None:
        pr = self.profile
        for slot in ("age", "name", "district"):
            if pr.mistake == slot and slot not in self.corrected:
                self.corrected.add(slot)
                return self.correction(slot, planned=True)
        province, district = place_names(pr)
        expected = {
            "name": None if re.search(rf"ชื่อ: (?:น้อง)?{re.escape(pr.name)}\n", summary) else f"ชื่อ: {pr.name}",
            "age": f"อายุ: {pr.age} ปี" if pr.extra != "age_unknown" else None,
            "grade": f"ชั้นเรียน: {texts.GRADE_NAMES[pr.grade]}",
            "location": f"อำเภอ{district}"
            if district and pr.province != "10"
            else f"เขต{district}"
            if district
            else geothai.province(pr.province).name_th,
        }
        for slot, line in expected.items():
            if line and line not in summary and slot not in self.corrected:
                self.corrected.add(slot)
                return self.correction(slot, planned=False)
        return None

    def correction(self, slot: str, planned: bool) -> str:
        pr, p = self.profile, self.p()
        if slot == "age":
            return self.style.say(f"อายุผิด{p} {pr.age}" if planned else f"อายุ {pr.age}{p}")
        if slot == "name":
            return self.style.say(f"ชื่อผิด{p}" if planned else f"ชื่อ{pr.name}{p}")
        if slot == "grade":
            words = texts.GRADE_NAMES[pr.grade]
            return self.style.say(f"ไม่ใช่ค่ะ {'จบ' if pr.status == 'completed' else 'ออกตอน'} {words}")
        _, district = place_names(pr)
        unit = "เขต" if pr.province == "10" else "อำเภอ"
        return self.style.say(
            f"{unit}ผิด{p} เป็น{district}" if district else f"อยู่{geothai.province(pr.province).name_th}{p}"
        )


def _is_mueang(code: str | None) -> bool:
    if not code:
        return False
    name = geothai.district(code).name_th
    return name.startswith("เมือง") and name[5:] == geothai.province(code[:2]).name_th


# --- one intake -------------------------------------------------------------------------------------------


@dataclass
class Result:
    profile: Profile
    completed: bool
    turns: int
    minimum: int
    data_errors: list[str]
    repeats: Counter[str]
    unclear: list[str]
    transcript: list[str]


def read(said: str, expecting: str | None = None) -> Understanding:
    """As the conversation handler reads a message: told which question it answers."""
    masked = nlp.mask_national_ids(said)
    return replace(nlp.understand(masked, today=TODAY, expecting=expecting), text=masked)


def expected_slots(pr: Profile) -> dict[str, Any]:
    return {
        "role": pr.role,
        "name": pr.name,
        "age": None if pr.extra == "age_unknown" else pr.age,
        "grade": pr.grade,
        "grade_status": pr.status if pr.grade != "none" else None,
        "province": pr.province,
        "district": pr.district,
        "reason": pr.reason,
        "path": pr.path,
        "phone": pr.phone,
    }


def run_one(profile: Profile, rng: random.Random) -> Result:
    persona = Persona(profile, rng)
    state, now = State(), NOW
    transcript: list[str] = []
    repeats: Counter[str] = Counter()
    unclear: list[str] = []
    minimum = 1 + persona.units() + 1  # consent, the details, the confirmation
    turns = -1  # the opening message is not counted
    last_pending = None
    submitted = None
    message = profile.style.say(profile.opening.format(p=profile.style.p(rng)))
    if profile.extra == "details_first":
        province, district = place_names(profile)
        unit = "เขต" if profile.province == "10" else "อ."
        template = rng.choice(
            ["{me}อายุ {a} อยู่ {u}{d} {pv} อยากเรียนต่อ{p}", "อายุ {a} ปี บ้านอยู่{d} {pv} สนใจเรียน กศน{p}"],
        )
        if "{me}" in template and profile.role != "self":
            profile.opening_gives = ("role", "age", "location")  # ลูกอายุ …, เพื่อนอายุ …
        message = profile.style.say(
            template.format(
                me={"self": persona.style.me, "parent": "ลูก", "other": "เพื่อน"}[profile.role],
                a=profile.age,
                u=unit,
                d=district,
                pv=province,
                p=persona.p(),
            )
        )
    for _ in range(minimum + 15):
        now += timedelta(seconds=35)
        understanding = read(message, state.pending)
        state, replies, effects = step(state, understanding, now)
        turns += 1
        bot = "\n".join(m["text"] for m in replies)
        transcript.append(
            f"> {message}   [{understanding.intent} {understanding.confidence:.2f} {understanding.entities}]"
        )
        transcript.extend("  " + line for line in bot.splitlines())
        submit = next((e for e in effects if e.type == "submit"), None)
        if submit:
            submitted = submit.data["slots"]
            break
        stage, pending = state.stage, state.pending
        quick = (
            [i["action"].get("label") for i in (replies[-1].get("quickReply") or {}).get("items", [])]
            if replies
            else []
        )
        if stage == "consent":
            pending = "consent"
        elif stage == "confirm":
            pending = "confirm"
        if pending in QUESTION_WORDS and replies and not any(w in replies[-1]["text"] for w in QUESTION_WORDS[pending]):
            unclear.append(f"{pending}: {replies[-1]['text'][:80]}")
        if (
            pending == last_pending
            and pending not in ("confirm",)
            and not persona.just_asked_faq
            and not persona.just_refused
        ):
            repeats[pending] += 1
        last_pending = pending
        if stage == "confirm":
            fix = persona.check_summary(bot)
            message = fix or persona.style.say(
                rng.choice(
                    ["ยืนยัน", "ยืนยัน{p}", "ถูกต้อง{p}", "ใช่{p}", "โอเค{p}", "ถูกแล้ว{p}"],
                ).format(p=persona.p())
            )
            if fix:
                last_pending = None
        elif stage == "choose_field":
            message = "ชื่อ"
        elif pending in QUESTION_WORDS:
            message = persona.answer(pending, quick, bot)
        else:
            message = "อยากกลับไปเรียน"
    minimum = 1 + persona.units() + 1
    errors: list[str] = []
    if submitted:
        for key, value in expected_slots(profile).items():
            got = submitted.get(key)
            if key == "name" and isinstance(got, str):
                got = got.removeprefix("น้อง") if got != "น้อง" + value else value  # น้อง is how one speaks of a child
            if got != value:
                errors.append(f"{key}: {submitted.get(key)!r} ≠ {value!r}")
    return Result(profile, submitted is not None, turns, minimum, errors, repeats, unclear, transcript)


# --- several answers in one message -------------------------------------------------------------------------

ORDER = ("role", "name", "age", "grade", "location", "reason", "path", "phone")


def several_at_once(profile: Profile, rng: random.Random) -> tuple[bool, str]:
    """The persona, asked one question, answers it and one or two later ones in the same
    message; every value must land in its slot. (ok, the message and what went wrong)."""
    profile.extra = profile.mistake = profile.faq = None
    profile.grade_together, profile.place_style = True, "together"
    profile.district = profile.district or rng.choice(geothai.districts(profile.province)).code
    if profile.reason is None:
        profile.reason, profile.reason_text = "work", "ต้องทำงาน"
    if profile.path in (None, "unsure"):
        profile.path, profile.path_text = "general", "สายสามัญ"
    persona, expected = Persona(profile, rng), expected_slots(profile)
    k = rng.randrange(0, len(ORDER) - 1)
    pending, later = ORDER[k], rng.sample(ORDER[k + 1 :], min(len(ORDER) - k - 1, rng.choice([1, 2])))
    state = State(stage="collecting", pending=pending, consent=True, updated_at=NOW.isoformat())
    for slot in ORDER[:k]:
        keys = {"location": ("province", "district"), "grade": ("grade", "grade_status")}.get(slot, (slot,))
        state.slots.update({key: expected[key] for key in keys})
    parts = [
        ("ชื่อ" + profile.name) if slot == "name" and slot != pending else getattr(persona, f"_say_{slot}")([], 0, "")
        for slot in (pending, *later)
        if not (slot == "role" and slot != pending)
    ]
    message = profile.style.say(" ".join(parts))
    new, _, _ = step(state, read(message, pending), NOW + timedelta(seconds=30))
    wrong = []
    for slot in (pending, *later):
        for key in {"location": ("province", "district"), "grade": ("grade", "grade_status")}.get(slot, (slot,)):
            got = new.slots.get(key)
            got = got.removeprefix("น้อง") if key == "name" and isinstance(got, str) else got
            if got != expected[key]:
                wrong.append(f"{key}: {got!r} ≠ {expected[key]!r}")
    return not wrong, f"[{pending}] {message}  → {'; '.join(wrong)}"


# --- the report ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--personas", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=3, help="transcripts of this many worst intakes")
    parser.add_argument("--several", type=int, default=400, help="messages answering several questions at once")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    random.seed(args.seed)
    nlp.warm_up()
    results = [run_one(random_profile(rng), rng) for _ in range(args.personas)]
    done = [r for r in results if r.completed]
    exact = [r for r in done if not r.data_errors]
    extra = [r.turns - r.minimum for r in done]
    repeats: Counter[str] = Counter()
    for r in results:
        repeats.update(r.repeats)
    field_errors = Counter(e.split(":")[0] for r in done for e in r.data_errors)
    several = [several_at_once(random_profile(rng), rng) for _ in range(args.several)]
    several_lost = [line for ok, line in several if not ok]
    summary = {
        "personas": len(results),
        "completed": len(done) / len(results),
        "exact_data": len(exact) / len(results),
        "mean_turns": sum(r.turns for r in done) / max(1, len(done)),
        "mean_minimum": sum(r.minimum for r in done) / max(1, len(done)),
        "mean_extra_turns": sum(extra) / max(1, len(extra)),
        "at_minimum": sum(1 for e in extra if e <= 0) / max(1, len(extra)),
        "max_extra_turns": max(extra, default=0),
        "questions_asked_again": dict(repeats.most_common()),
        "wrong_fields": dict(field_errors.most_common()),
        "unclear_questions": sum(len(r.unclear) for r in results),
        "several_at_once": len(several),
        "several_at_once_kept": (len(several) - len(several_lost)) / max(1, len(several)),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"personas            {summary['personas']} (seed {args.seed})")
        print(f"completed           {summary['completed']:.3f}")
        print(f"exact data          {summary['exact_data']:.3f}  wrong fields: {summary['wrong_fields'] or '-'}")
        print(
            f"turns per intake    {summary['mean_turns']:.2f} (minimum {summary['mean_minimum']:.2f}, "
            f"extra {summary['mean_extra_turns']:.2f}, max extra {summary['max_extra_turns']})"
        )
        print(f"at the minimum      {summary['at_minimum']:.3f}")
        print(f"asked again         {summary['questions_asked_again'] or '-'}")
        print(f"unclear questions   {summary['unclear_questions']}")
        print(f"several at once     {summary['several_at_once_kept']:.3f} of {len(several)} messages kept every value")
    worst = sorted(results, key=lambda r: (r.completed, not r.data_errors, -(r.turns - r.minimum)))[: args.show]
    for r in worst:
        if r.completed and not r.data_errors and r.turns <= r.minimum:
            continue
        print(
            f"\n--- {r.profile.role} {r.profile.place_style} turns {r.turns}/{r.minimum}"
            f" errors {r.data_errors} unclear {r.unclear}",
            file=sys.stderr,
        )
        print("\n".join(r.transcript), file=sys.stderr)
    for line in several_lost[: args.show]:
        print(f"\n--- several at once, lost: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
