"""PDF/A claim detection (addons/vbdt_document/pdfa): plain Python, no Odoo."""

import shutil
import subprocess
import time

import pytest
from pdfa import MAX_METADATA_BYTES, pdfa_claim
from pdfa.detect import claim_from_xmp
from pdfa.samples import XMP_ATTR, make_pdf

XMP_ELEMENTS = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
    b"<pdfaid:part>%s</pdfaid:part><pdfaid:conformance>%s</pdfaid:conformance>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


@pytest.mark.skipif(not shutil.which("ocrmypdf"), reason="ocrmypdf not installed")
def test_ocrmypdf_pdfa2b_is_detected_and_its_source_is_not(tmp_path):
    source = tmp_path / "scan.pdf"
    source.write_bytes(make_pdf())
    target = tmp_path / "scan-pdfa.pdf"
    subprocess.run(
        [
            "ocrmypdf",
            "-q",
            "--output-type",
            "pdfa-2",
            "--skip-text",
            str(source),
            str(target),
        ],
        check=True,
        timeout=120,
    )
    assert pdfa_claim(target.read_bytes()) == "2b"
    assert pdfa_claim(source.read_bytes()) is None


@pytest.mark.parametrize(
    ("part", "conformance", "expected"),
    [(b"1", b"B", "1b"), (b"2", b"u", "2u"), (b"3", b"A", "3a")],
)
def test_attribute_form(part, conformance, expected):
    assert pdfa_claim(make_pdf(XMP_ATTR % (part, conformance))) == expected


def test_element_form_and_flate_compressed_metadata():
    xmp = XMP_ELEMENTS % (b"2", b"B")
    assert pdfa_claim(make_pdf(xmp)) == "2b"
    assert pdfa_claim(make_pdf(xmp, filtered=True)) == "2b"


def test_pdfa4_has_no_conformance_letter():
    xmp = (
        b'<rdf:Description xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
        b'pdfaid:part="4"/>'
    )
    assert pdfa_claim(make_pdf(xmp)) == "4"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        None,
        b"PK\x03\x04 not a pdf",
        b"%PDF-1.4\nbroken beyond repair",
        make_pdf()[:60],
    ],
)
def test_not_a_pdfa_gives_none(raw):
    assert pdfa_claim(raw) is None


def test_pdf_without_claim_gives_none():
    assert pdfa_claim(make_pdf()) is None
    xmp = b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
    assert pdfa_claim(make_pdf(xmp)) is None
    assert pdfa_claim(make_pdf(XMP_ATTR % (b"9", b"b"))) is None


def test_oversize_metadata_is_not_read():
    xmp = XMP_ATTR % (b"2", b"b") + b" " * (MAX_METADATA_BYTES + 10)
    assert pdfa_claim(make_pdf(xmp)) is None
    assert claim_from_xmp(xmp) is None


def test_compressed_bomb_is_inflated_only_up_to_the_bound():
    # 64 MB of blanks before the claim: compressed it is ~64 KB; reading
    # must stop at the bound (no claim found) and stay fast.
    xmp = b" " * (64 * 1024 * 1024) + XMP_ATTR % (b"2", b"b")
    pdf = make_pdf(xmp, filtered=True)
    assert len(pdf) < MAX_METADATA_BYTES
    start = time.monotonic()
    assert pdfa_claim(pdf) is None
    assert time.monotonic() - start < 5
