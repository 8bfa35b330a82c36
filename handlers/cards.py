"""The referral card: a Flex bubble for the office's LINE group, with postback buttons."""

from __future__ import annotations

from typing import Any

from handlers import knowledge, lifecycle, offices, texts
from models import Case


def postback(case_id: int, action: str, extra: str = "") -> dict[str, Any]:
    label = texts.CLOSE_REASON_NAMES.get(extra, extra) if extra else texts.CARD_ACTIONS.get(action, action)
    data = f"case={case_id}&action={action}" + (f"&reason={extra}" if extra else "")
    return {"type": "postback", "label": label[:20], "data": data, "displayText": label}


def _row(label: str, value: str, *, color: str = "#333333") -> dict[str, Any]:
    return {
        "type": "box",
        "layout": "baseline",
        "spacing": "sm",
        "contents": [
            {"type": "text", "text": label, "size": "sm", "color": "#888888", "flex": 3},
            {"type": "text", "text": value or "-", "size": "sm", "color": color, "flex": 6, "wrap": True},
        ],
    }


def alt_text(case: Case, prefix: str = texts.CARD_NEW) -> str:
    """What LINE shows in the chat list and notifications: Thai, with the reference."""
    return texts.card_alt(prefix, case.ref or "", case.name, case.age)[:400]


def referral_card(
    case: Case, office_name: str, *, heading: str = texts.CARD_HEADING, alt_prefix: str = texts.CARD_NEW
) -> dict[str, Any]:
    slots = {"district": case.district_code, "province": case.province_code}
    grade = texts.GRADE_NAMES.get(case.grade or "", "-")
    status = texts.STATUS_NAMES.get(case.grade_status or "")
    label = texts.CARD_ROWS
    rows = [
        _row(label["sent"], texts.thai_date(case.created_at) if case.created_at else "-"),
        _row(label["learner"], case.name or (texts.CARD_ERASED if case.erased_at else "-")),
        _row(label["age"], texts.years(case.age) if case.age is not None else "-"),
        _row(label["grade"], grade + (f" ({status})" if status and case.grade != "none" else "")),
        _row(label["next_level"], texts.NEXT_LEVEL_NAMES.get(case.next_level or "", "-")),
        _row(label["place"], texts.place_name(slots)),
        _row(label["reason"], texts.REASON_NAMES.get(case.reason or "", texts.NOT_GIVEN)),
        _row(label["path"], texts.PATH_NAMES.get(case.path or "", texts.NOT_GIVEN)),
        _row(label["role"], texts.ROLE_NAMES.get(case.role or "", "-")),
        _row(label["contact"], case.phone or texts.CARD_NO_PHONE),
    ]
    body: list[dict[str, Any]] = [
        {"type": "text", "text": heading, "weight": "bold", "size": "md", "wrap": True},
        {"type": "text", "text": case.ref or "", "size": "xl", "weight": "bold", "color": "#1DB446"},
        {"type": "text", "text": office_name, "size": "xs", "color": "#888888", "wrap": True},
        {"type": "separator", "margin": "md"},
        {"type": "box", "layout": "vertical", "margin": "md", "spacing": "sm", "contents": rows},
    ]
    if case.compulsory_age:
        body.append(
            {
                "type": "text",
                "text": texts.compulsory_age_flag(),
                "wrap": True,
                "size": "sm",
                "color": "#D9534F",
                "margin": "md",
            }
        )
    footer = {
        "type": "box",
        "layout": "vertical",
        "spacing": "sm",
        "contents": [
            {"type": "button", "style": "primary", "height": "sm", "action": postback(case.id, "accept")},
            {
                "type": "box",
                "layout": "horizontal",
                "spacing": "sm",
                "contents": [
                    {"type": "button", "style": "secondary", "height": "sm", "action": postback(case.id, "contacted")},
                    {"type": "button", "style": "secondary", "height": "sm", "action": postback(case.id, "enrolled")},
                ],
            },
            {"type": "button", "style": "link", "height": "sm", "action": postback(case.id, "close")},
        ],
    }
    return {
        "type": "flex",
        "altText": alt_text(case, alt_prefix),
        "contents": {
            "type": "bubble",
            "body": {"type": "box", "layout": "vertical", "contents": body},
            "footer": footer,
        },
    }


