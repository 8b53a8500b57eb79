"""A remote provider as a ``pades.RemoteSigningService`` when it answers at
once, without anyone confirming on a phone: VNPT SmartCA's TOTP variant
with the secret enrolled for an agency seal (the server computes each
one-time code). The clerk's issuing then seals through the provider inside
its own transaction, like a seal on a PKCS#12 file or an HSM; the value is
checked against the certificate and digest by ``pades.DigestSigner``."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from ..errors import RemoteProviderError
from .base import Account, Job, Outcome, RemoteProvider
from .values import raw_signature


class ImmediateSigningService:
    """Digest in, signature out, in one call to ``provider``."""

    def __init__(
        self,
        provider: RemoteProvider,
        account: Account,
        chain: Sequence[bytes],
        description: str = "",
    ) -> None:
        self.provider = provider
        self.account = account
        self._chain = list(chain)
        self.description = description

    def certificate_chain(self) -> Sequence[bytes]:
        return self._chain

    def sign_digest(self, digest: bytes, digest_algorithm: str) -> bytes:
        job = Job(
            f"vbdt-seal-{secrets.token_hex(12)}",
            (digest,),
            digest_algorithm,
            description=self.description,
        )
        progress = self.provider.start(self.account, job)
        if progress.outcome is not Outcome.SIGNED:
            if progress.outcome is Outcome.WAITING:
                self.provider.cancel(self.account, progress.transaction_id)
            raise RemoteProviderError(
                provider=self.provider.label,
                reason=progress.message or progress.outcome.value,
            )
        return raw_signature(progress.values_for(job)[0])
