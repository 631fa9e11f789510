"""Run the server with daphne, configured for the protocol's limits.

    python -m collab.serve --host 127.0.0.1 --port 8000 [daphne options]

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
    from daphne.ws_protocol import WebSocketFactory, WebSocketProtocol

    class InboundLimitedProtocol(WebSocketProtocol):
        """The message size limit is for what clients send, not for what we send."""

        def sendMessage(self, *args: Any, **kwargs: Any) -> Any:
            limit: int = getattr(self, "maxMessagePayloadSize", 0)
            self.maxMessagePayloadSize = 0
            try:
                return super().sendMessage(*args, **kwargs)
            finally:
                self.maxMessagePayloadSize = limit

    class ClosingWebSocketFactory(WebSocketFactory):
        protocol = InboundLimitedProtocol

        def setProtocolOptions(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("failByDrop", False)
            super().setProtocolOptions(*args, **kwargs)

    daphne.server.WebSocketFactory = ClosingWebSocketFactory


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    args, daphne_args = parser.parse_known_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab.settings")
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
