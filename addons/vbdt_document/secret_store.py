"""Odoo side of :mod:`.secretbox`: the key comes from the server, never from
the database.

Configuration (Odoo configuration file, or the environment of the server):

* ``vbdt_secret_key`` / ``VBDT_SECRET_KEY``: the key that seals secrets
  (a long random string, at least 16 characters; 32+ recommended);
* ``vbdt_secret_key_retired`` / ``VBDT_SECRET_KEY_RETIRED``: former keys,
  comma-separated, still accepted to open what they sealed (key rotation:
  move the old key here, set a new one, run :func:`reseal_all`).

Without a key, storing or using a secret is refused with a clear message.
The demo and the test scripts use :data:`DEMO_KEY`, which is public: the
server logs a warning whenever it is in use.

Models register the columns that hold tokens with :func:`register`, so that
:func:`reseal_all` can rotate every secret of the database at once.
"""

import functools
import logging
import os

from odoo.exceptions import UserError
from odoo.tools import config

from .secretbox import (
    CorruptTokenError,
    NoKeyError,
    SecretBox,
    UnknownKeyError,
    WeakKeyError,
)

_logger = logging.getLogger(__name__)
CONFIG_KEY = "vbdt_secret_key"
CONFIG_RETIRED = "vbdt_secret_key_retired"
DEMO_KEY = "vbdt-PUBLIC-demo-key-never-use-in-production"
# (model, field) of every column holding secret box tokens
SEALED_FIELDS = set()


def register(model, field):
    """Declare that ``model.field`` holds tokens (for :func:`reseal_all`)."""
    SEALED_FIELDS.add((model, field))


def purpose_of(model, field):
    return f"{model}.{field}"


def _setting(name):
    return (config.get(name) or os.environ.get(name.upper()) or "").strip()


def configured_keys():
    """``(current, retired)`` from the configuration file or the environment."""
    retired = tuple(k.strip() for k in _setting(CONFIG_RETIRED).split(",") if k.strip())
    return _setting(CONFIG_KEY) or None, retired


def has_key():
    return bool(configured_keys()[0])


@functools.lru_cache(maxsize=4)
def _box(current, retired):
    box = SecretBox(current, retired)
    if current == DEMO_KEY:
        _logger.warning(
            "vbdt is using the PUBLIC DEMO key for secrets at rest (%s): anyone can "
            "decrypt the certificates and exchange secrets of this server. Set your "
            "own "
            "%s in the Odoo configuration file before real use.",
            CONFIG_KEY,
            CONFIG_KEY,
        )
    return box


def box(env):
    """The :class:`SecretBox` of this server, or a clear ``UserError``."""
    try:
        return _box(*configured_keys())
    except NoKeyError:
        raise UserError(
            env._(
                "No server key for secrets is configured, so secrets (certificate "
                "files, "
                "passwords, PINs, exchange secrets) can be neither stored nor used. "
                "The "
                "system administrator must set vbdt_secret_key in the Odoo "
                "configuration "
                "file (or the VBDT_SECRET_KEY environment variable) and restart the "
                "server."
            )
        ) from None
    except WeakKeyError:
        raise UserError(
            env._(
                "The server key for secrets (vbdt_secret_key) is too short: it needs "
                "at "
                "least 16 characters, ideally 32 random ones."
            )
        ) from None


def encrypt(env, raw, model, field):
    """Bytes or text → token for ``model.field`` (falsy stays ``False``)."""
    if not raw:
        return False
    return box(env).encrypt(raw, purpose_of(model, field))


def decrypt(env, token, model, field):
    """Token of ``model.field`` → bytes (empty for no token)."""
    if not token:
        return b""
    try:
        return box(env).decrypt(token, purpose_of(model, field))
    except UnknownKeyError:
        raise UserError(
            env._(
                "This secret was stored with a server key that is no longer "
                "configured. "
                "The system administrator can list the former key in "
                "vbdt_secret_key_retired; otherwise enter the secret again."
            )
        ) from None
    except CorruptTokenError:
        raise UserError(
            env._("This stored secret is damaged: enter it again.")
        ) from None


def reseal_all(env):
    """Re-seal every registered secret sealed with a retired key; returns the
    number of values re-sealed. Run after a key rotation (odoo shell:
    ``from odoo.addons.vbdt_document import secret_store;
    secret_store.reseal_all(env); env.cr.commit()``)."""
    current_box = box(env)
    count = 0
    for model, field in sorted(SEALED_FIELDS):
        if model not in env:
            continue
        # sudo: re-encrypting secrets at rest is a server task over every record
        Model = env[model].sudo().with_context(active_test=False)
        for record in Model.search([(field, "!=", False)]):
            token = record[field]
            if current_box.needs_rotation(token):
                record.write(
                    {field: current_box.rotate(token, purpose_of(model, field))}
                )
                count += 1
    return count
