import base64

from odoo import fields, models


class VbdtSignatureTrustAnchorImport(models.TransientModel):
    """Add the CA certificates of a bundle (PEM, DER, PKCS#7, ETSI trusted
    list) as trust anchors in one go."""

    _name = "vbdt.signature.trust.anchor.import"
    _description = "Import Trust Anchors"

    bundle_file = fields.Binary(
        string="File",
        required=True,
        help="PEM or DER certificates, a PKCS#7 bundle (.p7b/.p7c) "
        "or an ETSI TS 119 612 trusted list (XML).",
    )
    bundle_filename = fields.Char()
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    result = fields.Text(readonly=True)

    def action_import(self):
        self.ensure_one()
        Anchor = self.env["vbdt.signature.trust.anchor"]
        added, known, not_ca = Anchor._vbdt_import_bundle(
            base64.b64decode(self.bundle_file)
        )
        lines = [self.env._("%(count)s trust anchors added.", count=len(added))]
        lines += [f"+ {subject}" for subject in added]
        if known:
            lines.append(self.env._("%(count)s already present.", count=len(known)))
            lines += [f"= {subject}" for subject in known]
        if not_ca:
            lines.append(
                self.env._(
                    "%(count)s left out: not certification authorities.",
                    count=len(not_ca),
                )
            )
            lines += [f"- {subject}" for subject in not_ca]
        self.write({"state": "done", "result": "\n".join(lines)})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
