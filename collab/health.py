"""Health endpoints for load balancers and orchestrators.

`/healthz`: the process answers. `/readyz`: the database and the channel layer
answer too; otherwise 503 with the reason, so a balancer stops sending traffic.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from channels.layers import get_channel_layer
from django.db import connection
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger(__name__)
CHECK_TIMEOUT_SECONDS = 2.0


async def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # a thread of the default executor: give the connection back


async def _check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    # The path a hub reads by (realtime.channel_layers): a general channel, received
    # in a batch; so a Redis without BZMPOP (older than 7.0) is "not ready".
    channel = f"readyz.{uuid.uuid4().hex}"
    await layer.send(channel, {"type": "readyz.ping"})
    messages = await layer.receive_many(channel)
    if [message.get("type") for message in messages] != ["readyz.ping"]:
        raise RuntimeError("channel layer returned a different message")


async def readyz(request: HttpRequest) -> JsonResponse:
    checks = {
        # A thread of its own, not the websockets' database thread (realtime.db): a
        # database that does not answer must make readyz say so in CHECK_TIMEOUT_SECONDS
        # (asgiref's threads cannot be abandoned by a timeout), and must not hold up
        # the websocket calls queued behind it.
        "database": asyncio.to_thread(_check_database),
        "channel_layer": _check_channel_layer(),
    }
    failures: dict[str, str] = {}
    for name, check in checks.items():
        try:
            await asyncio.wait_for(check, CHECK_TIMEOUT_SECONDS)
        except Exception as exc:  # any failure means "not ready", with its reason
            logger.warning("readyz: %s failed: %r", name, exc)
            failures[name] = f"{type(exc).__name__}: {exc}".rstrip(": ")
    if failures:
        return JsonResponse({"status": "unavailable", "failures": failures}, status=503)
    return JsonResponse({"status": "ok", "checks": list(checks)})
