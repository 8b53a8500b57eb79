"""PDF/A claim detection (addons/vbdt_document/pdfa): plain Python, no Odoo."""

import shutil
import subprocess
import time
import zlib

import pytest
from pdfa import MAX_METADATA_BYTES, pdfa_claim
from pdfa.detect import claim_from_xmp

XMP_ATTR = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
    b'pdfaid:part="%s" pdfaid:conformance="%s"/></rdf:RDF></x:xmpmeta>'
    b'<?xpacket end="w"?>'
)
XMP_ELEMENTS = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
    b"<pdfaid:part>%s</pdfaid:part><pdfaid:conformance>%s</pdfaid:conformance>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def make_pdf(metadata=None, filtered=False):
    """A one-page PDF with a correct xref; ``metadata`` becomes the
    catalogue's /Metadata stream (Flate-compressed when ``filtered``)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R%s >>"
        % (b" /Metadata 4 0 R" if metadata is not None else b""),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    if metadata is not None:
        data = zlib.compress(metadata) if filtered else metadata
        objects.append(
            b"<< /Type /Metadata /Subtype /XML /Length %d%s >>\nstream\n%s\nendstream"
            % (len(data), b" /Filter /FlateDecode" if filtered else b"", data)
        )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


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
