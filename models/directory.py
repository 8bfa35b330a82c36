"""The office directory: built from `geothai` (928 district offices + 77 provincial offices)
and enriched from an operator's CSV (phone, address, hours, map link)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus

import geothai
from sqlalchemy import insert, select, update
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
        rows.append(
            {
                "code": province.code,
                "kind": "province",
                "name": province_office_name(province.code, province.name_th),
                "province_code": province.code,
            }
        )
        for district in geothai.districts(province.code):
            rows.append(
                {
                    "code": district.code,
                    "kind": "district",
                    "name": district_office_name(district.name_th, province.code),
                    "province_code": province.code,
                }
            )
    return rows


def seed_offices(session: Session) -> int:
    """Insert the offices that are missing; never overwrite what an import enriched. Returns
    how many were added."""
    existing = set(session.scalars(select(Office.code)))
    missing = [row for row in all_offices() if row["code"] not in existing]
    if missing:
        session.execute(insert(Office), missing)
    return len(missing)


# -- local mode's demo directory ----------------------------------------------------------------
# So that a person trying the simulator sees office answers whole (DESIGN §8). Every value is
# made up except the map link, a Google Maps search for the office's real name; the phone
# numbers use the non-existent area code 00, so none can ring anyone. Rows are marked
# `demo`: their values are shown only in local mode (with a note), `init-db` outside local
# mode clears them, and `offices import` replaces them.
DEMO_HOURS = "จันทร์–ศุกร์ 08:30–16:30 น. (ตัวอย่าง)"
DEMO_FIELDS = ("phone", "address", "hours", "map_url")


def _demo_values(row: dict[str, str]) -> dict[str, str]:
    code = row["code"]
    province = geothai.province(row["province_code"])
    province_name = province.name_th if province else ""
    if row["kind"] == "district":
        district = geothai.district(code)
        subs = geothai.subdistricts(code)
        postal = subs[0].postal_codes[0] if subs and subs[0].postal_codes else ""
        place = district.name_th.removeprefix("เขต") if district else ""
        if row["province_code"] == BANGKOK:
            address = f"ที่ตั้งตัวอย่าง เขต{place} กรุงเทพมหานคร {postal}".strip()
        else:
            address = f"ที่ตั้งตัวอย่าง อำเภอ{place} จังหวัด{province_name} {postal}".strip()
    else:
        where = "กรุงเทพมหานคร" if code == BANGKOK else f"อำเภอเมือง จังหวัด{province_name}"
        address = f"ที่ตั้งตัวอย่าง {where}"
    # Maps know most centres by their old name (กศน.); a short query also keeps the link short.
    if row["kind"] == "district":
        unit = "เขต" if row["province_code"] == BANGKOK else "อำเภอ"
        district = geothai.district(code)
        place = district.name_th.removeprefix("เขต") if district else ""
        query = quote_plus(f"กศน.{unit}{place} {province_name}")
    else:
        query = quote_plus(
            f"สำนักงาน สกร. จังหวัด{province_name}" if code != BANGKOK else "สำนักงาน สกร. กรุงเทพมหานคร",
        )
    return {
        "phone": f"00-000-{int(code):04d}",
        "address": address,
        "hours": DEMO_HOURS,
        "map_url": f"https://www.google.com/maps/search/?api=1&query={query}",
    }


def load_demo_directory(session: Session) -> int:
    """Fill the contact fields of offices that have none with demo values, marked `demo`.
    Offices with any real value are left alone. Returns how many were filled."""
    offices = {o.code: o for o in session.scalars(select(Office))}
    filled = 0
    for row in all_offices():
        office = offices.get(row["code"])
        if office is None or office.demo or any(getattr(office, f) for f in DEMO_FIELDS):
            continue
        for column, value in _demo_values(row).items():
            setattr(office, column, value)
        office.demo = True
        filled += 1
    return filled


def clear_demo_directory(session: Session) -> int:
    """Outside local mode: no demo value stays in the directory. Returns how many were cleared."""
    result = session.execute(
        update(Office)
        .where(Office.demo.is_(True))
        .values(phone=None, address=None, hours=None, map_url=None, demo=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass
class ImportReport:
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows not applied at all
    problems: list[str] = field(default_factory=list)  # "line N: …", for the operator
    notes: list[str] = field(default_factory=list)  # not errors: how the file was read

    @property
    def fatal(self) -> bool:
        """Nothing could be read from the file."""
        return bool(self.problems) and not (self.updated or self.unchanged or self.skipped)


CSV_FIELDS = ("phone", "address", "hours", "map_url", "name")
# The longest value each column holds (models.schema.Office); `address` is unlimited text.
MAX_LENGTHS = {"phone": 40, "hours": 200, "map_url": 500, "name": 200}
# Headers an operator's spreadsheet may use, Thai or English, for each column.
ALIASES = {
    "code": ("code", "office_code", "office", "รหัส", "รหัสศูนย์", "รหัสหน่วยงาน"),
    "phone": (
        "phone",
        "tel",
        "telephone",
        "phone_number",
        "โทร",
        "โทรศัพท์",
        "เบอร์โทร",
        "เบอร์โทรศัพท์",
        "หมายเลขโทรศัพท์",
    ),
    "address": ("address", "ที่อยู่", "ที่ตั้ง"),
    "hours": ("hours", "opening_hours", "office_hours", "เวลาทำการ", "เวลาเปิด", "วันเวลาทำการ"),
    "map_url": ("map_url", "map", "maps", "map_link", "google_maps", "แผนที่", "ลิงก์แผนที่", "ลิงค์แผนที่"),
    "name": ("name", "office_name", "ชื่อ", "ชื่อศูนย์", "ชื่อหน่วยงาน"),
}
_HEADER = {alias.casefold(): column for column, aliases in ALIASES.items() for alias in aliases}


def _read_text(path: str | Path, report: ImportReport) -> str:
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Thai Windows saves "CSV" in Windows-874 (TIS-620 plus a few signs).
        try:
            decoded = raw.decode("cp874")
        except UnicodeDecodeError:
            report.problems.append(
                "line 1: the file is neither UTF-8 nor Windows-874 (Thai) text; save it as CSV UTF-8"
            )
            return ""
        report.notes.append('read as Windows-874 (Thai Excel); saving as "CSV UTF-8" avoids the guess')
        return decoded


def _phone_problem(value: str) -> str | None:
    digits = "".join(ch for ch in value if ch.isdigit())
    if not digits:
        return "has no digits"
    if not digits.startswith("0") and len(digits) in (8, 9):
        return "does not start with 0 (did a spreadsheet drop the leading zero? format the column as text)"
    return None


def import_csv(session: Session, path: str | Path) -> ImportReport:
    """Update offices from a CSV with a `code` column and any of phone, address, hours,
    map_url, name (Thai or English headers, see ALIASES). Empty cells leave a field as it is.

    Nothing bad is fatal: a row that cannot be applied is skipped, a value that cannot be
    stored is left out, and each is reported with its line number."""
    report = ImportReport()
    content = _read_text(path, report)
    if not content:
        if not report.problems:
            report.problems.append("line 1: the file is empty")
        return report
    reader = csv.reader(io.StringIO(content, newline=""))
    header = next(reader, None) or []
    columns: list[str | None] = []
    for title in header:
        column = _HEADER.get(title.strip().casefold())
        if column is None and title.strip():
            report.notes.append(f"column {title.strip()!r} ignored (not one of: {', '.join(ALIASES)})")
        columns.append(column if column not in columns else None)
    if "code" not in columns:
        report.problems.append(
            f"line 1: the CSV needs a 'code' column (the 4-digit district or 2-digit province code); "
            f"found {', '.join(repr(t) for t in header) or 'no header'}"
        )
        return report
    offices = {o.code: o for o in session.scalars(select(Office))}
    seen: dict[str, int] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue  # a blank line
        if len(values) > len(header):
            report.problems.append(
                f"line {line}: {len(values)} values for {len(header)} columns; "
                "a value with a comma must be in double quotes"
            )
            report.skipped += 1
            continue
        row = {column: value.strip() for column, value in zip(columns, values, strict=False) if column}
        code = row.get("code", "")
        if code.endswith(".0") and code[:-2].isdigit():
            code = code[:-2]  # a spreadsheet's number
        office = offices.get(code)
        if office is None:
            report.problems.append(
                f"line {line}: unknown office code {code!r}" if code else f"line {line}: no office code"
            )
            report.skipped += 1
            continue
        if code in seen:
            report.problems.append(f"line {line}: office {code} is already on line {seen[code]}; this row is skipped")
            report.skipped += 1
            continue
        seen[code] = line
        changed = False
        if office.demo:
            # Real data arrives: none of the demo values may stay beside it.
            for column in DEMO_FIELDS:
                setattr(office, column, None)
            office.demo = False
            changed = True
        for column in CSV_FIELDS:
            value = row.get(column)
            if not value:
                continue
            problem = None
            if column == "map_url" and not value.startswith(("http://", "https://")):
                problem = "map_url must start with http:// or https://"
            elif column == "phone" and _phone_problem(value):
                problem = f"phone {value!r} {_phone_problem(value)}"
            elif column in MAX_LENGTHS and len(value) > MAX_LENGTHS[column]:
                problem = f"{column} is {len(value)} characters, longer than {MAX_LENGTHS[column]}"
            if problem:
                report.problems.append(f"line {line}: {problem}; that field is left as it was")
                continue
            if getattr(office, column) != value:
                setattr(office, column, value)
                changed = True
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1
    return report
