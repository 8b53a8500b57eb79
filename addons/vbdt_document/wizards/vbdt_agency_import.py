import base64
import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

COLUMNS = ("code", "name", "parent_code", "email", "tier", "code_qd20")


class VbdtAgencyImport(models.TransientModel):
    """Load the agency directory from a CSV export (the axis's list, a province's
    own list): new codes are created, known codes updated, nothing deleted."""

    _name = "vbdt.agency.import"
    _description = "Import Agency Directory"

    file = fields.Binary(required=True)
    file_name = fields.Char()
    created_count = fields.Integer(readonly=True)
    updated_count = fields.Integer(readonly=True)
    error_lines = fields.Text(readonly=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")

    def _read_rows(self):
        raw = base64.b64decode(self.file)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UserError(self.env._("The file must be a UTF-8 CSV file.")) from error
        reader = csv.DictReader(io.StringIO(text))
        missing = {"code", "name"} - set(reader.fieldnames or ())
        if missing:
            raise UserError(
                self.env._(
                    "The CSV file needs the columns %(columns)s (optional: "
                    "%(optional)s).",
                    columns="code, name",
                    optional=", ".join(COLUMNS[2:]),
                )
            )
        return list(reader)

    def action_import(self):
        self.ensure_one()
        Agency = self.env["vbdt.agency"].with_context(active_test=False)
        tiers = dict(self.env["vbdt.agency.tier"]._vbdt_selection())
        created = updated = 0
        errors = []
        rows = self._read_rows()
        by_code = {}
        for line_no, row in enumerate(rows, start=2):
            vals = {
                "name": (row.get("name") or "").strip(),
                "email": (row.get("email") or "").strip() or False,
                "tier": (row.get("tier") or "").strip()
                if row.get("tier") in tiers
                else "other",
                "code_qd20": (row.get("code_qd20") or "").strip() or False,
            }
            try:
                code = Agency._vbdt_normalise_code((row.get("code") or "").strip())
                if not code or not vals["name"]:
                    raise ValidationError(self.env._("code and name are required"))
                with self.env.cr.savepoint():
                    agency = Agency._vbdt_find_by_code(code)
                    if agency:
                        agency.write(vals)
                        updated += 1
                    else:
                        agency = Agency.create({**vals, "code": code})
                        created += 1
                by_code[code] = (agency, (row.get("parent_code") or "").strip())
            except (ValidationError, UserError) as error:
                errors.append(
                    self.env._(
                        "Line %(line)s: %(error)s", line=line_no, error=error.args[0]
                    )
                )
        for agency, parent_code in by_code.values():
            parent = Agency._vbdt_find_by_code(parent_code) if parent_code else False
            if parent and parent != agency:
                agency.parent_id = parent
        self.write(
            {
                "created_count": created,
                "updated_count": updated,
                "error_lines": "\n".join(errors),
                "state": "done",
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
