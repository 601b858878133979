"""Harbour's settings for development, demos and tests.

Configuration comes from the environment so that one code base serves a laptop
(SQLite, the default) and a council's production (PostgreSQL named by
HARBOUR_DATABASE_URL).
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("HARBOUR_DATA_DIR", PROJECT_DIR / "var"))

# Development only: the production settings refuse to start without their own key.
SECRET_KEY = os.environ.get("HARBOUR_SECRET_KEY", "harbour-development-key-not-for-production")
# Off unless asked for: Django's debug page shows settings and code, never for `make run`.
DEBUG = os.environ.get("HARBOUR_DEBUG", "0") == "1"
# The audit log's lines are MACs under this key, held outside the database so that someone who
# can rewrite the database cannot recompute them. Development only: production needs its own.
HARBOUR_AUDIT_KEY = os.environ.get(
    "HARBOUR_AUDIT_KEY", "harbour-development-audit-key-not-for-production"
)
ALLOWED_HOSTS = os.environ.get("HARBOUR_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "mozilla_django_oidc",
    "harbour.access",
    "harbour.authority",
    "harbour.people",
    "harbour.workforce",
    "harbour.journey",
    "harbour.care",
    "harbour.oversight",
    "harbour.front_door",
    "harbour.returns",
    "harbour.insight",
    "harbour.timescales",
    "harbour.synth",
    "harbour.casework",
    "harbour.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "harbour.web.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After the CSRF check: a form is kept as a draft only once its token has been accepted.
    "harbour.access.middleware.KeepWorkAsDraftMiddleware",
    "harbour.access.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username first
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "harbour.urls"
WSGI_APPLICATION = "harbour.wsgi.application"

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
                "harbour.web.context.service",
            ],
        },
    },
]


def database_from_environment() -> dict:
    url = os.environ.get("HARBOUR_DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'harbour.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers (the web pages) run while a writer (an import) works.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
        }
        # A file, not memory: tests then read it as production does (through connectorx too).
        config["TEST"] = {
            "NAME": os.environ.get("HARBOUR_TEST_SQLITE", str(DATA_DIR / "test.sqlite3"))
        }
    return config


DATABASES = {"default": database_from_environment()}


def audit_checkpoints_from_environment() -> str:
    """Where each audit line's signed checkpoint is appended: outside the database, one file per
    database (a second database in the same data folder must not read the first's)."""
    if path := os.environ.get("HARBOUR_AUDIT_CHECKPOINTS"):
        return path
    if not os.environ.get("HARBOUR_DATABASE_URL"):
        return str(DATA_DIR / "audit-checkpoints.log")
    database = DATABASES["default"]
    named = "-".join(str(database.get(part) or "") for part in ("HOST", "PORT", "NAME"))
    slug = "".join(c if c.isalnum() else "-" for c in named).strip("-")[-80:]
    return str(DATA_DIR / f"audit-checkpoints-{slug}.log")


HARBOUR_AUDIT_CHECKPOINTS = audit_checkpoints_from_environment()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# In development WhiteNoise serves straight from the apps' static folders (production does not).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Signed out after 30 minutes without a request; a form sent after that is kept as a draft.
SESSION_COOKIE_AGE = int(os.environ.get("HARBOUR_SESSION_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Five wrong passwords for a username from one address lock it for 15 minutes; twenty from one
# address, across any usernames, lock the address (harbour/access/lockout.py).
AXES_FAILURE_LIMIT = 5
HARBOUR_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "harbour.access.lockout.AccountAndAddressHandler"
AXES_CLIENT_IP_CALLABLE = "harbour.access.client.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "access/locked_out.html"
AXES_VERBOSE = False


def trusted_proxies_from_environment() -> list[str]:
    """The council's proxies (addresses or CIDRs, comma-separated): only they are believed about
    the client's address (X-Forwarded-For). Empty: every request's address is its peer's."""
    proxies = [p.strip() for p in os.environ.get("HARBOUR_TRUSTED_PROXIES", "").split(",")]
    for proxy in filter(None, proxies):
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"HARBOUR_TRUSTED_PROXIES: {proxy!r} is not an IP address or network (give "
                "addresses or CIDRs separated by commas, like 10.0.0.5,10.1.0.0/16)"
            ) from None
    return [p for p in proxies if p]


HARBOUR_TRUSTED_PROXIES = trusted_proxies_from_environment()

OTP_TOTP_ISSUER = "Harbour"
HARBOUR_TWO_FACTOR_REQUIRED = True
# The demo (synthetic data only) shows each demo user's current code on the sign-in page;
# the production settings turn this off.
HARBOUR_DEMO_CODES = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Single sign-on through the council's OpenID Connect provider, where it has one.
OIDC_ENABLED = bool(os.environ.get("HARBOUR_OIDC_CLIENT_ID"))
OIDC_RP_CLIENT_ID = os.environ.get("HARBOUR_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("HARBOUR_OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("HARBOUR_OIDC_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("HARBOUR_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("HARBOUR_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("HARBOUR_OIDC_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("HARBOUR_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SCOPES = "openid email profile"
OIDC_CREATE_USER = False  # accounts are made by the council, and matched by email
# Where the council's provider already asks for a second factor, Harbour does not ask again.
OIDC_PROVIDER_ENFORCES_MFA = os.environ.get("HARBOUR_OIDC_ENFORCES_MFA", "1") == "1"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("harbour.access.oidc.CouncilOIDCBackend")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(OIDC_OP_AUTHORIZATION_ENDPOINT)

HARBOUR_SERVICE_NAME = "Harbour"
# Data to Insight's validators for the returns run in their own environment (`make setup`).
HARBOUR_VALIDATORS_PYTHON = os.environ.get(
    "HARBOUR_VALIDATORS_PYTHON", str(PROJECT_DIR / ".venv-validators" / "bin" / "python")
)
# Returns asked for on the returns page are made in a process of their own.
HARBOUR_RETURNS_IN_BACKGROUND = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HARBOUR_LOG_LEVEL", "WARNING")},
}

# Caches every process serving Harbour shares (no state in a process's memory): tables in the
# database, made by `harbour migrate` (insight's migration 0002 runs createcachetable).
DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"
CACHES = {
    "default": {"BACKEND": DATABASE_CACHE, "LOCATION": "harbour_cache"},
    # Insight's figures, kept a minute (harbour/insight/shared.py), and who asked for new ones.
    "insight": {
        "BACKEND": DATABASE_CACHE,
        "LOCATION": "harbour_insight_cache",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
RATELIMIT_USE_CACHE = "insight"
# How many pages that start new figures (none worked out in the last minute) one person may
# open: django-ratelimit's rate (harbour/insight/views/limits.py).
HARBOUR_INSIGHT_NEW_FIGURES = os.environ.get("HARBOUR_INSIGHT_NEW_FIGURES", "6/m")
