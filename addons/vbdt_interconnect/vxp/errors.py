"""Exceptions of the VXP core, with messages the Odoo layer can translate.

Same convention as ``edxml.errors`` (the two packages cannot import each
other: they are top-level packages in tests and subpackages under Odoo):
each message is a literal ``_("...")`` call with ``%(name)s`` placeholders,
``_`` is a no-op marker for Odoo's extractor, and the Odoo layer renders
``env._(err.template) % err.params``.
"""

from __future__ import annotations

from typing import Any


def _(message: str) -> str:
    """Mark ``message`` for translation extraction; returns it unchanged."""
    return message


class VxpError(Exception):
    """Base class; ``error_code`` is the axis ErrorCode when there is one."""

    def __init__(self, template: str, *, error_code: str = "", **params: Any) -> None:
        params["error_code"] = error_code
        self.template = template
        self.params = params
        self.error_code = error_code
        super().__init__(template % params)


class VxpAuthError(VxpError):
    """Server side: the request's signature headers are refused."""


class VxpTransportError(VxpError):
    """No usable answer (network, timeout, HTTP error without JSON reply).
    ``retryable`` tells whether trying again later may succeed."""

    def __init__(self, template: str, *, retryable: bool, **params: Any) -> None:
        self.retryable = retryable
        super().__init__(template, **params)


class VxpRemoteError(VxpError):
    """The axis answered ``status: FAIL`` (or a non-zero ErrorCode)."""
