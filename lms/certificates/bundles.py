"""Bundles for printing: a ZIP of the stored PDFs, or one merged PDF, in name order.

Both stream: certificates are read from the database in batches and written out one at
a time, so memory does not grow with their number (a ZIP entry is the stored file, its
hash checked first; the merged PDF is rendered page by page into one reportlab canvas,
which keeps only each page's small content stream and shares the fonts). Callers run
them in a read-only transaction (:func:`lms.core.database.read_only_transactions`) so
that SQLite's write lock is not held while they work.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from lms.certificates.documents import certificate_data
from lms.certificates.models import Certificate
from lms.certificates.pdf import render_certificates
from lms.certificates.storage import replaced_atomically, stored_pdf
from lms.extensions import db

BATCH = 200
Progress = Callable[[int], None]


def _stream(stmt) -> Iterator[Certificate]:
    """The certificates of ``stmt``, loaded ``BATCH`` at a time and let go once used."""
    for certificate in db.session.execute(stmt.execution_options(yield_per=BATCH)).scalars():
        yield certificate
        db.session.expunge(certificate)


def entry_name(index: int, certificate: Certificate) -> str:
    """The ZIP entry of one certificate: its place in name order, the holder and the serial."""
    holder = certificate.holder_name.replace("/", "-")
    return f"{index:05d} {holder} {certificate.serial}.pdf"


def write_zip(stmt, out: Path, progress: Progress = lambda done: None) -> tuple[int, list[str]]:
    """Write the stored PDFs of ``stmt`` into the ZIP ``out``, one entry each.

    :param stmt: ``SELECT Certificate`` in the order wanted
    :param out: the ZIP file to write
    :param progress: called with the number done after each certificate
    :return: ``(certificates written, serials whose file is missing or altered)``
    """
    written, problems = 0, []
    with replaced_atomically(out) as part, zipfile.ZipFile(part, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in _stream(stmt):
            pdf = stored_pdf(certificate)
            if pdf is None:
                problems.append(certificate.serial)
            else:
                written += 1
                archive.writestr(entry_name(written, certificate), pdf)
            progress(written + len(problems))
    return written, problems


def write_merged(stmt, out: Path, progress: Progress = lambda done: None) -> int:
    """Render the certificates of ``stmt`` into one PDF ``out``, one page each, for printing.

    The pages are the certificates' layout without the digital signature (which
    belongs to each single file).

    :return: the number of pages
    """

    def pages():
        for done, certificate in enumerate(_stream(stmt), start=1):
            yield certificate_data(certificate)
            progress(done)

    with replaced_atomically(out) as part, open(part, "wb") as file:
        return render_certificates(pages(), file)
