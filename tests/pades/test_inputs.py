"""Bad input gets a clear, translatable error; the caller's bytes are never touched."""

from __future__ import annotations

import io

import pytest
from demo import documents as demo
from pades import errors
from pades.errors import (
    EncryptedPdfError,
    InvalidImageError,
    InvalidPdfError,
    PadesError,
    PageOutOfRangeError,
    PersonSignatureMissingError,
    SealSizeUnknownError,
    SignatureFieldNotFoundError,
)
from pades.placement import Placement
from pades.signer import OrganisationAppearance, PersonAppearance, sign_pdf
from pades.stamping import prepare_fields
from pades.verify import verify_pdf


def encrypted_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt="secret")
    page.drawString(100, 700, "Mật")
    page.save()
    return buffer.getvalue()


BROKEN = {
    "garbage": b"this is not a PDF at all",
    "empty": b"",
    "header only": b"%PDF-1.7\n%%EOF\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_pdf(name, pki, person, person_appearance):
    for action in (
        lambda pdf: sign_pdf(pdf, person, person_appearance),
        lambda pdf: verify_pdf(pdf, pki.trust_anchors),
        prepare_fields,
    ):
        with pytest.raises(InvalidPdfError):
            action(BROKEN[name])


def test_truncated_pdf(draft, pki, person, person_appearance):
    truncated = draft[: len(draft) // 2]
    with pytest.raises(InvalidPdfError):
        sign_pdf(truncated, person, person_appearance)
    with pytest.raises(InvalidPdfError):
        verify_pdf(truncated, pki.trust_anchors)


def test_encrypted_pdf(pki, person, person_appearance):
    pdf = encrypted_pdf()
    with pytest.raises(EncryptedPdfError):
        sign_pdf(pdf, person, person_appearance)
    with pytest.raises(EncryptedPdfError):
        verify_pdf(pdf, pki.trust_anchors)


def test_input_bytes_are_never_modified(draft, person, person_appearance):
    original = bytes(draft)
    signed = sign_pdf(draft, person, person_appearance)
    assert draft == original and signed != draft


def test_not_a_png(draft, person):
    with pytest.raises(InvalidImageError) as caught:
        sign_pdf(draft, person, PersonAppearance(b"GIF89a..."))
    assert isinstance(caught.value, errors.InvalidSignatureImageError)
    assert str(caught.value).startswith("The signature image is not")


def test_image_messages_are_whole_sentences_per_role(draft, organisation):
    """Each role has its own template (no role word slotted into a shared
    sentence), so that translators see and translate the whole message."""
    with pytest.raises(InvalidImageError) as caught:
        sign_pdf(draft, organisation, OrganisationAppearance(b"not a png", "UBND"))
    assert isinstance(caught.value, errors.InvalidSealImageError)
    assert str(caught.value).startswith("The seal image is not")
    templates = {
        errors.InvalidSignatureImageError.template,
        errors.InvalidSealImageError.template,
    }
    assert all("%(role)s" not in template for template in templates)
    assert caught.value.params["role"] == "seal"


def test_jpeg_is_not_accepted(draft, person):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(buffer, format="JPEG")
    with pytest.raises(InvalidImageError) as caught:
        sign_pdf(draft, person, PersonAppearance(buffer.getvalue()))
    assert "JPEG" in str(caught.value)


def test_seal_without_resolution_needs_a_diameter(draft, organisation):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (100, 100), (255, 0, 0, 128)).save(buffer, format="PNG")
    with pytest.raises(SealSizeUnknownError):
        sign_pdf(draft, organisation, OrganisationAppearance(buffer.getvalue(), "UBND"))
    with_diameter = OrganisationAppearance(
        buffer.getvalue(), "UBND", seal_diameter_mm=36
    )
    with pytest.raises(
        PersonSignatureMissingError
    ):  # sized fine, refused for other reasons
        sign_pdf(draft, organisation, with_diameter)


def test_unknown_field_and_page(draft, person, person_appearance):
    with pytest.raises(SignatureFieldNotFoundError):
        sign_pdf(draft, person, person_appearance, Placement(field_name="Nope"))
    with pytest.raises(PageOutOfRangeError) as caught:
        sign_pdf(
            draft, person, person_appearance, Placement(box=(0, 0, 10, 10), page=5)
        )
    assert "1 pages" in str(caught.value)


# --- the error classes themselves -----------------------------------------------------


def all_error_classes() -> list[type[PadesError]]:
    return [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, PadesError)
    ]


@pytest.mark.parametrize(
    "error_class", all_error_classes(), ids=lambda cls: cls.__name__
)
def test_every_error_has_an_english_template(error_class):
    import re

    names = set(re.findall(r"%\((\w+)\)s", error_class.template))
    error = error_class(**{name: f"<{name}>" for name in names})
    assert str(error) == error_class.template % error.params
    assert error.to_dict()["code"] == error_class.__name__
    assert error.template.strip() and not error.template.startswith(" ")


def test_templates_are_literal_translatable_calls():
    """Odoo's extractor finds ``_("...")`` literals: every template must be one."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(errors))
    templates = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == "template"
    ]
    assert len(templates) == len(all_error_classes())
    for call in templates:
        assert isinstance(call, ast.Call) and call.func.id == "_"
        assert [type(arg) for arg in call.args] == [ast.Constant]


def test_no_op_marker():
    assert errors._("Văn bản") == "Văn bản"


def _png_on(background, size=(300, 120)) -> bytes:
    """A blue stroke drawn on ``background`` (an RGBA colour)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, background)
    ImageDraw.Draw(image).line((20, 90, 280, 30), fill=(20, 40, 200, 255), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("background", [(255, 255, 255, 255), (250, 250, 245, 255)])
def test_opaque_signature_image_is_refused_at_signing(draft, person, background):
    """An RGBA PNG whose alpha channel is opaque (a scan on white) blanks out
    what lies under it: refused, although it has an alpha channel."""
    from pades.errors import OpaqueSignatureImageError

    with pytest.raises(OpaqueSignatureImageError) as caught:
        sign_pdf(draft, person, PersonAppearance(_png_on(background)))
    assert "transparent background" in str(caught.value)


def test_opaque_seal_image_is_refused_at_signing(draft, organisation):
    from pades.errors import OpaqueSealImageError

    seal = OrganisationAppearance(
        _png_on((255, 255, 255, 255)), "UBND", seal_diameter_mm=36
    )
    with pytest.raises(OpaqueSealImageError):
        sign_pdf(draft, organisation, seal)


def test_transparency_is_judged_on_the_border():
    from pades.appearance import is_transparent, opaque_border_share
    from PIL import Image

    def decoded(data):
        return Image.open(io.BytesIO(data))

    assert opaque_border_share(decoded(_png_on((0, 0, 0, 0)))) == 0
    assert opaque_border_share(decoded(_png_on((255, 255, 255, 255)))) == 1
    # a seal whose ring touches the edges still has transparent corners
    assert is_transparent(decoded(demo.demo_seal_png()))
    assert is_transparent(decoded(demo.demo_signature_png()))
    opaque_rgb = io.BytesIO()
    Image.new("RGB", (100, 100), "white").save(opaque_rgb, format="PNG")
    assert not is_transparent(decoded(opaque_rgb.getvalue()))
