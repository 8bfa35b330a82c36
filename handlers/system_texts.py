"""Thai texts the event handlers send outside the dialogue (errors, flood control, media).

Same voice as the dialogue (`handlers/texts.py`): a polite young female staffer, ค่ะ/คะ.
"""

from __future__ import annotations

from typing import Any


def _text(text: str) -> dict[str, Any]:
    return {"type": "text", "text": text}


def system_error() -> dict[str, Any]:
    return _text(
        "ขออภัยค่ะ ระบบขัดข้องชั่วคราว ข้อความของคุณยังไม่ได้บันทึก "
        "รบกวนส่งข้อความเดิมอีกครั้งในอีกสักครู่นะคะ 🙏"
    )


def slow_down() -> dict[str, Any]:
    return _text(
        "ข้อความเข้ามาเร็วมากเลยค่ะ ขอเวลาสักครู่นะคะ "
        "รอประมาณ 5 วินาทีแล้วค่อยพิมพ์ต่อได้เลยค่ะ"
    )


def text_only() -> dict[str, Any]:
    return _text("ตอนนี้น้องบอทอ่านได้เฉพาะข้อความที่พิมพ์และตำแหน่งที่แชร์มานะคะ")
