"""Hệ thống quản lý học tập (LMS) cho cán bộ, công chức tỉnh Thanh Hóa: the app factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from config import Config, config_from_env, dev_secret_key

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: type[Config] | Config | dict | None = None) -> Flask:
    """Build the application.

    :param config: a config class or object, or a mapping of overrides on top of the
        environment's configuration; ``None`` reads ``LMS_CONFIG`` from the environment
    """
    app = Flask(__name__)
    _load_config(app, config)
    _init_extensions(app)
    _register_blueprints(app)

    from lms.cli import register_cli
    from lms.core import errors, security, templating

    errors.register(app)
    security.register(app)
    templating.register(app)
    register_cli(app)
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))
    return app


def _load_config(app: Flask, config) -> None:
    if isinstance(config, dict):
        app.config.from_object(config_from_env())
        app.config.update(config)
    else:
        app.config.from_object(config or config_from_env())
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = dev_secret_key()
    # The pre-ping finds connections a database server dropped (a restart, an idle timeout); a
    # SQLite file has no server, and there the ping would cost every request a "SELECT 1".
    server = not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": server, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}


def _init_extensions(app: Flask) -> None:
    from lms.auth.session import init_login
    from lms.core.database import init_database
    from lms.core.i18n import init_babel
    from lms.extensions import csrf, db, limiter, migrate

    import lms.models  # noqa: F401  (every model registered before the mappers configure)

    db.init_app(app)
    # Batch mode lets Alembic alter SQLite tables; compare_type keeps both databases alike.
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    # Every limit of this app is a decorator on its view (``default_limits=[]``), and a decorated
    # view checks its own limits; the global before-request check only serves default and
    # application limits, so it would only cost every request a walk through the limit tables
    # (Flask-Limiter 4 has no setting for it). A default limit added one day needs it back.
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    init_login(app)
    init_babel(app)
    init_database(app)


def _register_blueprints(app: Flask) -> None:
    from lms.admin.views import bp as admin_bp
    from lms.api.openapi import bp as api_bp
    from lms.api.targets import bp as targets_api_bp
    from lms.auth.two_factor_views import bp as two_factor_bp
    from lms.auth.views import bp as auth_bp
    from lms.authoring.bank_views import bp as authoring_bank_bp
    from lms.authoring.views import bp as authoring_bp
    from lms.certificates.hr_views import bp as certificates_hr_bp
    from lms.certificates.views import bp as certificates_bp
    from lms.core.views import bp as core_bp
    from lms.courses.views import bp as courses_bp
    from lms.learning.views import bp as learning_bp
    from lms.org.reorg_views import bp as reorg_bp
    from lms.org.roster_views import bp as roster_bp
    from lms.org.views import bp as org_bp
    from lms.quizzes.views import bp as quizzes_bp
    from lms.reports.views import bp as reports_bp
    from lms.targets.views import bp as targets_bp

    for blueprint in (core_bp, auth_bp, two_factor_bp, org_bp, roster_bp, reorg_bp, admin_bp, courses_bp, learning_bp, quizzes_bp,
                      authoring_bp, authoring_bank_bp,
                      certificates_bp, certificates_hr_bp, targets_bp, reports_bp, targets_api_bp, api_bp):
        app.register_blueprint(blueprint)
