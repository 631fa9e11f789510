"""Websocket routes: one multiplexed connection per client at /ws/."""

from django.urls import path

from rooms.consumers import ProtocolConsumer

websocket_urlpatterns = [path("ws/", ProtocolConsumer.as_asgi())]
