"""Who sees what (DESIGN §10): a district office its own cases (those transferred to it
included: a transfer makes the receiving office the case's office), a provincial office every
case whose office is in its province (routing puts a case in the learner's province; a transfer
to another province's office moves it there), the admin everything.

Every console query starts from `Scope.cases()`; a case outside it is simply not found (404)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import geothai
from sqlalchemy import ColumnElement, true

from bot.console import labels
from models import Case


@lru_cache(maxsize=128)
def province_offices(province: str) -> tuple[str, ...]:
    """The office codes of a province: its own and its districts'."""
    return (province, *(d.code for d in geothai.districts(province)))


@dataclass(frozen=True)
class Scope:
    kind: str  # office | province | admin
    code: str | None = None

    @classmethod
    def for_office(cls, code: str) -> Scope:
        """A district office (4 digits) or a provincial office (2 digits: its whole province)."""
        return cls("province", code) if len(code) == 2 else cls("office", code)

    @classmethod
    def parse(cls, value: Any) -> Scope | None:
        if not isinstance(value, str):
            return None
        kind, _, code = value.partition(":")
        if kind == "admin" and not code:
            return cls("admin")
        if kind == "office" and len(code) == 4 and code.isdigit():
            return cls("office", code)
        if kind == "province" and len(code) == 2 and code.isdigit():
            return cls("province", code)
        return None

    def __str__(self) -> str:
        return "admin" if self.kind == "admin" else f"{self.kind}:{self.code}"

    @property
    def is_admin(self) -> bool:
        return self.kind == "admin"

    @property
    def province(self) -> str | None:
        return self.code[:2] if self.code else None

    def cases(self) -> ColumnElement[bool]:
        """The WHERE clause of the cases this scope may see."""
        if self.kind == "admin":
            return true()
        if self.kind == "province":
            assert self.code
            # The cases whose office is one of the province's (its own and its districts'): the
            # owning office is always in the learner's province, until a transfer moves it.
            return Case.office_code.in_(province_offices(self.code))
        return Case.office_code == self.code

    def title(self, office_names: dict[str, str] | None = None) -> str:
        if self.kind == "admin":
            return labels.ADMIN_SCOPE
        if self.kind == "province":
            return (
                labels.office_name(self.code, office_names) if office_names else labels.province_title(self.code)
            )
        return labels.office_name(self.code, office_names)
