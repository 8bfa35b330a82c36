"""What the console reads: a page of the case list (action first), a case with its timeline,
and the figures of a province or district over a period.

Queries are Core over the `cases` table and go through the indexes of migration 0006. The
case list is read in three segments, each in index order, instead of sorting the whole scope
by a computed priority: overdue first (SLA passed, oldest first), then open compulsory-age
cases, then the rest, newest first. Only the first two segments are counted."""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any

import geothai
from sqlalchemy import ColumnElement, Float, and_, case, func, not_, null, or_, select, text, true
from sqlalchemy.orm import Session

from bot.console import labels
from bot.console.scope import Scope
from handlers import lifecycle
from handlers.lifecycle import OPEN_STATUSES
from models import Case, Office
from nlp.thaitime import BANGKOK

PAGE_SIZE = 50
_REF = re.compile(r"^RT-\d{4}-\d{1,9}$")

LIST_COLUMNS = (
    Case.id,
    Case.ref,
    Case.name,
    Case.age,
    Case.status,
    Case.close_reason,
    Case.created_at,
    Case.delivered_at,
    Case.office_code,
    Case.province_code,
    Case.district_code,
    Case.compulsory_age,
    Case.reason,
    Case.next_level,
)


def _list_columns(now: datetime, sla_hours: float) -> tuple[Any, ...]:
    """What a list row shows, with whether the case is overdue (`lifecycle.overdue`) as `overdue`."""
    return (*LIST_COLUMNS, lifecycle.overdue(now, sla_hours).label("overdue"))


