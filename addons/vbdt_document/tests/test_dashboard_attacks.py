"""The dashboard's drill-down (a figure opens its documents) attacked over
the real JSON-RPC: another agency's clerk and a specialist of another unit
call it with forged row ids, figures, domains and context keys, then search
the documents with what it returned; they never get the id or the summary
of a document they may not read, and nothing changes."""

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import GROUP, VbdtDocumentCommon
from .rpc import INJECTED_CONTEXT, JsonRpcCase
from .test_lifecycle_attacks import INJECTED, REFUSED

MARKER = "DRILL-7Q"


@tagged("post_install", "-at_install", "vbdt", "vbdt_attack")
class TestDashboardDrillDownAttacks(JsonRpcCase, VbdtDocumentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Stats = cls.env["vbdt.document.statistics"]
        cls.department_specialist = new_test_user(
            cls.env,
            login="department_specialist",
            groups=GROUP + "specialist",
            company_id=cls.department.id,
            company_ids=[cls.department.id],
        )
        docs = cls.env["vbdt.document"]
        for number, vals in enumerate(
            (
                {"unit_id": cls.unit.id, "urgency": "urgent"},
                {"unit_id": cls.unit.id},
                {
                    "unit_id": cls.unit.id,
                    "confidentiality": "secret",
                    "confidential_user_ids": [Command.set(cls.clerk.ids)],
                },
            ),
            start=1,
        ):
            docs |= cls._incoming(
                code=f"{number}/VPCP-TTĐT",
                subject=f"V/v {MARKER} tỉnh số {number}",
                **vals,
            )
        for document in docs:
            document.with_user(cls.clerk).action_register()
        cls.province_docs = docs
        cls.secret = docs[2]
        cls.department_doc = cls._incoming(
            company_id=cls.department.id, code="9/VPCP-TTĐT", subject="V/v của Sở"
        )
        cls.department_doc.with_user(cls.other_clerk).action_register()
        cls.Stats._refresh()
        year = cls.province_docs[0].register_date.year
        cls.province_row = cls.Stats.search(
            [("company_id", "=", cls.province.id), ("year", "=", year)]
        )
        cls.whole_row = cls.Stats.search(
            [("company_id", "=", False), ("year", "=", year)]
        )
        cls.department_row = cls.Stats.search(
            [("company_id", "=", cls.department.id), ("year", "=", year)]
        )

    def _snapshot(self):
        self.Stats.invalidate_model()
        rows = self.Stats.search([])
        return (
            [(row.id, row.document_count, row.refreshed_at) for row in rows],
            [(d.state, d.subject, d.unit_id.id) for d in self.province_docs.sudo()],
        )

    def _drill(self, login, row, figure, context=None):
        return self.call_kw(
            login,
            "vbdt.document.statistics",
            "action_open_figure",
            [row.ids],
            context={"vbdt_figure": figure, **(context or {})},
        )

    def _documents(self, login, domain, context=None):
        """What the list of the drill-down shows ``login``: ids and the
        displayed names, by every read the web client makes."""
        found = self.call_kw(
            login,
            "vbdt.document",
            "web_search_read",
            [domain],
            {"specification": {"display_name": {}, "subject": {}}},
            context,
        )
        records = found["records"]
        names = [r["display_name"] for r in records] + [r["subject"] for r in records]
        groups = self.call_kw(
            login,
            "vbdt.document",
            "read_group",
            [domain, ["subject"], ["subject"]],
            {"lazy": False},
            context,
        )
        names += [group["subject"] for group in groups]
        return {r["id"] for r in records}, " ".join(str(name) for name in names)

    def test_fixture(self):
        self.assertEqual(self.province_row.document_count, 3)
        self.assertGreaterEqual(self.whole_row.document_count, 4)
        self.assertEqual(self.department_row.document_count, 1)

    def test_other_agency_cannot_open_this_agencys_figures(self):
        """A forged row id of another agency is refused, whatever the figure
        (every figure the installed addons define: vbdt_workflow's handling,
        vbdt_capture's text-read share) and the context keys, and nothing
        changes."""
        Stats = self.env["vbdt.document.statistics"]
        figures = sorted({*Stats._figure_domains(), *Stats._figure_of_rate()})
        self.assertIn("digitised_rate", figures)
        for figure in figures:
            self.assertRefused(
                self.other_clerk,
                "vbdt.document.statistics",
                "action_open_figure",
                [self.province_row.ids],
                contexts=[{"vbdt_figure": figure, **each} for each in INJECTED]
                + [{"vbdt_figure": figure, **INJECTED_CONTEXT}],
                error=REFUSED,
                unchanged=self._snapshot,
            )
        # nor by claiming the agency in the allowed companies
        self.assertRefused(
            self.other_clerk,
            "vbdt.document.statistics",
            "action_open_figure",
            [self.province_row.ids],
            context={
                "vbdt_figure": "document_count",
                "allowed_company_ids": [self.department.id, self.province.id],
            },
            error=REFUSED,
            unchanged=self._snapshot,
        )
        # nor by reading the row itself
        self.assertRefused(
            self.other_clerk,
            "vbdt.document.statistics",
            "read",
            [self.province_row.ids, ["document_count"]],
            error=REFUSED,
        )

    def test_whole_province_row_opens_only_readable_documents(self):
        """The province-wide row is everyone's, but its documents are searched
        under the caller's rules: another agency's clerk gets only their own,
        with injected keys and with the domain rewritten to ask for ours."""
        action = self._drill(self.other_clerk, self.whole_row, "document_count")
        self.assertEqual(action["res_model"], "vbdt.document")
        self.assertNotIn(MARKER, str(action))
        forged = [
            action["domain"],
            [("id", "in", self.province_docs.ids)],
            ["|", ("company_id", "=", self.province.id), ("id", "!=", 0)],
            [("subject", "ilike", MARKER)],
        ]
        for domain in forged:
            for context in [*INJECTED, INJECTED_CONTEXT]:
                with self.subTest(domain=domain, context=context):
                    ids, names = self._documents(self.other_clerk, domain, context)
                    self.assertFalse(ids & set(self.province_docs.ids))
                    self.assertNotIn(MARKER, names)
        ids, _names = self._documents(self.other_clerk, action["domain"])
        self.assertEqual(ids, set(self.department_doc.ids))
        # claiming this agency among the allowed companies is refused
        self.assertRefused(
            self.other_clerk,
            "vbdt.document",
            "web_search_read",
            [action["domain"]],
            {"specification": {"subject": {}}},
            context={"allowed_company_ids": [self.department.id, self.province.id]},
            error=REFUSED,
        )

    def test_specialists_cannot_drill_down_nor_forge_it(self):
        """Specialists have no dashboard: the drill-down is refused, and the
        figure's domain sent straight to the document list gives them only
        the documents they read (none of another unit's, no secret one)."""
        domain = [
            (leaf[0], leaf[1], str(leaf[2])) if "date" in leaf[0] else leaf
            for leaf in [*self.whole_row._row_domain(), ("urgency", "!=", "normal")]
        ]
        for login, row in (
            (self.outsider, self.province_row),
            (self.outsider, self.whole_row),
            (self.department_specialist, self.whole_row),
        ):
            self.assertRefused(
                login,
                "vbdt.document.statistics",
                "action_open_figure",
                [row.ids],
                contexts=[{"vbdt_figure": "urgent_count", **each} for each in INJECTED],
                error=REFUSED,
                unchanged=self._snapshot,
            )
            for context in [*INJECTED, INJECTED_CONTEXT]:
                ids, names = self._documents(login, domain, context)
                self.assertFalse(ids & set(self.province_docs.ids))
                self.assertNotIn(MARKER, names)

    def test_leader_drill_down_hides_secret_document(self):
        """The agency's leader, not named on the secret document, opens the
        agency's figure: the secret one is neither listed nor named."""
        action = self._drill(self.leader, self.province_row, "document_count")
        for context in [*INJECTED, INJECTED_CONTEXT]:
            ids, names = self._documents(self.leader, action["domain"], context)
            self.assertEqual(ids, set((self.province_docs - self.secret).ids))
            self.assertNotIn(f"{MARKER} tỉnh số 3", names)
        # the named clerk sees it
        ids, _names = self._documents(self.clerk, action["domain"])
        self.assertIn(self.secret.id, ids)

    def test_forged_figure_names_are_refused(self):
        for figure in ("id", "company_id", "document_count') OR (1=1", "__domain"):
            self.assertRefused(
                self.leader,
                "vbdt.document.statistics",
                "action_open_figure",
                [self.province_row.ids],
                context={"vbdt_figure": figure},
                error="odoo.exceptions.UserError",
                message="no list of documents",
                unchanged=self._snapshot,
            )
