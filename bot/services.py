"""The services of one process (app or worker), built once by `bot.create_app`.

The bundle and the interfaces in it are declared below the edge, in `handlers.ports`; `bot`
provides the implementations (`bot.line`, `bot.clock`, `bot.config`). The edge's own code sees
every setting (`bot.config.Settings`); handlers see the ones they declare.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from handlers import ports


@dataclass
class Services(ports.Services):
    settings: Settings


__all__ = ["Services"]
