"""Everything the dialogue says, in one voice: a warm, polite young female staffer (ค่ะ/คะ),
short sentences, everyday Thai, at most one emoji now and then. Every question says plainly
what it asks.

The quick-reply labels below are also what the dialogue matches first (before the NLU's
intent), so a tapped button always means what it says. Labels are ≤ 20 characters.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import geothai

from handlers.messages import MAX_QUICK_REPLIES, Message, location_action, message_action, text
from handlers.routing import compulsory_age, next_level
from nlp.thaitime import BANGKOK, be_year

if TYPE_CHECKING:
    from handlers.dialogue.state import SlotValue

# The intake's values as the texts read them (`handlers.dialogue.state.Slots`, or a case's own).
SlotsView = Mapping[str, "SlotValue"]

# The consent notice's version: change it whenever `consent_question` changes in substance;
# each consent record stores the version the user agreed to (DESIGN §6).
CONSENT_VERSION = "2026-12-1"

# --- quick-reply labels -----------------------------------------------------------------------

ENROLL = "อยากกลับไปเรียน"
SHARE_LOCATION = "ส่งตำแหน่ง"  # the button that opens LINE's location picker
ASK_INFO = "ถามข้อมูล"
HUMAN = "คุยกับเจ้าหน้าที่"
STATUS = "เรื่องถึงไหนแล้ว"
RESTART = "เริ่มใหม่"
CANCEL = "ยกเลิก"
DELETE = "ลบข้อมูลของฉัน"
MENU_WORD = "เมนู"
MENU = [ENROLL, ASK_INFO, HUMAN]
FAQ_LABELS = {
    "เรียนฟรีไหม": "ask_cost",
    "ใช้เอกสารอะไรบ้าง": "ask_documents",
    "รับสมัครเมื่อไหร่": "ask_schedule",
    "อายุเท่าไหร่เรียนได้": "ask_eligibility",
    "วุฒิใช้ได้ไหม": "ask_certificate",
    "ศูนย์อยู่ที่ไหน": "ask_office",
}
FAQ_MENU = list(FAQ_LABELS)
HELP_MENU = [
    ENROLL, "เรียนฟรีไหม", "ใช้เอกสารอะไรบ้าง", "รับสมัครเมื่อไหร่", "ศูนย์อยู่ที่ไหน", STATUS, HUMAN, RESTART, DELETE,
]

CONSENT_YES = "ยินยอม"
CONSENT_NO = "ไม่ยินยอม"
CONFIRM = "ยืนยัน"
EDIT = "แก้ไข"
DELETE_YES = "ยืนยันลบ"
DELETE_NO = "ไม่ลบ"
ANOTHER = "ลงทะเบียนอีกคน"
UNKNOWN_DISTRICT = "ไม่ทราบอำเภอ"
UNKNOWN_KHET = "ไม่ทราบเขต"
PHONE_NONE = "ติดต่อทางไลน์"
SKIP = "ข้าม"
SAME_PLACE = "ที่อยู่เดิม"
KEEP_OLD = "ใช้ข้อมูลเดิม"
CANCEL_YES = "ยืนยันยกเลิก"
CANCEL_NO = "ไม่ยกเลิก"

ROLE_CHOICES = {"ตัวเอง": "self", "ลูก/หลาน": "parent", "คนอื่น (ครู/เพื่อน)": "other"}
GRADE_CHOICES = {
    "ไม่ได้เรียน": "none", "ต่ำกว่า ป.6": "primary", "ป.6": "p6", "ม.1": "m1", "ม.2": "m2", "ม.3": "m3",
    "ม.4": "m4", "ม.5": "m5", "ม.6": "m6", "ปวช.": "vocational",
}
STATUS_CHOICES = {"จบแล้ว": "completed", "ออกกลางคัน": "left_during", "เรียนไม่จบ": "left_during"}
STATUS_QUICK = ["จบแล้ว", "ออกกลางคัน"]
REASON_CHOICES = {
    "ต้องทำงาน": "work", "ปัญหาการเงิน": "financial", "ปัญหาครอบครัว": "family",
    "ตั้งครรภ์/มีบุตร": "pregnancy", "สุขภาพ": "health", "ย้ายที่อยู่": "migration",
    "ปัญหาการเรียน": "learning", "ถูกกลั่นแกล้ง": "bullying", "เหตุผลอื่น": "other", "ไม่อยากบอก": None,
}
PATH_CHOICES = {"สายสามัญ": "general", "สายอาชีพ (ปวช.)": "vocational", "ยังไม่แน่ใจ": "unsure"}
FIELD_CHOICES = {
    "ผู้สมัคร": "role", "ชื่อ": "name", "อายุ": "age", "ชั้นเรียน": "grade",
    "ที่อยู่": "location", "สาเหตุ": "reason", "สายที่เรียน": "path", "เบอร์โทร": "phone",
}
DONE_MENU = [ANOTHER, STATUS, ASK_INFO, HUMAN]
# Every quick-reply text of the dialogue (none of them is ever taken for a name).
ALL_LABELS = frozenset({
    *MENU, *FAQ_MENU, *HELP_MENU, *ROLE_CHOICES, *GRADE_CHOICES, *STATUS_CHOICES, *REASON_CHOICES, *PATH_CHOICES,
    *FIELD_CHOICES, PHONE_NONE, UNKNOWN_DISTRICT, UNKNOWN_KHET, CONFIRM, EDIT, CONSENT_YES, CONSENT_NO, ANOTHER, SKIP,
    KEEP_OLD, CANCEL_YES, CANCEL_NO, DELETE_YES, DELETE_NO, SAME_PLACE,
})

# --- names of values ---------------------------------------------------------------------------

GRADE_NAMES = {
    "none": "ไม่ได้เรียน", "primary": "ประถม", "lower_secondary": "ม.ต้น", "upper_secondary": "ม.ปลาย",
    "vocational": "ปวช.", **{f"p{i}": f"ป.{i}" for i in range(1, 7)}, **{f"m{i}": f"ม.{i}" for i in range(1, 7)},
    **{f"pvc{i}": f"ปวช.{i}" for i in range(1, 4)},
}
STATUS_NAMES = {"completed": "จบแล้ว", "left_during": "ออกระหว่างเรียน"}
REASON_NAMES = {
    "financial": "ปัญหาการเงิน", "work": "ต้องทำงาน", "family": "ปัญหาครอบครัว", "pregnancy": "ตั้งครรภ์/มีบุตร",
    "health": "สุขภาพ", "disability": "ความพิการ", "migration": "ย้ายที่อยู่", "learning": "ปัญหาการเรียน",
    "bullying": "ถูกกลั่นแกล้ง", "legal": "เรื่องทางกฎหมาย", "documents": "ปัญหาเอกสาร", "other": "เหตุผลอื่น",
}
PATH_NAMES = {"general": "สายสามัญ", "vocational": "สายอาชีพ (ปวช.)", "unsure": "ยังไม่แน่ใจ"}
ROLE_NAMES = {"self": "สมัครให้ตัวเอง", "parent": "สมัครให้ลูก/หลาน", "other": "สมัครให้คนอื่น"}


# --- welcome, consent, menus -------------------------------------------------------------------


def _link(label: str, url: str | None) -> str:
    """" (label: url)" when a link is configured; nothing otherwise (never a placeholder)."""
    return f" ({label}: {url})" if url else ""


def privacy_link(privacy_url: str | None) -> str:
    """The line after the privacy answer that points to the full notice (when configured)."""
    return f"อ่านประกาศฉบับเต็มได้ที่ {privacy_url}" if privacy_url else ""


def welcome(privacy_url: str | None = None) -> str:
    return (
        "สวัสดีค่ะ 😊 ที่นี่ \"เรียนต่อ\" ผู้ช่วยของ สกร. (เดิมคือ กศน.) ค่ะ\n"
        "ช่วยตอบคำถามเรื่องการกลับไปเรียน และส่งเรื่องให้ศูนย์ สกร. ใกล้บ้านติดต่อกลับได้ค่ะ\n"
        f"ข้อมูลที่ให้ไว้ใช้เพื่อการสมัครเรียนเท่านั้น{_link('นโยบายความเป็นส่วนตัว', privacy_url)}\n"
        "อยากให้ช่วยเรื่องไหนคะ"
    )


def first_contact() -> str:
    """A first message that already carries details: a one-line hello before the consent."""
    return "สวัสดีค่ะ ที่นี่ \"เรียนต่อ\" ผู้ช่วยของ สกร. (เดิมคือ กศน.) ยินดีช่วยเรื่องสมัครเรียนค่ะ"


def welcome_back(kept: bool) -> str:
    if kept:
        return "ยินดีต้อนรับกลับมาค่ะ 😊 ข้อมูลที่คุยกันไว้ยังอยู่ มาคุยต่อจากเดิมกันนะคะ"
    return "ยินดีต้อนรับกลับมาค่ะ 😊 ข้อมูลที่เคยคุยไว้หมดอายุแล้ว ถ้าจะสมัคร ขอเริ่มใหม่อีกครั้งนะคะ"


def consent_question(privacy_url: str | None = None) -> str:
    """The consent notice (version `CONSENT_VERSION`) and its question."""
    return (
        "ก่อนเริ่ม ขอความยินยอมก่อนนะคะ 🙏\n"
        "เราจะเก็บข้อมูล เช่น ชื่อ อายุ ชั้นเรียน ที่อยู่ และเบอร์โทร เพื่อส่งให้ศูนย์ สกร. ใกล้บ้านติดต่อกลับ"
        "เรื่องสมัครเรียนเท่านั้น ไม่ขอเลขบัตรประชาชน และขอลบข้อมูลได้ทุกเมื่อโดยพิมพ์ \"ลบข้อมูลของฉัน\"\n"
        + (f"อ่านรายละเอียด: {privacy_url}\n" if privacy_url else "")
        + "ยินยอมให้เก็บและส่งต่อข้อมูลไหมคะ"
    )


def consent_question_short(privacy_url: str | None = None) -> str:
    return (
        "ยินยอมให้เก็บข้อมูลและส่งต่อให้ศูนย์ สกร. ใกล้บ้าน เพื่อติดต่อกลับเรื่องสมัครเรียนไหมคะ"
        + _link("รายละเอียด", privacy_url)
    )


def consent_again() -> str:
    return "ขอคำตอบเรื่องความยินยอมก่อนนะคะ กด \"ยินยอม\" หรือ \"ไม่ยินยอม\" ได้เลยค่ะ"


def consent_thanks() -> str:
    return "ขอบคุณค่ะ 🙏"


def consent_declined(contact: str) -> str:
    return (
        "ได้ค่ะ ไม่เก็บข้อมูลใด ๆ ไว้นะคะ\n"
        f"ถ้าอยากสมัครเอง {contact}\n"
        "ถ้าเปลี่ยนใจ กด \"อยากกลับไปเรียน\" ได้ทุกเมื่อค่ะ"
    )


def another_started() -> str:
    return "ได้เลยค่ะ มาลงทะเบียนให้อีกคนกันนะคะ"


def already_enrolling() -> str:
    return "กำลังสมัครกันอยู่เลยค่ะ 😊"


def faq_menu() -> str:
    return "อยากทราบเรื่องไหนคะ เลือกจากปุ่ม หรือพิมพ์ถามได้เลยค่ะ"


def after_answer() -> str:
    return "ถ้าอยากสมัครเรียน กด \"อยากกลับไปเรียน\" ได้เลยนะคะ หรือถามเรื่องอื่นต่อได้ค่ะ"


def office_follow_up() -> str:
    return "ถ้าอยากให้ศูนย์ติดต่อกลับ กด \"อยากกลับไปเรียน\" ได้เลยนะคะ"


def which_help() -> str:
    return "อยากให้ช่วยเรื่องไหนคะ"


# --- the questions ------------------------------------------------------------------------------


def _text(slots: SlotsView, key: str) -> str:
    """A slot that holds text (a code, a name), or "" when it holds none."""
    value = slots.get(key)
    return value if isinstance(value, str) else ""


def subject(slots: SlotsView) -> str:
    """How to refer to the learner in a question."""
    name = slots.get("name")
    if slots.get("role") == "self":
        return "คุณ"
    if name:
        if str(name).startswith("น้อง"):
            return str(name)
        age = slots.get("age")
        adult = isinstance(age, int) and age >= 20
        return f"คุณ{name}" if adult else f"น้อง{name}"  # a friend of 30 is no น้อง
    return "ลูก/หลาน" if slots.get("role") == "parent" else "ผู้ที่จะเรียน"


def question(slot: str, slots: SlotsView, choices: list[str] | None = None, hint: str | None = None,
             previous_place: SlotsView | None = None) -> tuple[str, list[Any]]:
    """The question for `slot` and its quick replies (labels or actions). `hint`: a district
    named without its province ("เมือง"), asked with the province question; `previous_place`:
    the home of the learner registered before in this chat, offered as one tap."""
    who = subject(slots)
    if slot == "role":
        return (
            "ครั้งนี้สมัครเรียนให้ใครคะ ให้ตัวคุณเอง ให้ลูก/หลาน หรือให้คนอื่น (เช่น นักเรียน เพื่อน)",
            list(ROLE_CHOICES),
        )
    if slot == "name":
        if slots.get("role") == "self":
            return ("คุณชื่ออะไรคะ บอกชื่อเล่นก็ได้ค่ะ", [])
        if slots.get("role") == "parent":
            return ("ลูก/หลานที่จะเรียนชื่ออะไรคะ บอกชื่อเล่นก็ได้ค่ะ", [])
        return ("คนที่จะเรียนชื่ออะไรคะ บอกชื่อเล่นก็ได้ค่ะ", [])
    if slot == "age":
        return (f"{who}อายุเท่าไหร่คะ (บอกปีเกิดแทนก็ได้ค่ะ เช่น เกิดปี 2551)", [])
    if slot == "grade":
        return (
            f"{who}เรียนถึงชั้นไหนคะ แล้วจบชั้นนั้นหรือออกกลางคัน (เช่น \"จบ ม.3\" หรือ \"ออกตอน ม.2\")",
            list(GRADE_CHOICES),
        )
    if slot == "grade_status":
        level = GRADE_NAMES.get(_text(slots, "grade"), "ชั้นนั้น")
        return (f"{who}เรียนจบ {level} แล้ว หรือออกกลางคันคะ", list(STATUS_QUICK))
    if slot == "location":
        if previous_place and not hint:
            place = place_name(previous_place)
            return (f"{who}อยู่อำเภออะไร จังหวัดอะไรคะ "
                    f"ถ้าอยู่ที่เดียวกับคนก่อน ({place}) กด \"{SAME_PLACE}\" ได้เลยค่ะ",
                    [SAME_PLACE, location_action(SHARE_LOCATION)])
        if hint:
            return (f"อำเภอ{hint} ของจังหวัดไหนคะ พิมพ์ชื่อจังหวัดมาได้เลยค่ะ", [location_action(SHARE_LOCATION)])
        return (
            f"{who}อยู่อำเภออะไร จังหวัดอะไรคะ พิมพ์ชื่ออำเภอกับจังหวัด หรือกด \"ส่งตำแหน่ง\" ก็ได้ค่ะ",
            [location_action(SHARE_LOCATION)],
        )
    if slot == "district":
        province = _text(slots, "province")
        name = province_name(province)
        unit = "เขต" if province == "10" else "อำเภอ"
        where = "กรุงเทพฯ" if province == "10" else f"จังหวัด{name}"
        unknown = UNKNOWN_KHET if province == "10" else UNKNOWN_DISTRICT
        body = f"{who}อยู่{unit}ไหนของ{where}คะ ถ้าไม่ทราบ กด \"{unknown}\" ได้ค่ะ"
        return (body, district_quick_replies(province, unknown))
    if slot == "district_choice":
        codes = choices or []
        return ("รหัสไปรษณีย์นี้ใช้หลายอำเภอค่ะ อยู่อำเภอไหนคะ", [district_choice_action(code) for code in codes[:12]])
    if slot == "reason":
        if slots.get("grade") == "none":
            why = f"ทำไม{who}ถึงไม่ได้เข้าเรียนคะ"  # never went to school: nothing was left
        elif slots.get("grade_status") == "completed":
            why = f"ทำไม{who}ถึงไม่ได้เรียนต่อคะ"  # finished a level, then stopped
        else:
            why = f"ทำไม{who}ถึงออกจากโรงเรียนคะ"
        return (f"ขอถามอีกนิดนะคะ {why} (ไม่อยากตอบ กด \"ไม่อยากบอก\" ได้ค่ะ)", list(REASON_CHOICES))
    if slot == "path":
        return (
            f"{who}อยากเรียนต่อสายไหนคะ สายสามัญ (ได้วุฒิ ป.6/ม.3/ม.6) หรือสายอาชีพ (ปวช.)",
            list(PATH_CHOICES),
        )
    if slot == "phone":
        return (
            "เจ้าหน้าที่จะโทรติดต่อที่เบอร์ไหนดีคะ ถ้าไม่สะดวกให้เบอร์ กด \"ติดต่อทางไลน์\" ได้นะคะ",
            [PHONE_NONE],
        )
    raise KeyError(slot)


# A province with more districts gets no buttons: with "not known" and the location share they
# must fit LINE's quick replies, and a longer row is one to scroll rather than a few taps.
MAX_DISTRICT_BUTTONS = MAX_QUICK_REPLIES - 2


def district_quick_replies(province: str, unknown: str) -> list[Any]:
    """The districts of a small province as buttons (with "not known" and a location share),
    so a few taps answer; a large province gets the location share and "not known" only."""
    codes = [d.code for d in geothai.districts(province)] if province and province != "10" else []
    if not codes or len(codes) > MAX_DISTRICT_BUTTONS:
        return [location_action(SHARE_LOCATION), unknown]
    buttons = [message_action(district_name(code), f"อำเภอ{district_name(code)}") for code in codes]
    return [*buttons, unknown, location_action(SHARE_LOCATION)]


def hint(slot: str, misses: int = 1) -> str:
    """A short line before asking `slot` again after an answer the bot could not read."""
    hints = {
        "role": "ขอโทษค่ะ ยังไม่แน่ใจว่าสมัครให้ใคร เลือกจากปุ่มด้านล่างได้เลยนะคะ",
        "name": "ขอโทษค่ะ ยังไม่ได้ชื่อเลย พิมพ์แค่ชื่อหรือชื่อเล่นสั้น ๆ ได้เลยค่ะ เช่น \"ฝน\"",
        "age": "ขอโทษค่ะ ยังไม่เข้าใจอายุ พิมพ์เป็นตัวเลขได้เลยนะคะ เช่น 17",
        "grade": "ขอโทษค่ะ ยังไม่เข้าใจชั้นเรียน เลือกจากปุ่ม หรือพิมพ์แบบ \"ม.2\" ได้เลยค่ะ",
        "grade_status": "ขอโทษค่ะ ยังไม่แน่ใจ",
        "location": "ขอโทษค่ะ ยังหาอำเภอ/จังหวัดนี้ไม่เจอ ลองพิมพ์แบบ \"อ.เถิน จ.ลำปาง\" นะคะ",
        "district": "ขอโทษค่ะ ยังหาอำเภอนี้ไม่เจอ",
        "district_choice": "ขอโทษค่ะ ยังไม่แน่ใจว่าอำเภอไหน เลือกจากปุ่มได้เลยค่ะ",
        "reason": "ขอโทษค่ะ ยังไม่เข้าใจ",
        "path": "ขอโทษค่ะ ยังไม่เข้าใจ",
        "phone": "ขอโทษค่ะ ยังไม่เห็นเบอร์โทรเลย พิมพ์เบอร์ 10 หลักได้เลยนะคะ เช่น 0812345678",
        "phone_digits": "ขอโทษค่ะ เบอร์นี้ดูไม่ครบ พิมพ์เบอร์ 10 หลักได้เลยนะคะ เช่น 0812345678",
    }
    line = hints.get(slot, "ขอโทษค่ะ ยังไม่เข้าใจ")
    if slot == "location" and misses >= 2:
        line += " หรือกด \"ส่งตำแหน่ง\" ก็ได้ค่ะ"
    return line


def location_stuck(refused: bool) -> str:
    """The location asked a few times in vain: it is needed, so a share or a person is offered."""
    first = ("ต้องขอจังหวัดก่อนนะคะ ศูนย์จึงจะติดต่อกลับได้" if refused
             else "ขอโทษค่ะ ยังหาที่อยู่นี้ไม่เจอ")
    return f"{first} กด \"ส่งตำแหน่ง\" ก็ได้ หรือกด \"คุยกับเจ้าหน้าที่\" ให้เจ้าหน้าที่ช่วยได้ค่ะ"


def skipped() -> str:
    return "ข้อนี้ข้ามไปก่อนได้ค่ะ"


def refused_hint(slot: str, slots: SlotsView) -> str:
    """The first "ไม่รู้"/"ไม่บอก" to a question the office needs: why it helps, and a way out."""
    who = subject(slots)
    lines = {
        "name": "ขอแค่ชื่อเล่นก็พอค่ะ เจ้าหน้าที่จะได้เรียกถูก ถ้าไม่สะดวกบอก กด \"ข้าม\" ได้ค่ะ",
        "age": f"ไม่เป็นไรค่ะ บอกอายุคร่าว ๆ หรือปีเกิดของ{who}ก็ได้ ถ้าไม่ทราบจริง ๆ กด \"ข้าม\" ได้ค่ะ",
        "grade": "ไม่เป็นไรค่ะ บอกคร่าว ๆ ก็ได้ เช่น \"ประถม\" หรือ \"ม.ต้น\" ถ้าไม่ทราบจริง ๆ กด \"ข้าม\" ได้ค่ะ",
        "grade_status": "ไม่เป็นไรค่ะ ถ้าไม่แน่ใจ กด \"ข้าม\" ได้ เจ้าหน้าที่จะช่วยดูจากเอกสารให้ค่ะ",
        "location": "ขอแค่ชื่อจังหวัดก็ได้ค่ะ เพื่อส่งเรื่องให้ศูนย์ที่ใกล้บ้านที่สุด หรือกด \"ส่งตำแหน่ง\" ก็ได้นะคะ",
    }
    return lines.get(slot, hint(slot))


def why_we_ask(slot: str) -> str:
    """The answer to "ทำไมต้องถาม": what the office does with this one detail."""
    why = {
        "role": "ถามเพื่อจะได้ถามข้อมูลของคนที่จะเรียนให้ถูกคนค่ะ",
        "name": "ขอชื่อเพื่อให้เจ้าหน้าที่เรียกได้ถูกคนค่ะ ชื่อเล่นก็พอนะคะ",
        "age": "อายุช่วยให้ศูนย์รู้ว่าเรียนระดับไหนได้ และต้องมีหนังสือส่งตัวหรือไม่ค่ะ",
        "grade": "ชั้นเรียนเดิมช่วยให้ศูนย์รู้ว่าจะเรียนต่อระดับไหนค่ะ",
        "grade_status": "ช่วยให้ศูนย์รู้ว่าจะเรียนต่อระดับไหนค่ะ",
        "location": "ที่อยู่ใช้ส่งเรื่องให้ศูนย์ สกร. ที่ใกล้บ้านที่สุดค่ะ",
        "district": "อำเภอใช้ส่งเรื่องให้ศูนย์ที่ใกล้บ้านที่สุดค่ะ",
        "district_choice": "อำเภอใช้ส่งเรื่องให้ศูนย์ที่ใกล้บ้านที่สุดค่ะ",
        "reason": "ถามเพื่อให้เจ้าหน้าที่ช่วยได้ตรงจุด เช่น เรื่องทุนหรือเวลาเรียนค่ะ ไม่อยากบอกก็ได้นะคะ",
        "path": "ถามเพื่อให้ศูนย์เตรียมหลักสูตรให้ตรงค่ะ ยังไม่แน่ใจก็ตอบแบบนั้นได้เลยค่ะ",
        "phone": "เบอร์ใช้ให้เจ้าหน้าที่โทรนัดเรื่องสมัครค่ะ ไม่สะดวกให้เบอร์ ติดต่อทางไลน์ได้นะคะ",
    }
    reason = why.get(slot, "ถามเพื่อส่งเรื่องให้ศูนย์ สกร. ใกล้บ้านติดต่อกลับค่ะ")
    return reason + " ข้อมูลใช้เพื่อการสมัครเรียนเท่านั้นค่ะ"


def about_the_bot() -> str:
    return (
        "ที่นี่คือ \"เรียนต่อ\" ผู้ช่วยตอบอัตโนมัติของ สกร. ค่ะ 😊 ช่วยตอบคำถามและส่งเรื่องให้ศูนย์ใกล้บ้าน "
        "ถ้าอยากคุยกับเจ้าหน้าที่ตัวจริง พิมพ์ \"คุยกับเจ้าหน้าที่\" ได้เลยค่ะ"
    )


def cannot_answer(mid_intake: bool) -> str:
    if mid_intake:
        return "ขอโทษค่ะ เรื่องนี้ยังตอบเองไม่ได้ เมื่อส่งเรื่องแล้ว เจ้าหน้าที่ศูนย์จะช่วยตอบให้นะคะ"
    return (
        "ขอโทษค่ะ เรื่องนี้ยังตอบเองไม่ได้ 🙏 กด \"คุยกับเจ้าหน้าที่\" ให้เจ้าหน้าที่ติดต่อกลับได้ "
        "หรือถามเรื่องค่าเรียน เอกสาร วันรับสมัคร อายุ วุฒิ หรือที่ตั้งศูนย์ได้เลยค่ะ"
    )


def take_your_time() -> str:
    return ("ได้เลยค่ะ ตรวจดูได้ตามสบายนะคะ ถ้าถูกต้องแล้ว กด \"ยืนยัน\" "
            "ถ้าต้องแก้ กด \"แก้ไข\" หรือพิมพ์ข้อมูลที่ถูกมาได้เลยค่ะ")


def take_your_time_consent() -> str:
    return "ได้เลยค่ะ อ่านรายละเอียดได้ตามสบายนะคะ พร้อมเมื่อไหร่ กด \"ยินยอม\" หรือ \"ไม่ยินยอม\" ได้เลยค่ะ"


def name_again() -> str:
    """The name was typed before consent, when nothing but entity values is kept."""
    return "ขอโทษที่ต้องถามซ้ำนะคะ ชื่อที่บอกไว้ก่อนให้ความยินยอมยังไม่ได้บันทึกไว้ค่ะ"


def role_assumed() -> str:
    return "ขอบันทึกว่าสมัครให้ตัวเองไว้ก่อนนะคะ ถ้าไม่ใช่ แก้ได้ตอนทวนข้อมูลค่ะ"


def restarted() -> str:
    return "ได้เลยค่ะ มาเริ่มกันใหม่นะคะ"


def restarted_with_values() -> str:
    return (f"ได้เลยค่ะ มาเริ่มกันใหม่นะคะ ข้อไหนยังเหมือนเดิม กด \"{KEEP_OLD}\" ได้เลย "
            "ถ้าเปลี่ยน พิมพ์ข้อมูลใหม่มาได้ค่ะ")


def offer_old(value: str) -> str:
    """After "เริ่มใหม่": the value given before for this question."""
    return f"(ข้อมูลเดิม: {value})"


def offered_value(slot: str, offered: SlotsView) -> str | None:
    """How the value given before "เริ่มใหม่" for `slot` reads, or None when there is none."""
    if not offered:
        return None
    if slot == "role":
        return ROLE_NAMES.get(_text(offered, "role"))
    if slot == "name":
        return _text(offered, "name") or None
    if slot == "age":
        return f"{offered['age']} ปี" if offered.get("age") is not None else None
    if slot == "grade":
        return GRADE_NAMES.get(_text(offered, "grade"))
    if slot == "grade_status":
        return STATUS_NAMES.get(_text(offered, "grade_status"))
    if slot in ("location", "district", "district_choice"):
        return place_name(offered) if offered.get("province") else None
    if slot == "reason":
        return REASON_NAMES.get(_text(offered, "reason"))
    if slot == "path":
        return PATH_NAMES.get(_text(offered, "path"))
    if slot == "phone":
        return _text(offered, "phone") or None
    return None


def confirm_cancel() -> str:
    return "ยกเลิกการสมัครนี้ใช่ไหมคะ ข้อมูลที่ทวนไว้จะถูกล้างทั้งหมด"


def cancel_aborted() -> str:
    return "ไม่ยกเลิกค่ะ ข้อมูลยังอยู่ครบนะคะ"


def left_unknown() -> str:
    return "ไม่เป็นไรค่ะ ข้อนี้ข้ามไปก่อน เจ้าหน้าที่จะสอบถามอีกครั้งนะคะ"


def district_left_unknown(province: str) -> str:
    where = "กรุงเทพฯ" if province == "10" else f"จังหวัด{province_name(province)}"
    return f"ไม่เป็นไรค่ะ จะส่งเรื่องให้ศูนย์ของ{where}ช่วยประสานต่อนะคะ"


def district_not_province(province: str) -> str:
    unit = "เขต" if province == "10" else "อำเภอ"
    where = "กรุงเทพฯ" if province == "10" else f"จังหวัด{province_name(province)}"
    return f"ขอชื่อ{unit}ใน{where}ค่ะ"


def noted() -> str:
    """Before the same question again, when the message gave something else ("อายุ 17" to the name)."""
    return "จดไว้แล้วค่ะ 😊"


def already_noted() -> str:
    """The message repeated something already known, not the answer to the question."""
    return "ข้อนั้นจดไว้แล้วค่ะ"


def not_understood() -> str:
    return "ขอโทษค่ะ ยังไม่เข้าใจข้อความนี้ 🙏 เลือกจากปุ่มด้านล่าง หรือพิมพ์ \"เมนู\" ได้นะคะ"


def not_understood_short() -> str:
    return "ขอโทษค่ะ ยังไม่เข้าใจข้อความนี้"


def back_to_question() -> str:
    return "กลับมาที่คำถามเดิมนะคะ"


def next_question() -> str:
    return "ขอถามต่อนะคะ"


def faq_menu_mid_intake() -> str:
    return "อยากทราบเรื่องไหนคะ เลือกจากปุ่ม หรือพิมพ์ถามได้เลยค่ะ ถามเสร็จแล้วจะกลับมาที่คำถามเดิมนะคะ"


def meanwhile() -> str:
    return "ระหว่างนี้ คุยต่อกันได้เลยนะคะ"


def help_text() -> str:
    return (
        "พิมพ์คุยได้ตามสบายเลยค่ะ เช่น\n"
        "• \"อยากกลับไปเรียน\" เพื่อสมัคร\n"
        "• ถามเรื่องค่าเรียน เอกสาร วันรับสมัคร อายุ วุฒิ หรือที่ตั้งศูนย์\n"
        "• \"เรื่องถึงไหนแล้ว\" ดูสถานะ\n"
        "• \"คุยกับเจ้าหน้าที่\" ให้เจ้าหน้าที่ติดต่อกลับ\n"
        "• \"เริ่มใหม่\" เริ่มต้นใหม่ · \"ลบข้อมูลของฉัน\" ลบข้อมูลทั้งหมด"
    )


def cancelled() -> str:
    return "ยกเลิกเรียบร้อยค่ะ ข้อมูลที่กรอกไว้ล้างแล้ว ถ้าพร้อมเมื่อไหร่ เริ่มใหม่ได้เลยนะคะ"


def greet_again() -> str:
    return "สวัสดีค่ะ 😊"


def you_are_welcome() -> str:
    return "ยินดีค่ะ 😊 มีอะไรสงสัยถามได้ตลอดนะคะ"


def confirm_delete() -> str:
    return (
        "ยืนยันลบข้อมูลทั้งหมดของคุณไหมคะ\n"
        "ชื่อ เบอร์โทร และข้อความจะถูกลบ ถ้าส่งเรื่องไปแล้ว จะแจ้งศูนย์ว่าขอถอนการสมัครค่ะ"
    )


def delete_aborted() -> str:
    return "ไม่ลบค่ะ ข้อมูลยังอยู่เหมือนเดิมนะคะ"


def edited() -> str:
    return "แก้ไขให้แล้วค่ะ"


def after_done() -> str:
    return "ส่งเรื่องไปแล้วนะคะ 😊 ถ้าจะสมัครให้อีกคน กด \"ลงทะเบียนอีกคน\" หรือถามข้อมูลเพิ่มได้เลยค่ะ"


def done_changes() -> str:
    return (
        "ส่งเรื่องไปแล้วค่ะ ถ้าต้องแก้ข้อมูลในเรื่องที่ส่งไป กด \"คุยกับเจ้าหน้าที่\" ได้เลยนะคะ "
        "หรือถ้าจะสมัครให้อีกคน กด \"ลงทะเบียนอีกคน\" ค่ะ"
    )


# --- the summary --------------------------------------------------------------------------------


def summary(slots: SlotsView, unknown: list[str] | tuple[str, ...] = ()) -> str:
    """The values collected, one line each; `unknown`: slots the user said they do not know."""
    missing = "ยังไม่ระบุ (เจ้าหน้าที่จะสอบถาม)"
    lines = ["ขอทวนข้อมูลนะคะ 📝"]
    lines.append(f"• ผู้สมัคร: {ROLE_NAMES.get(_text(slots, 'role'), '-')}")
    lines.append(f"• ชื่อ: {slots.get('name') or (missing if 'name' in unknown else '-')}")
    age = f"{slots['age']} ปี" if slots.get("age") is not None else (missing if "age" in unknown else "-")
    lines.append(f"• อายุ: {age}")
    grade = GRADE_NAMES.get(_text(slots, "grade"), missing if "grade" in unknown else "-")
    status = STATUS_NAMES.get(_text(slots, "grade_status"))
    lines.append(f"• ชั้นเรียน: {grade}" + (f" ({status})" if status and slots.get("grade") != "none" else ""))
    lines.append(f"• ที่อยู่: {place_name(slots)}")
    lines.append(f"• สาเหตุที่ออก: {REASON_NAMES.get(_text(slots, 'reason'), 'ไม่ระบุ')}")
    lines.append(f"• สายที่อยากเรียน: {PATH_NAMES.get(_text(slots, 'path'), 'ไม่ระบุ')}")
    lines.append(f"• ติดต่อ: {slots['phone'] if slots.get('phone') else 'ทางไลน์'}")
    note = summary_note(slots)
    if note:
        lines.append("")
        lines.append(note)
    lines.append("")
    lines.append("ข้อมูลถูกต้องไหมคะ ถ้าถูกต้อง กด \"ยืนยัน\" ได้เลยค่ะ ถ้าต้องแก้ พิมพ์ข้อมูลที่ถูกมาได้เลย "
                 "เช่น \"อายุ 16\" หรือกด \"แก้ไข\" ค่ะ")
    return "\n".join(lines)


def summary_note(slots: SlotsView) -> str | None:
    """One gentle sentence for the special cases: compulsory age (`routing.compulsory_age`), finished
    school (`routing.next_level` gives `completed_basic`), an adult. The rules are the case's own, so
    the summary never tells the user something the referral card contradicts."""
    age, grade, status = slots.get("age"), _text(slots, "grade") or None, _text(slots, "grade_status") or None
    if compulsory_age(age if isinstance(age, int) else None, grade, status):
        return compulsory_age_note()
    if next_level(grade, status) == "completed_basic":
        return "จบการศึกษาขั้นพื้นฐานแล้ว ศูนย์ช่วยแนะนำหลักสูตรอาชีพหรือการเรียนต่อได้ค่ะ"
    if isinstance(age, int) and age >= 20:
        return "อายุ 20 ปีขึ้นไปและมีประสบการณ์ทำงาน อาจขอ \"เทียบระดับการศึกษา\" ได้ด้วย เจ้าหน้าที่จะแนะนำให้ค่ะ"
    return None


def compulsory_age_note() -> str:
    """To the applicant (the summary, the confirmation card): why the office will ask the area
    office for a letter (DESIGN §4 rule 2)."""
    return "อายุยังไม่ถึง 15 ปีและยังไม่จบ ม.3 ศูนย์จะช่วยประสานหนังสือส่งตัวจากเขตพื้นที่การศึกษา (สพป./สพม.) ให้ค่ะ"


def compulsory_age_flag() -> str:
    """On the referral card: the office must coordinate with the area office."""
    return "⚠️ อายุต่ำกว่า 15 ปี ยังไม่จบ ม.3 — ต้องประสานหนังสือส่งตัวจาก สพป./สพม."


def choose_field() -> str:
    return "อยากแก้ข้อไหนคะ เลือกจากปุ่มด้านล่าง หรือพิมพ์ข้อมูลที่ถูกต้องมาได้เลยค่ะ"


def choose_field_again() -> str:
    return "ขอโทษค่ะ ยังไม่แน่ใจว่าจะแก้ข้อไหน เลือกจากปุ่มด้านล่างได้เลยนะคะ ถ้าข้อมูลถูกแล้ว กด \"ยืนยัน\" ค่ะ"


def confirm_unclear() -> str:
    return "ขอโทษค่ะ ยังไม่แน่ใจว่าข้อมูลถูกต้องไหม"


# --- places -------------------------------------------------------------------------------------


def province_name(code: str) -> str:
    province = geothai.province(code) if code else None
    return province.name_th if province else code


def district_name(code: str) -> str:
    district = geothai.district(code) if code else None
    if district is None:
        return code
    return district.name_th.removeprefix("เขต")


def district_choice_action(code: str) -> dict[str, Any]:
    """A quick reply for one district of a shared postal code ("อ.เถิน" → a full address text)."""
    unit = "เขต" if code.startswith("10") else "อ."
    full_unit = "เขต" if code.startswith("10") else "อำเภอ"
    province = "กรุงเทพมหานคร" if code.startswith("10") else f"จังหวัด{province_name(code[:2])}"
    return message_action(f"{unit}{district_name(code)}", f"{full_unit}{district_name(code)} {province}")


def place_name(slots: SlotsView) -> str:
    district, province = _text(slots, "district"), _text(slots, "province")
    parts = []
    if district:
        unit = "เขต" if district.startswith("10") else "อำเภอ"
        parts.append(f"{unit}{district_name(district)}")
    if province:
        parts.append(("" if province == "10" else "จังหวัด") + province_name(province))
    return " ".join(parts) or "-"


# --- messages of the event edge (errors, media the bot cannot read) ------------------------------


def system_error() -> Message:
    return text(
        "ขออภัยค่ะ ระบบขัดข้องชั่วคราว ข้อความของคุณยังไม่ได้บันทึก "
        "รบกวนส่งข้อความเดิมอีกครั้งในอีกสักครู่นะคะ 🙏"
    )


def text_only() -> Message:
    return text("ตอนนี้น้องบอทอ่านได้เฉพาะข้อความที่พิมพ์และตำแหน่งที่แชร์มานะคะ")


# --- follow-up to the applicant, reminders to offices (the handlers' own messages) -------------------


def no_case_yet() -> str:
    return f"ยังไม่มีเรื่องที่ส่งไว้ค่ะ ถ้าอยากสมัครเรียน กด \"{ENROLL}\" ได้เลยนะคะ"


def data_erased() -> str:
    return ("ลบข้อมูลส่วนตัวของคุณเรียบร้อยแล้วค่ะ และแจ้งศูนย์ว่าขอถอนการสมัครแล้ว "
            "ถ้าอยากกลับมาสมัครใหม่ ทักมาได้ทุกเมื่อนะคะ")


def withdrawal_notice(ref: str) -> str:
    """To the office group: the applicant of an open case withdrew and had their data erased."""
    return (f"ผู้สมัครเรื่อง {ref} ขอถอนการสมัครและให้ลบข้อมูลส่วนตัวแล้วค่ะ "
            "ระบบปิดเรื่องให้อัตโนมัติ (ถอนการสมัคร) ไม่ต้องติดต่อกลับแล้วนะคะ")


def erased_after_enrolment(ref: str) -> str:
    return (f"ผู้สมัครเรื่อง {ref} ขอให้ลบข้อมูลส่วนตัวในระบบแล้วค่ะ "
            "สถานะ \"ลงทะเบียนเรียนแล้ว\" ยังนับในสถิติเหมือนเดิมนะคะ")


# What an erased message's text becomes (outbox rows, thread messages).
ERASED_PLACEHOLDER = "(ลบข้อมูลตามคำขอของผู้สมัครแล้ว)"


def duration(hours: float) -> str:
    """`REFERRAL_SLA_HOURS` in Thai: "48 ชั่วโมง", "1.5 ชั่วโมง", "30 นาที" (fractions allowed)."""
    if hours >= 1:
        return f"{hours:g} ชั่วโมง"
    return f"{max(1, round(hours * 60))} นาที"


def sla_reminder(ref: str, name: str | None, hours: float) -> str:
    who = f" ({name})" if name else ""
    return (
        f"⏰ เตือนค่ะ เรื่อง {ref}{who} ส่งถึงศูนย์มาเกิน {duration(hours)}แล้ว ยังไม่มีผู้รับเรื่อง\n"
        "รบกวนกด \"รับเรื่อง\" ที่การ์ดด้านล่างนะคะ"
    )


def sla_escalation(ref: str, office_name: str, hours: float) -> str:
    return (
        f"🔺 ส่งต่อเพื่อติดตามค่ะ: เรื่อง {ref} ของ{office_name} ส่งถึงศูนย์มาเกิน {duration(hours)}แล้ว "
        "ยังไม่มีผู้รับเรื่อง รบกวนช่วยประสานศูนย์ หรือกด \"รับเรื่อง\" ที่การ์ดด้านล่างได้เลยค่ะ"
    )


def reminder_card_heading(hours: float) -> str:
    return f"⏰ เตือน: ยังไม่มีผู้รับเรื่องเกิน {duration(hours)}"


REMINDER_CARD_ALT = "⏰ เตือน ยังไม่มีผู้รับ"
ESCALATION_CARD_HEADING = "🔺 ส่งต่อเพื่อติดตาม"


# --- office groups: linking, open cases, staff taps (handlers/staff.py) -------------------------------

GROUP_STEP_NAMES = {"accepted": "รับเรื่องแล้ว", "contacted": "ติดต่อแล้ว", "enrolled": "ลงทะเบียนเรียนแล้ว"}
# An open case's status in the group's เรื่องค้าง list (the same names as the card and the console).
OPEN_CASE_NAMES = {
    "new": "รอรับเรื่อง", "accepted": GROUP_STEP_NAMES["accepted"], "contacted": GROUP_STEP_NAMES["contacted"]
}
ADMIN_GROUP_TITLE = "กลุ่มผู้ดูแลระบบ"
UNKNOWN_STAFF = "เจ้าหน้าที่"
AN_OFFICE = "ศูนย์ สกร."
REOPEN_LABEL = "เปิดเรื่องอีกครั้ง"
_LINK_REFUSED = {"expired": "หมดอายุแล้ว", "used": "ถูกใช้ไปแล้ว", "wrong": "ไม่ถูกต้อง"}


def link_too_many_tries() -> str:
    return "ลองรหัสผิดหลายครั้งเกินไปค่ะ กรุณารอ 15 นาทีแล้วลองใหม่ หรือขอรหัสใหม่จากผู้ดูแลระบบนะคะ"


def link_code_refused(why: str) -> str:
    """`why`: expired, used or wrong."""
    refused = _LINK_REFUSED.get(why, _LINK_REFUSED["wrong"])
    return f"รหัสนี้{refused}ค่ะ ตรวจสอบรหัสอีกครั้ง หรือขอรหัสใหม่จากผู้ดูแลระบบนะคะ"


def link_previous_office_dropped(office_name: str) -> str:
    return f"กลุ่มนี้เลิกรับเรื่องของ{office_name}แล้วนะคะ"


def link_moved_from_other_group() -> str:
    return "ก่อนหน้านี้ศูนย์นี้เชื่อมกับอีกกลุ่มหนึ่ง ตอนนี้ย้ายมารับเรื่องที่กลุ่มนี้แทนแล้วค่ะ"


def link_queued_cases(count: int) -> str:
    return f"มีเรื่องที่รออยู่ {count} เรื่อง กำลังส่งการ์ดเข้ากลุ่มนี้ค่ะ"


def group_linked(office_name: str, notes: list[str]) -> str:
    return "\n".join([
        f"✅ เชื่อมกลุ่มนี้กับ{office_name} เรียบร้อยแล้วค่ะ",
        "เรื่องสมัครเรียนในพื้นที่จะส่งเข้ากลุ่มนี้ กด \"รับเรื่อง\" ที่การ์ดเพื่อดูแลได้เลยค่ะ",
        "พิมพ์ \"เรื่องค้าง\" เมื่อไหร่ก็ได้ เพื่อดูเรื่องที่ยังเปิดอยู่นะคะ",
        *notes,
    ])


def group_joined() -> str:
    return ("สวัสดีค่ะ 😊 น้องบอทเรียนต่อ ยินดีช่วยงานค่ะ\n"
            "ให้ผู้ดูแลระบบออกรหัสให้ แล้วพิมพ์ \"ลงทะเบียน รหัส\" ในกลุ่มนี้ เพื่อรับเรื่องสมัครเรียนของศูนย์ค่ะ")


def no_open_cases(title: str) -> str:
    return f"{title}: ไม่มีเรื่องค้างค่ะ 👍"


def open_case_line(ref: str, name: str | None, status: str, undelivered: bool) -> str:
    pending = " (การ์ดยังไม่ถึงกลุ่มใด)" if undelivered else ""
    return f"• {ref} {name or '-'} — {OPEN_CASE_NAMES.get(status, status)}{pending}"


def open_cases(title: str, total: int, lines: list[str]) -> str:
    more = f"\n…และอีก {total - len(lines)} เรื่อง" if total > len(lines) else ""
    return f"เรื่องที่ยังเปิดอยู่ของ{title} ({total} เรื่อง)\n" + "\n".join(lines) + more


def open_cases_alt(total: int) -> str:
    return f"เรื่องที่ยังเปิดอยู่ {total} เรื่อง"


def staff_called(name: str | None) -> str:
    """How the bot refers to a staff member in the group."""
    return f"คุณ{name}" if name else UNKNOWN_STAFF


def office_phone_after(phone: str) -> str:
    """After a notice to the applicant: the office's phone on a line of its own."""
    return f"\nติดต่อศูนย์ได้ที่ โทร {phone}"


