"""What a user may see of an exception.

Our own ``UserError``/``ValidationError`` messages are written for users. Any
other exception (``OSError``, a library's or the database's error) may carry
server paths (the filestore, libraries), SQL or internals: users get a neutral,
translated sentence naming only the kind of error, and the details go to the
server log through the caller's ``_logger.exception``.
"""

from odoo.exceptions import UserError


def public_message(env, error):
    if isinstance(error, UserError):
        return error.args[0] if error.args else ""
    return env._(
        "Unexpected error (%(kind)s); the details are in the server log.",
        kind=type(error).__name__,
    )