@dataclass
class ListFilters:
    status: str | None = None
    overdue: bool = False
    compulsory: bool = False
    reason: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args: Any) -> ListFilters:
        """From the query string; anything malformed is ignored (never an error page)."""
        status = args.get("status") or None
        reason = args.get("reason") or None
        try:
            page = max(1, min(100_000, int(args.get("page", "1"))))
        except ValueError:
            page = 1
        q = (args.get("q") or "").strip()[:60] or None
        return cls(
            status=status if status in labels.STATUSES else None,
            overdue=args.get("overdue") in ("1", "on", "y"),
            compulsory=args.get("compulsory") in ("1", "on", "y"),
            reason=reason if reason in labels.REASONS or reason == "none" else None,
            date_from=parse_date(args.get("from")),
            date_to=parse_date(args.get("to")),
            q=q,
            page=page,
        )

    def query_args(self, **changes: Any) -> dict[str, str]:
        values = {
            "status": self.status,
            "overdue": "1" if self.overdue else None,
            "compulsory": "1" if self.compulsory else None,
            "reason": self.reason,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "q": self.q,
            "page": str(self.page) if self.page > 1 else None,
        }
        values.update({k: (str(v) if v is not None else None) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v}

    @property
    def any(self) -> bool:
        return bool(
            self.status or self.overdue or self.compulsory or self.reason or self.date_from or self.date_to or self.q
        )


def parse_date(value: Any) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if 2000 <= parsed.year <= 2200 else None


def day_start(day: date) -> datetime:
    """Midnight in Bangkok of a calendar day, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=BANGKOK)


def _filtered(scope: Scope, filters: ListFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [scope.cases()]
    if filters.status:
        where.append(Case.status == filters.status)
    if filters.compulsory:
        where.append(and_(Case.compulsory_age))
    if filters.reason == "none":
        where.append(Case.reason.is_(None))
    elif filters.reason:
        where.append(Case.reason == filters.reason)
    if filters.date_from:
        where.append(Case.created_at >= day_start(filters.date_from))
    if filters.date_to:
        where.append(Case.created_at < day_start(filters.date_to + timedelta(days=1)))
    if filters.q:
        q = filters.q
        if _REF.match(q.upper()):
            where.append(Case.ref == q.upper())
        elif q.isdigit():
            where.append(Case.id == int(q))
        else:
            pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append(func.lower(Case.name).like(pattern, escape="\\"))
    return where


COUNT_CAP = 1000
TOTAL_CAP = 2_000


def capped_count(session: Session, where: list[ColumnElement[bool]], cap: int) -> int:
    """The number of matching cases, counting no further than `cap` + 1."""
    limited = select(Case.id).where(*where).limit(cap + 1).subquery()
    return int(session.scalar(select(func.count()).select_from(limited)) or 0)


def shown_count(count: int | None, cap: int) -> str:
    if count is None:
        return ""
    return f"{cap:,}+" if count > cap else f"{count:,}"


@dataclass
class CaseListPage:
    rows: list[Any]
    overdue_ids: set[int]
    overdue_count: int
    compulsory_open_count: int
    total: int | None
    page: int
    has_next: bool

    def shown(self, count: int | None, cap: int = COUNT_CAP) -> str:
        return shown_count(count, cap)


def _is_name_search(filters: ListFilters) -> bool:
    q = filters.q or ""
    return bool(q) and not _REF.match(q.upper()) and not q.isdigit()


NAME_SEARCH_LIMIT = 500


def _name_search(
    session: Session,
    where: list[ColumnElement[bool]],
    filters: ListFilters,
    *,
    now: datetime,
    sla_hours: float,
    size: int,
) -> CaseListPage:
    """A nickname search matches few cases: they are read without an order (no index gives
    one for a substring), at most NAME_SEARCH_LIMIT of them, and put in the list's order here."""
    columns = _list_columns(now, sla_hours)
    rows = list(session.execute(select(*columns).where(*where).limit(NAME_SEARCH_LIMIT + 1)).all())
    capped = len(rows) > NAME_SEARCH_LIMIT
    rows = rows[:NAME_SEARCH_LIMIT]

    def overdue(r: Any) -> bool:
        return bool(r.overdue)

    def compulsory_open(r: Any) -> bool:
        return bool(r.compulsory_age and r.status in OPEN_STATUSES and not overdue(r))

    if filters.overdue:
        rows = [r for r in rows if overdue(r)]

    def order(r: Any) -> tuple[int, float, int]:
        if overdue(r):
            return (0, r.created_at.timestamp(), -r.id)
        return (1 if compulsory_open(r) else 2, -r.created_at.timestamp(), -r.id)

    rows.sort(key=order)
    start = (filters.page - 1) * size
    page = rows[start : start + size]
    return CaseListPage(
        page,
        {r.id for r in page if overdue(r)},
        sum(1 for r in rows if overdue(r)),
        sum(1 for r in rows if compulsory_open(r)),
        None if capped else len(rows),
        filters.page,
        len(rows) > start + size,
    )


def case_list(
    session: Session, scope: Scope, filters: ListFilters, *, now: datetime, sla_hours: float, size: int = PAGE_SIZE
) -> CaseListPage:
    where = _filtered(scope, filters)
    if _is_name_search(filters):
        return _name_search(session, where, filters, now=now, sla_hours=sla_hours, size=size)
    overdue = lifecycle.overdue(now, sla_hours)
    columns = _list_columns(now, sla_hours)
    may_be_overdue = filters.status in (None, "new")
    not_overdue = [not_(overdue)] if may_be_overdue else []
    compulsory_open = and_(Case.compulsory_age, Case.status.in_(OPEN_STATUSES), *not_overdue)
    rest = and_(or_(Case.compulsory_age == False, Case.status.not_in(OPEN_STATUSES)), *not_overdue)  # noqa: E712
    # (name, condition, order, counted): a partition of the scope, in the order shown.
    segments: list[tuple[str, ColumnElement[bool], Any, bool]] = []
    if may_be_overdue:
        segments.append(("overdue", overdue, Case.created_at.asc(), True))
    if not filters.overdue:
        if filters.status in (None, *OPEN_STATUSES):
            segments.append(("compulsory", compulsory_open, Case.created_at.desc(), True))
        segments.append(("rest", rest, Case.created_at.desc(), False))
    offset = (filters.page - 1) * size
    # Counts are capped: a count only needs to be exact where a page crosses a segment's end,
    # and then it is small. Past the cap the page shows "1,000+".
    cap = max(COUNT_CAP, offset + size + 1)
    counts = {name: capped_count(session, [*where, cond], cap) for name, cond, _, counted in segments if counted}
    rows: list[Any] = []
    has_next = False
    skip = offset
    for name, cond, order, _ in segments:
        known = counts.get(name)
        if known is not None and skip >= known:
            skip -= known
            continue
        need = size - len(rows)
        if need <= 0:
            if known is None:
                known = len(session.execute(select(Case.id).where(*where, cond).limit(1)).all())
            has_next = known > 0
            break
        query = select(*columns).where(*where, cond).order_by(order, Case.id.desc()).offset(skip).limit(need + 1)
        got = list(session.execute(query).all())
        if len(got) > need:
            has_next = True
            got = got[:need]
        rows.extend(got)
        skip = 0
    # The whole country's total is not counted (a filter on a million cases reads too many).
    total = capped_count(session, where, TOTAL_CAP) if scope.kind != "admin" else None
    overdue_ids = {r.id for r in rows if r.overdue}
    return CaseListPage(
        rows, overdue_ids, counts.get("overdue", 0), counts.get("compulsory", 0), total, filters.page, has_next
    )


def find_case(session: Session, scope: Scope, case_id: int, *, lock: bool = False) -> Case | None:
    """The case if this scope may see it; None otherwise (the caller answers 404)."""
    query = select(Case).where(Case.id == case_id, scope.cases())
    if lock:
        query = query.with_for_update(of=Case)
    return session.scalar(query)


def find_by_ref(session: Session, scope: Scope, ref: str) -> Case | None:
    return session.scalar(select(Case).where(Case.ref == ref.strip().upper(), scope.cases()))


# -- figures -----------------------------------------------------------------------------------


@dataclass
class AreaFigures:
    code: str | None
    new: int = 0
    accepted: int = 0
    contacted: int = 0
    enrolled: int = 0
    closed: int = 0
    breaches: int = 0
    compulsory: int = 0
    hours_to_accept: list[float] = field(default_factory=list)
    median_hours: float | None = None

    def add(self, other: AreaFigures) -> None:
        """Add another area's counts (every `int` field) to these."""
        for counted in fields(self):
            if counted.type == "int":
                setattr(self, counted.name, getattr(self, counted.name) + getattr(other, counted.name))


@dataclass
class Figures:
    start: date
    end: date  # inclusive
    province: str | None
    district: str | None
    areas: list[AreaFigures]
    total: AreaFigures
    reasons: list[tuple[str | None, int]]
    ages: list[tuple[str, int]]
    levels: list[tuple[str | None, int]]


def _hours(dialect: str, later: Any, earlier: Any) -> Any:
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier) / 3600.0
    return (func.julianday(later) - func.julianday(earlier)) * 24.0


