import re
import tempfile

from werkzeug.wsgi import wrap_file

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import Response, content_disposition, request

from ..models.vbdt_records_file_index import INDEX_MAX_FILES

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
IDS_PATTERN = re.compile(r"^\d{1,10}(,\d{1,10})*$")


class VbdtRecordsIndex(http.Controller):
    @http.route(
        "/vbdt_records/index/<any(documents,files):kind>.<any(csv,xlsx):fmt>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def index(self, kind, fmt, ids="", **kwargs):
        """Download an index as the logged-in user: the rules of files and
        items decide what it holds, exactly as on screen."""
        if not IDS_PATTERN.match(ids or "") or ids.count(",") >= INDEX_MAX_FILES:
            return request.not_found()
        files = (
            request.env["vbdt.records.file"]
            .browse(int(record_id) for record_id in ids.split(","))
            .exists()
        )
        if not files:
            return request.not_found()
        data = files._vbdt_export_index(kind, fmt)
        name = (
            request.env._("Document index %(code)s", code=files[:1].code)
            if kind == "documents"
            else request.env._("File index")
        )
        return request.make_response(
            data,
            headers=[
                ("Content-Type", CONTENT_TYPES[fmt]),
                ("Content-Disposition", content_disposition(f"{name}.{fmt}")),
            ],
        )


class VbdtRecordsExport(http.Controller):
    @http.route(
        "/vbdt_records/export/<int:file_id>.<any(pdf,xml):fmt>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def export(self, file_id, fmt, **kwargs):
        """The whole case file as the logged-in user may read it: one PDF
        (cover and index, then the items' PDFs) or its metadata as XML.
        A file this user may not read is answered as not found."""
        case_file = request.env["vbdt.records.file"].browse(file_id)
        try:
            case_file = case_file.exists()
            if not case_file:
                return request.not_found()
            case_file.check_access("read")
        except (AccessError, MissingError):
            return request.not_found()
        name = f"{case_file.code}.{fmt}"
        if fmt == "xml":
            return request.make_response(
                case_file._vbdt_export_xml(),
                headers=[
                    ("Content-Type", "application/xml; charset=utf-8"),
                    ("Content-Disposition", content_disposition(name)),
                ],
            )
        # Spooled: a file of hundreds of PDFs goes to disk, not to memory.
        stream = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
        try:
            case_file._vbdt_export_pdf(stream)
            size = stream.tell()
            stream.seek(0)
        except BaseException:
            stream.close()
            raise
        return Response(
            wrap_file(request.httprequest.environ, stream),
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", str(size)),
                ("Content-Disposition", content_disposition(name)),
            ],
            direct_passthrough=True,
        )
