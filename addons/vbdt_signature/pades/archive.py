"""Long-term validation: embedded validation data (B-LT) and archival
document timestamps (B-LTA), so that a signature keeps proving who signed
and when for decades, long after the certificates expired.

Everything here is pyHanko's own machinery, in incremental updates that
neither the person signature nor the seal forbid (pyHanko's modification
analysis classes them as ``lta_updates``):

* :func:`embed_validation_data` adds the chain and the CRLs/OCSP responses
  of signatures to the document security store (DSS), as pyHanko's
  ``ltvfix`` does; run after a signature, it makes B-T a B-LT signature.
* :func:`add_archival_timestamp` does that for every signature and then
  adds a document timestamp (B-LTA).
* :func:`renew_archival_timestamp` adds the validation data of the last
  document timestamp and a fresh one over everything
  (``update_archival_timestamp_chain``), before the last TSA certificate
  expires or its algorithms weaken: :func:`archival_renewal_due` says when.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterable
from datetime import datetime, timedelta

from pyhanko.sign.signers import PdfTimeStamper
from pyhanko.sign.validation import add_validation_info
from pyhanko_certvalidator import ValidationContext

from .errors import TimestampAuthorityMissingError
from .pdf import open_reader, open_writer
from .signer import DIGEST_ALGORITHM, SigningOptions, pyhanko_errors
from .verify import document_timestamps, fetcher_backend, load_certificates

STRONG_DIGESTS = frozenset(
    {"sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512"}
)
"""Digests an archival timestamp may keep using; any other is renewed at once."""

RENEWAL_MARGIN = timedelta(days=365)
"""Renew a year before the last TSA certificate expires: time to notice a failing
cron."""


def validation_context(options: SigningOptions) -> ValidationContext:
    """The context pyHanko collects validation data with (tolerant: what
    cannot be found is not embedded, and verification reports it)."""
    return ValidationContext(
        trust_roots=load_certificates(options.trust_anchors),
        crls=list(options.crls),
        ocsps=list(options.ocsps),
        allow_fetching=options.allow_fetching,
        fetcher_backend=fetcher_backend() if options.allow_fetching else None,
        revocation_mode="soft-fail",
    )


def embed_validation_data(
    pdf: bytes, options: SigningOptions, fields: Iterable[str] | None = None
) -> bytes:
    """Add the DSS entries of the signatures named (all when None): B-LT."""
    context = validation_context(options)
    names = [s.field_name for s in open_reader(pdf).embedded_regular_signatures]
    for name in names if fields is None else [n for n in names if n in set(fields)]:
        # one incremental update per signature, each over the previous one
        embedded = next(
            s
            for s in open_reader(pdf).embedded_regular_signatures
            if s.field_name == name
        )
        with pyhanko_errors():
            # no VRI entry (deprecated in PAdES baseline): a later update
            # would rewrite it, which breaks the signatures made after it
            pdf = add_validation_info(embedded, context, add_vri_entry=False).getvalue()
    return pdf


def add_archival_timestamp(pdf: bytes, options: SigningOptions) -> bytes:
    """Validation data for every signature, then a document timestamp (B-LTA)."""
    timestamper = _timestamper(options)
    with_dss = embed_validation_data(pdf, options)
    with pyhanko_errors():
        return (
            PdfTimeStamper(timestamper)
            .timestamp_pdf(
                open_writer(with_dss), DIGEST_ALGORITHM, validation_context(options)
            )
            .getvalue()
        )


def renew_archival_timestamp(pdf: bytes, options: SigningOptions) -> bytes:
    """Validation data of the last document timestamp, then a new one over all."""
    timestamper = _timestamper(options)
    output = io.BytesIO()
    with pyhanko_errors():
        asyncio.run(
            PdfTimeStamper(timestamper).async_update_archival_timestamp_chain(
                open_reader(pdf),
                validation_context(options),
                in_place=False,
                output=output,
                default_md_algorithm=DIGEST_ALGORITHM,
            )
        )
    return output.getvalue()


def archival_renewal_due(
    pdf: bytes, margin: timedelta = RENEWAL_MARGIN
) -> datetime | None:
    """When the last document timestamp must be renewed; None without one.

    Its TSA certificate's expiry minus ``margin``, or at once when its
    digest algorithm is no longer strong.
    """
    stamps = [stamp.embedded for stamp in document_timestamps(open_reader(pdf))]
    last = next((stamp for stamp in reversed(stamps) if stamp is not None), None)
    if last is None:
        return None
    not_after = last.signer_cert.not_valid_after
    if last.md_algorithm not in STRONG_DIGESTS:
        return last.signer_cert.not_valid_before
    return not_after - margin


def _timestamper(options: SigningOptions):
    timestamper = options.build_timestamper()
    if timestamper is None:
        raise TimestampAuthorityMissingError()
    return timestamper
