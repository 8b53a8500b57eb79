"""A browser signing plugin's whole-PDF output is checked, never trusted:
the prepared bytes plus exactly one signature, changing nothing else."""

from __future__ import annotations

from io import BytesIO

import pytest
from demo import testpki
from pades.errors import PluginOutputError
from pades.plugin import check_plugin_output, prepare_for_plugin
from pades.stamping import prepare_fields
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers


def _signer(credential):
    return signers.SimpleSigner.load_pkcs12_data(
        credential.pkcs12(), [], passphrase=testpki.PKCS12_PASSWORD.encode()
    )


def _sign(
    pdf: bytes, credential, tamper: bool = False, field="VGCA_Signature"
) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    if tamper:
        page = writer.root["/Pages"]["/Kids"][0].get_object()
        extra = writer.add_object(
            generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 72 Td (X) Tj ET")
        )
        page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), extra])
        writer.update_container(page)
    out = BytesIO()
    signers.sign_pdf(
        writer,
        signers.PdfSignatureMetadata(field_name=field),
        _signer(credential),
        output=out,
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def prepared(draft) -> bytes:
    return prepare_for_plugin(prepare_fields(draft))


def test_prepared_once_is_stable(prepared):
    assert prepare_for_plugin(prepared) == prepared


def test_one_signature_appended_is_accepted(prepared, pki):
    check_plugin_output(prepared, _sign(prepared, pki.person))


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda p, pki: _sign(p, pki.person, tamper=True), "content"),
        (lambda p, pki: p, "byte for byte"),
        (lambda p, pki: _sign(p, pki.person)[:-40], "unreadable"),
        (lambda p, pki: _sign(p[:-5] + b"EOF\n\n", pki.person), "byte for byte"),
        (
            lambda p, pki: _sign(_sign(p, pki.person), pki.organisation, field="B"),
            "exactly one signature",
        ),
    ],
    ids=["page changed", "nothing added", "truncated", "rewritten", "two"],
)
def test_refused(prepared, pki, make, reason):
    with pytest.raises(PluginOutputError, match=reason):
        check_plugin_output(prepared, make(prepared, pki))
