"""Remote signing services: one interface (``base.RemoteProvider``) and a
small HTTP client per provider.

Plain Python like the rest of ``pades``.  Each provider module says where
its wire format comes from and what must still be confirmed on the
provider's test environment.
"""

from . import csc, mysign, neac, smartca, smartca_totp  # noqa: F401 -- define and register the providers
from .base import (
    Account,
    Authorisation,
    Connection,
    Job,
    Outcome,
    Progress,
    RemoteProvider,
    provider_for,
)
from ..errors import (
    RemoteCertificateError,
    RemoteProviderError,
    RemoteSignatureValueError,
    RemoteUnavailableError,
)
from .values import raw_signature

__all__ = [
    "Account",
    "Authorisation",
    "Connection",
    "Job",
    "Outcome",
    "Progress",
    "RemoteCertificateError",
    "RemoteProvider",
    "RemoteProviderError",
    "RemoteSignatureValueError",
    "RemoteUnavailableError",
    "provider_for",
    "raw_signature",
]
