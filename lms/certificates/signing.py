"""PAdES signing and verification of certificate PDFs with pyHanko.

Signatures are PAdES-B-B (``/ETSI.CAdES.detached``, SHA-256, no timestamp:
the servers have no network access to a TSA).  In production the PKCS#12
comes from the issuing body's CA; ``make_dev_signer`` makes a self-signed
stand-in for development and tests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import logging
import os
from functools import lru_cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

logger = logging.getLogger(__name__)

DEV_CERT_YEARS = 5
SIGNATURE_FIELD = "Signature1"
_P12_SUFFIXES = {".p12", ".pfx"}


@dataclasses.dataclass(frozen=True)
class SignatureCheck:
    """Outcome of :func:`verify_pdf`.

    ``intact``: the signed bytes are unchanged.  ``valid``: intact, the
    cryptographic signature checks out, the signer chains to the trust root
    and nothing was modified after signing.  ``signer``: the signing
    certificate's common name ("" when there is no readable signature).
    """

    intact: bool
    valid: bool
    signer: str


def make_dev_signer(
    path: str | Path, password: str, common_name: str = "LMS Thanh Hóa (demo)"
) -> None:
    """Write a self-signed RSA-2048 signing identity as a PKCS#12 file.

    The certificate is valid for five years, with the key usages that
    pyHanko's validator expects of document signers (digital signature and
    non-repudiation).  The file is created readable by its owner only.

    :param path: where to write the ``.p12`` file (overwritten).
    :param password: the PKCS#12 password.
    :param common_name: the certificate subject's CN, shown as the signer.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = _self_signed_certificate(key, common_name)
    data = pkcs12.serialize_key_and_certificates(
        name=common_name.encode(),
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def _self_signed_certificate(key: rsa.RSAPrivateKey, common_name: str) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Thanh Hóa"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    # Backdated a day so a signer made "now" is valid on a skewed clock.
    not_before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)
    public_key = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + dt.timedelta(days=365 * DEV_CERT_YEARS + 1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_signing_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )


def _signing_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,  # a.k.a. non-repudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def sign_pdf(
    pdf_bytes: bytes,
    p12_path: str | Path,
    password: str,
    reason: str = "Cấp giấy chứng nhận",
    location: str = "Thanh Hóa",
    signing_time: dt.datetime | None = None,
) -> bytes:
    """Sign a PDF with a PAdES-B-B signature in an invisible field.

    The signature is appended as an incremental update, so the original
    bytes (and their SHA-256) stay a prefix of the signed file.  With a
    ``signing_time`` the output is deterministic (RSA PKCS#1 v1.5 is, and
    the new document ID is derived from the input), so a lost file can be
    signed again into the very same bytes.

    :param pdf_bytes: the document to sign.
    :param p12_path: the signer's PKCS#12 file.
    :param password: its password.
    :param reason: the signature's stated reason (/Reason).
    :param location: where it was signed (/Location).
    :param signing_time: the signing time to record (default: now).
    :return: the signed PDF.
    """
    signer = _load_signer(str(p12_path), Path(p12_path).stat().st_mtime_ns, password)
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
    )
    signing_time = signing_time or dt.datetime.now(dt.timezone.utc)
    writer = _ReproducibleWriter(pdf_bytes, signing_time)
    pdf_signer = _FixedTimePdfSigner(metadata, signer=signer, signing_time=signing_time)
    return pdf_signer.sign_pdf(writer, bytes_reserved=signer.bytes_reserved).getvalue()


class _ReproducibleWriter(IncrementalPdfFileWriter):
    """pyHanko's incremental writer without its two sources of chance.

    It draws the second half of the new /ID at random (any value unlike the
    original's will do, so it is taken from the content here) and stamps
    /ModDate with the clock (the signing time here).
    """

    def __init__(self, pdf_bytes: bytes, modified: dt.datetime):
        super().__init__(io.BytesIO(pdf_bytes))
        second = generic.ByteStringObject(hashlib.sha256(pdf_bytes).digest()[:16])
        self._document_id = generic.ArrayObject([self._document_id[0], second])
        self._modified = modified

    def _update_meta(self):
        super()._update_meta()
        if self._info is not None:
            self._info.get_object()[generic.pdf_name("/ModDate")] = generic.pdf_date(self._modified)


