"""LINE events → dialogue → replies; routing; staff actions in office groups.

`dispatch(services, event, deadline=...)` is the one entry point the edge calls (the webhook, the
worker). It is
imported lazily, so `handlers.dialogue` (pure) can be used without the database layers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handlers.ports import Services


def dispatch(
    services: Services, event: object, *, deadline: float, behind_backlog: bool = False, bounded_waits: bool = False
) -> bool:
    """`handlers.events.dispatch`: False when the event could neither be handled nor filed for
    later within its deadline (only with `bounded_waits`, the webhook's events)."""
    from handlers.events import dispatch as _dispatch

    return _dispatch(services, event, deadline=deadline, behind_backlog=behind_backlog, bounded_waits=bounded_waits)


def warm_up() -> None:
    """Load now what the first events would otherwise load: the event handlers and the
    modules under them, the NLU, the knowledge base and the place-name tables. For a web
    worker before it takes requests (gunicorn.conf.py)."""
    import nlp
    from handlers import events, knowledge  # noqa: F401 - imported to be loaded
    from handlers.dialogue import slots

    nlp.warm_up()
    knowledge.load()
    slots.warm_up()


__all__ = ["dispatch", "warm_up"]
