"""One interface over every remote signing service.

A provider holds a key for the signer and signs a digest once the signer
confirms (in the provider's phone app, by OTP, or at once for an agency
seal).  The server never waits for the human: :meth:`RemoteProvider.start`
sends the digests and returns a :class:`Progress`; the result then arrives
by :meth:`RemoteProvider.poll` or by the provider's webhook
(:meth:`RemoteProvider.parse_webhook`).  Signature values are returned as
the provider gives them; :func:`..values.raw_signature` turns them into the
raw value ``pades.finish_signing`` embeds, and that value is always checked
against the certificate and the digest before anything is written.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..errors import RemoteSignatureValueError
from .client import JsonHttp


class Outcome(enum.Enum):
    """Where a signing request stands at the provider."""

    WAITING = "waiting"
    """The signer has not confirmed yet (or the provider is still signing)."""
    SIGNED = "signed"
    REJECTED = "rejected"
    """The signer refused on their phone."""
    EXPIRED = "expired"
    """Nobody confirmed in time at the provider."""
    CERTIFICATE = "certificate"
    """The provider refused: certificate expired, revoked or suspended."""
    FAILED = "failed"

    @property
    def final(self) -> bool:
        return self is not Outcome.WAITING


@dataclass(frozen=True)
class Progress:
    """A provider's answer about one request (one or N digests)."""

    transaction_id: str
    outcome: Outcome
    message: str = ""
    """The provider's own words, shown to the signer as they are."""
    signatures: tuple[bytes, ...] = ()
    """When signed: one value per digest."""
    signed_ids: tuple[str, ...] = ()
    """The document id of each value, when the provider names them."""

    def values_for(self, job: Job) -> tuple[bytes, ...]:
        """The signature values in the order of ``job``'s digests; refuses an
        answer that does not cover exactly the digests sent."""
        if len(self.signatures) != len(job.digests):
            raise RemoteSignatureValueError(
                reason=f"{len(self.signatures)} signature(s) for {len(job.digests)} "
                "document(s)"
            )
        if not self.signed_ids or not all(self.signed_ids):
            return self.signatures
        by_id = dict(zip(self.signed_ids, self.signatures, strict=True))
        wanted = [job.document_id(index) for index in range(len(job.digests))]
        if sorted(by_id) != sorted(wanted):
            raise RemoteSignatureValueError(reason="signatures of other documents")
        return tuple(by_id[doc_id] for doc_id in wanted)


@dataclass(frozen=True)
class Account:
    """Who signs at the provider.

    ``user_id`` is the provider's identifier of the signer (SmartCA: CCCD
    number; MySign: user id; CSC: user id for ``credentials/list``);
    ``credential_id`` picks one certificate when the account has several
    (SmartCA: serial number; MySign, CSC: credential id).
    """

    user_id: str
    credential_id: str = ""
    totp_secret: str = field(default="", repr=False)
    """SmartCA TOTP variant: the base32 secret enrolled for an agency seal,
    from which the server computes each one-time code (no phone)."""


@dataclass(frozen=True)
class Authorisation:
    """What the signer typed for one request: a CSC ``explicit``
    credential's PIN and/or OTP, a SmartCA TOTP code.  Passed through to the
    provider's call and dropped: never stored, never logged (hidden from
    ``repr``), never put in an error message."""

    pin: str = field(default="", repr=False)
    otp: str = field(default="", repr=False)

    def __bool__(self) -> bool:
        return bool(self.pin or self.otp)


@dataclass(frozen=True)
class Connection:
    """An agency's contract with a provider (secrets decrypted by the caller)."""

    base_url: str
    client_id: str = ""
    client_secret: str = ""
    profile_id: str = ""
    """MySign profile, CSC/NEAC service-provider id, as the provider names it."""
    timeout: float = 15.0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    """What is sent for confirmation: the digests, and what the phone shows."""

    transaction_id: str
    """Ours, unique; providers that take one (SmartCA) echo it back."""
    digests: tuple[bytes, ...]
    digest_algorithm: str = "sha256"
    description: str = ""
    document_ids: tuple[str, ...] = ()
    """Shown next to each digest in the signer's app (one per digest)."""

    def __post_init__(self) -> None:
        if not self.digests:
            raise ValueError("a signing job needs at least one digest")
        if self.document_ids and len(self.document_ids) != len(self.digests):
            raise ValueError("one document id per digest")

    def document_id(self, index: int) -> str:
        return self.document_ids[index] if self.document_ids else str(index + 1)


class RemoteProvider(ABC):
    """A remote signing service; subclasses register themselves by ``code``."""

    code: ClassVar[str] = ""
    label: ClassVar[str] = ""
    max_batch: ClassVar[int] = 1
    """How many digests one confirmation may carry."""
    authorisation: ClassVar[str] = ""
    """What the signer types for each request: "" (they confirm in the
    provider's app), "otp", or "pin" (with an OTP when the service asks)."""
    registry: ClassVar[dict[str, type[RemoteProvider]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if cls.code:
            RemoteProvider.registry[cls.code] = cls
        return super().__init_subclass__(**kwargs)

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.http = JsonHttp(connection.base_url, self.label, connection.timeout)

    @abstractmethod
    def certificate_chain(self, account: Account) -> tuple[bytes, ...]:
        """DER certificates of the account's key, the signer's first."""

    def read_credential(self, account: Account) -> tuple[str, tuple[bytes, ...]]:
        """``(credential id, chain)``: the certificate chain and the id of the
        credential it belongs to, which an administrator's *Read from
        Service* keeps so that every later request names it (MySign's
        ``signHash`` needs it). Services that find the certificate by the
        account alone (SmartCA: the serial number is optional) answer the
        account's own credential id."""
        return account.credential_id, self.certificate_chain(account)

    @abstractmethod
    def start(
        self, account: Account, job: Job, authorisation: Authorisation | None = None
    ) -> Progress:
        """Ask the provider to sign ``job``; usually answers WAITING.
        ``authorisation`` is used for this call only (see :class:`Authorisation`)."""

    @abstractmethod
    def poll(self, account: Account, transaction_id: str) -> Progress:
        """Where the request stands now."""

    def code_needed(self, account: Account) -> str:
        """What the signer must type before :meth:`start` for ``account``:
        "" (nothing: they confirm in the provider's app, or the server holds
        the TOTP secret), "otp" or "pin"."""
        if self.authorisation == "otp" and account.totp_secret:
            return ""
        return self.authorisation

    def parse_webhook(self, payload: dict[str, Any]) -> Progress:
        """The provider's callback, already authenticated by the caller."""
        raise NotImplementedError(f"{self.code} sends no webhook")

    def cancel(self, account: Account, transaction_id: str) -> None:  # noqa: B027
        """Withdraw a request; providers without cancellation let it expire
        (its result, if any, is then ignored)."""


def provider_for(code: str, connection: Connection) -> RemoteProvider:
    """The client of provider ``code`` (a code of :attr:`RemoteProvider.registry`)."""
    try:
        cls = RemoteProvider.registry[code]
    except KeyError:
        raise ValueError(f"unknown remote signing provider {code!r}") from None
    return cls(connection)


def split_batches(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    """``items`` in slices of at most ``size`` (one confirmation each)."""
    size = max(1, size)
    return [items[start : start + size] for start in range(0, len(items), size)]
