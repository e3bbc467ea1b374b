"""The one settings module of gaoxin, driven by environment variables.

DATABASE_URL  sqlite:///var/gaoxin.sqlite3 (default) or postgres://user:pass@host:5432/name
SECRET_KEY    required when DEBUG is off in production; otherwise kept in var/secret_key
DEBUG         1/true to turn debugging on (default off)
ALLOWED_HOSTS comma-separated (default 127.0.0.1,localhost)
GAOXIN_VAR    where the SQLite database, uploads, cache and generated secret live (default ./var)
"""

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("GAOXIN_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("GAOXIN_VAR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "gaoxin.core",
    "gaoxin.enterprises",
    "gaoxin.investment",
    "gaoxin.statistics",
    "gaoxin.matters",
    "gaoxin.innovation",
    "gaoxin.utilities",
    "gaoxin.demo",  # last: above every module (docs/architecture.md)
]

MIDDLEWARE = [
    "gaoxin.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gaoxin.core.middleware.SessionIdleMiddleware",
    "gaoxin.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gaoxin.core.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gaoxin.core.middleware.KeepTypedFormMiddleware",
    "gaoxin.core.middleware.PartnerDoorMiddleware",
    "gaoxin.core.middleware.PasswordPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gaoxin.core.middleware.CurrentZoneMiddleware",
    "gaoxin.core.throttle.LoginThrottleMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gaoxin.urls"
WSGI_APPLICATION = "gaoxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gaoxin.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gaoxin.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; IMMEDIATE avoids lock-upgrade deadlocks.
    # Connections persist as on PostgreSQL (DB_CONN_MAX_AGE): opening one and running these
    # pragmas for every request was a tenth of a short request's time (bench/load.py).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "gaoxin.core.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gaoxin.core.passwords.CharacterClassValidator"},
    {"NAME": "gaoxin.core.passwords.PasswordHistoryValidator"},
]
# 等保: a password expires after this many days (0: never) and cannot repeat the current one or
# the last PASSWORD_HISTORY_COUNT; a new or reset account changes its password at first sign-in.
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
PASSWORD_HISTORY_COUNT = int(os.environ.get("PASSWORD_HISTORY_COUNT", "5"))

# Login hardening (等保2.0): lock an account after repeated failures, expire idle sessions.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gaoxin.core.views.auth.lockout"
AXES_VERBOSE = False
# ... and throttle failed sign-ins per client address, so nobody can lock every account or try
# one password on all of them cheaply (gaoxin.core.throttle).
LOGIN_THROTTLE_FAILURES = int(os.environ.get("LOGIN_THROTTLE_FAILURES", "20"))
LOGIN_THROTTLE_MINUTES = int(os.environ.get("LOGIN_THROTTLE_MINUTES", "15"))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
# The idle limit counts from the last request; gaoxin.core.middleware.SessionIdleMiddleware keeps
# it, writing the session at most once a minute (not Django's SESSION_SAVE_EVERY_REQUEST).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "gaoxin.core.views.errors.csrf_failure"  # JSON under /api/, Chinese page else
API_TOKEN_HOURS = int(os.environ.get("API_TOKEN_HOURS", "12"))
# Two factors (等保2.0): these roles must sign in (page and API token) with a TOTP code; wrong
# codes lock the verification after AXES_FAILURE_LIMIT tries for the axes cool-off.
OTP_REQUIRED_ROLES = tuple(
    r.strip()
    for r in os.environ.get("OTP_REQUIRED_ROLES", "platform_admin,zone_admin").split(",")
    if r.strip()
)
OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "高新区管理平台")
# The API docs (/api/v1/docs) and schema (/api/v1/openapi.json) are for signed-in users only
# unless API_DOCS_PUBLIC=1: the schema maps every operation an attacker could probe.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CACHES = {
    # File-based so every server worker and the import thread see the same progress figures.
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
# Run page imports in the request instead of a background thread (tests).
IMPORT_SYNC = env_bool("IMPORT_SYNC")
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "30")) * 1024 * 1024
# What the spreadsheet reader opens: the used range from A1 (a far cell would make it allocate
# rows × columns), and, for zip-based files (.xlsx and uploaded .docx/.xlsx), members and size.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "200"))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "5000000"))
IMPORT_MAX_UNCOMPRESSED_MB = int(os.environ.get("IMPORT_MAX_UNCOMPRESSED_MB", "300"))
IMPORT_MAX_ZIP_MEMBERS = int(os.environ.get("IMPORT_MAX_ZIP_MEMBERS", "1000"))
# An import job whose heartbeat is older than this (seconds) is reported failed.
IMPORT_JOB_STALE_SECONDS = int(os.environ.get("IMPORT_JOB_STALE_SECONDS", "120"))
# Project documents (investment): size limit per file, in MB.
DOCUMENT_MAX_MB = int(os.environ.get("DOCUMENT_MAX_MB", "20"))

