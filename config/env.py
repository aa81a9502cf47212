"""Strict readers for environment variables: a malformed value is an error, never a silent default."""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production")
    return value


def env_proxies(name: str, default: str) -> tuple[int, tuple]:
    """The trusted proxies in front of the web processes: a count ("1": one proxy appends the client's
    address to X-Forwarded-For) or a comma-separated list of their networks ("10.0.0.0/8,127.0.0.1").
    Returns (count, networks), one of them empty."""
    raw = os.environ.get(name, default).strip()
    if raw.isdigit():
        return int(raw), ()
    try:
        networks = tuple(ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(","))
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be a number of proxies or a list of their networks, got {raw!r}"
        ) from exc
    return 0, networks
