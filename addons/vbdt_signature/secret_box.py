"""Encryption at rest for private key material (PKCS#12 files, passwords, PINs).

The key comes from the Odoo configuration file (``vbdt_signature_key``, any
string; keep it out of the database and its backups).  Without it, a key is
derived from the database secret (``database.secret``), with a warning: that
protects against reading the column alone, not against a full database dump.
Values are Fernet tokens (AES-128-CBC + HMAC-SHA256), stored as ASCII text.
"""

import base64
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken

from odoo.exceptions import UserError
from odoo.tools import config

_logger = logging.getLogger(__name__)
CONFIG_KEY = "vbdt_signature_key"
_warned = set()


def _fernet(env):
    secret = config.get(CONFIG_KEY)
    if not secret:
        secret = env["ir.config_parameter"].sudo().get_param("database.secret")
        if env.cr.dbname not in _warned:
            _warned.add(env.cr.dbname)
            _logger.warning(
                "No %s in the Odoo configuration: certificate secrets of database "
                "%s are encrypted with a key derived from database.secret.",
                CONFIG_KEY, env.cr.dbname,
            )
    digest = hashlib.sha256(b"vbdt_signature/secret_box\0" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(env, raw):
    """``raw`` bytes or str → ASCII token (False stays False)."""
    if not raw:
        return False
    if isinstance(raw, str):
        raw = raw.encode()
    return _fernet(env).encrypt(raw).decode("ascii")


def decrypt(env, token):
    """Token → bytes; a token from another key gives a clear error."""
    if not token:
        return b""
    try:
        return _fernet(env).decrypt(token.encode("ascii"))
    except InvalidToken as err:
        raise UserError(env._(
            "The stored key material cannot be decrypted: the server key "
            "(%(option)s) changed since it was saved. Upload the certificate again.",
            option=CONFIG_KEY,
        )) from err
