"""Making cases for console tests through the bot's own `handlers.referrals.create_case`."""

from __future__ import annotations

import inspect
from typing import Any

from sqlalchemy.orm import Session

from handlers.referrals import create_case


def new_case(session: Session, slots: dict[str, Any], **kw: Any) -> Any:
    """`create_case` on the session's transaction (it takes a session, or on older revisions
    the session's connection)."""
    first = next(iter(inspect.signature(create_case).parameters))
    case, _ = create_case(session.connection() if first == "connection" else session, slots, **kw)
    return case
