"""Signed PDFs (SPEC §11): the key from a PKCS#12 file or a PKCS#11 token, checked once
before anything is drawn, and a PAdES signature (B-B, or B-T with a time-stamp authority)
put on every PDF a run writes, through pyHanko.

The password and the PIN are read from the environment by whichever process opens the key,
so that no secret travels to a worker, into a repr, a log or a traceback; every error here
is raised `from None`, without the library's exception (which could hold anything).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import io
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SigningError
from .formatting import Fmt
from .language import Language
from .messages import Msg, msg

if TYPE_CHECKING:
    from cryptography import x509
    from pyhanko.sign.signers import PdfSigner
    from pyhanko.sign.signers.pdf_cms import Signer as CmsSigner

PASSWORD = "SCORECARD_SIGN_PASSWORD"
PIN = "SCORECARD_SIGN_PIN"
FIELD = "Signature"
TSA_MARGIN = 1024  # bytes: a time-stamp authority's answer is not always the same size


@dataclass(frozen=True)
class SignSpec:
    """Where the key is and when the run signs — never the password or PIN.

    `at` is one moment for the whole run (`--signing-time`, else the run's start): the
    certificate is judged at it, it is printed in every footer and it is every signature's
    signing time, so a page and its signature agree.
    """

    at: dt.datetime  # with its UTC offset
    p12: str | None = None
    pkcs11: str | None = None  # the token's PKCS#11 library
    token: str | None = None
    key: str | None = None
    tsa: str | None = None


@dataclass(frozen=True)
class At:
    """A moment inside a message, put in the message's language when shown."""

    moment: dt.datetime

    def text(self, lang: Language) -> str:
        return Fmt(lang).moment(self.moment)


class Signer:
    """An open key and its checked certificate: signs PDF bytes, one revision each."""

    def __init__(self, spec: SignSpec, cms: CmsSigner, cert: x509.Certificate):
        from pyhanko.sign import fields, timestamps
        from pyhanko.sign.signers import PdfSignatureMetadata

        self.spec = spec
        self.name = common_name(cert)
        _remember_attributes(cms)
        self.stamper = timestamps.HTTPTimeStamper(spec.tsa) if spec.tsa else None
        meta = PdfSignatureMetadata(field_name=FIELD, md_algorithm="sha256",
                                    subfilter=fields.SigSeedSubFilter.PADES)
        self._pdf = _at_time(spec.at)(meta, cms, timestamper=self.stamper)
        self._reserve: int | None = None

    def sign(self, data: bytes) -> bytes:
        """The PDF with its signature appended as an incremental revision; the drawn page is
        untouched (the footer's stamp was drawn with it), so the field is invisible."""
        if self._reserve is None:  # sized once: pyHanko would otherwise sign twice a page
            self._reserve = _guarded(lambda: asyncio.run(self._estimate(data)))
        out = _guarded(lambda: self._pdf.sign_pdf(_revision(data, self.spec.at),
                                                  bytes_reserved=self._reserve))
        return bytes(out.getvalue())

    async def _estimate(self, data: bytes) -> int:
        session = self._pdf.init_signing_session(_revision(data, self.spec.at))
        size = await session.estimate_signature_container_size(None, tight=False)
        return int(size) + (TSA_MARGIN if self.spec.tsa else 0)


@functools.cache
def signer(spec: SignSpec) -> Signer:
    """Opened once per process: the command's check, then each worker's first page."""
    cms, cert = _from_token(spec) if spec.pkcs11 else _from_p12(spec)
    check(cert, spec.at)
    _probe(cms, cert)
    made = Signer(spec, cms, cert)
    if made.stamper is not None:
        _ask_tsa(made.stamper, spec.tsa or "")
    return made


def _ask_tsa(stamper: Any, url: str) -> None:
    """One time-stamp before any page: an unreachable or unwilling authority is named here,
    not as the first unit's failure."""
    from pyhanko.sign.timestamps import TimestampRequestError

    try:
        asyncio.run(stamper.async_dummy_response("sha256"))
    except (TimestampRequestError, OSError, ValueError) as e:
        why = str(e.__cause__ or e) or type(e).__name__
        raise SigningError(msg("sign_tsa_failed", url=url, why=why)) from None


def _probe(cms: CmsSigner, cert: x509.Certificate) -> None:
    """One signature before any page: a key that is not the certificate's, or a token that
    cannot do the mechanism, is refused here rather than after the first page is drawn."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    data = b"scorecard: does this key sign for this certificate?"
    signature = _guarded(lambda: asyncio.run(cms.async_sign_raw(data, "sha256")))
    public = cert.public_key()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            raise SigningError(msg("sign_key_type", name=common_name(cert)))
    except InvalidSignature:
        raise SigningError(msg("sign_key_mismatch", name=common_name(cert))) from None


def _guarded(step: Any) -> Any:
    """A step that signs: a token's or pyHanko's failure becomes one message (their words
    name a mechanism or a field, never the PIN)."""
    from pkcs11.exceptions import PKCS11Error
    from pyhanko.sign.general import SigningError as HankoError
    from pyhanko.sign.timestamps import TimestampRequestError

    try:
        return step()
    except (HankoError, PKCS11Error, TimestampRequestError) as e:
        text = str(e)
        why = f"{type(e).__name__}: {text}" if text else type(e).__name__
        raise SigningError(msg("sign_failed", why=why)) from None


def common_name(cert: x509.Certificate) -> str:
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[-1].value) if names else cert.subject.rfc4514_string()


def check(cert: x509.Certificate, at: dt.datetime) -> None:
    """A certificate that cannot sign at `at` is refused, naming why."""
    from cryptography import x509

    name = common_name(cert)
    if at < cert.not_valid_before_utc:
        raise SigningError(msg("sign_not_yet", name=name, since=At(cert.not_valid_before_utc),
                               at=At(at)))
    if at > cert.not_valid_after_utc:
        raise SigningError(msg("sign_expired", name=name, until=At(cert.not_valid_after_utc),
                               at=At(at)))
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return  # RFC 5280: no key usage extension, no restriction
    if not (usage.digital_signature or usage.content_commitment):
        raise SigningError(msg("sign_no_usage", name=name))


def _from_p12(spec: SignSpec) -> tuple[CmsSigner, x509.Certificate]:
    from cryptography.hazmat.primitives.serialization import pkcs12

    path = Path(spec.p12 or "")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SigningError(msg("sign_cannot_read", file=path, why=e.strerror or "")) from None
    password = os.environ.get(PASSWORD)
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(
            data, password.encode("utf-8") if password else None)
    except ValueError:  # cryptography says the same of a wrong password and a damaged file
        raise SigningError(_p12_problem(data, path, password)) from None
    if key is None or cert is None:
        raise SigningError(msg("sign_no_key_in_p12", file=path))
    return _LocalKey.of(key, cert, chain), cert


def _p12_problem(data: bytes, path: Path, password: str | None) -> Msg:
    from asn1crypto import pkcs12

    try:
        pkcs12.Pfx.load(data)["auth_safe"]["content_type"].native  # noqa: B018 (parses it)
    except (ValueError, TypeError, KeyError):
        return msg("sign_not_p12", file=path)
    return msg("sign_bad_password" if password else "sign_no_password", file=path, var=PASSWORD)


def _from_token(spec: SignSpec) -> tuple[CmsSigner, x509.Certificate]:
    from pkcs11 import exceptions

    pin = os.environ.get(PIN)
    if not pin:
        raise SigningError(msg("sign_no_pin", var=PIN))
    lib = spec.pkcs11 or ""
    if not Path(lib).is_file():
        raise SigningError(msg("sign_no_library", file=lib))
    try:
        return _open_key(lib, spec, pin)
    except exceptions.PKCS11Error as e:
        raise SigningError(_token_problem(e, spec)) from None


def _open_key(lib: str, spec: SignSpec, pin: str,
              tries: int = 12) -> tuple[CmsSigner, x509.Certificate]:
    """The token's key and certificate. Processes that start the library at the same moment
    (the workers of --jobs N, each logging in once) can fail to read the token's files:
    SoftHSM2 then says 'no such token', 'user PIN not initialised' or a general error
    (softhsm/SoftHSMv2#757). Such errors are tried again, for up to about two seconds; a wrong
    PIN never is (a token locks itself after a few), nor a label that matches several."""
    import random
    import time

    import pkcs11
    from cryptography import x509
    from pkcs11 import KeyType, ObjectClass, exceptions
    from pyhanko.sign.pkcs11 import PKCS11Signer

    for attempt in range(tries):
        try:
            module = pkcs11.lib(lib)
            if multiprocessing.parent_process() is not None or attempt:
                # a forked worker holds a copy of its parent's library state (sessions,
                # login): PKCS#11 asks a child to start the library afresh; so does a retry
                module.reinitialize()
            session = module.get_token(token_label=spec.token).open(user_pin=pin)
            key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=spec.key)
            # a token keeps a key's certificate under the key's ID (its label may differ);
            # every token does plain ECDSA over a digest, not all ECDSA-with-SHA-256 itself
            cms = PKCS11Signer(session, key_label=spec.key, cert_id=key.id or None,
                               use_raw_mechanism=key.key_type == KeyType.EC)
            return cms, x509.load_der_x509_certificate(cms.signing_cert.dump())
        except exceptions.PKCS11Error as e:
            if type(e).__name__ in _NOT_RETRIED or attempt == tries - 1:
                raise
            time.sleep(0.05 + 0.25 * random.random())  # apart from the other workers
    raise AssertionError("unreachable")


# the token's answer, not a moment's: a PIN tried again counts towards locking the token
_NOT_RETRIED = {"PinIncorrect", "PinInvalid", "PinLenRange", "PinLocked", "PinExpired",
                "MultipleTokensReturned", "MultipleObjectsReturned"}


_TOKEN_PROBLEMS = (("NoSuchToken", "sign_no_token"), ("MultipleTokensReturned",
                   "sign_many_tokens"), ("PinIncorrect", "sign_bad_pin"),
                   ("PinLenRange", "sign_bad_pin"), ("PinLocked", "sign_pin_locked"),
                   ("NoSuchKey", "sign_no_key"), ("MultipleObjectsReturned", "sign_many_keys"))


def _token_problem(e: Exception, spec: SignSpec) -> Msg:
    from pkcs11 import exceptions

    values = {"token": spec.token, "library": spec.pkcs11, "label": spec.key, "var": PIN}
    for name, key in _TOKEN_PROBLEMS:
        if isinstance(e, getattr(exceptions, name)):
            return msg(key, **values)
    # the library's loader ("not a PKCS#11 library") or pyHanko ("could not find the
    # certificate"): their words name a file or a label, never the PIN
    why = e.args[0] if e.args and isinstance(e.args[0], str) else type(e).__name__
    return msg("sign_token_failed", why=why, **values)


class _LocalKey:
    """pyHanko's SimpleSigner re-reads its key from DER on every signature (35 ms for RSA);
    this one keeps the key it was given."""

    @staticmethod
    def of(key: Any, cert: x509.Certificate, chain: list[x509.Certificate]) -> CmsSigner:
        from asn1crypto import keys
        from asn1crypto import x509 as asn1_x509
        from cryptography.hazmat.primitives import serialization as ser
        from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
        from pyhanko.sign.general import get_pyca_cryptography_hash
        from pyhanko.sign.signers import SimpleSigner
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        class Loaded(SimpleSigner):
            def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
                algo = get_pyca_cryptography_hash(digest_algorithm)
                if isinstance(key, rsa.RSAPrivateKey) and not self.prefer_pss:
                    return bytes(key.sign(data, padding.PKCS1v15(), algo))
                if isinstance(key, ec.EllipticCurvePrivateKey):
                    return bytes(key.sign(data, ec.ECDSA(algo)))
                return bytes(super().sign_raw(data, digest_algorithm))

        def asn1(c: x509.Certificate) -> asn1_x509.Certificate:
            return asn1_x509.Certificate.load(c.public_bytes(ser.Encoding.DER))

        store = SimpleCertificateStore()
        store.register_multiple([asn1(c) for c in chain])
        info = keys.PrivateKeyInfo.load(key.private_bytes(
            ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption()))
        return Loaded(signing_cert=asn1(cert), signing_key=info, cert_registry=store)


def _remember_attributes(cms: CmsSigner) -> None:
    """pyHanko builds a signature's signed attributes anew for every PDF, and asn1crypto
    writes them out field by field: 9 of a signature's 13 ms of CPU. Within a run only the
    message digest changes from one PDF to the next (certificate, signing time and settings
    are the run's), so they are built once and the digest alone is put in afterwards. A test
    signs the same page both ways with RSA and gets the same bytes."""
    from asn1crypto import cms as asn1

    build = cms.signed_attrs
    built: dict[str, bytes] = {}

    async def signed_attrs(data_digest: bytes, digest_algorithm: str, *args: Any,
                           **kwargs: Any) -> asn1.CMSAttributes:
        key = repr((digest_algorithm, args, sorted(kwargs.items())))
        if key not in built:
            attrs = await build(data_digest, digest_algorithm, *args, **kwargs)
            built[key] = attrs.dump()
            return attrs
        attrs = asn1.CMSAttributes.load(built[key])
        for attr in attrs:
            if attr["type"].native == "message_digest":
                attr["values"] = [data_digest]
        return attrs

    cms.signed_attrs = signed_attrs  # type: ignore[method-assign]


def _at_time(at: dt.datetime) -> type[PdfSigner]:
    """A PdfSigner whose signing time is the run's, not the clock's (pyHanko takes the
    clock in its signing session)."""
    from pyhanko.sign.signers import PdfSigner

    class AtTime(PdfSigner):
        def init_signing_session(self, *args: Any, **kwargs: Any) -> Any:
            session = super().init_signing_session(*args, **kwargs)
            session.system_time = at
            return session

    return AtTime


def _revision(data: bytes, at: dt.datetime) -> Any:
    """The writer of the signature's revision, with nothing from the clock or chance in it:
    its /ModDate is the signing time and its second file ID comes from the page and that
    time (pyHanko puts now and 16 random bytes), so an RSA signature repeats byte for byte."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class Revision(IncrementalPdfFileWriter):
        def _update_meta(self) -> None:
            super()._update_meta()
            if self._info is not None:
                self._info.get_object()["/ModDate"] = generic.pdf_date(at)

    writer = Revision(io.BytesIO(data))
    seed = hashlib.sha256(data + at.isoformat().encode()).digest()[:16]
    writer._document_id = generic.ArrayObject(
        [writer._document_id[0], generic.ByteStringObject(seed)])
    return writer
