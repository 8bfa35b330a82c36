"""Text cleaned at the edge (DESIGN §7): what LINE hands us is made safe before anything else
sees it, so no character can jam a database (NUL on PostgreSQL), crash an encoder (a lone
surrogate cannot be written as UTF-8), or disguise a name (direction overrides).

Removed: C0/C1 control characters except tab and newline (a carriage return becomes a
newline), lone surrogates, the bidirectional embedding/override/isolate controls and marks,
the byte-order mark and the two noncharacters U+FFFE/U+FFFF. Joiners (U+200C/U+200D, used by
emoji and some scripts) stay.
"""

from __future__ import annotations

import re
from typing import Any

_REMOVED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # control characters (tab, newline kept; CR handled below)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # direction marks, embeddings, overrides, isolates
    "\ufeff\ufffe\uffff"  # byte-order mark, noncharacters
    "\ud800-\udfff]"  # surrogates: in a decoded string only lone ones can appear
)
# Deeper than this, a webhook body is not LINE's (its events nest a handful of levels).
MAX_DEPTH = 32


class Unsafe(ValueError):
    """A value that cannot be cleaned safely (nested too deep)."""


def clean_text(text: str) -> str:
    """`text` without the characters above."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _REMOVED.sub("", text)


def clean(value: Any, depth: int = 0) -> Any:
    """Every string in a JSON value (keys too) cleaned; raises `Unsafe` past `MAX_DEPTH`."""
    if isinstance(value, str):
        return clean_text(value)
    if depth >= MAX_DEPTH:
        raise Unsafe("nested too deep")
    if isinstance(value, dict):
        return {clean_text(k): clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v, depth + 1) for v in value]
    return value
