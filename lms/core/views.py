"""Home page, language switch and health check."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import login_required
from sqlalchemy import text

from lms.extensions import db

bp = Blueprint("core", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` if it is a path on this site, else ``fallback`` (no open redirects)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.get("/")
@login_required
def home():
    """The learner's start page (the learning area replaces it with the dashboard)."""
    if "learning.dashboard" in current_app.view_functions:
        return redirect(url_for("learning.dashboard"))
    return render_template("core/home.html")


@bp.post("/lang/<code>")
def set_language(code: str):
    """Switch the interface language (Vietnamese or English)."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next"), url_for("core.home")))


@bp.get("/healthz")
def healthz():
    """Liveness and database check for load balancers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "unhealthy", never a 500 page
        current_app.logger.exception("health check failed")
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
