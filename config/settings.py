"""Settings, all from the environment.

Development defaults: DEBUG on, a SQLite file in the checkout. With DEBUG off
the production hardening below is on and SECRET_KEY must be set.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def cache_from_url(url: str) -> dict:
    """A CACHES entry from a URL: redis:// or rediss:// (Django's RedisCache, reusing its redis-py clients:
    api/cache_backends.py), file:///dir, locmem://, dummy://."""
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "api.cache_backends.RedisCache", "LOCATION": url}
    if scheme == "file":
        # Culling lists the directory on every write beyond MAX_ENTRIES: keep it generous.
        location = unquote(urlsplit(url).path)
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": location,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": urlsplit(url).netloc}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, file://, locmem:// or dummy://: {url!r}"
    )


def env_rate(name: str, default: str) -> str | None:
    value = os.environ.get(name) or default
    return None if value.lower() == "none" else value


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "strawberry_django",
    "knox",
    "simple_history",
    "import_export",
    "axes",
    "corsheaders",
    "csp",
    "treaty",
    "api",
    "benchmark",  # the benchmark's data generator (manage.py benchmark_data) and floor view
]

MIDDLEWARE = [
    # /healthz and /readyz: before everything else, so probes are cheap, never throttled, and need no Host.
    "api.health.HealthCheckMiddleware",
    # Which database the request reads: a replica, or the primary for writers (api/replicas.py).
    "api.replicas.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (built once: api/security_headers.py) and Permissions-Policy on every answer (the
    # HTML pages are what they protect).
    "api.security_headers.SitePolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Before anything that may answer, so every answer (a 429 too) carries the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    # Static files (the admin's, Swagger UI's, Redoc's) served by the app, with DEBUG off too.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # API requests: a time budget (REQUEST_TIMEOUT), then outages and timeouts answered 503 (api/outages.py).
    "api.timeouts.RequestTimeoutMiddleware",
    "api.outages.OutageMiddleware",
    # Rate limits for /api/ and /graphql/ (api/throttles.py), before the response cache so cached answers count.
    "api.throttles.ThrottleMiddleware",
    "api.limits.BodySizeLimitMiddleware",
    "api.middleware.InputLimitsMiddleware",
    # Public GET responses from the shared cache (api/caching.py).
    "api.caching.PublicResponseCacheMiddleware",
    # Inside the cache, so the answers it keeps carry their Vary.
    "api.middleware.VaryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records who made each change (the API's token user too: DRF passes it on to the request).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out login.
    "axes.middleware.AxesMiddleware",
]

# The admin login locks an address out after AXES_FAILURE_LIMIT wrong passwords in a row, for AXES_COOLOFF_TIME
# (django-axes; the attempts are kept in the database). The address is the throttles' (api/throttles.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "api.throttles.client_address"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    return dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True)


DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Read replicas (PostgreSQL streaming standbys of the primary): public reads go to them, writes and a writer's
# reads to the primary (api/replicas.py). In tests each mirrors the primary.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    DATABASES[f"replica{number}"] = {**database_from_url(url), "TEST": {"MIRROR": "default"}}
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = ["api.replicas.ReplicaRouter"] if DATABASE_REPLICAS else []
# A request's time budget in seconds (api/timeouts.py; 0: none), and the database's budget for one SQL statement
# in milliseconds (PostgreSQL's statement_timeout; 0: none). Beyond either the client gets a 503. A WSGI server's
# own worker timeout must be longer, or it kills the worker first.
REQUEST_TIMEOUT = float(os.environ.get("REQUEST_TIMEOUT", "10"))
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "5000"))
# How alike a misspelt name must be to a stored name or alias for search to find it (pg_trgm's word similarity,
# treaty.queries.search). Set on each PostgreSQL connection, so that the indexable %> operator uses it too.
SEARCH_SPELLING_SIMILARITY = 0.5
for alias, database in DATABASES.items():
    if database["ENGINE"] != "django.db.backends.postgresql":
        continue
    server_settings = [f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT}"] if DATABASE_STATEMENT_TIMEOUT else []
    server_settings.append(f"-c pg_trgm.word_similarity_threshold={SEARCH_SPELLING_SIMILARITY}")
    # No JIT compilation: it pays off for analytical queries that run for many seconds, while a request here
    # is bounded to a page. At 10,000x the seed, compiling positions?q=territory took 1.5 of its 3.8 seconds.
    server_settings.append("-c jit=off")
    if alias == "default" and DATABASE_REPLICAS:
        # A commit returns once the replicas have applied it (those the primary's synchronous_standby_names
        # names), so no reader sees the new data version on a replica without the data (api/replicas.py).
        server_settings.append("-c synchronous_commit=remote_apply")
    if server_settings:
        options = database.setdefault("OPTIONS", {})
        options["options"] = " ".join([options.get("options", ""), *server_settings]).strip()

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
if not DEBUG:
    # Hashed names (cached forever by browsers and CDNs) and compressed copies; needs `collectstatic` first.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# The shared cache: Redis in production (CACHE_URL=redis://…). The embedded default is a directory of files,
