"""The VXP national-axis protocol: contract, request signing, client.

Plain Python, never imports Odoo.  The Odoo ``vxp`` transport uses
:class:`VxpClient`; the hub (our own axis server) implements the contract of
:mod:`.protocol` and authenticates callers with :func:`verify_request`.
"""

from .client import VxpClient
from .errors import VxpAuthError, VxpError, VxpRemoteError, VxpTransportError
from .protocol import OPERATIONS, Operation, fail_reply, ok_reply, parse_recipients
from .signing import (
    VerifiedRequest,
    authenticate,
    check_body_hash,
    file_hash,
    sign_headers,
    verify_request,
)

__all__ = [
    "OPERATIONS",
    "Operation",
    "VerifiedRequest",
    "VxpAuthError",
    "VxpClient",
    "VxpError",
    "VxpRemoteError",
    "VxpTransportError",
    "authenticate",
    "check_body_hash",
    "fail_reply",
    "file_hash",
    "ok_reply",
    "parse_recipients",
    "sign_headers",
    "verify_request",
]
