"""`understand`: classifier + entities + a few crisp rules, never raising."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import replace
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

from nlp import classifier, places
from nlp.entities import extract_entities
from nlp.normalize import normalize, safe_text
from nlp.understanding import Understanding

log = logging.getLogger(__name__)
_lock = threading.Lock()
_model: classifier.IntentModel | None = None
# Readings of short messages are kept: much of what people send is the same few strings
# (every quick-reply tap sends its label's text, and "สวัสดีครับ", "ใช่", "ขอบคุณค่ะ" …), and
# `understand` is a pure function of the text and the day. Long messages are rarely repeated.
CACHE_SIZE = 4096
CACHE_MAX_CHARS = 80
BANGKOK = ZoneInfo("Asia/Bangkok")

_YES_EMOJI = {"👍", "👌", "🙆", "✅", "👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿", "🆗"}
_NO_EMOJI = {"👎", "🙅", "❌", "🙅‍♀️", "🙅‍♂️"}
_THANKS_EMOJI = {"🙏", "🙏🏻", "🙏🏼", "🙏🏽", "💕", "🥰"}
_CANCEL = re.compile(r"^(?:ยกเลิก|เริ่มใหม่|เริ่มต้นใหม่|cancel|restart|reset)(?:ค่ะ|ครับ|นะ|ๆ|\s)*$")
# The northern/Isan "yes" (เจ้า, เจ้าค่ะ) on its own: a closed-class word, not left to the classifier.
_NORTHERN_YES = re.compile(r"^(?:เจ้า|จ้าว)(?:\s*(?:ค่ะ|ๆ|เจ้า))*$")
_DELETE = re.compile(r"ลบข้อมูล|ลบเบอร์|ถอนความยินยอม|ลบประวัติ|ลบทิ้ง|delete my data")
_HUMAN = re.compile(r"(?:ขอ|อยาก|ต้องการ)?(?:คุย|ติดต่อ|ปรึกษา|พูด)(?:กับ)?(?:เจ้าหน้าที่|คนจริง|แอดมินตัวจริง|ครู)(?!.*(?:เบอร์|อยู่ไหน|ที่ไหน))")
_QUESTION = re.compile(r"ไหม|หรือเปล่า|รึเปล่า|หรือยัง|อะไร|อย่างไร|ที่ไหน|เมื่อไหร่|เท่าไหร่|กี่|\?|ได้บ้าง|ใคร")
_ANSWER_WORDS = re.compile(r"^(?:ไม่มีเบอร์|ไม่มี|ข้าม|ไม่อยากบอก|ไม่ทราบ|ไม่รู้|ไม่แน่ใจ|ยังไม่แน่ใจ|ติดต่อทางไลน์|ทางไลน์|ใช้ไลน์|ไลน์)")


def _load() -> classifier.IntentModel:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                places.warm_up()
                _model = classifier.IntentModel.train()
    return _model


def warm_up() -> None:
    _load()
    understand("สวัสดีครับ อายุ 17 อยู่ต.ล้อมแรด อ.เถิน ลำปาง 52160")


def _emoji_intent(text: str) -> str | None:
    stripped = re.sub(r"[\s\ufe0f]", "", text)
    if not stripped or stripped.isalnum():
        return None
    for group, intent in ((_YES_EMOJI, "affirm"), (_NO_EMOJI, "deny"), (_THANKS_EMOJI, "thanks")):
        remaining = stripped
        for emoji in sorted(group, key=len, reverse=True):
            remaining = remaining.replace(emoji, "")
        if not remaining and remaining != stripped:
            return intent
    return None


def understand(text: str, today: date | None = None) -> Understanding:
    """Intent, confidence and entities of one message. Never raises."""
    try:
        if isinstance(text, str) and len(text) <= CACHE_MAX_CHARS:
            known = _understand_cached(text, today or _today())
            # Each caller gets its own entities dict (the values are plain str and int).
            return replace(known, entities=dict(known.entities))
        return _understand(text, today)
    except Exception:  # the contract: any string gets an answer
        log.exception("understand failed; answering out_of_scope")
        return Understanding("out_of_scope", 0.0, {}, text if isinstance(text, str) else "")


def forget_readings() -> None:
    """Drop the kept readings (for measuring the NLU itself)."""
    _understand_cached.cache_clear()


@lru_cache(maxsize=CACHE_SIZE)
def _understand_cached(text: str, today: date) -> Understanding:
    return _understand(text, today)


def _understand(text: str, today: date | None) -> Understanding:
    clean = safe_text(text)
    if not clean.strip():
        return Understanding("out_of_scope", 1.0, {}, clean)
    emoji = _emoji_intent(clean)
    if emoji:
        return Understanding(emoji, 0.99, {}, clean)
    normalised = normalize(clean)
    if re.fullmatch(r"[5๕]{3,}\+*|ฮ่า(?:ๆ|\s|ฮ่า)*|lol|55+\s*(?:ๆ)*", normalised):
        return Understanding("out_of_scope", 0.95, {}, clean)
    if not re.search(r"[ก-๛a-z0-9]", normalised):
        return Understanding("out_of_scope", 0.9, {}, clean)
    entities = extract_entities(normalised, today or _today())
    if _NORTHERN_YES.match(normalised):
        return Understanding("affirm", 0.9, entities, clean)
    if _DELETE.search(normalised):
        return Understanding("delete_data", 0.99, entities, clean)
    if _CANCEL.match(normalised):
        return Understanding("cancel", 0.99, entities, clean)
    ranked = _load().predict(normalised)
    (intent, p1), (_second, p2) = ranked[0], ranked[1]
    if _HUMAN.search(normalised) and intent not in ("ask_office",):
        return Understanding("human", max(p1, 0.9), entities, clean)
    if entities and intent in ("out_of_scope", "deny", "greet", "thanks", "affirm", "help") and not _QUESTION.search(normalised):
        # Details given (a correction "อายุผิด 16", or details after a hello) → inform.
        if intent != "deny" or len(entities) >= 1:
            return Understanding("inform", max(0.6, p1), entities, clean)
    if _ANSWER_WORDS.match(normalised) and intent in ("out_of_scope", "deny", "cancel"):
        return Understanding("inform", max(0.6, p1), entities, clean)
    if p1 < classifier.MIN_CONFIDENCE or p1 - p2 < classifier.MIN_MARGIN:
        if entities and not _QUESTION.search(normalised):
            return Understanding("inform", p1, entities, clean)
        return Understanding("out_of_scope", 1.0 - p1, entities, clean)
    return Understanding(intent, p1, entities, clean)


def _today() -> date:
    from datetime import datetime

    return datetime.now(BANGKOK).date()
