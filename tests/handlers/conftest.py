"""A chat-like harness for the pure dialogue (`handlers.dialogue.step`): no database, no Flask.

    chat = Transcript()
    chat.user("อยากกลับไปเรียน", "enroll").expect(contains="ยินยอม", quick=["ยินยอม", "ไม่ยินยอม"])

Every turn checks the invariants of one reply batch (1–5 LINE text messages, labels ≤ 20
characters, ≤ 13 quick replies, a state that survives its JSON column, the input state unchanged).
The state is the typed `State` (`chat.state.stage`); a stored (JSON) one is read with `load_state`.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.config import Settings
from handlers.dialogue import Effect, State, collected, dump_state, load_state, step
from nlp.understanding import Understanding

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 22 Nov 2026 = BE 2569 in Bangkok
PRIVACY_URL = "https://office.test/privacy"  # what configuration would give
HANDLER_REPLIES = {
    "submit",
    "status",
    "human",
    "erase",
    "office_info",
    "open_thread",
    "ask_staff",
    "thread_message",
    "leave_thread",
    "reopen",
}


def u(intent: str, text: str = "", **entities: Any) -> Understanding:
    return Understanding(intent, 0.9, entities, text)


def labels(message: dict[str, Any]) -> list[str]:
    return [item["action"].get("label") for item in (message.get("quickReply") or {}).get("items", [])]


def check_batch(state_before: State, state: State, replies: list[dict[str, Any]], effects: list[Effect]) -> None:
    stored = json.loads(json.dumps(dump_state(state)))
    assert load_state(stored) == state, "the state does not survive its JSON column"
    assert 0 <= len(replies) <= 5
    if not replies:
        assert HANDLER_REPLIES & {e.type for e in effects}, "no reply and no effect that replies"
    for message in replies:
        assert message["type"] == "text" and 0 < len(message["text"]) <= 5000
        items = (message.get("quickReply") or {}).get("items", [])
        assert len(items) <= 13
        for item in items:
            action = item["action"]
            assert item["type"] == "action" and action["type"] in ("message", "location")
            assert 0 < len(action["label"]) <= 20
            if action["type"] == "message":
                assert 0 < len(action["text"]) <= 300
    for effect in effects:
        assert effect.type in ("consent", *HANDLER_REPLIES)


class Transcript:
    """One user's chat with the pure dialogue, turn by turn."""

    def __init__(self, state: State | None = None, now: datetime = NOW) -> None:
        self.state = state or State()
        self.now = now
        self.turns = 0
        self.replies: list[dict[str, Any]] = []
        self.effects: list[Effect] = []

    def user(
        self,
        text: str | Understanding,
        intent: str = "inform",
        after: timedelta = timedelta(seconds=30),
        **entities: Any,
    ) -> Transcript:
        understanding = text if isinstance(text, Understanding) else u(intent, text, **entities)
        self.now += after
        before = copy.deepcopy(self.state)
        state, replies, effects = step(self.state, understanding, self.now, privacy_url=PRIVACY_URL)
        assert self.state == before, "step changed its input state"
        check_batch(before, state, replies, effects)
        self.state, self.replies, self.effects = state, replies, effects
        self.turns += 1
        return self

    # --- what the bot said ---
    @property
    def text(self) -> str:
        return "\n".join(m["text"] for m in self.replies)

    @property
    def quick(self) -> list[str]:
        return labels(self.replies[-1]) if self.replies else []

    @property
    def effect_types(self) -> list[str]:
        return [e.type for e in self.effects]

    @property
    def slots(self) -> dict[str, Any]:
        return collected(self.state)

    def expect(
        self,
        contains: str | list[str] | None = None,
        quick: list[str] | None = None,
        lacks: str | None = None,
        effects: list[str] | None = None,
        stage: str | None = None,
        pending: str | None = None,
    ) -> Transcript:
        for part in [contains] if isinstance(contains, str) else contains or []:
            assert part in self.text, f"{part!r} not in reply:\n{self.text}"
        if lacks is not None:
            assert lacks not in self.text, f"{lacks!r} in reply:\n{self.text}"
        if quick is not None:
            assert [q for q in quick if q not in self.quick] == [], f"quick replies {self.quick} lack some of {quick}"
        if effects is not None:
            assert self.effect_types == effects
        if stage is not None:
            assert self.state.stage == stage, self.state
        if pending is not None:
            assert self.state.pending == pending, self.state
        return self


@pytest.fixture
def transcript() -> Transcript:
    return Transcript()


@pytest.fixture
def shipped_flood_settings(services):
    """The flood settings as shipped (the suite's app raises the burst for long transcripts)."""
    defaults = {f.name: f.default for f in dataclasses.fields(Settings)}
    services.settings = dataclasses.replace(
        services.settings, FLOOD_BURST=defaults["FLOOD_BURST"], FLOOD_RATE_PER_SECOND=defaults["FLOOD_RATE_PER_SECOND"]
    )
    return services.settings
