"""Roster files kept between the preview and the confirmation of an import.

The file is checked by its content, not its name: an XLSX is a ZIP holding
``[Content_Types].xml``; a CSV is text (no NUL byte). It is stored under
``STORAGE_DIR/roster-uploads`` with a random token, next to a small JSON note naming
the user who uploaded it; only that user can use the token. Files older than a day
are removed at the next upload.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


class BadUpload(ValueError):
    """The upload is not a roster file; the message says why, in Vietnamese."""


@dataclass
class Upload:
    """A stored upload and what the preview was asked for."""

    token: str
    user_id: int
    filename: str
    unit_id: int
    deactivate_missing: bool

    @property
    def path(self) -> Path:
        return _folder() / f"{self.token}.bin"


def _folder() -> Path:
    folder = Path(current_app.config["STORAGE_DIR"]) / "roster-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_content(stream: BinaryIO, filename: str) -> None:
    """Refuse a file whose content does not match an XLSX or CSV name.

    :param stream: the uploaded file, rewound afterwards
    :param filename: the name the browser sent
    :raises BadUpload: with the reason
    """
    suffix = os.path.splitext(filename.lower())[1]
    if suffix in XLSX_SUFFIXES:
        ok = zipfile.is_zipfile(stream) and "[Content_Types].xml" in zipfile.ZipFile(stream).namelist()
    elif suffix in CSV_SUFFIXES:
        ok = b"\0" not in stream.read(64 * 1024)
    else:
        raise BadUpload("Chỉ nhận tệp .xlsx hoặc .csv.")
    stream.seek(0)
    if not ok:
        raise BadUpload("Nội dung tệp không phải bảng tính XLSX hoặc CSV như tên tệp.")


def save_upload(stream: BinaryIO, filename: str, *, user_id: int, unit_id: int, deactivate_missing: bool) -> Upload:
    """Check and store an uploaded roster; returns its :class:`Upload` (token included).

    :param stream: the uploaded file
    :param filename: the name the browser sent (kept for the reader and the audit log)
    :param user_id: who uploaded it; the only one who may use the token
    :param unit_id: the unit the import is for
    :param deactivate_missing: whether the import deactivates people missing from the file
    """
    check_content(stream, filename)
    _remove_stale()
    upload = Upload(secrets.token_urlsafe(24), user_id, os.path.basename(filename), unit_id, deactivate_missing)
    with upload.path.open("wb") as handle:
        while chunk := stream.read(1 << 20):
            handle.write(chunk)
    _note(upload.token).write_text(json.dumps(asdict(upload)), encoding="utf-8")
    return upload


def load_upload(token: str, user_id: int) -> Upload | None:
    """The stored upload for ``token`` if ``user_id`` made it, else ``None``."""
    if not _TOKEN.fullmatch(token) or not _note(token).exists():
        return None
    upload = Upload(**json.loads(_note(token).read_text(encoding="utf-8")))
    return upload if upload.user_id == user_id and upload.path.exists() else None


def discard_upload(upload: Upload) -> None:
    """Delete the stored file and its note."""
    upload.path.unlink(missing_ok=True)
    _note(upload.token).unlink(missing_ok=True)


def _note(token: str) -> Path:
    return _folder() / f"{token}.json"


def _remove_stale() -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for path in _folder().iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
