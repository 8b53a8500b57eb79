"""Where each visible signature goes on the page.

Three ways, in this order of precedence (see :class:`Placement`):

1. a named, existing, empty signature field: its rectangle is used;
2. an explicit box (PDF points, origin bottom left) on a given page;
3. the automatic rule of each appearance:

   * **person** — on the last page having it (searching backwards), the
     lowest line reading exactly the anchor text (by default the signer's
     name from the certificate; compared case-insensitively after Unicode
     NFC normalisation and whitespace folding) is the printed name.  The
     nearest line above it in the same column is the title line ("CHỦ
     TỊCH").  The image fills the space between the two, centred on the
     name, at most :data:`MAX_SIGNATURE_WIDTH` wide; without a title line
     (or with less than :data:`MIN_SIGNATURE_HEIGHT` under it) the image is
     :data:`DEFAULT_SIGNATURE_HEIGHT` high, right above the name;
   * **organisation** — the seal, at real size, covers the left third of the
     most recent person signature's widget and is centred on it vertically;
     the agency name and time sit under the seal;
   * **attachment** — text at the top right corner of page 1.

No automatic placement prints over the page's text.  The person image
shrinks (down to :data:`MIN_SIGNATURE_HEIGHT`) to clear the lines around it;
the seal keeps its legal place but its text block moves left or right under
it, then tries the agency name on two lines; the seal itself may cover only
the signature block's own lines (title and printed name, as a paper seal
does).  When no free place exists the signature is refused with a message
naming the text in the way.  A named field or an explicit box is taken as
given: whoever drew it chose the place.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from .appearance import (
    PngImage,
    StampLayout,
    seal_layout,
    text_block_size,
    wrapped_in_two,
)
from .errors import (
    AttachmentStampOverlapsTextError,
    PageOutOfRangeError,
    SealOverlapsTextError,
    SignatureBlockNotFoundError,
    SignatureFieldNotFoundError,
    SignatureImageOverlapsTextError,
)
from .locate import (
    Rect,
    TextLine,
    find_line,
    line_above,
    page_box,
    page_count,
    text_lines,
)

MAX_SIGNATURE_WIDTH = 180.0
"""Widest person signature image drawn by the automatic rule, in points."""
DEFAULT_SIGNATURE_HEIGHT = 60.0
"""Image height when the printed name has no title line (with room) above it."""
MIN_SIGNATURE_HEIGHT = 20.0
_BLOCK_GAP = 2.0
_RIGHT_MARGIN = 28.0  # 10 mm
_TOP_MARGIN = 14.0  # 5 mm: Decree 30 keeps 20 mm free above the text
_SHRINK_STEP = 4.0
"""Points the person image loses per try when it must clear nearby text."""
_TEXT_STEP = 4.0
"""Points the seal's text block moves per try, left or right."""
_MAX_TEXT_SHIFT = 200.0
_POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Placement:
    """Where to put a visible signature; the default means "automatic".

    :param field_name: sign into this existing empty signature field.
    :param box: ``(x0, y0, x1, y1)`` in points on ``page``.
    :param page: 0-based page index, negative counts from the end; defaults
        to the last page (person, organisation) or the first (attachment).
    """

    field_name: str | None = None
    box: tuple[float, float, float, float] | None = None
    page: int | None = None


AUTOMATIC = Placement()


@dataclass(frozen=True)
class Spot:
    """A resolved placement: the page (0-based) and widget rectangle."""

    page: int
    rect: Rect
    field_name: str | None = None


def resolve_page(reader: PdfFileReader, page: int) -> int:
    count = page_count(reader)
    index = page + count if page < 0 else page
    if not 0 <= index < count:
        raise PageOutOfRangeError(page=page, count=count)
    return index


def fixed_spot(
    reader: PdfFileReader, placement: Placement, default_page: int
) -> Spot | None:
    """The spot given by a named empty field or an explicit box, if any."""
    if placement.field_name:
        return field_spot(reader, placement.field_name, empty=True)
    if placement.box:
        page = resolve_page(
            reader, default_page if placement.page is None else placement.page
        )
        return Spot(page, Rect.from_corners(*placement.box))
    return None


def signature_block_spot(reader: PdfFileReader, anchor: str, image: PngImage) -> Spot:
    """Between the title line and the printed name ``anchor`` (see module doc)."""
    last = page_count(reader) - 1
    found = find_line(reader, anchor, pages=iter(range(last, -1, -1)))
    if found is None:
        raise SignatureBlockNotFoundError(anchor=anchor)
    page, name, lines = found
    title = line_above(name, lines)
    bottom = name.top + _BLOCK_GAP
    top = title.bottom - _BLOCK_GAP if title else 0.0
    if top - bottom < MIN_SIGNATURE_HEIGHT:  # no title line, or no room under it
        top = bottom + DEFAULT_SIGNATURE_HEIGHT
    first_hit = None
    for height in _shrinking(top - bottom):
        spot = Spot(page, _image_rect(image, name.centre, bottom, bottom + height))
        hit = _covered_line([spot.rect], lines)
        if hit is None:
            return spot
        first_hit = first_hit or hit
    raise SignatureImageOverlapsTextError(text=first_hit.text, page=page + 1)


def _shrinking(height: float) -> Iterator[float]:
    """``height``, then smaller by :data:`_SHRINK_STEP` down to the minimum."""
    yield height
    while height - _SHRINK_STEP >= MIN_SIGNATURE_HEIGHT:
        height -= _SHRINK_STEP
        yield height


