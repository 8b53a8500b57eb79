"""What the visible signatures look like (Decree 30, Appendix I).

A stamp is a :class:`StampLayout`: images and one block of text at fixed
positions inside the signature widget.  :class:`LayoutStampStyle` plugs it into
pyHanko, which draws it as the widget's appearance stream when signing.

Text is drawn in the bundled *Vbdt Serif* (Liberation Serif, Times metrics,
rescaled to 1000 units per em because pyHanko assumes that, and subset to
Latin + Vietnamese), upright, or italic where Appendix I prints italics (the
place-and-date line); times are written as ISO 8601 with ``+07:00``, which
pyHanko's own ``%(ts)s`` cannot produce.

pyHanko puts the baseline of a text box's last line on the bottom of the
box, so descenders ("g", "y", the dot of "ọ") fall outside it and the
appearance's bounding box clips them.  Every box here therefore reserves the
font's real extent (:func:`font_extent`) below the last baseline and above
the first one.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.api import FontEngine, FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.text import TextBox, TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import BaseStamp, BaseStampStyle

from .errors import InvalidImageError, OpaqueImageError, SealSizeUnknownError
from .locate import Rect

# pyHanko subsets the stamp font with fontTools, which logs every glyph at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

FONT_PATH = Path(__file__).with_name("fonts") / "VbdtSerif-Regular.ttf"
ITALIC_FONT_PATH = FONT_PATH.with_name("VbdtSerif-Italic.ttf")
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")
STAMP_FONT_SIZE = 10
STAMP_LEADING = 12
_TEXT_PADDING = 2.0
_SEAL_TEXT_GAP = 4.0
_POINTS_PER_MM = 72 / 25.4
OPAQUE_ALPHA = 250
"""Alpha from which a pixel counts as opaque."""
MAX_OPAQUE_BORDER = 0.5
"""Largest share of opaque pixels on an image's border that is accepted: a
signature or seal drawn on a transparent background leaves most of its
outer ring empty, a scan or photo on white fills all of it."""


def iso_time(moment: datetime) -> str:
    """``YYYY-MM-DDThh:mm:ss+07:00``: Vietnam time, ISO 8601, as Decree 30 asks."""
    return moment.astimezone(VIETNAM_TIME).isoformat(timespec="seconds")


@lru_cache(maxsize=2)
def _font_bytes(italic: bool = False) -> bytes:
    return (ITALIC_FONT_PATH if italic else FONT_PATH).read_bytes()


@lru_cache(maxsize=2)
def _font_metrics(italic: bool = False) -> tuple[dict[int, int], int, int, int]:
    """Advance width per code point, in 1/1000 em, the fallback width, and
    the highest and lowest point any glyph reaches (the ``head`` table's
    bounding box, e.g. 905 for "Ễ" and -216 for "y")."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(_font_bytes(italic)))
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
    head = font["head"]
    return widths, metrics[".notdef"][0], head.yMax, -head.yMin


def text_width(
    text: str, font_size: float = STAMP_FONT_SIZE, italic: bool = False
) -> float:
    """Width of ``text`` set in the bundled font, in points."""
    widths, fallback, _ascent, _descent = _font_metrics(italic)
    return sum(widths.get(ord(char), fallback) for char in text) * font_size / 1000


def font_extent(font_size: float, italic: bool = False) -> tuple[float, float]:
    """How far any glyph reaches above and below the baseline, in points."""
    _widths, _fallback, ascent, descent = _font_metrics(italic)
    return ascent * font_size / 1000, descent * font_size / 1000


class BundledFontFactory(FontEngineFactory):
    """pyHanko font engines on the bundled font, read from memory.

    pyHanko's own ``GlyphAccumulatorFactory`` reopens the file for every text
    box and never closes it; the font is small, so it is kept in memory.
    """

    def __init__(self, italic: bool = False) -> None:
        self.italic = italic

    def create_font_engine(
        self, writer: BasePdfFileWriter, obj_stream=None
    ) -> FontEngine:
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_font_bytes(self.italic)),
            font_size=STAMP_FONT_SIZE,
            obj_stream=obj_stream,
        )


def _leading(font_size: float) -> int:
    return round(font_size * 1.2)


def _block_margins(font_size: float, italic: bool = False) -> layout.Margins:
    """Padding, plus room for the glyphs pyHanko lets out of the box: below
    the last baseline (descenders) and above the first line's leading."""
    ascent, descent = font_extent(font_size, italic)
    return layout.Margins(
        left=_TEXT_PADDING,
        right=_TEXT_PADDING,
        top=_TEXT_PADDING + max(0.0, ascent - _leading(font_size)),
        bottom=_TEXT_PADDING + descent,
    )


