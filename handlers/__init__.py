"""LINE events → dialogue → replies; routing; staff actions in office groups.

`dispatch(services, event, deadline=...)` is the one entry point the web edge calls.
"""

from handlers.events import dispatch

__all__ = ["dispatch"]