def _image_rect(image: PngImage, centre: float, bottom: float, top: float) -> Rect:
    """The image as large as fits between ``bottom`` and ``top``, centred."""
    width = min((top - bottom) * image.aspect, MAX_SIGNATURE_WIDTH)
    height = width / image.aspect
    middle = (top + bottom) / 2
    return Rect(
        centre - width / 2, middle - height / 2, centre + width / 2, middle + height / 2
    )


def _covered_line(
    rects: Iterable[Rect], lines: Iterable[TextLine], spared: Iterable[TextLine] = ()
) -> TextLine | None:
    """The first line of text one of ``rects`` would print over, if any."""
    spared = list(spared)
    lines = [line for line in lines if line not in spared]
    for rect in rects:
        for line in lines:
            if rect.intersects(line.rect):
                return line
    return None


def seal_spot(
    reader: PdfFileReader,
    person: Spot,
    seal: PngImage,
    seal_size: tuple[float, float],
    agency_name: str,
    time_text: str,
) -> tuple[Spot, StampLayout]:
    """The seal over the person's image, its text where no text lies (see module
    doc)."""
    lines = text_lines(reader, person.page)
    # the title and the printed name: a seal covers them on paper too
    block = [
        line
        for line in lines
        if line.rect.x0 < person.rect.x1 and person.rect.x0 < line.rect.x1
    ]
    visible = page_box(reader, person.page)
    first_hit = None
    for stamp in _seal_candidates(seal, seal_size, agency_name, time_text):
        spot = _seal_over(person, stamp)
        images, texts = stamp.drawn_parts(spot.rect)
        hit = _covered_line(images, lines, spared=block) or _covered_line(texts, lines)
        inside = all(_contains(visible, rect) for rect in (*images, *texts))
        clear_of_image = not any(rect.intersects(person.rect) for rect in texts)
        if hit is None and inside and clear_of_image:
            return spot, stamp
        first_hit = first_hit or hit
    text = first_hit.text if first_hit else agency_name
    raise SealOverlapsTextError(text=text, page=person.page + 1)


def _seal_candidates(
    seal: PngImage, seal_size: tuple[float, float], agency_name: str, time_text: str
) -> Iterator[StampLayout]:
    """Seal layouts in order of preference: the text centred under the seal,
    then moved left and right, one step at a time; the same with the agency
    name on two lines."""
    seal_width = seal_size[0]
    for name_lines in ((agency_name,), wrapped_in_two(agency_name)):
        text = (*name_lines, time_text)
        centred = (seal_width - text_block_size(text)[0]) / 2
        yield seal_layout(seal, seal_size, text, centred)
        shift = _TEXT_STEP
        while shift <= _MAX_TEXT_SHIFT:
            yield seal_layout(seal, seal_size, text, centred + shift)
            yield seal_layout(seal, seal_size, text, centred - shift)
            shift += _TEXT_STEP


def _seal_over(person: Spot, stamp: StampLayout) -> Spot:
    """Put the seal (the stamp's first image) over the person's image.

    The seal's right edge lies at one third of the image's width and the two
    share a vertical centre; the rest of the stamp follows the seal.
    """
    seal = stamp.images[0].rect
    seal_right = person.rect.x0 + person.rect.width / 3
    middle = (person.rect.y0 + person.rect.y1) / 2
    origin_x = seal_right - seal.x1
    origin_y = middle - (seal.y0 + seal.y1) / 2
    return Spot(person.page, stamp.placed_at(origin_x, origin_y))


def _contains(outer: Rect, inner: Rect) -> bool:
    horizontally = outer.x0 <= inner.x0 and inner.x1 <= outer.x1
    return horizontally and outer.y0 <= inner.y0 and inner.y1 <= outer.y1


def top_right_spot(reader: PdfFileReader, stamp: StampLayout, page: int) -> Spot:
    """Top right of ``page``; refused when the page has text there."""
    page = resolve_page(reader, page)
    visible = page_box(reader, page)
    spot = Spot(
        page,
        stamp.placed_at(
            visible.x1 - _RIGHT_MARGIN - stamp.width,
            visible.y1 - _TOP_MARGIN - stamp.height,
        ),
    )
    hit = _covered_line(stamp.drawn_parts(spot.rect)[1], text_lines(reader, page))
    if hit is not None:
        raise AttachmentStampOverlapsTextError(
            text=hit.text,
            width=round(stamp.width / _POINTS_PER_MM),
            height=round((stamp.height + _TOP_MARGIN) / _POINTS_PER_MM),
        )
    return spot


def field_spot(reader: PdfFileReader, name: str, empty: bool = False) -> Spot:
    """Page and rectangle of the signature field ``name`` (its single widget)."""
    from pyhanko.pdf_utils.form_tools import get_single_field_annot
    from pyhanko.sign.fields import enumerate_sig_fields

    wanted = False if empty else None
    for field_name, _value, field_ref in enumerate_sig_fields(
        reader, filled_status=wanted
    ):
        if field_name == name:
            widget = get_single_field_annot(field_ref.get_object())
            rect = Rect.from_corners(*(float(value) for value in widget["/Rect"]))
            page = widget.raw_get("/P") if "/P" in widget else None
            return Spot(_page_index(reader, page), rect, field_name=name)
    raise SignatureFieldNotFoundError(field=name)


def _page_index(reader: PdfFileReader, page: generic.PdfObject | None) -> int:
    """Index of the page ``page`` refers to, searched from the end (signatures sit
    there)."""
    last = page_count(reader) - 1
    if isinstance(page, generic.IndirectObject):
        for index in range(last, -1, -1):
            if reader.find_page_for_modification(index)[0].reference == page.reference:
                return index
    return last
