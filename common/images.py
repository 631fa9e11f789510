"""Pictures that people upload (a news item's): checked, then drawn anew.

An upload is refused unless it is a JPEG, PNG or WebP that Pillow can open, of at most
`IMAGE_MAX_BYTES` and `MAX_PIXELS`. What is stored is never the uploaded file: the
picture is decoded, turned upright (EXIF orientation), scaled down to `MAX_SIDE` and
encoded again (JPEG; PNG where it has transparency). That drops every byte the sender
chose beyond the pixels: EXIF (a phone's GPS position, the camera's serial number),
comments, polyglot tricks (a file that is also HTML or a script), and an SVG's script,
which is not accepted in the first place. The stored name is random.
"""

from __future__ import annotations

import io
import uuid
import warnings
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from common.errors import DomainError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
ACCEPT = "image/jpeg,image/png,image/webp"  # for <input type=file accept>
MAX_PIXELS = 40_000_000  # a 40-megapixel photo decodes to 160 MB: more is refused unread
MAX_SIDE = 1600  # what a news page shows at most, twice for sharp screens
JPEG_QUALITY = 85


def max_bytes() -> int:
    return int(settings.KLIMA["IMAGE_MAX_BYTES"])


def _refuse(message: str) -> DomainError:
    return DomainError("invalid", message)


def clean_image(upload: Any) -> ContentFile[bytes]:
    """The upload drawn anew, ready for a FileField's `save`; `invalid` (on `image`)
    for anything else."""
    limit = max_bytes()
    if upload is None or not hasattr(upload, "read"):
        raise _refuse(_("Bitte wähle ein Bild aus."))
    if getattr(upload, "size", 0) > limit:
        raise _refuse(_("Das Bild ist zu groß (höchstens %(n)d MB).") % {"n": limit // 1_000_000})
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise _refuse(_("Das Bild ist zu groß (höchstens %(n)d MB).") % {"n": limit // 1_000_000})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as opened:
                if opened.format not in ACCEPTED_FORMATS:
                    raise _refuse(_("Bitte lade ein JPEG-, PNG- oder WebP-Bild hoch."))
                width, height = opened.size
                if width * height > MAX_PIXELS:
                    raise _refuse(_("Das Bild hat zu viele Pixel (höchstens 40 Megapixel)."))
                opened.load()
                picture = ImageOps.exif_transpose(opened)
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(_("Das Bild hat zu viele Pixel (höchstens 40 Megapixel).")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _refuse(_("Die Datei ist kein Bild, das wir lesen können.")) from None
    return _encode(picture)


def _encode(picture: Image.Image) -> ContentFile[bytes]:
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    transparent = picture.mode in ("RGBA", "LA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    out = io.BytesIO()
    if transparent:
        picture.convert("RGBA").save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        picture.convert("RGB").save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        extension = "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
