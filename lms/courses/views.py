"""The files of a course's ``media/`` folder, as lessons and questions link to them."""

from __future__ import annotations

import io

from flask import Blueprint, Response, abort, request, send_file
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.core.access import course_or_404
from lms.courses.models import CourseMedia
from lms.extensions import db

bp = Blueprint("courses", __name__)

# Opened on its own, a file (an SVG above all) must not run script or reach anything.
MEDIA_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; media-src 'self'; sandbox"
MEDIA_MAX_AGE = 86400


@bp.get("/courses/<code>/media/<filename>")
@login_required
def media(code: str, filename: str):
    """One media file of a course, cached by the browser for a day (its sha256 is the ETag)."""
    course = course_or_404(current_user, code)
    found = db.session.execute(
        select(CourseMedia.id, CourseMedia.sha256).where(CourseMedia.course_id == course.id, CourseMedia.filename == filename)
    ).first()
    if found is None:
        abort(404)
    if found.sha256 in request.if_none_match:  # answered without loading the file
        response = Response(status=304)
        response.set_etag(found.sha256)
        return _media_headers(response)
    item = db.session.get(CourseMedia, found.id)
    response = send_file(
        io.BytesIO(item.data),
        mimetype=item.content_type,
        download_name=item.filename,
        # Chromium will not show a PDF under a sandbox CSP: offer it as a download instead.
        as_attachment=item.content_type == "application/pdf",
        etag=item.sha256,
        conditional=True,
        max_age=MEDIA_MAX_AGE,
    )
    return _media_headers(response)


def _media_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = f"private, max-age={MEDIA_MAX_AGE}"
    return response
