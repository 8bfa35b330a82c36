"""Abuse from LINE groups (issue 12 §9): parallel link-code guessing, and an unlinked group
probing case ids through postbacks. Through the real webhook, on both databases."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from models import LinkAttempt
from tests.support.journeys import QUICK_INTAKE, linked_group, postback_data, referral_cards
from tests.support.line_events import base_event, group_source, text_message, texts_of

STAFF = "Ustaff0000000000000000000000000009"


def test_forty_parallel_wrong_codes_let_at_most_five_through(database_url, line, services):
    group = "C" + "7" * 32

    def guess(i: int) -> int:
        event = base_event("message", group_source(group, STAFF), message=text_message(f"ลงทะเบียน GUESS{i:04d}"))
        event["replyToken"] = line.fake.issue_reply_token(group)
        return line.post([event]).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(guess, range(40)))
    assert statuses == [200] * 40
    answers = [texts_of(s.messages) for s in line.fake.sent(group) if s.kind == "reply"]
    assert len(answers) == 40
    looked_up = [a for a in answers if "ไม่ถูกต้อง" in a]
    assert 1 <= len(looked_up) <= 5, answers
    assert sum("หลายครั้งเกินไป" in a for a in answers) == 40 - len(looked_up)
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert session.scalar(select(func.count()).select_from(LinkAttempt).where(LinkAttempt.group_id == group)) <= 5


def test_an_unlinked_group_learns_nothing_from_case_ids(line, services):
    office = linked_group(line, "5208")
    chat = line.user()
    for said in QUICK_INTAKE:
        chat.say(said)
    line.run_worker()
    (card,) = referral_cards(office)
    real = postback_data(card, "รับเรื่อง")
    stranger = line.group()
    answers = {texts_of(stranger.tap(real)), texts_of(stranger.tap(real.replace("case=", "case=9")))}
    other = linked_group(line, "5001")
    answers.add(texts_of(other.tap(real)))
    assert len(answers) == 1, answers
    (answer,) = answers
    assert "RT-" not in answer and "ต้น" not in answer


def test_taps_answer_the_same_whatever_the_id(line):
    stranger = line.group()
    replies = {texts_of(stranger.tap(f"case={n}&action=accept")) for n in (1, 2, 999999)}
    assert len(replies) == 1
