"""Downloads the server makes from an address an administrator typed (the
revocation lists of ``vbdt.signature.crl``), guarded against server-side
request forgery: the server must not become a way to reach its own
loopback services, the agency's private network or a cloud metadata
endpoint.

The rule, in order:

1. http or https only;
2. the address's host must be on the allow-list (the system parameter
   ``vbdt_signature.crl_download_hosts``, comma-separated; empty: no
   download at all, lists are uploaded as files);
3. the host is resolved and **every** address it resolves to must be public,
   unless that address is itself on the allow-list (an address, or a
   network in CIDR notation such as ``10.0.5.0/24``): a name on the list
   does not admit the private addresses it may resolve to;
4. the connection goes to the address that was checked (no second lookup
   an attacker's DNS could answer differently), and redirects are never
   followed.

Plain Python, no Odoo: the model maps :class:`DownloadRefused` codes to
translated messages.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import urllib3


class DownloadRefused(Exception):
    """A download the rules forbid. ``code``: ``scheme``, ``disabled``,
    ``host``, ``address``, ``unresolved``, ``redirect``, ``status``,
    ``failed``, ``too_large``; ``details``: values for the message."""

    def __init__(self, code: str, **details):
        super().__init__(code, details)
        self.code = code
        self.details = details


@dataclass(frozen=True)
class AllowList:
    """Host names (lower case) and IP networks an administrator allowed."""

    hosts: frozenset = frozenset()
    networks: tuple = field(default_factory=tuple)

    @classmethod
    def parse(cls, text: str | None) -> AllowList:
        hosts, networks = set(), []
        for entry in (text or "").replace("\n", ",").split(","):
            entry = entry.strip().lower().strip("[]")
            if not entry:
                continue
            try:
                network = ipaddress.ip_network(entry, strict=False)
            except ValueError:
                hosts.add(entry.rstrip("."))
                continue
            networks.append(network)
            if network.num_addresses == 1:
                hosts.add(str(network.network_address))
        return cls(frozenset(hosts), tuple(networks))

    def __bool__(self):
        return bool(self.hosts or self.networks)

    def admits_address(self, address) -> bool:
        return any(address in network for network in self.networks)


def check_url(url: str, allowed: AllowList):
    """``(scheme, host, port, target)`` of ``url`` if rules 1 and 2 allow it."""
    if not allowed:
        raise DownloadRefused("disabled")
    parts = urlsplit((url or "").strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise DownloadRefused("scheme")
    host = parts.hostname.lower().rstrip(".")
    if host not in allowed.hosts:
        raise DownloadRefused("host", host=host)
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise DownloadRefused("scheme") from None
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    return parts.scheme.lower(), host, port, target


def check_addresses(host: str, addresses, allowed: AllowList) -> list:
    """Rule 3: the addresses of ``host``, every one public or allow-listed."""
    checked = []
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not address.is_global and not allowed.admits_address(address):
            raise DownloadRefused("address", host=host, address=str(address))
        checked.append(address)
    if not checked:
        raise DownloadRefused("unresolved", host=host)
    return checked


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise DownloadRefused("unresolved", host=host) from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def fetch(url: str, allowed: AllowList, *, timeout: float, max_bytes: int) -> bytes:
    """The body at ``url`` under the rules above, at most ``max_bytes``
    (:class:`DownloadRefused` ``too_large`` beyond)."""
    scheme, host, port, target = check_url(url, allowed)
    address = check_addresses(host, resolve(host, port), allowed)[0]
    pool_class = (
        urllib3.HTTPSConnectionPool if scheme == "https" else urllib3.HTTPConnectionPool
    )
    extra = (
        {"server_hostname": host, "assert_hostname": host} if scheme == "https" else {}
    )
    default_port = 443 if scheme == "https" else 80
    host_header = host if port == default_port else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        host_header = f"[{host}]" if port == default_port else f"[{host}]:{port}"
    with pool_class(
        str(address),
        port,
        timeout=urllib3.Timeout(connect=timeout, read=timeout),
        retries=False,
        maxsize=1,
        **extra,
    ) as pool:
        try:
            reply = pool.urlopen(
                "GET",
                target,
                headers={"Host": host_header},
                redirect=False,
                preload_content=False,
            )
        except urllib3.exceptions.HTTPError as err:
            raise DownloadRefused("failed", reason=type(err).__name__) from None
        try:
            if 300 <= reply.status < 400:
                raise DownloadRefused("redirect", status=reply.status)
            if reply.status != 200:
                raise DownloadRefused("status", status=reply.status)
            try:
                raw = reply.read(max_bytes + 1, decode_content=True)
            except urllib3.exceptions.HTTPError as err:
                raise DownloadRefused("failed", reason=type(err).__name__) from None
        finally:
            reply.release_conn()
    if len(raw) > max_bytes:
        raise DownloadRefused("too_large")
    return raw
