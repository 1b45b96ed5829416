"""Response headers: CSP without inline script, no sniffing, no framing, HSTS, no caching of private pages."""

from __future__ import annotations

from flask import Flask, Response
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


def _fixed_headers(config) -> tuple[tuple[str, str], ...]:
    """The headers every response of an app carries, built once: its config does not change."""
    headers = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
    ]
    if config.get("HSTS_SECONDS"):
        headers.append(("Strict-Transport-Security", f"max-age={config['HSTS_SECONDS']}; includeSubDomains"))
    return tuple(headers)


def register(app: Flask) -> None:
    # With their lower-case names, for the test against the view's own headers.
    fixed_headers = tuple((name.lower(), name, value) for name, value in _fixed_headers(app.config))

    def add_security_headers(response: Response) -> Response:
        """Set the security headers on every response, unless the view set its own; logged-in pages are never cached."""
        headers = response.headers
        present = {name.lower() for name in headers.keys()}  # one pass, not one per header
        for key, name, value in fixed_headers:
            if key not in present:
                headers.add(name, value)
        # is_anonymous reads no column: after a view's commit the user is expired, and asking
        # is_authenticated (its ``active``) would load it again. A user not loaded yet is loaded
        # in a read transaction, which must not queue for SQLite's write lock (BEGIN IMMEDIATE).
        with read_only_transactions():
            logged_in = not current_user.is_anonymous
        if logged_in and "cache-control" not in present:
            # A view may allow private caching of what never changes under its URL (course media).
            headers.add("Cache-Control", "no-store")
        return response

    app.after_request(add_security_headers)
