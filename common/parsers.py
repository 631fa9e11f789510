"""The REST API's JSON parser: DRF's, with the strict decoding of common/untrusted.py
and a size limit (DRF reads a JSON body whole, whatever its length)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from common import untrusted
from common.errors import DomainError

MAX_BODY_BYTES = 256 * 1024


class BodyRefused(ParseError):
    """A body this parser will not take; its detail is a translated sentence."""


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read(MAX_BODY_BYTES + 1)
        if len(raw) > MAX_BODY_BYTES:
            raise BodyRefused(
                _("Der Inhalt ist zu groß (höchstens %(n)d KiB).") % {"n": MAX_BODY_BYTES // 1024}
            )
        try:
            return untrusted.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise BodyRefused(_("Der Inhalt ist kein gültiges UTF-8.")) from None
        except DomainError as error:
            raise BodyRefused(error.detail) from None
