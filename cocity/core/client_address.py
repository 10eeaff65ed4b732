"""Which address a request comes from, for every limit that counts per address: the limit on
writes, the API's anonymous read limit and allauth's (the account adapter asks here too).

- By default the address is ``REMOTE_ADDR``: the peer of the connection, which a client cannot
  choose. Headers such as ``X-Forwarded-For`` or ``X-Real-IP`` are then ignored, whoever sent
  them.
- Behind proxies that append to ``X-Forwarded-For`` (nginx's ``$proxy_add_x_forwarded_for``, a
  load balancer), ``TRUSTED_PROXY_COUNT`` says how many there are: the client is the N-th
  address from the right, the one the outermost proxy saw. Whatever a client puts in the header
  itself stands to the left of it and is never read. A request with fewer addresses than
  proxies did not come through them all: its ``REMOTE_ADDR`` counts.
- Behind a proxy that sets a header of its own to the client's address (``X-Real-IP``,
  ``CF-Connecting-IP``), ``CLIENT_IP_HEADER`` names it; the proxy must overwrite what a client
  sent. It takes precedence over ``TRUSTED_PROXY_COUNT``.

A value that is not an address falls back to ``REMOTE_ADDR``, so a malformed header neither
fails the request nor opens a fresh count (docs/decisions/0014-shared-store-proxy-mail.md)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPV6_PREFIX = 64


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address as the deployment's proxies report it (see the module's text),
    or None when not even the connection has one (a Unix socket)."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", None) or 0
    candidate: str | None = None
    if header:
        candidate = request.headers.get(header, "").strip()
    elif proxies:
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
        if len(hops) >= proxies:
            candidate = hops[-proxies]
    return _parse(candidate) or _parse(request.META.get("REMOTE_ADDR"))


def client_address(request: HttpRequest) -> str:
    """The address a per-address limit counts against: the client's IP address; for IPv6 its
    /64 network, which one subscriber usually has whole. Without an address every such client
    shares one count."""
    ip = client_ip(request)
    if ip is None:
        return "unknown"
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        network = ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False)
        return str(network.network_address)
    return ip


def _parse(value: str | None) -> str | None:
    """The address in ``value`` (an IPv4 address may carry a port, an IPv6 one in brackets),
    normalised; None when it holds none."""
    if not value:
        return None
    value = value.strip()
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # 203.0.113.5:443
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(address)
