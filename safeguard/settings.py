"""Every setting in one module, each read from the environment.

A malformed value stops the process with ImproperlyConfigured rather than being guessed at.
Development mode (SAFEGUARD_DEV=1, which `make demo` sets) relaxes what only makes sense in
production: a throwaway secret key, two-factor for the demo logins, HTTPS-only cookies. DEBUG stays
off (the demo shows the product's own error pages) unless DJANGO_DEBUG=1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("SAFEGUARD_PROJECT_DIR", BASE_DIR.parent))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEV_MODE = env_bool("SAFEGUARD_DEV", False)
# The test suite sets SAFEGUARD_TESTING=1 (tests/conftest.py, the Makefile); pytest's presence is the fallback.
TESTING = env_bool("SAFEGUARD_TESTING", "pytest" in sys.modules)
# Off in the demo too, so it shows the product's own error pages; DJANGO_DEBUG=1 for Django's debug pages.
DEBUG = env_bool("DJANGO_DEBUG", False)

# Without SECRET_KEY, Django refuses to sign anything, and safeguard.wsgi refuses to start: a
# command such as `safeguard rules` still works, a web server does not.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and (DEV_MODE or TESTING):
    SECRET_KEY = "dev-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"  # noqa: S105
elif SECRET_KEY and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if (DEV_MODE or TESTING) else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "safeguard.core",
    "safeguard.ui",
    "safeguard.accounts",
    "safeguard.audit",
    "safeguard.access",
    "safeguard.language",
    "safeguard.children",
    "safeguard.notifications",
    "safeguard.referrals",
    "safeguard.screening",
    "safeguard.missing",
    "safeguard.reports",
    "safeguard.guidance",
    "safeguard.intelligence",
    "safeguard.meetings",
    "safeguard.records",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "safeguard.platform.middleware.RequestIdMiddleware",
    "safeguard.access.memo.RequestMemoMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safeguard.accounts.middleware.SessionPolicyMiddleware",
    "safeguard.accounts.middleware.TwoFactorRequiredMiddleware",
    "safeguard.accounts.step_up.AdminStepUpMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "safeguard.platform.middleware.NoStoreMiddleware",
    "safeguard.platform.middleware.PermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safeguard.urls"
WSGI_APPLICATION = "safeguard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeguard.core.context_processors.navigation",
            ],
        },
    }
]
FORM_RENDERER = "safeguard.ui.renderers.GovukFormRenderer"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    except Exception as exc:  # dj_database_url raises several kinds of error for a bad URL
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SAFEGUARD_SQLITE_PATH", str(PROJECT_DIR / "safeguard.sqlite3")),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
            "CONN_HEALTH_CHECKS": True,
        }
    }
# A streaming read replica for reads that tolerate seconds of lag (reports, review lists):
# safeguard/platform/replica.py, docs/performance.md "Scale-out". Unset: everything reads the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises several kinds of error for a bad URL
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a valid database URL: {exc}") from None
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["safeguard.platform.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor: required for everyone, except that development mode lets the demo logins skip it.
SAFEGUARD_REQUIRE_2FA = env_bool("SAFEGUARD_REQUIRE_2FA", not DEV_MODE)
OTP_TOTP_ISSUER = "Safeguard"
# First sign-in shows the authenticator secret only after a one-time enrolment code an administrator
# issued (admin action or `safeguard enrolment-code USERNAME`); it expires after this many hours.
SAFEGUARD_ENROLMENT_CODE_REQUIRED = env_bool("SAFEGUARD_ENROLMENT_CODE_REQUIRED", not DEV_MODE)
SAFEGUARD_ENROLMENT_CODE_HOURS = env_int("SAFEGUARD_ENROLMENT_CODE_HOURS", 72, minimum=1)
# The admin pages of authenticator devices and backup codes never show the secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions: an idle timeout and an absolute timeout, both in minutes.
SAFEGUARD_IDLE_TIMEOUT_MINUTES = env_int("SAFEGUARD_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
SAFEGUARD_ABSOLUTE_TIMEOUT_MINUTES = env_int("SAFEGUARD_ABSOLUTE_TIMEOUT_MINUTES", 600, minimum=1)
SESSION_COOKIE_AGE = SAFEGUARD_ABSOLUTE_TIMEOUT_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lockout by username after repeated failures, with a finite cool-off.
AXES_FAILURE_LIMIT = env_int("SAFEGUARD_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("SAFEGUARD_LOCKOUT_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "safeguard.accounts.views.locked_out"
AXES_VERBOSE = False
# Lockout is by username (issue 2): many staff share one office address behind NAT, so an
# address-wide lockout would lock out whole teams. See docs/decisions/0003-lockout-by-username.md.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Production hardening; development mode serves plain HTTP on 127.0.0.1.
SECURE_HTTPS = env_bool("SAFEGUARD_HTTPS", not (DEV_MODE or TESTING))
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS and env_bool("SAFEGUARD_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SAFEGUARD_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SAFEGUARD_BEHIND_PROXY", False) else None
# How many reverse proxies in front of the app append to X-Forwarded-For (and may pass X-Request-ID).
# 0: the audit records the socket's peer address and makes its own request ids.
SAFEGUARD_TRUSTED_PROXY_COUNT = env_int("SAFEGUARD_TRUSTED_PROXY_COUNT", 0, minimum=0)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the product uses are switched off (camera, microphone, location…).
SAFEGUARD_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=(), interest-cohort=()"
)
CSRF_FAILURE_VIEW = "safeguard.ui.views.csrf_failure"

from csp.constants import NONCE, NONE, SELF  # noqa: E402

# The local profile draws a map only where a tile server is configured: an https URL template with
# {z}, {x} and {y} (Web Mercator tiles), and the attribution its licence asks for. None by default;
# the ranked tables are always shown. The server's origin is allowed for images below.
SAFEGUARD_MAP_TILE_URL = os.environ.get("SAFEGUARD_MAP_TILE_URL", "")
SAFEGUARD_MAP_ATTRIBUTION = os.environ.get("SAFEGUARD_MAP_ATTRIBUTION", "")
_MAP_ORIGIN = ""
if SAFEGUARD_MAP_TILE_URL:
    if not SAFEGUARD_MAP_TILE_URL.startswith("https://") or not all(
        part in SAFEGUARD_MAP_TILE_URL for part in ("{z}", "{x}", "{y}")
    ):
        raise ImproperlyConfigured("SAFEGUARD_MAP_TILE_URL must be an https:// URL template with {z}, {x} and {y}")
    if not SAFEGUARD_MAP_ATTRIBUTION:
        raise ImproperlyConfigured("SAFEGUARD_MAP_ATTRIBUTION must say whose map tiles they are")
    _MAP_ORIGIN = "https://" + SAFEGUARD_MAP_TILE_URL[len("https://"):].split("/", 1)[0]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_MAP_ORIGIN] if _MAP_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SAFEGUARD_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEV_MODE or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development and tests static files are served from the apps' folders (no collectstatic), with
# DEBUG off as well as on.
WHITENOISE_USE_FINDERS = DEBUG or DEV_MODE or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or DEV_MODE
MEDIA_ROOT = Path(os.environ.get("SAFEGUARD_MEDIA_ROOT", PROJECT_DIR / "media"))
# Uploaded files (profile photos) are never served as public media: only through access-checked views.
SAFEGUARD_PROFILE_PHOTO_MAX_MB = env_int("SAFEGUARD_PROFILE_PHOTO_MAX_MB", 5, minimum=1)
# The longest side a photo may have, in pixels; larger ones are refused before they are decoded.
SAFEGUARD_PHOTO_MAX_PIXELS = env_int("SAFEGUARD_PHOTO_MAX_PIXELS", 6000, minimum=100)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEV_MODE else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "safeguard@localhost")
# Where this deployment is reached: emails carry only a link to it, never a child's details.
SITE_URL = os.environ.get("SAFEGUARD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SAFEGUARD_SITE_URL must start with http:// or https://")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["safeguard.accounts.permissions.IsVerifiedUser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # One object per body, bounded depth (safeguard/api/parsers.py); forms as the browsable API posts them.
    "DEFAULT_PARSER_CLASSES": ["safeguard.api.parsers.ObjectJSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_PAGINATION_CLASS": "safeguard.api.pagination.AuditedPageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "safeguard.api.errors.exception_handler",
    # The browsable API is a development aid only: in production the API answers JSON alone.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEV_MODE else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguard API",
    "DESCRIPTION": "Child records, screenings and referrals, under the same access rules as the web pages.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["safeguard.accounts.permissions.IsVerifiedUser"],
    # Swagger UI's files come from our own static files, so the docs page works under the CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets whose field names ("kind", "status") other apps use too.
    "ENUM_NAME_OVERRIDES": {
        "ReferralStatusEnum": "safeguard.referrals.models.Status",
        "DecisionStatusEnum": "safeguard.referrals.models.DecisionStatus",
        "ApprovalStatusEnum": "safeguard.referrals.models.ApprovalStatus",
        "DecisionKindEnum": "safeguard.referrals.models.DecisionKind",
        "MeetingKindEnum": "safeguard.meetings.models.Kind",
        "MeetingStatusEnum": "safeguard.meetings.models.Meeting.Status",
        "MeetingReportStatusEnum": "safeguard.meetings.models.AgencyReport.Status",
        "MeetingActionStatusEnum": "safeguard.meetings.models.Action.Status",
        "MeetingDecisionKindEnum": "safeguard.meetings.models.Decision.Kind",
        "EntityKindEnum": "safeguard.intelligence.models.EntityKind",
        "LinkKindEnum": "safeguard.intelligence.models.LinkKind",
        "ReturnInterviewStatusEnum": "safeguard.missing.models.ReturnInterview.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SAFEGUARD_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Working days a designated lead or senior manager has to approve or return a decision record
# before it is escalated to their agency's named lead (design decision; docs/decisions/0006).
SAFEGUARD_APPROVAL_DUE_WORKING_DAYS = env_int("SAFEGUARD_APPROVAL_DUE_WORKING_DAYS", 2, minimum=0)

# Meetings (§10, §13; docs/decisions/0015): how soon a strategy discussion follows a referral
# that needs one (working days; red, and amber/green), an initial child protection conference the
# strategy discussion that called for it, how often the panel reviews an open case (calendar days),
# how long after a meeting its invitees may still read the children's records, and report files.
SAFEGUARD_STRATEGY_RED_WORKING_DAYS = env_int("SAFEGUARD_STRATEGY_RED_WORKING_DAYS", 1, minimum=0)
SAFEGUARD_STRATEGY_OTHER_WORKING_DAYS = env_int("SAFEGUARD_STRATEGY_OTHER_WORKING_DAYS", 3, minimum=0)
SAFEGUARD_CONFERENCE_WORKING_DAYS = env_int("SAFEGUARD_CONFERENCE_WORKING_DAYS", 15, minimum=1)
SAFEGUARD_PANEL_REVIEW_DAYS = env_int("SAFEGUARD_PANEL_REVIEW_DAYS", 30, minimum=1)
# The panel agenda's hot spots: places linked to several children over this many days (a quarter).
SAFEGUARD_PANEL_HOT_SPOT_DAYS = env_int("SAFEGUARD_PANEL_HOT_SPOT_DAYS", 90, minimum=1)
SAFEGUARD_MEETING_ACCESS_DAYS = env_int("SAFEGUARD_MEETING_ACCESS_DAYS", 30, minimum=0)
SAFEGUARD_MEETING_ATTACHMENT_MAX_MB = env_int("SAFEGUARD_MEETING_ATTACHMENT_MAX_MB", 10, minimum=1)

# The partnership's designated people for what an agency cannot do alone (issue 10 items 4, 10): the
# senior manager who approves a decision not to refer (§9.5) for an agency that has none, and the
# designated lead told of break glass on a child none of whose agencies has a named lead. Either a
# username ("csclead") or "agency:<agency name>" for the holders of the role in that agency. Empty:
# nobody (a request that needs one is refused, saying so). The demo names its MASH team manager.
def _partnership(name: str, default: str) -> str:
    value = os.environ.get(name, default).strip()
    if value.startswith("agency:") and not value[len("agency:"):].strip():
        raise ImproperlyConfigured(f"{name}: name the agency after 'agency:'")
    return value


SAFEGUARD_PARTNERSHIP_SENIOR_MANAGER = _partnership("SAFEGUARD_PARTNERSHIP_SENIOR_MANAGER", "csclead" if DEV_MODE else "")
SAFEGUARD_PARTNERSHIP_DESIGNATED_LEAD = _partnership(
    "SAFEGUARD_PARTNERSHIP_DESIGNATED_LEAD", "csclead" if DEV_MODE else ""
)

# The audit chain's head is anchored daily (by `safeguard tick`) to this append-only file, outside the
# database; keep a copy where the database owner cannot write. See docs/decisions/0013.
SAFEGUARD_AUDIT_ANCHOR_FILE = Path(
    os.environ.get("SAFEGUARD_AUDIT_ANCHOR_FILE", PROJECT_DIR / "var" / "audit-anchors.log")
)

# CSE training (§1, §11.2; docs/reports.md): the roles whose holders should take each course. Role
# values as in accounts.Role; an unknown value fails the training pages loudly. How long a completion
# stays in date is the rules setting SAFEGUARD_RULE_TRAINING_REFRESH_YEARS (default 3).
SAFEGUARD_TRAINING_AWARENESS_ROLES = env_list(
    "SAFEGUARD_TRAINING_AWARENESS_ROLES",
    ["practitioner", "named_lead", "designated_lead", "senior_manager", "csc_mash", "police_lead",
     "marp_chair", "marp_member"],
)
SAFEGUARD_TRAINING_MULTI_AGENCY_ROLES = env_list(
    "SAFEGUARD_TRAINING_MULTI_AGENCY_ROLES",
    ["named_lead", "designated_lead", "csc_mash", "police_lead", "marp_chair", "marp_member"],
)

# Retention (docs/records.md): how long each kind of child record is kept, in years. The defaults and
# their sources are in safeguard/rules/tables/retention.toml; SAFEGUARD_RETENTION_<RULE>_YEARS changes
# a rule (e.g. SAFEGUARD_RETENTION_NO_CONCERN_YEARS=6), SAFEGUARD_RETENTION_<RULE>_<AGENCY KIND>_YEARS
# one kind of agency's period. The review list looks this many days ahead.
SAFEGUARD_RETENTION_YEARS = {
    key[len("SAFEGUARD_RETENTION_") : -len("_YEARS")].lower(): env_int(key, 0, minimum=1)
    for key in os.environ
    if key.startswith("SAFEGUARD_RETENTION_") and key.endswith("_YEARS")
}
SAFEGUARD_RETENTION_REVIEW_DAYS = env_int("SAFEGUARD_RETENTION_REVIEW_DAYS", 90, minimum=0)
# Step-up: breaking glass, bulk exports and administrator changes ask for the authenticator code
# again when it was last given longer ago than this (docs/security.md). Off where two-factor is off.
SAFEGUARD_STEP_UP_MINUTES = env_int("SAFEGUARD_STEP_UP_MINUTES", 15, minimum=1)

# Thresholds the handbook leaves to local policy; the rules package documents each default.
# Referral timescales (red/amber/green, in working days) are SAFEGUARD_RULE_REFERRAL_TIMESCALE_*_DAYS.
SAFEGUARD_RULES = {
    key[len("SAFEGUARD_RULE_") :].lower(): env_int(key, 0, minimum=0)
    for key in os.environ
    if key.startswith("SAFEGUARD_RULE_")
}

if TESTING:
    # The suite creates hundreds of users; a slow hasher would dominate its run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Files the suite uploads (profile photos) go to a throwaway folder, never the project's media.
    if not os.environ.get("SAFEGUARD_MEDIA_ROOT"):
        import tempfile

        MEDIA_ROOT = Path(tempfile.gettempdir()) / "safeguard-test-media"
    if not os.environ.get("SAFEGUARD_AUDIT_ANCHOR_FILE"):
        import tempfile

        # The suite points each test at its own file (tests/conftest.py); this is only the fallback.
        SAFEGUARD_AUDIT_ANCHOR_FILE = Path(tempfile.gettempdir()) / f"safeguard-test-anchors-{os.getpid()}.log"
