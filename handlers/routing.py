"""Routing rules (DESIGN §4), pure: which office owns a case, where its card goes, and the
flags the office needs. Each decision carries its reason, recorded on the case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict


class NoProvince(Exception):
    """A case cannot be routed without at least a province."""


@dataclass(frozen=True)
class RoutingDecision:
    office_code: str  # the owning office (rule 1), even when delivery falls back
    delivered_to: str | None  # office code whose group gets the card, "admin", or None (pending)
    group_id: str | None
    reason: str


def owner_office(province: str | None, district: str | None) -> tuple[str, str]:
    if district:
        return district, f"district {district} known → district office {district}"
    if province:
        return province, f"only province {province} known → provincial office {province}"
    raise NoProvince("no province and no district")


def route(
    province: str | None,
    district: str | None,
    *,
    linked_groups: Mapping[str, str],
    admin_group: str | None,
) -> RoutingDecision:
    """Rules 1 and 4: the owner, then the first linked group of owner → province → admin."""
    owner, why = owner_office(province, district)
    return route_to(owner, why, linked_groups=linked_groups, admin_group=admin_group)


def route_to(
    owner: str, why: str, *, linked_groups: Mapping[str, str], admin_group: str | None
) -> RoutingDecision:
    """Rule 4 for a known owner office (by rule 1, or a transfer): its group, else its
    province's, else the admin group, else pending."""
    province_code = owner[:2]
    if owner in linked_groups:
        return RoutingDecision(owner, owner, linked_groups[owner], f"{why}; delivered to its group")
    if owner != province_code and province_code in linked_groups:
        why = f"{why}; no group linked → provincial office {province_code} group"
        return RoutingDecision(owner, province_code, linked_groups[province_code], why)
    if admin_group:
        return RoutingDecision(owner, "admin", admin_group, f"{why}; no office group linked → admin group")
    return RoutingDecision(owner, None, None, f"{why}; no group linked anywhere → pending until one is")


def _parse(grade: str | None) -> tuple[str, int]:
    if not grade:
        return "none", 0
    for prefix in ("pvc", "p", "m"):
        if grade.startswith(prefix) and grade[len(prefix) :].isdigit():
            return prefix, int(grade[len(prefix) :])
    return grade, 0


# DESIGN §4 rule 2: compulsory education ends at the 15th birthday unless ม.3 is finished.
COMPULSORY_BELOW_AGE = 15
# Levels that mean ม.3 was finished whatever the status (one can only reach them after it).
_BEYOND_M3 = ("m4", "m5", "m6", "upper_secondary", "pvc1", "pvc2", "pvc3", "vocational")
_M3_OR_BEYOND = ("m3", "lower_secondary", *_BEYOND_M3)


def finished_m3(grade: str | None, grade_status: str | None) -> bool:
    """ม.3 (lower secondary) completed: completed ม.3 or later, or reached any level after it."""
    return grade in _BEYOND_M3 or (grade_status == "completed" and grade in _M3_OR_BEYOND)


def compulsory_age(age: int | None, grade: str | None, grade_status: str | None) -> bool:
    """Rule 2: under 15 full years and ม.3 not completed. The one definition: the case, the
    summary (`texts.summary_note`), the FAQ answer and the referral card all use it."""
    if age is None or age >= COMPULSORY_BELOW_AGE:
        return False
    return not finished_m3(grade, grade_status)


def next_level(grade: str | None, grade_status: str | None) -> str:
    """Rule 3: the level the learner should enrol in next."""
    kind, year = _parse(grade)
    completed = grade_status == "completed"
    if kind in ("none",) or grade in (None, "none"):
        return "primary"
    if grade == "primary":
        return "lower_secondary" if completed else "primary"
    if grade == "lower_secondary":
        return "upper_secondary" if completed else "lower_secondary"
    if grade == "upper_secondary":
        return "completed_basic" if completed else "upper_secondary"
    if grade == "vocational":
        return "upper_secondary"
    if kind == "p":
        return "lower_secondary" if completed and year == 6 else "primary"
    if kind == "m":
        if year <= 3:
            return "upper_secondary" if completed and year == 3 else "lower_secondary"
        return "completed_basic" if completed and year == 6 else "upper_secondary"
    if kind == "pvc":
        return "completed_basic" if completed and year == 3 else "upper_secondary"
    return "primary"


class ReferralFields(TypedDict):
    compulsory_age: bool  # rule 2
    next_level: str  # rule 3


def referral_fields(slots: Mapping[str, Any]) -> ReferralFields:
    """Rules 2 and 3 for a case's values (the intake's slots, its age worked out)."""
    return {
        "compulsory_age": compulsory_age(slots.get("age"), slots.get("grade"), slots.get("grade_status")),
        "next_level": next_level(slots.get("grade"), slots.get("grade_status")),
    }
