"""Checks on the output of a CA's browser signing plugin that signs the
whole PDF itself (VGCA Sign Service and vendor plugins in "PDF" mode).

The server prepared the document and the plugin, on the signer's computer,
returns it signed: that output is never trusted. It must be the prepared
bytes unchanged plus one incremental update (nothing rewritten), add exactly
one signature, covering the whole file, and change nothing but that
signature's field and appearance (pyHanko's difference analysis at the
"form filling" level: no page content, no annotation, no page added). The
caller then verifies the signature itself (integrity, trust, revocation, key
usage, the signer's registered certificate) as for any signature it makes.
Plain Python: no Odoo import.
"""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    ModificationLevel,
    SuspiciousModification,
)
from pyhanko.sign.validation import SignatureCoverageLevel

from .errors import PluginOutputError, _

MAX_PLUGIN_PDF = 64 << 20
"""The largest signed PDF accepted from a plugin (bytes)."""


def prepare_for_plugin(pdf: bytes) -> bytes:
    """The document as handed to the plugin: its form marked as holding
    signatures (``/SigFlags 3``), as a first signature would mark it, so that
    the plugin's update adds its signature and nothing else the analysis
    would have to excuse. ``pdf`` must already have its form (the number and
    date fields, see :func:`.stamping.prepare_fields`)."""
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        form = writer.root["/AcroForm"]
        form = form.get_object()
    except (PdfError, KeyError, ValueError, TypeError) as err:
        raise PluginOutputError(reason=f"unreadable PDF ({err})") from None
    if form.get("/SigFlags") == 3:
        return pdf
    form["/SigFlags"] = generic.NumberObject(3)
    if isinstance(writer.root.raw_get("/AcroForm"), generic.IndirectObject):
        writer.update_container(form)
    else:
        writer.update_root()
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def check_plugin_output(prepared: bytes, signed: bytes) -> None:
    """Raise :class:`PluginOutputError` unless ``signed`` is ``prepared``
    plus exactly one signature that covers the whole file and changes
    nothing else."""
    if len(signed) > MAX_PLUGIN_PDF:
        raise PluginOutputError(reason=_("the file is too large"))
    if len(signed) <= len(prepared) or not signed.startswith(prepared):
        raise PluginOutputError(
            reason=_(
                "it does not keep the prepared document byte for byte (a plugin "
                "may only append an incremental update)"
            )
        )
    try:
        before = PdfFileReader(BytesIO(prepared), strict=False)
        after = PdfFileReader(BytesIO(signed), strict=False)
        known = len(before.embedded_regular_signatures)
        signatures = after.embedded_regular_signatures
        if len(after.embedded_signatures) != len(before.embedded_signatures) + 1:
            raise PluginOutputError(reason=_("it must add exactly one signature"))
        if len(signatures) != known + 1:
            raise PluginOutputError(reason=_("it must add exactly one signature"))
        added = max(signatures, key=lambda s: s.signed_revision)
        if added.evaluate_signature_coverage() != SignatureCoverageLevel.ENTIRE_FILE:
            raise PluginOutputError(
                reason=_("its signature does not cover the whole file")
            )
        base = before.xrefs.total_revisions - 1
        diff = DEFAULT_DIFF_POLICY.review_file(after, base)
    except (PdfError, ValueError, KeyError, TypeError) as err:
        raise PluginOutputError(reason=f"unreadable PDF ({err})") from None
    if (
        isinstance(diff, SuspiciousModification)
        or diff.modification_level > ModificationLevel.FORM_FILLING
    ):
        raise PluginOutputError(
            reason=_("besides its signature it changes the document's content")
        )
