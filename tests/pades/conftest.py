"""Fixtures for the PAdES core: a test PKI, demo documents, backends, rendering."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from pades import demo, testpki
from pades.backends import Pkcs11Backend, Pkcs12Backend
from pades.signer import OrganisationAppearance, PersonAppearance, SigningOptions
from pades_helpers import asn1_cert, pkcs12_backend
from pyhanko.sign.timestamps import DummyTimeStamper

SOFTHSM_LIBRARY = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN_LABEL = "vbdt-test"
TOKEN_PIN = "123456"


@pytest.fixture(scope="session")
def pki() -> testpki.TestPki:
    return testpki.build_test_pki()


@pytest.fixture(scope="session")
def ec_pki() -> testpki.TestPki:
    return testpki.build_test_pki(key_type="ec")


@pytest.fixture(scope="session")
def draft() -> bytes:
    return demo.demo_document_pdf(pages=1)


@pytest.fixture(scope="session")
def draft_20() -> bytes:
    return demo.demo_document_pdf(pages=20)


@pytest.fixture(scope="session")
def signature_png() -> bytes:
    return demo.demo_signature_png()


@pytest.fixture(scope="session")
def seal_png() -> bytes:
    return demo.demo_seal_png()


@pytest.fixture(scope="session")
def person_appearance(signature_png) -> PersonAppearance:
    return PersonAppearance(signature_png)


@pytest.fixture(scope="session")
def organisation_appearance(seal_png) -> OrganisationAppearance:
    return OrganisationAppearance(seal_png, testpki.AGENCY_NAME)


@pytest.fixture(scope="session")
def person(pki) -> Pkcs12Backend:
    return pkcs12_backend(pki.person)


@pytest.fixture(scope="session")
def organisation(pki) -> Pkcs12Backend:
    return pkcs12_backend(pki.organisation)


@pytest.fixture(scope="session")
def timestamper(pki) -> DummyTimeStamper:
    """pyHanko's in-process TSA with the test PKI's timestamping certificate."""
    tsa = pki.tsa
    key_der = tsa.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return DummyTimeStamper(
        tsa_cert=asn1_cert(tsa.certificate),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key_der),
        certs_to_embed=[asn1_cert(cert) for cert in tsa.chain],
    )


def serve(answer) -> tuple[str, ThreadingHTTPServer]:
    """Serve ``answer(path, body) -> (content type, bytes)`` on localhost."""

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, body: bytes) -> None:
            content_type, data = answer(self.path, body)
            self.send_response(200 if data else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 -- http.server naming
            self._reply(b"")

        def do_POST(self) -> None:  # noqa: N802
            self._reply(self.rfile.read(int(self.headers["Content-Length"])))

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("localhost", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://localhost:{server.server_address[1]}", server


@pytest.fixture(scope="session")
def online_pki() -> Iterator[testpki.TestPki]:
    """A test PKI whose CRLs and OCSP responder answer over HTTP on localhost."""
    from cryptography.x509 import ocsp

    built: list[testpki.TestPki] = []

    def answer(path: str, body: bytes) -> tuple[str, bytes]:
        pki = built[0]
        if path == "/crl/ca.crl":
            return "application/pkix-crl", pki.crl
        if path == "/crl/root.crl":
            return "application/pkix-crl", pki.root_crl
        if path == "/ocsp":
            serial = ocsp.load_der_ocsp_request(body).serial_number
            subject = next(
                credential
                for credential in (pki.person, pki.organisation, pki.revoked)
                if credential.certificate.serial_number == serial
            )
            return "application/ocsp-response", pki.ocsp_response(subject)
        return "text/plain", b""

    url, server = serve(answer)
    built.append(testpki.build_test_pki(url=url))
    yield built[0]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def tsa_url(timestamper) -> Iterator[str]:
    """An RFC 3161 timestamp authority over HTTP on localhost, backed by the
    in-process TSA, so the real HTTP client of ``SigningOptions`` is tested."""
    from asn1crypto import tsp

    def answer(path: str, body: bytes) -> tuple[str, bytes]:
        reply = timestamper.request_tsa_response(tsp.TimeStampReq.load(body))
        return "application/timestamp-reply", reply.dump()

    url, server = serve(answer)
    yield f"{url}/tsa"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def timestamped(timestamper) -> SigningOptions:
    return SigningOptions(timestamper=timestamper)


# --- SoftHSM2 ---------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    library: str
    label: str
    pin: str

    def backend(
        self, key_label: str, pin: str | None = None, **kwargs
    ) -> Pkcs11Backend:
        return Pkcs11Backend(
            self.library,
            pin or self.pin,
            token_label=self.label,
            key_label=key_label,
            **kwargs,
        )


@pytest.fixture(scope="session")
def softhsm(pki, ec_pki, tmp_path_factory) -> Token:
    """A SoftHSM2 token holding the person's RSA and EC keys and certificates.

    Made with the real tools, as an administrator would: ``softhsm2-util``
    creates the token and imports the keys, ``pkcs11-tool`` (OpenSC) writes
    the certificates.  ``SOFTHSM2_CONF`` points at a private token folder.
    """
    for tool in ("softhsm2-util", "pkcs11-tool"):
        assert shutil.which(
            tool
        ), f"{tool} is required (apt-get install softhsm2 opensc)"
    assert Path(SOFTHSM_LIBRARY).exists(), "softhsm2 is required"
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    _run(
        "softhsm2-util",
        "--init-token",
        "--free",
        "--label",
        TOKEN_LABEL,
        "--pin",
        TOKEN_PIN,
        "--so-pin",
        "654321",
    )
    for label, credential in (("person", pki.person), ("person-ec", ec_pki.person)):
        key_file = folder / f"{label}.pem"
        cert_file = folder / f"{label}.der"
        key_file.write_bytes(credential.key_pem)
        cert_file.write_bytes(credential.certificate_der)
        key_id = "01" if label == "person" else "02"
        _run(
            "softhsm2-util",
            "--import",
            str(key_file),
            "--token",
            TOKEN_LABEL,
            "--label",
            label,
            "--id",
            key_id,
            "--pin",
            TOKEN_PIN,
        )
        _run(
            "pkcs11-tool",
            "--module",
            SOFTHSM_LIBRARY,
            "--token-label",
            TOKEN_LABEL,
            "--login",
            "--pin",
            TOKEN_PIN,
            "--write-object",
            str(cert_file),
            "--type",
            "cert",
            "--label",
            label,
            "--id",
            key_id,
        )
        key_file.unlink()
    return Token(SOFTHSM_LIBRARY, TOKEN_LABEL, TOKEN_PIN)


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True)
