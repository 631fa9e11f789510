"""Run the server with daphne (the default) or uvicorn, configured for the protocol's limits.

    python -m collab.serve --host 127.0.0.1 --port 8000 [daphne options]
    python -m collab.serve --server uvicorn --host 127.0.0.1 --port 8000

uvicorn (with uvloop and httptools) is the faster
of the two (bench/: docs/performance.md). It closes frames over 64 KiB with
1009 by itself; permessage-deflate is off, as in daphne: compressing every
broadcast frame once per recipient costs more CPU than the loopback or LAN
between load balancer and worker saves.

daphne:
PROTOCOL.md closes client frames over 64 KiB with code 1009. daphne enforces the
size (`--websocket-max-message-size`), but autobahn, its websocket library,
then drops the TCP connection without a close frame unless its `failByDrop`
option is off, and daphne offers no switch for it. autobahn also applies the
same limit to what the server sends, which would make a long replay (500
events) unsendable. This launcher fixes both and otherwise runs daphne's own
command line unchanged.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

MAX_MESSAGE_BYTES = 65_536


def _close_properly_on_protocol_errors() -> None:
    import daphne.server
    from autobahn.exception import Disconnected
    from daphne.ws_protocol import WebSocketFactory, WebSocketProtocol

    class InboundLimitedProtocol(WebSocketProtocol):
        """The message size limit is for what clients send, not for what we send. And a
        send to a connection closed meanwhile (after a 1009, say) raises what ASGI 2.4
        says it raises, an OSError, which the application expects, not autobahn's own
        `Disconnected`, which it would log as a bug."""

        def sendMessage(self, *args: Any, **kwargs: Any) -> Any:
            limit: int = getattr(self, "maxMessagePayloadSize", 0)
            self.maxMessagePayloadSize = 0
            try:
                return super().sendMessage(*args, **kwargs)
            except Disconnected as gone:
                raise ConnectionResetError("the client has gone") from gone
            finally:
                self.maxMessagePayloadSize = limit

    class ClosingWebSocketFactory(WebSocketFactory):
        protocol = InboundLimitedProtocol

        def setProtocolOptions(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("failByDrop", False)
            super().setProtocolOptions(*args, **kwargs)

    daphne.server.WebSocketFactory = ClosingWebSocketFactory


def _run_uvicorn(host: str, port: int, extra: list[str]) -> None:
    """uvicorn with the protocol's limits. The one further option is daphne's
    `--proxy-headers` (trust X-Forwarded-For from the local proxy), so that the same
    unit file serves both servers."""
    proxy_headers = "--proxy-headers" in extra
    unknown = [arg for arg in extra if arg != "--proxy-headers"]
    if unknown:
        raise SystemExit(f"collab.serve --server uvicorn does not take {unknown}")
    import uvicorn

    uvicorn.run(
        "collab.asgi:application",
        host=host,
        port=port,
        ws="realtime.websocket:LeanWebSocketProtocol",
        ws_max_size=MAX_MESSAGE_BYTES,
        ws_per_message_deflate=False,
        lifespan="off",
        proxy_headers=proxy_headers,
        forwarded_allow_ips="127.0.0.1",
        server_header=False,
        log_level=os.environ.get("KLIMA_LOG_LEVEL", "info").lower(),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--server", choices=["daphne", "uvicorn"], default="daphne")
    args, daphne_args = parser.parse_known_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab.settings")
    if args.server == "uvicorn":
        _run_uvicorn(args.host, int(args.port), daphne_args)
        return
    _close_properly_on_protocol_errors()
    from daphne.cli import CommandLineInterface

    CommandLineInterface().run(
        [
            "--bind",
            args.host,
            "--port",
            str(args.port),
            "--websocket-max-message-size",
            str(MAX_MESSAGE_BYTES),
            "--websocket-max-frame-size",
            str(MAX_MESSAGE_BYTES),
            *daphne_args,
            "collab.asgi:application",
        ]
    )


if __name__ == "__main__":
    main(sys.argv[1:])
