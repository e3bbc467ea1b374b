"""The platform without matters and the modules that stand on it (innovation and utilities use
matters):
every shared piece is assembled from the installed modules' declarations, so removing modules'
lines must leave a working platform (tests/core/test_modules.py runs it in a subprocess)."""

from gaoxin.settings import *  # noqa: F403

REMOVED = {"gaoxin.matters", "gaoxin.innovation", "gaoxin.utilities"}
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in REMOVED]  # noqa: F405
STORAGES = {  # as in the test run: no collected manifest needed
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the demo's 30 accounts
ALLOWED_HOSTS = ["testserver"]  # the Django test client's host
