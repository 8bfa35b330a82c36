"""handlers/dialogue.md, generated from the rule tables: `python -m handlers.dialogue.diagram > handlers/dialogue.md`
(tests/handlers/test_dialogue_tables.py checks the committed file equals this output)."""

from __future__ import annotations

from handlers.dialogue.machine import SUBTABLES, TABLES, Rule

HEADER = """# The dialogue (`handlers/dialogue/`)

Generated from the rule tables by `python -m handlers.dialogue.diagram > handlers/dialogue.md`; do not edit.

`step(state, understanding, now) -> Step(new_state, replies, effects)` is pure (`machine.py`):
it takes the typed `State` (`state.py`; its JSON form only at the storage edge, `load_state` and
`dump_state`) and returns a new one, never changing its input. Each stage has an ordered table of
rules (name, when it applies, what it does); the first rule whose condition holds takes the
message, and its name is kept in `State.rule`. Every table is built from the same groups, in
this order: `follow`; a person on the other end (a thread with the office takes the message;
a question offered to staff; reopening a closed case); the quick replies the stage offers (a
tapped button means what it says, whatever the classifier thought); the FAQ menu button; the
stage's early rules; the questions any stage answers (who the bot is, the data, a question no
answer covers); the commands (restart, cancel, help, human, status, delete_data); the FAQ;
small talk mid-intake; the stage's own rules, the last of which always applies. Before the
table: a day away mid-intake is welcomed back (`thresholds.IDLE_RESTART`), and unsure command,
FAQ or small-talk intents are read as plain messages (`thresholds`). Thai is read in `nlp`
(`Understanding.answer`).

Two steps outside the tables can change a route, and both are recorded in `State.rule` after
the rule names, so the tables and that record alone explain where a message went: the intent
rewritten before the table (`· weighed:cancel→inform`: a quick-reply text, or an unsure
guess), and the fallback reply after it when no rule answered (`· fallback:reask` after a
welcome back, `· fallback:not_understood`).

A collecting answer is first read (the values into the slots); what it leads to is then the
first match of the sub-table `answer`, and for a message that took nothing, of `missed` (below,
after the stages' tables). Their rule names follow the stage rule's in `State.rule`:
`answer → missed → role_assumed` says the question for whom was missed once too often.
"""


def _edges() -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = {}
    for stage, rules in TABLES.items():
        for rule in rules:
            for target in rule.goes:
                if target != stage:
                    names = edges.setdefault((stage, target), [])
                    if rule.name not in names:
                        names.append(rule.name)
    return edges


def mermaid() -> str:
    lines = ["```mermaid", "stateDiagram-v2", "    [*] --> start"]
    for (source, target), names in sorted(_edges().items()):
        lines.append(f"    {source} --> {target}: {' · '.join(names)}")
    lines.append("```")
    return "\n".join(lines)


def _rule_line(number: int, rule: Rule, stage: str) -> str:
    goes = [target for target in rule.goes if target != stage]
    line = f"{number}. `{rule.name}`" + (f" → {', '.join(goes)}" if goes else "")
    return line + (f": {rule.doc}" if rule.doc else "")


def document() -> str:
    parts = [HEADER, mermaid(), "", "## The tables, in order (first match wins)", ""]
    for stage, rules in TABLES.items():
        parts.append(f"### {stage}")
        parts.append("")
        parts.extend(_rule_line(number, rule, stage) for number, rule in enumerate(rules, 1))
        parts.append("")
    parts.extend(["## Sub-tables (first match wins)", ""])
    for name, (reached, rules) in SUBTABLES.items():
        parts.extend([f"### {name}", "", f"Reached from {reached}.", ""])
        parts.extend(_rule_line(number, rule, "collecting") for number, rule in enumerate(rules, 1))
        parts.append("")
    return "\n".join(parts)


if __name__ == "__main__":
    print(document(), end="")
