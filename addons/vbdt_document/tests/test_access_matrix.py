"""The access matrix: every model of the vbdt addons, every role, every way
in, through the real HTTP JSON-RPC API.

The rows to check are GENERATED FROM THE REGISTRY: every model whose module
is a vbdt addon, and every binary or image field such an addon defines (also
on res.users and res.company). A model or binary field without a row in
``MATRIX`` / ``CONTENT`` below fails ``test_every_model_and_file_has_a_row``
until someone decides who may do what with it.

Roles: the same six in agency A (which owns the records) and agency B:
clerk, specialist, head (of the records' unit), leader, admin (Document
Office administrator) and sysadmin (Odoo system administrator without any
Document Office role). The records' drafter, reviewer and assignee is a
seventh user, so that no role is a participant or named reader.

Letters of a cell, for one record of the row's target:
  R  read: ``read`` (with injected context keys), ``search_read`` (with and
     without), ``read_group`` and ``name_search`` all reach the record
  E  ``export_data`` reaches it (Odoo's "allow export" right comes on top)
  N  as R, but the secret document the record refers to is shown by the
     neutral label only
  W  ``write`` allowed (``has_access``); when denied, an actual write with
     injected context keys is refused and changes nothing
  D  ``unlink`` allowed; when denied, an actual unlink is refused
  C  ``create`` allowed by the access rights; when denied, an actual create
     (a copy of the record's values) is refused and creates nothing
  -  none of these
Targets: ``normal`` / ``secret`` = the record belonging to the normal / the
secret document of agency A; ``agency`` = a record of agency A; ``any`` = an
existing record (demo data) for models the fixture does not build; ``none``
= wizards and helpers, only creating is checked (wizard records are
per-user scratch data). Whatever the letters, the secret document's summary
must never appear in anything a role receives (``test_matrix``).

To update after a deliberate change of rules: run the suite, read the
"observed" table it prints on failure, check every changed cell, and copy
the rows you agree with."""

import base64
import io
import json
import os

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from ..models.lifecycle import unlocked
from .common import PDF
from .rpc import ALLOWED, INJECTED_CONTEXT, JsonRpcCase

VBDT_ADDONS = (
    "vbdt_document",
    "vbdt_workflow",
    "vbdt_signature",
    "vbdt_interconnect",
    "vbdt_records",
    "vbdt_capture",
)
ROLES = ("clerk", "specialist", "head", "leader", "admin", "sysadmin")
COLUMNS = ROLES + tuple(f"b_{role}" for role in ROLES)
MARKER = "Đề án tuyệt mật MATRIX-5Z"