def youth_case_accepted(office_name: str, ref: str) -> str:
    return f"ข่าวดีค่ะ 🎉 เจ้าหน้าที่{office_name} รับเรื่อง {ref} แล้ว จะติดต่อกลับเร็ว ๆ นี้นะคะ"


def youth_enrolled(office_name: str) -> str:
    return f"ยินดีด้วยค่ะ 🎓 ลงทะเบียนเรียนกับ{office_name} เรียบร้อยแล้ว ขอให้สนุกกับการเรียนนะคะ"


def applicant_contact_line(phone: str | None, *, office_has_phone: bool) -> str:
    """Under "taken": how to reach the applicant."""
    if phone:
        return f"\nโทร {phone}"
    if office_has_phone:
        return "\nผู้สมัครไม่ได้ให้เบอร์โทรไว้ (สะดวกทางไลน์) น้องบอทแจ้งเบอร์ศูนย์ให้ผู้สมัครโทรกลับแล้วค่ะ"
    return ("\nผู้สมัครไม่ได้ให้เบอร์โทรไว้ (สะดวกทางไลน์) และยังไม่มีเบอร์ศูนย์ในระบบ "
            "รบกวนแจ้งผู้ดูแลระบบเพิ่มเบอร์ศูนย์ด้วยนะคะ")


