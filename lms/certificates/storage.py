"""The stored certificate PDFs: ``STORAGE_DIR/certificates/<year>/<serial>.pdf``.

Files are written before the issuing transaction commits (temporary file, fsync,
``os.replace``), so a committed certificate always has its file. A rolled-back issue
leaves a file whose serial the next issue takes again, overwriting it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app


def storage_root() -> Path:
    return Path(current_app.config["STORAGE_DIR"])


def pdf_path(certificate) -> Path:
    """Where the PDF of ``certificate`` is stored."""
    return storage_root() / certificate.storage_name


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def stored_pdf(certificate) -> bytes | None:
    """The stored PDF of ``certificate`` if it exists and its hash matches the record."""
    try:
        data = pdf_path(certificate).read_bytes()
    except FileNotFoundError:
        return None
    return data if sha256_hex(data) == certificate.pdf_sha256 else None
