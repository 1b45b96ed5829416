"""Configuration classes, read from the environment (see README, "Configuration")."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import orjson

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("LMS_INSTANCE_DIR", BASE_DIR / "instance"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def json_text(value) -> str:
    """``value`` as JSON text, as ``json.dumps(value, ensure_ascii=False)`` writes it but compact
    (non-string keys become strings there too)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def json_value(data):
    """The value of JSON text (``orjson.loads``). A number comes back as it is: SQLite gives a JSON
    column's number as a number (the column has numeric affinity)."""
    if isinstance(data, (int, float)):
        return data
    return orjson.loads(data)


def dev_secret_key() -> str:
    """Return the development secret, generated once and kept in ``instance/``."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Development defaults: SQLite file and secret kept under ``instance/``."""

    SECRET_KEY = os.environ.get("SECRET_KEY")  # else dev_secret_key() at start-up
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'lms.db'}"
    # JSON columns through orjson (an attempt's 30 frozen questions are read and written on every
    # save and submission: 2 to 7 times faster than the json module), Vietnamese kept as UTF-8.
    # The pool's pre-ping is decided by create_app from the database: on for a server, off for SQLite.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"json_serializer": json_text, "json_deserializer": json_value}
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("LMS_SQLITE_BUSY_TIMEOUT_MS", "30000"))
    STORAGE_DIR = os.environ.get("LMS_STORAGE_DIR") or str(INSTANCE_DIR / "storage")
    REDIS_URL = os.environ.get("REDIS_URL")

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = int(os.environ.get("LMS_MAX_UPLOAD_MB", "50")) * 1024 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("LMS_SECURE_COOKIES", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SESSION_IDLE_MINUTES = int(os.environ.get("LMS_SESSION_IDLE_MINUTES", "15"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("LMS_SESSION_ABSOLUTE_HOURS", "12"))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_ABSOLUTE_HOURS)
    # The cookie is re-sent when the session changes (the idle stamp, once a minute), not on
    # every response: most pages then neither re-sign nor re-send it.
    SESSION_REFRESH_EACH_REQUEST = False

    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_IP = os.environ.get("LMS_LOGIN_LIMIT_PER_IP", "50 per 15 minutes")
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LMS_LOGIN_LIMIT_PER_ACCOUNT", "10 per 15 minutes")
    LOGIN_MAX_FAILURES = int(os.environ.get("LMS_LOGIN_MAX_FAILURES", "5"))
    LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LMS_LOGIN_FAILURE_WINDOW_MINUTES", "15"))
    LOCKOUT_MINUTES = int(os.environ.get("LMS_LOCKOUT_MINUTES", "15"))
    REQUIRE_2FA_FOR_STAFF_ROLES = _env_bool("LMS_REQUIRE_2FA_FOR_STAFF_ROLES", False)
    AUDIT_RETENTION_MONTHS = int(os.environ.get("LMS_AUDIT_RETENTION_MONTHS", "12"))
    HSTS_SECONDS = 0  # off unless served over HTTPS (ProductionConfig)

    # Quizzes: answers are still accepted this long after an attempt's deadline (network delays).
    LMS_QUIZ_GRACE_SECONDS = int(os.environ.get("LMS_QUIZ_GRACE_SECONDS", "30"))

    PUBLIC_BASE_URL = os.environ.get("LMS_PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    MAIL_SERVER = os.environ.get("LMS_SMTP_HOST")
    MAIL_PORT = int(os.environ.get("LMS_SMTP_PORT", "25"))
    MAIL_SENDER = os.environ.get("LMS_MAIL_SENDER", "lms@thanhhoa.gov.vn")

    # Certificates (docs/certificates.md): what is printed, and the optional PAdES signing key.
    LMS_CERT_ISSUER = os.environ.get("LMS_CERT_ISSUER", "SỞ NỘI VỤ TỈNH THANH HÓA")
    LMS_CERT_ISSUER_PARENT = os.environ.get("LMS_CERT_ISSUER_PARENT", "UBND TỈNH THANH HÓA")
    LMS_CERT_SIGNER_TITLE = os.environ.get("LMS_CERT_SIGNER_TITLE", "GIÁM ĐỐC").replace("\\n", "\n")
    LMS_CERT_SIGNER_NAME = os.environ.get("LMS_CERT_SIGNER_NAME", "")
    LMS_CERT_SIGNATURE_IMAGE = os.environ.get("LMS_CERT_SIGNATURE_IMAGE")
    LMS_CERT_PLACE = os.environ.get("LMS_CERT_PLACE", "Thanh Hóa")
    LMS_CERT_P12 = os.environ.get("LMS_CERT_P12")
    LMS_CERT_P12_PASSWORD = os.environ.get("LMS_CERT_P12_PASSWORD", "")
    LMS_CERT_VERIFY_LIMIT = os.environ.get("LMS_CERT_VERIFY_LIMIT", "30 per minute")
    REMINDER_BATCH_SIZE = int(os.environ.get("LMS_REMINDER_BATCH_SIZE", "50"))
    REMINDER_BATCH_PAUSE_SECONDS = float(os.environ.get("LMS_REMINDER_BATCH_PAUSE_SECONDS", "2"))
    REMINDER_MIN_INTERVAL_HOURS = int(os.environ.get("LMS_REMINDER_MIN_INTERVAL_HOURS", "72"))


class TestConfig(Config):
    """Tests: database from ``LMS_TEST_DATABASE_URL`` (else a SQLite file the fixture makes)."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = os.environ.get("LMS_TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # fast hashes keep the suite quick


class ProductionConfig(Config):
    """Production: refuses to start without ``SECRET_KEY`` and ``DATABASE_URL``."""

    SESSION_COOKIE_SECURE = _env_bool("LMS_SECURE_COOKIES", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    HSTS_SECONDS = int(os.environ.get("LMS_HSTS_SECONDS", "31536000")) if SESSION_COOKIE_SECURE else 0

    def __init__(self) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(f"ProductionConfig needs the environment variables: {', '.join(missing)}")
        self.SECRET_KEY = os.environ["SECRET_KEY"]
        self.SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]


def config_from_env() -> type[Config] | Config:
    """Pick the configuration named by ``LMS_CONFIG`` (development by default)."""
    name = os.environ.get("LMS_CONFIG", "development").lower()
    if name == "production":
        return ProductionConfig()
    if name == "testing":
        return TestConfig
    return Config
