"""Errors of the PAdES core, written so that the Odoo layer can translate them.

Every message is an English template with named ``%(name)s`` placeholders,
marked with the no-op :func:`_` below so that Odoo's string extractor puts it
in the addon's ``.pot`` file.  The Odoo layer translates ``err.template`` and
interpolates ``err.params`` itself; plain Python callers just use ``str(err)``.
"""

from __future__ import annotations

from typing import Any


def _(message: str) -> str:
    """Mark ``message`` for translation; the Odoo layer translates it later."""
    return message


class PadesError(Exception):
    """Base class: a message template plus the values that fill it."""

    template = _("The PDF signature operation failed.")
    translated_params: tuple[str, ...] = ()
    """Parameters whose values are themselves translatable terms."""

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.template % self.params

    @property
    def code(self) -> str:
        """Stable identifier for callers that branch on the kind of error."""
        return type(self).__name__

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self),
            "template": self.template,
            "params": {key: str(value) for key, value in self.params.items()},
        }


# --- input documents -------------------------------------------------------


class InvalidPdfError(PadesError):
    template = _("The file is not a readable PDF document: %(reason)s")


class EncryptedPdfError(PadesError):
    template = _(
        "The PDF document is encrypted; remove the password protection "
        "before signing or verifying it."
    )


class InvalidImageError(PadesError):
    """An image Pillow cannot read as a PNG.  Raise it through :meth:`of`:
    each role has its own whole sentence, since a role word slotted into a
    shared sentence cannot be translated properly."""

    template = _("The image is not a readable PNG file: %(reason)s")

    @staticmethod
    def of(role: str, reason: str) -> InvalidImageError:
        kind = {"signature": InvalidSignatureImageError, "seal": InvalidSealImageError}
        return kind.get(role, InvalidImageError)(role=role, reason=reason)


class InvalidSignatureImageError(InvalidImageError):
    template = _("The signature image is not a readable PNG file: %(reason)s")


class InvalidSealImageError(InvalidImageError):
    template = _("The seal image is not a readable PNG file: %(reason)s")


class OpaqueImageError(PadesError):
    """A signature or seal image without a transparent background: drawn
    over the page it would blank out the signature under it and the printed
    name.  Raise it through :meth:`of`, like :class:`InvalidImageError`."""

    template = _(
        "The image must have a transparent background: its border is opaque. "
        "Use a PNG with the background removed."
    )

    @staticmethod
    def of(role: str) -> OpaqueImageError:
        kind = {"signature": OpaqueSignatureImageError, "seal": OpaqueSealImageError}
        return kind.get(role, OpaqueImageError)(role=role)


class OpaqueSignatureImageError(OpaqueImageError):
    template = _(
        "The signature image must have a transparent background: its border is "
        "opaque. Upload the signature as a PNG with the background removed."
    )


class OpaqueSealImageError(OpaqueImageError):
    template = _(
        "The seal image must have a transparent background: its border is "
        "opaque. Upload the seal as a PNG with the background removed."
    )


class SealSizeUnknownError(PadesError):
    template = _(
        "The seal image carries no resolution (DPI), so its real size is "
        "unknown; give the seal diameter in millimetres."
    )


# --- placement ---------------------------------------------------------------


class SignatureFieldNotFoundError(PadesError):
    template = _("The document has no empty signature field named %(field)s.")


class SignatureBlockNotFoundError(PadesError):
    template = _(
        "The signature block could not be found: no line reading "
        "%(anchor)s in the document. Give the position explicitly."
    )


class SignatureImageOverlapsTextError(PadesError):
    template = _(
        "The signature image would cover the text “%(text)s” on page %(page)s: "
        "leave at least 2 cm free between the signer's title and printed name, "
        "or give the position explicitly."
    )


class SealOverlapsTextError(PadesError):
    template = _(
        "The seal, or the agency name and signing time under it, would print over "
        "the text “%(text)s” on page %(page)s, and no free place was found beside "
        "the signature block. Make room around the signature block on that page "
        "(for example shorten the recipient list or move it lower), or give the "
        "position explicitly."
    )


