"""Settings, read from the environment only (12-factor).

One module for every run mode. The embedded default (no variables set but a
secret key) is SQLite plus the in-memory channel layer; `DATABASE_URL` and
`REDIS_URL` switch to PostgreSQL and Redis. Production only tightens what is
here: see docs/deployment.md for the variables it sets.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no variable; anything but a clear yes or no is a start-up error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (50+ random characters) or, on a "
            "developer machine only, set DJANGO_DEBUG=true."
        )
    SECRET_KEY = "insecure-debug-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "common",
    "accounts",
    "initiatives",
    "rooms",
    "presence",
    "moderation",
    "events",
    "community",
    "memo",
    "search",
    "frontend",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "collab.urls"
ASGI_APPLICATION = "collab.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "frontend.context_processors.header",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite under ASGI needs WAL, IMMEDIATE transactions and a busy timeout, or
# concurrent writers (several websocket sends at once) fail with "database is locked".
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A connection pool per worker process (psycopg_pool, Django >= 5.1): every HTTP
    # request closes its connection, which without a pool means a new PostgreSQL
    # connection (5-10 ms) each time; Django advises against CONN_MAX_AGE under ASGI,
    # and the pool is its answer. The websocket's database threads keep theirs
    # (realtime/db.py), each holding one of the pool's connections.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("KLIMA_DB_POOL_MIN", 2),
        "max_size": env_int("KLIMA_DB_POOL_MAX", 10),
        "timeout": 10,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer, cache -------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Keys of several deployments (or test runs) sharing one Redis stay apart by prefix.
REDIS_PREFIX = os.environ.get("KLIMA_REDIS_PREFIX", "klima")
# channels-redis drops group messages silently over `capacity`; we keep one
# channel per worker process (see realtime/hub.py), so it must hold a burst of
# every room's events on that worker, not one client's.
CHANNEL_CAPACITY = env_int("KLIMA_CHANNEL_CAPACITY", 10_000)
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "realtime.channel_layers.HubRedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # channels-redis blocks 5 s in BZPOPMIN; redis-py 8's default read
                        # timeout is also 5 s, so the two race into TimeoutErrors.
                        "socket_timeout": 30,
                        # redis-py's async pool fails at once when full (100 by default).
                        "max_connections": env_int("KLIMA_REDIS_MAX_CONNECTIONS", 1000),
                    }
                ],
                "prefix": f"{REDIS_PREFIX}:asgi",
                "capacity": CHANNEL_CAPACITY,
                "expiry": 60,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "common.cache.KeptClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_PREFIX,
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "realtime.channel_layers.HubInMemoryChannelLayer",
            "CONFIG": {"capacity": CHANNEL_CAPACITY, "expiry": 60},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Internationalisation: German first, English as fallback ---------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
# Uploads (news pictures): stored through Django's storage API, in MEDIA_ROOT by default.
# With several machines, MEDIA_ROOT is a shared volume (or swap the "default" storage
# for an object store); docs/deployment.md.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
# Django serves /media/ itself unless a proxy in front does (nginx: docs/deployment.md).
KLIMA_SERVE_MEDIA = env_bool("KLIMA_SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "common.pagination.PageNumberPagination",
    # JSON only (the web pages post Django forms to their own views, not to the API).
    "DEFAULT_PARSER_CLASSES": ["common.parsers.StrictJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.api_errors.api_exception_handler",
    # Lifted with the other per-user limits when KLIMA_RATE_LIMITS=off (common/throttles.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "common.throttles.UserThrottle",
        "common.throttles.AnonThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("KLIMA_API_RATE_USER", "200/min"),
        "anon": os.environ.get("KLIMA_API_RATE_ANON", "100/min"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Klima-Community API",
    "DESCRIPTION": "REST API of the Klima-Community server. The websocket protocol is "
    "described in docs/protocol.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # What may be sent and what may come back differ (an initiative is archived by
    # DELETE, never by setting its status): two names for the two sets.
    "ENUM_NAME_OVERRIDES": {
        "InitiativeStatusEnum": "initiatives.models.Initiative.Status",
        "WritableInitiativeStatusEnum": "initiatives.api.WRITABLE_STATUSES",
        "SeatStatusEnum": "events.models.SeatStatus",
        "OfferKindEnum": "community.models.OfferKind",
    },
    # Every operation's error answers, with the one error body (common/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.schema.document_errors",
    ],
}

# --- Security ----------------------------------------------------------------
# Tightened further in production by the variables of docs/deployment.md.
# Database sessions that treat a key with NUL (a quoted cookie escape) as unknown.
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT")
# Load balancers probe workers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The web pages run no inline script and load nothing from another host (django-csp).
# 'self' in connect-src covers the page's own websocket (ws:/wss: of the same host).
# Swagger UI (/api/docs/) ships an inline bootstrap script and the admin inline styles:
# both are left out of the policy rather than loosening it for every page.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs/", "/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Email (password reset, confirming an address) ---------------------------
# Without DJANGO_EMAIL_HOST mails are printed to the console (the demo); docs/deployment.md.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Klima-Community <noreply@localhost>"
)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset or confirmation link holds one day

# --- The community's own settings (KLIMA_*) ---------------------------------
# The city's districts and categories: a JSON file another city replaces.
KLIMA_CITY_FILE = os.environ.get(
    "KLIMA_CITY_FILE", str(BASE_DIR / "initiatives" / "data" / "stuttgart.json")
)
KLIMA = {
    "MESSAGE_MAX_LENGTH": env_int("KLIMA_MESSAGE_MAX_LENGTH", 5000),
    "EDIT_WINDOW_SECONDS": env_int("KLIMA_EDIT_WINDOW_SECONDS", 600),
    "RATE_LIMITS": env_bool("KLIMA_RATE_LIMITS", default=True),
    # Database threads of a worker that post side by side (realtime/db.py); 0: posts go
    # through the one database thread, as on SQLite, which takes one writer at a time.
    "POSTING_THREADS": env_int(
        "KLIMA_POSTING_THREADS",
        2 if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" else 0,
    ),
    # Moderation (docs/moderation.md): posting is limited per user, socket and REST
    # together; a message reported by max(MIN, PERCENT % of the room's members)
    # distinct people is hidden until reviewed; sign-in pauses after repeated failures.
    "POST_RATE_LIMIT": env_int("KLIMA_POST_RATE_LIMIT", 20),
    "POST_RATE_WINDOW_SECONDS": env_int("KLIMA_POST_RATE_WINDOW_SECONDS", 30),
    "AUTO_HIDE_MIN_REPORTS": env_int("KLIMA_AUTO_HIDE_MIN_REPORTS", 3),
    "AUTO_HIDE_PERCENT": env_int("KLIMA_AUTO_HIDE_PERCENT", 5),
    "LOGIN_FAILURES_MAX": env_int("KLIMA_LOGIN_FAILURES_MAX", 5),
    "LOGIN_FAILURES_WINDOW_SECONDS": env_int("KLIMA_LOGIN_FAILURES_WINDOW_SECONDS", 1800),
    # Presence (presence/conf.py says what each does).
    "PRESENCE_TTL_SECONDS": env_int("KLIMA_PRESENCE_TTL_SECONDS", 45),
    "PRESENCE_SWEEP_SECONDS": env_int("KLIMA_PRESENCE_SWEEP_SECONDS", 10),
    "PRESENCE_GRACE_SECONDS": env_int("KLIMA_PRESENCE_GRACE_SECONDS", 5),
    "PRESENCE_LARGE_ROOM": env_int("KLIMA_PRESENCE_LARGE_ROOM", 100),
    "TYPING_THROTTLE_SECONDS": env_int("KLIMA_TYPING_THROTTLE_SECONDS", 3),
    # `@alle` tells an initiative room's members only up to this many (docs/notifications.md).
    "MENTION_ALL_MAX": env_int("KLIMA_MENTION_ALL_MAX", 50),
    # Uploaded pictures (common/images.py): at most this many bytes as sent.
    "IMAGE_MAX_BYTES": env_int("KLIMA_IMAGE_MAX_BYTES", 5_000_000),
}
# Where this server is reached from outside: the links in mails (the Mach-Mit-Memo, sent
# by a command that has no request to take the host from).
KLIMA_SITE_URL = os.environ.get("KLIMA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"without_traceback": {"()": "common.logfilters.WithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "console_brief": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["without_traceback"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("KLIMA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.channels.server": {"level": "WARNING"},
        "django.security": {"handlers": ["console_brief"], "propagate": False},
        "daphne": {"level": "WARNING"},
    },
}
