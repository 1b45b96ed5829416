"""The JSON API's OpenAPI description (``lms/api/openapi.yaml``), served as ``/api/v1/openapi.json``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

DOCUMENT = Path(__file__).with_name("openapi.yaml")


@cache
def openapi_document() -> dict:
    """The description as data (read once per process)."""
    return yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of the API, public: it holds no data."""
    return openapi_document()
