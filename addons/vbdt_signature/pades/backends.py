"""Where signing keys live: PKCS#12 files, PKCS#11 tokens/HSMs, remote services.

Every backend has the same shape: :meth:`SignerBackend.open` is a context
manager yielding a pyHanko :class:`~pyhanko.sign.signers.Signer`, so the
signing code never knows where the key is.  Key material and PINs stay inside
the backend objects and never appear in messages.
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Protocol, runtime_checkable

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .errors import KeyStoreError, RemoteSigningError, TokenError, TokenModuleError


class SignerBackend(ABC):
    """A source of signatures; ``with backend.open() as signer: ...``."""

    @abstractmethod
    def open(self) -> AbstractContextManager[Signer]:
        """Yield a ready pyHanko signer, releasing sessions on exit."""


@runtime_checkable
class RemoteSigningService(Protocol):
    """What a remote signing service must offer: digest in, signature out.

    ``sign_digest`` receives the SHA-256 (or other) digest of the CMS signed
    attributes and returns the raw signature: PKCS#1 v1.5 for RSA keys, DER
    ``ECDSA-Sig-Value`` for EC keys.  This is the hash-signing operation of
    CSC-style cloud signing APIs and of USB-token agents.
    """

    def certificate_chain(self) -> Sequence[bytes]:
        """DER certificates: the signer's first, then its issuers."""

    def sign_digest(self, digest: bytes, digest_algorithm: str) -> bytes:
        """Sign a precomputed digest with the signer's private key."""


PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class InProcessSigningService:
    """Reference :class:`RemoteSigningService` holding the key in memory.

    Used by :class:`Pkcs12Backend`, by tests as a stand-in for a remote
    service, and as the model for real remote clients.
    """

    def __init__(
        self, private_key: PrivateKey, chain: Sequence[x509.Certificate]
    ) -> None:
        self._key = private_key
        self._chain = [cert.public_bytes(serialization.Encoding.DER) for cert in chain]

    def certificate_chain(self) -> Sequence[bytes]:
        return self._chain

    def sign_digest(self, digest: bytes, digest_algorithm: str) -> bytes:
        prehashed = utils.Prehashed(get_pyca_cryptography_hash(digest_algorithm))
        if isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(digest, padding.PKCS1v15(), prehashed)
        return self._key.sign(digest, ec.ECDSA(prehashed))


class DigestSigner(Signer):
    """pyHanko signer whose raw signature comes from a :class:`RemoteSigningService`.

    Unlike pyHanko's ``SimpleSigner``, it keeps the key loaded (``SimpleSigner``
    re-parses it, ~50 ms for RSA, twice per signature) and answers pyHanko's
    size-estimation "dry run" without calling the service, so a remote
    service is asked exactly once per signature.
    """

    def __init__(self, service: RemoteSigningService, verify_result: bool) -> None:
        chain = [asn1_x509.Certificate.load(der) for der in service.certificate_chain()]
        if not chain:
            raise RemoteSigningError(reason="the service returned no certificate")
        self._service = service
        self._verify_result = verify_result
        self._public_key = x509.load_der_x509_certificate(chain[0].dump()).public_key()
        super().__init__(
            signing_cert=chain[0],
            # issuers only: pyHanko adds the signing certificate itself
            cert_registry=SimpleCertificateStore.from_certs(chain[1:]),
        )

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            return bytes(signature_size(self._public_key))
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        digester = hashes.Hash(hash_algorithm)
        digester.update(data)
        digest = digester.finalize()
        try:
            signature = self._service.sign_digest(digest, digest_algorithm)
        except RemoteSigningError:
            raise
        except Exception as err:
            raise RemoteSigningError(reason=str(err) or type(err).__name__) from err
        if self._verify_result:
            self._check(signature, digest, hash_algorithm)
        return signature

    def _check(self, signature: bytes, digest: bytes, hash_algorithm) -> None:
        """Refuse a wrong signature now rather than embed a broken one."""
        prehashed = utils.Prehashed(hash_algorithm)
        try:
            if isinstance(self._public_key, rsa.RSAPublicKey):
                self._public_key.verify(
                    signature, digest, padding.PKCS1v15(), prehashed
                )
            else:
                self._public_key.verify(signature, digest, ec.ECDSA(prehashed))
        except InvalidSignature as err:
            raise RemoteSigningError(
                reason="the signature returned does not match the certificate"
            ) from err


