"""The system clock, behind the `handlers.ports.Clock` interface so tests can move time
(`tests.support.clock.FakeClock`)."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.ports import Clock

__all__ = ["Clock", "SystemClock"]


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
