"""The office directory from geothai, and the CSV import."""

from __future__ import annotations

from sqlalchemy import func, select

from models import Office
from models.directory import import_csv, seed_offices


def test_seed_builds_every_office_once(db):
    with db.transaction() as session:
        assert seed_offices(session) == 1005
    with db.transaction() as session:
        assert seed_offices(session) == 0
    with db.read() as session:
        assert session.scalar(select(func.count()).where(Office.kind == "district")) == 928
        assert session.scalar(select(func.count()).where(Office.kind == "province")) == 77
        assert session.get(Office, "5208").name == "ศูนย์ส่งเสริมการเรียนรู้ระดับอำเภอเถิน"
        assert session.get(Office, "1006").name == "ศูนย์ส่งเสริมการเรียนรู้ระดับเขตบางกะปิ"
        assert session.get(Office, "52").name == "สำนักงานส่งเสริมการเรียนรู้ประจำจังหวัดลำปาง"
        assert session.get(Office, "10").name == "สำนักงานส่งเสริมการเรียนรู้กรุงเทพมหานคร"


def test_csv_import_with_bom_and_bad_rows(db, tmp_path):
    with db.transaction() as session:
        seed_offices(session)
    csv_file = tmp_path / "offices.csv"
    csv_file.write_text(
        "\ufeffcode,phone,address,hours,map_url\n"
        "5208,054-291-000,ถนนพหลโยธิน อ.เถิน,จ-ศ 08:30-16:30,https://maps.example/thoen\n"
        "9999,000,,,\n"
        "52,054-000-111,,,not-a-url\n",
        encoding="utf-8",
    )
    with db.transaction() as session:
        report = import_csv(session, csv_file)
    assert report.updated == 2
    assert any("line 3" in p and "9999" in p for p in report.problems)
    assert any("line 4" in p and "map_url" in p for p in report.problems)
    with db.read() as session:
        thoen = session.get(Office, "5208")
        assert (thoen.phone, thoen.hours, thoen.map_url) == ("054-291-000", "จ-ศ 08:30-16:30", "https://maps.example/thoen")
    with db.transaction() as session:
        assert seed_offices(session) == 0
    with db.read() as session:
        assert session.get(Office, "5208").phone == "054-291-000"  # seeding never overwrites
