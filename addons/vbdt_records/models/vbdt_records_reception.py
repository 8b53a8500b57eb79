import logging
import os
import tempfile
from datetime import date

import psycopg2

from odoo import fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from ..archives import receive
from .field_attachment import field_attachment
from .vbdt_records_file_retention import OFFICER_GROUP
from .vbdt_records_lifecycle import agency_field

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# Fields only the receive action writes.
RECEPTION_LIFECYCLE = {
    "state",
    "package_ref",
    "source_agency",
    "source_agency_code",
    "problems",
    "done_date",
    "done_uid",
}


# The text of each problem ``archives.receive`` reports, by its code; every
# text but the first names the problem's detail.
PROBLEM_TEXTS = {
    "not_zip": _lt("The package is not a ZIP file."),
    "too_many_entries": _lt("The package holds too many entries (%(detail)s)."),
    "too_large": _lt("The package unpacks to too many bytes (%(detail)s)."),
    "entry_too_large": _lt("An entry of the package is too large: %(detail)s"),
    "ratio": _lt(
        "An entry is compressed beyond the allowed ratio (ZIP bomb): %(detail)s"
    ),
    "unsafe_path": _lt("An entry's path leaves the package: %(detail)s"),
    "symlink": _lt("The package holds a symbolic link: %(detail)s"),
    "encrypted": _lt("The package holds an encrypted entry: %(detail)s"),
    "nested_archive": _lt(
        "The package holds another archive, which is not accepted: %(detail)s"
    ),
    "unreadable": _lt("An entry of the package cannot be read: %(detail)s"),
    "fixity": _lt("A file differs from its SHA-256 in METS: %(detail)s"),
    "no_description": _lt(
        "The package has no Circular 05/2025 description (%(detail)s)."
    ),
}
PROBLEM_TEXT_OTHER = _lt("The package is not valid: %(detail)s")


