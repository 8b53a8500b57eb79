"""Text of a PDF: the text layer of each page, and OCR of the pages without.

Each page is handled on its own, so that a bad page costs its own time limit
and not the whole file's; the whole file also has a time budget and a page
limit.  The bytes are written to a private temporary folder whose name the
program chooses; the programs run with fixed arguments, a CPU-time and
address-space limit (``resource.setrlimit`` in the child) and a wall-clock
timeout.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

from ._pdfa import pdfa

MIN_TEXT_CHARS = 20
"""A page whose text layer has fewer printable characters is treated as a scan."""

OCR_LANGUAGE = "vie"


class CaptureError(Exception):
    """A file whose text could not be read; ``code`` says why, for the
    translated message the model shows."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class CaptureLimits:
    max_pages: int = 200
    page_seconds: int = 60
    file_seconds: int = 900
    memory_mb: int = 768
    dpi: int = 300


@dataclass
class PageText:
    number: int
    text: str
    method: str  # "text" (text layer), "ocr", or "failed"
    seconds: float = 0.0
    error: str = ""


@dataclass
class FileText:
    pages: list = field(default_factory=list)

    @property
    def text(self):
        return "\n\f".join(page.text for page in self.pages)

    @property
    def ocr_pages(self):
        return sum(1 for page in self.pages if page.method == "ocr")

    @property
    def failed_pages(self):
        return [page.number for page in self.pages if page.method == "failed"]


def ocr_available():
    """True when ``tesseract`` runs and has the Vietnamese data."""
    if not shutil.which("tesseract"):
        return False
    try:
        out = subprocess.run(
            ["tesseract", "--list-langs"],
            capture_output=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return OCR_LANGUAGE in out.stdout.decode(errors="replace").split()


def _run(args, limits, seconds, cwd):
    """Run a fixed program (the bounded runner of ``vbdt_document/pdfa``);
    its output, or CaptureError on failure or timeout."""
    try:
        return pdfa.run_tool(args, seconds, limits.memory_mb, cwd)
    except pdfa.PdfaError as exc:
        raise CaptureError(exc.code, exc.detail) from exc


def page_count(path, limits):
    try:
        info = _run(
            ["pdfinfo", path], limits, limits.page_seconds, os.path.dirname(path)
        )
    except CaptureError as exc:
        if exc.code == "tool_failed":  # poppler could not parse it
            raise CaptureError("not_pdf", exc.detail) from exc
        raise
    match = re.search(rb"^Pages:\s+(\d+)", info, re.MULTILINE)
    if not match:
        raise CaptureError("not_pdf")
    return int(match.group(1))


def _text_layer(path, number, limits):
    out = _run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(number), "-l", str(number), path, "-"],
        limits,
        limits.page_seconds,
        os.path.dirname(path),
    )
    return out.decode("utf-8", errors="replace")


def _ocr_page(path, number, limits, folder):
    stem = os.path.join(folder, f"page-{number}")
    _run(
        [
            "pdftoppm",
            "-r",
            str(limits.dpi),
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            str(number),
            "-l",
            str(number),
            path,
            stem,
        ],
        limits,
        limits.page_seconds,
        folder,
    )
    image = stem + ".png"
    try:
        out = _run(
            ["tesseract", image, "-", "-l", OCR_LANGUAGE, "--psm", "3"],
            limits,
            limits.page_seconds,
            folder,
        )
    finally:
        if os.path.exists(image):
            os.unlink(image)
    return out.decode("utf-8", errors="replace")


def _printable(text):
    return sum(1 for char in text if char.isalnum())


def extract_pdf_text(raw, limits=None, ocr=True, progress=None):
    """The text of a PDF given as bytes, page by page (:class:`FileText`).

    Pages with a text layer keep it (born-digital and already-OCRed files);
    the others are rasterised and read by Tesseract in Vietnamese when
    ``ocr``.  ``progress(done, total)`` is called after each page.  Raises
    :class:`CaptureError` for a file that is not a PDF, has too many pages,
    or exceeds its time budget."""
    limits = limits or CaptureLimits()
    if not raw.startswith(b"%PDF-"):
        raise CaptureError("not_pdf")
    started = time.monotonic()
    result = FileText()
    with tempfile.TemporaryDirectory(prefix="vbdt-capture-") as folder:
        path = os.path.join(folder, "input.pdf")
        with open(path, "wb") as handle:
            handle.write(raw)
        total = page_count(path, limits)
        if total > limits.max_pages:
            raise CaptureError("too_many_pages", str(total))
        for number in range(1, total + 1):
            if time.monotonic() - started > limits.file_seconds:
                raise CaptureError("timeout", "file")
            result.pages.append(_page(path, number, limits, folder, ocr))
            if progress:
                progress(number, total)
    return result


def _page(path, number, limits, folder, ocr):
    begin = time.monotonic()
    try:
        text = _text_layer(path, number, limits)
        method = "text"
        if _printable(text) < MIN_TEXT_CHARS and ocr:
            text, method = _ocr_page(path, number, limits, folder), "ocr"
    except CaptureError as exc:
        return PageText(number, "", "failed", time.monotonic() - begin, exc.code)
    return PageText(number, text.strip(), method, time.monotonic() - begin)
