"""Untrusted JSON, decoded one strict way at every door (websocket frames, REST bodies).

What Python's `json` accepts but the server must not:
- nesting deeper than MAX_DEPTH: the parser recurses, and a body of a thousand `[`
  ran it out of stack (a server error on every endpoint);
- lone UTF-16 surrogates (`"\\ud800"` is valid JSON but no character): PostgreSQL
  refuses such text, and a frame holding it cannot be encoded to be sent back;
- NaN and Infinity, which are not JSON.
Everything else is for the fields' own checks (integers: common/validation.py).
"""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn

from django.utils.translation import gettext as _

from common.errors import DomainError

MAX_DEPTH = 16
_SURROGATE = re.compile("[\ud800-\udfff]")


def loads(text: str) -> Any:
    """The JSON value of `text`; `invalid`, with the reason, if it is not acceptable."""
    value = parse(text)
    check(value, text)
    return value


def parse(text: str) -> Any:
    """`text` as JSON, or `invalid`; what the value holds is for `check`."""
    try:
        return json.loads(text, parse_constant=_not_json)
    except RecursionError:
        raise _too_deep() from None
    except ValueError:
        raise DomainError("invalid", _("Das ist kein gültiges JSON.")) from None


def check(value: Any, text: str) -> None:
    """`invalid` if `value`, parsed from `text`, nests too deep or holds a lone surrogate."""
    # Most frames are flat and escape nothing: only then is the walk needed.
    if "\\u" in text or text.count("[") + text.count("{") > MAX_DEPTH:
        _walk(value)


def has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def _not_json(constant: str) -> NoReturn:
    raise ValueError(f"{constant} is not JSON")


def _too_deep() -> DomainError:
    return DomainError(
        "invalid",
        _("Das JSON ist zu tief verschachtelt (höchstens %(n)d Ebenen).") % {"n": MAX_DEPTH},
    )


def _walk(value: Any) -> None:
    """Depth and surrogates, without recursion (the value may be as deep as the parser
    managed)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if has_surrogate(item):
                raise DomainError(
                    "invalid",
                    _("Der Text enthält ein ungültiges Zeichen (ein halbes UTF-16-Paar)."),
                )
        elif isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise _too_deep()
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                stack.extend((child, depth + 1) for child in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)
