"""The one websocket consumer: parses frames, calls services, sends frames (PROTOCOL.md)."""

from __future__ import annotations

import json
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import public_user
from collab.errors import DomainError
from rooms import frames

CLOSE_UNAUTHENTICATED = 4401


class ProtocolConsumer(AsyncWebsocketConsumer):
    """One per connection; multiplexes every room the client subscribes to."""

    async def connect(self) -> None:
        """Accept, then close with 4401 if nobody is signed in (PROTOCOL.md)."""
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        await self.send_frame(
            frames.hello(user=public_user(user), server_time=timezone.now(), protocol=1)
        )

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Decode one client frame and hand it to its handler."""
        ref = None
        try:
            if text_data is None:
                raise DomainError("invalid", _("Nur JSON-Textframes sind erlaubt."))
            try:
                frame = json.loads(text_data)
            except ValueError:
                raise DomainError("invalid", _("Das ist kein gültiges JSON.")) from None
            if not isinstance(frame, dict):
                raise DomainError("invalid", _("Ein Frame muss ein JSON-Objekt sein."))
            ref = frame.get("ref")
            kind = frame.get("type")
            handler = self.handlers.get(kind) if isinstance(kind, str) else None
            if handler is None:
                raise DomainError("invalid", _("Unbekannter Frame-Typ."))
            await handler(self, frame)
        except DomainError as error:
            await self.send_frame(frames.error(error, ref=ref))

    async def handle_ping(self, frame: dict[str, Any]) -> None:
        await self.send_frame(frames.pong(ref=frame.get("ref")))

    handlers = {"ping": handle_ping}

    async def send_frame(self, frame: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(frame, separators=(",", ":"), ensure_ascii=False))
