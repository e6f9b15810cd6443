"""Settings for the Welcome Center Portal.

One file, read from the environment. Every variable has a safe development default and is
listed in `.env.example`. Without DATABASE_URL the portal runs on a SQLite file under var/;
without REDIS_URL Celery runs on kombu's filesystem transport under var/, so reminders work on
a laptop with nothing installed.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    # A variable that is set but empty counts as unset, as in most .env tooling.
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# The development key is public by design; `check --deploy` flags it and production sets its own.
SECRET_KEY = env("SECRET_KEY", "django-insecure-development-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CENTER_NAME = env("CENTER_NAME", "Welcome Center Erzgebirge")
# Public holidays for working-day arithmetic are those of the center's federal state.
CENTER_STATE = env("CENTER_STATE", "SN")
# Days a partner's link to answer a referral stays valid (a new link comes with each answer).
REFERRAL_LINK_DAYS = env_int("REFERRAL_LINK_DAYS", 30)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "phonenumber_field",
    "django_filters",
    "django_htmx",
    "auditlog",
    "csp",
    "accounts",
    "migrants",
    "partners",
    "companies",
    "cases",
    "privacy",
    "reminders",
    "figures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "welcome_center.middleware.StaffLanguageMiddleware",
    # Puts the logged-in user as actor on every audit log entry of the request.
    "auditlog.middleware.AuditlogMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Head, Lotsen and partner users set up two-factor login before they see anything else.
    "accounts.middleware.MFARequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "welcome_center.middleware.InvalidFormStatusMiddleware",
]

ROOT_URLCONF = "welcome_center.urls"
WSGI_APPLICATION = "welcome_center.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "welcome_center.context_processors.portal",
            ],
            # welcome_center is the project, not an app: its tag libraries are named here.
            "libraries": {"fast_forms": "welcome_center.templatetags.fast_forms"},
        },
    },
]

# Database: PostgreSQL in production and CI, a SQLite file for `make run` on a bare laptop.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the Celery worker test runs in a second process on the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        # Django's default list names username, first_name and last_name, which this User lacks.
        "OPTIONS": {"user_attributes": ["email", "full_name"]},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# allauth: e-mail is the login; only companies sign up by themselves (accounts.adapters).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
# Company sign-up: allauth's form with the company's fields (companies.forms). Each sign-up
# may send an e-mail, so it is limited per address and hour as well as per minute.
ACCOUNT_FORMS = {"signup": "companies.forms.CompanySignupForm"}
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "5/m/ip,20/h/ip"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{CENTER_NAME}] "
# Intake abuse protection: submissions per client address and hour.
INTAKE_RATE_LIMIT = env_int("INTAKE_RATE_LIMIT", 10)
# Behind a reverse proxy the client address is the last hop the proxy appends.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
# allauth's login and reset limits count per client too: behind the proxy that is the same last
# hop, not the proxy's own address (which would let one attacker lock everybody out).
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if TRUST_X_FORWARDED_FOR else 0
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_TOTP_ISSUER = CENTER_NAME
# Who must log in with a second factor (accounts.middleware). Off only for a local demo that
# has no phone at hand: MFA_REQUIRED=false.
MFA_REQUIRED = env_bool("MFA_REQUIRED", True)
MFA_REQUIRED_ROLES = ["head", "lotse", "partner"]
# No "remember me": a session ends with the browser or after SESSION_COOKIE_AGE of inactivity.
ACCOUNT_SESSION_REMEMBER = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Internationalisation: German first, English complete.
LANGUAGE_CODE = "de"
# The public pages (home, intake) speak the newcomers' languages; the staff interface speaks
# German and English (welcome_center.middleware.StaffLanguageMiddleware keeps it so).
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
    ("uk", _("Ukrainian")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
    ("tr", _("Turkish")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
]
STAFF_LANGUAGES = ["de", "en"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "DE"
# A website typed without a scheme means https (Django 6's default; silences its warning).
FORMS_URLFIELD_ASSUME_HTTPS = True
COUNTRIES_FIRST = ["DE"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are personal data: stored under var/ (outside the web root) and served only by a
# permission-checked view, never by URL.
UPLOAD_ROOT = Path(env("UPLOAD_ROOT", str(VAR_DIR / "uploads")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": UPLOAD_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Cache: Redis where configured; otherwise a file cache, shared by all processes of `make run`
# (rate limits must hold across gunicorn workers).
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }

# E-mail: written to files under var/mail in development; SMTP in production.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Welcome Center <noreply@welcome-center.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis where configured, else kombu's filesystem transport (a real broker that needs
# no server). Tasks take ids; results are not kept because nothing reads them.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Broadcast (worker remote control) files; kombu would put them in ./control otherwise.
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must not hang a web request: publishing gives up fast and the outbox
# sweep sends what was not published.
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# The daily reminder sweep runs at this hour, Europe/Berlin (reminders.tasks.send_reminders).
REMINDER_HOUR = env_int("REMINDER_HOUR", 7)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "send-pending-emails": {
        "task": "accounts.tasks.send_pending_emails",
        "schedule": 60.0,
    },
    # At night, in the center's time zone: anonymise newcomers past the retention period.
    "apply-retention": {
        "task": "privacy.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
    # Every morning: one digest per person of what is due (safe to run twice: see the task).
    "send-reminders": {
        "task": "reminders.tasks.send_reminders",
        "schedule": crontab(hour=REMINDER_HOUR, minute=0),
    },
    # Every morning; only the first run of a month sends last month's figures to the head(s)
    # (figures.MonthlyReportLog), so a day the beat was down is caught up the next morning.
    "send-monthly-figures": {
        "task": "figures.tasks.send_monthly_figures",
        "schedule": crontab(hour=7, minute=0),
    },
    # Exports the broker never got, or whose worker died, go back to the queue.
    "resume-exports": {
        "task": "figures.tasks.resume_exports",
        "schedule": 60.0,
    },
    # Export files live a day (figures.ExportJob.expires_at).
    "delete-expired-exports": {
        "task": "figures.tasks.delete_expired_exports",
        "schedule": crontab(minute=20),
    },
}

# Security: production sets HTTPS=true behind its TLS proxy.
HTTPS = env_bool("HTTPS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# The language cookie tells little, but it is set on every visitor: same flags as the others.
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this host only,
# no inline script or style, no plugins, no framing. The QR code of the two-factor setup is a
# data: image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Sessions live in the cache (Redis in production): staff sessions slide with every request
# (inactivity timeout) without a database write per page. A Redis restart logs everyone out.
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
# Inactivity timeout: the session slides with every request and ends after an hour of quiet.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True

ADMINS = [("Admin", a) for a in env_list("ADMINS")]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
