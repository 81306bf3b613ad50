"""Settings classes. Every setting can be overridden by an environment variable of the same name."""

from __future__ import annotations

import os


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Defaults shared by every environment."""

    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None  # None → SQLite file in the instance folder
    REDIS_URL: str | None = None  # None → background jobs run in-process
    HOME_PROVINCE = "500000"  # GB/T 2260 code of the home province; suppliers there are "local"
    COMPANY_NAME = "示例集团有限公司"
    COMPANY_NAME_EN = ""  # the English company name printed in the disclosure PDF (issue 12, D7)
    # Blacklist reasons counted as terminations for social-responsibility non-compliance (comma-separated in
    # the environment); the default leaves out bid_rigging and fraud (docs/disclosure.md, "Settings").
    DISCLOSURE_SOCIAL_TERMINATION_REASONS = "bribery,illegal_labour,environmental_incident"
    DISCLOSURE_PERCENT_PLACES = 1  # disclosure percentages: 1 decimal or 0 (whole per cent), half up
    DISCLOSURE_REGION_LAYOUT = "seven"  # B5.1 table: seven | hk_macao_overseas | overseas_by_country
    DISCLOSURE_B5_1_POPULATION = "in_supply_chain"  # or "registered" (on the platform at the year end)
    UPLOAD_FOLDER: str | None = None  # None → instance/uploads
    MAX_UPLOAD_MB = 20
    CERT_EXPIRY_WARNING_DAYS = 60
    APPROVAL_LEVELS = 3  # approval levels of an evaluation (1-3, 三级审核)
    DUAL_SOURCING_MINIMUM = 2  # qualified suppliers per category below which it is a single-source risk
    CORRECTIVE_ACTION_DAYS = 90  # due date of corrective actions from a Conditional periodic evaluation
    # Audit findings at or above this severity (minor, major, critical) open a corrective action by themselves,
    # due CORRECTIVE_ACTION_DAYS later (issue 11; docs/audits.md).
    AUDIT_ACTION_SEVERITY = "major"
    SUPPLIERS_PER_PAGE = 50
    # Seconds the supplier list's counts per region are reused for the same scope and filters (0: count on
    # every request). This process's own changes show at once; another worker's after at most this long.
    LIST_COUNTS_SECONDS = 30
    # Seconds the home page's dashboard figures and charts are reused for the same scope and language (0: count
    # on every request). This process's own changes show at once; another worker's after at most this long.
    DASHBOARD_SECONDS = 30
    IMPORT_BACKGROUND_ROWS = 20_000  # web supplier and evidence imports this large are checked and saved by jobs
    LOGIN_RATE_LIMIT = "10 per minute"  # failed logins per client address
    LOGIN_ACCOUNT_RATE_LIMIT = "5 per minute;20 per hour"  # failed logins per account, from any address
    PROXY_COUNT = 0  # reverse proxies in front of the app that set X-Forwarded-* (0: use the peer address)
    REMEMBER_DAYS = 14  # lifetime of the "keep me logged in" cookie
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_FROM = "noreply@example.com"
    BABEL_DEFAULT_LOCALE = "zh"
    LANGUAGES = ("zh", "zh_Hant", "en")  # simplified Chinese, traditional Chinese, English
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "https"
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session
    BOOTSTRAP_SERVE_LOCAL = True  # closed networks: never a CDN
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # The call-log line of a read-only API call commits without waiting for PostgreSQL's disk flush (issue 10).
    API_READ_LOG_ASYNC_COMMIT = True
    # Outages (issue 14): a database or Redis that is down or hung costs seconds, never a killed worker.
    DATABASE_CONNECT_TIMEOUT = 5  # seconds to connect to PostgreSQL
    DATABASE_STATEMENT_TIMEOUT = 20  # seconds a statement may run on PostgreSQL (0: no limit)
    DATABASE_PING_AFTER_IDLE = 10  # seconds a pooled PostgreSQL connection may idle before it is pinged (0: always)
    REDIS_CONNECT_TIMEOUT = 2  # seconds to connect to Redis (rate limits, job queue)
    REDIS_SOCKET_TIMEOUT = 2  # seconds to wait for a Redis answer
    # Redis down: login and the public checks keep working, counting in memory (logged as a warning).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    ATTACHMENT_STORAGE = "disk"  # "disk" (UPLOAD_FOLDER) or "database" (shared by several app servers)
    TESTING = False

    # Names read from the environment (strings unless the default is bool/int).
    ENV_SETTINGS = (
        "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "HOME_PROVINCE", "COMPANY_NAME", "UPLOAD_FOLDER",
        "COMPANY_NAME_EN", "DISCLOSURE_SOCIAL_TERMINATION_REASONS", "DISCLOSURE_PERCENT_PLACES",
        "DISCLOSURE_REGION_LAYOUT", "DISCLOSURE_B5_1_POPULATION",
        "MAX_UPLOAD_MB", "CERT_EXPIRY_WARNING_DAYS", "SUPPLIERS_PER_PAGE", "LOGIN_RATE_LIMIT",
        "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM",
        "SESSION_COOKIE_SECURE", "CJK_FONT_PATH",
        "APPROVAL_LEVELS", "DUAL_SOURCING_MINIMUM", "CORRECTIVE_ACTION_DAYS",
        "PUBLIC_BASE_URL", "EXPORT_FOLDER", "VERIFICATION_SECRET", "REPORT_TIMEZONE",
        "LOGIN_ACCOUNT_RATE_LIMIT", "PROXY_COUNT", "REMEMBER_DAYS",
        "DATABASE_CONNECT_TIMEOUT", "DATABASE_STATEMENT_TIMEOUT", "DATABASE_PING_AFTER_IDLE",
        "REDIS_CONNECT_TIMEOUT", "REDIS_SOCKET_TIMEOUT",
        "ATTACHMENT_STORAGE", "IMPORT_BACKGROUND_ROWS", "SECOND_APPROVAL_FOR_HIGH_IMPACT",
        "AUDIT_ACTION_SEVERITY", "API_READ_LOG_ASYNC_COMMIT", "LIST_COUNTS_SECONDS", "DASHBOARD_SECONDS",
    )
    CJK_FONT_PATH: str | None = None
    PUBLIC_BASE_URL: str | None = None  # the app's public address, printed in scorecard QR codes
    EXPORT_FOLDER: str | None = None  # None → instance/exports
    VERIFICATION_SECRET: str | None = None  # None → SECRET_KEY keys the scorecard verification codes
    REPORT_TIMEZONE = "Asia/Shanghai"  # generation times printed on reports
    # Blacklisting and suspension or exit by hand wait for a second person's approval (issue 13).
    SECOND_APPROVAL_FOR_HIGH_IMPACT = False


class DevelopmentConfig(Config):
    """The embedded default: SQLite in the instance folder, jobs in-process, plain HTTP on localhost."""

    SECRET_KEY = "dev-only-not-secret"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"


class TestingConfig(DevelopmentConfig):
    """Tests: CSRF stays on; the database comes from TEST_DATABASE_URL or a temporary SQLite file."""

    TESTING = True
    SECRET_KEY = "testing-secret"
    LOGIN_RATE_LIMIT = "1000 per minute"
    LOGIN_ACCOUNT_RATE_LIMIT = "1000 per minute"
    LIST_COUNTS_SECONDS = 0  # every test counts what it just wrote (tests/web/test_list_counts.py turns it on)
    DASHBOARD_SECONDS = 0  # the same for the home page (tests/web/test_dashboard.py turns it on)


class ProductionConfig(Config):
    """Production: refuses to start without SECRET_KEY and DATABASE_URL."""

    REQUIRED = ("SECRET_KEY", "DATABASE_URL")


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}


def load(name: str | None = None, overrides: dict | None = None) -> dict:
    """Build the settings dict for an environment name, applying env vars then explicit overrides."""
    name = name or os.environ.get("APP_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    cls = CONFIGS[name]
    settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
    for key in Config.ENV_SETTINGS:
        raw = os.environ.get(key)
        if raw is None or raw == "":
            continue
        default = settings.get(key)
        if isinstance(default, bool):
            settings[key] = _env_bool(key, default)
        elif isinstance(default, int):
            settings[key] = int(raw)
        else:
            settings[key] = raw
    settings.update(overrides or {})
    missing = [key for key in getattr(cls, "REQUIRED", ()) if not settings.get(key)]
    if missing:
        raise RuntimeError(f"Production needs these environment variables: {', '.join(missing)}")
    return settings
