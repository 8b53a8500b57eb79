"""One SoftHSM2 token for the whole test run, made with the real tools.

The PKCS#11 library reads ``SOFTHSM2_CONF`` once, when first loaded, and
stays loaded for the process: every test class shares this token, which
holds the test PKI's person key (label ``person``, id 01) and a key nobody
registered (label ``other``, id 02, the PKI's untrusted "foreign" person),
each with its certificate.
"""

import atexit
import shutil
import tempfile
import unittest

from ..demo.softhsm import SOFTHSM_LIBRARY, make_token, missing_tools

TOKEN_LABEL = "vbdt-odoo-test"
TOKEN_PIN = "123456"
_TOKEN = []

__all__ = ["SOFTHSM_LIBRARY", "TOKEN_LABEL", "TOKEN_PIN", "softhsm_token"]


def softhsm_token(pki):
    """Create the token once (``SkipTest`` without softhsm2 and opensc)."""
    if missing_tools():
        raise unittest.SkipTest("softhsm2 and opensc are not installed")
    if not _TOKEN:
        folder = tempfile.mkdtemp(prefix="vbdt_softhsm_")
        atexit.register(shutil.rmtree, folder, True)
        keys = (("person", "01", pki.person), ("other", "02", pki.foreign))
        _TOKEN.append(make_token(folder, TOKEN_LABEL, TOKEN_PIN, keys))
    return _TOKEN[0]
