"""Rebuild ``VbdtSerif-Regular.ttf`` and ``VbdtSerif-Italic.ttf`` from
Debian's Liberation Serif (the italic sets the place-and-date line, which
Decree 30 Appendix I prints in italics).

Run once by a maintainer (``python make_font.py``), never at signing time.
The committed result exists because pyHanko lays out glyphs as if every font
had 1000 units per em: Liberation Serif (2048 upem) comes out about twice as
wide.  Rescaling to 1000 upem fixes the spacing, and subsetting to Latin +
Vietnamese shrinks the file so each visible signature parses and embeds it
quickly (~130 ms instead of ~300 ms per signature).

Liberation reserves its font names under the SIL OFL 1.1, so the modified
font is renamed "Vbdt Serif"; it stays under the OFL (see ``OFL.txt``).
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

SOURCE_DIR = Path("/usr/share/fonts/truetype/liberation2")
STYLES = ("Regular", "Italic")
FAMILY = "Vbdt Serif"

VIETNAMESE_LATIN = [
    *range(0x0020, 0x007F),  # Basic Latin
    *range(0x00A0, 0x0100),  # Latin-1 Supplement
    0x0102,
    0x0103,
    0x0110,
    0x0111,
    0x0128,
    0x0129,
    0x0168,
    0x0169,  # Ă Đ Ĩ Ũ
    0x01A0,
    0x01A1,
    0x01AF,
    0x01B0,  # Ơ Ư
    0x0300,
    0x0301,
    0x0303,
    0x0309,
    0x0323,  # combining tone marks
    *range(0x1EA0, 0x1EFA),  # Latin Extended Additional (Vietnamese)
    0x2013,
    0x2014,
    0x2018,
    0x2019,
    0x201C,
    0x201D,
    0x2026,
    0x20AB,
]


def _subset(font: TTFont) -> None:
    """Keep Vietnamese Latin glyphs only, without hinting or layout tables.

    Kerning and GPOS are dropped too, so that the widths measured from
    ``hmtx`` are exactly the advances pyHanko draws.
    """
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=VIETNAMESE_LATIN)
    subsetter.subset(font)


def _rename(font: TTFont, style: str) -> None:
    """Replace the OFL Reserved Font Name "Liberation" in the name table."""
    names = font["name"]
    names.removeNames(nameID=7)  # the Liberation trademark notice
    postscript_name = f"VbdtSerif-{style}"
    full_name = FAMILY if style == "Regular" else f"{FAMILY} {style}"
    for name_id, value in (
        (1, FAMILY),
        (3, f"{postscript_name}; rescaled subset of Liberation Serif 2.1.5"),
        (4, full_name),
        (6, postscript_name),
        (16, FAMILY),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)


def build(style: str = "Regular") -> Path:
    font = TTFont(SOURCE_DIR / f"LiberationSerif-{style}.ttf")
    _subset(font)
    scale_upem(font, 1000)
    _rename(font, style)
    target = Path(__file__).with_name(f"VbdtSerif-{style}.ttf")
    font.save(target)
    return target


if __name__ == "__main__":
    for style in STYLES:
        print(build(style))
