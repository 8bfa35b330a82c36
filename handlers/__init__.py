"""LINE events → dialogue → replies; routing; staff actions in office groups.

`dispatch(services, event, deadline=...)` is the one entry point the web edge calls. It is
imported lazily, so `handlers.dialogue` (pure) can be used without the database layers.
"""

from __future__ import annotations

from typing import Any


def dispatch(services: Any, event: Any, *, deadline: float) -> None:
    from handlers.events import dispatch as _dispatch

    _dispatch(services, event, deadline=deadline)


__all__ = ["dispatch"]
