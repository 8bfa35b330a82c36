"""A learned reader kept for the life of the process: loaded from its `.npz` file (or fitted, when
the file is stale) on first use, once, and shared by every thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ReadOnce(Generic[T]):
    """`load` called once, on the first `get`; None until then for the thread that is loading.

    No lock is held while loading: fitting a stale reader reads the labelled files through the other
    readers, which may be loading themselves, and a message read meanwhile by the loading thread gets
    None (the rules alone) instead of a deadlock or a second fit."""

    def __init__(self, load: Callable[[], T | None]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._kept: list[T | None] = []
        self._loading = threading.local()

    def get(self) -> T | None:
        if self._kept:
            return self._kept[0]
        if getattr(self._loading, "busy", False):
            return None
        self._loading.busy = True
        try:
            value = self._load()
        finally:
            self._loading.busy = False
        with self._lock:
            if not self._kept:
                self._kept.append(value)
        return self._kept[0]
