"""The office directory from geothai, and the CSV import."""

from __future__ import annotations

from sqlalchemy import func, select

from models import Office
from models.directory import import_csv, seed_offices


def test_seed_builds_every_office_once(db):
    with db.transaction() as tx:
        session = tx.session
        assert seed_offices(session) == 1005
    with db.transaction() as tx:
        session = tx.session
        assert seed_offices(session) == 0
    with db.transaction(write=False) as tx:
        session = tx.session
        assert session.scalar(select(func.count()).where(Office.kind == "district")) == 928
        assert session.scalar(select(func.count()).where(Office.kind == "province")) == 77
        assert session.get(Office, "5208").name == "ศูนย์ส่งเสริมการเรียนรู้ระดับอำเภอเถิน"
        assert session.get(Office, "1006").name == "ศูนย์ส่งเสริมการเรียนรู้ระดับเขตบางกะปิ"
        assert session.get(Office, "52").name == "สำนักงานส่งเสริมการเรียนรู้ประจำจังหวัดลำปาง"
        assert session.get(Office, "10").name == "สำนักงานส่งเสริมการเรียนรู้กรุงเทพมหานคร"


def test_csv_import_with_bom_and_bad_rows(db, tmp_path):
    with db.transaction() as tx:
        session = tx.session
        seed_offices(session)
    csv_file = tmp_path / "offices.csv"
    csv_file.write_text(
        "\ufeffcode,phone,address,hours,map_url\n"
        "5208,054-291-000,ถนนพหลโยธิน อ.เถิน,จ-ศ 08:30-16:30,https://maps.example/thoen\n"
        "9999,000,,,\n"
        "52,054-000-111,,,not-a-url\n",
        encoding="utf-8",
    )
    with db.transaction() as tx:
        session = tx.session
        report = import_csv(session, csv_file)
    assert report.updated == 2
    assert any("line 3" in p and "9999" in p for p in report.problems)
    assert any("line 4" in p and "map_url" in p for p in report.problems)
    with db.transaction(write=False) as tx:
        session = tx.session
        thoen = session.get(Office, "5208")
        assert (thoen.phone, thoen.hours, thoen.map_url) == (
            "054-291-000",
            "จ-ศ 08:30-16:30",
            "https://maps.example/thoen",
        )
    with db.transaction() as tx:
        session = tx.session
        assert seed_offices(session) == 0
    with db.transaction(write=False) as tx:
        session = tx.session
        assert session.get(Office, "5208").phone == "054-291-000"  # seeding never overwrites


def _import(db, tmp_path, content: str, encoding: str = "utf-8"):
    with db.transaction() as tx:
        session = tx.session
        seed_offices(session)
    csv_file = tmp_path / "offices.csv"
    csv_file.write_bytes(content.encode(encoding))
    with db.transaction() as tx:
        session = tx.session
        return import_csv(session, csv_file)


def test_an_unquoted_comma_skips_the_row_instead_of_shifting_its_fields(db, tmp_path):
    report = _import(
        db,
        tmp_path,
        "code,phone,address,hours\n5201,054-222-333,99 ถ.บุญวาทย์, ต.สวนดอก,จ-ศ 08:30-16:30\n",
    )
    assert report.skipped == 1 and report.updated == 0
    assert any(p.startswith("line 2:") and "double quotes" in p for p in report.problems)
    with db.transaction(write=False) as tx:
        session = tx.session
        assert session.get(Office, "5201").hours is None


def test_values_too_long_for_their_column_are_reported_not_fatal(db, tmp_path):
    long_phone = "0812345678 ต่อ 12 (ในเวลาราชการเท่านั้น โทรได้ทุกวันยกเว้นวันหยุด)"
    report = _import(db, tmp_path, f"code,phone,hours\n5203,{long_phone},จ-ศ 08:30-16:30\n")
    assert report.updated == 1
    assert any("line 2" in p and "phone" in p and "40" in p for p in report.problems)
    with db.transaction(write=False) as tx:
        session = tx.session
        office = session.get(Office, "5203")
        assert (office.phone, office.hours) == (None, "จ-ศ 08:30-16:30")


def test_thai_headers_and_a_thai_excel_file(db, tmp_path):
    report = _import(
        db,
        tmp_path,
        "รหัส,โทรศัพท์,เวลาทำการ\n5208,054-291-000,จันทร์-ศุกร์ 08.30-16.30 น.\n",
        encoding="cp874",
    )
    assert report.updated == 1 and report.problems == []
    assert any("Windows-874" in n for n in report.notes)
    with db.transaction(write=False) as tx:
        session = tx.session
        assert session.get(Office, "5208").hours == "จันทร์-ศุกร์ 08.30-16.30 น."


def test_a_dropped_leading_zero_and_a_repeated_code_are_reported(db, tmp_path):
    report = _import(db, tmp_path, "code,phone\n5202,54123456\n5208,054-291-000\n5208,054-999-999\n")
    assert any("line 2" in p and "leading zero" in p for p in report.problems)
    assert any("line 4" in p and "line 3" in p for p in report.problems)
    with db.transaction(write=False) as tx:
        session = tx.session
        assert session.get(Office, "5202").phone is None
        assert session.get(Office, "5208").phone == "054-291-000"