def text_style(
    font_size: int = STAMP_FONT_SIZE,
    colour: tuple[float, float, float] = (0, 0, 0),
    italic: bool = False,
) -> TextBoxStyle:
    """Text in the bundled font, aligned to the top left of its box, with
    room for its descenders (see :func:`text_block_size`)."""
    return TextBoxStyle(
        font=BundledFontFactory(italic),
        font_size=font_size,
        leading=_leading(font_size),
        text_color=colour,
        box_layout_rule=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=_block_margins(font_size, italic),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
    )


def text_block_size(lines: tuple[str, ...]) -> tuple[float, float]:
    """Size of the box :class:`TextPart` needs for ``lines`` at 10 pt: every
    glyph inside, descenders of the last line included."""
    margins = _block_margins(STAMP_FONT_SIZE)
    width = max(text_width(line) for line in lines)
    height = len(lines) * STAMP_LEADING + margins.top + margins.bottom
    return width + margins.left + margins.right + 1, height


@dataclass(frozen=True)
class PngImage:
    """A decoded PNG with its pixel size and, when known, its resolution."""

    data: bytes
    role: str = "signature"

    def __post_init__(self) -> None:
        _decode_png(self.data, self.role)  # a bad file fails before signing starts

    @property
    def image(self):
        return _decode_png(self.data, self.role)

    @property
    def aspect(self) -> float:
        width, height = self.image.size
        return width / height

    def real_size(self, diameter_mm: float | None = None) -> tuple[float, float]:
        """Printed size in points: from ``diameter_mm`` (width) or the PNG's DPI."""
        width, height = self.image.size
        if diameter_mm:
            scale = diameter_mm * _POINTS_PER_MM / width
            return diameter_mm * _POINTS_PER_MM, height * scale
        dpi = self.image.info.get("dpi")
        if not dpi or not dpi[0] or not dpi[1]:
            raise SealSizeUnknownError()
        return width / float(dpi[0]) * 72, height / float(dpi[1]) * 72


def opaque_border_share(image) -> float:
    """Share of the opaque pixels in the outer ring of a Pillow ``image``
    (the outermost 2 % of each side, at least one pixel); 1.0 when the image
    has no transparency at all."""
    if image.mode in ("RGBA", "LA"):
        alpha = image.getchannel("A")
    elif image.mode in ("PA", "P", "RGB", "L") and "transparency" in image.info:
        alpha = image.convert("RGBA").getchannel("A")
    else:
        return 1.0
    width, height = alpha.size
    band = max(1, round(min(width, height) * 0.02))
    if width <= 2 * band or height <= 2 * band:
        band = 0  # too small for a ring: judge every pixel
    opaque = alpha.point(lambda value: 255 if value >= OPAQUE_ALPHA else 0)
    count = opaque.histogram()[255]
    inner = opaque.crop((band, band, width - band, height - band)) if band else None
    border_pixels = width * height - (inner.width * inner.height if inner else 0)
    border_opaque = count - (inner.histogram()[255] if inner else 0)
    return border_opaque / border_pixels


def is_transparent(image) -> bool:
    """Whether a Pillow ``image`` has a transparent background."""
    return opaque_border_share(image) <= MAX_OPAQUE_BORDER


def check_transparent(image, role: str) -> None:
    """Refuse an image whose background is not transparent."""
    if not is_transparent(image):
        raise OpaqueImageError.of(role)


@lru_cache(maxsize=8)
def _decode_png(data: bytes, role: str):
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError) as err:
        raise InvalidImageError.of(role, reason=str(err)) from err
    if image.format != "PNG":
        # the format's name alone, not an English phrase, goes into the message
        raise InvalidImageError.of(role, reason=image.format or "?")
    check_transparent(image, role)
    if image.mode not in ("RGBA", "LA"):
        image = image.convert("RGBA")
    return image


@dataclass(frozen=True)
class ImagePart:
    image: PngImage
    rect: Rect


@dataclass(frozen=True)
class TextPart:
    lines: tuple[str, ...]
    rect: Rect