class AttachmentStampOverlapsTextError(PadesError):
    template = _(
        "The number and signing time stamped at the top right of page 1 would "
        "print over the text “%(text)s”: leave the top right corner of page 1 "
        "free (%(width)s × %(height)s mm), or give the position explicitly."
    )


class TextLineNotFoundError(PadesError):
    template = _(
        "No %(line)s line was found on page %(page)s; give the field position "
        "explicitly."
    )


class PageOutOfRangeError(PadesError):
    template = _("Page %(page)s does not exist; the document has %(count)s pages.")


# --- keys and certificates ---------------------------------------------------


class KeyStoreError(PadesError):
    template = _(
        "The PKCS#12 key file could not be opened: wrong password or damaged file."
    )


class TokenError(PadesError):
    template = _("The signing token could not be used: %(reason)s")


class TokenModuleError(TokenError):
    """The PKCS#11 library itself cannot be loaded; says nothing of its path."""

    template = _(
        "The PKCS#11 module could not be loaded on the server; ask the system "
        "administrator to check the modules allowed in the server configuration."
    )


class RemoteSigningError(PadesError):
    template = _("The remote signing service failed: %(reason)s")


class RemoteProviderError(RemoteSigningError):
    """A remote signing service refused or failed; ``reason`` is its own
    message (``pades.remote``)."""

    template = _("The remote signing service %(provider)s refused: %(reason)s")


class RemoteSettingError(RemoteProviderError):
    """The service's settings, or what the signer typed, cannot be used: the
    reason is ours (a translatable term), not the service's own words, so the
    signer reads it in their language. Raised before anything is sent."""

    translated_params = ("reason",)
    template = _("The remote signing service %(provider)s cannot be used: %(reason)s")


class RemoteUnavailableError(RemoteSigningError):
    """No usable answer (network, timeout, malformed or oversized response)."""

    template = _(
        "The remote signing service %(provider)s cannot be reached or answered "
        "unexpectedly (%(reason)s); try again in a few minutes."
    )


class RemoteCertificateError(RemoteSigningError):
    """The remote service has no usable certificate for this account."""

    template = _(
        "The remote signing service %(provider)s has no certificate for account "
        "%(account)s%(detail)s."
    )


class RemoteSignatureValueError(RemoteSigningError):
    """The value returned is neither a raw signature nor a usable CMS."""

    template = _(
        "The remote signing service returned a signature that cannot be used: "
        "%(reason)s."
    )


class CertificateExpiredError(PadesError):
    template = _(
        "The certificate of %(subject)s expired on %(not_after)s; it can no longer "
        "sign."
    )


class CertificateNotYetValidError(PadesError):
    template = _("The certificate of %(subject)s is only valid from %(not_before)s.")


class KeyUsageError(PadesError):
    template = _(
        "The certificate of %(subject)s is not meant for signatures (its key "
        "usage allows neither digitalSignature nor nonRepudiation)."
    )


class UntrustedCertificateError(PadesError):
    template = _(
        "The certificate of %(subject)s does not chain to a configured trust anchor: "
        "%(reason)s"
    )


class TimestampError(PadesError):
    template = _("The timestamp authority could not be reached: %(reason)s")


class TimestampAuthorityMissingError(PadesError):
    template = _(
        "No timestamp authority is configured: long-term validation (document "
        "timestamps) needs one."
    )


class KeyTooWeakError(PadesError):
    template = _(
        "The key of the certificate of %(subject)s is too weak (%(algorithm)s, "
        "%(bits)s bits): Circular 15/2025/TT-BKHCN requires RSA of at least 2048 "
        "bits or ECDSA of at least 256 bits."
    )


# --- Decree 30 workflow --------------------------------------------------------


class PersonSignatureMissingError(PadesError):
    template = _(
        "The organisation seal can only be applied after a valid signature of the "
        "competent person."
    )


class SealAlreadyAppliedError(PadesError):
    template = _(
        "The document already carries the organisation signature "
        "(%(field)s); it cannot be signed again."
    )


