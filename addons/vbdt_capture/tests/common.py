from odoo import Command


class CaptureDocumentsMixin:
    """Two incoming documents of the province for the full-text tests, each
    with its PDF extracted: a normal one and a secret one only the
    specialist may read, whose text is given ``secret_words`` as the
    extraction would have found them (written as superuser)."""

    @classmethod
    def _normal_and_secret(
        cls, normal_vals, normal_pdf, secret_vals, secret_pdf, secret_words
    ):
        common = {
            "direction": "incoming",
            "company_id": cls.province.id,
            "document_type_id": cls.letter_type.id,
            "sender_agency_id": cls.sender.id,
            "unit_id": cls.unit.id,
        }
        cls.normal = cls.Document.create({**common, **normal_vals})
        cls.normal._vbdt_add_file("thuong.pdf", normal_pdf, "main")
        cls.secret = cls.Document.create(
            {
                **common,
                **secret_vals,
                "confidentiality": "secret",
                "confidential_user_ids": [Command.set(cls.specialist.ids)],
            }
        )
        cls.secret._vbdt_add_file("mat.pdf", secret_pdf, "main")
        texts = (cls.normal | cls.secret).file_ids.capture_text_ids
        for text in texts:
            text._vbdt_extract()
        secret_text = texts.filtered(lambda t: t.document_id == cls.secret)
        secret_text.content = f"{secret_text.content}\n{secret_words}"
        return texts, secret_text
