"""Configuration: one place reads the environment; clear errors; local mode."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from bot.config import DEFAULT_LINE_API_BASE_URL, LOCAL_FAKE_PREFIX, ConfigError, load


def test_real_mode_needs_both_credentials():
    with pytest.raises(ConfigError, match="LINE_CHANNEL_ACCESS_TOKEN"):
        load(environ={"LINE_CHANNEL_SECRET": "s"})
    with pytest.raises(ConfigError, match="LINE_CHANNEL_SECRET"):
        load(environ={"LINE_CHANNEL_ACCESS_TOKEN": "t"})


def test_real_mode_defaults(tmp_path):
    settings = load(environ={"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"}, instance_path=str(tmp_path))
    assert not settings.LOCAL_MODE
    assert settings.LINE_API_BASE_URL == DEFAULT_LINE_API_BASE_URL
    assert settings.REFERRAL_SLA_HOURS == 48
    assert settings.DATABASE_URL == f"sqlite:///{tmp_path / 'rianto.sqlite3'}"


def test_local_mode_without_credentials_points_at_the_builtin_fake(tmp_path):
    settings = load(environ={"PUBLIC_URL": "http://127.0.0.1:9000/"}, instance_path=str(tmp_path))
    assert settings.LOCAL_MODE
    assert settings.LINE_API_BASE_URL == "http://127.0.0.1:9000" + LOCAL_FAKE_PREFIX


def test_overrides_win_over_the_environment(tmp_path):
    settings = load(
        {"REFERRAL_SLA_HOURS": "0.01", "ADMIN_GROUP_ID": "Cadmin"},
        environ={"REFERRAL_SLA_HOURS": "48"},
        instance_path=str(tmp_path),
    )
    assert settings.REFERRAL_SLA_HOURS == pytest.approx(0.01)
    assert settings.ADMIN_GROUP_ID == "Cadmin"


@pytest.mark.parametrize("value", ["soon", "-1", "0"])
def test_bad_numbers_name_the_setting(value, tmp_path):
    with pytest.raises(ConfigError, match="REFERRAL_SLA_HOURS"):
        load(environ={"REFERRAL_SLA_HOURS": value}, instance_path=str(tmp_path))


def test_create_app_logs_local_mode(tmp_path, caplog):
    from bot import create_app

    with caplog.at_level(logging.WARNING, logger="bot"):
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "LINE_CHANNEL_SECRET": "", "LINE_CHANNEL_ACCESS_TOKEN": ""})
    assert app.config["LOCAL_MODE"] is True
    assert any("LOCAL MODE" in record.getMessage() for record in caplog.records)


def test_importing_the_packages_reads_no_environment_and_opens_nothing():
    code = (
        "import os, socket\n"
        "OURS = ('LINE_', 'DATABASE_URL', 'REFERRAL_', 'ADMIN_GROUP', 'PUBLIC_URL', 'FLOOD_', 'WORKER_')\n"
        "class Spy(dict):\n"
        "    def _check(self, k):\n"
        "        if str(k).startswith(OURS): raise SystemExit(f'read {k}')\n"
        "    def __getitem__(self, k): self._check(k); return dict.__getitem__(self, k)\n"
        "    def get(self, k, d=None): self._check(k); return dict.get(self, k, d)\n"
        "real_connect = socket.socket.connect\n"
        "def connect(*a): raise SystemExit('connected')\n"
        "socket.socket.connect = connect\n"
        "os.environ = Spy(os.environ)\n"
        "import bot, bot.webhook, bot.worker, bot.cli, handlers, models\n"
        "print('clean')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().endswith("clean"), result.stdout + result.stderr
