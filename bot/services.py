"""The services a handler needs, built once per app (and per worker process)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.line import LineClient
from models import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    line: LineClient
    clock: Clock
