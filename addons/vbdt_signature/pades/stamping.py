"""Number and date fields, stamped between the person's and the seal signature.

Decree 30 allocates the number when the clerk issues the document, after
the competent person signed.  Drawing on the page would then break the
person's signature; filling a form field does not, provided the field
existed when the person signed.  Hence two steps:

1. :func:`prepare_fields` adds two text fields, ``vbdt_number`` and
   ``vbdt_date``, over the number line (``Số: …``) and the date line
   (``…, ngày … tháng … năm …``) of page 1 of the draft;
2. :func:`stamp_number_date` fills them in an incremental update, with an
   opaque white background that hides the placeholder line, and marks them
   read-only.  Validators classify this as form filling, which the
   person's approval signature permits; the seal then locks both fields.
   The date line is set in italics, as Decree 30 Appendix I prints the
   place and date, and sized and centred from the font's real extent so
   that no accent or descender is clipped by the field's box.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.form_tools import (
    TextFieldContent,
    annot_width_height,
    find_existing_empty_field,
    get_single_field_annot,
)
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import FormFillingError

from .appearance import font_extent, text_style, text_width
from .errors import (
    AlreadySignedError,
    SealAlreadyAppliedError,
    StampFieldsMissingError,
    TextLineNotFoundError,
)
from .locate import TextLine, normalise, text_lines
from .pdf import open_writer, written
from .placement import resolve_page
from .verify import ORGANISATION, embedded_signatures

NUMBER_FIELD = "vbdt_number"
DATE_FIELD = "vbdt_date"
_FIELD_MARGIN = 6.0
_TEXT_INSET = 1.0
_READ_ONLY = 1
_PRINT = 4


@dataclass(frozen=True)
class FieldBox:
    """Where a text field goes: page (0-based), box in points, font size."""

    page: int
    box: tuple[float, float, float, float]
    font_size: int = 13


def prepare_fields(
    pdf: bytes, number_box: FieldBox | None = None, date_box: FieldBox | None = None
) -> bytes:
    """Add the empty number and date fields to an unsigned draft.

    Without explicit boxes, each field covers its placeholder line on page 1:
    the first line starting with ``Số:`` and the first line containing
    ``ngày``, ``tháng`` and ``năm``, widened by a few points on each side.
    """
    writer = open_writer(pdf)
    if embedded_signatures(writer.prev):
        raise AlreadySignedError()
    number_box = number_box or _line_box(writer, "Số:", _is_number_line)
    date_box = date_box or _line_box(writer, "ngày … tháng … năm …", _is_date_line)
    form = _acroform(writer)
    for name, box in ((NUMBER_FIELD, number_box), (DATE_FIELD, date_box)):
        _add_text_field(writer, form, name, box)
    return written(writer)


def stamp_number_date(pdf: bytes, number_text: str, date_text: str) -> bytes:
    """Fill the number and date fields, e.g. ``"Số: 15/QĐ-UBND"`` and
    ``"Phú Thọ, ngày 05 tháng 02 năm 2026"``; returns the new PDF bytes."""
    writer = open_writer(pdf)
    for signature in embedded_signatures(writer.prev):
        if signature.kind == ORGANISATION:
            raise SealAlreadyAppliedError(field=signature.field_name)
    _fill(writer, NUMBER_FIELD, number_text)
    _fill(writer, DATE_FIELD, date_text, italic=True)
    return written(writer)


def _is_number_line(line: TextLine) -> bool:
    return re.match(r"số\s*:", normalise(line.text)) is not None


def _is_date_line(line: TextLine) -> bool:
    words = normalise(line.text).split()
    return all(word in words for word in ("ngày", "tháng", "năm"))


def _line_box(
    writer: IncrementalPdfFileWriter,
    description: str,
    wanted: Callable[[TextLine], bool],
) -> FieldBox:
    for line in text_lines(writer.prev, 0):
        if wanted(line):
            rect = line.rect
            return FieldBox(
                page=0,
                box=(
                    rect.x0 - _FIELD_MARGIN,
                    rect.y0 - _FIELD_MARGIN / 3,
                    rect.x1 + _FIELD_MARGIN,
                    rect.y1 + _FIELD_MARGIN / 3,
                ),
                font_size=round(line.font_size),
            )
    raise TextLineNotFoundError(line=description, page=1)


def _acroform(writer: IncrementalPdfFileWriter) -> generic.DictionaryObject:
    root = writer.root
    if "/AcroForm" not in root:
        root[pdf_name("/AcroForm")] = writer.add_object(
            generic.DictionaryObject({pdf_name("/Fields"): generic.ArrayObject()})
        )
        writer.update_root()
    form = root["/AcroForm"]
    form.setdefault(pdf_name("/Fields"), generic.ArrayObject())
    if "/DR" not in form:
        helvetica = generic.DictionaryObject(
            {
                pdf_name("/Type"): pdf_name("/Font"),
                pdf_name("/Subtype"): pdf_name("/Type1"),
                pdf_name("/BaseFont"): pdf_name("/Helvetica"),
            }
        )
        form[pdf_name("/DR")] = generic.DictionaryObject(
            {
                pdf_name("/Font"): generic.DictionaryObject(
                    {pdf_name("/Helv"): writer.add_object(helvetica)}
                )
            }
        )
    writer.update_container(form)
    return form


def _add_text_field(
    writer: IncrementalPdfFileWriter,
    form: generic.DictionaryObject,
    name: str,
    box: FieldBox,
) -> None:
    """A text field merged with its widget (no appearance until filled)."""
    page_ref = writer.find_page_for_modification(resolve_page(writer.prev, box.page))[0]
    field = generic.DictionaryObject(
        {
            pdf_name("/FT"): pdf_name("/Tx"),
            pdf_name("/T"): pdf_string(name),
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/Widget"),
            pdf_name("/F"): generic.NumberObject(_PRINT),
            pdf_name("/Rect"): generic.ArrayObject(
                generic.FloatObject(v) for v in box.box
            ),
            pdf_name("/P"): page_ref,
            pdf_name("/DA"): pdf_string(f"/Helv {box.font_size} Tf 0 g"),
        }
    )
    field_ref = writer.add_object(field)
    form["/Fields"].append(field_ref)
    writer.register_annotation(page_ref, field_ref)


class _OpaqueTextFieldContent(TextFieldContent):
    """Field text on a white background that hides the placeholder line."""

    def render(self) -> bytes:
        background = b"q 1 g 0 0 %.3f %.3f re f Q " % (self.box.width, self.box.height)
        return background + super().render()


def _fill(
    writer: IncrementalPdfFileWriter, name: str, text: str, italic: bool = False
) -> None:
    """pyHanko's ``populate_static_text_field``, with our font and background."""
    try:
        field_ref = find_existing_empty_field(writer, name, field_type="/Tx")
    except FormFillingError as err:
        raise StampFieldsMissingError(field=name) from err
    field = field_ref.get_object()
    widget = get_single_field_annot(field)
    width, height = annot_width_height(widget)
    style = _field_style(text, float(width), float(height), _font_size(field), italic)
    content = _OpaqueTextFieldContent(
        writer=writer,
        text_content=text,
        text_style=style,
        box=layout.BoxConstraints(width=width, height=height),
    )
    content.apply_appearance(widget)
    writer.update_container(widget)
    field[pdf_name("/V")] = pdf_string(text)
    field[pdf_name("/Ff")] = generic.NumberObject(int(field.get("/Ff", 0)) | _READ_ONLY)
    writer.mark_update(field_ref)


def _field_style(text: str, width: float, height: float, font_size: int, italic: bool):
    """One line centred in a ``width`` x ``height`` field, every glyph inside.

    The size shrinks (whole points) until the text fits the width and the
    font's full extent fits the height; the baseline then sits where the
    extent is vertically centred.  pyHanko's own centring uses the leading,
    which puts descenders below the field's box.
    """
    while font_size > 6:
        ascent, descent = font_extent(font_size, italic)
        fits_width = text_width(text, font_size, italic) <= width - 2 * _TEXT_INSET
        if fits_width and ascent + descent <= height:
            break
        font_size -= 1
    ascent, descent = font_extent(font_size, italic)
    baseline = max(0.0, (height - ascent - descent) / 2) + descent
    return replace(
        text_style(font_size=font_size, italic=italic),
        leading=font_size,
        box_layout_rule=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(
                left=_TEXT_INSET, right=_TEXT_INSET, top=0, bottom=baseline
            ),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
    )


def _font_size(field: generic.DictionaryObject) -> int:
    """The size in the field's ``/DA`` string (``/Helv 13 Tf 0 g``)."""
    parts = str(field.get("/DA", "")).split()
    if "Tf" in parts:
        return round(float(parts[parts.index("Tf") - 1]))
    return 13
