import hashlib

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.vbdt_document.models.lifecycle import may_create, unlocked

from ..copies import stamp
from .vbdt_records_file import DROPPED_STATES, UNFINISHED_STATES

CLERK_GROUP = "vbdt_document.vbdt_document_group_clerk"
# Symbols of the copy register (Decree 30/2020, Appendix III).
FORM_SYMBOLS = {"sao_y": "SY", "trich_sao": "TrS", "sao_luc": "SL"}
FORMS = [
    ("sao_y", "Full copy (sao y)"),
    ("trich_sao", "Extract (trích sao)"),
    ("sao_luc", "Copy of a copy (sao lục)"),
]
# The copy line printed on the copy: the Decree's own words, in every language.
FORM_LINES = {"sao_y": "SAO Y", "trich_sao": "TRÍCH SAO", "sao_luc": "SAO LỤC"}
MAX_SCAN_BYTES = 50 * 1024 * 1024
# What a copy is: fixed when it is made, never edited afterwards.
COPY_LIFECYCLE = {
    "name",
    "number",
    "year",
    "form",
    "original_id",
    "pages",
    "from_paper",
    "company_id",
    "place",
    "copy_date",
    "signer_id",
    "attachment_id",
    "sha256",
    "sealed",
    "source_copy_id",
}


