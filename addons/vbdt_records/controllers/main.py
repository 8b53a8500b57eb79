import re

from odoo import http
from odoo.http import content_disposition, request

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
