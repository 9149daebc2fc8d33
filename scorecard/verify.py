"""scorecard verify: what a recipient needs to know of a signed PDF (SPEC §11) — who signed
it, when, whether a byte changed since, and whether the signer's certificate leads to a root
the recipient trusts. pyHanko does the checking; this says it in the clerk's words."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ScorecardError
from .messages import Msg, msg
from .signing import At

if TYPE_CHECKING:
    from asn1crypto import x509


@dataclass(frozen=True)
class Verdict:
    """One signature of a file (or the file itself when unsigned or unreadable): its parts
    are said in one line; `ok` when intact, covering the whole file, and trusted."""

    parts: tuple[Msg, ...]
    ok: bool


def load_roots(files: Sequence[str]) -> list[x509.Certificate]:
    """The roots to trust (`--trust`, PEM or DER, several to a PEM file)."""
    from pyhanko.keys import load_certs_from_pemder

    roots = []
    for f in files:
        try:
            roots += list(load_certs_from_pemder([f]))
        except (ValueError, TypeError, OSError):
            raise ScorecardError(msg("verify_bad_trust", file=f)) from None
        if not roots:
            raise ScorecardError(msg("verify_bad_trust", file=f))
    return roots


def verify_file(path: Path, roots: Sequence[x509.Certificate] | None) -> list[Verdict]:
    """Every signature of one PDF; `roots` None trusts the system's root certificates."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)
        signatures = reader.embedded_signatures
    except (OSError, PdfReadError, ValueError, KeyError, TypeError) as e:
        return [Verdict((msg("verify_unreadable", file=path.name, why=_why(e)),), False)]
    if not signatures:
        return [Verdict((msg("verify_unsigned", file=path.name),), False)]
    context = ValidationContext(trust_roots=list(roots) if roots is not None else None,
                                allow_fetching=False)
    return [_verdict(path, s, context) for s in signatures]


def _verdict(path: Path, embedded: Any, context: Any) -> Verdict:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        status = validate_pdf_signature(embedded, context)
    except Exception as e:  # a damaged signature: pyHanko's errors have no common base
        name = _name(embedded.signer_cert) if embedded.signer_cert else "?"
        return Verdict((msg("verify_signed", file=path.name, name=name, at="?"),
                        msg("verify_altered"), msg("verify_cert_invalid", why=_why(e))), False)
    intact = status.intact and status.valid and (
        status.coverage == SignatureCoverageLevel.ENTIRE_FILE)
    at = status.signer_reported_dt
    parts = [msg("verify_signed", file=path.name, name=_name(status.signing_cert),
                 at=At(at) if at else "?")]
    stamp = status.timestamp_validity
    if stamp is not None:
        parts.append(msg("verify_timestamp", tsa=_name(stamp.signing_cert),
                         at=At(stamp.timestamp)))
    parts.append(msg("verify_intact" if intact else "verify_altered"))
    # the certificate's standing, apart from the file's (pyHanko's `trusted` needs both)
    chain = status.validation_path
    trusted = status.trust_problem_indic is None and chain is not None
    if chain is not None and trusted:
        parts.append(msg("verify_trusted", root=_name(chain[0])))
    else:
        parts.append(msg("verify_untrusted", why=_untrusted(status)))
    return Verdict(tuple(parts), intact and trusted)


def _untrusted(status: Any) -> Msg:
    if status.revoked:
        return msg("verify_revoked")
    indic = status.trust_problem_indic
    if indic is None or indic.name in ("NO_CERTIFICATE_CHAIN_FOUND", "CHAIN_CONSTRAINTS_FAILURE"):
        return msg("verify_no_root")
    return msg("verify_cert_invalid", why=indic.name)


def _name(cert: x509.Certificate) -> str:
    cn = cert.subject.native.get("common_name")
    return str(cn[-1] if isinstance(cn, list) else cn) if cn else cert.subject.human_friendly


def _why(e: BaseException) -> str:
    text = str(e).splitlines()[0] if str(e) else ""
    return f"{type(e).__name__}: {text}" if text else type(e).__name__
