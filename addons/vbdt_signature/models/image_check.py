"""Validation of signature and seal images (Pillow)."""

import base64
import io

from PIL import Image

from odoo.exceptions import ValidationError

MAX_BYTES = 2 * 1024 * 1024
MIN_SIDE, MAX_SIDE = 50, 4000


def check_transparent_png(env, data_b64, what):
    """Raise unless ``data_b64`` is a sane PNG with transparency."""
    if not data_b64:
        return
    raw = base64.b64decode(data_b64)
    if len(raw) > MAX_BYTES:
        raise ValidationError(env._("The %(what)s image is larger than 2 MB.", what=what))
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image_format, mode, size, info = image.format, image.mode, image.size, image.info
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(env._("The %(what)s image is not a readable image.",
                                    what=what)) from None
    if image_format != "PNG":
        raise ValidationError(env._(
            "The %(what)s image must be a PNG file (this one is %(format)s).",
            what=what, format=image_format))
    if mode not in ("RGBA", "LA", "PA") and "transparency" not in info:
        raise ValidationError(env._(
            "The %(what)s image must have a transparent background (an alpha channel).",
            what=what))
    if not all(MIN_SIDE <= side <= MAX_SIDE for side in size):
        raise ValidationError(env._(
            "The %(what)s image must be between %(min)s and %(max)s pixels on each side "
            "(this one is %(width)s × %(height)s).",
            what=what, min=MIN_SIDE, max=MAX_SIDE, width=size[0], height=size[1]))
