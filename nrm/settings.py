"""Settings for the NRM case-management system.

Everything that differs between environments comes from an environment variable with a typed
default (12-factor). The defaults are safe for production; a developer's machine sets DEBUG=1.
With no DATABASE_URL the system uses SQLite and with no REDIS_URL an embedded file-system broker,
both under NRM_VAR_DIR, so it can be tried with no server installed.
"""

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# Where the embedded defaults keep their files (SQLite database, broker queue, uploads).
VAR_DIR = Path(env.str("NRM_VAR_DIR", default=str(BASE_DIR / "var")))

# --- Secret key -----------------------------------------------------------------------------
# A production start without a real secret must fail loudly: a guessable key lets anyone forge
# sessions and password-reset links to victims' records.
_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_celery_beat",
    "accounts",
    "cases",
    "referrals",
    "shelters",
    "repatriation",
    "outcomes",
    "justice",
    "partners",
    "insights",
    "lessons",
    "webhooks",
    "sso",
    "privacy",
    "sla",
    "notifications",
    "audit",
    "reports",
    "exports",
    "core",
    "devdata",
]

MIDDLEWARE = [
    # First: the request id on every log line, then the time of the whole request (core/logs.py,
    # core/metrics.py).
    "core.logs.RequestIdMiddleware",
    "core.metrics.RequestMetricsMiddleware",
    # The client's address behind the configured proxies, for everything after it.
    "core.network.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Refreshes the idle expiry of a session at most once a minute (not a write per request).
    "accounts.middleware.SessionIdleRefreshMiddleware",
    "accounts.middleware.ThaiFirstLocaleMiddleware",
    # Invalid UTF-8, NUL characters and deeply nested JSON: a 400, never a 500 or a silent change.
    "core.input_guard.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's OTPMiddleware, with the user's membership and devices from the cache.
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    "audit.middleware.AuditContextMiddleware",
    # Dashboards, statistics and exports read from the replica, if any (core/db_router.py).
    "core.db_router.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nrm.urls"
WSGI_APPLICATION = "nrm.wsgi.application"

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
                "accounts.context_processors.membership",
                "nrm.menu.menu",
                "notifications.context_processors.unread_count",
            ],
            "builtins": ["core.templatetags.dates"],
        },
    },
]

FORM_RENDERER = "core.forms.BootstrapFormRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores an index's included columns (PostgreSQL reads them from the index alone).
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
    # Web, worker and beat write to one file: WAL lets readers and a writer work together,
    # IMMEDIATE transactions take the write lock up front instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    # PostgreSQL's JIT spends longer compiling the duplicate finder's long name filters than
    # running them (a 1,000-row intake against 200,000 persons: 450 s with it, 35 s without).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Prepared statements: the parameters sent apart from the query (server-side binding), and
    # a query that a connection has run five times is prepared, so that PostgreSQL stops
    # parsing and planning it again on every request (the API lists' PostgreSQL CPU a third
    # lower, docs/PERFORMANCE.md). Django leaves both off unless asked.
    DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5

# PgBouncer in transaction mode in front of PostgreSQL (docs/DEPLOY.md): a connection is a
# server's only for one transaction, so no server-side cursors and no prepared statements, and
# the session settings above go to the role instead (ALTER ROLE nrm_app SET jit = off).
if env.bool("DATABASE_PGBOUNCER", default=False) and "OPTIONS" in DATABASES["default"]:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"]["OPTIONS"].pop("options", None)
    DATABASES["default"]["OPTIONS"].pop("server_side_binding", None)
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None

