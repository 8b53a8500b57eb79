"""Conversion of unsigned scans to PDF/A-2b (vbdt_capture/capture/pdfa.py);
a signed PDF is refused, its signatures must survive."""

import shutil

import pytest
from capture import CaptureError, convert_scan_to_pdfa, is_signed
from pdfa import pdfa_claim
from pdfa.samples import make_pdf

needs_ocrmypdf = pytest.mark.skipif(
    not shutil.which("ocrmypdf"), reason="ocrmypdf not installed"
)

SIG_DICT = (
    b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
    b"/ByteRange [0 100 200 50] /Contents <3082> >>"
)


def _with_object(pdf, body):
    """``pdf`` with one more object before its xref (xref left stale: PyPDF2
    and the byte scan both still see the object)."""
    head, tail = pdf.split(b"xref\n", 1)
    return head + b"9 0 obj\n" + body + b"\nendobj\nxref\n" + tail


def test_signed_pdfs_are_recognised():
    plain = make_pdf()
    assert not is_signed(plain)
    assert is_signed(_with_object(plain, SIG_DICT))
    field = b"<< /FT /Sig /T (Chu ky) /V 10 0 R >>"
    assert is_signed(_with_object(plain, field))
    # Unreadable: cannot be shown to be unsigned.
    assert is_signed(b"%PDF-1.7\ngarbage")


@needs_ocrmypdf
def test_signed_pdf_is_never_converted():
    signed = _with_object(make_pdf(), SIG_DICT)
    with pytest.raises(CaptureError) as caught:
        convert_scan_to_pdfa(signed)
    assert caught.value.code == "signed"


def test_not_a_pdf_is_refused():
    with pytest.raises(CaptureError) as caught:
        convert_scan_to_pdfa(b"\x89PNG\r\n")
    assert caught.value.code == "not_pdf"


@needs_ocrmypdf
def test_unsigned_scan_becomes_pdfa_2b():
    scan = make_pdf()
    assert pdfa_claim(scan) is None
    converted = convert_scan_to_pdfa(scan)
    assert pdfa_claim(converted) == "2b"
    assert not is_signed(converted)
