"""Where a webhook may be sent: an HTTPS address on the public internet, never the system's
own network (a registered address must not let anyone make the server call its database,
its cloud's metadata service or a neighbour on the private network).

`NRM_WEBHOOKS_ALLOW_LOCAL` lifts both rules for tests and development (a receiver on
127.0.0.1 over plain HTTP); production leaves it off.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class AddressRefused(Exception):
    """The address is not one the system calls."""


def check_address(url: str) -> None:
    """Raise AddressRefused (in the user's language) unless `url` is HTTPS and every address
    its host name resolves to now is a public one. Checked when the endpoint is registered
    and again before each call, since a name may later resolve elsewhere."""
    parts = urlsplit(url)
    allow_local = settings.NRM_WEBHOOKS_ALLOW_LOCAL
    if parts.scheme != "https" and not (allow_local and parts.scheme == "http"):
        raise AddressRefused(_("The address must start with https://."))
    if not parts.hostname or parts.username or parts.password:
        raise AddressRefused(_("The address must name a host, without a user name."))
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise AddressRefused(_("The host name could not be found.")) from error
    if allow_local:
        return
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise AddressRefused(
                _("The address leads to a private or local network, which is not allowed.")
            )
