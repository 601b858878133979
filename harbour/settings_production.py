"""Production settings: a council's Harbour behind its proxy, on PostgreSQL.

Everything secret or site-specific comes from the environment; nothing of the demo (codes shown
on the sign-in page, the development key) is possible here.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from harbour.settings import *  # noqa: F403 (the shared settings, then what production changes)
from harbour.settings import MIDDLEWARE

DEBUG = False
HARBOUR_DEMO_CODES = False

SECRET_KEY = os.environ.get("HARBOUR_SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("harbour-development"):
    raise ImproperlyConfigured(
        "HARBOUR_SECRET_KEY must be set to a random value of at least 50 characters "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')"
    )
HARBOUR_AUDIT_KEY = os.environ.get("HARBOUR_AUDIT_KEY", "")
if (
    len(HARBOUR_AUDIT_KEY) < 32
    or HARBOUR_AUDIT_KEY.startswith("harbour-development")
    or HARBOUR_AUDIT_KEY == SECRET_KEY
):
    raise ImproperlyConfigured(
        "HARBOUR_AUDIT_KEY must be set to a random value of at least 32 characters, not the "
        "secret key, and kept outside the database: it signs the audit log"
    )
ALLOWED_HOSTS = [h for h in os.environ.get("HARBOUR_ALLOWED_HOSTS", "").split(",") if h]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("HARBOUR_ALLOWED_HOSTS must name the host(s) Harbour serves")
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("HARBOUR_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
MIDDLEWARE = list(MIDDLEWARE)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HARBOUR_LOG_LEVEL", "INFO")},
    # The audit log's checkpoints, for the council's log store: whatever the level of the rest.
    "loggers": {
        "harbour.audit.checkpoint": {"handlers": ["console"], "level": "INFO", "propagate": False}
    },
}
