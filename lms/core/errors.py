"""Error pages in the user's language; a server error rolls back and is logged."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from lms.extensions import db


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Yêu cầu không hợp lệ"), _("Yêu cầu gửi lên không hợp lệ.")),
        403: (_("Không có quyền truy cập"), _("Bạn không có quyền xem trang này.")),
        404: (_("Không tìm thấy trang"), _("Trang bạn tìm không tồn tại hoặc đã được chuyển đi.")),
        405: (_("Thao tác không được phép"), _("Thao tác này không được phép trên trang này.")),
        413: (_("Tệp quá lớn"), _("Tệp tải lên vượt quá dung lượng cho phép.")),
        429: (_("Quá nhiều yêu cầu"), _("Bạn đã thử quá nhiều lần. Vui lòng đợi một lát rồi thử lại.")),
        500: (_("Lỗi hệ thống"), _("Đã có lỗi xảy ra. Lỗi đã được ghi lại; dữ liệu của bạn không bị thay đổi.")),
    }


def render_error(code: int, message: str | None = None):
    """Render the error page for ``code`` (JSON for API paths).

    :param code: HTTP status
    :param message: a more specific explanation than the default one
    """
    title, default_message = _titles().get(code, (_("Lỗi"), _("Đã có lỗi xảy ra.")))
    if request.path.startswith("/api/"):
        return {"error": {"status": code, "title": title, "message": message or default_message}}, code
    return render_template("errors/error.html", code=code, title=title, message=message or default_message), code


def register(app: Flask) -> None:
    """Install the error handlers on ``app``."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("Phiên biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
