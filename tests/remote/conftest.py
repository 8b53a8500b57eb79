"""Fixtures for the remote-signing clients: the test PKI and the fake providers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from demo import documents as demo
from demo import testpki

# the fake providers live with the addon's tests (the Odoo tests use them too)
_ADDON_TESTS = Path(__file__).resolve().parents[2] / "addons/vbdt_signature/tests"
if str(_ADDON_TESTS) not in sys.path:
    sys.path.insert(0, str(_ADDON_TESTS))


@pytest.fixture(scope="session")
def pki() -> testpki.TestPki:
    return testpki.build_test_pki()


@pytest.fixture(scope="session")
def draft() -> bytes:
    return demo.demo_document_pdf(pages=1)


@pytest.fixture(scope="session")
def signature_png() -> bytes:
    return demo.demo_signature_png()