# which needs nothing running and still agrees across the worker processes of one machine (a per-process memory
# cache would not: each worker would count throttles and data versions of its own).
CACHES = {
    "default": {
        **cache_from_url(os.environ.get("CACHE_URL") or f"file://{BASE_DIR / 'var' / 'cache'}"),
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "treaty"),
    }
}
# How long a cached public response is kept; any change to the data makes it unreachable at once anyway
# (api/caching.py). 0 turns the response cache off.
RESPONSE_CACHE_SECONDS = int(os.environ.get("RESPONSE_CACHE_SECONDS", "3600"))
# How long a list's count is kept, under the data version like a cached response (api/counts.py), so
# the pages of a filtered list count its matches once per change of the data, not on every page. 0: count always.
COUNT_CACHE_SECONDS = int(os.environ.get("COUNT_CACHE_SECONDS", str(RESPONSE_CACHE_SECONDS)))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Set only by manage.py benchmark: mounts its floor view (benchmark/floor.py).
BENCHMARK_FLOOR_DIR = os.environ.get("BENCHMARK_FLOOR_DIR", "")

# Production hardening, on whenever DEBUG is off (each can be turned off behind a TLS proxy that does it).
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# GraphQL (strawberry-django): list page size when none is asked for and the most one may ask for (as REST);
# model help texts document the fields.
STRAWBERRY_DJANGO = {
    "PAGINATION_DEFAULT_LIMIT": 20,
    "PAGINATION_MAX_LIMIT": 100,
    "FIELD_DESCRIPTION_FROM_HELP_TEXT": True,
}

# REST API v1 (api/rest/): JSON, strict parameters, problem-details errors. Anyone reads; writes need an API
# token (django-rest-knox, stored hashed, with an expiry) of a user whose role has the model permission.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["api.rest.renderers.FastJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    # Rate limits are api.throttles.ThrottleMiddleware's, for REST and GraphQL alike.
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.rest.pagination.TreatyPagination",
    "EXCEPTION_HANDLER": "api.rest.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.rest.schema.TreatyAutoSchema",
    "URL_FORMAT_OVERRIDE": None,
}

# Requests per client to /api/ and /graphql/ (api/throttles.py): anonymous ones by address, token holders by user,
# and requests with a bad token by address; "none" turns a limit off. 429 with Retry-After beyond.
THROTTLE_RATES = {
    "anon": env_rate("THROTTLE_ANON_RATE", "120/minute"),
    "user": env_rate("THROTTLE_USER_RATE", "600/minute"),
    "auth_failure": env_rate("THROTTLE_AUTH_FAILURE_RATE", "10/minute"),
}
# Addresses or networks of the proxies in front of the app: only requests from them have X-Forwarded-For read for
# the client's address. Empty: the peer's address is the client's, whatever the headers say.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

# CORS (django-cors-headers): any site's scripts may read the public APIs. No cookies cross (credentials off), so a
# cross-site script can only act as the API token it holds. Writes from browsers (PUT, PATCH, DELETE with a token)
# are allowed only with CORS_ALLOW_WRITES; POST stays allowed because GraphQL queries use it.
CORS_URLS_REGEX = r"^/(api/v1|graphql)/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS", "POST"] + (
    ["PUT", "PATCH", "DELETE"] if env_bool("CORS_ALLOW_WRITES", False) else []
)
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Location",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
]
CORS_PREFLIGHT_MAX_AGE = 86400

# Content-Security-Policy (django-csp) for the HTML pages: the home page, GraphiQL, Swagger UI, Redoc, the admin.
# Everything they load comes from this site (no CDN: they work offline); no inline or eval'd script, no plugins,
# no framing, forms post here only. Inline styles are allowed: Swagger UI, Redoc (styled-components) and GraphiQL
# (CodeMirror) set them from their scripts. Redoc runs its search in a worker made from a blob: URL.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page here needs any of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

# Bodies sent to the API (/api/, /graphql/) above this size are refused with 413 before they are read.
API_MAX_BODY_SIZE = int(os.environ.get("API_MAX_BODY_SIZE", str(1024 * 1024)))

