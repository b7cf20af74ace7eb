"""The client's address behind trusted reverse proxies.

A request that reaches the application from one of the configured proxies (settings
TRUSTED_PROXIES: addresses or networks) carries the client's address in X-Forwarded-For; each
proxy appends the address it received the request from. Read from the right, the first
address that is not a trusted proxy is the client: anything to its left was written by the
client and may be forged. From any other peer the header is ignored. The middleware puts the
result in REMOTE_ADDR, where the audit log and the sign-in lockout (django-axes) read it.
"""

import ipaddress

from django.conf import settings


def _networks(entries) -> list:
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry]


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str, forwarded_for: str, trusted_proxies) -> str:
    """The client's address, given the direct peer and its X-Forwarded-For header."""
    networks = _networks(trusted_proxies)
    if not forwarded_for or not _trusted(peer, networks):
        return peer
    client = peer
    for hop in reversed([hop.strip() for hop in forwarded_for.split(",")]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # a malformed hop: trust nothing further left
        client = hop
        if not _trusted(hop, networks):
            break
    return client


class TrustedProxyMiddleware:
    """Put the client's address (not the proxy's) in REMOTE_ADDR; first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = list(settings.TRUSTED_PROXIES)

    def __call__(self, request):
        if self.trusted:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""),
                request.META.get("HTTP_X_FORWARDED_FOR", ""),
                self.trusted,
            )
        return self.get_response(request)