def group_case_closed_already(ref: str, why: str) -> str:
    return f"เรื่อง {ref} ปิดไปแล้วค่ะ ({why})"


def group_case_taken(ref: str, called: str) -> str:
    return f"✅ {called} รับเรื่อง {ref} แล้วค่ะ"


def group_case_closed(ref: str, reason: str, called: str) -> str:
    return f"ปิดเรื่อง {ref} แล้วค่ะ ({reason}) โดย{called} แจ้งผู้สมัครให้แล้วนะคะ"


def group_case_at_step(ref: str, step: str) -> str:
    return f"เรื่อง {ref} อยู่ในขั้น \"{step}\" แล้วค่ะ"


def group_case_enrolled(ref: str, called: str) -> str:
    return f"🎓 บันทึกแล้วค่ะ {ref} ลงทะเบียนเรียนแล้ว (โดย{called})"


def group_case_contacted(ref: str, called: str) -> str:
    return f"📞 บันทึกแล้วค่ะ {ref} ติดต่อผู้สมัครแล้ว (โดย{called})"


# --- the referral card (handlers/cards.py) ------------------------------------------------------------

CARD_ACTIONS = {
    "accept": "รับเรื่อง", "contacted": "ติดต่อแล้ว", "enrolled": "ลงทะเบียนเรียนแล้ว", "close": "ปิดเรื่อง",
}
NEXT_LEVEL_NAMES = {
    "primary": "ประถมศึกษา",
    "lower_secondary": "ม.ต้น",
    "upper_secondary": "ม.ปลาย",
    "completed_basic": "จบการศึกษาขั้นพื้นฐานแล้ว",
}
CARD_ROWS = {
    "sent": "ส่งเมื่อ", "learner": "ผู้เรียน", "age": "อายุ", "grade": "ชั้นเดิม", "next_level": "ระดับถัดไป",
    "place": "ที่อยู่", "reason": "สาเหตุ", "path": "สายที่สนใจ", "role": "ผู้สมัคร", "contact": "ติดต่อ",
}
CARD_HEADING = "📥 เรื่องใหม่จากน้องบอทเรียนต่อ"
CARD_NEW = "เรื่องใหม่"
CARD_NO_PHONE = "ไม่ได้ให้เบอร์ (สะดวกทางไลน์)"
CARD_ERASED = "(ลบข้อมูลแล้ว)"
NOT_GIVEN = "ไม่ระบุ"
OPEN_CARD_HEADINGS = {"new": "⏳ รอรับเรื่อง", "accepted": "🙋 รับเรื่องแล้ว", "contacted": "📞 ติดต่อแล้ว"}


