"""The services of one process (app or worker), built once by `bot.create_app`.

The bundle and the interfaces in it are declared below the edge, in `handlers.ports`; `bot`
provides the implementations (`bot.line`, `bot.clock`, `bot.config`). The edge's own code sees
every setting (`bot.config.Settings`) and the process's one way to LINE (`line_api`: one SDK
`ApiClient`, under `line` and the rich menus alike); handlers see what they declare.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.line import LineApi
from handlers import ports


@dataclass
class Services(ports.Services):
    settings: Settings
    # The process's `ApiClient` (one pool, one configuration): `line` (when it is the real
    # client) and `bot.richmenu.RichMenuApi.of` make their calls on it.
    line_api: LineApi


__all__ = ["Services"]
