"""The PDF of a certificate record: rendered, then signed when a key is configured.

Everything printed comes from the record itself (copied at issue), and the signing time
is the issue time, so the same record always gives the same bytes: a lost file is
rebuilt identical to the one whose SHA-256 the record holds.
"""

from __future__ import annotations

from flask import current_app

from lms.certificates.codes import display
from lms.certificates.pdf import CertificateData, render_certificate
from lms.certificates.signing import sign_pdf


def certificate_data(certificate) -> CertificateData:
    """What the PDF of ``certificate`` prints."""
    return CertificateData(
        holder_name=certificate.holder_name,
        date_of_birth=certificate.holder_birth_date,
        unit_name=certificate.holder_unit_name,
        course_title=certificate.title,
        study_hours=certificate.study_hours,
        period_start=certificate.period_start,
        period_end=certificate.period_end,
        issue_date=certificate.issue_date,
        issuer_name=certificate.issuer_name,
        issuer_parent=certificate.issuer_parent,
        signer_title=certificate.signer_title,
        signer_name=certificate.signer_name,
        serial=certificate.serial,
        register_number=certificate.register_number,
        verify_url=certificate.verify_url,
        verify_code_display=display(certificate.verification_code),
        signature_image=current_app.config.get("LMS_CERT_SIGNATURE_IMAGE") or None,
        place=certificate.place,
        programme_courses=tuple(certificate.programme_courses or ()),
    )


def signing_configured() -> bool:
    return bool(current_app.config.get("LMS_CERT_P12"))


def produce_pdf(certificate) -> bytes:
    """The PDF bytes of ``certificate``: rendered, and signed if ``certificate.signed``."""
    pdf = render_certificate(certificate_data(certificate))
    if not certificate.signed:
        return pdf
    config = current_app.config
    return sign_pdf(pdf, config["LMS_CERT_P12"], config["LMS_CERT_P12_PASSWORD"],
                    location=certificate.place, signing_time=certificate.issued_at)
