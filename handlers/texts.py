"""Everything the dialogue says, in one voice: a warm, polite young staffer (ค่ะ/คะ), short
sentences, everyday Thai. Questions always say plainly what they ask."""

from __future__ import annotations

from typing import Any

import geothai

from handlers.messages import location_action, message_action

PRIVACY_URL = "https://rianto.example/privacy"

MENU = ["อยากกลับไปเรียน", "ถามข้อมูล", "คุยกับเจ้าหน้าที่"]
FAQ_MENU = ["เรียนฟรีไหม", "ใช้เอกสารอะไรบ้าง", "เปิดรับสมัครเมื่อไหร่", "วุฒิใช้ได้ไหม", "ศูนย์อยู่ที่ไหน"]
HELP_MENU = ["อยากกลับไปเรียน", "เรียนฟรีไหม", "ใช้เอกสารอะไรบ้าง", "เรื่องถึงไหนแล้ว", "คุยกับเจ้าหน้าที่", "เริ่มใหม่"]

CONSENT_YES = "ยินยอม"
CONSENT_NO = "ไม่ยินยอม"
CONFIRM = "ยืนยัน"
EDIT = "แก้ไข"
DELETE_YES = "ยืนยันลบ"
DELETE_NO = "ไม่ลบ"
ANOTHER = "ลงทะเบียนอีกคน"
UNKNOWN_DISTRICT = "ไม่ทราบอำเภอ"

ROLE_CHOICES = {"ตัวเอง": "self", "ลูก/หลาน": "parent", "คนอื่น (ครู/เพื่อน)": "other"}
GRADE_CHOICES = {
    "ไม่ได้เรียน": "none", "ป.6": "p6", "ม.1": "m1", "ม.2": "m2", "ม.3": "m3",
    "ม.4": "m4", "ม.5": "m5", "ม.6": "m6", "ปวช.": "vocational", "ต่ำกว่า ป.6": "primary",
}
STATUS_CHOICES = {"จบแล้ว": "completed", "ออกกลางคัน": "left_during", "เรียนไม่จบ": "left_during"}
REASON_CHOICES = {
    "ต้องทำงาน": "work", "ปัญหาการเงิน": "financial", "ปัญหาครอบครัว": "family",
    "ตั้งครรภ์/มีบุตร": "pregnancy", "สุขภาพ": "health", "ย้ายที่อยู่": "migration",
    "เรียนไม่ทัน": "learning", "ถูกกลั่นแกล้ง": "bullying", "เหตุผลอื่น": "other", "ไม่อยากบอก": None,
}
PATH_CHOICES = {"สายสามัญ": "general", "สายอาชีพ (ปวช.)": "vocational", "ยังไม่แน่ใจ": "unsure"}
PHONE_NONE = "ติดต่อทางไลน์"
SKIP_WORDS = ("ข้าม", "ไม่อยากบอก", "ไม่บอก", "ไม่ตอบ", "ผ่าน", "skip")

FIELD_CHOICES = {
    "ผู้สมัคร": "role", "ชื่อ": "name", "อายุ": "age", "ชั้นเรียน": "grade",
    "ที่อยู่": "location", "สาเหตุ": "reason", "สายที่เรียน": "path", "เบอร์โทร": "phone",
}

GRADE_NAMES = {
    "none": "ไม่ได้เรียน", "primary": "ประถม", "lower_secondary": "ม.ต้น", "upper_secondary": "ม.ปลาย",
    "vocational": "ปวช.", **{f"p{i}": f"ป.{i}" for i in range(1, 7)}, **{f"m{i}": f"ม.{i}" for i in range(1, 7)},
    **{f"pvc{i}": f"ปวช.{i}" for i in range(1, 4)},
}
STATUS_NAMES = {"completed": "จบแล้ว", "left_during": "ออกระหว่างเรียน"}
REASON_NAMES = {
    "financial": "ปัญหาการเงิน", "work": "ต้องทำงาน", "family": "ปัญหาครอบครัว", "pregnancy": "ตั้งครรภ์/มีบุตร",
    "health": "สุขภาพ", "disability": "ความพิการ", "migration": "ย้ายที่อยู่", "learning": "เรียนไม่ทัน",
    "bullying": "ถูกกลั่นแกล้ง", "legal": "เรื่องทางกฎหมาย", "documents": "ปัญหาเอกสาร", "other": "เหตุผลอื่น",
}
PATH_NAMES = {"general": "สายสามัญ", "vocational": "สายอาชีพ (ปวช.)", "unsure": "ยังไม่แน่ใจ"}
ROLE_NAMES = {"self": "สมัครให้ตัวเอง", "parent": "สมัครให้ลูก/หลาน", "other": "สมัครให้คนอื่น"}


