"""The console's forms (Flask-WTF): every POST carries the session's CSRF token."""

from __future__ import annotations

from flask import abort
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from bot.console import labels


class SignInForm(FlaskForm):
    pass


class SignOutForm(FlaskForm):
    pass


class ActionForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    reason = SelectField(
        labels.FORM_CLOSE_REASON,
        choices=[SelectChoice("", labels.FORM_CLOSE_REASON_PROMPT)]
        + [SelectChoice(v, t) for v, t in labels.CLOSE_REASONS.items()],
        validators=[Optional()],
    )


class TransferForm(FlaskForm):
    office = StringField(
        labels.FORM_TRANSFER_OFFICE,
        validators=[
            DataRequired(labels.FORM_TRANSFER_OFFICE_MISSING),
            Regexp(r"^\s*(\d{2}|\d{4})\s*$", message=labels.FORM_TRANSFER_OFFICE_FORMAT),
        ],
    )
    reason = TextAreaField(
        labels.FORM_TRANSFER_REASON,
        validators=[
            DataRequired(labels.FORM_TRANSFER_REASON_MISSING),
            Length(max=300, message=labels.form_too_long(300)),
        ],
    )


class AnswerForm(FlaskForm):
    text = TextAreaField(
        labels.FORM_ANSWER,
        validators=[DataRequired(labels.FORM_ANSWER_MISSING), Length(max=1000, message=labels.form_too_long(1000))],
    )


def submitted(form: FlaskForm) -> bool:
    """Validate a POSTed form; a missing or wrong CSRF token is a 400, whatever else is wrong."""
    valid = form.validate_on_submit()
    if form.csrf_token.errors:
        abort(400)
    return bool(valid)
