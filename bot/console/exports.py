"""Exports of the cases a scope allows, with exactly the fields of `flask --app bot cases export`
(the same row builder): CSV for Thai Excel (UTF-8 with a byte-order mark) and XLSX."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli_cases import EXPORT_FIELDS, case_record
from models import Case

BATCH = 2000


def _records(session: Session, where: list[Any]) -> Iterator[dict[str, Any]]:
    query = select(Case).where(*where).order_by(Case.id).execution_options(yield_per=BATCH)
    for case in session.scalars(query):
        yield case_record(case)
        session.expunge(case)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def csv_chunks(session: Session, where: list[Any], counter: list[int]) -> Iterator[bytes]:
    """The CSV, a batch of rows at a time; `counter[0]` counts the rows written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_FIELDS)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for index, record in enumerate(_records(session, where), start=1):
        writer.writerow([_cell(record[field]) for field in EXPORT_FIELDS])
        counter[0] = index
        if index % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_file(session: Session, where: list[Any]) -> tuple[Any, int]:
    """An XLSX (write-only workbook, spooled to disk when large) and its number of rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("cases")
    sheet.append(list(EXPORT_FIELDS))
    count = 0
    for record in _records(session, where):
        sheet.append([record[field] for field in EXPORT_FIELDS])
        count += 1
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (handed to send_file)
    book.save(out)
    out.seek(0)
    return out, count