def welcome() -> str:
    return (
        "สวัสดีค่ะ 😊 ที่นี่ \"เรียนต่อ\" ผู้ช่วยของ สกร. (เดิม กศน.) ค่ะ\n"
        "ช่วยตอบคำถามเรื่องการกลับไปเรียน และส่งเรื่องให้ศูนย์ สกร. ใกล้บ้านติดต่อกลับได้ค่ะ\n"
        f"ข้อมูลที่ให้ไว้จะใช้เพื่อการสมัครเรียนเท่านั้น อ่านนโยบายความเป็นส่วนตัวได้ที่ {PRIVACY_URL}\n"
        "อยากให้ช่วยเรื่องไหนคะ"
    )


def welcome_back(kept: bool) -> str:
    if kept:
        return "ยินดีต้อนรับกลับมาค่ะ 😊 ข้อมูลที่คุยกันไว้ยังอยู่ครบ มาต่อจากเดิมกันนะคะ"
    return "ยินดีต้อนรับกลับมาค่ะ 😊 ข้อมูลที่เคยคุยไว้หมดอายุแล้ว ขอเริ่มใหม่อีกครั้งนะคะ"


def consent_question() -> str:
    return (
        "ก่อนเริ่ม ขอความยินยอมก่อนนะคะ 🙏\n"
        "เราจะเก็บข้อมูล เช่น ชื่อ อายุ ชั้นเรียน ที่อยู่ และเบอร์โทร เพื่อส่งต่อให้ศูนย์ สกร. ใกล้บ้านติดต่อกลับเรื่องการสมัครเรียนเท่านั้น "
        "ไม่ขอเลขบัตรประชาชน และขอลบข้อมูลได้ทุกเมื่อโดยพิมพ์ \"ลบข้อมูลของฉัน\"\n"
        f"อ่านรายละเอียด: {PRIVACY_URL}\n"
        "ยินยอมให้เก็บและส่งต่อข้อมูลไหมคะ"
    )


def consent_declined(contact: str) -> str:
    return (
        "ได้ค่ะ ไม่เก็บข้อมูลใด ๆ ไว้นะคะ\n"
        f"ถ้าอยากสมัครเอง {contact}\n"
        "ถ้าเปลี่ยนใจ กด \"อยากกลับไปเรียน\" ได้ทุกเมื่อค่ะ"
    )


def subject(slots: dict[str, Any]) -> str:
    """How to refer to the learner in a question."""
    name = slots.get("name")
    if slots.get("role") == "self":
        return "คุณ"
    if name:
        return f"น้อง{name}" if not str(name).startswith("น้อง") else str(name)
    return "ลูก/หลาน" if slots.get("role") == "parent" else "ผู้ที่จะเรียน"


