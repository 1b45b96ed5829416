"""The stored certificate PDFs: ``STORAGE_DIR/certificates/<year>/<serial>.pdf``.

Files are written before the issuing transaction commits (temporary file, fsync,
``os.replace``), so a committed certificate always has its file. A rolled-back issue
leaves a file whose serial the next issue takes again, overwriting it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app


def storage_root() -> Path:
    return Path(current_app.config["STORAGE_DIR"])


def pdf_path(certificate) -> Path:
    """Where the PDF of ``certificate`` is stored."""
    return storage_root() / certificate.storage_name


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def replaced_atomically(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write, renamed onto ``path`` when the block ends normally.

    Readers see the old file (or none) or the whole new one: an interrupted write (an error,
    a killed worker) is removed and never appears under ``path``'s name.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` durably (fsync) so that readers see the old file or the whole new one."""
    with replaced_atomically(path) as temporary, open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def stored_pdf(certificate) -> bytes | None:
    """The stored PDF of ``certificate`` if it exists and its hash matches the record."""
    try:
        data = pdf_path(certificate).read_bytes()
    except FileNotFoundError:
        return None
    return data if sha256_hex(data) == certificate.pdf_sha256 else None
