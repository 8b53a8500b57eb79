"""Independent checks: pyHanko's own validator, raw pyHanko signing, widget lookup."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from demo import testpki
from pades.backends import Pkcs12Backend
from pades.locate import Rect
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import (
    KeyUsageConstraints,
    PdfSignatureStatus,
    validate_pdf_signature,
)
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore


def asn1_cert(cert) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def pkcs12_backend(credential: testpki.Credential) -> Pkcs12Backend:
    return Pkcs12Backend(credential.pkcs12(), testpki.PKCS12_PASSWORD)


def pyhanko_status(
    pdf: bytes, pki: testpki.TestPki, field_name: str
) -> PdfSignatureStatus:
    """pyHanko's verdict on one signature, with the test root as only anchor."""
    reader = PdfFileReader(io.BytesIO(pdf))
    embedded = next(
        sig
        for sig in reader.embedded_regular_signatures
        if sig.field_name == field_name
    )
    context = ValidationContext(trust_roots=[asn1_cert(pki.root.certificate)])
    return validate_pdf_signature(
        embedded,
        context,
        key_usage_settings=KeyUsageConstraints(
            key_usage={"digital_signature", "non_repudiation"}
        ),
    )


def signature_dictionary(pdf: bytes, field_name: str):
    reader = PdfFileReader(io.BytesIO(pdf))
    embedded = next(
        sig
        for sig in reader.embedded_regular_signatures
        if sig.field_name == field_name
    )
    return embedded.sig_object, embedded


def widget_rect(pdf: bytes, field_name: str) -> tuple[Rect, int]:
    """Rectangle of a field's widget and its 1-based page number."""
    reader = PdfFileReader(io.BytesIO(pdf))
    for field in reader.root["/AcroForm"]["/Fields"]:
        field = field.get_object()
        if field["/T"] == field_name:
            x0, y0, x1, y1 = (float(v) for v in field["/Rect"])
            page_ref = field.raw_get("/P").reference
            pages = int(reader.root["/Pages"]["/Count"])
            page = next(
                index
                for index in range(pages)
                if reader.find_page_for_modification(index)[0].reference == page_ref
            )
            return Rect(x0, y0, x1, y1), page + 1
    raise AssertionError(f"no field {field_name}")


def rewritten(pdf: bytes, change) -> bytes:
    """Apply ``change(writer)`` in an incremental update, as a forger would."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


class _ClaimingPdfSigner(signers.PdfSigner):
    """A signer whose software claims any signing time it likes (a forger's)."""

    def __init__(self, *args, claimed_time, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._claimed_time = claimed_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._claimed_time
        return session


def raw_pyhanko_sign(
    pdf: bytes,
    credential: testpki.Credential,
    field_name: str = "Signature1",
    *,
    claimed_time=None,
    timestamper=None,
) -> bytes:
    """Sign with bare pyHanko, skipping every check our signer makes; with
    ``claimed_time`` the signer's software claims that signing time."""
    key = credential.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1_cert(credential.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_cert(cert) for cert in credential.chain]
        ),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name, subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    if claimed_time is None:
        pdf_signer = signers.PdfSigner(metadata, signer, timestamper=timestamper)
    else:
        pdf_signer = _ClaimingPdfSigner(
            metadata, signer, timestamper=timestamper, claimed_time=claimed_time
        )
    return pdf_signer.sign_pdf(writer).getvalue()


def timestamper_at(pki: testpki.TestPki, moment=None):
    """pyHanko's HTTP client of the test PKI's timestamp authority (served by
    ``testpki.serve_test_pki``); ``moment`` fixes the time it certifies (a
    TSA whose clock was right at that time: certomancer's time override)."""
    return pki.timestamper(moment)


def canvas_pdf(draw) -> bytes:
    """A one-page PDF drawn with reportlab in the bundled font."""
    from pades.appearance import FONT_PATH
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as ReportlabFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(ReportlabFont("VbdtSerif", str(FONT_PATH)))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(595, 842))
    page.setFont("VbdtSerif", 13)
    draw(page)
    page.save()
    return buffer.getvalue()


