"""Thai calendar facts used across the project, once: the Bangkok time zone and the Buddhist era."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
# Buddhist-era year = Common-era year + 543.
BE_OFFSET = 543
# The plausible ages of a learner (DESIGN §3: 5–99): an age said, or worked out from a birth
# year, outside them is no learner's and fills nothing. The one statement of the rule.
MIN_AGE, MAX_AGE = 5, 99


def bangkok_date(moment: datetime) -> date:
    """The calendar day in Thailand at this (aware) moment."""
    return moment.astimezone(BANGKOK).date()


def be_year(moment: datetime | date) -> int:
    """The Buddhist-era year of a moment (in Bangkok) or of a date."""
    day = bangkok_date(moment) if isinstance(moment, datetime) else moment
    return day.year + BE_OFFSET


def age_from_birth_year(birth_year_be: int, now: datetime) -> int | None:
    """DESIGN §8: age = current Buddhist-era year − birth year; None when implausible
    (outside `MIN_AGE`–`MAX_AGE`)."""
    age = be_year(now) - int(birth_year_be)
    return age if MIN_AGE <= age <= MAX_AGE else None
