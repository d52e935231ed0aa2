"""StudySite settings, read from environment variables.

Local defaults are safe for a developer's machine (debug on, SQLite, loopback hosts). With
``DJANGO_DEBUG=0`` the site refuses to start without ``DJANGO_SECRET_KEY`` and switches on the
HTTPS protections that ``manage.py check --deploy`` asks for.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable; anything unrecognised is a configuration error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_json(name: str) -> dict:
    try:
        return json.loads(os.environ.get(name) or "{}")
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"{name} must be a JSON object: {error}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "")
    return [item.strip() for item in raw.split(",") if item.strip()] or default


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - refused when debug is off

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so that its registration/ templates take precedence over the admin's.
    "studysite",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_htmx",
    "django_tasks_db",
    "quizzes",
    "flashcards",
    "rnnsim",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a login locked out by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an account or address is locked out
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "studysite.urls"
WSGI_APPLICATION = "studysite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            # Content is Markdown everywhere, so every template gets the `markdown` filter.
            "builtins": ["studysite.templatetags.markdown"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent learners: WAL lets readers run beside the writer, IMMEDIATE takes the write lock at
    # the start of a transaction (so it waits instead of failing mid-way), and the timeout bounds the wait.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too, not shared-cache memory, whose table locks fail at once instead of waiting.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One process's memory is the cache by default. REDIS_URL shares a cache between workers and hosts, and
# then sessions are read from it too (and still written to the database, so none is lost).
if REDIS_URL := os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Plots missing from the cache are drawn by a task: at once in the request by default, or queued for
# `manage.py db_worker` with STUDYSITE_TASKS_BACKEND=django_tasks_db.DatabaseBackend (docs/scaling.md).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "STUDYSITE_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Rendered plots go through the default storage: local files, or object storage on several hosts, e.g.
# DJANGO_MEDIA_STORAGE=storages.backends.s3.S3Storage with its OPTIONS as JSON (docs/scaling.md).
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env_json("DJANGO_MEDIA_STORAGE_OPTIONS"),
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Locally, password-reset mail is printed to the console; in production it goes through SMTP.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {
            key.removeprefix("DJANGO_EMAIL_").lower(): value
            for key, value in os.environ.items()
            if key
            in {"DJANGO_EMAIL_HOST", "DJANGO_EMAIL_PORT", "DJANGO_EMAIL_USERNAME", "DJANGO_EMAIL_PASSWORD"}
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "StudySite <noreply@localhost>")

# HTTPS protections: on by default whenever debug is off, each one overridable for a proxy setup.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # load balancers probe workers over plain HTTP
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts, styles, images and fonts come from this site only (plots too: /plots/ streams them from storage);
# no inline script or style attribute runs. The nonce admits the admin's own nonce-tagged elements only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Bounds on what one visitor can cost (README, "Limits"). Rates are "count/period": s, m, h or d.
# django-axes: failed logins, the admin's included, lock out the account and the address for a while.
AXES_FAILURE_LIMIT = int(os.environ.get("STUDYSITE_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("STUDYSITE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks out
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "studysite.throttling.locked_out"
AXES_USERNAME_CALLABLE = "studysite.throttling.login_username"
AXES_CLIENT_IP_CALLABLE = "studysite.throttling.address_of"
# Behind N reverse proxies that each append to X-Forwarded-For, the client is the Nth address from its
# right; 0 (the default) trusts no header and takes the connection's address.
TRUSTED_PROXIES = int(os.environ.get("STUDYSITE_TRUSTED_PROXIES", "0"))
AXES_VERBOSE = False
SIGNUPS_PER_ADDRESS = os.environ.get("STUDYSITE_SIGNUPS_PER_ADDRESS", "10/h")
ATTEMPTS_PER_LEARNER = os.environ.get("STUDYSITE_ATTEMPTS_PER_LEARNER", "20/h")
ATTEMPTS_PER_ADDRESS = os.environ.get("STUDYSITE_ATTEMPTS_PER_ADDRESS", "120/h")
# Plots: uncached renders run at most RENDER_SLOTS at a time per host (rnnsim.render_slots), the lab's
# are rate-limited per client, and plots only the lab asked for are evicted past LAB_STORE_BYTES
# (rnnsim.lab_store).
RENDER_SLOTS = int(os.environ.get("STUDYSITE_RENDER_SLOTS", "1"))
RENDER_SLOT_DIR = os.environ.get(
    "STUDYSITE_RENDER_SLOT_DIR",
    str(
        Path(tempfile.gettempdir())
        / f"studysite-render-slots-{hashlib.sha256(bytes(BASE_DIR)).hexdigest()[:8]}"
    ),
)
LAB_RENDERS_PER_CLIENT = os.environ.get("STUDYSITE_LAB_RENDERS_PER_CLIENT", "60/10m")
LAB_STORE_BYTES = int(os.environ.get("STUDYSITE_LAB_STORE_MB", "200")) * 2**20
# A file without simulations (Anki, CSV, GIFT, Moodle XML) holds each question template as this many
# pre-drawn variants, each a question of its own with a stable GUID.
STUDYSITE_EXPORTED_VARIANTS = int(os.environ.get("STUDYSITE_EXPORTED_VARIANTS", "5"))
# Learners draw each template's variants from a pool of this many, which render_plots renders ahead so
# that feedback never waits for a simulation; 0 draws from every allowed variant, rendered on demand.
STUDYSITE_VARIANT_POOL = int(os.environ.get("STUDYSITE_VARIANT_POOL", "40"))
# Saving a template checks every allowed draw by running it: this long at most for one template, and
# for all the templates of one imported file together (a slow experiment's draw takes a tenth of a second).
STUDYSITE_TEMPLATE_CHECK_SECONDS = float(os.environ.get("STUDYSITE_TEMPLATE_CHECK_SECONDS", "20"))
STUDYSITE_IMPORT_TEMPLATE_SECONDS = float(os.environ.get("STUDYSITE_IMPORT_TEMPLATE_SECONDS", "60"))

# After a confident wrong quiz answer (certainty 3), the cards' next passing review comes back this soon.
STUDYSITE_EARLY_RECHECK_HOURS = float(os.environ.get("STUDYSITE_EARLY_RECHECK_HOURS", "24"))

# FSRS spreads review dates a little, as Anki does, so that cards learned together do not stay together.
FSRS_FUZZING = env_bool("STUDYSITE_FSRS_FUZZING", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # One line per plot drawn ("Rendered plot <key> …"): what shows each plot is drawn once across hosts.
    "loggers": {"rnnsim.figures": {"level": os.environ.get("STUDYSITE_PLOT_LOG_LEVEL", "WARNING")}},
}
