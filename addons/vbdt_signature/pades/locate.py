"""Find lines of text on a PDF page, to place stamps without coordinates.

pyHanko parses content streams but does not extract text, so this module
interprets just enough of the text operators (fonts, text and transformation
matrices, ``Tj``/``TJ``) to know where each line of text sits and what it
says.  Text is decoded through the font's ``/ToUnicode`` map; widths come from
``/Widths`` (simple fonts) or ``/W`` (CID fonts).  Text inside form XObjects
and Type 3 fonts is not searched: drafts exported by word processors put
their text directly in the page content.

Lines are runs of text on the same baseline, split where the horizontal gap
exceeds a few character widths, so that the recipients list on the left and
the signature block on the right are separate lines.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content_stream_parser import parse_content_stream
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.rw_common import PdfHandler

_logger = logging.getLogger(__name__)

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_ASCENT = 0.85
"""Height of accented capitals (Ủ, Ễ) above the baseline, in ems."""
_DESCENT = 0.25
_LINE_GAP = 2.5
"""A horizontal gap wider than this many ems starts a new line."""


@dataclass(frozen=True)
class Rect:
    """A rectangle in PDF user space (points, origin bottom left)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def from_corners(cls, x0: float, y0: float, x1: float, y1: float) -> Rect:
        """A rectangle from any two opposite corners (PDF ``/Rect`` order varies)."""
        return cls(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)

    def shifted(self, dx: float, dy: float) -> Rect:
        return Rect(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def intersects(self, other: Rect) -> bool:
        """Whether the two share an area (touching edges do not count)."""
        return (
            self.x0 < other.x1
            and other.x0 < self.x1
            and self.y0 < other.y1
            and other.y0 < self.y1
        )


@dataclass(frozen=True)
class TextLine:
    """One line of text: its words, horizontal extent, baseline and size."""

    text: str
    x0: float
    x1: float
    baseline: float
    font_size: float

    @property
    def top(self) -> float:
        return self.baseline + _ASCENT * self.font_size

    @property
    def bottom(self) -> float:
        return self.baseline - _DESCENT * self.font_size

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def rect(self) -> Rect:
        return Rect(self.x0, self.bottom, self.x1, self.top)

    def overlaps_horizontally(self, other: TextLine) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1

    def matches(self, wanted: str) -> bool:
        return normalise(self.text) == normalise(wanted)


def normalise(text: str) -> str:
    """Compare text the way a reader would: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def page_count(handler: PdfHandler) -> int:
    return int(handler.root["/Pages"]["/Count"])


def page_box(handler: PdfHandler, page_index: int) -> Rect:
    """The page's visible area (``/CropBox``, else ``/MediaBox``, inherited)."""
    node = handler.find_page_for_modification(page_index)[0].get_object()
    while node is not None:
        for key in ("/CropBox", "/MediaBox"):
            if key in node:
                return Rect.from_corners(*(float(value) for value in node[key]))
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    raise PdfError("Page has no /MediaBox")


def text_lines(handler: PdfHandler, page_index: int) -> list[TextLine]:
    """All lines of text on a page, top to bottom, then left to right."""
    page_ref, resources = handler.find_page_for_modification(page_index)
    page = page_ref.get_object()
    contents = page.get("/Contents")
    if contents is None:
        return []
    contents = contents.get_object()
    streams = (
        [item.get_object() for item in contents]
        if isinstance(contents, generic.ArrayObject)
        else [contents]
    )
    fonts = resources.get_object().get("/Font", generic.DictionaryObject())
    runs = _TextInterpreter(fonts.get_object()).runs(
        [_with_named_quotes(stream) for stream in streams]
    )
    return _group_into_lines(runs)


_QUOTE_OPERATORS = {ord("'"): b" vbdtQuote ", ord('"'): b" vbdtDoubleQuote "}
"""pyHanko's content parser reads only operators that start with a letter;
the text operators ``'`` and ``"`` (ISO 32000-1 §9.4.3), which Ghostscript
writes, e.g. in a PDF/A made by ocrmypdf, are renamed for it."""


def _with_named_quotes(stream: generic.StreamObject) -> generic.StreamObject:
    """``stream`` with its ``'`` and ``"`` operators renamed (strings,
    hexadecimal strings and comments are copied untouched)."""
    data = stream.data
    if b"'" not in data and b'"' not in data:
        return stream
    out = bytearray()
    index, size = 0, len(data)
    while index < size:
        byte = data[index]
        if byte == 0x28:  # "(": a literal string, balanced parentheses
            depth, end = 1, index + 1
            while end < size and depth:
                if data[end] == 0x5C:  # backslash escapes the next byte
                    end += 1
                elif data[end] == 0x28:
                    depth += 1
                elif data[end] == 0x29:
                    depth -= 1
                end += 1
            out += data[index:end]
            index = end
        elif byte == 0x3C and data[index + 1 : index + 2] != b"<":  # hex string
            end = data.find(b">", index)
            end = size if end < 0 else end + 1
            out += data[index:end]
            index = end
        elif byte == 0x25:  # "%": a comment, to the end of the line
            ends = (data.find(b"\n", index), data.find(b"\r", index))
            end = min((e for e in ends if e >= 0), default=size)
            out += data[index:end]
            index = end
        else:
            out += _QUOTE_OPERATORS.get(byte, bytes((byte,)))
            index += 1
    renamed = generic.StreamObject(stream_data=bytes(out))
    renamed.container_ref = stream.container_ref
    return renamed


def find_line(
    handler: PdfHandler, wanted: str, pages: Iterator[int]
) -> tuple[int, TextLine, list[TextLine]] | None:
    """The lowest line reading ``wanted`` on the first of ``pages`` having one.

    Returns the page index, the line, and all lines of that page.
    """
    for page_index in pages:
        lines = text_lines(handler, page_index)
        matches = [line for line in lines if line.matches(wanted)]
        if matches:
            return page_index, min(matches, key=lambda line: line.baseline), lines
    return None


def line_above(line: TextLine, lines: list[TextLine]) -> TextLine | None:
    """The nearest line above ``line`` in the same column, if any."""
    above = [
        other
        for other in lines
        if other.baseline > line.top and other.overlaps_horizontally(line)
    ]
    return min(above, key=lambda other: other.baseline, default=None)


@dataclass(frozen=True)
class _Run:
    text: str
    x0: float
    x1: float
    baseline: float
    font_size: float


def _group_into_lines(runs: list[_Run]) -> list[TextLine]:
    """Runs sharing a baseline form a row; wide gaps split a row into lines."""
    rows: list[list[_Run]] = []
    for run in sorted(runs, key=lambda run: -run.baseline):
        if rows and abs(rows[-1][0].baseline - run.baseline) < 0.3 * run.font_size:
            rows[-1].append(run)
        else:
            rows.append([run])
    lines = []
    for row in rows:
        segment: list[_Run] = []
        for run in sorted(row, key=lambda run: run.x0):
            if segment and run.x0 - segment[-1].x1 >= _LINE_GAP * run.font_size:
                lines.append(_merge(segment))
                segment = []
            segment.append(run)
        lines.append(_merge(segment))
    return [line for line in lines if line.text]


def _merge(group: list[_Run]) -> TextLine:
    parts = [group[0].text]
    for previous, run in pairwise(group):
        gap = run.x0 - previous.x1
        parts.append((" " if gap > 0.15 * run.font_size else "") + run.text)
    return TextLine(
        text="".join(parts).strip(),
        x0=group[0].x0,
        x1=group[-1].x1,
        baseline=group[0].baseline,
        font_size=max(run.font_size for run in group),
    )


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _translate(tx: float, ty: float) -> Matrix:
    return (1.0, 0.0, 0.0, 1.0, tx, ty)


class _Font:
    """Decodes the bytes of a shown string into text and glyph widths."""

    def __init__(self, font_dict: generic.DictionaryObject) -> None:
        composite = font_dict.get("/Subtype") == "/Type0"
        self.two_byte = composite
        self.cids: dict[int, int] = {}
        encoding = font_dict.get("/Encoding") if composite else None
        if encoding is not None and isinstance(
            encoding.get_object(), generic.StreamObject
        ):
            # an embedded CMap (Ghostscript writes one-byte "OneByteIdentityH")
            self.two_byte, self.cids = _parse_encoding_cmap(encoding.get_object())
        self.to_unicode = _parse_to_unicode(font_dict.get("/ToUnicode"))
        if composite:
            descendant = font_dict["/DescendantFonts"][0].get_object()
            self.widths = _cid_widths(descendant.get("/W", generic.ArrayObject()))
            self.default_width = float(descendant.get("/DW", 1000))
        else:
            first = int(font_dict.get("/FirstChar", 0))
            widths = font_dict.get("/Widths", generic.ArrayObject())
            self.widths = {first + i: float(w) for i, w in enumerate(widths)}
            descriptor = font_dict.get("/FontDescriptor")
            missing = (
                descriptor.get_object().get("/MissingWidth") if descriptor else None
            )
            self.default_width = float(missing) if missing is not None else 500.0

    def glyphs(self, data: bytes) -> Iterator[tuple[int, str, float]]:
        """Yield ``(code, text, width in thousandths of an em)`` per glyph."""
        step = 2 if self.two_byte else 1
        for index in range(0, len(data) - step + 1, step):
            code = int.from_bytes(data[index : index + step], "big")
            text = self.to_unicode.get(code)
            if text is None:
                text = "" if self.two_byte else bytes([code]).decode("latin-1")
            cid = self.cids.get(code, code)  # widths of CID fonts are by CID
            yield code, text, self.widths.get(cid, self.default_width)


_HEX = r"<([0-9A-Fa-f\s]*)>"
_BFCHAR = re.compile(r"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(r"beginbfrange(.*?)endbfrange", re.S)


def _hex_text(hex_digits: str) -> str:
    raw = bytes.fromhex("".join(hex_digits.split()))
    return raw.decode("utf-16-be", errors="replace")


def _parse_to_unicode(stream) -> dict[int, str]:
    if stream is None:
        return {}
    cmap = stream.get_object().data.decode("latin-1")
    mapping: dict[int, str] = {}
    for block in _BFCHAR.findall(cmap):
        for source, target in re.findall(_HEX + r"\s*" + _HEX, block):
            mapping[int(source, 16)] = _hex_text(target)
    for block in _BFRANGE.findall(cmap):
        pattern = _HEX + r"\s*" + _HEX + r"\s*(" + _HEX + r"|\[[^\]]*\])"
        for low, high, target, _inner in re.findall(pattern, block):
            first, last = int(low, 16), int(high, 16)
            if target.startswith("["):
                for offset, item in enumerate(re.findall(_HEX, target)):
                    mapping[first + offset] = _hex_text(item)
                continue
            start = int("".join(target[1:-1].split()), 16)
            for offset in range(last - first + 1):
                mapping[first + offset] = chr(start + offset)
    return mapping


_CODESPACE = re.compile(r"begincodespacerange(.*?)endcodespacerange", re.S)
_CIDRANGE = re.compile(r"begincidrange(.*?)endcidrange", re.S)
_CIDCHAR = re.compile(r"begincidchar(.*?)endcidchar", re.S)


def _parse_encoding_cmap(stream) -> tuple[bool, dict[int, int]]:
    """``(two-byte codes, code -> CID)`` of an embedded CMap: the code length
    from its first code-space range (one or two bytes), its CID ranges and
    characters (an absent code maps to itself, as with Identity-H)."""
    cmap = stream.data.decode("latin-1")
    two_byte = True
    for block in _CODESPACE.findall(cmap):
        first = re.search(_HEX, block)
        if first:
            two_byte = len("".join(first.group(1).split())) > 2
            break
    cids: dict[int, int] = {}
    for block in _CIDRANGE.findall(cmap):
        for low, high, cid in re.findall(_HEX + r"\s*" + _HEX + r"\s*(\d+)", block):
            first, last = int(low, 16), int(high, 16)
            if last - first > 0xFFFF:
                continue  # not a range a font needs; never expanded
            for offset in range(last - first + 1):
                cids[first + offset] = int(cid) + offset
    for block in _CIDCHAR.findall(cmap):
        for code, cid in re.findall(_HEX + r"\s*(\d+)", block):
            cids[int(code, 16)] = int(cid)
    return two_byte, cids


def _cid_widths(w_array) -> dict[int, float]:
    widths: dict[int, float] = {}
    items = list(w_array)
    index = 0
    while index + 1 < len(items):
        first = int(items[index])
        following = items[index + 1]
        if isinstance(following, generic.ArrayObject):
            for offset, width in enumerate(following):
                widths[first + offset] = float(width)
            index += 2
        else:
            for code in range(first, int(following) + 1):
                widths[code] = float(items[index + 2])
            index += 3
    return widths


class _TextInterpreter:
    """Tracks just the graphics and text state needed to place shown text."""

    def __init__(self, fonts: generic.DictionaryObject) -> None:
        self._font_dicts = fonts
        self._fonts: dict[str, _Font] = {}
        self.ctm: Matrix = _IDENTITY
        self._stack: list[Matrix] = []
        self.tm = self.tlm = _IDENTITY
        self.font: _Font | None = None
        self.size = self.leading = self.char_spacing = self.word_spacing = 0.0
        self.scale = 1.0
        self._runs: list[_Run] = []

    def runs(self, streams: list[generic.StreamObject]) -> list[_Run]:
        handlers = {
            "q": self._push,
            "Q": self._pop,
            "cm": self._concat,
            "BT": self._begin,
            "Tm": self._set_matrix,
            "Td": self._move,
            "TD": self._move_leading,
            "T*": self._next_line,
            "Tf": self._set_font,
            "TL": self._set_leading,
            "Tc": self._set_char_spacing,
            "Tw": self._set_word_spacing,
            "Tz": self._set_scale,
            "Tj": self._show,
            "TJ": self._show_array,
            "vbdtQuote": self._next_line_show,  # "'" (see _with_named_quotes)
            "vbdtDoubleQuote": self._spacing_next_line_show,  # '"'
        }
        try:
            for operator in parse_content_stream(streams):
                handler = handlers.get(operator.op)
                if handler is None:
                    continue
                try:
                    handler(*operator.args)
                except (TypeError, ValueError, ArithmeticError):
                    continue  # malformed operands: ignore the operator, as viewers do
        except PdfError as error:
            # e.g. an inline image pyHanko cannot skip: keep the text read so far
            _logger.debug("page content read up to an error: %s", error)
        return self._runs

    def _push(self) -> None:
        self._stack.append(self.ctm)

    def _pop(self) -> None:
        if self._stack:
            self.ctm = self._stack.pop()

    def _concat(self, *values) -> None:
        self.ctm = _multiply(tuple(float(v) for v in values), self.ctm)

    def _begin(self) -> None:
        self.tm = self.tlm = _IDENTITY

    def _set_matrix(self, *values) -> None:
        self.tm = self.tlm = tuple(float(v) for v in values)

    def _move(self, tx, ty) -> None:
        self.tm = self.tlm = _multiply(_translate(float(tx), float(ty)), self.tlm)

    def _move_leading(self, tx, ty) -> None:
        self.leading = -float(ty)
        self._move(tx, ty)

    def _next_line(self) -> None:
        self._move(0, -self.leading)

    def _set_font(self, name, size) -> None:
        key = str(name)
        if key not in self._fonts and key in self._font_dicts:
            self._fonts[key] = _Font(self._font_dicts[key].get_object())
        self.font = self._fonts.get(key)
        self.size = float(size)

    def _set_leading(self, value) -> None:
        self.leading = float(value)

    def _set_char_spacing(self, value) -> None:
        self.char_spacing = float(value)

    def _set_word_spacing(self, value) -> None:
        self.word_spacing = float(value)

    def _set_scale(self, value) -> None:
        self.scale = float(value) / 100

    def _next_line_show(self, string) -> None:
        self._next_line()
        self._show(string)

    def _spacing_next_line_show(self, word_spacing, char_spacing, string) -> None:
        self._set_word_spacing(word_spacing)
        self._set_char_spacing(char_spacing)
        self._next_line_show(string)

    def _show_array(self, items) -> None:
        for item in items:
            if isinstance(item, generic.TextStringObject | generic.ByteStringObject):
                self._show(item)
            else:
                self._advance(-float(item) / 1000 * self.size * self.scale)

    def _advance(self, tx: float) -> None:
        self.tm = _multiply(_translate(tx, 0), self.tm)

    def _show(self, string) -> None:
        if self.font is None:
            return
        data = (
            string.original_bytes
            if hasattr(string, "original_bytes")
            else bytes(string)
        )
        start = _multiply(self.tm, self.ctm)
        glyphs = list(self.font.glyphs(data))
        spaces = 0 if self.font.two_byte else sum(code == 32 for code, _, _ in glyphs)
        advance = (
            sum(width for _, _, width in glyphs) / 1000 * self.size
            + len(glyphs) * self.char_spacing
            + spaces * self.word_spacing
        )
        self._advance(advance * self.scale)
        end = _multiply(self.tm, self.ctm)
        vertical_scale = (start[2] ** 2 + start[3] ** 2) ** 0.5
        self._runs.append(
            _Run(
                text="".join(text for _, text, _ in glyphs),
                x0=min(start[4], end[4]),
                x1=max(start[4], end[4]),
                baseline=start[5],
                font_size=self.size * vertical_scale,
            )
        )
