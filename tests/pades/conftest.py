"""Fixtures for the PAdES core: a test PKI, demo documents, backends, rendering."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from demo import documents as demo
from demo import softhsm as softhsm_tools
from demo import testpki
from pades.backends import Pkcs11Backend, Pkcs12Backend
from pades.signer import OrganisationAppearance, PersonAppearance, SigningOptions
from pades_helpers import pkcs12_backend, timestamper_at

TOKEN_LABEL = "vbdt-test"
TOKEN_PIN = "123456"


@pytest.fixture(scope="session")
def pki() -> Iterator[testpki.TestPki]:
    """The certomancer test PKI, its OCSP responder, CRLs and RFC 3161 TSA
    answering over HTTP on 127.0.0.1 (the certificates name them)."""
    with testpki.serve_test_pki() as served:
        yield served


@pytest.fixture(scope="session")
def ec_pki() -> Iterator[testpki.TestPki]:
    with testpki.serve_test_pki(key_type="ec") as served:
        yield served


@pytest.fixture(scope="session")
def online_pki(pki) -> testpki.TestPki:
    """The same PKI, named for the tests that fetch revocation data."""
    return pki


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
def timestamper(pki):
    """pyHanko's HTTP client of the test PKI's timestamp authority."""
    return timestamper_at(pki)


@pytest.fixture(scope="session")
def tsa_url(pki) -> str:
    """The RFC 3161 timestamp authority over HTTP on 127.0.0.1 (certomancer),
    so the real HTTP client of ``SigningOptions`` is tested."""
    return pki.tsa_url


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
    """A SoftHSM2 token holding the person's RSA and EC keys and certificates
    (``demo.softhsm``: the real tools, as an administrator would)."""
    missing = softhsm_tools.missing_tools()
    assert not missing, f"{missing} required (apt-get install softhsm2 opensc)"
    keys = (("person", "01", pki.person), ("person-ec", "02", ec_pki.person))
    softhsm_tools.make_token(
        tmp_path_factory.mktemp("softhsm"), TOKEN_LABEL, TOKEN_PIN, keys
    )
    return Token(softhsm_tools.SOFTHSM_LIBRARY, TOKEN_LABEL, TOKEN_PIN)