# A read replica (streaming replication) for dashboards, statistics and exports: only the
# views of NRM_REPLICA_VIEWS read from it, and never after their own request wrote
# (core/db_router.py). Unset, everything reads the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "DISABLE_SERVER_SIDE_CURSORS": DATABASES["default"].get(
            "DISABLE_SERVER_SIDE_CURSORS", False
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["core.db_router.ReplicaRouter"]
NRM_REPLICA_VIEWS = env.list(
    "NRM_REPLICA_VIEWS",
    default=[
        "reports:*",
        "api:dashboard",
        "audit:export",
        "cases:export",
        "referrals:export",
        "shelters:placements_export",
    ],
)
NRM_REPLICA_APPS = {"cases", "referrals", "shelters", "sla", "audit"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Broker, cache and Celery ---------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
BROKER_DIR = VAR_DIR / "broker"

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 3,
        "socket_timeout": 5,
        "visibility_timeout": 3600,
    }
    CACHES = {
        "default": {
            # A Redis that does not answer is a cache miss, not a 500 (core/cache.py).
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "nrm",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.5},
        }
    }
    # Sessions read from Redis, written to both: the database answers when Redis does not.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Embedded broker: messages are files in one folder shared by web, worker and beat.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # The worker looks for a new file this often (kombu's default, 1 s, let the demo's
        # seeding queue a backlog that took minutes to drain, one message a second).
        "polling_interval": 0.1,
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "nrm_cache",
        }
    }

CELERY_TIMEZONE = "Asia/Bangkok"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# django-celery-beat's DatabaseScheduler, run only by the beat that holds a lock (core/beat.py).
CELERY_BEAT_SCHEDULER = "core.beat:SingleBeatScheduler"
# Periodic work; beat copies these into django-celery-beat's tables, where a sysadmin sees them.
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 15 * 60,
    },
    "clear-expired-tokens": {
        "task": "accounts.tasks.clear_expired_tokens",
        "schedule": 15 * 60,
    },
    "sweep-deadlines": {
        "task": "sla.tasks.sweep_deadlines",
        "schedule": 60,
    },
    "deliver-outbox": {
        "task": "notifications.tasks.deliver_outbox",
        "schedule": 60,
    },
    "deliver-webhooks": {
        "task": "webhooks.tasks.deliver_webhooks",
        "schedule": 60,
    },
    "expire-access-grants": {
        "task": "cases.tasks.expire_access_grants",
        "schedule": 60,
    },
    "count-national-dashboard": {
        "task": "reports.tasks.count_national_dashboard",
        "schedule": 60,
    },
    # The stage figures' rows (insights/spans.py): the figures are as old as this at most.
    "count-stage-spans": {
        "task": "insights.tasks.count_stage_spans",
        "schedule": 10 * 60,
    },
    "purge-intake-batches": {
        "task": "cases.tasks.purge_intake_batches",
        "schedule": 6 * 60 * 60,
    },
    "purge-export-files": {
        "task": "exports.tasks.purge_export_files",
        "schedule": 60 * 60,
    },
    # Records past their retention time after a case closed (privacy), once a day.
    "run-retention": {
        "task": "privacy.tasks.run_retention",
        "schedule": 24 * 60 * 60,
    },
    # Beat -> broker -> worker, end to end: /readyz and the metrics report its age.
    "worker-heartbeat": {
        "task": "core.tasks.record_heartbeat",
        "schedule": 30,
    },
}
# A list's Excel file of more rows than this is prepared by a worker, not during the request
# (exports/services.py; a national list takes about a minute, docs/PERFORMANCE.md).
NRM_EXPORT_IMMEDIATE_ROWS = env.int("NRM_EXPORT_IMMEDIATE_ROWS", default=5000)
# Tests and one-off scripts may run tasks inline; never in a deployment.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"

