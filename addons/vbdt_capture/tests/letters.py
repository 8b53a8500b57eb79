"""Generated Vietnamese incoming letters for the capture tests and benches.

Each letter is laid out as Decree 30/2020 Appendix I prescribes (agency and
motto header, number and date line, title and subject, body, signature block,
recipients), rendered with reportlab in Liberation Serif (the Vietnamese
glyphs), and, for scans, rasterised with ``pdftoppm``, rotated a little and
speckled with Pillow, then wrapped back into an image-only PDF.  ``truth``
holds what the proposals should find.
"""

import datetime
import io
import os
import random
import subprocess
import tempfile
from dataclasses import dataclass

SERIF = "CaptureLetterSerif"
SERIF_BOLD = "CaptureLetterSerifBold"
FONT_DIRS = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
)

AGENCIES = (
    ("000.00.00.H42", "Ủy ban nhân dân tỉnh Phú Thọ", "UBND TỈNH PHÚ THỌ", "UBND"),
    ("000.00.08.H42", "Sở Tài chính tỉnh Phú Thọ", "SỞ TÀI CHÍNH", "STC"),
    ("000.00.09.H42", "Sở Nội vụ tỉnh Phú Thọ", "SỞ NỘI VỤ", "SNV"),
    (
        "000.00.11.H42",
        "Sở Giáo dục và Đào tạo tỉnh Phú Thọ",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "SGDĐT",
    ),
    ("000.00.14.H42", "Sở Y tế tỉnh Phú Thọ", "SỞ Y TẾ", "SYT"),
    ("000.00.17.H42", "Sở Xây dựng tỉnh Phú Thọ", "SỞ XÂY DỰNG", "SXD"),
    (
        "000.21.30.H42",
        "Ủy ban nhân dân phường Vĩnh Yên",
        "UBND PHƯỜNG VĨNH YÊN",
        "UBND",
    ),
    ("000.25.31.H42", "Ủy ban nhân dân xã Tam Đảo", "UBND XÃ TAM ĐẢO", "UBND"),
)
TYPES = (
    ("cong_van", "Công văn", None),
    ("quyet_dinh", "Quyết định", "QĐ"),
    ("ke_hoach", "Kế hoạch", "KH"),
    ("thong_bao", "Thông báo", "TB"),
    ("bao_cao", "Báo cáo", "BC"),
)
SUBJECTS = (
    "triển khai chuyển đổi số trong cơ quan hành chính năm 2027",
    "kiểm tra công tác văn thư, lưu trữ năm 2026",
    "phân bổ kinh phí sửa chữa trường học sau bão số 3",
    "tổ chức tiếp công dân định kỳ quý I năm 2027",
    "rà soát hồ sơ đất đai trên địa bàn sau sắp xếp đơn vị hành chính",
    "phòng, chống dịch sốt xuất huyết mùa mưa",
    "đánh giá, xếp loại chất lượng cán bộ, công chức cuối năm",
    "báo cáo tình hình thực hiện dự toán ngân sách",
)
BODY = (
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về việc nâng cao hiệu quả "
    "quản lý văn bản và hồ sơ điện tử, đề nghị các cơ quan, đơn vị khẩn trương "
    "rà soát, tổng hợp số liệu và gửi báo cáo về Văn phòng trước ngày 15 tháng 01 "
    "năm 2027 để tổng hợp, báo cáo cấp có thẩm quyền."
)
POSITIONS = (
    ("CHỦ TỊCH", None),
    ("PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH"),
    ("GIÁM ĐỐC", None),
    ("PHÓ GIÁM ĐỐC", "KT. GIÁM ĐỐC"),
    ("CHÁNH VĂN PHÒNG", "TL. CHỦ TỊCH"),
)
SIGNERS = (
    "Nguyễn Văn Hùng",
    "Trần Thị Thu Hà",
    "Lê Minh Đức",
    "Phạm Quốc Tuấn",
    "Hoàng Thị Lan Anh",
    "Đỗ Mạnh Cường",
)
URGENCIES = (
    (None, "normal"),
    ("KHẨN", "urgent"),
    ("HỎA TỐC", "flash"),
    ("THƯỢNG KHẨN", "very_urgent"),
)
PLACES = ("Phú Thọ", "Việt Trì", "Vĩnh Yên")