class VbdtRecordsReception(models.Model):
    """The reception of a submission package (SIP) from an ended agency or
    another system: the package is checked safely (``archives.receive``:
    ZIP bomb limits, paths, nested archives, fixity of every file against
    METS), then its case files are imported, all or nothing, as closed,
    read-only received files. A refused package leaves a record of why."""

    _name = "vbdt.records.reception"
    _description = "Records Reception"
    _inherit = ["mail.thread", "vbdt.records.lifecycle.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = agency_field()
    package = fields.Binary(attachment=True, required=True, copy=False)
    package_name = fields.Char(copy=False)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Received"), ("refused", "Refused")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    package_ref = fields.Char(string="Package ID", readonly=True, copy=False)
    source_agency = fields.Char(string="From Agency", readonly=True, copy=False)
    source_agency_code = fields.Char(
        string="From Agency Code", readonly=True, copy=False
    )
    problems = fields.Text(readonly=True, copy=False)
    file_ids = fields.One2many(
        "vbdt.records.file", "reception_id", string="Received Files", readonly=True
    )
    file_count = fields.Integer(compute="_compute_file_count", string="Files")
    done_date = fields.Datetime(string="Received On", readonly=True, copy=False)
    done_uid = fields.Many2one(
        "res.users", string="Received By", readonly=True, copy=False
    )

    _vbdt_lifecycle_fields = frozenset(RECEPTION_LIFECYCLE)

    def _vbdt_lifecycle_refusal(self):
        return self.env._("A reception changes only through its Receive action.")

    def _compute_file_count(self):
        for reception in self:
            reception.file_count = len(reception.file_ids)

    def write(self, vals):
        if (
            {"package", "company_id"} & set(vals)
            and self.filtered(lambda reception: reception.state != "draft")
            and not self._vbdt_lifecycle_unlocked()
        ):
            raise UserError(self.env._("A processed package cannot be replaced."))
        return super().write(vals)

    def unlink(self):
        if self.filtered(lambda reception: reception.state == "done"):
            raise UserError(self.env._("A completed reception is kept as evidence."))
        return super().unlink()

    # ------------------------------------------------------------ receive
    def action_receive(self):
        """Check the package and import its files, all or nothing; a refused
        package is recorded with its problems and imports nothing."""
        if not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(self.env._("Only a records officer receives packages."))
        self.check_access("write")
        for reception in self:
            if reception.state != "draft":
                raise UserError(self.env._("This package was already processed."))
            reception._receive()
        return True

    def _receive(self):
        self.ensure_one()
        try:
            package = self._check_package()
        except receive.ReceiveError as error:
            return self._refuse([self._problem_text(p) for p in error.problems])
        try:
            # One savepoint: every file and item, or nothing.
            with self.env.cr.savepoint():
                files = self._import(package)
        except (UserError, ValidationError, psycopg2.IntegrityError) as error:
            message = error.args[0] if error.args else str(error)
            if isinstance(error, psycopg2.IntegrityError):
                message = self.env._(
                    "The files could not be imported: a file code of the package "
                    "is already used this year."
                )
            return self._refuse([message])
        # sudo: the reception's lifecycle fields are written only here.
        self.sudo()._vbdt_write_lifecycle(
            {
                "state": "done",
                "package_ref": package.package_id,
                "source_agency": package.agency_name,
                "source_agency_code": package.agency_code,
                "problems": False,
                "done_date": fields.Datetime.now(),
                "done_uid": self.env.uid,
            }
        )
        self.message_post(
            body=self.env._(
                "Package %(package)s received from %(agency)s: %(files)s file(s) "
                "imported.",
                package=package.package_id,
                agency=package.agency_name,
                files=len(files),
            )
        )
        return True

    def _refuse(self, problems):
        text = "\n".join(problems[:50])
        # sudo: the reception's lifecycle fields are written only here.
        self.sudo()._vbdt_write_lifecycle({"state": "refused", "problems": text})
        self.message_post(
            body=self.env._("Package refused:\n%(problems)s", problems=text)
        )
        return False

    def _check_package(self):
        """Run the core checks on the stored package, read from its file in
        the filestore (never loaded whole into memory)."""
        # the package's attachment belongs to this reception, whose access
        # was checked (action_receive)
        attachment = field_attachment(self, "package")
        if not attachment:
            raise receive.ReceiveError([receive.Problem("not_zip", "")])
        if attachment.store_fname:
            return receive.receive_package(
                attachment._full_path(attachment.store_fname)
            )
        handle, path = tempfile.mkstemp(prefix="vbdt-reception-", suffix=".zip")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(attachment.raw or b"")
            return receive.receive_package(path)
        finally:
            os.unlink(path)

    def _problem_text(self, problem):
        template = PROBLEM_TEXTS.get(problem.code, PROBLEM_TEXT_OTHER)
        return self.env._(template) % {"detail": problem.detail}

    # ------------------------------------------------------------ import
    def _retention(self, value):
        Retention = self.env["vbdt.records.retention"]
        if value == "permanent":
            retention = Retention.search([("permanent", "=", True)], limit=1)
        elif (value or "").isdigit():
            retention = Retention.search(
                [("permanent", "=", False), ("years", "=", int(value))], limit=1
            )
        else:
            retention = Retention
        if not retention:
            raise UserError(
                self.env._(
                    "The retention period %(value)s of a received file is not in "
                    "the retention schedule.",
                    value=value or "?",
                )
            )
        return retention

    @staticmethod
    def _date(value):
        try:
            return date.fromisoformat(value) if value else False
        except ValueError:
            return False

    def _import(self, package):
        File = self.env["vbdt.records.file"]
        Line = self.env["vbdt.records.file.line"]
        if not package.files:
            raise UserError(self.env._("The package holds no case file."))
        files = File
        for received in package.files:
            meta = received.metadata
            year = int(meta["year"]) if meta.get("year", "").isdigit() else 0
            year = year or fields.Date.context_today(self).year
            code = meta.get("fileCode") or "?"
            # sudo: a code is unique per agency and year, among files this
            # user may not see too; only whether it is taken comes out.
            if File.sudo().search_count(
                [
                    ("company_id", "=", self.company_id.id),
                    ("year", "=", year),
                    ("code", "=", code),
                ],
                limit=1,
            ):
                raise UserError(
                    self.env._(
                        "The files could not be imported: file code %(code)s is "
                        "already used in %(year)s.",
                        code=code,
                        year=year,
                    )
                )
            case_file = File.create(
                {
                    "code": code,
                    "title": meta.get("title") or code,
                    "year": year,
                    "company_id": self.company_id.id,
                    "retention_id": self._retention(meta.get("retention")).id,
                }
            )
            for document in received.documents:
                Line.create(self._line_vals(case_file, document))
            files |= case_file
        # sudo: the lifecycle fields of the new files are written only here;
        # received files are closed for good (re-opening is refused).
        files.sudo()._vbdt_write_lifecycle(
            {
                "reception_id": self.id,
                "state": "closed",
                "closed_date": fields.Datetime.now(),
                "closed_uid": self.env.uid,
            }
        )
        return files

    def _line_vals(self, case_file, document):
        meta = document.metadata
        restricted = meta.get("accessMode") == "restricted"
        if restricted:
            # The names of its readers did not travel with the package: the
            # item keeps only a neutral label here (the package has it all).
            name = self.env._("Restricted document (received)")
        else:
            parts = [
                meta.get("numberAndNotation") or meta.get("itemKind") or "",
                meta.get("summary") or "",
            ]
            name = " – ".join(part for part in parts if part)
        pages = meta.get("pageCount", "")
        return {
            "file_id": case_file.id,
            "kind": "other",
            "name": name or self.env._("Received item"),
            "item_date": self._date(meta.get("date")),
            "page_count": int(pages) if pages.isdigit() else 0,
        }

    def action_view_files(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "vbdt.records.file",
            "name": self.env._("Received Files"),
            "view_mode": "list,form",
            "domain": [("reception_id", "=", self.id)],
        }
