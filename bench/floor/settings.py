"""Settings of the floor project: the tutorial's, with Redis from the environment.

`REDIS_URL` (default redis://127.0.0.1:6379/0) and `FLOOR_REDIS_PREFIX` (keys of
several runs sharing one Redis stay apart). Channel capacity and the Redis pool
are the library defaults, as the tutorial leaves them.
"""

from __future__ import annotations

import os

SECRET_KEY = os.environ.get("FLOOR_SECRET_KEY", "bench-floor-only-never-deployed")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "daphne",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "channels",
]
ASGI_APPLICATION = "bench.floor.asgi.application"
# AuthMiddlewareStack wants sessions and auth; without a cookie it never queries.
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")],
            "prefix": os.environ.get("FLOOR_REDIS_PREFIX", "asgi"),
        },
    }
}