# Single sign-on through an organisation's OpenID Connect provider (Keycloak, ThaID, ...):
# off unless NRM_OIDC_CLIENT_ID is set (docs/DEPLOY.md). It signs in existing accounts only,
# named by the claim NRM_OIDC_USERNAME_CLAIM; central reviewers and sysadmins keep signing in
# locally with their second factor (sso.services).
OIDC_RP_CLIENT_ID = env.str("NRM_OIDC_CLIENT_ID", default="")
NRM_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
NRM_OIDC_USERNAME_CLAIM = env.str("NRM_OIDC_USERNAME_CLAIM", default="preferred_username")
NRM_OIDC_ORGANISATIONS = env.list("NRM_OIDC_ORGANISATIONS", default=[])
OIDC_RP_SCOPES = "openid email profile"
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
if NRM_OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env.str("NRM_OIDC_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("NRM_OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("NRM_OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("NRM_OIDC_USERINFO_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("NRM_OIDC_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env.str("NRM_OIDC_SIGN_ALGO", default="RS256")
    AUTHENTICATION_BACKENDS.insert(1, "sso.backends.MappedUserBackend")
LOGOUT_REDIRECT_URL = "accounts:login"

# Django's rules, worded in accounts/passwords.py (Django's Thai catalogue lacks them).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.NumericPasswordValidator"},
]

# django-guardian holds only explicit per-case grants (DESIGN.md §6); organisation scoping is
# a plain queryset filter. No anonymous user row, and a global permission never opens a case.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Repeated failed sign-ins lock the user name from that address for a while (django-axes):
# a shared office address does not lock everyone, and a guessed name does not lock its owner
# out from elsewhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-factor authentication (TOTP, django-otp): required for central reviewers and
# sysadmins, for everyone when NRM_MFA_FOR_ALL is set. NRM_REQUIRE_MFA=0 lifts it for demos and
# automated tests only: it is ignored when DEBUG is off.
NRM_REQUIRE_MFA = env.bool("NRM_REQUIRE_MFA", default=True) or not DEBUG
NRM_MFA_FOR_ALL = env.bool("NRM_MFA_FOR_ALL", default=False)
OTP_TOTP_ISSUER = "NRM"

# Sessions end after inactivity: a provincial office PC is often shared.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
# The idle expiry is refreshed by accounts.middleware.SessionIdleRefreshMiddleware, at most once a
# minute: saving the session on every request would write a row on every page and API call.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# --- Security headers (production defaults; check --deploy passes with DEBUG off) -----------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is
# believed (core/network.py): the audit log and the sign-in lockout then see the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Health probes and Prometheus come from inside the network over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# Content-Security-Policy: every script, style, font and image comes from the app itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
# locale_vendor: Thai for packages that ship none (django-celery-beat; bin/vendor-messages).
# Listed second, so our own catalogue wins a msgid both have, and makemessages writes only locale/.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
# Front-end packages come from npm (package-lock.json) at install time and are served by the
# app itself: provincial offices may have no internet, so there is no CDN.
NODE_MODULES = BASE_DIR / "node_modules"
STATIC_URL = "static/"
# In development the finders serve the files straight from their folders; production serves
# the collected, hashed and compressed copies (collectstatic) through WhiteNoise.
STATIC_ROOT = None if DEBUG else Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    # Type-ahead for the long selects (languages): static/js/typeahead.js.
    ("vendor/tom-select/js", NODE_MODULES / "tom-select" / "dist" / "js"),
    ("vendor/tom-select/css", NODE_MODULES / "tom-select" / "dist" / "css"),
    ("vendor/sarabun", NODE_MODULES / "@fontsource" / "sarabun"),
    # Burmese, Lao and Khmer names are shown in their own script: offices' PCs lack the fonts.
    ("vendor/noto-sans-myanmar", NODE_MODULES / "@fontsource" / "noto-sans-myanmar"),
    ("vendor/noto-sans-lao", NODE_MODULES / "@fontsource" / "noto-sans-lao"),
    ("vendor/noto-sans-khmer", NODE_MODULES / "@fontsource" / "noto-sans-khmer"),
]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "core.static.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded documents on S3-compatible object storage (MinIO, Ceph, a cloud's) when a bucket is
# named, so that every web and worker container reads the same files without a shared disk.
# Credentials the usual AWS way (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's
# role). Objects are private; the app serves them only through its access-checked view.
NRM_S3_BUCKET = env.str("NRM_S3_BUCKET", default="")
if NRM_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": NRM_S3_BUCKET,
            "endpoint_url": env.str("NRM_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("NRM_S3_REGION", default="") or None,
            "location": env.str("NRM_S3_PREFIX", default="media"),
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"}
            if env.bool("NRM_S3_ENCRYPT", default=True)
            else {},
        },
    }

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="NRM <no-reply@nrm.localhost>")
# The address people open the system at, for links in e-mails.
NRM_SITE_URL = env.str("NRM_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Webhooks go to public HTTPS addresses only; this lets them reach http:// and the local and
# private networks, for tests and development; ignored when DEBUG is off.
NRM_WEBHOOKS_ALLOW_LOCAL = env.bool("NRM_WEBHOOKS_ALLOW_LOCAL", default=False) and DEBUG
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a request without credentials gets 401 with WWW-Authenticate.
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.UserRateThrottle",
        "core.throttling.AddressRateThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.NewestFirstPagination",
    "PAGE_SIZE": 25,
}
# API rate limits (429 with a message in the user's language beyond them), counted in the
# cache: per user, and per client address (an office behind one address: set it higher).
NRM_API_RATES = {
    "user": env.str("NRM_API_RATE_PER_USER", default="600/minute"),
    "address": env.str("NRM_API_RATE_PER_ADDRESS", default="1200/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NRM case management API",
    "DESCRIPTION": "Thailand's National Referral Mechanism for victims of trafficking.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DischargeReasonEnum": "shelters.models.DischargeReason",
        "DeclineReasonEnum": "referrals.models.DeclineReason",
        # Named once for the referral and its list form alike.
        "ReferralStateEnum": "referrals.workflow.State",
        "ReferralKindEnum": "referrals.models.Kind",
        "RepatriationStatusEnum": "repatriation.workflow.Status",
        "OutcomeAnswerEnum": "outcomes.models.Answer",
        "CountryEnum": "cases.reference.country_choices",
        "ScreeningStatusEnum": "cases.workflow.ScreeningStatus",
        "BreachStatusEnum": "privacy.workflow.BreachStatus",
        "SubjectRequestStatusEnum": "privacy.workflow.RequestStatus",
        "SubjectRequestKindEnum": "privacy.models.RequestKind",
        "SubjectRequestDecisionEnum": "privacy.models.Decision",
        "BlockerReasonEnum": "insights.models.Reason",
        "InterfaceLanguageEnum": "nrm.settings.LANGUAGES",
        "CaseStatusEnum": "cases.workflow.CaseStatus",
        "IntakeBatchStatusEnum": "cases.workflow.IntakeBatchStatus",
        "CarePlanStatusEnum": "shelters.models.CarePlanItem.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api_schema.document_standard_errors",
    ],
}

