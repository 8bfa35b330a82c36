"""Thai names of the values the console shows (statuses, reasons, levels), and Thai dates.

The bot's own messages live in handlers/texts.py; these are the console's page labels."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from datetime import time as dt_time

from handlers import texts
from nlp.thaitime import BANGKOK

# The values a case shows are named as on the referral card and in the group (`handlers.texts`):
# staff see one name for one value wherever they meet it.
STATUSES = texts.CASE_STATUS_NAMES
CLOSE_REASONS = texts.CLOSE_REASON_NAMES
REASONS = texts.REASON_NAMES
NEXT_LEVELS = texts.NEXT_LEVEL_NAMES
GRADES = texts.GRADE_NAMES
GRADE_STATUSES = texts.STATUS_NAMES
ROLES = texts.ROLE_NAMES
PATHS = texts.PATH_NAMES
ACTORS = {"applicant": "ผู้สมัคร", "system": "ระบบ"}
# Age groups of the figures page: (label, lowest age, highest age); None = not given.
AGE_GROUPS = (
    ("ต่ำกว่า 15 ปี", 0, 14),
    ("15–17 ปี", 15, 17),
    ("18–20 ปี", 18, 20),
    ("21–24 ปี", 21, 24),
    ("25 ปีขึ้นไป", 25, 200),
)
UNKNOWN = "ไม่ระบุ"
ADMIN_SCOPE = "ผู้ดูแลระบบ (ทุกจังหวัด)"
ADMIN_BY_COMMAND = "ผู้ดูแลระบบ (คำสั่ง)"  # who a link printed by `flask --app bot console login-link` was issued to
STAFF = "เจ้าหน้าที่"  # a signed-in person whose LINE name is not known
NO_DATA = "ไม่มีข้อมูลในช่วงนี้"
# The actions of a case page (DESIGN §5), by the value its form posts: the card's buttons.
ACTIONS = {**texts.CARD_ACTIONS, "reopen": texts.REOPEN_LABEL}
# Why a sign-in link was refused.
SIGN_IN_REFUSALS = {
    "unknown": "ลิงก์นี้ไม่ถูกต้องค่ะ",
    "used": "ลิงก์นี้ถูกใช้ไปแล้วค่ะ (ใช้ได้ครั้งเดียว)",
    "expired": "ลิงก์นี้หมดอายุแล้วค่ะ (ใช้ได้ภายใน 10 นาที)",
}
# The forms of a case page: their fields' labels and what their validation says.
FORM_CLOSE_REASON = "เหตุผลที่ปิดเรื่อง"
FORM_CLOSE_REASON_PROMPT = "เลือกเหตุผล"
FORM_TRANSFER_OFFICE = "ศูนย์ที่รับโอน (รหัสอำเภอ 4 หลัก หรือรหัสจังหวัด 2 หลัก)"
FORM_TRANSFER_OFFICE_MISSING = "กรุณาใส่รหัสศูนย์"
FORM_TRANSFER_OFFICE_FORMAT = "รหัสศูนย์เป็นตัวเลข 2 หรือ 4 หลักค่ะ"
FORM_TRANSFER_REASON = "เหตุผล"
FORM_TRANSFER_REASON_MISSING = "กรุณาใส่เหตุผล"
FORM_ANSWER = "ข้อความถึงผู้สมัคร"
FORM_ANSWER_MISSING = "กรุณาพิมพ์ข้อความ"
CLOSE_REASON_MISSING = "กรุณาเลือกเหตุผลที่ปิดเรื่องค่ะ"
ANSWER_SENT = "ส่งข้อความถึงผู้สมัครแล้วค่ะ"
# the simulator's console button
GROUP_NOT_LINKED = 'กลุ่มนี้ยังไม่ได้เชื่อมกับศูนย์ค่ะ กด "เชื่อมกลุ่มกับศูนย์" ก่อนนะคะ'
# The figures page: the funnel's steps and the charts' titles.
FUNNEL = {"new": "เรื่องใหม่", "accepted": "รับเรื่องแล้ว", "contacted": "ติดต่อแล้ว", "enrolled": "ลงทะเบียนเรียนแล้ว"}
CHART_FUNNEL = "ขั้นตอนของเรื่อง"
CHART_REASONS = "สาเหตุที่ออกจากโรงเรียน"
CHART_AGES = "อายุ"
CHART_LEVELS = "ระดับที่จะเรียนต่อ"


def chart_areas(by_district: bool) -> str:
    return "เรื่องใหม่แยกตาม" + ("อำเภอ" if by_district else "จังหวัด")


def transferred(office_name: str) -> str:
    return f"โอนเรื่องไปที่{office_name}แล้วค่ะ"


def form_too_long(limit: int) -> str:
    return f"ไม่เกิน {limit} ตัวอักษรค่ะ"


def province_title(code: str | None) -> str:
    return f"จังหวัด{place_name(code)}"


def thai_date(value: datetime | None, *, time: bool = True) -> str:
    """6 ธ.ค. 2569 14:05 น. (Buddhist era, Bangkok time): the catalog's form, "-" for none."""
    return "-" if value is None else texts.thai_date(value, time=time)


def thai_day(day: date) -> str:
    """6 ธ.ค. 2569: a calendar day in the catalog's form (`texts.thai_date`)."""
    return texts.thai_date(datetime.combine(day, dt_time(12), tzinfo=BANGKOK), time=False)


def office_name(code: str | None, names: dict[str, str] | None = None) -> str:
    if not code:
        return UNKNOWN
    if names and code in names:
        return names[code]
    return place_name(code)


def place_name(code: str | None) -> str:
    """A province (2 digits) or district (4 digits) by name, as the catalog names it."""
    if not code:
        return UNKNOWN
    return texts.province_name(code) if len(code) == 2 else texts.district_name(code)


def home(district: str | None, province: str | None) -> str:
    """The learner's home as the referral card writes it ("อำเภอเถิน จังหวัดลำปาง")."""
    return texts.place_name({"district": district, "province": province})


def label(table: Mapping[str, str], value: str | None) -> str:
    if value is None or value == "":
        return UNKNOWN
    return table.get(value, value)
