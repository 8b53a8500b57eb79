"""PKCS#11 libraries the server may load: an allow-list in the server
configuration, never a path from the database.

In the Odoo configuration file (or the ``VBDT_PKCS11_MODULES`` environment
variable of the server; in the file, a long list may go on indented
continuation lines)::

    vbdt_pkcs11_modules = softhsm:/usr/lib/softhsm/libsofthsm2.so,
        safenet:/usr/lib/libeTPkcs11.so

Administrators of the application choose a certificate's module by *name*;
the library path is looked up here, on the server, when the token is opened.
Paths are never shown to users.
"""

import logging
import os
import re

from odoo.tools import config

_logger = logging.getLogger(__name__)
CONFIG_KEY = "vbdt_pkcs11_modules"
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def allowed_modules():
    """``{name: absolute library path}`` from the server configuration."""
    setting = config.get(CONFIG_KEY) or os.environ.get(CONFIG_KEY.upper()) or ""
    modules = {}
    for entry in setting.split(","):
        name, _sep, path = entry.strip().partition(":")
        name, path = name.strip(), path.strip()
        if not entry.strip():
            continue
        if not (_NAME.match(name) and os.path.isabs(path)):
            _logger.warning(
                "%s: ignored entry %r (expected name:/absolute/path.so)",
                CONFIG_KEY,
                entry.strip(),
            )
            continue
        modules.setdefault(name, path)
    return modules


def name_of_path(path):
    """The allowed name whose library is ``path`` (for migrations), or None."""
    return next((name for name, lib in allowed_modules().items() if lib == path), None)