def question(slot: str, slots: dict[str, Any]) -> tuple[str, list[Any]]:
    """The question for `slot`, and its quick replies."""
    who = subject(slots)
    if slot == "role":
        return ("ครั้งนี้สมัครเรียนให้ใครคะ ตัวคุณเอง ลูก/หลาน หรือคนอื่น (เช่น นักเรียน เพื่อน)", list(ROLE_CHOICES))
    if slot == "name":
        if slots.get("role") == "self":
            return ("ขอทราบชื่อหรือชื่อเล่นของคุณหน่อยค่ะ", [])
        if slots.get("role") == "parent":
            return ("ลูก/หลานที่จะเรียนชื่ออะไรคะ (ชื่อเล่นก็ได้ค่ะ)", [])
        return ("ผู้ที่จะเรียนชื่ออะไรคะ (ชื่อเล่นก็ได้ค่ะ)", [])
    if slot == "age":
        return (f"{who}อายุเท่าไหร่คะ (บอกเป็นปีเกิดก็ได้ค่ะ เช่น เกิดปี 2551)", [])
    if slot == "grade":
        return (f"{who}เรียนถึงชั้นไหน และจบชั้นนั้นแล้วหรือออกระหว่างเรียนคะ (เช่น \"จบ ม.3\" หรือ \"ออกตอน ม.2\")", list(GRADE_CHOICES))
    if slot == "grade_status":
        level = GRADE_NAMES.get(slots.get("grade") or "", "ชั้นนั้น")
        return (f"{who}เรียนจบ {level} แล้ว หรือออกระหว่างเรียนคะ", list(STATUS_CHOICES)[:2])
    if slot == "location":
        province = slots.get("province")
        if province and not slots.get("district"):
            name = _province_name(province)
            return (f"{who}อยู่อำเภอ (หรือเขต) ไหนของจังหวัด{name}คะ", [location_action(), UNKNOWN_DISTRICT])
        return (
            f"{who}อยู่อำเภออะไร จังหวัดอะไรคะ พิมพ์ชื่ออำเภอกับจังหวัด หรือกด \"ส่งตำแหน่ง\" ก็ได้ค่ะ",
            [location_action()],
        )
    if slot == "district_choice":
        choices = [
            message_action(f"อ.{_district_name(code)}", f"อำเภอ{_district_name(code)} จังหวัด{_province_name(code[:2])}")
            for code in slots.get("_district_choices", [])
        ]
        return ("รหัสไปรษณีย์นี้ใช้หลายอำเภอค่ะ อยู่อำเภอไหนคะ", choices[:12])
    if slot == "reason":
        return (f"ขอถามเพิ่มอีกนิดนะคะ ทำไม{who}ถึงออกจากโรงเรียนคะ (ไม่อยากตอบ กด \"ไม่อยากบอก\" ได้ค่ะ)", list(REASON_CHOICES))
    if slot == "path":
        return (
            "อยากเรียนต่อสายไหนคะ สายสามัญ (ได้วุฒิ ม.3/ม.6) หรือสายอาชีพ (ปวช.)",
            list(PATH_CHOICES),
        )
    if slot == "phone":
        return ("ขอเบอร์โทรที่เจ้าหน้าที่ติดต่อได้ค่ะ ถ้าไม่สะดวกให้เบอร์ กด \"ติดต่อทางไลน์\" ได้นะคะ", [PHONE_NONE])
    raise KeyError(slot)


def hint(slot: str) -> str:
    return {
        "role": "ขอโทษค่ะ ยังไม่แน่ใจว่าสมัครให้ใคร",
        "name": "ขอโทษค่ะ ยังไม่ได้ชื่อเลย",
        "age": "ขอโทษค่ะ ยังไม่เข้าใจอายุ ลองพิมพ์เป็นตัวเลข เช่น 17 นะคะ",
        "grade": "ขอโทษค่ะ ยังไม่เข้าใจชั้นเรียน ลองพิมพ์แบบ ม.2 หรือ ป.6 นะคะ",
        "grade_status": "ขอโทษค่ะ ยังไม่แน่ใจ",
        "location": "ขอโทษค่ะ ยังหาอำเภอ/จังหวัดนี้ไม่เจอ",
        "district_choice": "ขอโทษค่ะ ยังไม่แน่ใจว่าอำเภอไหน",
        "reason": "ขอโทษค่ะ ยังไม่เข้าใจ",
        "path": "ขอโทษค่ะ ยังไม่เข้าใจ",
        "phone": "ขอโทษค่ะ เบอร์นี้ดูไม่ครบ ลองพิมพ์ 10 หลัก เช่น 0812345678 นะคะ",
    }.get(slot, "ขอโทษค่ะ ยังไม่เข้าใจ")


def not_understood() -> str:
    return "ขอโทษค่ะ ยังไม่เข้าใจข้อความนี้ 🙏 เลือกจากปุ่มด้านล่าง หรือพิมพ์ \"เมนู\" ได้นะคะ"


def back_to_question() -> str:
    return "กลับมาที่คำถามเดิมนะคะ"


def help_text() -> str:
    return (
        "พิมพ์คุยได้ตามสบายเลยค่ะ เช่น\n"
        "• \"อยากกลับไปเรียน\" เพื่อสมัคร\n"
        "• ถามเรื่องค่าเรียน เอกสาร วันรับสมัคร วุฒิ หรือที่ตั้งศูนย์\n"
        "• \"เรื่องถึงไหนแล้ว\" ดูสถานะ\n"
        "• \"คุยกับเจ้าหน้าที่\" ให้เจ้าหน้าที่ติดต่อกลับ\n"
        "• \"เริ่มใหม่\" เริ่มต้นใหม่ · \"ลบข้อมูลของฉัน\" ลบข้อมูลทั้งหมด"
    )


