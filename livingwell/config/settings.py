"""Settings for the Living Well platform, read from the environment.

LIVINGWELL_ENV chooses the kind of deployment:
- production: every secret must be given; secure cookies, HSTS and HTTPS redirects are on.
- demo:       the seeded synthetic site served on http://127.0.0.1 by `make demo`.
- test:       the pytest suite.
- development: a developer's machine.
Only demo, test and development may fall back to the well-known insecure secret key.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from livingwell.config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

ENVIRONMENT = env_str("LIVINGWELL_ENV", "development", choices=("production", "demo", "test", "development"))
PRODUCTION = ENVIRONMENT == "production"

_INSECURE_KEY = "insecure-living-well-key-for-demo-test-and-development-only"
SECRET_KEY = env_str("DJANGO_SECRET_KEY") if PRODUCTION else env_str("DJANGO_SECRET_KEY", _INSECURE_KEY)
if PRODUCTION and (SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a unique secret of at least 50 characters in production.")

DEBUG = env_bool("DJANGO_DEBUG", ENVIRONMENT == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be false in production.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the host names in production.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    "livingwell.core",
    "livingwell.accounts",
    "livingwell.network",
    "livingwell.people",
    "livingwell.access",
    "livingwell.support",
    "livingwell.outcomes",
    "livingwell.community",
    "livingwell.collaborative",
    "livingwell.audit",
    "livingwell.messaging",
    "livingwell.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "livingwell.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "livingwell.config.urls"
WSGI_APPLICATION = "livingwell.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "livingwell.config.jinja.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csrf",
                "django.template.context_processors.csp",
                "django.contrib.messages.context_processors.messages",
                "livingwell.core.context_processors.shell",
            ],
        },
    },
    {
        # Django admin (kept for emergencies; site administrators use the platform's own pages).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default; PostgreSQL in production through DATABASE_URL.
VAR_DIR.mkdir(exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'livingwell.sqlite3'}")
if not DATABASE_URL.startswith(("sqlite:", "postgres:", "postgresql:")):
    raise ImproperlyConfigured(
        "DATABASE_URL must start with sqlite:// or postgres://; other databases are not supported."
    )
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers carry on while one writer writes; IMMEDIATE avoids
        # "database is locked" upgrades from read to write inside a transaction.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=5000; PRAGMA cache_size=-64000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    # Hashing dominates test time; argon2 itself is covered by tests that ask for it.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:landing"

# Lockout after repeated failed sign-ins (django-axes), by account and address together.
AXES_FAILURE_LIMIT = env_int("LIVINGWELL_SIGN_IN_ATTEMPTS", 5, minimum=1, maximum=50)
AXES_COOLOFF_TIME = env_int("LIVINGWELL_LOCKOUT_MINUTES", 30, minimum=1, maximum=1440) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "livingwell.accounts.views.locked_out"
AXES_VERBOSE = False

# Sessions and cookies.
SESSION_COOKIE_AGE = env_int("LIVINGWELL_SESSION_MINUTES", 8 * 60, minimum=5, maximum=24 * 60) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = env_bool("LIVINGWELL_SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if PRODUCTION:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env_bool("LIVINGWELL_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("LIVINGWELL_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("LIVINGWELL_BEHIND_PROXY", False) else None
X_FRAME_OPTIONS = "DENY"

# The base map under the community offers map: a tile URL template ({z}/{x}/{y}, and {s} for a
# subdomain) and its attribution (HTML). Empty tiles draw the offers without a base map; the tests do
# that, so that nothing is fetched from outside.
LIVINGWELL_MAP_TILES = env_str(
    "LIVINGWELL_MAP_TILES", "" if ENVIRONMENT == "test" else "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
LIVINGWELL_MAP_ATTRIBUTION = env_str(
    "LIVINGWELL_MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)


def _tile_origin(template: str) -> list[str]:
    """The origin the map's tiles come from, for the CSP (a {s} subdomain becomes a wildcard)."""
    parts = urlsplit(template)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return []
    host = parts.netloc.replace("{s}", "*")
    if "{" in host:
        raise ImproperlyConfigured("LIVINGWELL_MAP_TILES may use {s} in its host name, but no other placeholder.")
    return [f"{parts.scheme}://{host}"]


# Content Security Policy: our own scripts and styles only; the one inline script that the
# NHS.UK frontend needs carries a per-request nonce. Images may also come from the map's tile server.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *_tile_origin(LIVINGWELL_MAP_TILES)],
    "font-src": [CSP.SELF, "https://assets.nhs.uk"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "livingwell.core.storage.StaticStorage"
            if ENVIRONMENT in ("production", "demo")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = ENVIRONMENT in ("development", "test")
# Outside production WhiteNoise looks each file up when it is asked for, instead of scanning every
# static file whenever the middleware starts: the test client starts it once per Client, which made
# that scan most of the suite's time.
WHITENOISE_AUTOREFRESH = ENVIRONMENT in ("development", "test")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LIVINGWELL_LOG_LEVEL", "WARNING")},
}

# Background tasks (django.tasks). By default they wait in a queue kept in the database
# (django-tasks-db) until `manage.py run_worker` runs them; see ADR 9. LIVINGWELL_TASKS=immediate runs
# each task at once inside the request that asks for it, for a machine that runs no worker.
LIVINGWELL_TASKS = env_str("LIVINGWELL_TASKS", "database", choices=("database", "immediate"))
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if LIVINGWELL_TASKS == "database"
            else "django.tasks.backends.immediate.ImmediateBackend"
        ),
    }
}
# A directory refresh still unfinished after this many minutes is taken to have stopped with its worker.
LIVINGWELL_REFRESH_STALE_MINUTES = env_int("LIVINGWELL_REFRESH_STALE_MINUTES", 360, minimum=10, maximum=7 * 24 * 60)

# Living Well settings.
LIVINGWELL_SERVICE_NAME = "Living Well"
# How long break-glass access lasts before it must be asked for again.
LIVINGWELL_BREAK_GLASS_MINUTES = env_int("LIVINGWELL_BREAK_GLASS_MINUTES", 240, minimum=5, maximum=24 * 60)
# Who sends email and text messages to people (a dotted path to a class; see livingwell.messaging.senders).
# The default keeps every message in the outbox, where staff can read it, and sends nothing.
LIVINGWELL_MESSAGE_SENDER = env_str("LIVINGWELL_MESSAGE_SENDER", "livingwell.messaging.senders.OutboxSender")
# The site that the public front door (/introduce/) serves, by slug; empty means the only site.
LIVINGWELL_PUBLIC_SITE = env_str("LIVINGWELL_PUBLIC_SITE", "")
# How many recorded attempts to get in touch before an introduction may be marked "not reached yet".
LIVINGWELL_UNREACHABLE_AFTER_ATTEMPTS = env_int("LIVINGWELL_UNREACHABLE_AFTER_ATTEMPTS", 3, minimum=1, maximum=20)
# When a warm handover to specialist care is followed up, in days after it.
LIVINGWELL_HANDOVER_FOLLOW_UP_DAYS = env_int("LIVINGWELL_HANDOVER_FOLLOW_UP_DAYS", 28, minimum=1, maximum=365)
