"""Small PDFs declaring (or not) a PDF/A level in their XMP metadata, built
byte by byte: shared by the pytest suite (tests/pdfa) and the Odoo tests of
the addons that read PDF/A levels. Plain Python, no Odoo."""

import zlib

XMP_ATTR = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
    b'pdfaid:part="%s" pdfaid:conformance="%s"/></rdf:RDF></x:xmpmeta>'
    b'<?xpacket end="w"?>'
)
XMP_2B = XMP_ATTR % (b"2", b"B")


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


PDFA_2B = make_pdf(XMP_2B)
