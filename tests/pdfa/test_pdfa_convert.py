"""Conversion of unsigned PDFs to PDF/A-2b: the core (vbdt_document/pdfa/
convert.py) and its scan wrapper (vbdt_capture/capture/pdfa.py); a signed PDF
is refused, its signatures must survive."""

import shutil

import pytest
from capture import CaptureError, convert_scan_to_pdfa, is_signed
from pdfa import PdfaError, PdfaLimits, convert_to_pdfa, page_count, pdfa_claim
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


# The core of vbdt_document (vbdt_document/pdfa/convert.py) that the capture
# wrapper and vbdt_signature's drafts share.


def _born_digital(pages):
    """A draft as a word processor exports it: text on every page."""
    from demo.documents import demo_document_pdf

    return demo_document_pdf(pages=pages)


@needs_ocrmypdf
def test_born_digital_draft_becomes_pdfa_2b_without_ocr():
    draft = _born_digital(2)
    assert pdfa_claim(draft) is None
    converted = convert_to_pdfa(draft)
    assert pdfa_claim(converted) == "2b"
    assert page_count(converted) == 2
    assert not is_signed(converted)


def test_core_refuses_signed_broken_and_long_pdfs_before_running_anything():
    with pytest.raises(PdfaError) as caught:
        convert_to_pdfa(_with_object(make_pdf(), SIG_DICT))
    assert caught.value.code == "signed"
    with pytest.raises(PdfaError) as caught:
        convert_to_pdfa(b"%PDF-1.7\ngarbage")
    assert caught.value.code == "not_pdf"
    with pytest.raises(PdfaError) as caught:
        convert_to_pdfa(_born_digital(3), PdfaLimits(max_pages=2))
    assert (caught.value.code, caught.value.detail) == ("too_many_pages", "3")


@needs_ocrmypdf
def test_core_time_limit_gives_timeout():
    with pytest.raises(PdfaError) as caught:
        # a zero-second budget: the program is stopped, no output is returned
        convert_to_pdfa(_born_digital(1), PdfaLimits(seconds=0))
    assert caught.value.code == "timeout"


def _text_of(raw, tmp_path):
    from pdfa import convert

    path = tmp_path / "t.pdf"
    path.write_bytes(raw)
    return convert._text(str(path), PdfaLimits())


@needs_ocrmypdf
def test_born_digital_draft_keeps_its_vietnamese_text(tmp_path):
    draft = _born_digital(1)
    converted = convert_to_pdfa(draft)
    assert "SốQĐ" not in _text_of(draft, tmp_path)  # white space is dropped
    assert "TỈNHPHÚTHỌ" in _text_of(converted, tmp_path)
    assert _text_of(converted, tmp_path) == _text_of(draft, tmp_path)


@needs_ocrmypdf
def test_text_guard_refuses_a_conversion_that_garbles_letters(monkeypatch):
    """Ghostscript 10.0.0-10.02.0's new interpreter loses Vietnamese letters
    of an existing text layer: without the legacy-interpreter switch the
    guard refuses the result instead of returning it."""
    from pdfa import convert

    if not convert._ghostscript_env():
        pytest.skip("this Ghostscript keeps the text without the switch")
    monkeypatch.setattr(convert, "_ghostscript_env", lambda: {})
    with pytest.raises(PdfaError) as caught:
        convert_to_pdfa(_born_digital(1))
    assert caught.value.code == "text_changed"


@needs_ocrmypdf
def test_signature_layout_finds_the_lines_of_a_pdfa_draft():
    """Ghostscript writes the ' text operator and one-byte CID fonts with an
    embedded CMap: the layout core (vbdt_signature/pades/locate.py) still
    reads every line of the PDF/A, with its text and place unchanged, so
    the number field and the signature land where they did on the draft."""
    import io

    from pades import locate
    from pyhanko.pdf_utils.reader import PdfFileReader

    draft = _born_digital(1)
    converted = convert_to_pdfa(draft)
    assert b"'" in converted or b"OneByte" in converted  # what Ghostscript wrote
    before = locate.text_lines(PdfFileReader(io.BytesIO(draft)), 0)
    after = locate.text_lines(PdfFileReader(io.BytesIO(converted)), 0)
    assert [line.text for line in after] == [line.text for line in before]
    assert any(line.text.startswith("Số:") for line in after)
    for old, new in zip(before, after, strict=True):
        for a, b in zip(old.rect.as_tuple(), new.rect.as_tuple(), strict=True):
            assert abs(a - b) < 0.5
