"""Storage check and repair: every certificate's file present and matching its hash.

A file can go missing after issue (a disk restored from an older backup than the
database). The renderer and the signature are deterministic for a record, so a missing
or altered file is rebuilt identical to the original; a rebuild whose hash differs
(the signing key or the signature image was changed since) is reported, not written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from lms.certificates.documents import produce_pdf
from lms.certificates.models import Certificate
from lms.certificates.storage import pdf_path, sha256_hex, stored_pdf, write_atomically
from lms.extensions import db


@dataclass
class StorageReport:
    checked: int = 0
    repaired: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)


def rebuild(certificate: Certificate) -> bool:
    """Write the PDF of ``certificate`` again if the rebuilt bytes match its hash.

    :return: whether the file was written
    """
    pdf = produce_pdf(certificate)
    if sha256_hex(pdf) != certificate.pdf_sha256:
        return False
    write_atomically(pdf_path(certificate), pdf)
    return True


def check_storage(repair: bool = False) -> StorageReport:
    """Check the stored PDF of every certificate; rebuild the bad ones when ``repair``.

    :param repair: rebuild missing or altered files (only written when identical)
    """
    report = StorageReport()
    stmt = select(Certificate).order_by(Certificate.id).execution_options(yield_per=200)
    for certificate in db.session.scalars(stmt):
        report.checked += 1
        if stored_pdf(certificate) is None:
            _handle_bad_file(certificate, repair, report)
        db.session.expunge(certificate)
    return report


def _handle_bad_file(certificate: Certificate, repair: bool, report: StorageReport) -> None:
    problem = "missing" if not pdf_path(certificate).exists() else "altered"
    if not repair:
        report.problems.append((certificate.serial, f"file {problem}"))
    elif rebuild(certificate):
        report.repaired += 1
    else:
        report.problems.append((certificate.serial, f"file {problem}; the rebuilt file differs (key or image changed)"))
