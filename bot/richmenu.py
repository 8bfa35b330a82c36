"""Rich menus on LINE (DESIGN §2): drawing, `flask --app bot richmenu deploy`, and the links.

`deploy(services)` makes LINE hold the menus of `handlers.menus` as they are now: for each menu
whose definition or image changed since the last deploy (or which LINE no longer has), it
validates and creates the menu, uploads its image to the data host
(`LINE_DATA_API_BASE_URL`), records the id LINE gave it (table `rich_menus`), links the users
whose state calls for it again, and deletes the menu it replaces. The `no_case` menu is the
channel's default. A deploy of unchanged menus makes no change.

`deliver_link(services, user_id, messages)` is what the worker does with an outbox row of kind
`richmenu`: link the user to the recorded menu (nothing to do before the first deploy).

The calls go through this module's `RichMenuApi`, on the process's one line-bot-sdk
`ApiClient` (`bot.line.LineApi`, shared with replies and pushes): a total deadline on every
call; errors are the `handlers.ports` exceptions.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select

from bot import line
from bot.services import Services
from handlers import lifecycle, menus
from handlers.ports import LineError, LineHTTPError
from models import Case, RichMenu

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 2500, 843  # LINE's "large half" size; images are exactly this size
FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")
FONTS = ("Garuda-Bold.ttf", "Loma-Bold.ttf", "Sawasdee-Bold.ttf")
SUBTITLE_FONTS = ("Garuda.ttf", "Loma.ttf", "Sawasdee.ttf")
# One colour per button, light text on a darker field.
COLOURS = {
    "enroll": ("#1DB446", "#E9F9EE"),
    "status": ("#1DB446", "#E9F9EE"),
    "ask_info": ("#2F80ED", "#EAF2FE"),
    "human": ("#F2994A", "#FFF4EA"),
}
MENU_NAMES = {menus.NO_CASE: "RianTo: no case yet", menus.CASE_OPEN: "RianTo: case open"}
BULK_LINK_MAX = 500


class FontMissing(Exception):
    """No Thai font from Debian's fonts-thai-tlwg is installed."""


# -- the menus -----------------------------------------------------------------------------------------


def definition(menu: str) -> dict[str, Any]:
    """The rich menu object of `menu` (Messaging API JSON): three equal areas, one per button."""
    buttons = menus.MENUS[menu]
    widths = [WIDTH // len(buttons)] * len(buttons)
    widths[-1] += WIDTH - sum(widths)
    areas, x = [], 0
    for button, width in zip(buttons, widths, strict=True):
        areas.append(
            {"bounds": {"x": x, "y": 0, "width": width, "height": HEIGHT}, "action": menus.postback_action(button)}
        )
        x += width
    return {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": True,
        "name": MENU_NAMES[menu],
        "chatBarText": menus.texts.RICH_MENU_CHAT_BAR,
        "areas": areas,
    }


def _font(names: tuple[str, ...], size: int) -> ImageFont.FreeTypeFont:
    for name in names:
        path = FONT_DIR / name
        if path.exists():
            return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)
    raise FontMissing(f"no Thai font in {FONT_DIR} (install Debian's fonts-thai-tlwg: scripts/ensure-debian-packages)")


def _icon(pen: ImageDraw.ImageDraw, intent: str, cx: int, cy: int, colour: str, font: ImageFont.FreeTypeFont) -> None:
    """A plain white pictogram on the button's disc, drawn (no emoji font needed)."""
    white = "#FFFFFF"
    if intent == "enroll":  # a graduation cap
        pen.polygon([(cx - 90, cy - 10), (cx, cy - 55), (cx + 90, cy - 10), (cx, cy + 35)], fill=white)
        pen.rectangle((cx - 50, cy + 5, cx + 50, cy + 55), fill=white)
        pen.line((cx + 70, cy - 5, cx + 70, cy + 60), fill=white, width=8)
    elif intent == "status":  # a clipboard with a tick
        pen.rounded_rectangle((cx - 60, cy - 75, cx + 60, cy + 75), radius=14, fill=white)
        pen.rectangle((cx - 30, cy - 90, cx + 30, cy - 60), fill=white)
        pen.line([(cx - 32, cy + 2), (cx - 8, cy + 28), (cx + 36, cy - 26)], fill=colour, width=14)
    elif intent == "human":  # a speech bubble
        pen.rounded_rectangle((cx - 90, cy - 65, cx + 90, cy + 45), radius=30, fill=white)
        pen.polygon([(cx - 40, cy + 40), (cx - 60, cy + 85), (cx + 5, cy + 40)], fill=white)
        for dx in (-45, 0, 45):
            pen.ellipse((cx + dx - 12, cy - 22, cx + dx + 12, cy + 2), fill=colour)
    else:  # a question mark
        pen.text((cx, cy), "?", font=font, fill=white, anchor="mm")


