"""An office's contact as the bot tells it (DESIGN §2 step 7): name, phone, address, hours and
map link when the directory has them, and nothing about details the user did not give.

Values from local mode's demo directory (`Office.demo`) are shown only in local mode, marked
as examples; anywhere else such an office reads as one without contact details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers import knowledge, texts
from models import Office

PHONE_RUN = re.compile(r"[0+][\d\s\-–]{7,}\d")


@dataclass(frozen=True)
class Contact:
    code: str
    name: str
    phone: str | None = None
    address: str | None = None
    hours: str | None = None
    map_url: str | None = None
    demo: bool = False

    @property
    def complete(self) -> bool:
        return bool(self.phone or self.address or self.hours or self.map_url)


def contact_of(office: Office | None, *, local_mode: bool = False) -> Contact | None:
    """The contact of an `Office`; None for no office."""
    if office is None:
        return None
    demo = bool(office.demo)
    if demo and not local_mode:
        return Contact(office.code, office.name)
    return Contact(
        office.code,
        office.name,
        office.phone or None,
        office.address or None,
        office.hours or None,
        office.map_url or None,
        demo,
    )


def tel_uri(phone: str | None) -> str | None:
    """A `tel:` link for the first number of a phone field ("054-123456 ต่อ 12, 081…")."""
    if not phone:
        return None
    match = PHONE_RUN.search(phone)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(0))
    if match.group(0).startswith("+"):
        digits = "+" + digits
    if match.group(0).startswith("+66"):
        digits = "0" + digits[3:]
    return f"tel:{digits}" if 9 <= len(digits.lstrip("+")) <= 12 else None


def contact_lines(contact: Contact) -> list[str]:
    """What there is to tell, one line each (name first)."""
    lines = [contact.name]
    if contact.phone:
        lines.append(texts.office_phone_line(contact.phone))
    if contact.hours:
        lines.append(texts.office_hours_line(contact.hours))
    if contact.address:
        lines.append(texts.office_address_line(contact.address))
    if contact.map_url:
        lines.append(texts.office_map_line(contact.map_url))
    if contact.demo:
        lines.append(texts.DEMO_OFFICE_NOTE)
    return lines


def contact_text(office: Office | None, *, local_mode: bool = False) -> str:
    """The office's name and how to reach it, as text; the department's contact without one."""
    contact = contact_of(office, local_mode=local_mode)
    if contact is None:
        return knowledge.department_contact()
    lines = contact_lines(contact)
    if not contact.complete:
        lines.append(texts.office_no_contact_yet())
    return "\n".join(lines)
