"""GET /privacy: the full notice the consent links to, carrying the consent's version."""

from __future__ import annotations

from handlers import texts


def test_the_privacy_notice_is_served_with_its_version_and_the_retention_settings(client, app):
    response = client.get("/privacy")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f"ฉบับ {texts.CONSENT_VERSION}" in page
    settings = app.extensions["rianto"].settings
    assert f"เก็บไว้ {settings.RETENTION_DAYS:g} วัน" in page and "ลบข้อมูลของฉัน" in page
    assert "example" not in page


def test_the_default_privacy_link_is_this_apps_page(app):
    settings = app.extensions["rianto"].settings
    assert settings.PRIVACY_URL == settings.PUBLIC_URL + "/privacy"