def _fitted(names: tuple[str, ...], text: str, size: int, width: int) -> ImageFont.FreeTypeFont:
    """The largest font up to `size` whose rendering of `text` fits `width` pixels."""
    font = _font(names, size)
    while size > 40 and font.getlength(text) > width:
        size -= 6
        font = _font(names, size)
    return font


def draw(menu: str) -> bytes:
    """The menu's image: PNG, WIDTH × HEIGHT, one panel per button with its words in Thai."""
    icon_font = _font(FONTS, 170)
    image = Image.new("RGB", (WIDTH, HEIGHT), "#FFFFFF")
    pen = ImageDraw.Draw(image)
    for area, button in zip(definition(menu)["areas"], menus.MENUS[menu], strict=True):
        x, width = area["bounds"]["x"], area["bounds"]["width"]
        strong, light = COLOURS.get(button.intent, ("#555555", "#F2F2F2"))
        pen.rectangle((x, 0, x + width - 1, HEIGHT - 1), fill=light)
        centre = x + width // 2
        pen.ellipse((centre - 140, 80, centre + 140, 360), fill=strong)
        _icon(pen, button.intent, centre, 220, strong, icon_font)
        title = _fitted(FONTS, button.label, 120, width - 120)
        subtitle = _fitted(SUBTITLE_FONTS, button.subtitle, 68, width - 120)
        pen.text((centre, 530), button.label, font=title, fill="#222222", anchor="mm")
        pen.text((centre, 690), button.subtitle, font=subtitle, fill="#555555", anchor="mm")
        if x:
            pen.line((x, 60, x, HEIGHT - 60), fill="#D0D0D0", width=6)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def digest(menu: str, image: bytes) -> str:
    body = json.dumps(definition(menu), ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(body + b"\0" + image).hexdigest()


# -- the API -------------------------------------------------------------------------------------------


class RichMenuApi:
    """The rich-menu calls of the Messaging API, on a process's `bot.line.LineApi` (the same
    `ApiClient`, pool and configuration as replies and pushes): dict bodies through
    `LineApi.request`, one total deadline per call (`timeout`), errors as the `handlers.ports`
    tree. The JSON calls go to the API host, the image to the data host (`LineApi`).

    `RichMenuApi.of(services)` is the process's; `RichMenuApi(base_url, data_base_url,
    access_token)` makes a `LineApi` of its own (tests, a one-off tool)."""

    def __init__(
        self,
        base_url: str = "",
        data_base_url: str = "",
        access_token: str = "",
        timeout: float = 10.0,
        *,
        api: line.LineApi | None = None,
    ) -> None:
        self._owned = api is None
        self.api = api if api is not None else line.LineApi(base_url, access_token, data_base_url=data_base_url)
        self.timeout = timeout

    @classmethod
    def of(cls, services: Services) -> RichMenuApi:
        """On the process's `LineApi` (`services.line_api`)."""
        return cls(api=services.line_api, timeout=max(services.settings.LINE_TIMEOUT_SECONDS, 10.0))

    def _call(
        self, method: str, path: str, *, body: Any = None, content_type: str | None = None, data_host: bool = False
    ) -> dict[str, Any]:
        """One request; LINE's JSON answer ({} when it is not a JSON object). `body` is a JSON
        document (sent with `content_type` None) or bytes of `content_type`."""
        answer = self.api.request(
            method, path, body=body, content_type=content_type, data_host=data_host, timeout=self.timeout
        )
        return answer if isinstance(answer, dict) else {}

    def validate(self, menu: dict[str, Any]) -> None:
        """LINE's check of a menu object before it is created (a refusal raises `LineRejected`)."""
        try:
            self._call("POST", "/v2/bot/richmenu/validate", body=menu)
        except LineHTTPError as exc:
            if exc.status != 404:
                raise
            log.info("rich menu validation not offered by this API host; creating directly")

    def create(self, menu: dict[str, Any]) -> str:
        return str(self._call("POST", "/v2/bot/richmenu", body=menu)["richMenuId"])

    def upload_image(self, rich_menu_id: str, png: bytes) -> None:
        path = f"/v2/bot/richmenu/{quote(rich_menu_id)}/content"
        self._call("POST", path, body=png, content_type="image/png", data_host=True)

    def exists(self, rich_menu_id: str) -> bool:
        try:
            self._call("GET", f"/v2/bot/richmenu/{quote(rich_menu_id)}")
        except LineHTTPError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def delete(self, rich_menu_id: str) -> None:
        self._call("DELETE", f"/v2/bot/richmenu/{quote(rich_menu_id)}")

    def set_default(self, rich_menu_id: str) -> None:
        self._call("POST", f"/v2/bot/user/all/richmenu/{quote(rich_menu_id)}")

    def default(self) -> str | None:
        try:
            return str(self._call("GET", "/v2/bot/user/all/richmenu")["richMenuId"])
        except LineHTTPError as exc:
            if exc.status == 404:
                return None
            raise

    def link(self, user_id: str, rich_menu_id: str) -> None:
        self._call("POST", f"/v2/bot/user/{quote(user_id)}/richmenu/{quote(rich_menu_id)}")

    def link_many(self, user_ids: list[str], rich_menu_id: str) -> None:
        for start in range(0, len(user_ids), BULK_LINK_MAX):
            body = {"richMenuId": rich_menu_id, "userIds": user_ids[start : start + BULK_LINK_MAX]}
            self._call("POST", "/v2/bot/richmenu/bulk/link", body=body)

    def close(self) -> None:
        """Closes the connections only of an API that made its own `LineApi`."""
        if self._owned:
            self.api.close()


# -- deploy --------------------------------------------------------------------------------------------


@dataclass
class DeployReport:
    created: dict[str, str] = field(default_factory=dict)  # menu → new rich menu id
    unchanged: dict[str, str] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)  # replaced rich menu ids
    relinked: int = 0
    default: str = ""


