from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from ..notation import (
    NotationError,
    classify_agency_code,
    fold_text,
    validate_agency_code,
)
from ..reorg import resolve_successor
from .res_company import _tier_selection


class VbdtAgency(models.Model):
    """Directory of agencies documents are exchanged with (danh bạ cơ quan).

    Agencies of this instance have an entry too, linked to their company, so
    that senders and recipients are always directory entries and routing only
    asks whether an entry is internal."""

    _name = "vbdt.agency"
    _description = "Agency"
    _parent_store = True
    _order = "code, name"
    _rec_names_search = ["name", "code", "code_qd20"]

    name = fields.Char(required=True, index="trigram")
    code = fields.Char(
        string="Identifier Code",
        index=True,
        help="Identifier code (mã định danh) of QCVN 102:2016, used as OrganId "
        "in edXML packages.",
    )
    code_qd20 = fields.Char(string="Identifier Code (Decision 20)", index=True)
    search_text = fields.Char(
        string="Name Without Accents",
        compute="_compute_search_text",
        store=True,
        index="trigram",
    )
    code_kind = fields.Selection(
        [
            ("legacy", "QCVN 102 (13 characters)"),
            ("qd20", "Decision 20"),
            ("other", "Other"),
        ],
        compute="_compute_code_kind",
        store=True,
    )
    parent_id = fields.Many2one("vbdt.agency", string="Parent Agency", index=True)
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many(
        "vbdt.agency", "parent_id", string="Subordinate Agencies"
    )
    tier = fields.Selection(_tier_selection, default="other")
    date_start = fields.Date(string="Established On")
    date_end = fields.Date(
        string="Ended On",
        help="Effective date of its end or merger; its codes then stay as "
        "aliases of the successor.",
    )
    successor_id = fields.Many2one(
        "vbdt.agency", string="Successor", index="btree_not_null"
    )
    email = fields.Char()
    phone = fields.Char()
    address = fields.Char()
    website = fields.Char()
    active = fields.Boolean(default=True)
    internal_company_id = fields.Many2one(
        "res.company",
        string="Agency of This Instance",
        index=True,
        readonly=True,
        help="Set when the agency works in this database: documents to it are "
        "delivered internally instead of over the national axis.",
    )
    is_internal = fields.Boolean(compute="_compute_is_internal", store=True)
    audit_log_ids = fields.One2many(
        "vbdt.audit.log", "agency_id", string="Change History", readonly=True
    )

    _sql_constraints = [
        (
            "code_uniq",
            "unique(code)",
            "An identifier code can be used by one agency only.",
        ),
        (
            "code_qd20_uniq",
            "unique(code_qd20)",
            "A Decision 20 identifier code can be used by one agency only.",
        ),
    ]

    @api.depends("code")
    def _compute_code_kind(self):
        for agency in self:
            agency.code_kind = (
                classify_agency_code(agency.code) if agency.code else False
            )

    @api.depends("name")
    def _compute_search_text(self):
        for agency in self:
            agency.search_text = fold_text(agency.name or "")

    @api.model
    def _search_display_name(self, operator, value):
        """The sender and recipient pickers find entries whatever the accents
        typed: "bo tai chinh" finds "Bộ Tài chính"."""
        domain = super()._search_display_name(operator, value)
        if operator == "ilike" and isinstance(value, str) and fold_text(value):
            # search_text is folded like the value: "like" on a trigram index
            domain = expression.OR(
                [domain, [("search_text", "like", fold_text(value))]]
            )
        return domain

    @api.model
    def _vbdt_adopt_xmlids(self, names):
        """Before seeding ``{xmlid: name}``: an entry the database already
        has under that exact name (entered by an administrator, or the demo's
        before the directory was seeded) receives the XML id, so that the
        seed, loaded without update, leaves it as it is instead of adding a
        duplicate. Called by data files only."""
        for xmlid, name in names.items():
            if self.env.ref(xmlid, raise_if_not_found=False):
                continue
            entry = self.with_context(active_test=False).search(
                [("name", "=", name)], order="active desc, id"
            )
            entry = entry.filtered("active") or entry
            if len(entry) == 1:
                self._vbdt_alias_xmlids({xmlid: entry})
        return True

    @api.model
    def _vbdt_alias_xmlids(self, aliases):
        """Give seeded entries a second XML id ``{alias: target}`` (an XML id
        or a record): data
        loaded later under the alias (the demo's ids, older than the seeded
        directory) completes the entry instead of duplicating it. An alias
        already in use is left alone. Called by data files only."""
        for alias, target in aliases.items():
            if self.env.ref(alias, raise_if_not_found=False):
                continue
            record = (
                target
                if isinstance(target, models.BaseModel)
                else self.env.ref(target, raise_if_not_found=False)
            )
            if not record:
                continue
            module, name = alias.split(".", 1)
            self.env["ir.model.data"].create(
                {
                    "module": module,
                    "name": name,
                    "model": record._name,
                    "res_id": record.id,
                    "noupdate": True,
                }
            )
        return True

    @api.depends("internal_company_id")
    def _compute_is_internal(self):
        for agency in self:
            agency.is_internal = bool(agency.internal_company_id)

    @api.depends("code")
    def _compute_display_name(self):
        for agency in self:
            agency.display_name = (
                f"{agency.name} ({agency.code})" if agency.code else agency.name
            )

    @api.model
    def _vbdt_normalise_code(self, code):
        """Stored codes are stripped and upper-cased; bad ones are refused with
        the core's translated message."""
        if not code:
            return False
        try:
            return validate_agency_code(code)
        except NotationError as error:
            raise ValidationError(self.env._(error.template, **error.params)) from error

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._vbdt_check_routing_right(vals)
            self._vbdt_normalise_vals(vals)
        agencies = super().create(vals_list)
        for agency, vals in zip(agencies, vals_list, strict=False):
            agency._vbdt_log_change("create", vals)
        return agencies

    def write(self, vals):
        self._vbdt_check_routing_right(vals)
        self._vbdt_normalise_vals(vals)
        result = super().write(vals)
        for agency in self:
            agency._vbdt_log_change("write", vals)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_never_audited(self):
        # sudo: whether any audit entry names the agency; the entries are not returned
        if self.sudo().audit_log_ids:
            raise UserError(
                self.env._(
                    "Directory entries with a change history are archived, not deleted."
                )
            )

    def _vbdt_log_change(self, operation, vals):
        """Every change of the directory (and of internal routing) goes into
        the audit log, shown on the entry."""
        self.ensure_one()

        def shown(name):
            value = self[name]
            return value.id if self._fields[name].type == "many2one" else value

        changes = ", ".join(
            f"{name}={shown(name)}"
            for name in sorted(vals)
            if name in self._fields and name != "audit_log_ids"
        )
        self.env["vbdt.audit.log"]._log(
            self, "directory", f"{operation}: {changes}"[:250]
        )

    def _vbdt_check_routing_right(self, vals):
        """Internal routing decides which agency of this database receives
        what is sent to a code: an agency's own administrators must not be
        able to point another agency's entry at themselves and divert its
        mail. Only the platform (hub) operator sets it; companies set their
        own entry through the server (sudo) when they are created."""
        if (
            {"internal_company_id", "successor_id", "date_end"} & set(vals)
            and not self.env.su
            and not self.env.user.has_group("base.group_system")
        ):
            raise AccessError(
                self.env._(
                    "Only the system administrator (the operator of the platform) can "
                    "change which agency of this system receives the documents sent "
                    "to a directory entry, or end an entry into a successor."
                )
            )

    def _vbdt_normalise_vals(self, vals):
        for key in ("code", "code_qd20"):
            if vals.get(key):
                vals[key] = self._vbdt_normalise_code(vals[key])

    def _vbdt_acting_entry(self, day=None):
        """The entry acting for this one on ``day`` (successors of ended
        agencies followed: old codes are aliases) and the ended entries passed."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        Agency = self.with_context(active_test=False)
        acting, chain = resolve_successor(
            self.id,
            day,
            lambda aid: Agency.browse(aid).date_end,
            lambda aid: Agency.browse(aid).successor_id.id,
        )
        return self.browse(acting), self.browse(chain)

    @api.model
    def _vbdt_resolve_code(self, code, day=None):
        """Resolver for exchange: the entry a package addressed to ``code``
        belongs to on ``day``, and the ended entry it was addressed to (empty
        when the code is current). Used by vbdt_interconnect's receiving side."""
        agency = self._vbdt_find_by_code(code)
        if not agency:
            return agency, agency
        acting, chain = agency._vbdt_acting_entry(day)
        return acting, chain[:1]

    @api.model
    def _vbdt_find_by_code(self, code):
        """Entry for an OrganId as found in a package, either code form."""
        if not code:
            return self.browse()
        code = code.strip().upper()
        return self.with_context(active_test=False).search(
            ["|", ("code", "=", code), ("code_qd20", "=", code)], limit=1
        )
