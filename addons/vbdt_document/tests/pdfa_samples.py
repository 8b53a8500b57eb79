"""A minimal PDF declaring PDF/A-2b in its XMP metadata, for Odoo tests."""

XMP_2B = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
    b'pdfaid:part="2" pdfaid:conformance="B"/></rdf:RDF></x:xmpmeta>'
    b'<?xpacket end="w"?>'
)


def make_pdf(metadata=None):
    """A one-page PDF with a correct xref and, when given, ``metadata`` as the
    catalogue's /Metadata stream."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R%s >>"
        % (b" /Metadata 4 0 R" if metadata is not None else b""),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    if metadata is not None:
        objects.append(
            b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream"
            % (len(metadata), metadata)
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