@dataclass
class Letter:
    number: int
    notation: str
    document_date: datetime.date
    sender: str  # agency code
    document_type: str
    subject: str
    signer_name: str
    signer_position: str
    urgency: str
    pdf: bytes = b""

    @property
    def truth(self):
        return {
            "number": self.number,
            "notation": self.notation,
            "document_date": self.document_date,
            "sender": self.sender,
            "document_type": self.document_type,
            "subject": self.subject,
            "signer_name": self.signer_name,
            "signer_position": self.signer_position.title(),
            "urgency": self.urgency,
        }


def _font_path(name):
    for folder in FONT_DIRS:
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(name)


def _register_fonts():
    """Liberation Serif under names of our own: vbdt_signature registers its
    own "VbdtSerif" (a subset font) in the same process."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    for name, file_name in (
        (SERIF, "LiberationSerif-Regular.ttf"),
        (SERIF_BOLD, "LiberationSerif-Bold.ttf"),
    ):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, _font_path(file_name)))


def make_letters(count=30, seed=2026):
    rng = random.Random(seed)
    letters = []
    for index in range(count):
        code, _name, header, agency_abbr = AGENCIES[index % len(AGENCIES)]
        type_key, type_name, type_abbr = TYPES[index % len(TYPES)]
        position, authority = rng.choice(POSITIONS)
        urgency_mark, urgency = URGENCIES[index % len(URGENCIES)]
        unit = rng.choice(("VP", "KT", "TH", None))
        parts = [
            p for p in (type_abbr, agency_abbr, unit if not type_abbr else None) if p
        ]
        letter = Letter(
            number=rng.randint(1, 2400),
            notation="-".join(parts),
            document_date=datetime.date(2026, rng.randint(1, 11), rng.randint(1, 28)),
            sender=code,
            document_type=type_key,
            subject=(type_name if type_abbr else "V/v") + " " + rng.choice(SUBJECTS),
            signer_name=rng.choice(SIGNERS),
            signer_position=position,
            urgency=urgency,
        )
        letter.subject = letter.subject.split(" ", 1 if not type_abbr else 2)[-1]
        letter.pdf = render(
            letter,
            header,
            type_name if type_abbr else None,
            urgency_mark,
            authority,
            rng.choice(PLACES),
        )
        letters.append(letter)
    return letters


def render(letter, header, title, urgency_mark, authority, place):
    """A born-digital PDF of ``letter`` (A4, Liberation Serif)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    left, right = 70, width - 60
    y = height - 70
    pdf.setFont(SERIF_BOLD, 12)
    pdf.drawCentredString(left + 90, y, header)
    pdf.drawCentredString(right - 130, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    y -= 16
    pdf.drawCentredString(right - 130, y, "Độc lập - Tự do - Hạnh phúc")
    y -= 22
    pdf.setFont(SERIF, 13)
    pdf.drawCentredString(left + 90, y, f"Số: {letter.number}/{letter.notation}")
    day = letter.document_date
    pdf.drawCentredString(
        right - 130,
        y,
        f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
    )
    y -= 18
    if title is None:
        pdf.setFont(SERIF, 12)
        # The subject under the number, wrapped at a word (Decree 30 layout).
        words = f"V/v {letter.subject}".split()
        first = []
        while words and len(" ".join([*first, words[0]])) <= 48:
            first.append(words.pop(0))
        pdf.drawCentredString(left + 90, y, " ".join(first))
        if words:
            y -= 15
            pdf.drawCentredString(left + 90, y, " ".join(words))
        y -= 20
    if urgency_mark:
        pdf.setFont(SERIF_BOLD, 14)
        pdf.drawString(left, y, urgency_mark)
        y -= 24
    if title:
        pdf.setFont(SERIF_BOLD, 14)
        pdf.drawCentredString(width / 2, y, title.upper())
        y -= 18
        pdf.setFont(SERIF_BOLD, 13)
        pdf.drawCentredString(width / 2, y, f"Về việc {letter.subject}")
        y -= 30
    pdf.setFont(SERIF, 13)
    y = _paragraph(pdf, BODY, left, right, y)
    y -= 40
    pdf.setFont(SERIF_BOLD, 12)
    if authority:
        pdf.drawCentredString(right - 100, y, authority)
        y -= 16
    pdf.drawCentredString(right - 100, y, letter.signer_position)
    y -= 70
    pdf.drawCentredString(right - 100, y, letter.signer_name)
    y -= 50
    pdf.setFont(SERIF, 11)
    pdf.drawString(left, y, "Nơi nhận:")
    pdf.drawString(left, y - 14, "- Như trên;")
    pdf.drawString(left, y - 28, "- Lưu: VT.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _paragraph(pdf, text, left, right, y):
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if pdf.stringWidth(trial, SERIF, 13) > right - left:
            pdf.drawString(left, y, line)
            y -= 18
            line = word
        else:
            line = trial
    pdf.drawString(left, y, line)
    return y - 18


def scan(pdf_bytes, dpi=200, angle=0.0, noise=0.0, seed=0):
    """An image-only PDF of the first page of ``pdf_bytes``: rasterised with
    ``pdftoppm``, rotated by ``angle`` degrees and speckled with ``noise``
    (share of pixels flipped), as a flatbed scanner would deliver it."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "in.pdf")
        with open(source, "wb") as handle:
            handle.write(pdf_bytes)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-gray",
                "-png",
                "-singlefile",
                source,
                os.path.join(folder, "page"),
            ],
            check=True,
            timeout=60,
        )
        image = Image.open(os.path.join(folder, "page.png")).convert("L")
        image.load()
    if angle:
        image = image.rotate(angle, expand=True, fillcolor=255)
    if noise:
        rng = random.Random(seed)
        pixels = image.load()
        width, height = image.size
        for _ in range(int(width * height * noise)):
            x, y = rng.randrange(width), rng.randrange(height)
            pixels[x, y] = 0 if pixels[x, y] > 128 else 255
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=dpi)
    # Pillow (10.x) writes the head of the free list with generation 65536;
    # a scanner's PDF has 65535, as the PDF reference says, and strict readers
    # (pyHanko, which vbdt_signature verifies files with) refuse 65536: the
    # same length, so the cross-reference offsets stay right.
    return out.getvalue().replace(b"0000000000 65536 f", b"0000000000 65535 f", 1)


def scanned_letters(count=30, seed=2026):
    """``make_letters`` with every letter scanned: a third straight and clean,
    a third rotated (up to 2°), a third rotated and noisy."""
    letters = make_letters(count, seed)
    rng = random.Random(seed)
    for index, letter in enumerate(letters):
        kind = index % 3
        angle = 0.0 if kind == 0 else rng.uniform(-2.0, 2.0)
        noise = 0.004 if kind == 2 else 0.0
        letter.pdf = scan(
            letter.pdf, dpi=300 if kind else 200, angle=angle, noise=noise, seed=index
        )
    return letters


def score(letters, proposals_of):
    """Per-field precision and recall over ``letters``: a dict field →
    (correct, proposed, total)."""
    table = {}
    for letter in letters:
        proposals = proposals_of(letter)
        for field, expected in letter.truth.items():
            correct, proposed, total = table.get(field, (0, 0, 0))
            found = proposals.get(field)
            if found is not None:
                proposed += 1
                correct += _same(found.value, expected)
            table[field] = (correct, proposed, total + 1)
    return table


def _same(value, expected):
    if isinstance(expected, str) and isinstance(value, str):
        return " ".join(value.lower().split()) == " ".join(expected.lower().split())
    return value == expected
