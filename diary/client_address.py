"""The address of the person making a request, as every limiter reads it (trusting only known proxies)."""

import ipaddress

from django.conf import settings


def _ip(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(request) -> str:
    """The address of the person making the request, read only where a trusted proxy put it.

    With TRUSTED_PROXIES=N (N proxies in front, each appending the address it saw to X-Forwarded-For),
    the client is the Nth address from the right of X-Forwarded-For; with TRUSTED_PROXIES=networks,
    the right-most address that is not a proxy's. What a client writes to the left of that is never
    read, so no header value can make a request look like it came from elsewhere. With no proxy
    (TRUSTED_PROXIES=0, the default), REMOTE_ADDR.

    IPv6 addresses count by their /64: one household or phone gets a whole /64 to choose from.
    """
    meta = request.META if hasattr(request, "META") else request._request.META
    remote = _ip(meta.get("REMOTE_ADDR", ""))
    count, networks = settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXY_NETWORKS
    forwarded = [_ip(part) for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    address = remote
    if count and remote is not None:
        chain = [*forwarded, remote]  # the proxy nearest to us is REMOTE_ADDR
        # A request that did not pass every proxy (a short chain) is judged by the nearest hop.
        address = chain[-count - 1] if len(chain) > count else remote
    elif networks and remote is not None and any(remote in net for net in networks):
        for hop in reversed(forwarded):
            address = hop
            if hop is None or not any(hop in net for net in networks):
                break
    if address is None:  # a malformed hop where the client should be: the proxy's own address
        address = remote
    if address is None:
        return "unknown"
    if address.version == 6:
        if address.ipv4_mapped is not None:  # ::ffff:203.0.113.9 is 203.0.113.9
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
