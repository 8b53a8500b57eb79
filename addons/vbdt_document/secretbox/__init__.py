"""Encryption at rest for secrets kept in the database (no Odoo import).

PKCS#12 files and their passwords, token PINs, and the shared secrets of
exchange connections and hub systems are stored as tokens of this box, never
in clear.  The key is a string from the server configuration (or the
environment); it never lives in the database, so a dump of the database alone
reveals nothing.

A token is ``vbdt1$<key id>$<base64url(nonce | AES-256-GCM ciphertext)>``:

* the AES key is derived from the configured string with HKDF-SHA256, so any
  long random string works as a key;
* the key id (8 hex digits, derived from the key, revealing nothing about it)
  names the key that sealed the token, so keys can rotate: the current key
  seals, retired keys still open what they sealed until everything is
  re-sealed (:meth:`SecretBox.needs_rotation`);
* ``purpose`` (e.g. ``"vbdt.hub.system.secret"``) is bound as associated
  data: a token copied into another column does not open there.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "PREFIX",
    "CorruptTokenError",
    "NoKeyError",
    "SecretBox",
    "SecretBoxError",
    "UnknownKeyError",
    "WeakKeyError",
]

PREFIX = "vbdt1"
NONCE_BYTES = 12
MIN_KEY_CHARS = 16
_SALT = b"vbdt secret box v1"


class SecretBoxError(Exception):
    """Base class; messages carry no secret, no key and no path."""


class NoKeyError(SecretBoxError):
    """No key is configured: secrets can be neither stored nor read."""


class WeakKeyError(SecretBoxError):
    """The configured key is too short to be a key."""


class UnknownKeyError(SecretBoxError):
    """The token was sealed with a key that is not configured (any more)."""


class CorruptTokenError(SecretBoxError):
    """The token is damaged, or belongs to another purpose."""


def _derive(secret: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=_SALT, info=b"aes-256-gcm"
    ).derive(secret.encode())


def _key_id(aes_key: bytes) -> str:
    return hashlib.sha256(b"key id\0" + aes_key).hexdigest()[:8]


class SecretBox:
    """Seal and open secrets with the current key; open with retired keys.

    :param current: the key that seals (configuration string).
    :param retired: older keys that may still open tokens.
    """

    def __init__(self, current: str | None, retired: Iterable[str] = ()) -> None:
        if not current:
            raise NoKeyError("no key configured")
        keys = {}
        for secret in (current, *retired):
            secret = (secret or "").strip()
            if not secret:
                continue
            if len(secret) < MIN_KEY_CHARS:
                raise WeakKeyError(f"a key needs at least {MIN_KEY_CHARS} characters")
            aes_key = _derive(secret)
            keys.setdefault(_key_id(aes_key), aes_key)
        self._keys = keys
        self.key_id = next(iter(keys))

    @staticmethod
    def is_token(value: str | None) -> bool:
        return bool(value) and value.startswith(PREFIX + "$")

    def encrypt(self, raw: bytes | str, purpose: str) -> str:
        """Bytes or text → ASCII token."""
        if isinstance(raw, str):
            raw = raw.encode()
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self._keys[self.key_id]).encrypt(nonce, raw, purpose.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
        return f"{PREFIX}${self.key_id}${body}"

    def decrypt(self, token: str, purpose: str) -> bytes:
        """Token → bytes; raises :class:`SecretBoxError` subclasses."""
        try:
            prefix, key_id, body = token.split("$", 2)
            blob = base64.urlsafe_b64decode(body.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise CorruptTokenError("not a secret box token") from None
        if prefix != PREFIX or len(blob) <= NONCE_BYTES:
            raise CorruptTokenError("not a secret box token")
        aes_key = self._keys.get(key_id)
        if aes_key is None:
            raise UnknownKeyError(f"sealed with key {key_id}, which is not configured")
        try:
            return AESGCM(aes_key).decrypt(
                blob[:NONCE_BYTES], blob[NONCE_BYTES:], purpose.encode()
            )
        except InvalidTag:
            raise CorruptTokenError(
                "the token is damaged or belongs elsewhere"
            ) from None

    def needs_rotation(self, token: str) -> bool:
        """True when ``token`` was sealed with a retired key."""
        return self.is_token(token) and token.split("$", 2)[1] != self.key_id

    def rotate(self, token: str, purpose: str) -> str:
        """The same secret sealed with the current key."""
        return self.encrypt(self.decrypt(token, purpose), purpose)
