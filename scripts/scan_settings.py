"""The production settings for ``scripts/security-scan``, with one change: mail is written to
files in the scan's throwaway folder instead of going to an SMTP server, which the scan does
not have (without one, sign-up and password reset answer 500 when allauth sends its mail).
Loaded by gunicorn through ``--pythonpath scripts``; nothing else uses it."""

from cocity.config.settings import *  # noqa: F403
from cocity.config.settings import VAR_DIR

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
    }
}
