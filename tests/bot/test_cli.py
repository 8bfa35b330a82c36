"""Operator commands through Flask's CLI runner against a real database."""

from __future__ import annotations

import json

from tests.support.journeys import linked_group

EXPORT_KEYS = {
    "ref", "status", "close_reason", "office_code", "delivery_status", "delivered_to", "routing_reason", "name", "age", "grade",
    "grade_status", "next_level", "province_code", "district_code", "role", "reason", "path", "phone", "compulsory_age",
    "created_at", "accepted_at",
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
    for said in ["อยากกลับไปเรียน", "ยินยอม", "ผมเอง ชื่อต้น อายุ 17 ออกตอน ม.2 อยู่เถิน ลำปาง", "ไม่อยากบอก", "ยังไม่แน่ใจ", "ติดต่อทางไลน์", "ยืนยัน"]:
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
