"""Errors of the remote-signing clients, translatable like every core error."""

from __future__ import annotations

from ..errors import PadesError, _


class RemoteProviderError(PadesError):
    """The provider refused or failed; ``reason`` is its own message."""

    template = _("The remote signing service %(provider)s refused: %(reason)s")


class RemoteUnavailableError(PadesError):
    """No usable answer (network, timeout, malformed or oversized response)."""

    template = _(
        "The remote signing service %(provider)s cannot be reached or answered "
        "unexpectedly (%(reason)s); try again in a few minutes."
    )


class RemoteCertificateError(PadesError):
    """The provider has no usable certificate for this account."""

    template = _(
        "The remote signing service %(provider)s has no certificate for account "
        "%(account)s%(detail)s."
    )


class RemoteSignatureValueError(PadesError):
    """The value returned is neither a raw signature nor a usable CMS."""

    template = _(
        "The remote signing service returned a signature that cannot be used: "
        "%(reason)s."
    )