class _FixedTimePdfSigner(signers.PdfSigner):
    """pyHanko's PDF signer with the signing time given instead of read off the clock."""

    def __init__(self, *args, signing_time: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        """Set up the session as pyHanko does, then fix its clock."""
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signing_time
        return session


class _ParsedKeySigner(signers.Signer):
    """pyHanko signer holding an already parsed private key.

    ``SimpleSigner`` re-parses its key for every raw signature; for RSA that
    includes a ~50 ms key consistency check, most of the signing time.
    """

    def __init__(self, loaded: signers.SimpleSigner):
        self._key = serialization.load_der_private_key(loaded.signing_key.dump(), None)
        super().__init__(signing_cert=loaded.signing_cert, cert_registry=loaded.cert_registry)
        # Sized once instead of by pyHanko's dry-run signature on every PDF
        # (40 % of the signing time): the CMS holds the certificates, one
        # raw signature and under 1 KiB of attributes.  A timestamp token
        # (PAdES-B-T) would need more; pyHanko then fails loudly, not
        # silently.  pyHanko counts hex digits of /Contents, two per byte.
        certificates = [loaded.signing_cert, *loaded.cert_registry]
        self.bytes_reserved = 2 * (sum(len(cert.dump()) for cert in certificates) + 4096)

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        """Sign with RSA PKCS#1 v1.5, the mechanism pyHanko announces for
        RSA keys; other key types are refused rather than signed wrongly."""
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism != "rsassa_pkcs1v15" or not isinstance(self._key, rsa.RSAPrivateKey):
            raise SigningError(f"unsupported signature mechanism: {mechanism}")
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        return self._key.sign(data, padding.PKCS1v15(), hash_algorithm)


@lru_cache(maxsize=4)
def _load_signer(path: str, mtime_ns: int, password: str) -> _ParsedKeySigner:
    # Decrypting a PKCS#12 runs a deliberately slow key derivation: do it
    # once per file version, not once per certificate.
    loaded = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode())
    if loaded is None:
        raise ValueError(f"cannot load signing key from {path}")
    return _ParsedKeySigner(loaded)


def load_trust_root(
    trust: str | Path | asn1_x509.Certificate, password: str | None = None
) -> asn1_x509.Certificate:
    """Load the certificate that verification treats as trusted.

    :param trust: an asn1crypto certificate, a PEM/DER certificate file, or
        a PKCS#12 file (``.p12``/``.pfx``) whose certificate is used.
    :param password: the PKCS#12 password, if ``trust`` is one.
    :return: an ``asn1crypto.x509.Certificate``.
    """
    if isinstance(trust, asn1_x509.Certificate):
        return trust
    if Path(trust).suffix.lower() not in _P12_SUFFIXES:
        return load_cert_from_pemder(str(trust))
    secret = password.encode() if password is not None else None
    _, certificate, _ = pkcs12.load_key_and_certificates(Path(trust).read_bytes(), secret)
    if certificate is None:
        raise ValueError(f"no certificate in {trust}")
    der = certificate.public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)


def verify_pdf(
    pdf_bytes: bytes,
    trust: str | Path | asn1_x509.Certificate,
    password: str | None = None,
) -> SignatureCheck:
    """Check the first (issuing) signature of a PDF against one trust root.

    A file that cannot be parsed, or has no signature, is reported as not
    intact rather than raising: to the verification page, a corrupted
    certificate is simply not an authentic one.

    :param pdf_bytes: the signed document.
    :param trust: see :func:`load_trust_root`.
    :param password: the PKCS#12 password, if ``trust`` is one.
    """
    context = ValidationContext(trust_roots=[load_trust_root(trust, password)])
    try:
        signatures = PdfFileReader(io.BytesIO(pdf_bytes)).embedded_signatures
        if not signatures:
            return SignatureCheck(intact=False, valid=False, signer="")
        status = validate_pdf_signature(signatures[0], context)
    except Exception:  # noqa: BLE001
        # Tampered bytes reach the parser anywhere: pyHanko then raises its
        # own errors but also decimal, zlib, key or index errors.  The trust
        # root was loaded above, so a configuration error still propagates.
        logger.info("PDF failed to parse or validate", exc_info=True)
        return SignatureCheck(intact=False, valid=False, signer="")
    return SignatureCheck(
        intact=status.intact,
        valid=status.bottom_line,
        signer=_common_name(status.signing_cert),
    )


def _common_name(certificate: asn1_x509.Certificate) -> str:
    return certificate.subject.native.get("common_name", certificate.subject.human_friendly)
