"""The test suite's settings module: voices.settings, read with test environment variables.

Settings come only from environment variables, so the suite sets its own defaults (an explicit
DATABASE_URL, e.g. PostgreSQL in CI, still wins) and then reads the one settings file.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "t" * 40)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("VOICES_VAR_DIR", tempfile.mkdtemp(prefix="voices-test-"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop.

from voices.settings import *  # noqa: E402, F403

# A deliberately slow hash makes every created user cost ~0.6 s; tests need no brute-force cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests never run collectstatic, so static URLs come unhashed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
