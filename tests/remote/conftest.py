"""Fixtures for the remote-signing clients: the test PKI and the fake providers."""

from __future__ import annotations

import pytest
from demo import documents as demo
from demo import testpki


@pytest.fixture(scope="session")
def pki() -> testpki.TestPki:
    return testpki.build_test_pki()


@pytest.fixture(scope="session")
def draft() -> bytes:
    return demo.demo_document_pdf(pages=1)


@pytest.fixture(scope="session")
def signature_png() -> bytes:
    return demo.demo_signature_png()
