"""Security headers on every response, and the cookie flags and HSTS of the production config."""

import re
from pathlib import Path

import pytest

from config import ProductionConfig
from lms import create_app
from lms.extensions import limiter

TEMPLATES = Path(__file__).resolve().parents[2] / "lms" / "templates"


@pytest.fixture(params=["/login", "/khong-co-trang-nay", "/static/css/app.css", "/healthz"])
def response(request, client):
    return client.get(request.param)


def _directives(csp: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in csp.split(";"))


def test_csp_allows_no_inline_script_or_style_and_no_framing(response):
    csp = _directives(response.headers["Content-Security-Policy"])
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["img-src"] == "'self' data:"
    assert "unsafe" not in response.headers["Content-Security-Policy"]


def test_no_sniffing_no_framing_same_origin_referrer(response):
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_hsts_outside_production(response):
    assert "Strict-Transport-Security" not in response.headers


def test_templates_hold_no_inline_script_style_or_handlers():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    offenders = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html") if inline.search(p.read_text())]
    assert offenders == []


@pytest.fixture
def production_client(app, monkeypatch):
    """A client of the app built from ``ProductionConfig`` (on the test database)."""
    monkeypatch.setenv("SECRET_KEY", "production-test-secret")
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    production = create_app(ProductionConfig())
    production.test_client_class = app.test_client_class
    yield production.test_client()
    limiter.init_app(app)  # the limiter is one object: give the suite back its own storage


def test_production_sends_hsts(production_client):
    response = production_client.get("/login", base_url="https://lms.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_production_cookies_are_secure_httponly_and_samesite(production_client):
    response = production_client.get("/login", base_url="https://lms.example")
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    flags = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")[1:]}
    assert "secure" in flags and "httponly" in flags
    assert flags["samesite"].strip() == "SameSite=Lax"


def test_production_refuses_to_start_without_secret_and_database(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY, DATABASE_URL"):
        ProductionConfig()