class AlreadySignedError(PadesError):
    template = _(
        "The document is already signed; the number and date fields must be "
        "created before the first signature."
    )


class StampFieldsMissingError(PadesError):
    template = _(
        "The document has no empty %(field)s field; create the number and "
        "date fields before the person signs."
    )


class SigningError(PadesError):
    template = _("The document could not be signed: %(reason)s")


# --- verification findings (reported, not raised) ------------------------------


class SignatureBrokenError(PadesError):
    template = _(
        "The signature %(field)s does not match the document: the signed "
        "content was altered or the signature value is corrupt."
    )


class ChangesNotPermittedError(PadesError):
    template = _(
        "The document was changed after signature %(field)s in a way that "
        "is not permitted: %(reason)s"
    )


class SignatureRemovedError(PadesError):
    template = _(
        "Signature %(field)s was present in an earlier revision of the "
        "document and has been removed."
    )


class CertificateInvalidAtSigningTimeError(PadesError):
    template = _(
        "The certificate of %(subject)s was not valid at %(time)s, the earliest "
        "time the signature is proven to exist (valid from %(not_before)s to "
        "%(not_after)s). A signing time claimed by the signer proves nothing."
    )


REVOCATION_REASONS = {
    "unspecified": _("unspecified"),
    "key_compromise": _("key compromise"),
    "ca_compromise": _("CA compromise"),
    "affiliation_changed": _("affiliation changed"),
    "superseded": _("superseded"),
    "cessation_of_operation": _("cessation of operation"),
    "certificate_hold": _("certificate hold"),
    "remove_from_crl": _("removed from CRL"),
    "privilege_withdrawn": _("privilege withdrawn"),
    "aa_compromise": _("AA compromise"),
}
"""RFC 5280 revocation reasons as the user reads them."""


def revocation_reason(native: str | None) -> str:
    return REVOCATION_REASONS.get(native or "unspecified", native or "")


class CertificateRevokedError(PadesError):
    translated_params = ("reason",)
    template = _(
        "The certificate of %(subject)s was revoked on %(date)s (reason: "
        "%(reason)s), before %(time)s, the earliest time the signature is "
        "proven to exist. A signing time claimed by the signer proves nothing."
    )


class CertificateRevokedCannotSignError(PadesError):
    translated_params = ("reason",)
    template = _(
        "The certificate of %(subject)s was revoked on %(date)s (reason: "
        "%(reason)s); it can no longer sign."
    )


class RevocationNotCheckedError(PadesError):
    template = _(
        "The revocation status of the certificate of %(subject)s could not be "
        "checked (no CRL or OCSP response available)."
    )


class SigningTimeClaimedError(PadesError):
    """Advisory: no timestamp of its own, so the signature was judged at a
    later moment that is proven; each basis has its own whole sentence."""

    template = _(
        "Signature %(field)s has no trusted timestamp: its signing time is the "
        "signer's own claim."
    )


class SigningTimeFromDocumentTimestampNote(SigningTimeClaimedError):
    template = _(
        "Signature %(field)s has no timestamp of its own: it was judged at "
        "%(time)s, the time of the first document timestamp after it."
    )


class SigningTimeFromReceiptNote(SigningTimeClaimedError):
    template = _(
        "Signature %(field)s has no trusted timestamp: it was judged at "
        "%(time)s, when this system received the file, not at the time the "
        "signer claims."
    )


class SigningTimeFromVerificationNote(SigningTimeClaimedError):
    template = _(
        "Signature %(field)s has no trusted timestamp: it was judged at the "
        "time of this verification (%(time)s), not at the time the signer claims."
    )


class TimestampInvalidError(PadesError):
    template = _("The timestamp of signature %(field)s is not valid or not trusted.")


class DocumentTimestampInvalidError(PadesError):
    template = _("The document timestamp %(field)s is not valid or not trusted.")


# --- browser signing plugins -------------------------------------------------


class PluginOutputError(PadesError):
    template = _("The PDF signed by the signing plugin was refused: %(reason)s")
    translated_params = ("reason",)