# Admin import/export (django-import-export): an import runs in one transaction, all rows or none; importing
# needs the permission to add records, exporting the permission to view them.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

REST_KNOX = {
    "TOKEN_TTL": timedelta(days=int(os.environ.get("API_TOKEN_DAYS", "90"))),
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Treaty API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "A curated, citable dataset of treaty negotiations: proposals and their clauses, each party's stance on "
        "each clause over time, events, and the sources every fact is taken from.\n\n"
        "**Resources** are looked up by slug and read by anyone. Lists show related records as slugs; detail pages "
        "show them in a compact expanded form. Every list is paginated (`page`, `page_size`: 20 by default, "
        "at most 100), takes `q` for free-text search (at most 200 characters), `ordering`, and the filters it "
        "documents; any other query parameter is refused.\n\n"
        "**Dates** come with a precision (day, week, month, year): a month-precise date is given as the 1st of "
        "the month, a week-precise one as its Monday.\n\n"
        "**Errors** are problem details (RFC 9457, `application/problem+json`) with `type`, `title`, `status`, "
        "`detail` and, for bad parameters, `errors` by parameter: 400 for a malformed or unknown parameter, "
        "404 for an unknown slug (in the path or in a filter) or a page past the last, 405 for a method an "
        "endpoint does not allow.\n\n"
        "**Writing** (curators): editors create and change records, administrators also delete them, with an API "
        "token in `Authorization: Token <token>` (401 without a valid one, 403 without the role). A change or "
        "delete sends the record's `ETag` (from its GET) in `If-Match`: 428 without it, 412 when someone changed "
        "the record since. Invalid records get a 400 whose `errors` names each bad field.\n\n"
        "**Caching**: every successful GET has an `ETag` naming the bytes sent; send it in `If-None-Match` to get 304 "
        "Not Modified while nothing changed. Public answers say `Cache-Control: public, no-cache`: caches may keep "
        "them but revalidate on every use.\n\n"
        "**Limits**: too many requests from one client (by address, or by user with a token; REST and GraphQL "
        "counted together) get 429 with `Retry-After`, and every answer tells the limit in `RateLimit-Limit`, "
        "`RateLimit-Remaining` and `RateLimit-Reset` (also as `X-RateLimit-*`); repeated requests with a bad "
        "token from one address get 429 too; a request body over the size limit (1 MiB by default) gets 413. A "
        "request has a time budget (10 seconds by default): past it, and while the database or cache is "
        "unavailable, the answer is 503 with `Retry-After`."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.rest.schema.reference_enum_components",
    ],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "treaty.choices.DatePrecision",
        "PartyKindEnum": "treaty.choices.PartyKind",
        "PartyRoleEnum": "treaty.choices.PartyRoleKind",
        "SourceKindEnum": "treaty.choices.SourceKind",
        "ProposalKindEnum": "treaty.choices.ProposalKind",
        "ProposalStatusEnum": "treaty.choices.ProposalStatus",
        "StageEnum": "treaty.choices.Stage",
        "ClauseStateEnum": "treaty.choices.ClauseState",
        "ChangeKindEnum": "treaty.choices.ChangeKind",
        "DiffChangeEnum": "treaty.analyses.DiffChange",
        "DirectionEnum": "treaty.choices.Direction",
        "FirmnessEnum": "treaty.choices.Firmness",
        "SourceTierEnum": "treaty.choices.SourceTier",
        "ConfidenceEnum": "treaty.choices.Confidence",
        "SupportEnum": "treaty.choices.Support",
        "BasisEnum": "treaty.choices.Basis",
        "EventKindEnum": "treaty.choices.EventKind",
        "QuantityQualifierEnum": "treaty.choices.QuantityQualifier",
        "TimelineEntryTypeEnum": [("event", "event"), ("proposal", "proposal")],
        "RevisionActionEnum": [("created", "created"), ("changed", "changed"), ("deleted", "deleted")],
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_traceback": {"()": "config.logfilters.WithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "console_without_traceback": {"class": "logging.StreamHandler", "filters": ["without_traceback"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING").upper()},
    "loggers": {
        # Django's own messages once, not also through Django's default console handler (runserver's "Watching…").
        "django": {"handlers": ["console"], "level": "INFO" if DEBUG else "WARNING", "propagate": False},
        # A suspicious request (bad Host header, too many fields…) is the client's fault, answered 400.
        "django.security": {"handlers": ["console_without_traceback"], "level": "WARNING", "propagate": False},
    },
}
