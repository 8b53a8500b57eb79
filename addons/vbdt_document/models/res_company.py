import hashlib
import os
import shutil
import tempfile

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..notation import NotationError, validate_agency_code
from ..reorg import (
    archive_name,
    csv_bytes,
    is_ended,
    name_on,
    resolve_successor,
    write_package,
)

_CHUNK = 1 << 20


def _tier_selection(records):
    """Tiers are data (``vbdt.agency.tier``): shared by agencies and entries."""
    return records.env["vbdt.agency.tier"]._vbdt_selection()


class ResCompany(models.Model):
    """Each agency of the instance (UBND tỉnh, a Sở, a district, a commune) is a
    company: its own registers, numbering, staff and record-rule boundary."""

    _inherit = "res.company"

    vbdt_agency_code = fields.Char(
        string="Identifier Code",
        help="Legacy 13-character code of QCVN 102:2016, e.g. 000.00.00.H44.",
    )
    vbdt_agency_code_qd20 = fields.Char(
        string="Identifier Code (Decision 20)",
        help="Left-to-right code of Decision 20/2020, e.g. H01.151.",
    )
    vbdt_tier = fields.Selection(_tier_selection, string="Tier", default="other")
    vbdt_date_start = fields.Date(
        string="Established On",
        help="First day the agency exists (decision establishing or merging it).",
    )
    vbdt_date_end = fields.Date(
        string="Ended On",
        readonly=True,
        copy=False,
        help="Effective date of its end or merger: from this day it numbers, "
        "issues and registers nothing; its registers are closed and its "
        "documents stay as its fond. Set by the agency lifecycle wizard.",
    )
    vbdt_successor_id = fields.Many2one(
        "res.company",
        string="Successor",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Agency that takes over its work, codes and fond from the end date.",
    )
    vbdt_predecessor_ids = fields.One2many(
        "res.company", "vbdt_successor_id", string="Former Agencies", readonly=True
    )
    vbdt_short_name = fields.Char(
        string="Short Name in Notations",
        help="Agency part of document notations, e.g. UBND in 15/QĐ-UBND.",
    )
    vbdt_place = fields.Char(
        string="Place Name", help="Place written on the date line, e.g. Phú Thọ."
    )
    vbdt_parent_agency_id = fields.Many2one(
        "res.company", string="Parent Agency", index=True
    )
    vbdt_agency_id = fields.Many2one(
        "vbdt.agency",
        string="Directory Entry",
        readonly=True,
        help="This agency's entry in the agency directory, used as sender "
        "and recipient of documents.",
    )
    vbdt_unit_ids = fields.One2many("vbdt.unit", "company_id", string="Units")
    vbdt_register_ids = fields.One2many(
        "vbdt.register", "company_id", string="Registers"
    )
    # Hand-over package of an ended agency's fond (Circular 06/2025/TT-BNV):
    # every file of its documents and its register books in a ZIP with a
    # SHA-256 manifest, written to the filestore through a temporary file (one
    # file in memory at a time), downloadable by the system administrator only.
    vbdt_handover_package = fields.Binary(
        string="Hand-over Package",
        attachment=True,
        readonly=True,
        copy=False,
        groups="base.group_system",
    )
    vbdt_handover_filename = fields.Char(
        readonly=True, copy=False, groups="base.group_system"
    )
    vbdt_handover_date = fields.Datetime(
        string="Hand-over Package Built On",
        readonly=True,
        copy=False,
        groups="base.group_system",
    )

    @api.constrains("vbdt_agency_code", "vbdt_agency_code_qd20")
    def _check_vbdt_agency_codes(self):
        for company in self:
            for code in (company.vbdt_agency_code, company.vbdt_agency_code_qd20):
                if not code:
                    continue
                try:
                    validate_agency_code(code)
                except NotationError as error:
                    raise ValidationError(
                        self.env._(error.template, **error.params)
                    ) from error

    @api.constrains("vbdt_tier", "vbdt_date_end", "vbdt_date_start")
    def _check_vbdt_tier_dates(self):
        """A historical tier (district) only for agencies ended by its end."""
        for company in self:
            if (
                company.vbdt_date_start
                and company.vbdt_date_end
                and company.vbdt_date_start >= company.vbdt_date_end
            ):
                raise ValidationError(
                    self.env._(
                        "%(agency)s cannot end before it is established.",
                        agency=company.name,
                    )
                )
            tier = self.env["vbdt.agency.tier"]._vbdt_by_code(company.vbdt_tier)
            if tier.date_end and (
                not company.vbdt_date_end or company.vbdt_date_end > tier.date_end
            ):
                raise ValidationError(
                    self.env._(
                        "The tier %(tier)s was abolished on %(date)s: only agencies "
                        "that ended by then can carry it. Choose the current tier of "
                        "%(agency)s, or end it with the agency lifecycle wizard first.",
                        tier=tier.name,
                        date=tier.date_end.strftime("%d/%m/%Y"),
                        agency=company.name,
                    )
                )

    # ------------------------------------------------------------ lifecycle
    def _vbdt_is_ended(self, day=None):
        self.ensure_one()
        return is_ended(self.vbdt_date_end, day or fields.Date.context_today(self))

    def _vbdt_acting_agency(self, day=None):
        """The agency acting for this one on ``day``: itself, or the
        successor of its successor... once ended (codes become aliases)."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        # sudo: the successor chain is routing data, read whoever receives.
        Company = self.sudo()
        acting, _chain = resolve_successor(
            self.id,
            day,
            lambda cid: Company.browse(cid).vbdt_date_end,
            lambda cid: Company.browse(cid).vbdt_successor_id.id,
        )
        return self.browse(acting)

    def _vbdt_check_acting(self, day=None):
        """Refuse numbering, issuing and registering for an ended agency
        (CV 414/BNV-VTLTNN), naming who now acts in its place."""
        for company in self:
            if not company._vbdt_is_ended(day):
                continue
            successor = company._vbdt_acting_agency(day)
            params = {
                "agency": company.name,
                "date": company.vbdt_date_end.strftime("%d/%m/%Y"),
            }
            if successor != company:
                raise UserError(
                    self.env._(
                        "%(agency)s ended on %(date)s: it can no longer number, issue "
                        "or register documents. Its work continues at %(successor)s.",
                        # sudo: the successor's name in the refusal message; an agency
                        # name is public directory data
                        successor=successor.sudo().name,
                        **params,
                    )
                )
            raise UserError(
                self.env._(
                    "%(agency)s ended on %(date)s: it can no longer number, issue or "
                    "register documents.",
                    **params,
                )
            )

    def _vbdt_name_on(self, day):
        """The name the agency bore on ``day``: register books and documents
        keep the name they were issued under across a rename."""
        self.ensure_one()
        # sudo: an agency's former names are public (they are on its documents).
        renames = (
            self.env["vbdt.agency.change"]
            .sudo()
            .search(
                [
                    ("operation", "=", "rename"),
                    ("state", "=", "done"),
                    ("agency_ids", "in", self.ids),
                ]
            )
        )
        return name_on(
            day,
            self.name,
            [(r.date_effective, r.old_name, r.new_name) for r in renames],
        )

    def _vbdt_alias_codes(self):
        """Identifier codes this agency receives under: its own and those of
        the agencies that ended into it (they stay as aliases)."""
        self.ensure_one()
        codes = {self.vbdt_agency_code, self.vbdt_agency_code_qd20}
        # sudo: former agencies' codes are routing data of this agency.
        for former in self.sudo().vbdt_predecessor_ids:
            if former._vbdt_is_ended() and former._vbdt_acting_agency() == self:
                codes |= former._vbdt_alias_codes()
        return codes - {False, None, ""}

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._vbdt_setup_agency()
        return companies

    def write(self, vals):
        if {"vbdt_date_end", "vbdt_successor_id"} & set(vals) and not self.env.su:
            # Ending an agency reroutes its codes and closes its registers:
            # only the lifecycle wizard's server code sets these.
            raise AccessError(
                self.env._(
                    "An agency's end date and successor are set only by the agency "
                    "lifecycle wizard."
                )
            )
        res = super().write(vals)
        synced = {
            "name",
            "vbdt_agency_code",
            "vbdt_agency_code_qd20",
            "vbdt_tier",
            "vbdt_parent_agency_id",
            "vbdt_date_start",
            "vbdt_date_end",
            "vbdt_successor_id",
        }
        if synced & set(vals):
            for company in self.filtered("vbdt_agency_id"):
                # sudo: the directory entry mirrors the agency's own fields, which the
                # user just wrote
                company.vbdt_agency_id.sudo().write(company._vbdt_prepare_agency_vals())
        return res

    @api.model
    def _vbdt_setup_existing_agencies(self):
        """Run at install (data file) for the companies that already exist."""
        self.search([])._vbdt_setup_agency()

    def _vbdt_setup_agency(self):
        """Directory entry and default registers for agencies that lack them."""
        # sudo: default registers of a new agency are set-up data the user may not
        # create
        Register = self.env["vbdt.register"].sudo()
        for company in self:
            if not company.vbdt_agency_id:
                company.vbdt_agency_id = (
                    self.env["vbdt.agency"]
                    # sudo: the agency's directory entry is set-up data the user may not
                    # create
                    .sudo()
                    .create(company._vbdt_prepare_agency_vals())
                )
            if not Register.with_context(active_test=False).search_count(
                [("company_id", "=", company.id)], limit=1
            ):
                registers = Register.create(
                    company._vbdt_prepare_default_registers_vals()
                )
                company._vbdt_translate_default_registers(registers)

    def _vbdt_prepare_agency_vals(self):
        self.ensure_one()
        return {
            "name": self.name,
            "code": self.vbdt_agency_code or False,
            "code_qd20": self.vbdt_agency_code_qd20 or False,
            "tier": self.vbdt_tier,
            "email": self.email or False,
            "parent_id": self.vbdt_parent_agency_id.vbdt_agency_id.id,
            "date_start": self.vbdt_date_start,
            "date_end": self.vbdt_date_end,
            "successor_id": self.vbdt_successor_id.vbdt_agency_id.id,
            "internal_company_id": self.id,
        }

    def _vbdt_translate_default_registers(self, registers):
        """Name the new registers in every active language: agencies created
        at install time would otherwise keep English register names in a
        Vietnamese interface (and in the printed register books)."""
        self.ensure_one()
        for lang in self.env["res.lang"].get_installed():
            code = lang[0]
            if code == (self.env.lang or "en_US"):
                continue
            names = self.with_context(lang=code)._vbdt_prepare_default_registers_vals()
            for register, vals in zip(registers, names, strict=False):
                register.with_context(lang=code).name = vals["name"]

    def _vbdt_lang(self):
        """The language the agency works in, for what crons and background
        jobs (run as the superuser, in English) write on its documents: its
        partner's language, else Vietnamese when installed."""
        self.ensure_one()
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        for lang in (self.partner_id.lang, "vi_VN"):
            if lang in installed and lang != "en_US":
                return lang
        return self.env.lang or "en_US"

    def _vbdt_prepare_default_registers_vals(self):
        self.ensure_one()
        _ = self.env._
        return [
            {
                "name": name,
                "company_id": self.id,
                "direction": direction,
                "confidential": confidential,
            }
            for name, direction, confidential in (
                (_("Incoming documents"), "incoming", False),
                (_("Outgoing documents"), "outgoing", False),
                (_("Incoming secret documents"), "incoming", True),
                (_("Outgoing secret documents"), "outgoing", True),
            )
        ]

    # ------------------------------------------------------------ hand-over
    def action_vbdt_build_handover(self):
        """Build (again) the hand-over package of each ended agency."""
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(
                self.env._(
                    "Only the system administrator builds the hand-over package of "
                    "an agency's fond."
                )
            )
        # sudo: the system administrator (checked above) hands over the fond of
        # an agency they need not belong to; secret documents are left out
        # (_vbdt_handover_documents), so nothing they may not read is in it.
        for company in self.sudo():
            if not company._vbdt_is_ended():
                raise UserError(
                    self.env._(
                        "%(agency)s has not ended: only the fond of an agency that "
                        "ended is handed over.",
                        agency=company.name,
                    )
                )
            company._vbdt_build_handover()
        return True

    def _vbdt_handover_documents(self):
        """The fond: the agency's own documents that are not secret (secret
        ones are handed over under the rules on state secrets, not here)."""
        self.ensure_one()
        Document = self.env["vbdt.document"].with_context(active_test=False)
        fond = Document.search([("company_id", "=", self.id)], order="id")
        return fond.filtered(lambda d: not d._vbdt_is_secret()), fond.filtered(
            lambda d: d._vbdt_is_secret()
        )

    def _vbdt_build_handover(self):
        self.ensure_one()
        documents, secret = self._vbdt_handover_documents()
        with tempfile.TemporaryFile() as package:
            rows = write_package(
                package, self._vbdt_handover_members(documents, secret)
            )
            self._vbdt_store_handover(package)
        # sudo: the reorganisation is audited in the agency's log, which no one writes
        # directly
        self.env["vbdt.audit.log"].sudo().with_company(self)._log(
            self.vbdt_agency_id,
            "reorganise",
            f"hand-over package: {len(rows)} members, {len(documents)} documents, "
            f"{len(secret)} secret left out",
        )
        return rows

    def _vbdt_handover_members(self, documents, secret):
        """(archive name, reader) of every member: a note, the register books,
        an index of the files, then the files themselves (read one by one,
        each checked against its recorded SHA-256)."""
        _ = self.env._
        yield "README.txt", lambda: self._vbdt_handover_note(documents, secret)
        registers = self.env["vbdt.register"].with_context(active_test=False)
        for register in registers.search([("company_id", "=", self.id)]):
            in_register = documents.filtered(lambda d, r=register: d.register_id == r)
            name = archive_name(_("Register books"), f"{register.name}-{register.id}")
            yield (
                f"{name}.csv",
                lambda rows=in_register: self._vbdt_register_book_csv(rows),
            )
        files = []
        for document in documents:
            folder = archive_name(
                _("Files"), f"{document.id}-{document.code or document.direction}"
            )
            for file in document.file_ids:
                files.append((f"{folder}/{archive_name(file.name)}", file))
        yield (
            archive_name(_("Files index")) + ".csv",
            lambda: csv_bytes(
                [
                    _("Member"),
                    _("Document"),
                    _("File"),
                    _("Role"),
                    _("Recorded SHA-256"),
                ],
                [
                    (
                        path,
                        f.document_id.display_name,
                        f.name,
                        f.role,
                        f.checksum_sha256,
                    )
                    for path, f in files
                ],
            ),
        )
        for path, file in files:
            yield path, file._get_raw

    def _vbdt_register_book_csv(self, documents):
        _ = self.env._
        return csv_bytes(
            [
                _("Number"),
                _("Arrival number"),
                _("Date"),
                _("Number and notation"),
                _("Sender"),
                _("Summary"),
                _("Unit"),
                _("State"),
            ],
            [
                (
                    d.number,
                    d.arrival_number,
                    d.document_date and d.document_date.strftime("%d/%m/%Y"),
                    d.code,
                    d.sender_name,
                    d.subject,
                    d.unit_id.name,
                    d.state,
                )
                for d in documents.sorted(
                    lambda d: (d.register_year or 0, d.number or d.arrival_number or 0)
                )
            ],
        )

    def _vbdt_handover_note(self, documents, secret):
        _ = self.env._
        return "\n".join(
            [
                _("Hand-over package of the fond of %(agency)s", agency=self.name),
                _(
                    "Ended on %(date)s; successor: %(successor)s",
                    date=self.vbdt_date_end.strftime("%d/%m/%Y"),
                    successor=self.vbdt_successor_id.name or "-",
                ),
                _("Documents: %(count)s", count=len(documents)),
                _(
                    "Secret documents left out (handed over under the rules on "
                    "state secrets): %(count)s",
                    count=len(secret),
                ),
                _(
                    "Check every member with: sha256sum -c SHA256SUMS (after "
                    "extracting)."
                ),
                "",
            ]
        ).encode()

    def _vbdt_store_handover(self, package):
        """Put the package into the filestore from its temporary file (never
        whole in memory) and attach it to the agency's restricted field."""
        package.seek(0)
        sha1, size = hashlib.sha1(), 0
        for chunk in iter(lambda: package.read(_CHUNK), b""):
            sha1.update(chunk)
            size += len(chunk)
        checksum = sha1.hexdigest()
        # sudo: the hand-over package is kept only through its field (see the attachment
        # rule)
        Attachment = self.env["ir.attachment"].sudo()
        filename = archive_name(f"ban-giao-{self.vbdt_short_name or self.id}") + ".zip"
        Attachment.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("res_field", "=", "vbdt_handover_package"),
            ]
        ).unlink()
        if Attachment._storage() != "file":
            # Attachments kept in the database: no file to stream into.
            package.seek(0)
            return self._vbdt_attach_handover(filename, {"raw": package.read()})
        # The filestore path is Odoo's own scheme from the content's SHA-1:
        # nothing from the database becomes a path.
        store_fname = f"{checksum[:2]}/{checksum}"
        full_path = Attachment._full_path(store_fname)
        if not os.path.exists(full_path):
            os.makedirs(os.path.dirname(full_path), exist_ok=True)
            package.seek(0)
            with open(full_path, "wb") as target:
                shutil.copyfileobj(package, target, _CHUNK)
            Attachment._mark_for_gc(store_fname)
        return self._vbdt_attach_handover(
            filename,
            {
                "store_fname": store_fname,
                "file_size": size,
                "checksum": checksum,
                "mimetype": "application/zip",
            },
        )

    def _vbdt_attach_handover(self, filename, content):
        # ir.attachment computes store_fname, size and checksum from bytes it
        # is given (and drops them from create): the streamed file's are set
        # after, on the new row only.
        stored = {
            key: content.pop(key)
            for key in ("store_fname", "file_size", "checksum")
            if key in content
        }
        # sudo: the hand-over package is the server's file of the ended agency;
        # its own access rule (vbdt_handover_attachment_rule) decides who reads it
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename,
                    "res_model": self._name,
                    "res_id": self.id,
                    "res_field": "vbdt_handover_package",
                    "type": "binary",
                    **content,
                }
            )
        )
        if stored:
            self.env.cr.execute(
                SQL(
                    "UPDATE ir_attachment SET store_fname = %s, file_size = %s, "
                    "checksum = %s WHERE id = %s",
                    stored["store_fname"],
                    stored["file_size"],
                    stored["checksum"],
                    attachment.id,
                )
            )
            attachment.invalidate_recordset()
        self.write(
            {
                "vbdt_handover_filename": filename,
                "vbdt_handover_date": fields.Datetime.now(),
            }
        )
