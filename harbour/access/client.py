"""The address a request came from, as the audit log and the sign-in lockout see it.

Behind the council's proxy every request arrives from the proxy; only a proxy named in
HARBOUR_TRUSTED_PROXIES is believed about who it forwarded for (X-Forwarded-For). A header sent
by anyone else is ignored, so a client cannot choose its own address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple:
    networks = []
    for entry in configured:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"HARBOUR_TRUSTED_PROXIES: {entry!r} is not an IP address or network "
                "(give addresses or CIDRs separated by commas, like 10.0.0.5,10.1.0.0/16)"
            ) from None
    return tuple(networks)


def trusted_proxies() -> tuple:
    configured = settings.HARBOUR_TRUSTED_PROXIES
    if isinstance(configured, str):
        configured = configured.split(",")
    return _networks(tuple(e for e in configured if e.strip()))


def _parse(entry: str) -> Address | None:
    """An address as proxies write it: bare, `1.2.3.4:port` or `[v6]:port`."""
    entry = entry.strip()
    if entry.startswith("[") and "]" in entry:
        entry = entry[1 : entry.index("]")]
    elif entry.count(":") == 1:
        entry = entry.split(":")[0]
    try:
        address = ipaddress.ip_address(entry)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped  # ::ffff:10.0.0.5 is 10.0.0.5
    return address


def _trusted(address: Address, proxies) -> bool:
    return any(address in network for network in proxies)


def client_address(request) -> str | None:
    """REMOTE_ADDR; or, when that is a trusted proxy, the right-most X-Forwarded-For entry that
    is not itself a trusted proxy. None when there is no address to give."""
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    proxies = trusted_proxies()
    if not proxies or not _trusted(peer, proxies):
        return str(peer)
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    client = peer
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # not an address: believe no further than the proxy that passed it on
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)
