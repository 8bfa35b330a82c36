"""Thai names of the values the console shows (statuses, reasons, levels), and Thai dates.

The bot's own messages live in handlers/texts.py; these are the console's page labels."""

from __future__ import annotations

from datetime import date, datetime

import geothai

from handlers import texts
from nlp.thaitime import be_year

STATUSES = {
    "new": "รอรับเรื่อง",
    "accepted": "รับเรื่องแล้ว",
    "contacted": "ติดต่อแล้ว",
    "enrolled": "ลงทะเบียนเรียนแล้ว",
    "closed": "ปิดเรื่อง",
}
OPEN_STATUSES = ("new", "accepted", "contacted")
CLOSE_REASONS = {
    "declined": "ไม่ประสงค์เรียน",
    "unreachable": "ติดต่อไม่ได้",
    "duplicate": "เรื่องซ้ำ",
    "withdrawn": "ถอนการสมัคร",
    "enrolled_elsewhere": "เรียนที่อื่นแล้ว",
}
REASONS = {
    "financial": "ปัญหาการเงิน",
    "work": "ต้องทำงาน",
    "family": "ปัญหาครอบครัว",
    "pregnancy": "ตั้งครรภ์/มีบุตร",
    "health": "สุขภาพ",
    "disability": "ความพิการ",
    "migration": "ย้ายที่อยู่",
    "learning": "ปัญหาการเรียน",
    "bullying": "ถูกกลั่นแกล้ง",
    "legal": "คดีความ",
    "documents": "ไม่มีเอกสาร",
    "other": "เหตุผลอื่น",
}
NEXT_LEVELS = {
    "primary": "ประถมศึกษา",
    "lower_secondary": "ม.ต้น",
    "upper_secondary": "ม.ปลาย",
    "completed_basic": "จบการศึกษาขั้นพื้นฐานแล้ว",
}
GRADES = {
    "none": "ไม่ได้เรียน",
    "primary": "ประถม",
    "lower_secondary": "ม.ต้น",
    "upper_secondary": "ม.ปลาย",
    "vocational": "ปวช.",
    **{f"p{i}": f"ป.{i}" for i in range(1, 7)},
    **{f"m{i}": f"ม.{i}" for i in range(1, 7)},
    **{f"pvc{i}": f"ปวช.{i}" for i in range(1, 4)},
}
GRADE_STATUSES = {"completed": "จบ", "left_during": "ออกระหว่างเรียน"}
ROLES = {"self": "ผู้เรียนเอง", "parent": "ผู้ปกครอง", "other": "ผู้อื่น (ครู/เพื่อน/อาสา)"}
PATHS = {"general": "สายสามัญ", "vocational": "สายอาชีพ", "unsure": "ยังไม่แน่ใจ"}
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
# The actions of a case page (DESIGN §5), by the value its form posts.
ACTIONS = {
    "accept": "รับเรื่อง",
    "contacted": "ติดต่อแล้ว",
    "enrolled": "ลงทะเบียนเรียนแล้ว",
    "close": "ปิดเรื่อง",
    "reopen": "เปิดเรื่องอีกครั้ง",
}
# Why a sign-in link was refused.
SIGN_IN_REFUSALS = {
    "unknown": "ลิงก์นี้ไม่ถูกต้องค่ะ",
    "used": "ลิงก์นี้ถูกใช้ไปแล้วค่ะ (ใช้ได้ครั้งเดียว)",
    "expired": "ลิงก์นี้หมดอายุแล้วค่ะ (ใช้ได้ภายใน 10 นาที)",
}
CLOSE_REASON_MISSING = "กรุณาเลือกเหตุผลที่ปิดเรื่องค่ะ"
ANSWER_SENT = "ส่งข้อความถึงผู้สมัครแล้วค่ะ"
GROUP_NOT_LINKED = 'กลุ่มนี้ยังไม่ได้เชื่อมกับศูนย์ค่ะ กด "เชื่อมกลุ่มกับศูนย์" ก่อนนะคะ'  # the simulator's console button
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


def province_title(code: str | None) -> str:
    return f"จังหวัด{place_name(code)}"


def thai_date(value: datetime | None, *, time: bool = True) -> str:
    """6 ธ.ค. 2569 14:05 น. (Buddhist era, Bangkok time): the catalog's form, "-" for none."""
    return "-" if value is None else texts.thai_date(value, time=time)


def thai_day(day: date) -> str:
    """6 ธ.ค. 2569 (a calendar day, Buddhist era)."""
    return f"{day.day} {texts.THAI_MONTHS[day.month - 1]} {be_year(day)}"


def office_name(code: str | None, names: dict[str, str] | None = None) -> str:
    if not code:
        return UNKNOWN
    if names and code in names:
        return names[code]
    return place_name(code)


def place_name(code: str | None) -> str:
    """A province (2 digits) or district (4 digits) by its geothai name."""
    if not code:
        return UNKNOWN
    if len(code) == 2:
        province = geothai.province(code)
        return province.name_th if province else code
    district = geothai.district(code)
    return district.name_th if district else code


def label(table: dict[str, str], value: str | None) -> str:
    if value is None or value == "":
        return UNKNOWN
    return table.get(value, value)