def form_field(pdf: bytes, field_name: str):
    """The dictionary of the form field ``field_name``."""
    reader = PdfFileReader(io.BytesIO(pdf))
    return next(
        f.get_object()
        for f in reader.root["/AcroForm"]["/Fields"]
        if f.get_object()["/T"] == field_name
    )


def actual_texts(pdf: bytes, field_name: str) -> list[str]:
    """The ``/ActualText`` strings pyHanko writes for each line of a stamp."""
    from pyhanko.pdf_utils.content_stream_parser import parse_content_stream

    field = form_field(pdf, field_name)
    texts = []
    pending = [field["/AP"]["/N"]]
    while pending:
        xobject = pending.pop().get_object()
        for value in xobject.get("/Resources", {}).get("/XObject", {}).values():
            if value.get_object().get("/Subtype") == "/Form":
                pending.append(value)
        for operator in parse_content_stream([xobject]):
            if operator.op == "BDC" and "/ActualText" in operator.args[1]:
                texts.append(str(operator.args[1]["/ActualText"]))
    return texts


# --- rendering ------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """A page rendered at 72 dpi: one pixel per point, origin top left."""

    image: object
    height: int

    def pixels(self, rect, predicate) -> int:
        """How many pixels inside the PDF rectangle ``rect`` satisfy ``predicate``."""
        x0, y0, x1, y1 = (round(v) for v in rect)
        box = self.image.crop((x0, self.height - y1, x1, self.height - y0))
        return sum(1 for pixel in box.getdata() if predicate(pixel))


def render(pdf: bytes, page: int = 1) -> Rendered:
    """Render one page (1-based) with poppler's ``pdftoppm``."""
    from PIL import Image

    assert shutil.which(
        "pdftoppm"
    ), "pdftoppm is required (apt-get install poppler-utils)"
    png = subprocess.run(
        ["pdftoppm", "-r", "72", "-png", "-f", str(page), "-l", str(page), "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return Rendered(image, image.height)


def new_ink(before: bytes, after: bytes, page: int = 1, dpi: int = 288):
    """A greyscale image of the ink ``after`` added to ``before`` on ``page``
    (darker is more), rendered once by pdftoppm at ``dpi``."""
    from PIL import Image, ImageChops

    def page_image(pdf):
        png = subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout
        return Image.open(io.BytesIO(png)).convert("L")

    return ImageChops.subtract(page_image(before), page_image(after))


def ink_rows_in(ink, rect, dpi: int = 288) -> list[int]:
    """Rows, in device pixels from the top of the page, with new ink inside
    the PDF rectangle ``rect`` of a :func:`new_ink` image."""
    scale = dpi / 72
    x0, y0, x1, y1 = rect
    box = (
        round(x0 * scale),
        round(ink.height - y1 * scale),
        round(x1 * scale),
        round(ink.height - y0 * scale),
    )
    inked = ink.crop(box)
    width = inked.width
    return sorted(
        {
            box[1] + index // width
            for index, value in enumerate(inked.getdata())
            if value > 60
        }
    )


def ink_rows(
    before: bytes, after: bytes, rect, page: int = 1, dpi: int = 288
) -> list[int]:
    """Rows where ``after`` put dark ink inside ``rect`` that ``before`` did not
    have."""
    return ink_rows_in(new_ink(before, after, page, dpi), rect, dpi)


def device_rows(rect, page_height: float, dpi: int = 288) -> tuple[int, int]:
    """Top and bottom pixel rows of the PDF rectangle ``rect`` on the page."""
    scale = dpi / 72
    return round((page_height - rect[3]) * scale), round(
        (page_height - rect[1]) * scale
    ) - 1


def changed_pixels(before: Rendered, after: Rendered) -> list[tuple[int, int]]:
    """PDF-space coordinates ``(x, y)`` of every pixel that differs."""
    from PIL import ImageChops

    difference = ImageChops.difference(before.image, after.image).convert("L")
    width = difference.width
    return [
        (index % width, after.height - index // width)
        for index, value in enumerate(difference.getdata())
        if value > 40
    ]


def is_blue(pixel) -> bool:
    red, green, blue = pixel
    return blue > 120 and red < 110 and blue - red > 60


def is_red(pixel) -> bool:
    red, green, blue = pixel
    return red > 150 and green < 110 and blue < 110


def is_dark(pixel) -> bool:
    return max(pixel) < 110
