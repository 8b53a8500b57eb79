"""Validation of signature and seal images (Pillow)."""

import base64
import io

from PIL import Image

from odoo.exceptions import ValidationError

from ..pades.appearance import check_transparent
from ..pades.errors import OpaqueImageError
from ..tools import translate_error

MAX_BYTES = 2 * 1024 * 1024
MIN_SIDE, MAX_SIDE = 50, 4000


def _messages(env, kind):
    """The messages for a ``kind`` ("signature" or "seal") of image, each a
    whole sentence: a role word slotted into a shared sentence does not
    translate (Vietnamese puts it elsewhere, with its own classifier)."""
    if kind == "seal":
        return {
            "large": env._("The seal image is larger than 2 MB."),
            "unreadable": env._("The seal image is not a readable image."),
            "format": env._(
                "The seal image must be a PNG file (this one is %(format)s)."
            ),
            "opaque": env._(
                "The seal image must have a transparent background (an alpha channel)."
            ),
            "size": env._(
                "The seal image must be between %(min)s and %(max)s pixels on each "
                "side "
                "(this one is %(width)s × %(height)s)."
            ),
        }
    return {
        "large": env._("The signature image is larger than 2 MB."),
        "unreadable": env._("The signature image is not a readable image."),
        "format": env._(
            "The signature image must be a PNG file (this one is %(format)s)."
        ),
        "opaque": env._(
            "The signature image must have a transparent background (an alpha channel)."
        ),
        "size": env._(
            "The signature image must be between %(min)s and %(max)s pixels on each "
            "side "
            "(this one is %(width)s × %(height)s)."
        ),
    }


def check_transparent_png(env, data_b64, kind):
    """Raise unless ``data_b64`` is a sane PNG with a transparent background;
    ``kind`` is "signature" or "seal" and picks the wording of the messages.
    Signing checks the background again (``pades.appearance``), for images
    stored before this check existed."""
    if not data_b64:
        return
    messages = _messages(env, kind)
    raw = base64.b64decode(data_b64)
    if len(raw) > MAX_BYTES:
        raise ValidationError(messages["large"])
    try:
        with Image.open(io.BytesIO(raw)) as image:
            _check_header(image, messages)
            # pixels are decoded only once the size is known to be bounded
            image.load()
            check_transparent(image, kind)
    except OpaqueImageError as err:
        raise ValidationError(translate_error(env, err)) from None
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(messages["unreadable"]) from None


def _check_header(image, messages):
    """Format, transparency and size, from the PNG header alone."""
    if image.format != "PNG":
        raise ValidationError(messages["format"] % {"format": image.format})
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        raise ValidationError(messages["opaque"])
    width, height = image.size
    if not all(MIN_SIDE <= side <= MAX_SIDE for side in (width, height)):
        raise ValidationError(
            messages["size"]
            % {"min": MIN_SIDE, "max": MAX_SIDE, "width": width, "height": height}
        )
