"""One SoftHSM2 token for the whole test run, made with the real tools.

The PKCS#11 library reads ``SOFTHSM2_CONF`` once, when first loaded, and
stays loaded for the process: every test class shares this token, which
holds the test PKI's person key (label ``person``, id 01) and a key nobody
registered (label ``other``, id 02, the PKI's untrusted "foreign" person),
each with its certificate.
"""

import atexit
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

SOFTHSM_LIBRARY = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN_LABEL = "vbdt-odoo-test"
TOKEN_PIN = "123456"
_TOKEN = []


def _run(*command):
    subprocess.run(command, check=True, capture_output=True)


def softhsm_token(pki):
    """Create the token once (``SkipTest`` without softhsm2 and opensc)."""
    if not (
        Path(SOFTHSM_LIBRARY).exists()
        and shutil.which("softhsm2-util")
        and shutil.which("pkcs11-tool")
    ):
        raise unittest.SkipTest("softhsm2 and opensc are not installed")
    if _TOKEN:
        return _TOKEN[0]
    folder = Path(tempfile.mkdtemp(prefix="vbdt_softhsm_"))
    atexit.register(shutil.rmtree, folder, True)
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
    for label, key_id, credential in (
        ("person", "01", pki.person),
        ("other", "02", pki.foreign),
    ):
        key_file, cert_file = folder / f"{label}.pem", folder / f"{label}.der"
        key_file.write_bytes(credential.key_pem)
        cert_file.write_bytes(credential.certificate_der)
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
        key_file.unlink()
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
    _TOKEN.append(folder)
    return folder
