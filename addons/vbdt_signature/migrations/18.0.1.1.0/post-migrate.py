"""Certificates: re-seal key material and map PKCS#11 module paths to names.

* Secrets were Fernet tokens keyed from ``vbdt_signature_key`` or, without
  it, from the database secret. They are opened once here with that former
  derivation and sealed with the server key (``vbdt_secret_key``); the
  former derivation exists only in this script. Without a server key the
  upgrade stops with a clear message.
* ``pkcs11_module`` held a library path; it now holds a name of the server
  allow-list (``vbdt_pkcs11_modules``). A path found in the allow-list becomes
  its name; any other path is cleared (the certificate must be re-configured)
  and logged, never loaded.
"""

import base64
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken

from odoo import SUPERUSER_ID, api
from odoo.tools import config

from odoo.addons.vbdt_document import secret_store
from odoo.addons.vbdt_document.secretbox import SecretBox
from odoo.addons.vbdt_signature import pkcs11_modules

_logger = logging.getLogger(__name__)
MODEL = "vbdt.signature.certificate"
FIELDS = ("pkcs12_secret", "password_secret", "pin_secret")


def _legacy_fernet(env):
    secret = config.get("vbdt_signature_key") or (
        # sudo: the migration reads the database secret to re-seal old secrets
        env["ir.config_parameter"].sudo().get_param("database.secret")
    )
    digest = hashlib.sha256(b"vbdt_signature/secret_box\0" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _reseal(env):
    legacy = None
    for field in FIELDS:
        env.cr.execute(  # noqa: S608 -- field names from the constant above
            f"SELECT id, {field} FROM vbdt_signature_certificate WHERE {field} IS "
            "NOT NULL"
        )
        for row_id, token in env.cr.fetchall():
            if SecretBox.is_token(token):
                continue
            legacy = legacy or _legacy_fernet(env)
            try:
                raw = legacy.decrypt(token.encode("ascii"))
            except InvalidToken:
                _logger.error(
                    "certificate %s: %s cannot be opened with the former key; "
                    "cleared, upload the certificate again",
                    row_id,
                    field,
                )
                raw = None
            env.cr.execute(  # noqa: S608
                f"UPDATE vbdt_signature_certificate SET {field} = %s WHERE id = %s",
                [secret_store.encrypt(env, raw, MODEL, field) or None, row_id],
            )


def _map_pkcs11_modules(env):
    allowed = pkcs11_modules.allowed_modules()
    env.cr.execute(
        "SELECT id, pkcs11_module FROM vbdt_signature_certificate "
        "WHERE pkcs11_module IS NOT NULL"
    )
    for row_id, value in env.cr.fetchall():
        if value in allowed:
            continue
        name = pkcs11_modules.name_of_path(value)
        if not name:
            _logger.warning(
                "certificate %s: its PKCS#11 module is not in %s; cleared",
                row_id,
                pkcs11_modules.CONFIG_KEY,
            )
        env.cr.execute(
            "UPDATE vbdt_signature_certificate SET pkcs11_module = %s WHERE id = %s",
            [name, row_id],
        )


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    _reseal(env)
    _map_pkcs11_modules(env)