def signature_size(public_key) -> int:
    """Largest raw signature ``public_key`` can verify, to reserve room for it."""
    key_bytes = (public_key.key_size + 7) // 8
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return 2 * key_bytes + 9  # DER SEQUENCE of two INTEGERs, worst case
    return key_bytes


class Pkcs12Backend(SignerBackend):
    """A key and certificate chain from a PKCS#12 (.p12/.pfx) file or bytes."""

    def __init__(
        self, source: bytes | os.PathLike | str, password: str | bytes | None
    ) -> None:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        if isinstance(password, str):
            password = password.encode()
        try:
            key, cert, others = pkcs12.load_key_and_certificates(data, password)
        except ValueError as err:
            raise KeyStoreError() from err
        if key is None or cert is None:
            raise KeyStoreError()
        service = InProcessSigningService(key, [cert, *others])
        self._signer = DigestSigner(service, verify_result=False)

    def open(self) -> AbstractContextManager[Signer]:
        return nullcontext(self._signer)


class RemoteBackend(SignerBackend):
    """Signatures from a :class:`RemoteSigningService`, each one checked."""

    def __init__(self, service: RemoteSigningService) -> None:
        self._service = service

    def open(self) -> AbstractContextManager[Signer]:
        return nullcontext(DigestSigner(self._service, verify_result=True))


class Pkcs11Backend(SignerBackend):
    """A key on a PKCS#11 token or HSM, through pyHanko's PKCS#11 signer.

    :param library: path to the PKCS#11 module (e.g. ``libsofthsm2.so``).
    :param pin: the user PIN.
    :param token_label: which token to use (else ``slot``, else the first).
    :param key_label: label of the private key (and of the certificate, unless
        ``cert_label`` differs).
    :param other_certs: DER issuer certificates to embed when the token holds
        only the signer's certificate.
    :param raw_mechanism: hash on this side and let the token sign the bare
        digest; needed for ECDSA keys on tokens without hash-and-sign
        mechanisms (SoftHSM2 among them).
    """

    def __init__(
        self,
        library: str,
        pin: str,
        *,
        token_label: str | None = None,
        slot: int | None = None,
        key_label: str | None = None,
        cert_label: str | None = None,
        key_id: bytes | None = None,
        other_certs: Iterable[bytes] = (),
        raw_mechanism: bool = False,
    ) -> None:
        self._library = library
        self._pin = pin
        self._token_label = token_label
        self._slot = slot
        self._key_label = key_label
        self._cert_label = cert_label
        self._key_id = key_id
        self._other_certs = [asn1_x509.Certificate.load(der) for der in other_certs]
        self._raw_mechanism = raw_mechanism

    @contextmanager
    def open(self) -> Iterator[Signer]:
        from pkcs11 import PKCS11Error
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.general import SigningError as PyhankoSigningError
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        criteria = TokenCriteria(label=self._token_label) if self._token_label else None
        try:
            session = open_pkcs11_session(
                self._library,
                slot_no=self._slot,
                token_criteria=criteria,
                user_pin=self._pin,
            )
        except PKCS11Error as err:
            if "while loading" in str(err):
                # python-pkcs11 names the library path when it cannot load it:
                # keep server paths out of user messages (the cause stays
                # chained for the server log).
                raise TokenModuleError() from err
            raise TokenError(reason=_describe_pkcs11_error(err)) from err
        except OSError as err:
            raise TokenModuleError() from err
        try:
            signer = PKCS11Signer(
                session,
                cert_label=self._cert_label,
                key_label=self._key_label,
                key_id=self._key_id,
                cert_id=self._key_id,
                ca_chain=self._other_certs,
                use_raw_mechanism=self._raw_mechanism,
            )
            _found_now = signer.signing_cert  # finds key and certificate now
            yield signer
        except (PKCS11Error, PyhankoSigningError) as err:
            raise TokenError(reason=_describe_pkcs11_error(err)) from err
        finally:
            session.close()


_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][^\s:'\"]+)+")


def _describe_pkcs11_error(err: Exception) -> str:
    """A short, secret-free description of a PKCS#11 failure."""
    name = type(err).__name__
    detail = _PATH.sub("…", str(err))
    return f"{name}: {detail}" if detail else name
