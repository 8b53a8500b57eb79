"""PDF/A-2b of an UNSIGNED PDF with ocrmypdf (``--output-type pdfa-2
--skip-text``): born-digital drafts (no OCR at all: ``--tesseract-timeout
0``) and scans (pages without a text layer are read in Vietnamese).

A signed PDF is never converted: rewriting it would break its signatures,
which must survive.  A file that cannot be shown to be unsigned (damaged,
unreadable) is refused too.  ocrmypdf runs with fixed arguments (nothing
from the database becomes a path, an option or a program), in a private
temporary folder, under CPU-time, memory and wall-clock limits, and the
file's pages are counted first against a page limit.  The result must
declare PDF/A-2b (:func:`pdfa_claim`) and, without OCR, keep the original's
text (pdftotext before and after), else nothing is returned.

Moved here from ``vbdt_capture/capture/pdfa.py`` (which keeps its name for
scans) so that every addon on top of ``vbdt_document`` converts with the
same code: vbdt_signature converts a draft's main text before the first
signature.
"""

import functools
import io
import os
import re
import resource
import signal
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass

from .detect import pdfa_claim

OCR_LANGUAGE = "vie"


class PdfaError(Exception):
    """A file that was not converted; ``code`` says why (``not_pdf``,
    ``signed``, ``too_many_pages``, ``timeout``, ``missing_tool``,
    ``tool_failed``, ``not_pdfa``, ``text_changed``), for the translated
    message the models show."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class PdfaLimits:
    max_pages: int = 200
    seconds: int = 900
    """Wall-clock (and CPU-time) limit of the whole conversion."""
    memory_mb: int = 768


# SIGXCPU at the soft CPU-time limit, SIGKILL at the hard one
_CPU_LIMIT_SIGNALS = (signal.SIGXCPU, signal.SIGKILL)

_SIGNATURE_MARKS = re.compile(rb"/ByteRange\s*\[|/Type\s*/Sig\b|/FT\s*/Sig\b|/DocMDP\b")


def _limiter(memory_mb, seconds):
    def apply():
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))

    return apply


def run_tool(args, seconds, memory_mb, cwd, extra_env=None):
    """Run a fixed program under the limits; its output, or :class:`PdfaError`
    (``timeout``, ``missing_tool``, ``tool_failed``).  ``extra_env``: fixed
    variables of this module, never values from the database."""
    try:
        done = subprocess.run(
            args,
            cwd=cwd,
            capture_output=True,
            timeout=seconds,
            check=False,
            preexec_fn=_limiter(memory_mb, seconds),  # noqa: PLW1509
            env={
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "OMP_THREAD_LIMIT": "1",
                **(extra_env or {}),
            },
        )
    except subprocess.TimeoutExpired as exc:
        raise PdfaError("timeout", args[0]) from exc
    except OSError as exc:
        raise PdfaError("missing_tool", args[0]) from exc
    if -done.returncode in _CPU_LIMIT_SIGNALS:
        # the CPU-time limit (RLIMIT_CPU) ended it: a time limit like the
        # wall-clock one, which it reaches first on an idle machine
        raise PdfaError("timeout", args[0])
    if done.returncode != 0:
        raise PdfaError("tool_failed", done.stderr.decode(errors="replace")[-300:])
    return done.stdout


GS_BROKEN_TEXT = ((10, 0, 0), (10, 2, 0))
"""Ghostscript versions whose new PDF interpreter corrupts an existing text
layer (Vietnamese letters lost or garbled; OCRmyPDF's own warning names
10.0.0 through 10.02.0; Debian 12 ships 10.0.0).  With them Ghostscript is
told to use its legacy interpreter, which they still carry."""


@functools.lru_cache(maxsize=1)
def _ghostscript_env():
    """Variables for ocrmypdf's Ghostscript: ``GS_OPTIONS`` selects the
    legacy interpreter on the versions in :data:`GS_BROKEN_TEXT`."""
    try:
        out = run_tool(["gs", "--version"], 20, 256, tempfile.gettempdir())
        version = tuple(int(part) for part in out.decode().strip().split("."))
    except (PdfaError, ValueError):
        return {}
    low, high = GS_BROKEN_TEXT
    return {"GS_OPTIONS": "-dNEWPDF=false"} if low <= version <= high else {}


def _text(path, limits):
    """The text layer of the PDF at ``path`` (pdftotext), without white space
    and in NFKC form: what a conversion must keep."""
    out = run_tool(
        ["pdftotext", "-enc", "UTF-8", path, "-"],
        limits.seconds,
        limits.memory_mb,
        os.path.dirname(path),
    )
    text = unicodedata.normalize("NFKC", out.decode("utf-8", errors="replace"))
    return "".join(text.split())


def _reader(raw):
    from PyPDF2 import PdfReader  # pylint: disable=import-outside-toplevel

    return PdfReader(io.BytesIO(raw), strict=False)


def is_signed(raw):
    """True when the PDF carries (or may carry) a digital signature: a
    signature dictionary or field anywhere in the bytes, or a file PyPDF2
    cannot read (so it cannot be shown to be unsigned)."""
    if _SIGNATURE_MARKS.search(raw):
        return True
    try:
        reader = _reader(raw)
        root = reader.trailer["/Root"].get_object()
        if "/Perms" in root:
            return True
        form = root.get("/AcroForm")
        fields = form.get_object().get("/Fields", []) if form else []
        for ref in fields:
            field = ref.get_object()
            if field.get("/FT") == "/Sig":
                return True
        # Signature dictionaries in compressed object streams.
        for number in range(1, min(int(reader.trailer.get("/Size", 0)), 100_000)):
            try:
                obj = reader.get_object(number)
            except Exception:  # noqa: BLE001 - free or damaged entry
                continue
            if hasattr(obj, "get") and (
                obj.get("/Type") == "/Sig" or "/ByteRange" in obj
            ):
                return True
    except Exception:  # noqa: BLE001 - unreadable: not shown to be unsigned
        return True
    return False


def page_count(raw):
    """Pages of the PDF ``raw``; :class:`PdfaError` ``not_pdf`` when unreadable."""
    try:
        return len(_reader(raw).pages)
    except Exception as exc:  # noqa: BLE001 - any damage: not a readable PDF
        raise PdfaError("not_pdf", str(exc)[:200]) from exc


def convert_to_pdfa(raw, limits=None, ocr=False):
    """PDF/A-2b bytes of the unsigned PDF ``raw``.

    ``ocr``: pages without a text layer are read by Tesseract in Vietnamese
    (scans); without it nothing is OCRed (born-digital drafts: the
    conversion only).  Raises :class:`PdfaError`: ``not_pdf``, ``signed``
    (a signed or unreadable PDF), ``too_many_pages`` (detail: the count),
    ``timeout``, ``missing_tool``, ``tool_failed``, ``not_pdfa`` (the tool's
    output does not declare PDF/A-2b), ``text_changed`` (without OCR: the
    text layer of the result differs from the original's)."""
    limits = limits or PdfaLimits()
    if not raw or raw.lstrip()[:5] != b"%PDF-":
        raise PdfaError("not_pdf")
    if _SIGNATURE_MARKS.search(raw):
        raise PdfaError("signed")
    # a damaged file is "not_pdf" rather than "signed" (cannot be shown unsigned)
    pages = page_count(raw)
    if is_signed(raw):
        raise PdfaError("signed")
    if pages > limits.max_pages:
        raise PdfaError("too_many_pages", str(pages))
    args = ["ocrmypdf", "--quiet", "--output-type", "pdfa-2", "--skip-text"]
    if not ocr:
        # documented way of converting without OCR: Tesseract is given no time
        args += ["--tesseract-timeout", "0"]
    with tempfile.TemporaryDirectory(prefix="vbdt-pdfa-") as folder:
        source = os.path.join(folder, "in.pdf")
        target = os.path.join(folder, "out.pdf")
        with open(source, "wb") as handle:
            handle.write(raw)
        run_tool(
            [*args, "--jobs", "1", "-l", OCR_LANGUAGE, source, target],
            limits.seconds,
            limits.memory_mb,
            folder,
            extra_env=_ghostscript_env(),
        )
        # Without OCR the text must come out as it went in: a converter
        # that garbles letters (see GS_BROKEN_TEXT) is caught here.
        if not ocr and _text(target, limits) != _text(source, limits):
            raise PdfaError("text_changed")
        with open(target, "rb") as handle:
            converted = handle.read()
    if pdfa_claim(converted) != "2b":
        raise PdfaError("not_pdfa")
    return converted
