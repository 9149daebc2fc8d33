"""A test certificate authority and its signers, made with `cryptography` (nothing shipped):
RSA-2048 and EC P-256 signers that can sign, one expired, one not yet valid, one whose key
usage is not for signing; PKCS#12 files of each; a SoftHSM2 token holding a key."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = "Mật khẩu-ký 2025"  # non-ASCII on purpose: it goes to the file as UTF-8
SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
SINCE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)  # --signing-time 2025-10-20 is inside
UNTIL = NOW + dt.timedelta(days=365)


def require(tool: str, why: str) -> str:
    """The tool's path; a test without it is skipped with the reason, or fails under CI=true
    (CI must never go green without running it)."""
    found = shutil.which(tool)
    if found is None:
        message = f"{tool} is not installed ({why})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "UBND tỉnh Bắc Ninh"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _usage(sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign, content_commitment=sign,
                         key_encipherment=not sign, data_encipherment=False,
                         key_agreement=False, key_cert_sign=False, crl_sign=False,
                         encipher_only=False, decipher_only=False)


@dataclass(frozen=True)
class Person:
    name: str
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    p12: Path


@dataclass(frozen=True)
class Pki:
    root: Path  # the CA's certificate, PEM: what --trust takes
    other_root: Path  # another CA's: trusting it must not trust our signers
    rsa: Person
    ec: Person
    expired: Person
    not_yet: Person
    no_usage: Person
    tsa: Person  # a time-stamp authority (RSA: pyHanko's test TSA signs with RSA only)
    ca: x509.Certificate


class _Ca:
    def __init__(self, cn: str):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = _name(cn)
        ski = x509.SubjectKeyIdentifier.from_public_key(self.key.public_key())
        self.cert = (x509.CertificateBuilder().subject_name(self.name).issuer_name(self.name)
                     .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                     .not_valid_before(SINCE - dt.timedelta(days=30))
                     .not_valid_after(UNTIL + dt.timedelta(days=3650))
                     .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                     .add_extension(x509.KeyUsage(
                         digital_signature=False, content_commitment=False,
                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                         key_cert_sign=True, crl_sign=True, encipher_only=False,
                         decipher_only=False), critical=True)
                     .add_extension(ski, critical=False)
                     .sign(self.key, hashes.SHA256()))

    def issue(self, folder: Path, file: str, cn: str, key: rsa.RSAPrivateKey |
              ec.EllipticCurvePrivateKey, since: dt.datetime = SINCE,
              until: dt.datetime = UNTIL, sign: bool = True, tsa: bool = False) -> Person:
        builder = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(self.name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(since).not_valid_after(until)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                                  critical=True)
                   .add_extension(_usage(sign), critical=True)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                       self.key.public_key()), critical=False))
        if tsa:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]),
                critical=True)
        cert = builder.sign(self.key, hashes.SHA256())
        p12 = folder / file
        p12.write_bytes(pkcs12.serialize_key_and_certificates(
            cn.encode(), key, cert, [self.cert],
            serialization.BestAvailableEncryption(PASSWORD.encode())))
        return Person(cn, key, cert, p12)


def make_pki(folder: Path) -> Pki:
    ca, other = _Ca("CA thử nghiệm Bộ TT&TT"), _Ca("CA khác")
    root, other_root = folder / "ca.pem", folder / "other-ca.pem"
    root.write_bytes(ca.cert.public_bytes(serialization.Encoding.PEM))
    other_root.write_bytes(other.cert.public_bytes(serialization.Encoding.PEM))

    def p256() -> ec.EllipticCurvePrivateKey:
        return ec.generate_private_key(ec.SECP256R1())

    return Pki(
        root, other_root,
        ca.issue(folder, "rsa.p12", "Nguyễn Văn An", rsa.generate_private_key(65537, 2048)),
        ca.issue(folder, "ec.p12", "Trần Thị Bình", p256()),
        ca.issue(folder, "expired.p12", "Lê Văn Cũ", p256(), until=SINCE + dt.timedelta(days=30)),
        ca.issue(folder, "not-yet.p12", "Phạm Văn Mới", p256(), since=UNTIL - dt.timedelta(days=1)),
        ca.issue(folder, "no-usage.p12", "Hoàng Văn Mã", p256(), sign=False),
        ca.issue(folder, "tsa.p12", "TSA thử nghiệm", rsa.generate_private_key(65537, 2048),
                 tsa=True),
        ca.cert)


class TsaServer:
    """An RFC 3161 time-stamp authority on 127.0.0.1 (pyHanko's test stamper behind
    http.server): what `render --tsa URL` asks for a PAdES B-T signature's time."""

    def __init__(self, pki: Pki):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from asn1crypto import keys, tsp
        from asn1crypto import x509 as asn1
        from pyhanko.sign.timestamps import DummyTimeStamper

        def der(c: x509.Certificate) -> asn1.Certificate:
            return asn1.Certificate.load(c.public_bytes(serialization.Encoding.DER))

        stamper = DummyTimeStamper(
            tsa_cert=der(pki.tsa.cert), certs_to_embed=[der(pki.ca)],  # type: ignore[arg-type]
            tsa_key=keys.PrivateKeyInfo.load(pki.tsa.key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())))
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                server.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    def __enter__(self) -> TsaServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.shutdown()
        self.http.server_close()