def years(age: int) -> str:
    return f"{age} ปี"


def card_alt(prefix: str, ref: str, name: str | None, age: int | None) -> str:
    """What LINE shows in the chat list for a card: "เรื่องใหม่ RT-…: ฝน อายุ 17"."""
    who = name or "ผู้สมัคร"
    return f"{prefix} {ref}: {who}" + (f" อายุ {age}" if age is not None else "")


def close_why(ref: str) -> str:
    return f"ปิดเรื่อง {ref} เพราะอะไรคะ"


# --- rich menu, submission card, office contact ---------------------------------------------------
# The rich menu's buttons (DESIGN §2), in the order they appear, left to right.
MENU_ENROLL = "สมัครเรียน"
MENU_MY_CASE = "เรื่องของฉัน"
RICH_MENU_CHAT_BAR = "เมนู"  # ≤ 14 characters: the bar that opens the menu
RICH_MENU_SUBTITLES = {
    MENU_ENROLL: "กลับไปเรียนต่อ",
    ASK_INFO: "ค่าเรียน เอกสาร วันเรียน",
    HUMAN: "ส่งข้อความถึงศูนย์",
    MENU_MY_CASE: "ดูสถานะเรื่อง",
}

# An office's contact (handlers.offices): one line per detail the directory has.
DEMO_OFFICE_NOTE = "(ข้อมูลตัวอย่างของโหมดทดลอง ไม่ใช่ข้อมูลจริงของศูนย์)"


