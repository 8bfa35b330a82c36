"""Flood control (DESIGN §6, §7): it slows a flooding user and never loses a message; a person
tapping quick replies as fast as they appear is never slowed. Over the real webhook, the fake
LINE server and both databases, with the shipped flood settings."""

from __future__ import annotations

from sqlalchemy import select

from models import Case, InboundEvent, OutboxMessage
from tests.support.journeys import ONE_BY_ONE_INTAKE, linked_group
from tests.support.journeys import say_with_token as say
from tests.support.line_events import texts_of

INTAKE = ONE_BY_ONE_INTAKE


def test_answering_each_question_half_a_second_after_it_appears_is_never_slowed(
    line, services, clock, shipped_flood_settings
):
    linked_group(line, "5208")
    user = "U" + "a" * 32
    for said in INTAKE:
        clock.advance(seconds=0.5)
        reply = say(line, user, said)
        assert reply, f"no answer at once to {said!r}"
    assert "RT-" in texts_of(reply), "the final ยืนยัน is answered with the case's reference"
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert (
            session.scalars(
                select(OutboxMessage).where(OutboxMessage.to == user, OutboxMessage.kind == "reply_fallback")
            ).all()
            == []
        )
        assert len(session.scalars(select(Case)).all()) == 1


def test_a_flooding_user_is_slowed_loses_nothing_and_others_are_unaffected(
    line, services, clock, shipped_flood_settings
):
    thoen = linked_group(line, "5208")
    flooder, other = "U" + "f" * 32, "U" + "b" * 32
    messages = [*INTAKE[:-1], *["สวัสดีค่ะ"] * 188, INTAKE[-1]]
    assert len(messages) == 200
    answered_at_once = 0
    for n, said in enumerate(messages):
        clock.advance(seconds=0.01)  # 200 messages in two seconds
        answered_at_once += bool(say(line, flooder, said))
        if n == 100:
            assert say(line, other, "สวัสดีค่ะ"), "another user is answered at once in the middle of the flood"
    burst, rate = shipped_flood_settings.FLOOD_BURST, shipped_flood_settings.FLOOD_RATE_PER_SECOND
    assert answered_at_once <= burst + 2 * rate + 1, "the flood is slowed"

    with services.db.transaction(write=False) as tx:
        session = tx.session
        outcomes = session.scalars(select(InboundEvent.outcome).where(InboundEvent.source_id == flooder)).all()
        case = session.scalars(select(Case)).one()
        held = session.scalars(
            select(OutboxMessage).where(OutboxMessage.to == flooder, OutboxMessage.kind == "reply_fallback")
        ).all()
    # Every message was applied, in order: the answers at the start filled the intake, the
    # last one submitted it.
    assert outcomes == ["handled"] * 200
    assert (case.name, case.age, case.grade, case.district_code, case.reason, case.path, case.phone) == (
        "มายด์",
        18,
        "m3",
        "5208",
        "financial",
        "vocational",
        "0891234567",
    )
    # The answers not sent at once wait, merged, in one push, due when the bucket refills.
    assert len(held) == 1 and held[0].next_attempt_at > clock.now()
    clock.advance(seconds=5)
    line.run_worker()
    pushes = [s for s in line.fake.sent(flooder) if s.kind == "push"]
    assert len(pushes) == 1 and 1 <= len(pushes[0].messages) <= 5
    assert "RT-" in texts_of(pushes[0].messages), "the answer to the last message is in the merged push"
    assert len([m for m in thoen.pushes() if m.get("type") == "flex"]) == 1


def test_answers_held_during_a_flood_go_with_the_next_answer(line, services, clock, shipped_flood_settings):
    user = "U" + "c" * 32
    for _ in range(12):
        clock.advance(seconds=0.01)
        say(line, user, "สวัสดีค่ะ")
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert (
            len(
                session.scalars(
                    select(OutboxMessage).where(OutboxMessage.to == user, OutboxMessage.kind == "reply_fallback")
                ).all()
            )
            == 1
        )
    clock.advance(seconds=3)
    reply = say(line, user, "อยากสมัครเรียน")
    assert 2 <= len(reply) <= 5 and "ยินยอม" in texts_of(reply[-1:]), "held answers first, the new question last"
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert (
            session.scalars(
                select(OutboxMessage).where(OutboxMessage.to == user, OutboxMessage.kind == "reply_fallback")
            ).all()
            == []
        )
    line.run_worker()
    assert [s for s in line.fake.sent(user) if s.kind == "push"] == [], "nothing is sent twice"