def _age_group() -> Any:
    whens = [(and_(Case.age >= low, Case.age <= high), index) for index, (_, low, high) in enumerate(labels.AGE_GROUPS)]
    return case(*whens, else_=-1)


def figures(
    session: Session,
    scope: Scope,
    *,
    province: str | None,
    district: str | None,
    start: date,
    end: date,
    now: datetime,
    sla_hours: float,
) -> Figures:
    """New cases submitted in [start, end] (Bangkok days) and what became of them, grouped by
    district (a province chosen) or by province (the whole country). Every number is derived
    from the fields of `cases export`: status, accepted_at, created_at, reason, age,
    next_level, compulsory_age, province_code and district_code."""
    dialect = session.get_bind().dialect.name
    # A province's figures are its learners' (province_code), like the export's; a district
    # office's are its own cases'.
    where: list[ColumnElement[bool]] = [
        scope.cases() if scope.kind == "office" else true(),
        Case.created_at >= day_start(start),
        Case.created_at < day_start(end + timedelta(days=1)),
    ]
    if province:
        where.append(Case.province_code == province)
    if district:
        where.append(Case.district_code == district)
    area = Case.district_code if province else Case.province_code
    hours = _hours(dialect, Case.accepted_at, Case.created_at)
    # Accepted later than the SLA, or not accepted and overdue now.
    late = or_(and_(Case.accepted_at.is_not(None), hours > sla_hours), lifecycle.overdue(now, sla_hours))

    def total_of(cond: Any) -> Any:
        return func.sum(case((cond, 1), else_=0))

    columns: list[Any] = [
        area.label("area"),
        func.count().label("new"),
        total_of(Case.accepted_at.is_not(None)).label("accepted"),
        total_of(Case.status.in_(("contacted", "enrolled"))).label("contacted"),
        total_of(Case.status == "enrolled").label("enrolled"),
        total_of(Case.status == "closed").label("closed"),
        total_of(late).label("breaches"),
        total_of(Case.compulsory_age == True).label("compulsory"),  # noqa: E712
    ]
    grouping: Any = area
    total_median: float | None = None
    if dialect == "postgresql":
        # Each area's row and the total's in one pass (the medians are the costly part; the
        # whole country's page gives the overall median only).
        median = func.percentile_cont(0.5).within_group(hours)
        columns.append((median if province else func.cast(null(), Float)).label("median"))
        columns.append(func.grouping(area).label("is_total"))
        grouping = func.grouping_sets(area, text("()"))
    areas: dict[str | None, AreaFigures] = {}
    for row in session.execute(select(*columns).where(*where).group_by(grouping)):
        if dialect == "postgresql" and row.is_total:
            total_median = float(row.median) if row.median is not None else None
            continue
        figures_of = AreaFigures(
            row.area,
            row.new,
            row.accepted or 0,
            row.contacted or 0,
            row.enrolled or 0,
            row.closed or 0,
            row.breaches or 0,
            row.compulsory or 0,
        )
        if dialect == "postgresql":
            figures_of.median_hours = float(row.median) if row.median is not None else None
        areas[row.area] = figures_of
    if dialect == "postgresql" and not province:
        overall = session.scalar(
            select(func.percentile_cont(0.5).within_group(hours)).where(*where, Case.accepted_at.is_not(None))
        )
        total_median = float(overall) if overall is not None else None
    all_hours: list[float] = []
    if dialect != "postgresql":
        by_area: dict[str | None, list[float]] = defaultdict(list)
        for code, value in session.execute(select(area, hours).where(*where, Case.accepted_at.is_not(None))):
            by_area[code].append(float(value))
            all_hours.append(float(value))
        for code, values in by_area.items():
            if code in areas:
                areas[code].median_hours = statistics.median(values)
        total_median = statistics.median(all_hours) if all_hours else None
    total = AreaFigures(None)
    for item in areas.values():
        total.add(item)
    total.median_hours = total_median
    mix: Counter[tuple[Any, Any, Any]] = Counter()
    group = _age_group()
    for reason, age_group, level, count in session.execute(
        select(Case.reason, group, Case.next_level, func.count())
        .where(*where)
        .group_by(Case.reason, group, Case.next_level)
    ):
        mix[(reason, age_group, level)] += count
    reasons: Counter[str | None] = Counter()
    ages: Counter[int] = Counter()
    levels: Counter[str | None] = Counter()
    for (reason, age_group, level), count in mix.items():
        reasons[reason] += count
        ages[int(age_group)] += count
        levels[level] += count
    age_rows = [(name, ages.get(i, 0)) for i, (name, _, _) in enumerate(labels.AGE_GROUPS)]
    if ages.get(-1):
        age_rows.append((labels.UNKNOWN, ages[-1]))
    ordered_levels: list[tuple[str | None, int]] = [
        (code, levels[code]) for code in labels.NEXT_LEVELS if levels.get(code)
    ]
    ordered_levels += [(code, n) for code, n in levels.items() if code not in labels.NEXT_LEVELS]
    return Figures(
        start=start,
        end=end,
        province=province,
        district=district,
        areas=sorted(areas.values(), key=lambda a: (-a.new, a.code or "")),
        total=total,
        reasons=sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0] or "~")),
        ages=age_rows,
        levels=ordered_levels,
    )


def names_of_offices(session: Session, codes: Iterable[str | None]) -> dict[str, str]:
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    return dict(session.execute(select(Office.code, Office.name).where(Office.code.in_(wanted))).all())


def province_choices() -> list[tuple[str, str]]:
    return sorted(((p.code, p.name_th) for p in geothai.provinces()), key=lambda p: p[1])


def district_choices(province: str) -> list[tuple[str, str]]:
    return [(d.code, d.name_th) for d in geothai.districts(province)]