def office_phone_line(phone: str) -> str:
    return f"📞 โทร {phone}"


def office_hours_line(hours: str) -> str:
    return f"🕘 เวลาทำการ {hours}"


def office_address_line(address: str) -> str:
    return f"📍 ที่อยู่ {address}"


def office_map_line(url: str) -> str:
    return f"🗺️ แผนที่ {url}"


def office_no_contact_yet() -> str:
    return "ยังไม่มีเบอร์โทรและที่อยู่ของศูนย์นี้ในระบบค่ะ ถ้าอยากถามเจ้าหน้าที่ กด \"คุยกับเจ้าหน้าที่\" ได้เลยนะคะ"


def office_answer(contact_text: str) -> str:
    return f"ศูนย์ที่ใกล้บ้านคุณคือ\n{contact_text}"


# The submission confirmation card (handlers.cards.confirmation_card).
CONFIRM_CARD_TITLE = "ส่งเรื่องเรียบร้อยแล้วค่ะ 🎉"
CONFIRM_CARD_REF = "เลขที่เรื่อง"
CONFIRM_CARD_OFFICE = "ศูนย์ที่ดูแล"
CONFIRM_CARD_NEXT = "ขั้นต่อไป"
CONFIRM_CARD_CALL = "โทรหาศูนย์"
CONFIRM_CARD_MAP = "ดูแผนที่ศูนย์"
CONFIRM_CARD_DOCUMENTS = "เอกสารที่ต้องเตรียม"
CONFIRM_CARD_DOCUMENTS_SAID = "ใช้เอกสารอะไรบ้าง"


