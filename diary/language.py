"""The person's language (en, de or es): what a request is answered in and what the worker sends in."""

from django.conf import settings
from django.utils import translation

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def language_of(user) -> str:
    """The user's language; English for anyone without one (an anonymous visitor, a stale row)."""
    code = getattr(user, "language", None)
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


def language_asked_for(request) -> str:
    """The browser's language (Accept-Language), for someone not signed in: "de-AT" is German."""
    return translation.get_language_from_request(request, check_path=False)


def speaking_to(user):
    """Everything inside is worded in the user's language: the worker's pushes, emails and alerts."""
    return translation.override(language_of(user))


def activate_for(user) -> None:
    """From here on this request answers in the user's language (after DRF authenticates a token)."""
    translation.activate(language_of(user))
