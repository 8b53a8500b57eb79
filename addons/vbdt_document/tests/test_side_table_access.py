"""The side tables that carry a document's content or files are read by
exactly those who read the document (one shared rule domain,
``vbdt_document_read_domain`` in models/ir_rule.py), and the rules follow a
change of units at once (Odoo caches computed rule domains per user).

The side tables of the other addons are checked when those addons are
installed (``scripts/test`` installs them all)."""

import base64

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..models.lifecycle import unlocked
from .common import GROUP, PDF, VbdtDocumentCommon
from .rpc import JsonRpcCase

# model: path of its many2one to vbdt.document
SIDE_TABLES = {
    "vbdt.document.file": "document_id",
    "vbdt.capture.text": "document_id",
    "vbdt.document.version": "document_id",
    "vbdt.document.delivery": "document_id",
    "vbdt.exchange.record": "document_id",
    "vbdt.signature.check": "document_id",
    "vbdt.records.copy": "original_id",
}


class SideTableCommon(VbdtDocumentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.Document = cls.env["vbdt.document"]
        cls.manager = cls._user("docadmin", "manager")
        cls.department_specialist = cls._user(
            "department_specialist", "specialist", company=cls.department
        )
        cls.secret_drafter = cls._user("secret_drafter", "leader")
        cls.docs = (
            cls._outgoing(drafter_id=cls.specialist.id)
            | cls._outgoing(drafter_id=cls.colleague.id)
            | cls._outgoing(drafter_id=cls.outsider.id, unit_id=cls.other_unit.id)
            # a secret draft of the unit: the specialist is named, the head,
            # the leader and the clerk are not
            | cls._outgoing(
                confidentiality="secret",
                drafter_id=cls.secret_drafter.id,
                confidential_user_ids=[Command.set(cls.specialist.ids)],
            )
            # a secret draft of the other unit, drafted by the outsider
            | cls._outgoing(
                confidentiality="secret",
                drafter_id=cls.outsider.id,
                unit_id=cls.other_unit.id,
            )
            | cls._incoming(company_id=cls.department.id)
        )
        cls.side = cls._build_side_rows()

    @classmethod
    def _build_side_rows(cls):
        """{model: recordset}: one row of each side table per document."""
        env = cls.env
        files = env["vbdt.document.file"]
        for document in cls.docs:
            files |= document._vbdt_add_file("van-ban.pdf", PDF, "main")
        side = {"vbdt.document.file": files}
        if "vbdt.capture.text" in env:  # queued on upload
            side["vbdt.capture.text"] = env["vbdt.capture.text"].search(
                [("file_id", "in", files.ids)]
            )
        if "vbdt.signature.check" in env:
            side["vbdt.signature.check"] = env["vbdt.signature.check"].create(
                [{"file_id": file.id} for file in files]
            )
        if "vbdt.document.version" in env:
            side["vbdt.document.version"] = env["vbdt.document.version"].create(
                [
                    {
                        "document_id": document.id,
                        "name": "du-thao.pdf",
                        "datas": base64.b64encode(PDF),
                    }
                    for document in cls.docs
                ]
            )
        if "vbdt.document.delivery" in env:
            side["vbdt.document.delivery"] = env["vbdt.document.delivery"].create(
                [
                    {"document_id": document.id, "agency_id": cls.sender.id}
                    for document in cls.docs
                ]
            )
        if "vbdt.exchange.record" in env:
            side["vbdt.exchange.record"] = env["vbdt.exchange.record"].create(
                [
                    {
                        "direction": "out",
                        "state": "out_queued",
                        "company_id": document.company_id.id,
                        "document_id": document.id,
                        "transport": "local",
                    }
                    for document in cls.docs
                ]
            )
        if "vbdt.records.copy" in env:
            Copy = env["vbdt.records.copy"]
            with unlocked(Copy, create=True):
                side["vbdt.records.copy"] = Copy.create(
                    [
                        {
                            "name": f"{number:02d}/SY",
                            "number": number,
                            "year": 2026,
                            "form": "sao_y",
                            "original_id": document.id,
                            "company_id": document.company_id.id,
                        }
                        for number, document in enumerate(cls.docs, start=1)
                    ]
                )
        return side

    def _readable_documents(self, user):
        return self.Document.with_user(user).search([("id", "in", self.docs.ids)])


@tagged("post_install", "-at_install", "vbdt", "access_rights")
class TestSideTableReadDomain(SideTableCommon):
    def _roles(self):
        return {
            "clerk": self.clerk,
            "specialist (named reader)": self.specialist,
            "colleague": self.colleague,
            "specialist of the other unit": self.outsider,
            "head": self.head,
            "leader": self.leader,
            "administrator": self.manager,
            "secret drafter": self.secret_drafter,
            "other agency's clerk": self.other_clerk,
            "other agency's specialist": self.department_specialist,
        }

    def test_side_tables_use_the_shared_domain(self):
        """No side table repeats the document's rules by hand: each has a rule
        built on vbdt_document_read_domain."""
        for model in SIDE_TABLES:
            if model not in self.env:
                continue
            with self.subTest(model=model):
                rules = self.env["ir.rule"].search([("model_id.model", "=", model)])
                self.assertTrue(
                    any(
                        "vbdt_document_read_domain" in (rule.domain_force or "")
                        for rule in rules
                    )
                )
                # reading is never a hand copy (editing files keeps its own
                # narrower group rules)
                for rule in rules.filtered("perm_read"):
                    self.assertNotIn("user_is_named_reader", rule.domain_force or "")
                    self.assertNotIn(".unit_id", rule.domain_force or "")
                    self.assertNotIn("user_is_participant", rule.domain_force or "")

    def test_readable_rows_are_those_of_readable_documents(self):
        """For every role, the rows of each side table a user reads (search,
        and reading by id) are exactly those of the documents they read."""
        self.assertEqual(set(self.side), set(SIDE_TABLES) & set(self.side))
        for model, rows in self.side.items():
            self.assertEqual(len(rows), len(self.docs), model)
        seen = set()
        for role, user in self._roles().items():
            readable = self._readable_documents(user)
            seen.add(frozenset(readable.ids))
            for model, rows in self.side.items():
                path = SIDE_TABLES[model]
                with self.subTest(role=role, model=model):
                    Model = self.env[model].with_user(user)
                    found = Model.search([("id", "in", rows.ids)])
                    self.assertEqual(found.sudo().mapped(path), readable)
                    by_id = Model.browse(rows.ids)._filtered_access("read")
                    self.assertEqual(by_id, found)
                    for row in rows - found:
                        with self.assertRaises(AccessError):
                            Model.browse(row.id).check_access("read")
        # the roles cover different sets, the secret ones included
        self.assertGreaterEqual(len(seen), 5)
        self.assertIn(self.docs[3], self._readable_documents(self.specialist))
        self.assertNotIn(self.docs[3], self._readable_documents(self.leader))


@tagged("post_install", "-at_install", "vbdt", "access_rights")
class TestUnitChangeClearsRuleCache(SideTableCommon):
    def _reads(self, user, document):
        """Whether ``user`` reads ``document`` and its files (search)."""
        found = self.Document.with_user(user).search([("id", "=", document.id)])
        files = (
            self.env["vbdt.document.file"]
            .with_user(user)
            .search([("document_id", "=", document.id)])
        )
        self.assertEqual(bool(found), bool(files))
        return bool(found)

    def test_specialist_removed_from_unit_stops_reading_at_once(self):
        document = self.docs[1]  # the colleague's draft of the unit
        self.assertTrue(self._reads(self.specialist, document))  # domains cached
        self.unit.write({"member_ids": [Command.unlink(self.specialist.id)]})
        self.assertFalse(self._reads(self.specialist, document))
        with self.assertRaises(AccessError):
            document.with_user(self.specialist).check_access("read")
        # back through the user's form, and out again
        self.specialist.write({"vbdt_unit_ids": [Command.link(self.unit.id)]})
        self.assertTrue(self._reads(self.specialist, document))
        self.specialist.write({"vbdt_unit_ids": [Command.unlink(self.unit.id)]})
        self.assertFalse(self._reads(self.specialist, document))

    def test_new_member_reads_at_once(self):
        document = self.docs[2]  # drafted in the other unit
        newcomer = new_test_user(
            self.env,
            login="newcomer",
            groups=GROUP + "specialist",
            company_id=self.province.id,
            company_ids=[self.province.id],
        )
        self.assertFalse(self._reads(newcomer, document))
        self.other_unit.write({"member_ids": [Command.link(newcomer.id)]})
        self.assertTrue(self._reads(newcomer, document))


@tagged("post_install", "-at_install", "vbdt", "access_rights")
class TestSideTableReadDomainRpc(SideTableCommon, JsonRpcCase):
    """The same rule attacked over the real JSON-RPC by the weakest roles: a
    specialist of the other unit and another agency's specialist. A search
    names no row of a document they may not read; reading or deleting such a
    row by id is refused, and re-read as superuser the row is still there."""

    def test_weakest_roles_get_nothing_of_unreadable_documents(self):
        for user in (self.outsider, self.department_specialist):
            readable = self._readable_documents(user)
            for model, rows in self.side.items():
                path = SIDE_TABLES[model]
                hidden = rows.filtered(lambda row, p=path, r=readable: row[p] not in r)
                self.assertTrue(hidden, model)
                with self.subTest(user=user.login, model=model):
                    found = self.call_kw(
                        user,
                        model,
                        "search_read",
                        [[("id", "in", rows.ids)]],
                        {"fields": ["id"]},
                    )
                    self.assertFalse({r["id"] for r in found} & set(hidden.ids))
                    row = hidden[:1]
                    self.assertRefused(user, model, "read", [row.ids, ["id"]])
                    self.assertRefused(
                        user,
                        model,
                        "unlink",
                        [row.ids],
                        unchanged=lambda r=row: r.sudo().exists().ids,
                    )