CONFIRM_CARD_NEXT_TEXT = "เจ้าหน้าที่ศูนย์จะติดต่อกลับภายในประมาณ 2 วันทำการ และจะแจ้งในแชตนี้เมื่อรับเรื่องแล้วค่ะ"


def confirm_card_alt(ref: str, office_name: str) -> str:
    return f"ส่งเรื่องเรียบร้อยแล้วค่ะ เลขที่เรื่อง {ref} ศูนย์ที่ดูแล: {office_name}"


CONFIRM_COMPLETED_BASIC = "จบการศึกษาขั้นพื้นฐานแล้ว เจ้าหน้าที่จะแนะนำหลักสูตรอาชีพหรือทางเลือกเรียนต่อให้ค่ะ"


def after_submission() -> str:
    return ("ระหว่างนี้เตรียมเอกสารไว้ได้เลยนะคะ กดดูรายการที่การ์ดด้านบน "
            "หรือพิมพ์ \"เรื่องถึงไหนแล้ว\" เพื่อดูสถานะได้ตลอดค่ะ")


# --- threads with staff, follow-up of a case, office groups ----------------------------------------
# Labels the dialogue matches (quick replies of the thread and follow-up messages).
LEAVE_THREAD = "กลับไปคุยกับบอท"
CALL_ME_BACK = "ให้ติดต่อกลับ"
STILL_WANT = "ยังอยากเรียน"
SEND_TO_STAFF = "ส่งให้เจ้าหน้าที่"
NOT_NOW = "ไม่เป็นไร"
THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
CLOSE_REASON_NAMES = {
    "declined": "ไม่ประสงค์เรียน", "unreachable": "ติดต่อไม่ได้", "duplicate": "เรื่องซ้ำ",
    "withdrawn": "ถอนการสมัคร", "enrolled_elsewhere": "เรียนที่อื่นแล้ว",
}
CASE_STEP_NAMES = {
    "new": "ส่งเรื่องถึงศูนย์", "accepted": "เจ้าหน้าที่รับเรื่อง", "contacted": "เจ้าหน้าที่ติดต่อแล้ว",
    "enrolled": "ลงทะเบียนเรียนแล้ว 🎓", "closed": "ปิดเรื่อง",
}


def thai_date(at: datetime, *, time: bool = True) -> str:
    """A Bangkok-time date as Thai people write it: "22 พ.ย. 2569 10:30 น."."""
    local = at.astimezone(BANGKOK)
    day = f"{local.day} {THAI_MONTHS[local.month - 1]} {be_year(local)}"
    return f"{day} {local:%H:%M} น." if time else day


# 1:1 chat: the applicant's side of a thread.
def thread_opened(office_name: str, label: str) -> str:
    return (
        f"แจ้งเจ้าหน้าที่{office_name}ให้แล้วค่ะ 🙋 ({label})\n"
        "พิมพ์ข้อความได้เลย น้องบอทจะส่งให้เจ้าหน้าที่ และส่งคำตอบกลับมาที่แชตนี้ค่ะ\n"
        f"คุยเสร็จแล้ว พิมพ์ \"{LEAVE_THREAD}\" ได้เลยนะคะ"
    )


def thread_already_open(office_name: str) -> str:
    return f"ตอนนี้คุยกับเจ้าหน้าที่{office_name}อยู่ค่ะ พิมพ์ข้อความได้เลย น้องบอทจะส่งให้นะคะ"


def enquiry_where() -> str:
    return (
        "ได้เลยค่ะ ขอทราบอำเภอ (หรือเขต) และจังหวัดที่อยู่ก่อนนะคะ จะได้ส่งถึงศูนย์ สกร. ใกล้บ้าน "
        "หรือกดแชร์ตำแหน่งก็ได้ค่ะ\n"
        "น้องบอทจะส่งให้ศูนย์เฉพาะข้อความที่คุณพิมพ์ในแชตกับเจ้าหน้าที่เท่านั้น ไม่ส่งข้อมูลอื่นค่ะ"
    )


def enquiry_where_again() -> str:
    return "ขอชื่ออำเภอ (หรือเขต) กับจังหวัดอีกครั้งนะคะ เช่น \"อำเภอเถิน ลำปาง\" หรือกดแชร์ตำแหน่งก็ได้ค่ะ"


def enquiry_opened(office_name: str, number: str) -> str:
    return (
        f"แจ้งเจ้าหน้าที่{office_name}ให้แล้วค่ะ 🙋 เลขที่คำถาม {number}\n"
        "พิมพ์สิ่งที่อยากถามได้เลย น้องบอทจะส่งเฉพาะข้อความที่คุณพิมพ์ และส่งคำตอบกลับมาที่แชตนี้ค่ะ\n"
        f"คุยเสร็จแล้ว พิมพ์ \"{LEAVE_THREAD}\" ได้เลยนะคะ"
    )


def forwarded(first: bool) -> str:
    if first:
        return "ส่งให้เจ้าหน้าที่แล้วค่ะ ✉️ เจ้าหน้าที่จะตอบกลับในแชตนี้ (ในเวลาทำการ) นะคะ"
    return "ส่งให้เจ้าหน้าที่แล้วค่ะ ✉️"


def media_forwarded() -> str:
    return ("น้องบอทส่งรูปหรือไฟล์ต่อให้เจ้าหน้าที่ไม่ได้ค่ะ แจ้งเจ้าหน้าที่แล้วว่าคุณส่งมา "
            "รบกวนพิมพ์รายละเอียดเป็นข้อความด้วยนะคะ")


def thread_left() -> str:
    return "กลับมาคุยกับน้องบอทแล้วค่ะ 😊 ถ้าเจ้าหน้าที่ตอบมา จะส่งให้ในแชตนี้นะคะ"


def thread_gone() -> str:
    return f"แชตกับเจ้าหน้าที่ปิดไปแล้วค่ะ ข้อความนี้ยังไม่ได้ส่ง ถ้าอยากคุยต่อ กด \"{HUMAN}\" ได้เลยนะคะ"


def no_staff_group(contact: str) -> str:
    return f"ตอนนี้ศูนย์นี้ยังรับข้อความทางไลน์ไม่ได้ค่ะ 🙏 ติดต่อศูนย์โดยตรงได้ที่\n{contact}"


def staff_says(office_name: str, body: str, *, first: bool) -> str:
    message = f"เจ้าหน้าที่{office_name}: {body}"
    if first:
        message += f"\n\n(ตอบกลับได้ในแชตนี้เลยค่ะ น้องบอทจะส่งให้เจ้าหน้าที่ · พิมพ์ \"{LEAVE_THREAD}\" เมื่อคุยเสร็จ)"
    return message


def thread_closed_for_user(why: str) -> str:
    if why == "quiet":
        return (
            "แชตกับเจ้าหน้าที่เงียบไป 3 วันแล้ว น้องบอทขอปิดแชตไว้ก่อนนะคะ 😊 "
            f"ถ้ามีอะไรอยากถามอีก กด \"{HUMAN}\" ได้ทุกเมื่อค่ะ"
        )
    return f"เจ้าหน้าที่ปิดแชตนี้แล้วค่ะ ขอบคุณที่คุยกันนะคะ 😊 ถ้ามีอะไรอยากถามอีก กด \"{HUMAN}\" ได้ทุกเมื่อค่ะ"


def staff_offer() -> str:
    return "ขอโทษค่ะ น้องบอทยังตอบเรื่องนี้เองไม่ได้ 🙏 ส่งคำถามนี้ให้เจ้าหน้าที่ไหมคะ"


def staff_offer_declined() -> str:
    return "ได้เลยค่ะ ถามเรื่องอื่นได้ตามสบายนะคะ"


