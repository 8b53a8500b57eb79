"""PAdES signatures per Decree 30/2020, in plain Python (no Odoo import).

Layered like pyHanko: ``backends`` (where keys live), ``appearance`` and
``placement`` (what a stamp looks like and where it goes, helped by
``locate`` which finds text lines), ``signer`` (person, organisation and
attachment signatures), ``deferred`` (the same, with the signature value
arriving later), ``stamping`` (number and date fields), ``verify``
(reports), ``errors`` (translatable messages). The test PKI and demo
documents live outside it, in the addon's ``demo`` package.
"""

from .backends import (
    InProcessSigningService,
    Pkcs11Backend,
    Pkcs12Backend,
    RemoteBackend,
    RemoteSigningService,
    SignerBackend,
)
from .deferred import PendingSignature, begin_signing, finish_signing
from .placement import AUTOMATIC, Placement
from .signer import (
    AttachmentAppearance,
    OrganisationAppearance,
    PersonAppearance,
    SigningOptions,
    sign_pdf,
)
from .stamping import FieldBox, prepare_fields, stamp_number_date
from .verify import (
    CertificateInfo,
    DocumentReport,
    SignatureReport,
    verify_pdf,
)

__all__ = [
    "AUTOMATIC",
    "AttachmentAppearance",
    "CertificateInfo",
    "DocumentReport",
    "FieldBox",
    "InProcessSigningService",
    "OrganisationAppearance",
    "PendingSignature",
    "PersonAppearance",
    "Pkcs11Backend",
    "Pkcs12Backend",
    "Placement",
    "RemoteBackend",
    "RemoteSigningService",
    "SignatureReport",
    "SignerBackend",
    "SigningOptions",
    "begin_signing",
    "finish_signing",
    "prepare_fields",
    "sign_pdf",
    "stamp_number_date",
    "verify_pdf",
]