SHARED_DATA_DIR = Path(
    os.environ.get("GAOXIN_SHARED_DATA", PACKAGE_DIR / "core" / "data")
).resolve()

DJANGO_TABLES2_TEMPLATE = "core/table.html"  # bootstrap5 with the capped count's pager
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-hover table-sm align-middle"}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed;
# behind one, the audit trail, the lockout and the login throttle see the client's address.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a typo fails at start-up, not per request
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# --- HTTPS (SECURE_COOKIES=1): secure cookies, HSTS, redirect to https -----------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SECURE_COOKIES else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_COOKIES
# Preload asks browsers to hard-code the whole domain as https-only: the domain owner opts in.
SECURE_HSTS_PRELOAD = SECURE_COOKIES and env_bool("SECURE_HSTS_PRELOAD")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_COOKIES)
# The local health probe talks plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating proxy the app sees http. X-Forwarded-Proto is believed only when a
# trusted proxy is configured (it must set the header and drop a client's own) or when told so.
if env_bool("SECURE_PROXY_SSL_HEADER", bool(TRUSTED_PROXIES)):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Content-Security-Policy (django-csp): no inline script anywhere ------------------------
# Behaviour lives in static files (core/gaoxin.js, per-module files); data reaches them through
# json_script, which the browser does not run. Inline styles stay allowed: templates set bar
# widths and chart heights, and ECharts' tooltips and Swagger UI write style="" markup.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

PLATFORM_NAME = _("高新区管理平台")
# Modules not installed yet, shown in the menu as coming: (label, Bootstrap icon).
COMING_MODULES = [
    (gettext_noop("科技创新"), "bi-lightbulb"),
    (gettext_noop("水电气"), "bi-lightning-charge"),
    (gettext_noop("考核评价"), "bi-trophy"),
]
# Accounts lock by user name (等保: lock the account after repeated failures), not by address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# HSTS preload (security.W021) hard-codes the whole domain into browsers: the domain owner opts in
# with SECURE_HSTS_PRELOAD=1; an application default must not decide it for a government domain.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
# 等保2.0 keeps audit records at least 180 days: a shorter setting is refused at start-up (system
# check core.E001); `gaoxin purge_audit` (cron) deletes what is older than this.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "1095"))

# --- matters: working days, escalation, e-mail -----------------------------------------------
# Public holidays and make-up working weekends (调休), ISO dates separated by commas; service
# levels count working days (gaoxin.core.workdays).
HOLIDAYS = [d for d in os.environ.get("GAOXIN_HOLIDAYS", "").replace(" ", "").split(",") if d]
WORKDAYS_EXTRA = [
    d for d in os.environ.get("GAOXIN_WORKDAYS_EXTRA", "").replace(" ", "").split(",") if d
]
# An overdue matter is escalated to the zone's leaders after this many days in red.
MATTERS_ESCALATE_AFTER_DAYS = int(os.environ.get("MATTERS_ESCALATE_AFTER_DAYS", "3"))
# Notifications go out by e-mail through SMTP when EMAIL_HOST is set; otherwise they are printed
# on the console (development). Tests use Django's in-memory outbox.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gaoxin@localhost")
# The platform's address in e-mails (links to matters).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