# 1:1 chat: the follow-up of a case.
def case_closed_for_user(ref: str, reason: str, office_name: str, office_phone: str | None) -> str:
    phone = f" โทร {office_phone}" if office_phone else ""
    if reason == "unreachable":
        call = f"โทรหาศูนย์ได้ที่ {office_phone}" if office_phone else "โทรหาศูนย์ได้ในเวลาทำการ"
        return (
            f"เจ้าหน้าที่{office_name}พยายามติดต่อเรื่อง {ref} แล้ว แต่ยังติดต่อไม่ได้ จึงปิดเรื่องไว้ก่อนค่ะ 🙏\n"
            f"ถ้ายังอยากเรียน {call} หรือกด \"{CALL_ME_BACK}\" "
            "แล้วน้องบอทจะเปิดเรื่องให้เจ้าหน้าที่ติดต่อกลับอีกครั้งนะคะ"
        )
    if reason == "enrolled_elsewhere":
        return f"เรื่อง {ref} ปิดแล้วค่ะ เพราะได้ที่เรียนที่อื่นแล้ว ยินดีด้วยนะคะ 🎉 ขอให้เรียนสนุกค่ะ"
    if reason == "duplicate":
        return f"เรื่อง {ref} ซ้ำกับเรื่องที่ส่งไว้แล้ว ศูนย์จึงปิดเรื่องนี้ และดูแลต่อในเรื่องเดิมค่ะ 😊"
    if reason == "withdrawn":
        return (
            f"เรื่อง {ref} ปิดแล้วค่ะ ตามที่แจ้งขอถอนการสมัคร ถ้าเปลี่ยนใจ พิมพ์ \"{STILL_WANT}\" "
            "ได้ทุกเมื่อนะคะ"
        )
    return (
        f"เรื่อง {ref} ปิดแล้วค่ะ เพราะเจ้าหน้าที่{office_name}บันทึกว่ายังไม่ประสงค์เรียนตอนนี้ "
        f"ถ้าเปลี่ยนใจหรือเข้าใจไม่ตรงกัน พิมพ์ \"{STILL_WANT}\" ได้ทุกเมื่อ น้องบอทจะเปิดเรื่องให้อีกครั้งค่ะ"
        + (f"\nหรือโทรหาศูนย์{phone}" if phone else "")
    )


def case_reopened_for_user(ref: str, office_name: str, reason: str | None = None) -> str:
    reopened = (
        f"เรื่อง {ref} ปิดไว้เพราะ{CLOSE_REASON_NAMES[reason]} ตอนนี้เปิดอีกครั้งแล้วค่ะ 😊"
        if reason in CLOSE_REASON_NAMES
        else f"เปิดเรื่อง {ref} อีกครั้งแล้วค่ะ 😊"
    )
    return f"{reopened} ส่งให้{office_name}แล้ว เจ้าหน้าที่จะติดต่อกลับเร็ว ๆ นี้นะคะ"


def timeline_header(ref: str, name: str | None) -> str:
    return f"เรื่อง {ref}" + (f" ({name})" if name else "")


def timeline_line(at: datetime, to_status: str, note: str | None) -> str:
    step = CASE_STEP_NAMES.get(to_status, to_status)
    if to_status == "closed" and note:
        step += f" ({CLOSE_REASON_NAMES.get(note, note)})"
    if to_status == "new" and note == "reopened":
        step = "เปิดเรื่องอีกครั้ง"
    return f"• {thai_date(at)} {step}"


def timeline_next(status: str, delivery_pending: bool) -> str:
    if status == "new":
        if delivery_pending:
            return "ตอนนี้: รอส่งเรื่องให้ศูนย์ (ระบบส่งให้อัตโนมัติ)"
        return "ตอนนี้: รอเจ้าหน้าที่รับเรื่อง"
    return {
        "accepted": "ตอนนี้: เจ้าหน้าที่รับเรื่องแล้ว กำลังจะติดต่อกลับค่ะ",
        "contacted": "ตอนนี้: รอนัดลงทะเบียนเรียนกับศูนย์ค่ะ",
        "enrolled": "ตอนนี้: ลงทะเบียนเรียนแล้ว ยินดีด้วยค่ะ 🎓",
        "closed": f"ตอนนี้: ปิดเรื่องแล้ว ถ้ายังอยากเรียน พิมพ์ \"{STILL_WANT}\" ได้เลยค่ะ",
    }.get(status, "")


# Office groups.
def group_forward(label: str, who: str, body: str) -> str:
    return (f"💬 {label} ({who})\n{body}\n\n"
            f"↩️ ตอบ: กดค้างที่ข้อความนี้ แล้วเลือก \"ตอบกลับ\" หรือพิมพ์ ตอบ {label} ข้อความ")


def group_thread_opened(label: str, who: str, enquiry: bool, phone: str | None = None) -> str:
    kind = "ผู้สอบถาม (ยังไม่ได้สมัคร)" if enquiry else "ผู้สมัคร"
    call = f" (หรือโทรหาผู้สมัครได้ที่ {phone})" if phone else ""
    return (
        f"🙋 {kind} {label} ({who}) ขอคุยกับเจ้าหน้าที่ค่ะ ข้อความของเขาจะส่งเข้ากลุ่มนี้{call}\n"
        f"ตอบได้โดยกดค้างที่ข้อความแล้วเลือก \"ตอบกลับ\" หรือพิมพ์ ตอบ {label} ข้อความ"
    )


def group_answer_sent(label: str) -> str:
    return f"✉️ ส่งถึง {label} แล้วค่ะ"


def group_answer_usage() -> str:
    return "พิมพ์แบบนี้ค่ะ: ตอบ RT-2569-000123 ข้อความ (ใช้เลขที่เรื่องหรือเลขที่คำถาม EQ-…)"


def group_unknown_ref(ref: str) -> str:
    """A typed reference the group may not act on, whether or not it exists (the same answer
    either way, so a group learns nothing of other offices' cases)."""
    return f"ไม่พบเรื่อง {ref} ในเรื่องที่กลุ่มนี้ดูแลค่ะ ตรวจเลขที่อีกครั้งนะคะ"


def group_not_ours(ref: str) -> str:
    return f"กลุ่มนี้ไม่ได้ดูแลเรื่อง {ref} ค่ะ"


def group_applicant_erased(ref: str) -> str:
    return f"ผู้สมัคร {ref} ลบข้อมูลแล้ว จึงส่งข้อความถึงไม่ได้ค่ะ"


def group_thread_closed(label: str, by: str) -> str:
    return f"ปิดแชท {label} แล้วค่ะ (โดย{by}) แจ้งผู้สมัครให้แล้วนะคะ"


def group_thread_not_open(label: str) -> str:
    return f"แชท {label} ไม่ได้เปิดอยู่ค่ะ"


def group_media_not_sent() -> str:
    return "ตอนนี้ส่งต่อให้ผู้สมัครได้เฉพาะข้อความค่ะ รบกวนพิมพ์เป็นข้อความนะคะ"


def group_thread_reminder(label: str, who: str, waited: str) -> str:
    return (
        f"⏰ เตือนค่ะ ข้อความจาก {label} ({who}) รอคำตอบเกิน {waited}แล้ว\n"
        f"ตอบได้โดยกดค้างที่ข้อความนี้แล้วเลือก \"ตอบกลับ\" หรือพิมพ์ ตอบ {label} ข้อความ"
    )


def group_thread_escalation(label: str, office_name: str, waited: str) -> str:
    return (
        f"🔺 ส่งต่อเพื่อติดตามค่ะ: ข้อความจาก {label} ถึง{office_name} รอคำตอบเกิน {waited}แล้ว "
        f"รบกวนช่วยประสานศูนย์ หรือตอบเองโดยพิมพ์ ตอบ {label} ข้อความ"
    )


def waiting_thread_line(label: str, who: str, since: datetime) -> str:
    return f"• {label} ({who}) รอตั้งแต่ {thai_date(since)}"


def waiting_threads(lines: list[str]) -> str:
    return "💬 ข้อความจากผู้สมัครที่ยังรอคำตอบ\n" + "\n".join(lines) + "\nตอบได้ด้วย ตอบ REF ข้อความ ค่ะ"


def group_help(office_name: str | None) -> str:
    head = f"คำสั่งของกลุ่ม{office_name}" if office_name else "คำสั่งของน้องบอทในกลุ่ม"
    return (
        f"{head}ค่ะ\n"
        "• เรื่องค้าง — ดูเรื่องที่ยังเปิดอยู่ พร้อมปุ่มรับเรื่อง\n"
        "• ตอบ REF ข้อความ — ส่งข้อความถึงผู้สมัคร (เช่น ตอบ RT-2569-000123 สะดวกมาศูนย์วันไหนคะ)\n"
        "  หรือกดค้างที่ข้อความของผู้สมัคร แล้วเลือก \"ตอบกลับ\"\n"
        "• ปิดแชท REF — ปิดแชทกับผู้สมัครเมื่อคุยเสร็จ\n"
        "• เปิดเรื่อง REF — เปิดเรื่องที่ปิดไปแล้วอีกครั้ง\n"
        "• ลงทะเบียน CODE — เชื่อมกลุ่มนี้กับศูนย์ (รหัสจากผู้ดูแลระบบ)\n"
        "• เข้าระบบ — รับลิงก์เข้าหน้าจัดการเรื่อง (staff console) ใช้ได้ 10 นาที\n"
        "ปุ่มบนการ์ด: รับเรื่อง · ติดต่อแล้ว · ลงทะเบียนเรียนแล้ว · ปิดเรื่อง"
    )


def group_already_taken(ref: str, taker: str, tapper: str | None, when: str, step: str | None) -> str:
    lead = f"{tapper}คะ " if tapper else ""
    now_at = f" ตอนนี้อยู่ในขั้น \"{step}\"" if step else ""
    return f"{lead}เรื่อง {ref} {taker} รับไปแล้วเมื่อ {when} ค่ะ{now_at}"


def group_taken_by_you(ref: str, tapper: str) -> str:
    return f"{tapper} รับเรื่อง {ref} ไว้แล้วค่ะ 😊"


def group_cannot_close_enrolled(ref: str) -> str:
    return f"เรื่อง {ref} ลงทะเบียนเรียนแล้ว (จบเรื่องสำเร็จ) จึงปิดเรื่องไม่ได้ค่ะ"


def group_case_reopened(ref: str, by: str) -> str:
    return f"🔄 เปิดเรื่อง {ref} อีกครั้งแล้วค่ะ (โดย{by}) สถานะกลับเป็นรอรับเรื่อง แจ้งผู้สมัครให้แล้วนะคะ"


