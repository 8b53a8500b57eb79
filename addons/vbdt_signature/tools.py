"""Small adapters between Odoo records and the plain-Python ``pades`` core."""

from odoo.exceptions import UserError

from odoo.addons.vbdt_document.public_errors import public_message

from .pades.errors import PadesError


def user_error(env, err):
    """A translated ``UserError`` from a core :class:`PadesError`."""
    return UserError(translate_error(env, err))


def translate_error(env, err):
    if isinstance(err, PadesError):
        params = {key: str(value) for key, value in err.params.items()}
        for key in err.translated_params:  # pylint: disable=translation-required
            if key in params:
                params[key] = env._(params[key])  # pylint: disable=translation-required
        return env._(err.template, **params)  # pylint: disable=translation-required
    return public_message(env, err)
