"""Transports: how exchange records travel (docs/ARCHITECTURE.md §A4).

Every transport implements :class:`~.base.Transport`; the engine looks them
up by code in :data:`REGISTRY` and never knows more about them.  An LGSP
variant (REST with OAuth2 or ``X-SystemId`` headers, SOAP) is one more class
registered here.
"""

from .base import REGISTRY, IncomingPackage, Transport, TransportError, get_transport
from . import local, vxp  # noqa: F401  (register the built-in transports)

__all__ = [
    "REGISTRY",
    "IncomingPackage",
    "Transport",
    "TransportError",
    "get_transport",
]
