"""Which `Origin` may open a browser's websocket: the site's own (PROTOCOL.md, Connection).

A handshake that carries the session cookie is accepted only from a page of this
site, or else any site a user visits could open a socket in their name (cross-site
websocket hijacking). "This site" is compared in full, scheme, host and port:

- the origin the browser connected to: `http` for `ws`, `https` for `wss` (or when
  the proxy in front says `X-Forwarded-Proto: https`, DJANGO_BEHIND_PROXY), with
  the host and port of its `Host` header, that host being one of
  DJANGO_ALLOWED_HOSTS;
- or one of DJANGO_CSRF_TRUSTED_ORIGINS, written out in full
  (`https://klima.example.org`), for a page served from another origin.

So `http://localhost:9999` or `https://127.0.0.1` do not open a socket on a server at
`http://127.0.0.1:8000`, though their host names are allowed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_allowed(scope: dict[str, Any]) -> bool:
    """Whether the handshake's `Origin` is this site's own."""
    headers = {name.lower(): value for name, value in scope.get("headers", [])}
    origin = _normalized(headers.get(b"origin", b"").decode("latin-1"))
    if origin is None:
        return False
    trusted = {_normalized(o) for o in settings.CSRF_TRUSTED_ORIGINS}
    return origin in trusted or origin == _own_origin(scope, headers)


def _own_origin(scope: dict[str, Any], headers: dict[bytes, bytes]) -> str | None:
    """The origin of the page that opened this socket, if this site serves it."""
    domain, port = split_domain_port(headers.get(b"host", b"").decode("latin-1"))
    if not domain or not validate_host(domain, _allowed_hosts()):
        return None
    scheme = "https" if _secure(scope, headers) else "http"
    return _normalized(f"{scheme}://{domain}:{port}" if port else f"{scheme}://{domain}")


def _secure(scope: dict[str, Any], headers: dict[bytes, bytes]) -> bool:
    if scope.get("scheme") in ("wss", "https"):
        return True
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if not proxy:
        return False
    name = proxy[0].removeprefix("HTTP_").replace("_", "-").lower().encode()
    return headers.get(name, b"").decode("latin-1").strip().lower() == proxy[1]


def _allowed_hosts() -> list[str]:
    # As Django's own `HttpRequest.get_host`: in debug mode, no list means localhost.
    if settings.DEBUG and not settings.ALLOWED_HOSTS:
        return [".localhost", "127.0.0.1", "[::1]"]
    return list(settings.ALLOWED_HOSTS)


def _normalized(origin: str) -> str | None:
    """`scheme://host:port`, lower case, the port written out; None for what is no
    web origin (`null`, a path, another scheme)."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host or parts.path not in ("", "/"):
        return None
    if parts.query or parts.fragment or parts.username or parts.password:
        return None
    if ":" in host:  # IPv6: urlsplit drops the brackets
        host = f"[{host}]"
    return f"{scheme}://{host}:{port or DEFAULT_PORTS[scheme]}"
