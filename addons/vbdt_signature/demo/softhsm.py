"""A SoftHSM2 token for the tests, made with the real tools as an
administrator would: ``softhsm2-util`` creates the token and imports the
keys, ``pkcs11-tool`` (OpenSC) writes the certificates. Odoo-free: the Odoo
tests (``tests/softhsm.py``) and the pytest suite of the PAdES core
(``tests/pades/conftest.py``) both use it.

The PKCS#11 library reads ``SOFTHSM2_CONF`` once, when first loaded, and
stays loaded for the process: :func:`make_token` points it at a private
token folder, so call it once per process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SOFTHSM_LIBRARY = "/usr/lib/softhsm/libsofthsm2.so"
SO_PIN = "654321"
TOOLS = ("softhsm2-util", "pkcs11-tool")


def missing_tools() -> list[str]:
    """What is not installed among the library and the tools."""
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    if not Path(SOFTHSM_LIBRARY).exists():
        missing.append(SOFTHSM_LIBRARY)
    return missing


def make_token(folder: Path, label: str, pin: str, keys) -> Path:
    """Create the token ``label`` in ``folder`` (PIN ``pin``) holding each
    ``(key label, key id hex, testpki.Credential)`` of ``keys``: its private
    key and certificate. Sets ``SOFTHSM2_CONF``; returns the folder."""
    folder = Path(folder)
    (folder / "tokens").mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    _run(
        "softhsm2-util", "--init-token", "--free", "--label", label,
        "--pin", pin, "--so-pin", SO_PIN,
    )  # fmt: skip
    for key_label, key_id, credential in keys:
        key_file = folder / f"{key_label}.pem"
        cert_file = folder / f"{key_label}.der"
        key_file.touch(mode=0o600)
        key_file.write_bytes(credential.key_pem)
        cert_file.write_bytes(credential.certificate_der)
        try:
            _run(
                "softhsm2-util", "--import", str(key_file), "--token", label,
                "--label", key_label, "--id", key_id, "--pin", pin,
            )  # fmt: skip
        finally:
            key_file.unlink()
        _run(
            "pkcs11-tool", "--module", SOFTHSM_LIBRARY, "--token-label", label,
            "--login", "--pin", pin, "--write-object", str(cert_file),
            "--type", "cert", "--label", key_label, "--id", key_id,
        )  # fmt: skip
    return folder


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True)
