"""The office directory: built from `geothai` (928 district offices + 77 provincial offices)
and enriched from an operator's CSV (phone, address, hours, map link)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import geothai
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.schema import Office

BANGKOK = "10"


def district_office_name(district_name: str, province_code: str) -> str:
    if province_code == BANGKOK:
        return f"ศูนย์ส่งเสริมการเรียนรู้ระดับเขต{district_name.removeprefix('เขต')}"
    return f"ศูนย์ส่งเสริมการเรียนรู้ระดับอำเภอ{district_name}"


def province_office_name(province_code: str, province_name: str) -> str:
    if province_code == BANGKOK:
        return "สำนักงานส่งเสริมการเรียนรู้กรุงเทพมหานคร"
    return f"สำนักงานส่งเสริมการเรียนรู้ประจำจังหวัด{province_name}"


def all_offices() -> list[dict[str, str]]:
    rows = []
    for province in geothai.provinces():
        rows.append({"code": province.code, "kind": "province", "name": province_office_name(province.code, province.name_th), "province_code": province.code})
        for district in geothai.districts(province.code):
            rows.append({"code": district.code, "kind": "district", "name": district_office_name(district.name_th, province.code), "province_code": province.code})
    return rows


def seed_offices(session: Session) -> int:
    """Insert the offices that are missing; never overwrite what an import enriched. Returns
    how many were added."""
    existing = set(session.scalars(select(Office.code)))
    missing = [row for row in all_offices() if row["code"] not in existing]
    if missing:
        session.execute(Office.__table__.insert(), missing)
    return len(missing)


@dataclass
class ImportReport:
    updated: int = 0
    problems: list[str] = field(default_factory=list)


CSV_FIELDS = ("phone", "address", "hours", "map_url", "name")


def import_csv(session: Session, path: str | Path) -> ImportReport:
    """Update offices from a CSV with a `code` column and any of phone, address, hours,
    map_url, name. Unknown codes and bad rows are reported by line number, not fatal."""
    report = ImportReport()
    offices = {o.code: o for o in session.scalars(select(Office))}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "code" not in [f.strip() for f in reader.fieldnames]:
            report.problems.append("line 1: the CSV needs a 'code' column")
            return report
        for line, row in enumerate(reader, start=2):
            row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
            code = row.get("code", "")
            office = offices.get(code)
            if office is None:
                report.problems.append(f"line {line}: unknown office code {code!r}")
                continue
            changed = False
            for column in CSV_FIELDS:
                value = row.get(column)
                if value:
                    if column == "map_url" and not value.startswith(("http://", "https://")):
                        report.problems.append(f"line {line}: map_url must start with http(s)://")
                        continue
                    setattr(office, column, value[:500])
                    changed = True
            report.updated += changed
    return report