@dataclass(frozen=True)
class StampLayout:
    """Everything drawn in one signature widget, relative to its lower left."""

    width: float
    height: float
    images: tuple[ImagePart, ...] = ()
    text: TextPart | None = None

    def placed_at(self, x: float, y: float) -> Rect:
        return Rect(x, y, x + self.width, y + self.height)

    def drawn_parts(self, origin: Rect) -> tuple[list[Rect], list[Rect]]:
        """Page rectangles of the images and of the text, for a widget at ``origin``."""
        images = [part.rect.shifted(origin.x0, origin.y0) for part in self.images]
        texts = [self.text.rect.shifted(origin.x0, origin.y0)] if self.text else []
        return images, texts

    def fitted(self, width: float, height: float) -> StampLayout:
        """The same parts in a ``width`` x ``height`` box, left, vertically centred."""
        dy = (height - self.height) / 2
        return StampLayout(
            width,
            height,
            images=tuple(
                ImagePart(part.image, part.rect.shifted(0, dy)) for part in self.images
            ),
            text=(
                TextPart(self.text.lines, self.text.rect.shifted(0, dy))
                if self.text
                else None
            ),
        )


def image_layout(image: PngImage, width: float, height: float) -> StampLayout:
    """The image as large as fits in ``width`` x ``height``, centred."""
    scale = min(width / image.aspect, height)
    image_width, image_height = scale * image.aspect, scale
    rect = Rect(
        (width - image_width) / 2,
        (height - image_height) / 2,
        (width + image_width) / 2,
        (height + image_height) / 2,
    )
    return StampLayout(width, height, images=(ImagePart(image, rect),))


def seal_layout(
    seal: PngImage,
    seal_size: tuple[float, float],
    lines: tuple[str, ...],
    text_offset: float | None = None,
) -> StampLayout:
    """Seal at real size, the text block under it: centred, or starting
    ``text_offset`` points right of the seal's left edge (negative: left).

    Under the seal, the text stays clear of the person's signature image,
    which the seal already covers for a third.
    """
    seal_width, seal_height = seal_size
    text_width_, text_height = text_block_size(lines)
    if text_offset is None:
        text_offset = (seal_width - text_width_) / 2
    left = min(0.0, text_offset)
    width = max(seal_width, text_offset + text_width_) - left
    height = seal_height + _SEAL_TEXT_GAP + text_height
    seal_x, text_x = -left, text_offset - left
    return StampLayout(
        width=width,
        height=height,
        images=(
            ImagePart(
                seal, Rect(seal_x, height - seal_height, seal_x + seal_width, height)
            ),
        ),
        text=TextPart(lines, Rect(text_x, 0, text_x + text_width_, text_height)),
    )


def wrapped_in_two(text: str) -> tuple[str, ...]:
    """``text`` broken at the space nearest its middle (a long agency name)."""
    spaces = [index for index, char in enumerate(text) if char == " "]
    if not spaces:
        return (text,)
    cut = min(spaces, key=lambda index: abs(index - len(text) / 2))
    return text[:cut], text[cut + 1 :]


def text_layout(lines: tuple[str, ...]) -> StampLayout:
    width, height = text_block_size(lines)
    return StampLayout(width, height, text=TextPart(lines, Rect(0, 0, width, height)))


@dataclass(frozen=True)
class LayoutStampStyle(BaseStampStyle):
    """A pyHanko stamp style drawing a precomputed :class:`StampLayout`."""

    stamp_layout: StampLayout = field(default_factory=lambda: StampLayout(0, 0))
    border_width: int = 0
    background_opacity: float = 1.0

    def create_stamp(
        self, writer: BasePdfFileWriter, box: layout.BoxConstraints, text_params: dict
    ) -> LayoutStamp:
        return LayoutStamp(writer=writer, style=self, box=box)


class LayoutStamp(BaseStamp):
    """Draws the images, then the text, of a :class:`LayoutStampStyle`."""

    def _render_inner_content(self) -> list[bytes]:
        stamp_layout: StampLayout = self.style.stamp_layout
        commands = [self._draw_image(part) for part in stamp_layout.images]
        if stamp_layout.text is not None:
            commands.append(self._draw_text(stamp_layout.text))
        return commands

    def _draw_image(self, part: ImagePart) -> bytes:
        rect = part.rect
        image = PdfImage(
            part.image.image,
            writer=self.writer,
            box=layout.BoxConstraints(width=rect.width, height=rect.height),
        )
        drawing = image.render()
        self.import_resources(image.resources)
        return b"q 1 0 0 1 %.3f %.3f cm %s Q" % (rect.x0, rect.y0, drawing)

    def _draw_text(self, part: TextPart) -> bytes:
        rect = part.rect
        box = TextBox(
            text_style(),
            writer=self.writer,
            resources=self.resources,
            box=layout.BoxConstraints(width=rect.width, height=rect.height),
        )
        box.content = "\n".join(part.lines)
        return b"q 1 0 0 1 %.3f %.3f cm %s Q" % (rect.x0, rect.y0, box.render())