def _users_with_open_cases(services: Services) -> list[str]:
    with services.db.transaction(write=False) as tx:
        session = tx.session
        query = (
            select(Case.line_user_id)
            .where(Case.status.in_(lifecycle.OPEN_STATUSES), Case.line_user_id.is_not(None))
            .distinct()
        )
        return sorted(str(u) for u in session.scalars(query))


def deploy(services: Services, api: RichMenuApi | None = None, *, now: datetime | None = None) -> DeployReport:
    """Create or update the menus on LINE, record them, set the default (see the module doc).

    No database transaction is open during a call to LINE: the old records are read first,
    the calls made, and each new record written after its menu is complete."""
    api = api or RichMenuApi.of(services)
    report = DeployReport()
    with services.db.transaction(write=False) as tx:
        session = tx.session
        recorded = {row.name: (row.rich_menu_id, row.digest) for row in session.scalars(select(RichMenu))}
    for menu in menus.MENUS:
        image = draw(menu)
        wanted = digest(menu, image)
        old = recorded.get(menu)
        if old and old[1] == wanted and api.exists(old[0]):
            report.unchanged[menu] = old[0]
            continue
        body = definition(menu)
        api.validate(body)
        rich_menu_id = api.create(body)
        try:
            api.upload_image(rich_menu_id, image)
        except LineError:
            api.delete(rich_menu_id)  # a menu without an image can be linked to nobody
            raise
        with services.db.transaction() as tx:
            session = tx.session
            row = session.get(RichMenu, menu) or RichMenu(name=menu)
            row.rich_menu_id, row.digest, row.deployed_at = rich_menu_id, wanted, now or services.clock.now()
            session.add(row)
        report.created[menu] = rich_menu_id
        log.info("rich menu %s created: %s", menu, rich_menu_id)
    ids = {**report.unchanged, **report.created}
    if menus.DEFAULT in report.created or api.default() != ids[menus.DEFAULT]:
        api.set_default(ids[menus.DEFAULT])
    report.default = ids[menus.DEFAULT]
    # Users whose state calls for a replaced non-default menu are linked to the new one
    # before the old one goes (deleting a menu unlinks its users).
    if menus.CASE_OPEN in report.created:
        users = _users_with_open_cases(services)
        api.link_many(users, ids[menus.CASE_OPEN])
        report.relinked = len(users)
    for menu in report.created:
        old = recorded.get(menu)
        if old and old[0] != ids[menu]:
            try:
                api.delete(old[0])
                report.deleted.append(old[0])
            except LineHTTPError as exc:
                if exc.status != 404:
                    raise
    return report


# -- links (the worker) --------------------------------------------------------------------------------


def recorded_id(services: Services, menu: str) -> str | None:
    with services.db.transaction(write=False) as tx:
        session = tx.session
        return session.scalar(select(RichMenu.rich_menu_id).where(RichMenu.name == menu))


def deliver_link(services: Services, user_id: str, messages: list[dict[str, Any]]) -> None:
    """Link `user_id` to the menu an outbox row names. Raises `LineError` as a push does.

    Before the first `richmenu deploy` there is no menu to link: nothing to do. A link to the
    default menu links it too, so a user who had the other menu sees the default again."""
    menu = next((m.get("menu") for m in messages if isinstance(m, dict) and m.get("type") == menus.KIND), None)
    if menu not in menus.MENUS:
        log.warning("rich menu link with no known menu; skipped")
        return
    rich_menu_id = recorded_id(services, menu)
    if rich_menu_id is None:
        log.info("rich menu %s not deployed yet; link skipped", menu)
        return
    RichMenuApi.of(services).link(user_id, rich_menu_id)