# fmt: off
MATRIX = """
model                        target  | clerk spec  head  leader admin sys   | b_clerk b_spec b_head b_leader b_admin b_sys
vbdt.agency                  agency  | R     R     R     R      RWDC  REWDC | R       R      R      R        RWDC    REWDC
vbdt.agency.import           none    | -     -     -     -      C     -     | -       -      -      -        C       -
vbdt.agency.change           any     | -     -     -     -      R     RE    | -       -      -      -        R       RE
vbdt.agency.change.wizard    none    | -     -     -     -      -     C     | -       -      -      -        -       C
vbdt.agency.change.line      any     | -     -     -     -      R     RE    | -       -      -      -        R       RE
vbdt.agency.change.wizard.line none  | -     -     -     -      -     C     | -       -      -      -        -       C
vbdt.agency.proposal         agency  | RWC   -     -     -      RWDC  -     | C       -      -      -        C       -
vbdt.agency.tier             any     | R     R     R     R      R     REWDC | R       R      R      R        R       REWDC
vbdt.approval.route          agency  | R     R     R     R      RWDC  RE    | -       -      -      -        C       -
vbdt.approval.route.step     agency  | R     R     R     R      RWDC  RE    | -       -      -      -        C       -
vbdt.audit.log               normal  | R     -     -     R      R     -     | -       -      -      -        -       -
vbdt.audit.log               secret  | N     -     -     N      N     -     | -       -      -      -        -       -
vbdt.capture.register        none    | C     -     -     -      C     -     | C       -      -      -        C       -
vbdt.capture.saved.search    none    | C     C     C     C      C     -     | C       C      C      C        C       -
vbdt.capture.search          none    | C     C     C     C      C     -     | C       C      C      C        C       -
vbdt.capture.search.line     none    | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.capture.text            normal  | R     R     R     R      R     -     | -       -      -      -        -       -
vbdt.capture.text            secret  | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.deadline.extension      normal  | C     C     C     RWC    RWC   -     | C       C      C      C        C       -
vbdt.deadline.extension      secret  | C     C     C     C      C     -     | C       C      C      C        C       -
vbdt.delegation              agency  | -     -     C     RC     RWDC  -     | -       -      C      C        C       -
vbdt.direction.wizard        none    | -     -     C     C      C     -     | -       -      C      C        C       -
vbdt.document                normal  | RWDC  RC    RWC   RWC    RWDC  -     | C       C      C      C        C       -
vbdt.document                secret  | C     C     C     C      C     -     | C       C      C      C        C       -
vbdt.document.assignment     normal  | R     -     -     RWC    RWC   -     | -       -      -      C        C       -
vbdt.document.assignment     secret  | -     -     -     C      C     -     | -       -      -      C        C       -
vbdt.document.correct        none    | C     C     C     C      C     -     | C       C      C      C        C       -
vbdt.document.delivery       normal  | RWC   R     R     R      RWC   -     | C       -      -      -        C       -
vbdt.document.delivery       secret  | C     -     -     -      C     -     | C       -      -      -        C       -
vbdt.document.file           normal  | RWDC  RC    RWDC  RWDC   RWDC  -     | C       C      C      C        C       -
vbdt.document.file           secret  | C     C     C     C      C     -     | C       C      C      C        C       -
vbdt.document.return         none    | C     -     -     -      C     -     | C       -      -      -        C       -
vbdt.document.revision       none    | C     -     -     -      C     -     | C       -      -      -        C       -
vbdt.document.statistics     agency  | R     -     -     R      R     -     | -       -      -      -        -       -
vbdt.document.take.back      none    | C     -     -     -      C     -     | C       -      -      -        C       -
vbdt.document.type           agency  | R     R     R     R      RWDC  RE    | R       R      R      R        RWDC    RE
vbdt.document.version        normal  | RC    RC    RC    RC     RDC   -     | C       C      C      C        C       -
vbdt.document.version        secret  | C     C     C     C      C     -     | C       C      C      C        C       -
vbdt.exchange.answer         none    | C     -     -     -      C     -     | C       -      -      -        C       -
vbdt.exchange.record         normal  | RW    R     R     R      RW    C     | -       -      -      -        -       C
vbdt.exchange.record         secret  | -     -     -     -      -     C     | -       -      -      -        -       C
vbdt.exchange.transport      agency  | R     -     -     -      RWDC  -     | -       -      -      -        C       -
vbdt.handling.wizard         none    | C     C     C     C      C     -     | C       C      C      C        C       -
vbdt.hub.agency.claim        agency  | -     -     -     -      -     REW   | -       -      -      -        -       REW
vbdt.hub.message             agency  | -     -     -     -      -     REW   | -       -      -      -        -       REW
vbdt.hub.request             agency  | -     -     -     -      -     RE    | -       -      -      -        -       RE
vbdt.hub.system              agency  | -     -     -     -      -     REWDC | -       -      -      -        -       REWDC
vbdt.records.copy            normal  | RW    R     R     R      RW    -     | -       -      -      -        -       -
vbdt.records.copy            secret  | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.records.copy.wizard     none    | C     -     -     -      C     -     | C       -      -      -        C       -
vbdt.records.disposal        agency  | -     -     -     RW     RWDC  -     | -       -      -      -        C       -
vbdt.records.file            normal  | RWC   RWC   RWC   RWC    RWDC  -     | C       C      C      C        C       -
vbdt.records.file            secret  | RWC   RWC   RWC   RWC    RWDC  -     | C       C      C      C        C       -
vbdt.records.file.line       normal  | RWDC  RWDC  RWDC  RWDC   RWDC  -     | C       C      C      C        C       -
vbdt.records.file.line       secret  | C     C     C     C      C     -     | C       C      C      C        C       -
vbdt.records.file.reopen     none    | -     -     -     -      C     -     | -       -      -      -        C       -
vbdt.records.handover        agency  | -     -     -     -      RWDC  -     | -       -      -      -        C       -
vbdt.records.plan            agency  | R     R     R     R      RWDC  -     | -       -      -      -        C       -
vbdt.records.plan.heading    agency  | R     R     R     R      RWDC  -     | -       -      -      -        C       -
vbdt.records.plan.item       agency  | R     R     R     R      RWDC  -     | -       -      -      -        C       -
vbdt.records.reception       agency  | -     -     -     -      RWDC  -     | -       -      -      -        C       -
vbdt.records.retention       any     | R     R     R     R      RWDC  RE    | R       R      R      R        RWDC    RE
vbdt.register                agency  | R     R     R     R      RWDC  -     | -       -      -      -        C       -
vbdt.register.book           none    | C     C     C     C      C     -     | C       C      C      C        C       -
vbdt.review                  normal  | R     R     R     R      R     -     | -       -      -      -        -       -
vbdt.review                  secret  | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.review.wizard           none    | C     C     C     C      C     -     | C       C      C      C        C       -
vbdt.signature.certificate   any     | -     -     -     -      C     -     | -       -      -      -        C       -
vbdt.signature.remote.provider agency | -  -     -     -      RWDC  -     | -       -      -      -        C       -
vbdt.signature.check         normal  | R     R     R     R      RWDC  -     | -       -      -      -        C       -
vbdt.signature.check         secret  | -     -     -     -      C     -     | -       -      -      -        C       -
vbdt.signature.crl           any     | R     R     R     R      R     REWDC | R       R      R      R        R       REWDC
vbdt.signature.session       normal  | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.signature.session       secret  | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.signature.sign.confirm  none    | C     C     C     C      C     C     | C       C      C      C        C       C
vbdt.signature.trust.anchor  any     | R     R     R     R      RWDC  RE    | R       R      R      R        RWDC    RE
vbdt.signature.trust.anchor.import none | -  -     -     -      C     -     | -       -      -      -        C       -
vbdt.signature.verify        none    | C     C     C     C      C     C     | C       C      C      C        C       C
vbdt.signature.verify.line   none    | C     C     C     C      C     C     | C       C      C      C        C       C
vbdt.unit                    agency  | R     R     R     R      RWDC  RE    | -       -      -      -        C       -
vbdt.work.queue              any     | R     R     R     R      RW    -     | R       R      R      R        RW      -
"""  # noqa: E501  a table: one row a line, its columns aligned
CONTENT = """
field                                         target  | clerk spec  head  leader admin sys   | b_clerk b_spec b_head b_leader b_admin b_sys
res.company.vbdt_seal_image                   any     | -     -     -     -      ci    -     | -       -      -      -        -       -
res.company.vbdt_handover_package             none    | -     -     -     -      -     -     | -       -      -      -        -       -
res.users.vbdt_signature_image                any     | -     -     -     -      ci    ci    | -       -      -      -        -       ci
vbdt.document.file.datas                      normal  | c     c     c     c      c     -     | -       -      -      -        -       -
vbdt.document.file.datas                      secret  | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.document.version.datas                   normal  | c     c     c     c      c     -     | -       -      -      -        -       -
vbdt.document.version.datas                   secret  | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.hub.message.package                      agency  | -     -     -     -      -     c     | -       -      -      -        -       c
vbdt.records.reception.package                agency  | -     -     -     -      c     -     | -       -      -      -        -       -
vbdt.records.file.line.attachment             any     | c     c     c     c      c     -     | -       -      -      -        -       -
vbdt.signature.certificate.certificate_file   none    | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.signature.certificate.pkcs12_file        none    | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.signature.session.pending_data           normal  | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.signature.session.pending_data           secret  | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.signature.session.plugin_pdf             normal  | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.signature.session.plugin_pdf             secret  | -     -     -     -      -     -     | -       -      -      -        -       -
vbdt.signature.crl.crl_file                   any     | c     c     c     c      c     c     | c       c      c      c        c       c
vbdt.signature.trust.anchor.certificate_file  any     | c     c     c     c      c     c     | c       c      c      c        c       c
"""  # noqa: E501  a table, one row a line (as MATRIX)
# fmt: on


