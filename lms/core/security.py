"""Response headers: CSP without inline script, no sniffing, no framing, HSTS, no caching of private pages."""

from __future__ import annotations

from flask import Flask, Response, current_app
from flask_login import current_user

from lms.core.database import read_only_transactions

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def add_security_headers(response: Response) -> Response:
    """Set the security headers on every response; logged-in pages are never cached."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("HSTS_SECONDS"):
        headers.setdefault("Strict-Transport-Security", f"max-age={current_app.config['HSTS_SECONDS']}; includeSubDomains")
    # is_anonymous reads no column: after a view's commit the user is expired, and asking
    # is_authenticated (its ``active``) would load it again. A user not loaded yet is loaded
    # in a read transaction, which must not queue for SQLite's write lock (BEGIN IMMEDIATE).
    with read_only_transactions():
        logged_in = not current_user.is_anonymous
    if logged_in:
        # A view may allow private caching of what never changes under its URL (course media).
        headers.setdefault("Cache-Control", "no-store")
    return response


def register(app: Flask) -> None:
    app.after_request(add_security_headers)