TOKEN, KEY, PIN = "VP UBND", "Khoa ky so", "123456"


def make_token(folder: Path, person: Person, cert_of: Person | None = None) -> Path:
    """A SoftHSM2 token in `folder` holding the person's key and certificate under one ID, as
    a CA's USB token does (or another's certificate: a token set up wrong); returns its
    configuration file (SOFTHSM2_CONF)."""
    cert_of = cert_of or person
    util = require("softhsm2-util", "Debian package softhsm2: the PKCS#11 tests")
    if not SOFTHSM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SOFTHSM} is missing (Debian package softhsm2)")
        pytest.skip(f"{SOFTHSM} is missing (Debian package softhsm2)")
    tokens = folder / "tokens"
    tokens.mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    key = folder / "key.pem"
    key.write_bytes(person.key.private_bytes(serialization.Encoding.PEM,
                                             serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()))
    for args in (["--init-token", "--free", "--label", TOKEN, "--so-pin", "87654321",
                  "--pin", PIN],
                 ["--import", str(key), "--token", TOKEN, "--label", KEY, "--id", "0a0b",
                  "--pin", PIN]):
        subprocess.run([util, *args], env=env, check=True, capture_output=True)
    key.unlink()
    # softhsm2-util imports no certificate: put it beside the key with python-pkcs11
    script = (
        "import sys, pkcs11\n"
        "from pkcs11 import Attribute as A, ObjectClass, CertificateType\n"
        "der, subject = open(sys.argv[1], 'rb').read(), bytes.fromhex(sys.argv[2])\n"
        f"token = pkcs11.lib({str(SOFTHSM)!r}).get_token(token_label={TOKEN!r})\n"
        f"with token.open(rw=True, user_pin={PIN!r}) as s:\n"
        "    s.create_object({A.CLASS: ObjectClass.CERTIFICATE, A.TOKEN: True,\n"
        "        A.CERTIFICATE_TYPE: CertificateType.X_509, A.VALUE: der, A.SUBJECT: subject,\n"
        "        A.LABEL: 'Chung thu', A.ID: bytes.fromhex('0a0b')})\n")
    cert = folder / "cert.der"
    cert.write_bytes(cert_of.cert.public_bytes(serialization.Encoding.DER))
    # in a child process: this one's library must first read SOFTHSM2_CONF when signing
    subprocess.run([sys.executable, "-c", script, str(cert),
                    cert_of.cert.subject.public_bytes().hex()], env=env,
                   check=True, capture_output=True)
    return conf
