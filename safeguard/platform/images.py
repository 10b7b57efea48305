"""Uploaded photos: refuse what cannot be a sensible photo, and keep none of the file's metadata.

A photo is read with Pillow (already present for PDFs): its pixel size is checked from the header
before anything is decoded (a 30000 × 30000 PNG is a few hundred bytes but gigabytes in memory),
then it is decoded and written again from its pixels alone, so EXIF (camera, time, GPS position of
where the photo was taken), XMP, ICC and PNG text chunks never reach storage (issue 11 item 16).
"""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


def _max_side() -> int:
    return settings.SAFEGUARD_PHOTO_MAX_PIXELS


def image_problem(content: bytes) -> str | None:
    """What is wrong with the photo's pixels, in plain words, or None. Reads the header only."""
    limit = _max_side()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format not in _FORMATS:
                    return "The photo must be a JPG or PNG"
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return f"The photo must be at most {limit} × {limit} pixels"
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return "The photo could not be read. Save it again as a JPG or PNG and try again"
    if width > limit or height > limit:
        return f"The photo must be at most {limit} × {limit} pixels (this one is {width} × {height})"
    return None


def image_without_metadata(content: bytes) -> tuple[bytes, str]:
    """The photo written again from its pixels alone (turned upright first), and its type.

    Call only after `image_problem` found nothing. Raises ValueError if the pixels cannot be decoded.
    """
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format
            upright = ImageOps.exif_transpose(image)
            upright.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValueError("The photo could not be read. Save it again as a JPG or PNG and try again") from error
    out = io.BytesIO()
    if kind == "JPEG":
        if upright.mode not in {"RGB", "L"}:
            upright = upright.convert("RGB")
        upright.save(out, format="JPEG", quality=90)
    else:
        if upright.mode not in {"RGB", "RGBA", "L", "LA", "P", "1"}:
            upright = upright.convert("RGBA")
        upright.save(out, format="PNG", optimize=True)
    return out.getvalue(), _FORMATS[str(kind)]
