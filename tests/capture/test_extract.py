import letters
import pytest
from capture import CaptureError, CaptureLimits, extract_pdf_text, ocr_available


@pytest.fixture(scope="module")
def letter():
    return letters.make_letters(1)[0]


def test_text_layer_of_a_born_digital_letter(letter):
    result = extract_pdf_text(letter.pdf)
    assert [page.method for page in result.pages] == ["text"]
    assert f"Số: {letter.number}/{letter.notation}" in result.text
    assert letter.signer_name in result.text


def test_not_a_pdf_is_refused():
    with pytest.raises(CaptureError) as caught:
        extract_pdf_text(b"PK\x03\x04 a zip")
    assert caught.value.code == "not_pdf"


def test_garbage_behind_a_pdf_header_is_refused():
    with pytest.raises(CaptureError) as caught:
        extract_pdf_text(b"%PDF-1.4\n" + b"\x00garbage" * 100)
    assert caught.value.code == "not_pdf"


def test_page_limit(letter):
    with pytest.raises(CaptureError) as caught:
        extract_pdf_text(letter.pdf, CaptureLimits(max_pages=0))
    assert (caught.value.code, caught.value.detail) == ("too_many_pages", "1")


def test_ocr_skipped_when_not_asked(letter):
    scanned = letters.scan(letter.pdf, dpi=100)
    result = extract_pdf_text(scanned, ocr=False)
    assert [page.method for page in result.pages] == ["text"]
    assert result.text == ""


def test_ocr_page_time_limit_fails_the_page_not_the_file(letter):
    scanned = letters.scan(letter.pdf, dpi=300)
    result = extract_pdf_text(scanned, CaptureLimits(page_seconds=1, dpi=600))
    assert result.failed_pages == [1]
    assert result.pages[0].error == "timeout"


def test_tesseract_has_vietnamese():
    assert ocr_available(), "install tesseract-ocr-vie (scripts/lib.sh, .ci/run)"