# --- Demo data ------------------------------------------------------------------------------
NRM_DEMO_PASSWORD = env.str("NRM_DEMO_PASSWORD", default="nrm-demo-2025")

# How long an API token works after it is issued. Tokens are django-rest-knox's: only a hash
# of each is stored; a user may hold several (one per device), lists and revokes them.
NRM_API_TOKEN_HOURS = env.int("NRM_API_TOKEN_HOURS", default=12)
# An administrator's password-reset link works once, for a day.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(hours=NRM_API_TOKEN_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 10,
}

# --- Operations: metrics, readiness, logs -----------------------------------------------------
# /metrics answers only `Authorization: Bearer <this>`; unset, the endpoint does not exist.
NRM_METRICS_TOKEN = env.str("NRM_METRICS_TOKEN", default="")
# /readyz says "degraded" when no worker has run beat's heartbeat task (every 30 s) for this
# long, or when an e-mail has been due in the outbox for this long.
NRM_HEARTBEAT_STALE_SECONDS = env.int("NRM_HEARTBEAT_STALE_SECONDS", default=180)
NRM_OUTBOX_STALE_SECONDS = env.int("NRM_OUTBOX_STALE_SECONDS", default=900)

# One JSON object a line in production (LOG_FORMAT=json, for a log collector), plain text on a
# developer's machine; both carry the request id (core/logs.py), in the web and in the tasks
# that a request queued.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.logs.RequestIdFilter"},
        "expected_refusal": {"()": "core.logs.ExpectedRefusalFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Through the root's handler only: Django's own console handler (DEBUG) printed every
        # line of its loggers a second time.
        "django": {"handlers": [], "level": "NOTSET"},
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["expected_refusal"]},
    },
}
# The worker logs through the handler above (JSON, request ids), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
