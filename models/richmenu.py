"""Rich menus deployed to LINE (DESIGN §2): one row per menu of ours, with the id LINE gave it.

`flask --app bot richmenu deploy` writes these rows; the worker reads them to link a user to
the menu of their state. The digest is of the menu's definition and image, so a deploy of an
unchanged menu is a no-op and a changed one replaces the old menu on LINE.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.schema import Base, utcnow


class RichMenu(Base):
    __tablename__ = "rich_menus"

    # Our name for the menu: `no_case` or `case_open` (handlers.menus).
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    rich_menu_id: Mapped[str] = mapped_column(String(100))
    digest: Mapped[str] = mapped_column(String(64))
    deployed_at: Mapped[datetime] = mapped_column(default=utcnow)
