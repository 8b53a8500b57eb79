"""Errors raised by the notation core, carrying untranslated messages.

The core never imports Odoo, so it cannot translate.  Each message is written
as a literal ``_("...")`` call so that Odoo's translation extractor finds it in
this addon, and the error keeps the English template and its parameters apart
so the Odoo layer can translate at the user's language::

    except NotationError as error:
        raise ValidationError(self.env._(error.template, **error.params))
"""

from typing import Any


def _(message: str) -> str:
    """Mark ``message`` for translation extraction; returns it unchanged."""
    return message


class NotationError(ValueError):
    """A value that is not a valid number, notation, date, code or identifier.

    ``template`` is the English message with ``%(name)s`` placeholders and
    ``params`` the values for them; ``str(error)`` is the formatted message.
    """

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params)
