"""Operator commands through Flask's CLI runner against a real database."""

from __future__ import annotations

import json
from datetime import datetime

from tests.support.journeys import SKIPPING_INTAKE, linked_group

EXPORT_KEYS = {
    "ref",
    "status",
    "close_reason",
    "office_code",
    "delivery_status",
    "delivered_to",
    "routing_reason",
    "name",
    "age",
    "grade",
    "grade_status",
    "next_level",
    "province_code",
    "district_code",
    "role",
    "reason",
    "path",
    "phone",
    "compulsory_age",
    "created_at",
    "accepted_at",
}


def test_init_db_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "0 offices added" in second.output


def test_link_code_is_the_last_line_and_works_once(app, line):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["offices", "link-code", "5208"])
    assert result.exit_code == 0
    code = result.output.strip().splitlines()[-1]
    assert len(code) == 8 and code.isalnum()
    group = line.group()
    assert "เรียบร้อย" in group.say(f"ลงทะเบียน {code}")[0]["text"]
    assert runner.invoke(args=["offices", "link-code", "0000"]).exit_code != 0


def test_cases_export_fields_and_nulls(app, line):
    linked_group(line, "5208")
    chat = line.user()
    for said in [*SKIPPING_INTAKE, "ยืนยัน"]:
        chat.say(said)
    line.run_worker()
    result = app.test_cli_runner().invoke(args=["cases", "export"])
    assert result.exit_code == 0
    (record,) = [json.loads(line_) for line_ in result.output.splitlines() if line_.startswith("{")]
    assert set(record) == EXPORT_KEYS
    assert record["phone"] is None and record["reason"] is None and record["accepted_at"] is None
    assert record["age"] == 17 and isinstance(record["compulsory_age"], bool)
    assert record["district_code"] == "5208" and record["province_code"] == "52"
    assert record["created_at"].endswith("+00:00")
    assert "" not in record.values()


def test_offices_import_command(app, tmp_path):
    csv_file = tmp_path / "o.csv"
    csv_file.write_text("code,phone\n5208,054-111-222\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["offices", "import", str(csv_file)])
    assert result.exit_code == 0 and "1 offices updated" in result.output


def test_link_code_tells_the_operator_what_to_type_and_until_when(app):
    result = app.test_cli_runner().invoke(args=["offices", "link-code", "5208"])
    lines = result.output.strip().splitlines()
    code = lines[-1]
    assert "ศูนย์ส่งเสริมการเรียนรู้ระดับอำเภอเถิน" in result.output and "valid until" in result.output
    assert f"ลงทะเบียน {code}" in result.output


def test_export_names_the_owning_office_when_delivery_fell_back(app, line):
    from tests.handlers.test_staff import register
    from tests.support.journeys import postback_data, referral_cards

    province = linked_group(line, "52")
    register(line)
    (card,) = referral_cards(province)
    province.tap(postback_data(card, "รับเรื่อง"))
    result = app.test_cli_runner().invoke(args=["cases", "export"])
    (record,) = [json.loads(row) for row in result.output.splitlines() if row.startswith("{")]
    assert (record["office_code"], record["delivered_to"], record["delivery_status"]) == ("5208", "52", "delivered")
    assert "5208" in record["routing_reason"] and "52" in record["routing_reason"]
    for moment in (record["created_at"], record["accepted_at"]):
        parsed = datetime.fromisoformat(moment)
        assert parsed.tzinfo is not None and parsed.utcoffset().total_seconds() == 0
    assert set(record) == EXPORT_KEYS and "" not in record.values()
    assert record["status"] == "accepted" and record["phone"] == "0812345678"


def test_pending_cases_are_listed_for_the_operator(app, line):
    from tests.handlers.test_staff import register

    runner = app.test_cli_runner()
    assert "No case is waiting" in runner.invoke(args=["cases", "pending"]).output
    register(line)
    output = runner.invoke(args=["cases", "pending"]).output
    assert "RT-" in output and "5208" in output and "1 cases waiting" in output
    assert "ต้น" not in output


def test_offices_import_reports_bad_rows_by_line_and_applies_the_rest(app, tmp_path):
    csv_file = tmp_path / "offices.csv"
    csv_file.write_text(
        "รหัส,โทรศัพท์,ที่อยู่,เวลาทำการ,แผนที่,line_id\n"
        '5208,054-291-000,"123 ม.4 ต.ล้อมแรด อ.เถิน",จ-ศ 08:30-16:30,https://maps.example/thoen,@thoen\n'
        "5201,054-222-333,99 ถ.บุญวาทย์, ต.สวนดอก,จ-ศ 08:30-16:30,,\n"
        "9999,000,,,,\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["offices", "import", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert "1 offices updated" in result.output and "2 rows skipped" in result.output
    assert "line 3" in result.output and "double quotes" in result.output
    assert "line 4" in result.output and "9999" in result.output
    assert "'line_id' ignored" in result.output


def test_offices_import_without_a_code_column_fails(app, tmp_path):
    csv_file = tmp_path / "offices.csv"
    csv_file.write_text("tel,address\n5208,x\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["offices", "import", str(csv_file)])
    assert result.exit_code != 0 and "'code' column" in result.output