def group_reopened_by_applicant(ref: str) -> str:
    return "🔄 ผู้สมัครขอเปิดเรื่องอีกครั้ง"


def group_case_not_closed(ref: str) -> str:
    return f"เรื่อง {ref} ยังไม่ได้ปิดค่ะ"


def group_case_already_closed(ref: str, close_reason: str | None) -> str:
    return f"เรื่อง {ref} ปิดไปแล้วค่ะ ({CLOSE_REASON_NAMES.get(close_reason or '', '-')})"


def group_reopened_by_staff(actor: str) -> str:
    """The heading of the card sent again when staff reopen a case."""
    return f"🔄 เปิดเรื่องอีกครั้ง (โดย{actor})"


REOPENED_CARD_ALT = "🔄 เปิดเรื่องอีกครั้ง"
# An office named nowhere in the directory (its row was removed): what the applicant and a group read.
OFFICE_FALLBACK = "ศูนย์"
OFFICE_FALLBACK_FULL = "ศูนย์ส่งเสริมการเรียนรู้"
# Who wrote in a thread, when they gave no nickname: an enquiry (no case yet) or an applicant.
THREAD_ENQUIRER = "ผู้สอบถาม"
THREAD_APPLICANT = "ผู้สมัคร"
# What an applicant sent into a thread, when it was not text.
FORWARDED_STICKER = "(ส่งสติกเกอร์)"


def forwarded_location(place: str) -> str:
    return f"(แชร์ตำแหน่ง) {place}".strip()


def thread_closed_note(why: str) -> str:
    """The line kept in a thread's record (shown in the console) when it closes."""
    return f"(ปิดแชท: {why})"


def timeline_office(name: str, phone: str | None) -> str:
    return f"ศูนย์: {name}" + (f" โทร {phone}" if phone else "")


MEDIA_NAMES = {"image": "รูปภาพ", "video": "วิดีโอ", "audio": "ข้อความเสียง", "file": "ไฟล์"}


def forwarded_media(kind: str | None) -> str:
    return f"(ส่ง{MEDIA_NAMES.get(str(kind), 'ไฟล์')}มา ซึ่งน้องบอทส่งต่อไม่ได้)"


def youth_contacted(office_name: str, ref: str) -> str:
    return (
        f"เจ้าหน้าที่{office_name}บันทึกว่าได้ติดต่อคุณเรื่อง {ref} แล้วค่ะ 📞 ขั้นต่อไปคือนัดลงทะเบียนเรียน "
        f"ถ้ายังไม่ได้คุยกัน พิมพ์ \"{HUMAN}\" ได้เลยนะคะ"
    )


def user_case_reopened_by_staff(ref: str, office_name: str) -> str:
    return f"เจ้าหน้าที่{office_name}เปิดเรื่อง {ref} อีกครั้งแล้วค่ะ 😊 จะติดต่อกลับเร็ว ๆ นี้นะคะ"


# --- staff console ----------------------------------------------------------------------------------


def console_link_private(url: str, office_name: str, minutes: int) -> str:
    """The one-time console link, sent 1:1 to the staff member who typed เข้าระบบ."""
    return (
        f"🔐 ลิงก์เข้าระบบติดตามเรื่อง ({office_name})\n{url}\n"
        f"ใช้ได้ครั้งเดียว ภายใน {minutes} นาทีค่ะ กรุณาอย่าส่งต่อลิงก์นี้ให้ผู้อื่นนะคะ"
    )


def console_link_sent(called: str) -> str:
    """In the group: the link went to the person's 1:1 chat."""
    return f"ส่งลิงก์เข้าระบบให้{called}ทางแชตส่วนตัวกับน้องบอทแล้วค่ะ 📩"


def console_link_in_group(called: str, url: str, minutes: int) -> str:
    """In the group, when the person is not a friend of the account (no 1:1 chat to send to)."""
    return (
        f"🔐 ลิงก์เข้าระบบติดตามเรื่องสำหรับ{called}\n{url}\n"
        f"ใช้ได้ครั้งเดียว ภายใน {minutes} นาทีค่ะ (เพิ่มน้องบอทเป็นเพื่อน ครั้งหน้าจะส่งให้ทางแชตส่วนตัวนะคะ)"
    )


# Who a console sign-in link names: the admin group's scope, and a person whose LINE name is not known.
CONSOLE_ADMIN = "ผู้ดูแลระบบ"
CONSOLE_STAFF = "เจ้าหน้าที่"
CONSOLE_NOT_LINKED = "กลุ่มนี้ยังไม่ได้เชื่อมกับศูนย์ค่ะ ให้ผู้ดูแลระบบออกรหัส แล้วพิมพ์ \"ลงทะเบียน รหัส\" ก่อนนะคะ"


def case_transferred_to_youth(ref: str, office_name: str, phone: str | None) -> str:
    """The youth is told which office has their case now."""
    contact = f"\nติดต่อศูนย์ได้ที่ โทร {phone}" if phone else ""
    return (f"แจ้งความคืบหน้าค่ะ เรื่อง {ref} ย้ายไปให้{office_name}ดูแลแล้ว "
            f"เจ้าหน้าที่จะติดต่อกลับเร็ว ๆ นี้นะคะ{contact}")


def case_transferred_in(ref: str, from_name: str, reason: str, who: str) -> str:
    """Above the card, in the receiving office's group."""
    return (f"🔁 รับโอนเรื่อง {ref} จาก{from_name} (โดย{who})\nเหตุผล: {reason}\n"
            "รบกวนกด \"รับเรื่อง\" ที่การ์ดด้านล่างนะคะ")


def case_transferred_out(ref: str, to_name: str, who: str) -> str:
    """In the former office's group."""
    return f"เรื่อง {ref} โอนไปให้{to_name}ดูแลแล้วค่ะ (โดย{who})"


# The card of a transferred case in the receiving office's group: its heading and alt text.
TRANSFERRED_CARD_HEADING = "🔁 เรื่องโอนมาจากศูนย์อื่น"
TRANSFERRED_CARD_ALT = "รับโอนเรื่อง"


# --- the event edge ---------------------------------------------------------------------------------

# A staff member's tap in a group that could not be saved (the database was down): tap again.
TAP_NOT_SAVED = (
    "ขออภัยค่ะ ระบบขัดข้องชั่วคราว การกดปุ่มเมื่อสักครู่ยังไม่ได้บันทึก รบกวนกดปุ่มเดิมอีกครั้งในอีกสักครู่นะคะ 🙏"
)


# --- operator notices -------------------------------------------------------------------------------


def quota_paused_notice(retry_minutes: float) -> str:
    """To the admin group, once, when LINE answers the monthly-quota 429 (DESIGN §7)."""
    every = f"{retry_minutes:g} นาที" if retry_minutes < 60 else f"{retry_minutes / 60:g} ชั่วโมง"
    return (
        "⚠️ แจ้งผู้ดูแลระบบค่ะ โควตาข้อความรายเดือนของบัญชี LINE เต็มแล้ว "
        "ตอนนี้ระบบพักการส่งการ์ดและข้อความแจ้งเตือนไว้ก่อน ไม่มีเรื่องใดตกหล่นหรือถูกส่งไปที่อื่น "
        f"ระบบจะลองส่งใหม่ทุก {every} และจะส่งทุกอย่างที่รอไว้ทันทีเมื่อ LINE รับข้อความได้อีกครั้งค่ะ "
        "(เพิ่มโควตาได้ที่ LINE Official Account Manager)"
    )


def case_not_found_here() -> str:
    """A button tap (postback) on a case this group may not act on, or that does not exist:
    one answer for both, naming nothing."""
    return "ไม่พบเรื่องนี้ หรือกลุ่มนี้ไม่ได้ดูแลเรื่องนี้ค่ะ"


# --- the console's transfer refusals (used by handlers.followup.transfer_case) ----------------------

# Why a transfer of a case to another office was refused (shown on the console's case page).
TRANSFER_CLOSED = "โอนได้เฉพาะเรื่องที่ยังเปิดอยู่ค่ะ (เปิดเรื่องอีกครั้งก่อน หากต้องการโอน)"
TRANSFER_SAME_OFFICE = "เรื่องนี้อยู่ที่ศูนย์นี้อยู่แล้วค่ะ"
TRANSFER_NO_GROUP = "ศูนย์นี้และสำนักงานจังหวัดยังไม่มีกลุ่มไลน์ที่รับเรื่องได้ค่ะ ให้ผู้ดูแลระบบเชื่อมกลุ่มก่อนนะคะ"


def transfer_unknown_office(code: str) -> str:
    return f"ไม่พบศูนย์รหัส {code} ค่ะ"


# A case's status as staff read it on the console and in the group (`handlers.lifecycle.STATUSES`).
CASE_STATUS_NAMES = {"new": OPEN_CASE_NAMES["new"], **GROUP_STEP_NAMES, "closed": CARD_ACTIONS["close"]}


# --- linking a group to an office ----------------------------------------------------------------

# The command a group types with its one-time code (`nlp.answers` reads it; `link_command` writes it).
LINK_COMMAND = "ลงทะเบียน"


def link_command(code: str) -> str:
    return f"{LINK_COMMAND} {code}"


# --- the local simulator (LOCAL_MODE): what its fake LINE and demo staff say ---------------------

# The demo group's staff, by LINE user id: their display names in the simulator's group chat.
DEMO_STAFF_NAMES = {"Ustaff0000000000000000000000000001": "ครูสมศรี", "Ustaff0000000000000000000000000002": "ครูวิชัย"}
# The title LINE gives a location picked on the map.
SHARED_LOCATION_TITLE = "ตำแหน่งที่แชร์"


def demo_unknown_office(code: str) -> str:
    return f'ไม่พบศูนย์รหัส "{code}" ค่ะ ใส่รหัสอำเภอ 4 หลัก (เช่น 5208) หรือรหัสจังหวัด 2 หลัก (เช่น 52)'


def shared_address(district_name: str, province_name: str, postal: str, *, bangkok: bool) -> str:
    """A Thai address as LINE's location message carries it (Bangkok's districts are เขต named
    with their prefix, and the city is no จังหวัด)."""
    if bangkok:
        return f"{district_name} กรุงเทพมหานคร {postal} ประเทศไทย"
    return f"อำเภอ{district_name} จังหวัด{province_name} {postal} ประเทศไทย"
