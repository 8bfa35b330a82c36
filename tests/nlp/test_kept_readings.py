"""Readings of short messages are kept (`nlp.reader`): the same answer, never a shared dict."""

from __future__ import annotations

from datetime import date

import nlp
from nlp import reader

TODAY = date(2026, 12, 1)


def test_a_repeated_message_reads_the_same_and_callers_cannot_spoil_it():
    reader.forget_readings()
    first = nlp.understand("อายุ 17 อยู่เถิน ลำปาง", today=TODAY)
    first.entities["age"] = 99  # a caller changing its copy
    again = nlp.understand("อายุ 17 อยู่เถิน ลำปาง", today=TODAY)
    assert again.entities["age"] == 17 and again.entities["district"] == "5208"
    assert reader._understand_cached.cache_info().hits >= 1


def test_the_day_is_part_of_the_reading():
    # An age from a birth year depends on today's date: a new day is a new reading.
    reader.forget_readings()
    this_year = nlp.understand("เกิดปี 2552", today=date(2026, 12, 1)).entities
    next_year = nlp.understand("เกิดปี 2552", today=date(2027, 12, 1)).entities
    assert this_year.get("birth_year_be") == next_year.get("birth_year_be") == 2552
    assert nlp.understand("เกิดปี 2552", today=date(2027, 12, 1)) == nlp.understand("เกิดปี 2552", today=date(2027, 12, 1))
    info = reader._understand_cached.cache_info()
    assert info.currsize == 2


def test_long_messages_are_not_kept():
    reader.forget_readings()
    long_text = "สวัสดีค่ะ " * 20
    assert len(long_text) > reader.CACHE_MAX_CHARS
    nlp.understand(long_text, today=TODAY)
    assert reader._understand_cached.cache_info().currsize == 0
