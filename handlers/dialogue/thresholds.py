"""Every number the dialogue decides with, each with what it guards."""

from __future__ import annotations

from datetime import timedelta

from nlp import thaitime

# A conversation silent this long mid-intake is welcomed back (and continues where it was).
IDLE_RESTART = timedelta(hours=24)
# After the idle restart, collected values are kept this much longer, then dropped (the worker erases them too).
KEEP_VALUES = timedelta(days=7)
# A command the classifier alone suggests below this is not carried out ("มีเรื่องปรึกษา" is no call for staff).
MIN_COMMAND_CONFIDENCE = 0.45
# An FAQ intent below this is likelier a question the knowledge does not cover: no wrong answer is given.
MIN_FAQ_CONFIDENCE = 0.35
# A mumbled affirm ("อืม", 0.29) below this neither gives consent nor submits the summary.
MIN_CONFIRM_CONFIDENCE = 0.5
# Above this an FAQ or command intent keeps its message unless the NLU's own entities answer the question;
# the looser answer readers (a bare name, "ไม่มีอะไร") count only below it.
READER_OVER_INTENT = 0.6
# Unreadable answers to an optional question (reason, path, phone) before it is skipped.
MAX_OPTIONAL_MISSES = 2
# Unreadable answers to a required question before it is left to the office (or the location share offered).
MAX_REQUIRED_MISSES = 3
# Unreadable answers to the district question before the province alone is accepted.
MAX_DISTRICT_MISSES = 2
# Misses of a question the user may leave to the office after which a "ไม่รู้" leaves it (never asked in a loop).
MAX_REFUSED_MISSES = 2
# Misses of a question the user may leave to the office before "ข้าม" is offered with it.
OFFER_SKIP_AFTER_MISSES = 2
# An age (said, or from a birth year) outside these years is no learner's and fills nothing (DESIGN §3: 5–99);
# the reader's bounds, so that the reader and the dialogue agree.
MIN_AGE, MAX_AGE = thaitime.MIN_AGE, thaitime.MAX_AGE
# Districts of a postal code offered as taps (LINE shows 13 quick replies; one stays free for "ใช้ค่าเดิม").
MAX_DISTRICT_CHOICES = 12
# While a thread with the office is open, a command is carried out only above this (else the words go to staff).
THREAD_COMMAND_CONFIDENCE = 0.8
# An out-of-scope question below this may still be ours ("มีวิชาภาษาจีนไหม" 0.78) and is offered to staff;
# above it (lottery 0.84, welfare cards 0.89, TCAS 0.91) it is another service's.
STAFF_OFFER_MAX_OUT_OF_SCOPE = 0.8
# The longest question kept to be sent to staff (characters).
STAFF_QUESTION_MAX = 500
# LINE accepts at most this many messages in one reply or push: more go out as further pushes, in order
# (`handlers.events`, `handlers.conversation`), never cut.
MAX_REPLIES = 5
