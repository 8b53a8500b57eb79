"""Validation of signature and seal images (Pillow)."""

import base64
import io

from PIL import Image

from odoo.exceptions import ValidationError

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
            "format": env._("The seal image must be a PNG file (this one is %(format)s)."),
            "opaque": env._(
                "The seal image must have a transparent background (an alpha channel)."),
            "size": env._(
                "The seal image must be between %(min)s and %(max)s pixels on each side "
                "(this one is %(width)s × %(height)s)."),
        }
    return {
        "large": env._("The signature image is larger than 2 MB."),
        "unreadable": env._("The signature image is not a readable image."),
        "format": env._("The signature image must be a PNG file (this one is %(format)s)."),
        "opaque": env._(
            "The signature image must have a transparent background (an alpha channel)."),
        "size": env._(
            "The signature image must be between %(min)s and %(max)s pixels on each side "
            "(this one is %(width)s × %(height)s)."),
    }


def check_transparent_png(env, data_b64, kind):
    """Raise unless ``data_b64`` is a sane PNG with transparency; ``kind`` is
    "signature" or "seal" and picks the wording of the messages."""
    if not data_b64:
        return
    messages = _messages(env, kind)
    raw = base64.b64decode(data_b64)
    if len(raw) > MAX_BYTES:
        raise ValidationError(messages["large"])
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image_format, mode, size, info = image.format, image.mode, image.size, image.info
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(messages["unreadable"]) from None
    if image_format != "PNG":
        raise ValidationError(messages["format"] % {"format": image_format})
    if mode not in ("RGBA", "LA", "PA") and "transparency" not in info:
        raise ValidationError(messages["opaque"])
    if not all(MIN_SIDE <= side <= MAX_SIDE for side in size):
        raise ValidationError(messages["size"] % {
            "min": MIN_SIDE, "max": MAX_SIDE, "width": size[0], "height": size[1]})
