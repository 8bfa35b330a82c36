"""The console's forms (Flask-WTF): every POST carries the session's CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from bot.console import labels


class SignInForm(FlaskForm):
    pass


class SignOutForm(FlaskForm):
    pass


ACTIONS = labels.ACTIONS


class ActionForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    reason = SelectField(
        "เหตุผลที่ปิดเรื่อง",
        choices=[SelectChoice("", "เลือกเหตุผล")] + [SelectChoice(v, t) for v, t in labels.CLOSE_REASONS.items()],
        validators=[Optional()],
    )


class TransferForm(FlaskForm):
    office = StringField(
        "ศูนย์ที่รับโอน (รหัสอำเภอ 4 หลัก หรือรหัสจังหวัด 2 หลัก)",
        validators=[
            DataRequired("กรุณาใส่รหัสศูนย์"),
            Regexp(r"^\s*(\d{2}|\d{4})\s*$", message="รหัสศูนย์เป็นตัวเลข 2 หรือ 4 หลักค่ะ"),
        ],
    )
    reason = TextAreaField(
        "เหตุผล", validators=[DataRequired("กรุณาใส่เหตุผล"), Length(max=300, message="ไม่เกิน 300 ตัวอักษรค่ะ")]
    )


class AnswerForm(FlaskForm):
    text = TextAreaField(
        "ข้อความถึงผู้สมัคร", validators=[DataRequired("กรุณาพิมพ์ข้อความ"), Length(max=1000, message="ไม่เกิน 1000 ตัวอักษรค่ะ")]
    )


def submitted(form: FlaskForm) -> bool:
    """Validate a POSTed form; a missing or wrong CSRF token is a 400, whatever else is wrong."""
    from flask import abort

    valid = form.validate_on_submit()
    if form.csrf_token.errors:
        abort(400)
    return bool(valid)