class VbdtRecordsCopy(models.Model):
    """A copy (bản sao) made by the agency of one of its documents: sao y (the
    whole document), trích sao (chosen pages) or sao lục (a copy of a copy),
    numbered in the agency's copy register (sổ sao văn bản) by year.

    A copy exists only through :meth:`_vbdt_make_copy` (the Make a Copy
    action of a document): its number, form, link to the original and file
    are fixed there and never written by a client. It carries the original's
    secrecy: its record rules are the original's (secret originals' copies
    are seen by the original's named readers only)."""

    _name = "vbdt.records.copy"
    _description = "Copy of a Document"
    _inherit = ["mail.thread", "vbdt.records.lifecycle.mixin"]
    _order = "year desc, number desc"
    _check_company_auto = True

    name = fields.Char(string="Copy Number", readonly=True, copy=False)
    number = fields.Integer(readonly=True, copy=False)
    year = fields.Integer(readonly=True, copy=False)
    form = fields.Selection(
        FORMS,
        string="Form of Copy",
        required=True,
        readonly=True,
    )
    original_id = fields.Many2one(
        "vbdt.document",
        string="Original",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    source_copy_id = fields.Many2one(
        "vbdt.records.copy",
        string="Copied From",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The copy this sao lục was made from.",
    )
    confidentiality = fields.Selection(related="original_id.confidentiality")
    pages = fields.Char(
        readonly=True, help="Pages of the original in an extract, e.g. 1-2, 4."
    )
    from_paper = fields.Boolean(
        string="From a Paper Original",
        readonly=True,
        help="The copy was made from a scan of a paper original.",
    )
    company_id = fields.Many2one(
        "res.company", string="Agency", required=True, readonly=True, index=True
    )
    place = fields.Char(readonly=True)
    copy_date = fields.Date(string="Date of Copy", readonly=True)
    signer_id = fields.Many2one(
        "res.users",
        string="Signed By",
        readonly=True,
        help="The person with authority who signs the copy on behalf of the " "agency.",
    )
    recipients = fields.Text(help="Where the copy is sent (nơi nhận).")
    attachment_id = fields.Many2one(
        "ir.attachment", string="Copy File", readonly=True, copy=False
    )
    sha256 = fields.Char(string="SHA-256", readonly=True, copy=False)
    records_line_ids = fields.One2many(
        "vbdt.records.file.line", "copy_id", string="Case File Items"
    )
    sealed = fields.Boolean(
        string="Signed by the Agency",
        readonly=True,
        copy=False,
        help="Whether the agency's digital signature is on the copy (with the "
        "signature module installed and a seal certificate).",
    )

    _sql_constraints = [
        (
            "number_unique",
            "UNIQUE(company_id, year, number)",
            "A copy number is used once per agency and year.",
        )
    ]

    # ------------------------------------------------------------ guards
    _vbdt_lifecycle_fields = frozenset(COPY_LIFECYCLE)

    def _vbdt_lifecycle_refusal(self):
        return self.env._(
            "A copy is made with the Make a Copy action of its original; its "
            "number, form, original and file never change."
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not may_create(self):
            raise AccessError(self._vbdt_lifecycle_refusal())
        return super().create(vals_list)

    def unlink(self):
        if self:
            raise UserError(
                self.env._("A copy is kept as evidence of the copy register.")
            )
        return super().unlink()

    # ------------------------------------------------------------ making
    @api.model
    def _vbdt_check_may_copy(self, original):
        """A clerk (records officers are clerks) of the original's agency who
        may read the original, and an original that is in its register."""
        if not self.env.user.has_group(CLERK_GROUP):
            raise AccessError(
                self.env._(
                    "Only a clerk or records officer of the agency makes copies."
                )
            )
        # The user's own rules decide, secret documents' named readers included.
        original.with_env(self.env).check_access("read")
        if original.company_id not in self.env.user.company_ids:
            raise AccessError(
                self.env._("A copy is made by the agency that holds the original.")
            )
        if original.state in UNFINISHED_STATES | DROPPED_STATES:
            raise UserError(
                self.env._(
                    "%(document)s is not registered or issued: only a document in "
                    "its register is copied.",
                    document=original.display_name,
                )
            )

    @api.model
    def _vbdt_make_copy(
        self,
        original,
        form,
        pages=None,
        signer=None,
        recipients=None,
        scan=None,
        source_copy=None,
    ):
        """Make, number and store the copy of ``original``; return it. With
        ``source_copy`` (a copy of ``original``), a sao lục made from it."""
        original.ensure_one()
        self._vbdt_check_may_copy(original)
        if form not in FORM_SYMBOLS:
            raise UserError(self.env._("Choose the form of copy."))
        if source_copy:
            self._vbdt_check_source_copy(original, form, source_copy, scan)
        if form != "trich_sao":
            pages = None
        elif not (pages or "").strip():
            raise UserError(self.env._("An extract needs the pages it copies."))
        company = original.company_id
        if signer and (signer.share or company not in signer.company_ids):
            raise UserError(
                self.env._(
                    "%(user)s is not a person of %(agency)s: the copy is signed on "
                    "behalf of the agency by one of its people.",
                    user=signer.name,
                    agency=company.name,
                )
            )
        if source_copy:
            # sudo: the copy's file is read after the checks above.
            source = source_copy.sudo().attachment_id.raw
        else:
            source = self._vbdt_copy_source(original, scan)
        today = fields.Date.context_today(self)
        number = self._vbdt_next_number(company, today.year)
        code = f"{number:02d}/{FORM_SYMBOLS[form]}"
        place = original.place or company.vbdt_place or company.city or ""
        sealed = self._vbdt_copy_can_seal(original)
        lines = stamp.CopyLines(
            form=FORM_LINES[form],
            agency=company.name,
            number=self.env._("No.: %(code)s", code=code),
            place_date=f"{place}, {today.strftime('%d/%m/%Y')}".lstrip(", "),
            marker="" if sealed else self.env._("Copy not digitally signed"),
        )
        below = 0.0
        if source_copy:
            below = stamp.block_extent(
                self._vbdt_copy_line_count(source_copy), source_copy.sealed
            )
        rendered = self._vbdt_render_copy(source, pages, lines, below)
        pdf = rendered.pdf
        if sealed:
            pdf = self._vbdt_seal_copy(original, rendered, code)
        vals = {
            "name": code,
            "number": number,
            "year": today.year,
            "form": form,
            "original_id": original.id,
            "pages": pages,
            "from_paper": bool(scan),
            "company_id": company.id,
            "place": place,
            "copy_date": today,
            "signer_id": signer.id if signer else False,
            "recipients": recipients or False,
            "sha256": hashlib.sha256(pdf).hexdigest(),
            "sealed": sealed,
            "source_copy_id": source_copy.id if source_copy else False,
        }
        # sudo: copies are created only here, after the checks above; nobody
        # holds the create right on the model.
        Copy = self.sudo().with_company(company)
        with unlocked(Copy, create=True):
            copy = Copy.create(vals)
        # sudo: the copy's file is attached to the copy, whose rules guard it.
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{code.replace('/', '-')}.pdf",
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": copy.id,
                }
            )
        )
        copy._vbdt_write_lifecycle({"attachment_id": attachment.id})
        self.env["vbdt.audit.log"]._log(original, "records_copy", code)
        copy = copy.with_env(self.env)
        copy.message_post(
            body=self.env._(
                "Copy %(code)s made of %(original)s.",
                code=code,
                original=original.display_name,
            )
        )
        return copy

    @api.model
    def _vbdt_copy_source(self, original, scan):
        """The PDF the copy is made from: the scan of a paper original, or the
        main PDF of the electronic original."""
        if scan:
            if len(scan) > MAX_SCAN_BYTES:
                raise UserError(self.env._("The scan is larger than 50 MB."))
            return scan
        # sudo: the user's read access to the original was checked; the main
        # file's bytes only go into the copy.
        main = original.sudo().main_file_id
        if not main or main.mimetype != "application/pdf":
            raise UserError(
                self.env._(
                    "%(document)s has no main PDF: copy it from a scan of the paper "
                    "original.",
                    document=original.display_name,
                )
            )
        return main.attachment_id.raw

    @api.model
    def _vbdt_next_number(self, company, year):
        """The next number of the agency's copy register for ``year``, drawn
        under a lock of the agency's row so that two clerks never get the
        same number."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_company WHERE id = %s FOR NO KEY UPDATE", company.id
            )
        )
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM vbdt_records_copy "
                "WHERE company_id = %s AND year = %s",
                company.id,
                year,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _vbdt_check_source_copy(self, original, form, source_copy, scan):
        """A sao lục is made from a copy of the same original, which the user
        may read (its rules are the original's), in the same agency."""
        source_copy.ensure_one()
        source_copy.with_env(self.env).check_access("read")
        if form != "sao_luc" or scan:
            raise UserError(self.env._("A copy made from a copy is a sao lục."))
        if source_copy.original_id != original:
            raise UserError(
                self.env._("The copy it is made from is not a copy of this document.")
            )
        if source_copy.company_id != original.company_id:
            raise AccessError(
                self.env._("A copy is made by the agency that holds the original.")
            )

    @api.model
    def _vbdt_copy_line_count(self, copy):
        """How many lines ``copy``'s block holds: form, agency, number, place
        and date, and the "not digitally signed" marker when unsigned."""
        return 4 if copy.sealed else 5

    @api.model
    def _vbdt_render_copy(self, source, pages, lines, below=0.0):
        try:
            return stamp.make_copy(source, pages, lines, below)
        except stamp.CopyError as error:
            raise UserError(self._vbdt_copy_error_message(error)) from None

    @api.model
    def _vbdt_copy_error_message(self, error):
        messages = {
            "pages_syntax": self.env._(
                "Pages %(pages)s are not understood: write them as 1-2, 4.",
                pages=error.detail,
            ),
            "pages_range": self.env._(
                "Pages %(pages)s are not in the original.", pages=error.detail
            ),
            "pdf": self.env._("The original is not a readable PDF."),
            "encrypted": self.env._(
                "The original PDF is encrypted: it cannot be copied."
            ),
            "page_count": self.env._("The original has no page or too many pages."),
            "rotated": self.env._(
                "The first page of the original is rotated: straighten it before "
                "copying."
            ),
            "font": self.env._(
                "No font with Vietnamese letters is installed on the server."
            ),
        }
        return messages.get(error.code, messages["pdf"])

    # ------------------------------------------------------------ seal hooks
    @api.model
    def _vbdt_copy_can_seal(self, original):
        """Whether the agency's digital signature goes on the copy: with the
        signature module and a seal certificate of the agency. Without them
        the copy is made unsigned and says so on its first page."""
        if "vbdt.signature.certificate" not in self.env:
            return False
        return bool(
            self.env["vbdt.signature.certificate"]._vbdt_seal_certificate(
                original.company_id
            )
        )

    @api.model
    def _vbdt_seal_copy(self, original, rendered, code):
        """The agency's text-only signature (copy number and signing time)
        right under the copy block, through the signature module's
        extension point."""
        return self.env["vbdt.signature.certificate"]._vbdt_seal_text(
            original, rendered.pdf, code, rendered.seal_box
        )

    @api.model
    def _vbdt_demo_copy(self, original_id, clerk_id, form="sao_y", recipients=None):
        """Demo data: the copy ``clerk_id`` makes of ``original_id``, exactly
        as through the Make a Copy form (every check made as that clerk)."""
        clerk = self.env["res.users"].browse(clerk_id)
        original = self.env["vbdt.document"].with_user(clerk).browse(original_id)
        Copy = self.with_user(clerk).with_company(original.company_id)
        return Copy._vbdt_make_copy(original, form, recipients=recipients).id

    def action_make_sao_luc(self):
        """Open the Make a Copy form for a sao lục of this copy."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Make a Sao Lục"),
            "res_model": "vbdt.records.copy.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_document_id": self.original_id.id,
                "default_source_copy_id": self.id,
                "default_form": "sao_luc",
            },
        }

    # ------------------------------------------------------------ filing
    def _vbdt_check_may_file(self):
        """A copy is filed by a clerk or records officer of its agency who
        reads it (its rules are its original's)."""
        if not self.env.user.has_group(CLERK_GROUP):
            raise AccessError(
                self.env._(
                    "Only a clerk or records officer of the agency files copies."
                )
            )
        self.with_env(self.env).check_access("read")
        if self.company_id - self.env.user.company_ids:
            raise AccessError(self.env._("A copy is filed by the agency that made it."))

    def action_records_file_copy(self):
        """Open the form that puts this copy into an open case file."""
        self.ensure_one()
        self._vbdt_check_may_file()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("File This Copy"),
            "res_model": "vbdt.records.file.line",
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "vbdt_records.vbdt_records_file_line_view_form_copy"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
            "context": {
                "default_kind": "copy",
                "default_copy_id": self.id,
                "vbdt_records_copy_company_id": self.company_id.id,
            },
        }

    def action_open_file(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=false",
            "target": "new",
        }
