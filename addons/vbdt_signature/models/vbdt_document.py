import base64
import dataclasses
import io

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import split_every

from odoo.addons.vbdt_document.notation import (
    AUTHORITY_PREFIXES,
    NotationError,
    date_line,
)

from ..pades import (
    AttachmentAppearance,
    OrganisationAppearance,
    PersonAppearance,
    SigningOptions,
    begin_signing,
    finish_signing,
    prepare_fields,
    sign_pdf,
    stamp_number_date,
)
from ..pades.archive import add_archival_timestamp
from ..pades.errors import (
    PadesError,
    PersonSignatureMissingError,
    SealAlreadyAppliedError,
)
from ..pades.stamping import NUMBER_FIELD
from ..pades.verify import ORGANISATION, PERSON
from ..tools import translate_error, user_error
from .vbdt_document_file import VERIFY_BATCH
from .vbdt_signature_check_mixin import REPORT_CACHE, STATUS, TONE

MANAGER = "vbdt_document.vbdt_document_group_manager"


class VbdtDocument(models.Model):
    """Decree 30 signatures on the document: the competent person signs the
    main PDF (``action_sign_person``); at issue the clerk's action stamps
    number and date, applies the agency's seal and signs the attachments
    (``_vbdt_post_issue``). Incoming files are verified on upload."""

    _inherit = "vbdt.document"

    signature_status = fields.Selection(
        STATUS,
        string="Signatures",
        compute="_compute_signature_status",
        store=True,
        index=True,
        help="Verification result of the main file.",
    )
    signature_check_ids = fields.One2many(
        "vbdt.signature.check", "document_id", string="Signature Checks", readonly=True
    )
    vbdt_is_signer = fields.Boolean(compute="_compute_vbdt_is_signer")
    signature_label = fields.Char(
        string="Signature Stage",
        compute="_compute_signature_label",
        help="Where the main text stands: who signs next, or what its signatures "
        "mean.",
    )
    signature_tone = fields.Selection(
        TONE,
        compute="_compute_signature_label",
    )

    @api.depends("file_ids.signature_status", "file_ids.role")
    def _compute_signature_status(self):
        for document in self:
            main = document.file_ids.filtered(lambda f: f.role == "main")[:1]
            document.signature_status = main.signature_status

    @api.depends(
        "state", "file_ids.signature_status", "file_ids.role", "file_ids.sequence"
    )
    @api.depends_context("lang")
    def _compute_signature_label(self):
        for document in self:
            main = document.main_file_id
            document.signature_label = main.signature_label
            document.signature_tone = main.signature_tone

    @api.depends_context("uid")
    @api.depends("signer_id", "state")
    def _compute_vbdt_is_signer(self):
        """Whoever may sign as the competent person: the signer, or with
        vbdt_workflow a deputy under a valid signing delegation."""
        for document in self:
            allowed = False
            if document.id and document.direction == "outgoing":
                allowed, _delegation = document._vbdt_signing_delegation(self.env.user)
            document.vbdt_is_signer = allowed

    # ------------------------------------------------------------------ hooks
    def _vbdt_requires_digital_signature(self):
        return self.company_id.vbdt_signature_required

    def _vbdt_signing_options(self):
        """How every signature is made: with a timestamp authority configured,
        B-T with validation data (B-LT); the chain and revocation are checked
        before signing, from the certificate's CRL/OCSP addresses when
        fetching is allowed."""
        # sudo: signing options are system parameters; only their values are used
        params = self.env["ir.config_parameter"].sudo()
        timestamp_url = params.get_param("vbdt_signature.timestamp_url") or None
        return SigningOptions(
            trust_anchors=tuple(
                self.env["vbdt.signature.trust.anchor"]._vbdt_anchors()
            ),
            timestamp_url=timestamp_url,
            crls=tuple(self.env["vbdt.signature.crl"]._vbdt_crls()),
            allow_fetching=params.get_param("vbdt_signature.allow_fetching") == "True",
            embed_validation_info=bool(timestamp_url),
            location=self.place or self.company_id.vbdt_place or None,
        )

    # ------------------------------------------------------------------ person
    def action_sign_person_confirm(self):
        """The form's "Sign Digitally": refuse now what cannot be signed,
        else ask first, saying what will be signed and as whom."""
        self.ensure_one()
        self._vbdt_check_person_can_sign()
        wizard = self.env["vbdt.signature.sign.confirm"].create(
            {"document_id": self.id}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Confirm the Digital Signature"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _vbdt_signing_as(self, user):
        """How the signature block reads when ``user`` signs now: authority
        prefix (KT., TL. ...), position and printed name."""
        self.ensure_one()
        _allowed, delegation = self._vbdt_signing_delegation(user)
        vals = self._vbdt_signer_block_vals(user, delegation)
        authority = vals.get("signer_authority", self.signer_authority)
        position = vals.get("signer_position", self.signer_position)
        parts = (
            AUTHORITY_PREFIXES.get(authority or ""),
            " ".join((position or "").split()),
            vals.get("signer_name") or user.name,
        )
        return " ".join(part for part in parts if part)

    def action_sign_person(self):
        """The competent person signs the main PDF with their own certificate
        and image: the signer, or a deputy under a valid delegation. With a
        certificate on a USB token of the signer's own computer, the PDF is
        prepared and a signing session opened for the signing agent."""
        self.ensure_one()
        certificate, main = self._vbdt_check_person_can_sign()
        main._vbdt_pdfa_before_signing()  # the signature covers the PDF/A bytes
        options = self._vbdt_signing_options()
        user = self.env.user
        printed_name = self._vbdt_printed_signer_name(user)
        appearance = PersonAppearance(
            # sudo: the signer's own image (self.env.user), which users may not read
            # directly
            base64.b64decode(user.sudo().vbdt_signature_image),
            printed_name=printed_name,
        )
        if certificate.backend == "local":
            certificate._vbdt_check_usable_by(user)
            try:
                pending = begin_signing(
                    _with_fields(main._get_raw()),
                    certificate._vbdt_certificate_chain(),
                    appearance,
                    options=options,
                )
            except PadesError as err:
                raise user_error(self.env, err) from None
            session = self.env["vbdt.signature.session"]._vbdt_open(
                self, certificate, main, pending, printed_name
            )
            return session._vbdt_dialog_action()
        try:
            signed = sign_pdf(
                _with_fields(main._get_raw()),
                certificate._vbdt_backend(user),
                appearance,
                options=options,
            )
        except PadesError as err:
            raise user_error(self.env, err) from None
        self._vbdt_complete_person_signature(
            signed, certificate, main, printed_name, options
        )
        return True

    def _vbdt_check_session_still_signable(self, session):
        """Shared by the two-phase signatures (USB token, browser plugin), as
        the session's owner: the document must still be signable by them, its
        main text unchanged since the session was opened, the session's
        certificate still usable. Returns (main, certificate, options)."""
        self.ensure_one()
        _certificate, main = self._vbdt_check_person_can_sign()
        if (
            main != session.file_id
            # sudo: the checksum of the file being signed; compared, not returned
            or main.sudo().checksum_sha256 != session.file_checksum
        ):
            raise UserError(
                self.env._(
                    "The main text of %(document)s changed after the signing session "
                    "was opened: click Sign Digitally again.",
                    document=self.display_name,
                )
            )
        certificate = session.certificate_id
        certificate._vbdt_check_usable_by(self.env.user)
        return main, certificate, self._vbdt_signing_options()

    def _vbdt_finish_local_signing(self, session, signature, pending):
        """Phase 2 of a USB-token signature, as the session's owner: the
        document must still be signable by them, its main text unchanged."""
        self.ensure_one()
        main, certificate, options = self._vbdt_check_session_still_signable(session)
        try:
            signed = finish_signing(pending, signature, options)
        except PadesError as err:
            raise user_error(self.env, err) from None
        self._vbdt_complete_person_signature(
            signed, certificate, main, session.printed_name, options
        )

    def _vbdt_complete_person_signature(
        self, signed, certificate, main, printed_name, options
    ):
        """Verify the signed PDF (a valid person signature by ``certificate``)
        before anything is written, then replace the main text, log, post,
        write the signature block (the name printed in the PDF) and mark the
        document signed. The verification is the one stored with the written
        file (same bytes, same receipt time: verified once)."""
        _allowed, delegation = self._vbdt_signing_delegation(self.env.user)
        received = fields.Datetime.now()
        try:
            report = self.env["vbdt.signature.check.mixin"]._vbdt_report(
                signed, existed_at=received
            )
        except PadesError as err:
            raise user_error(self.env, err) from None
        if not report.has_valid_person_signature:
            problems = [
                translate_error(self.env, p)
                for s in report.signatures
                for p in s.problems
            ]
            raise UserError(
                self.env._(
                    "The signature was not applied: it would not be valid "
                    "(%(problems)s).",
                    problems="; ".join(problems),
                )
            )
        if not any(
            s.kind == PERSON
            and s.valid
            and s.signer
            and s.signer.serial_number == certificate.serial_number
            for s in report.signatures
        ):
            raise UserError(
                self.env._(
                    "The signature was not applied: it was not made with the "
                    "registered "
                    "certificate %(serial)s.",
                    serial=certificate.serial_number,
                )
            )
        main._vbdt_replace_content(
            signed, self.env._("Before signature"), received_at=received
        )
        self.env["vbdt.audit.log"]._log(
            self, "sign", f"person {certificate.serial_number} {main.checksum_sha256}"
        )
        self.message_post(
            body=self.env._(
                "Signed digitally by %(signer)s (certificate %(serial)s).",
                signer=self.env.user.name,
                serial=certificate.serial_number,
            )
        )
        self._vbdt_write_signer_block(self.env.user, delegation, printed_name)
        self._vbdt_mark_signed()

    def _vbdt_check_person_can_sign(self):
        self.ensure_one()
        if (
            self.direction != "outgoing"
            or self.state not in self._vbdt_signable_states()
        ):
            raise UserError(
                self.env._(
                    "%(document)s cannot be signed in its current state.",
                    document=self.display_name,
                )
            )
        allowed, _delegation = self._vbdt_signing_delegation(self.env.user)
        if not allowed:
            raise UserError(
                self.env._(
                    "Only the signer of %(document)s (%(signer)s), or a deputy "
                    "holding a "
                    "valid signing delegation, can sign it.",
                    document=self.display_name,
                    signer=", ".join(self._vbdt_expected_signers().mapped("name"))
                    or "-",
                )
            )
        main = self.main_file_id
        if not main or not main._vbdt_is_pdf():
            raise UserError(
                self.env._(
                    "%(document)s has no main text in PDF to sign.",
                    document=self.display_name,
                )
            )
        # sudo: whether the main file is signed already; nothing is returned
        if main.sudo().signature_check_ids:
            raise UserError(
                self.env._(
                    "The main text of %(document)s is already signed.",
                    document=self.display_name,
                )
            )
        certificate = self.env["vbdt.signature.certificate"]._vbdt_person_certificate(
            self.env.user
        )
        if not certificate:
            raise UserError(
                self.env._(
                    "You have no valid signing certificate: ask an administrator to "
                    "register yours (Document Office > Configuration > Certificates)."
                )
            )
        # sudo: whether the user has a signature image; the image is not returned
        if not self.env.user.sudo().vbdt_signature_image:
            raise UserError(
                self.env._(
                    "Set your signature image in your preferences before signing."
                )
            )
        return certificate, main

    def _vbdt_signing_agency_entry(self):
        """The directory entry of the agency whose signatures the document's
        files carry: the sender of an incoming document, the agency itself
        for an outgoing one (its names then include those of the agencies it
        succeeds, for drafts carried over from them)."""
        self.ensure_one()
        if self.direction == "incoming":
            return self.sender_agency_id
        return self.company_id.vbdt_agency_id

    # ------------------------------------------------------------------ bulk
    def action_vbdt_verify_signatures(self):
        """Administrators (re)verify the files of the selected documents,
        e.g. files stored before this addon was installed, or after a trust
        anchor was added; a batch per flush so that memory stays bounded."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._(
                    "Only administrators can verify the signatures of documents in "
                    "bulk."
                )
            )
        # Forged ids of documents the administrator does not read (another
        # agency's, a secret one) are refused before anything is verified.
        self.check_access("read")
        # sudo: every file of the documents checked readable above is verified
        files = self.sudo().file_ids
        for batch in split_every(VERIFY_BATCH, files.ids, files.browse):
            batch._vbdt_verify_signatures()
            batch.flush_recordset()
            batch.invalidate_recordset()
            self.env.cr.cache.pop(REPORT_CACHE, None)  # memory bounded per batch
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Signatures of %(count)s file(s) of %(documents)s document(s) "
                    "verified.",
                    count=len(files),
                    documents=len(self),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------ issue
    def _vbdt_check_issuable(self):
        """Refuse the issue before a number is drawn when the seal cannot follow."""
        result = super()._vbdt_check_issuable()
        self._vbdt_seal_plan()
        return result

    def _vbdt_seal_plan(self):
        """``(main file, seal certificate, verification report)`` when the
        seal is to be applied, ``None`` when the document is issued without
        digital signatures (agency not requiring them and main text without
        any signature)."""
        self.ensure_one()
        required = self._vbdt_requires_digital_signature()
        main = self.main_file_id
        if not main or not main._vbdt_is_pdf():
            if required:
                raise UserError(
                    self.env._(
                        "%(document)s needs its main text as a PDF signed by the "
                        "competent "
                        "person before it can be issued.",
                        document=self.display_name,
                    )
                )
            return None
        try:
            # the same report for the check before numbering and the seal
            report = self.env["vbdt.signature.check.mixin"]._vbdt_report(
                main._get_raw(), existed_at=main._vbdt_existed_at()
            )
        except PadesError as err:
            if not required:
                return None  # an unreadable PDF carries no signature to seal
            raise user_error(self.env, err) from None
        persons = [s for s in report.signatures if s.kind == PERSON]
        if any(s.kind == ORGANISATION for s in report.signatures):
            field = next(
                s.field_name for s in report.signatures if s.kind == ORGANISATION
            )
            raise user_error(self.env, SealAlreadyAppliedError(field=field))
        if not persons and not required:
            return None
        if not report.has_valid_person_signature or report.problems:
            details = [
                translate_error(self.env, p) for s in persons for p in s.problems
            ]
            raise UserError(
                "\n".join(
                    [translate_error(self.env, PersonSignatureMissingError()), *details]
                )
            )
        certificate = self.env["vbdt.signature.certificate"]._vbdt_seal_certificate(
            self.company_id
        )
        if not certificate:
            raise UserError(
                self.env._(
                    "Agency %(agency)s has no valid seal certificate: an "
                    "administrator must "
                    "register it (Document Office > Configuration > Certificates) "
                    "before "
                    "signed documents can be issued.",
                    agency=self.company_id.name,
                )
            )
        certificate._vbdt_check_usable_by(self.env.user)
        # sudo: whether the agency has a seal image; it is not returned
        if not self.company_id.sudo().vbdt_seal_image:
            raise UserError(
                self.env._(
                    "Agency %(agency)s has no seal image.", agency=self.company_id.name
                )
            )
        return main, certificate, report

    def _vbdt_post_issue(self):
        # Seal first: later hooks (dispatch over the axis) see the official files.
        for document in self:
            plan = document._vbdt_seal_plan()
            if plan:
                document._vbdt_apply_seal(*plan)
        return super()._vbdt_post_issue()

    def _vbdt_apply_seal(self, main, certificate, person_report):
        """Stamp, seal the main text and sign the attachments: everything is
        computed first, then written, so a failure leaves the files untouched.
        The person signature was verified by ``_vbdt_seal_plan``, whose report
        the seal reuses (no second verification); the sealed
        main text is verified once, when it is written, and must be valid."""
        self.ensure_one()
        options = dataclasses.replace(
            self._vbdt_signing_options(), person_report=person_report
        )
        backend = certificate._vbdt_backend()
        # sudo: the agency's seal image is stamped by the server
        company = self.company_id.sudo()
        try:
            day_text = date_line(
                self.place or company.vbdt_place or "", self.document_date
            )
        except NotationError as err:
            raise UserError(self.env._(err.template, **err.params)) from None
        # Appendix I: an attachment's stamp shows the number and notation of
        # the document and the signing time, nothing else (and never words
        # in the clerk's interface language)
        reference = self.code
        try:
            stamped = stamp_number_date(main._get_raw(), f"Số: {self.code}", day_text)
            sealed = sign_pdf(
                stamped,
                backend,
                OrganisationAppearance(
                    base64.b64decode(company.vbdt_seal_image), agency_name=company.name
                ),
                options=options,
            )
            attachments = [
                (
                    file,
                    sign_pdf(
                        file._get_raw(),
                        backend,
                        AttachmentAppearance(reference),
                        options=options,
                    ),
                )
                for file in self.file_ids
                if file.role == "attachment"
                and file._vbdt_is_pdf()
                and file.signature_status == "unsigned"
            ]
            if options.timestamp_url:  # issued documents are kept for decades: B-LTA
                sealed = add_archival_timestamp(sealed, options)
                attachments = [
                    (file, add_archival_timestamp(signed, options))
                    for file, signed in attachments
                ]
        except PadesError as err:
            raise user_error(self.env, err) from None
        label = self.env._("Before issue")
        main._vbdt_replace_content(sealed, label)
        # sudo: the server's verification of the sealed file decides the issue
        if main.sudo().signature_status != "valid":
            # raising rolls the whole issue back, number included
            raise UserError(
                self.env._(
                    "The seal was not applied: the sealed main text would not be "
                    "valid (%(problems)s).",
                    problems=main.sudo().signature_message
                    or "; ".join(main.sudo().signature_check_ids.mapped("problems")),
                )
            )
        for file, signed in attachments:
            file._vbdt_replace_content(signed, label)
        self.env["vbdt.audit.log"]._log(
            self,
            "sign",
            f"organisation {certificate.serial_number} {main.checksum_sha256}",
        )
        self.message_post(
            body=self.env._(
                "Number and date stamped, seal of %(agency)s applied (certificate "
                "%(serial)s); "
                "%(count)s attachment(s) signed.",
                agency=company.name,
                serial=certificate.serial_number,
                count=len(attachments),
            )
        )


def _with_fields(pdf):
    """The PDF with its number and date fields, created before the person signs."""
    return pdf if _has_field(pdf, NUMBER_FIELD) else prepare_fields(pdf)


def _has_field(pdf, name):
    """Whether the PDF's form already has a field called ``name``."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        form = reader.root.get("/AcroForm")
        fields_ = form.get("/Fields", []) if form else []
        return any(field.get_object().get("/T") == name for field in fields_)
    except Exception:  # noqa: BLE001 -- prepare_fields reports unreadable PDFs
        return False
