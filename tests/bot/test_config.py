"""Configuration: one place reads the environment; clear errors; local mode only when asked."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from bot.config import (
    DEFAULT_LINE_API_BASE_URL,
    DEFAULT_LINE_DATA_API_BASE_URL,
    LOCAL_FAKE_PREFIX,
    LOCAL_MODE_SECRET,
    LOCAL_MODE_TOKEN,
    ConfigError,
    load,
)

REAL = {
    "LINE_CHANNEL_SECRET": "s",
    "LINE_CHANNEL_ACCESS_TOKEN": "t",
    "SECRET_KEY": "k" * 32,
    "PUBLIC_URL": "https://rianto.example.go.th",
}


def test_real_mode_needs_every_credential_and_names_the_missing_ones(tmp_path):
    with pytest.raises(ConfigError, match="LINE_CHANNEL_ACCESS_TOKEN") as error:
        load(environ={"LINE_CHANNEL_SECRET": "s", "SECRET_KEY": "k"}, instance_path=str(tmp_path))
    assert str(error.value).startswith("LINE_CHANNEL_ACCESS_TOKEN is not set")
    with pytest.raises(ConfigError, match="LINE_CHANNEL_SECRET"):
        load(environ={"LINE_CHANNEL_ACCESS_TOKEN": "t", "SECRET_KEY": "k"}, instance_path=str(tmp_path))
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load(environ={"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"}, instance_path=str(tmp_path))


@pytest.mark.parametrize("blank", ["", "   "])
def test_empty_credentials_never_start_local_mode(blank, tmp_path):
    environ = {"LINE_CHANNEL_SECRET": blank, "LINE_CHANNEL_ACCESS_TOKEN": blank, "SECRET_KEY": "k"}
    with pytest.raises(ConfigError, match="LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN") as error:
        load(environ=environ, instance_path=str(tmp_path))
    assert "LOCAL_MODE=1" in str(error.value)
    with pytest.raises(ConfigError):
        load(environ={}, instance_path=str(tmp_path))


def test_the_well_known_local_secret_is_refused_outside_local_mode(tmp_path):
    for environ in (
        {**REAL, "LINE_CHANNEL_SECRET": LOCAL_MODE_SECRET},
        {**REAL, "LINE_CHANNEL_ACCESS_TOKEN": LOCAL_MODE_TOKEN},
        {**REAL, "LINE_CHANNEL_SECRET": LOCAL_MODE_SECRET, "LOCAL_MODE": "0"},
    ):
        with pytest.raises(ConfigError, match="LOCAL_MODE=1"):
            load(environ=environ, instance_path=str(tmp_path))


def test_a_real_channel_needs_an_https_public_address(tmp_path):
    """The consent question links the privacy notice and staff get sign-in links: on a real
    channel they must never point at the loopback default."""
    credentials = {k: v for k, v in REAL.items() if k != "PUBLIC_URL"}
    with pytest.raises(ConfigError, match="PUBLIC_URL is not set") as error:
        load(environ=credentials, instance_path=str(tmp_path))
    assert "LOCAL_MODE=1" in str(error.value)
    for bad in ("http://rianto.example.go.th", "https://127.0.0.1:8000", "https://localhost", "rianto.go.th"):
        with pytest.raises(ConfigError, match="PUBLIC_URL must be an https"):
            load(environ={**credentials, "PUBLIC_URL": bad}, instance_path=str(tmp_path))
    with pytest.raises(ConfigError, match="PRIVACY_URL must be an https"):
        load(environ={**REAL, "PRIVACY_URL": "http://office.go.th/privacy"}, instance_path=str(tmp_path))
    # A privacy notice alone is not enough: sign-in links are under PUBLIC_URL too.
    with pytest.raises(ConfigError, match="PUBLIC_URL is not set"):
        load(environ={**credentials, "PRIVACY_URL": "https://office.go.th/privacy"}, instance_path=str(tmp_path))
    settings = load(environ=REAL, instance_path=str(tmp_path))
    assert settings.PRIVACY_URL == "https://rianto.example.go.th/privacy"


def test_a_fake_line_on_this_machine_or_tests_reach_no_one_and_need_no_public_address(tmp_path):
    credentials = {k: v for k, v in REAL.items() if k != "PUBLIC_URL"}
    for line in ("http://127.0.0.1:9999", "http://localhost:9999", "http://[::1]:9999"):
        settings = load(environ={**credentials, "LINE_API_BASE_URL": line}, instance_path=str(tmp_path))
        assert settings.PUBLIC_URL == "http://127.0.0.1:8000"
    assert load({"TESTING": True}, environ=credentials, instance_path=str(tmp_path)).PUBLIC_URL
    # Local mode (`make run`) keeps its loopback address.
    assert load(environ={"LOCAL_MODE": "1"}, instance_path=str(tmp_path)).PUBLIC_URL == "http://127.0.0.1:8000"
    # A proxy in front of the real LINE is a real channel.
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        load(environ={**credentials, "LINE_API_BASE_URL": "https://line-proxy.go.th"}, instance_path=str(tmp_path))


def test_real_mode_defaults(tmp_path):
    settings = load(environ=REAL, instance_path=str(tmp_path))
    assert not settings.LOCAL_MODE
    assert settings.LINE_API_BASE_URL == DEFAULT_LINE_API_BASE_URL
    assert settings.LINE_DATA_API_BASE_URL == DEFAULT_LINE_DATA_API_BASE_URL
    assert settings.REFERRAL_SLA_HOURS == 48
    assert settings.QUOTA_RETRY_MINUTES == 60
    assert settings.RETENTION_DAYS == 365
    assert settings.PRIVACY_URL == settings.PUBLIC_URL + "/privacy"
    assert settings.DATABASE_URL == f"sqlite:///{tmp_path / 'rianto.sqlite3'}"
    assert "k" * 32 not in repr(settings) and "'s'" not in repr(settings)


def test_new_keys_read_from_the_environment(tmp_path):
    settings = load(
        environ={
            **REAL,
            "QUOTA_RETRY_MINUTES": "0.05",
            "RETENTION_DAYS": "30",
            "PRIVACY_URL": "https://office.go.th/privacy",
            "PUBLIC_URL": "https://rianto.go.th/",
            "LINE_API_BASE_URL": "http://127.0.0.1:9999/",
        },
        instance_path=str(tmp_path),
    )
    assert settings.QUOTA_RETRY_MINUTES == pytest.approx(0.05)
    assert settings.RETENTION_DAYS == 30
    assert settings.PRIVACY_URL == "https://office.go.th/privacy"
    assert settings.PUBLIC_URL == "https://rianto.go.th"
    # Only the messaging host was moved: the data host follows it.
    assert settings.LINE_DATA_API_BASE_URL == "http://127.0.0.1:9999"
    both = load(
        environ={**REAL, "LINE_API_BASE_URL": "http://a", "LINE_DATA_API_BASE_URL": "http://b/"},
        instance_path=str(tmp_path),
    )
    assert (both.LINE_API_BASE_URL, both.LINE_DATA_API_BASE_URL) == ("http://a", "http://b")


def test_local_mode_is_explicit_and_points_at_the_builtin_fake(tmp_path):
    settings = load(environ={"LOCAL_MODE": "1", "PUBLIC_URL": "http://127.0.0.1:9000/"}, instance_path=str(tmp_path))
    assert settings.LOCAL_MODE
    assert settings.LINE_API_BASE_URL == "http://127.0.0.1:9000" + LOCAL_FAKE_PREFIX
    assert settings.LINE_DATA_API_BASE_URL == settings.LINE_API_BASE_URL
    assert settings.LINE_CHANNEL_SECRET == LOCAL_MODE_SECRET
    # A session key is made once and kept in the instance folder.
    assert len(settings.SECRET_KEY) >= 32
    again = load(environ={"LOCAL_MODE": "1"}, instance_path=str(tmp_path))
    assert again.SECRET_KEY == settings.SECRET_KEY


def test_overrides_win_over_the_environment(tmp_path):
    settings = load(
        {"REFERRAL_SLA_HOURS": "0.01", "ADMIN_GROUP_ID": "Cadmin"},
        environ={**REAL, "REFERRAL_SLA_HOURS": "48"},
        instance_path=str(tmp_path),
    )
    assert settings.REFERRAL_SLA_HOURS == pytest.approx(0.01)
    assert settings.ADMIN_GROUP_ID == "Cadmin"


@pytest.mark.parametrize("name", ["REFERRAL_SLA_HOURS", "QUOTA_RETRY_MINUTES", "RETENTION_DAYS"])
@pytest.mark.parametrize("value", ["soon", "-1", "0"])
def test_bad_numbers_name_the_setting(name, value, tmp_path):
    with pytest.raises(ConfigError, match=name):
        load(environ={**REAL, name: value}, instance_path=str(tmp_path))


def test_create_app_logs_local_mode(tmp_path, caplog):
    from bot import create_app

    with caplog.at_level(logging.WARNING, logger="bot"):
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "LOCAL_MODE": "1"})
    assert app.config["LOCAL_MODE"] is True
    assert any("LOCAL MODE" in record.getMessage() for record in caplog.records)


def test_empty_credentials_stop_the_app_and_open_no_simulator(tmp_path):
    from bot import create_app

    with pytest.raises(ConfigError, match="LINE_CHANNEL_SECRET"):
        create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                "LINE_CHANNEL_SECRET": "",
                "LINE_CHANNEL_ACCESS_TOKEN": "",
            }
        )


def test_flask_commands_refuse_to_start_without_credentials(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "LINE_CHANNEL_SECRET": "", "LINE_CHANNEL_ACCESS_TOKEN": "", "HOME": str(tmp_path)}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "bot", "init-db"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode != 0
    assert "LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_importing_the_packages_reads_no_environment_and_opens_nothing():
    code = (
        "import os, socket\n"
        "OURS = ('LINE_', 'DATABASE_URL', 'REFERRAL_', 'ADMIN_GROUP', 'PUBLIC_URL', 'FLOOD_', 'WORKER_',\n"
        "        'LOCAL_MODE', 'SECRET_KEY', 'PRIVACY_URL', 'QUOTA_', 'RETENTION_')\n"
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