def cancelled() -> str:
    return "ยกเลิกเรียบร้อยค่ะ ข้อมูลที่กรอกไว้ถูกล้างแล้ว ถ้าพร้อมเมื่อไหร่ เริ่มใหม่ได้เลยนะคะ"


def greet_again() -> str:
    return "สวัสดีค่ะ 😊"


def you_are_welcome() -> str:
    return "ยินดีค่ะ 😊 มีอะไรสงสัยถามได้ตลอดนะคะ"


def confirm_delete() -> str:
    return "ต้องการลบข้อมูลทั้งหมดของคุณใช่ไหมคะ ชื่อ เบอร์โทร และข้อความจะถูกลบ และแจ้งศูนย์ว่าขอถอนการสมัคร"


def delete_aborted() -> str:
    return "ไม่ลบค่ะ ข้อมูลยังอยู่เหมือนเดิมนะคะ"


def faq_menu() -> str:
    return "อยากทราบเรื่องไหนคะ เลือกจากปุ่ม หรือพิมพ์ถามได้เลยค่ะ"


def summary(slots: dict[str, Any]) -> str:
    lines = ["ขอทวนข้อมูลนะคะ 📝"]
    lines.append(f"• ผู้สมัคร: {ROLE_NAMES.get(slots.get('role') or '', '-')}")
    lines.append(f"• ชื่อ: {slots.get('name') or '-'}")
    lines.append(f"• อายุ: {slots['age']} ปี" if slots.get("age") is not None else "• อายุ: -")
    grade = GRADE_NAMES.get(slots.get("grade") or "", "-")
    status = STATUS_NAMES.get(slots.get("grade_status") or "")
    lines.append(f"• ชั้นเรียน: {grade}" + (f" ({status})" if status and slots.get("grade") != "none" else ""))
    lines.append(f"• ที่อยู่: {place_name(slots)}")
    lines.append(f"• สาเหตุที่ออก: {REASON_NAMES.get(slots.get('reason') or '', 'ไม่ระบุ')}")
    lines.append(f"• สายที่อยากเรียน: {PATH_NAMES.get(slots.get('path') or '', 'ไม่ระบุ')}")
    lines.append(f"• ติดต่อ: {slots['phone'] if slots.get('phone') else 'ทางไลน์'}")
    age = slots.get("age")
    if isinstance(age, int) and age < 16 and not (slots.get("grade") == "m3" and slots.get("grade_status") == "completed"):
        lines.append("\nเพราะอายุยังไม่ถึง 16 ปี ศูนย์จะช่วยประสานหนังสือส่งตัวจากเขตพื้นที่การศึกษาให้ค่ะ")
    if slots.get("grade") in ("m6", "pvc3") and slots.get("grade_status") == "completed":
        lines.append("\nจบการศึกษาขั้นพื้นฐานแล้ว ศูนย์ช่วยแนะนำหลักสูตรอาชีพหรือการเรียนต่อได้ค่ะ")
    lines.append("\nถูกต้องไหมคะ ถ้าถูกกด \"ยืนยัน\" ถ้าต้องแก้ พิมพ์สิ่งที่ถูกได้เลย เช่น \"อายุ 16\" หรือกด \"แก้ไข\" ค่ะ")
    return "\n".join(lines)


def choose_field() -> str:
    return "อยากแก้ข้อไหนคะ เลือกจากปุ่มด้านล่าง หรือพิมพ์ข้อมูลที่ถูกต้องมาได้เลยค่ะ"


def submitted_line() -> str:
    return "ส่งเรื่องเรียบร้อยแล้วค่ะ 🎉"


def after_done() -> str:
    return "ส่งเรื่องไปแล้วนะคะ 😊 ถ้าอยากสมัครให้อีกคน กด \"ลงทะเบียนอีกคน\" หรือถามข้อมูลเพิ่มได้เลยค่ะ"


def _province_name(code: str) -> str:
    province = geothai.province(code)
    return province.name_th if province else code


def _district_name(code: str) -> str:
    district = geothai.district(code)
    if district is None:
        return code
    return district.name_th.removeprefix("เขต")


def place_name(slots: dict[str, Any]) -> str:
    district, province = slots.get("district"), slots.get("province")
    parts = []
    if district:
        unit = "เขต" if district.startswith("10") else "อำเภอ"
        parts.append(f"{unit}{_district_name(district)}")
    if province:
        parts.append(("" if province == "10" else "จังหวัด") + _province_name(province))
    return " ".join(parts) or "-"
