def field_attachment(record, field_name):
    """The ``ir.attachment`` storing the binary field ``field_name`` of the
    single ``record`` (empty if none). The caller answers for reading it:
    each call says why the user may get the file."""
    # sudo: binary fields' attachments are hidden from search; only the one
    # attachment of this record's field is read, for the caller's stated reason
    return (
        record.env["ir.attachment"]
        .sudo()
        .search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("res_field", "=", field_name),
            ],
            limit=1,
        )
    )