def _parse(text, key_columns):
    rows = {}
    for line in text.strip().splitlines()[1:]:
        cells = line.replace("|", " ").split()
        if not cells or cells[0].startswith("#"):
            continue
        key = tuple(cells[:key_columns])
        values = cells[key_columns:]
        assert len(values) == len(COLUMNS), f"row {key}: {len(values)} cells"
        rows[key if key_columns > 1 else key[0]] = dict(
            zip(COLUMNS, values, strict=True)
        )
    return rows


def _png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (64, 64), (0, 0, 0, 0)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue())


@tagged("post_install", "-at_install", "vbdt", "access_rights", "access_matrix")
class TestAccessMatrix(JsonRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.agencies = {}
        cls.users = {}
        for prefix, code in (("", "000.00.00.H98"), ("b_", "000.00.12.H98")):
            company = cls.env["res.company"].create(
                {
                    "name": f"Matrix {prefix or 'a_'}agency",
                    "vbdt_agency_code": code,
                    "vbdt_short_name": "UBND",
                    "vbdt_tier": "province",
                }
            )
            unit = cls.env["vbdt.unit"].create(
                {"name": "Văn phòng", "code": "VP", "company_id": company.id}
            )
            cls.agencies[prefix] = (company, unit)
            for role in ROLES:
                cls.users[prefix + role] = cls._matrix_user(
                    prefix + role, role, company, unit
                )
            unit.manager_id = cls.users[prefix + "head"]
        cls.company, cls.unit = cls.agencies[""]
        cls.drafter = cls._matrix_user("m_drafter", "specialist", cls.company, cls.unit)
        cls.deputy = cls._matrix_user("m_deputy", "leader", cls.company, None)
        cls.targets = cls._build_targets()
        # A split's line (the demo has no split): read like its change.
        cls.env["vbdt.agency.change"].create(
            {
                "operation": "split",
                "agency_ids": [Command.set(cls.company.ids)],
                "date_effective": "2099-01-01",
                "line_ids": [Command.create({"successor_id": cls.company.id})],
            }
        )

    @classmethod
    def _matrix_user(cls, login, role, company, unit):
        groups = (
            "base.group_user,base.group_system"
            if role == "sysadmin"
            else {"admin": "vbdt_document.vbdt_document_group_manager"}.get(
                role, f"vbdt_document.vbdt_document_group_{role}"
            )
        )
        return new_test_user(
            cls.env,
            login=f"m_{login}" if not login.startswith("m_") else login,
            groups=groups,
            company_id=company.id,
            company_ids=[company.id],
            vbdt_unit_ids=unit.ids if unit and role != "sysadmin" else [],
        )

    # ------------------------------------------------------------ fixture
    @classmethod
    def _build_targets(cls):
        """{model: {target: record}} of agency A, built as superuser."""
        env = cls.env
        Document = env["vbdt.document"]
        doc_type = env.ref("vbdt_document.vbdt_document_type_quyet_dinh")
        common = {
            "direction": "outgoing",
            "company_id": cls.company.id,
            "unit_id": cls.unit.id,
            "drafter_id": cls.drafter.id,
            "document_type_id": doc_type.id,
        }
        docs = {
            "normal": Document.create({**common, "subject": "Kế hoạch công tác năm"}),
            "secret": Document.create(
                {
                    **common,
                    "subject": MARKER,
                    "confidentiality": "secret",
                    "confidential_user_ids": [Command.set(cls.drafter.ids)],
                }
            ),
        }
        cls.docs = docs
        targets = {"vbdt.document": dict(docs)}

        def per_document(model, make):
            if model in env:
                targets[model] = {kind: make(kind, doc) for kind, doc in docs.items()}

        files = {
            kind: doc._vbdt_add_file("van-ban.pdf", PDF, "main")
            for kind, doc in docs.items()
        }
        targets["vbdt.document.file"] = files
        per_document(  # vbdt_capture: the text row queued on upload
            "vbdt.capture.text",
            lambda kind, doc: env["vbdt.capture.text"].search(
                [("file_id", "=", files[kind].id)]
            ),
        )
        env["vbdt.audit.log"]._log(docs["normal"], "register", "1")
        per_document(
            "vbdt.audit.log",
            lambda kind, doc: env["vbdt.audit.log"].search(
                [("document_id", "=", doc.id)], limit=1
            ),
        )
        per_document(
            "vbdt.document.version",
            lambda kind, doc: env["vbdt.document.version"].create(
                {
                    "document_id": doc.id,
                    "name": "du-thao.pdf",
                    "datas": base64.b64encode(PDF),
                }
            ),
        )
        per_document(
            "vbdt.review",
            lambda kind, doc: env["vbdt.review"].create(
                {
                    "model": "vbdt.document",
                    "res_id": doc.id,
                    "company_id": cls.company.id,
                    "name": "Thẩm định",
                    "reviewer_ids": [Command.set(cls.drafter.ids)],
                    "comment": "Ý kiến",
                    "restricted": kind == "secret",
                }
            ),
        )
        per_document(
            "vbdt.document.assignment",
            lambda kind, doc: env["vbdt.document.assignment"].create(
                {"document_id": doc.id, "role": "lead", "user_id": cls.drafter.id}
            ),
        )
        per_document(
            "vbdt.deadline.extension",
            lambda kind, doc: env["vbdt.deadline.extension"].create(
                {
                    "assignment_id": targets["vbdt.document.assignment"][kind].id,
                    "new_deadline": "2026-12-31",
                    "reason": "Cần thêm thời gian",
                }
            ),
        )
        per_document("vbdt.exchange.record", cls._exchange_record)
        per_document(
            "vbdt.document.delivery",
            lambda kind, doc: env["vbdt.document.delivery"].create(
                {
                    "document_id": doc.id,
                    "agency_id": cls.agencies["b_"][0].vbdt_agency_id.id,
                }
            ),
        )
        per_document(
            "vbdt.signature.check",
            lambda kind, doc: env["vbdt.signature.check"].create(
                {"file_id": files[kind].id}
            ),
        )

        agency = {
            "vbdt.agency": cls.company.vbdt_agency_id,
            "vbdt.agency.proposal": env["vbdt.agency.proposal"].create(
                {
                    "name": "Sở Đề xuất (thử)",
                    "code": "000.00.31.H98",
                    "company_id": cls.company.id,
                }
            ),
            "vbdt.unit": cls.unit,
            "vbdt.register": docs["normal"].register_id,
            "vbdt.document.type": doc_type,
        }
        if "vbdt.approval.route" in env:
            route = env["vbdt.approval.route"].create(
                {
                    "name": "Matrix",
                    "company_id": cls.company.id,
                    "step_ids": [
                        Command.create(
                            {
                                "name": "Lãnh đạo",
                                "reviewer_type": "user",
                                "user_ids": [Command.set(cls.deputy.ids)],
                            }
                        )
                    ],
                }
            )
            agency.update(
                {
                    "vbdt.approval.route": route,
                    "vbdt.approval.route.step": route.step_ids,
                }
            )
        if "vbdt.delegation" in env:
            agency["vbdt.delegation"] = env["vbdt.delegation"].create(
                {
                    "company_id": cls.company.id,
                    "delegator_id": cls.deputy.id,
                    "delegate_id": cls.drafter.id,
                    "date_to": "2026-12-31",
                }
            )
        if "vbdt.exchange.transport" in env:
            agency["vbdt.exchange.transport"] = env["vbdt.exchange.transport"].create(
                {
                    "name": "Axis",
                    "company_id": cls.company.id,
                    "endpoint": "http://127.0.0.1:9",
                    "system_id": "matrix",
                    "secret": "matrix-secret",
                }
            )
        if "vbdt.hub.message" in env:
            systems = env["vbdt.hub.system"].create(
                [
                    {"name": "Matrix A", "system_id": "matrix-a"},
                    {"name": "Matrix B", "system_id": "matrix-b"},
                ]
            )
            agency["vbdt.hub.system"] = systems[0]
            agency["vbdt.hub.message"] = env["vbdt.hub.message"].create(
                {
                    "doc_id": "matrix-1",
                    "sender_system_id": systems[0].id,
                    "recipient_system_id": systems[1].id,
                    "sender_code": "000.00.00.H98",
                    "recipient_code": "000.00.12.H98",
                    "message_type": "edoc",
                    "package": base64.b64encode(f"<edXML>{MARKER}</edXML>".encode()),
                }
            )
            agency["vbdt.hub.agency.claim"] = env["vbdt.hub.agency.claim"].create(
                {
                    "system_id": systems[1].id,
                    "code": "000.00.00.H98",
                    "name": "Matrix A",
                }
            )
            agency["vbdt.hub.request"] = env["vbdt.hub.request"].create(
                {
                    "system_id": systems[0].id,
                    "nonce": "matrix-nonce",
                    "operation": "sendEdoc",
                    "seen": fields.Datetime.now(),
                }
            )
        if "vbdt.signature.remote.provider" in env:
            agency["vbdt.signature.remote.provider"] = env[
                "vbdt.signature.remote.provider"
            ].create(
                {
                    "name": "SmartCA",
                    "company_id": cls.company.id,
                    "provider": "vnpt_smartca",
                    "base_url": "http://127.0.0.1:9",
                    "client_id": "matrix",
                    "client_secret": "matrix-secret",
                }
            )
        certificate = "vbdt.signature.session" in env and env[
            "vbdt.signature.certificate"
        ].search([], limit=1)
        if certificate:
            per_document(
                "vbdt.signature.session",
                lambda kind, doc: env["vbdt.signature.session"].create(
                    {
                        "document_id": doc.id,
                        "user_id": cls.drafter.id,
                        "certificate_id": certificate.id,
                        "file_id": files[kind].id,
                        "access_token": f"matrix-{kind}",
                        "expires_at": "2026-12-31 00:00:00",
                        "pending_data": base64.b64encode(PDF),
                        "plugin_pdf": base64.b64encode(PDF),
                    }
                ),
            )
        if "vbdt.records.file" in env:
            agency.update(cls._records_targets(per_document))
        env["vbdt.document.statistics"]._refresh()
        agency["vbdt.document.statistics"] = env["vbdt.document.statistics"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        for model, record in agency.items():
            targets[model] = {"agency": record}
        return targets

    @classmethod
    def _records_targets(cls, per_document):
        """vbdt_records: a plan of agency A, and a case file per document
        (the secret one holding the secret document) with its item."""
        env = cls.env
        retention = env["vbdt.records.retention"].search([], limit=1)
        plan = env["vbdt.records.plan"].create(
            {"year": 2026, "company_id": cls.company.id}
        )
        heading = env["vbdt.records.plan.heading"].create(
            {"plan_id": plan.id, "name": "Tổng hợp", "abbreviation": "TH"}
        )
        item = env["vbdt.records.plan.item"].create(
            {
                "plan_id": plan.id,
                "heading_id": heading.id,
                "number": 1,
                "title": "Hồ sơ kế hoạch công tác năm 2026",
                "retention_id": retention.id,
            }
        )
        # An item that is not a document carries its own file (a scan).
        scan = Command.create(
            {
                "kind": "scan",
                "name": "Bản quét biên bản họp",
                "attachment": base64.b64encode(PDF),
                "attachment_name": "bien-ban.pdf",
            }
        )
        per_document(
            "vbdt.records.file",
            lambda kind, doc: env["vbdt.records.file"].create(
                {
                    "code": f"M.{kind}",
                    "title": f"Hồ sơ {kind}",
                    "year": 2026,
                    "company_id": cls.company.id,
                    "unit_id": cls.unit.id,
                    "retention_id": retention.id,
                    "responsible_id": cls.drafter.id,
                    "line_ids": [Command.create({"document_id": doc.id})]
                    + [scan] * (kind == "normal"),
                }
            ),
        )
        # Copies exist only through the Make a Copy action: built here as the
        # server builds them.
        with unlocked(env["vbdt.records.copy"], create=True):
            per_document(
                "vbdt.records.copy",
                lambda kind, doc: env["vbdt.records.copy"].create(
                    {
                        "name": f"0{1 + (kind == 'secret')}/SY",
                        "number": 1 + (kind == "secret"),
                        "year": 2026,
                        "form": "sao_y",
                        "original_id": doc.id,
                        "company_id": cls.company.id,
                    }
                ),
            )
        per_document(
            "vbdt.records.file.line",
            lambda kind, doc: env["vbdt.records.file.line"].search(
                [("document_id", "=", doc.id)], limit=1
            ),
        )
        return {
            "vbdt.records.handover": env["vbdt.records.handover"].create(
                {"name": "Giao nộp hồ sơ năm 2026", "company_id": cls.company.id}
            ),
            "vbdt.records.disposal": env["vbdt.records.disposal"].create(
                {"name": "Danh mục tài liệu hết giá trị", "company_id": cls.company.id}
            ),
            "vbdt.records.reception": env["vbdt.records.reception"].create(
                {
                    "name": "Tiếp nhận hồ sơ xã cũ",
                    "company_id": cls.company.id,
                    "package": base64.b64encode(PDF),
                }
            ),
            "vbdt.records.plan": plan,
            "vbdt.records.plan.heading": heading,
            "vbdt.records.plan.item": item,
        }

    @classmethod
    def _exchange_record(cls, kind, document):
        record = cls.env["vbdt.exchange.record"].create(
            {
                "direction": "out",
                "state": "out_queued",
                "company_id": cls.company.id,
                "document_id": document.id,
                "transport": "local",
            }
        )
        record._vbdt_store_package(f"<edXML>{document.subject}</edXML>".encode())
        return record

    def _target(self, model, target):
        if target == "none":
            return self.env[model]
        record = self.targets.get(model, {}).get(target)
        if record is None and target == "any":
            Model = self.env[model].with_context(active_test=False)
            record = Model.search([], limit=1, order="id")
        self.assertTrue(
            record, f"{model}: no {target} record to test; add one to the fixture"
        )
        return record

    # ------------------------------------------------------------ registry
    def _registry_models(self):
        return sorted(
            name
            for name, model in self.env.registry.items()
            if model._original_module in VBDT_ADDONS and not model._abstract
        )

    def _registry_binary_fields(self):
        found = []
        for name, model in self.env.registry.items():
            if model._abstract or model._transient:
                continue
            for field in model._fields.values():
                if (
                    field.type == "binary"
                    and getattr(field, "_module", None) in VBDT_ADDONS
                ):
                    found.append(f"{name}.{field.name}")
        return sorted(found)

    def test_every_model_and_file_has_a_row(self):
        decided = {model for model, _target in _parse(MATRIX, 2)}
        missing = [m for m in self._registry_models() if m not in decided]
        self.assertFalse(missing, f"models without a decided row in MATRIX: {missing}")
        decided_fields = {key for key, _target in _parse(CONTENT, 2)}
        missing = [f for f in self._registry_binary_fields() if f not in decided_fields]
        self.assertFalse(
            missing, f"binary fields without a decided row in CONTENT: {missing}"
        )

    # ------------------------------------------------------------ probing
    def _read_ops(self, user, record):
        """Outcome of each read-like operation on ``record``: True when the
        record was reached; and every payload received."""
        model, rid = record._name, record.id
        domain = [("id", "=", rid)]
        # The document a record belongs to is where a secret summary would show.
        names = ["display_name"] + (
            ["document_id"] if "document_id" in record._fields else []
        )
        calls = {
            "read*": ("read", [[rid], names], {}, INJECTED_CONTEXT),
            "search_read": ("search_read", [domain], {"fields": names}, None),
            "read_group": ("read_group", [domain, [], []], {}, None),
            "export_data": ("export_data", [[rid], ["display_name"]], {}, None),
            "name_search": ("name_search", [], {"name": "", "args": domain}, None),
        }
        reached, payloads = {}, []
        for label, (method, args, kwargs, context) in calls.items():
            outcome, result = self.attempt(user, model, method, args, kwargs, context)
            payloads.append(result)
            if outcome != ALLOWED:
                reached[label] = False
            elif method == "read_group":
                reached[label] = bool(result) and result[0].get("__count", 0) == 1
            elif method == "export_data":
                reached[label] = bool(result.get("datas"))
            else:
                reached[label] = len(result) == 1
        return reached, payloads

    def _has_access(self, user, record, operation, context=None):
        outcome, result = self.attempt(
            user, record._name, "has_access", [record.ids, operation], context=context
        )
        return outcome == ALLOWED and result is True

    def _probe_vals(self, record):
        for name, field in record._fields.items():
            if (
                field.type in ("char", "text")
                and field.store
                and not field.compute
                and not field.related
                and not field.readonly
                and name != "display_name"
                and not field.translate
            ):
                return {name: "ATTACK"}
        return {}

    def _snapshot(self, record):
        record.invalidate_recordset()
        fields_ = [
            n
            for n, f in record._fields.items()
            if f.store and f.type not in ("binary", "one2many", "many2many")
        ]
        return record.sudo().read(fields_)

    def _attack_write(self, user, record):
        before = self._snapshot(record)
        self.assertRefused(
            user,
            record._name,
            "write",
            [record.ids, self._probe_vals(record)],
            context=INJECTED_CONTEXT,
        )
        self.assertEqual(
            self._snapshot(record), before, f"{record} changed by {user.login}"
        )

    def _attack_unlink(self, user, record):
        self.assertRefused(
            user, record._name, "unlink", [record.ids], context=INJECTED_CONTEXT
        )
        self.assertTrue(record.sudo().exists(), f"{record} deleted by {user.login}")

    def _attack_create(self, user, record):
        Model = self.env[record._name].sudo().with_context(active_test=False)
        try:
            vals = json.loads(json.dumps(record.sudo().copy_data()[0], default=str))
        except ValueError:
            vals = {}  # rows of SQL views do not copy; create() checks access first
        count = Model.search_count([])
        self.assertRefused(
            user, record._name, "create", [vals], context=INJECTED_CONTEXT
        )
        self.assertEqual(
            Model.search_count([]), count, f"{user.login} created {record._name}"
        )

    def _observe(self, user, model, target):
        record = self._target(model, target)
        letters, notes, payloads = "", [], []
        if record:
            reached, payloads = self._read_ops(user, record)
            exported = reached.pop("export_data")
            if all(reached.values()):
                text = json.dumps(payloads, ensure_ascii=False, default=str)
                label = self.env["vbdt.document"]._vbdt_secret_label()
                letters += "N" if target == "secret" and label in text else "R"
            elif any(reached.values()):
                notes.append(
                    "inconsistent reads: "
                    + ", ".join(f"{k}={v}" for k, v in reached.items())
                )
            if exported:
                letters += "E"
            if self._has_access(user, record, "write"):
                letters += "W"
            else:
                self._attack_write(user, record)
            if self._has_access(user, record, "unlink"):
                letters += "D"
            else:
                self._attack_unlink(user, record)
        if self._may_create(user, model, record):
            letters += "C"
        return letters or "-", notes, payloads

    def _may_create(self, user, model, record):
        """Creating depends on the model and the role, not on the target:
        asked (and, when refused, attacked) once per model and role."""
        key = (user.id, model)
        if key not in self._created:
            self._created[key] = self._has_access(user, self.env[model], "create")
            if not self._created[key] and record:
                self._attack_create(user, record)
        return self._created[key]

    def _content_urls(self, record, field_name):
        urls = [("c", f"/web/content/{record._name}/{record.id}/{field_name}")]
        if (
            isinstance(record._fields[field_name], fields.Image)
            or "image" in field_name
        ):
            urls.append(("i", f"/web/image/{record._name}/{record.id}/{field_name}"))
        return urls

    def _content_target(self, model, field_name, target):
        if model == "res.users":
            self.drafter.sudo()[field_name] = _png()
            return self.drafter
        if model == "res.company":
            self.company.sudo()[field_name] = _png()
            return self.company
        if target == "any":
            return self._with_content(model, field_name)
        if target == "none":
            # No test data carries this file (upload-only inputs): decided,
            # not provable here until some record has content.
            self.assertFalse(
                self._with_content(model, field_name),
                f"{model}.{field_name} now has content: test it (target any)",
            )
            return None
        return self._target(model, target)

    def _with_content(self, model, field_name):
        """A record whose ``field_name`` holds content (binary fields may be
        computed and not searchable: look, on a bounded sample)."""
        return self.env[model].search([], limit=200).filtered(field_name)[:1]

    def _content_rows(self):
        """VBDT_MATRIX_OBSERVE=1: a row per binary field and target."""
        rows = {}
        for key in self._registry_binary_fields():
            model = key.rsplit(".", 1)[0]
            has_content = self._with_content(model, key.rsplit(".", 1)[1])
            for target in self.targets.get(model) or ["any" if has_content else "none"]:
                rows[key, target] = dict.fromkeys(COLUMNS, "?")
        return rows

    # ------------------------------------------------------------ the suite
    def _observe_all(self):
        """VBDT_MATRIX_OBSERVE=1: rows for every registry model, to print
        the observed table (for deciding a new row, never for copying blindly)."""
        rows = {}
        for model in self._registry_models():
            if model in self.targets:
                targets = list(self.targets[model])
            elif self.env[model]._transient or not self.env[model].sudo().search_count(
                []
            ):
                targets = ["none"]
            else:
                targets = ["any"]
            for target in targets:
                rows[model, target] = dict.fromkeys(COLUMNS, "?")
        return rows

    def test_matrix(self):
        self._created = {}
        expected = _parse(MATRIX, 2)
        if os.environ.get("VBDT_MATRIX_OBSERVE"):
            expected = self._observe_all()
        observed, mismatches, leaks = {}, [], []
        registry_models = set(self._registry_models())
        readers = self.drafter
        for (model, target), cells in expected.items():
            if model not in registry_models:
                continue  # its addon is not installed
            row = observed[model, target] = {}
            for column in COLUMNS:
                user = self.users[column]
                letters, notes, payloads = self._observe(user, model, target)
                row[column] = letters
                if letters != cells[column] or notes:
                    mismatches.append(
                        f"{model} {target} {column}: expected {cells[column]},"
                        f" observed {letters} {' '.join(notes)}"
                    )
                if user not in readers and MARKER in json.dumps(
                    payloads, ensure_ascii=False, default=str
                ):
                    leaks.append(f"{model} {target} {column}")
        self.assertFalse(
            leaks or mismatches,
            "\n".join(
                [
                    f"the secret summary leaked to: {leaks}",
                    *mismatches,
                    "",
                    "observed:",
                    self._format(observed),
                ]
            ),
        )

    def test_file_content(self):
        """``/web/content`` (c) and, for images, ``/web/image`` (i) of every
        binary field: served (200) or not."""
        expected = _parse(CONTENT, 2)
        if os.environ.get("VBDT_MATRIX_OBSERVE"):
            expected = self._content_rows()
        observed, mismatches = {}, []
        binary_fields = set(self._registry_binary_fields())
        for (key, target), cells in expected.items():
            if key not in binary_fields:
                continue
            model, field_name = key.rsplit(".", 1)
            record = self._content_target(model, field_name, target)
            if target == "none":
                continue
            self.assertTrue(
                record and record.sudo()[field_name],
                f"{key}: no {target} record with content to test",
            )
            row = observed[key, target] = {}
            for column in COLUMNS:
                user = self.users[column]
                letters = ""
                raw = base64.b64decode(record.sudo()[field_name])
                for letter, url in self._content_urls(record, field_name):
                    status, body = self.fetch(user, url)
                    # /web/image answers a refusal with a placeholder image.
                    if status == 200 and body == raw:
                        letters += letter
                    elif status == 200:
                        self.assertNotIn(MARKER.encode(), body)
                row[column] = letters or "-"
                if row[column] != cells[column]:
                    mismatches.append(
                        f"{key} {target} {column}: expected {cells[column]}, "
                        f"observed {row[column]}"
                    )
        self.assertFalse(
            mismatches,
            "\n".join(mismatches) + "\n\nobserved:\n" + self._format(observed),
        )

    @staticmethod
    def _format(observed):
        lines = []
        for key, row in observed.items():
            name = " ".join(key) if isinstance(key, tuple) else key
            cells = [row[c] for c in COLUMNS]
            lines.append(
                f"{name:<50} | {' '.join(f'{c:<5}' for c in cells[:6])}| "
                f"{' '.join(f'{c:<5}' for c in cells[6:])}"
            )
        return "\n".join(lines)
