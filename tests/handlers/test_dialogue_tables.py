"""The dialogue's rule tables: the generated diagram is the committed one, every stage answers
every message, each transition is declared in its rule, and the matched rule is recorded."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.dialogue import TABLES, State, run
from handlers.dialogue.diagram import document
from handlers.dialogue.machine import COMMANDS, FAQ, FIRST, QUESTIONS, SUBTABLES
from tests.handlers.conftest import NOW, Transcript, u
from tests.handlers.test_dialogue_properties import GAPS, UNDERSTANDINGS

DIAGRAM = Path(__file__).resolve().parents[2] / "handlers" / "dialogue.md"


def test_the_committed_diagram_is_generated_from_the_tables():
    assert DIAGRAM.read_text(encoding="utf-8") == document(), (
        "regenerate: python -m handlers.dialogue.diagram > handlers/dialogue.md"
    )


def test_every_table_starts_with_follow_ends_with_a_catch_all_and_holds_the_global_rules():
    for stage, rules in TABLES.items():
        assert rules[0] is FIRST[0], stage
        assert rules[-1].when(None) is True, stage  # type: ignore[arg-type]  # `_always` ignores the turn
        names = [rule.name for rule in rules]
        assert len(names) == len(set(names)), f"{stage}: a rule name twice"
        if stage in ("confirm_delete", "confirm_cancel"):
            continue
        for rule in (*QUESTIONS, *COMMANDS, *FAQ):
            assert rule in rules, f"{stage} lacks the global rule {rule.name}"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(UNDERSTANDINGS, GAPS), max_size=25))
def test_every_transition_is_declared_by_the_rule_that_made_it(turns):
    state, now = State(), NOW
    for understanding, gap in turns:
        now += timedelta(seconds=gap)
        turn = run(state, understanding, now)
        rule = turn.matched
        assert rule is not None and turn.state.rule is not None and turn.state.rule.startswith(rule.name)
        assert turn.state.stage in (turn.table, *rule.goes), (rule.name, turn.table, turn.state.stage)
        state = turn.state


def test_the_matched_rule_is_recorded_in_the_state():
    chat = Transcript()
    chat.user("อยากกลับไปเรียน", "enroll")
    assert chat.state.rule == "enroll"
    chat.user("ยินยอม", "affirm")
    assert chat.state.rule == "consent_tapped → consented"
    chat.user("ตัวเอง", role="self")
    chat.user(u("greet", "ต้อม"))  # a guessed hello that fills the pending name
    # The collecting decision follows the rule that read the answer (the sub-table `answer`).
    assert chat.state.rule == "answers_anyway → next" and chat.state.slots["name"] == "ต้อม"
    chat.user(u("ask_cost", "เรียนฟรีไหม"))
    assert chat.state.rule == "faq" and chat.state.pending == "age"


def test_the_sub_tables_end_with_a_catch_all_and_name_each_rule_once():
    for name, (_, rules) in SUBTABLES.items():
        assert rules[-1].when(None) is True, name  # type: ignore[arg-type]
        names = [rule.name for rule in rules]
        assert len(names) == len(set(names)), name
        assert all(rule.doc for rule in rules), f"{name}: every rule says why"


def test_why_the_role_was_assumed_is_in_the_record():
    chat = Transcript()
    chat.user("อยากกลับไปเรียน", "enroll")
    chat.user("ยินยอม", "affirm").expect(pending="role")
    chat.user("อืม", "out_of_scope")
    assert chat.state.rule == "answer → missed → not_understood" and chat.state.misses == {"role": 1}
    chat.user("หืม", "out_of_scope")
    chat.user("ไม่รู้สิ", "out_of_scope").expect(pending="name")
    assert chat.state.rule == "answer → missed → role_assumed" and chat.slots["role"] == "self"


def test_a_role_passed_over_while_other_answers_come_is_recorded_too():
    chat = Transcript()
    chat.user("อยากกลับไปเรียน", "enroll")
    chat.user("ยินยอม", "affirm")
    chat.user("อายุ 17", age=17).expect(pending="role")
    assert chat.state.rule == "answer → role_passed_over"
    chat.user("ม.3", grade="m3")
    chat.user("เถิน ลำปาง", province="52", district="5208").expect(pending="name")
    assert chat.state.rule == "answer → role_assumed_at_last" and chat.slots["role"] == "self"


def test_a_district_missed_twice_is_left_unknown_and_the_record_says_so():
    chat = Transcript()
    chat.user("อยากกลับไปเรียน", "enroll")
    chat.user("ยินยอม", "affirm")
    chat.user("ตัวเอง", role="self")
    chat.user("ต้อม")
    chat.user("17", age=17)
    chat.user("จบ ม.3", grade="m3", grade_status="completed")
    chat.user("ลำปาง", province="52").expect(pending="district")
    assert chat.state.rule == "answer → next"
    chat.user("อืม", "out_of_scope")
    chat.user("หืม", "out_of_scope").expect(pending="reason")
    assert chat.state.rule == "answer → missed → district_left_unknown" and chat.state.district_unknown