def cards_carousel(cases: list[Case], office_names: dict[str, str], *, alt: str) -> dict[str, Any]:
    """Up to 10 referral cards side by side (a reply to `เรื่องค้าง`, so staff can act on a
    case whose card is far up the chat or went to another group)."""
    bubbles = [
        referral_card(
            c, office_names.get(c.office_code or "", ""), heading=texts.OPEN_CARD_HEADINGS.get(c.status, "")
        )["contents"]
        for c in cases[:10]
    ]
    return {"type": "flex", "altText": alt[:400], "contents": {"type": "carousel", "contents": bubbles}}


def close_reasons_message(case: Case) -> dict[str, Any]:
    items = [{"type": "action", "action": postback(case.id, "close", reason)} for reason in lifecycle.CLOSE_REASONS]
    return {"type": "text", "text": texts.close_why(case.ref or ""), "quickReply": {"items": items}}


# -- the applicant's confirmation: what was sent, to whom, and what comes next ------------------------


def _uri_button(label: str, uri: str, style: str = "secondary") -> dict[str, Any]:
    return {
        "type": "button",
        "style": style,
        "height": "sm",
        "action": {"type": "uri", "label": label[:20], "uri": uri},
    }


def confirmation_card(case: Case, contact: offices.Contact | None) -> dict[str, Any]:
    """One Flex bubble after "ยืนยัน": the reference, the office and how to reach it, what
    happens next; buttons to call the office (tel:), open its map, and see the documents."""
    office_rows: list[dict[str, Any]] = []
    if contact is not None:
        office_rows.append({"type": "text", "text": contact.name, "weight": "bold", "size": "sm", "wrap": True})
        details = offices.contact_lines(contact)[1:]
        if not contact.complete:
            details.append(texts.office_no_contact_yet())
        office_rows.extend(
            {"type": "text", "text": line, "size": "xs", "color": "#555555", "wrap": True} for line in details
        )
    else:
        office_rows.append({"type": "text", "text": knowledge.department_contact(), "size": "sm", "wrap": True})
    notes = [texts.CONFIRM_CARD_NEXT_TEXT]
    if case.compulsory_age:
        notes.append(texts.compulsory_age_note())
    if case.next_level == "completed_basic":
        notes.append(texts.CONFIRM_COMPLETED_BASIC)
    body: list[dict[str, Any]] = [
        {"type": "text", "text": texts.CONFIRM_CARD_TITLE, "weight": "bold", "size": "md", "wrap": True},
        {"type": "text", "text": texts.CONFIRM_CARD_REF, "size": "xs", "color": "#888888", "margin": "md"},
        {"type": "text", "text": case.ref or "", "size": "xl", "weight": "bold", "color": "#1DB446"},
        {"type": "separator", "margin": "md"},
        {"type": "text", "text": texts.CONFIRM_CARD_OFFICE, "size": "xs", "color": "#888888", "margin": "md"},
        {"type": "box", "layout": "vertical", "spacing": "xs", "contents": office_rows},
        {"type": "separator", "margin": "md"},
        {"type": "text", "text": texts.CONFIRM_CARD_NEXT, "size": "xs", "color": "#888888", "margin": "md"},
        *({"type": "text", "text": note, "size": "sm", "wrap": True} for note in notes),
    ]
    buttons: list[dict[str, Any]] = []
    tel = offices.tel_uri(contact.phone) if contact else None
    if tel:
        buttons.append(_uri_button(texts.CONFIRM_CARD_CALL, tel, "primary"))
    if contact and contact.map_url:
        buttons.append(_uri_button(texts.CONFIRM_CARD_MAP, contact.map_url))
    documents = {
        "type": "postback",
        "label": texts.CONFIRM_CARD_DOCUMENTS,
        "data": "intent=ask_documents",
        "displayText": texts.CONFIRM_CARD_DOCUMENTS_SAID,
    }
    buttons.append({"type": "button", "style": "link" if buttons else "secondary", "height": "sm", "action": documents})
    office_name = contact.name if contact else knowledge.department_contact()
    return {
        "type": "flex",
        "altText": texts.confirm_card_alt(case.ref or "", office_name)[:400],
        "contents": {
            "type": "bubble",
            "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
            "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": buttons},
        },
    }
