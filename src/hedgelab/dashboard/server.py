"""Serving the dashboard: loopback only unless remote access is asked for explicitly."""

from __future__ import annotations

import ipaddress
import socket

from hedgelab.errors import HedgelabError, error_line

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (127.0.0.0/8, ::1) or ``localhost``."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def check_host(host: str, allow_remote: bool) -> None:
    """Refuse a non-loopback ``host`` unless ``allow_remote``: the dashboard has no login, and
    anyone who reaches it may run simulations on this machine."""
    if not is_loopback(host) and not allow_remote:
        raise HedgelabError(error_line("--host", host, "a loopback address (127.0.0.1, ::1 or localhost); the dashboard "
                                       "has no login, so serving other machines needs --allow-remote too"))


def listen(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port``, or a one-line error (a port in use, a host unknown)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as err:
        raise HedgelabError(error_line(f"{host}:{port}", "--port", f"an address free to listen on "
                                       f"({err.strerror or err})")) from None
    return sock


def url_host(host: str) -> str:
    """``host`` as it appears in a URL and a ``Host`` header: an IPv6 address in brackets."""
    bare = host.strip("[]")
    try:
        return f"[{bare}]" if ipaddress.ip_address(bare).version == 6 else bare
    except ValueError:
        return host


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, allow_remote: bool = False,
          max_runs: int | None = None) -> None:
    """Run the dashboard until interrupted (Ctrl-C). Without ``allow_remote`` it answers only
    requests addressed to a loopback name or ``host`` (no DNS rebinding); ``max_runs``: runs at
    once (default :data:`hedgelab.dashboard.jobs.MAX_RUNNING`)."""
    check_host(host, allow_remote)
    from hedgelab.analysis.optional import optional

    uvicorn = optional("uvicorn", "dashboard")
    optional("fastapi", "dashboard")
    from hedgelab.dashboard.app import LOOPBACK_HOSTS, create_app
    from hedgelab.dashboard.jobs import MAX_RUNNING

    sock = listen(host, port)  # bound before the address is announced
    allowed = None if allow_remote else (*LOOPBACK_HOSTS, url_host(host.lower()))
    app = create_app(allowed_hosts=allowed, max_running=max_runs or MAX_RUNNING)
    print(f"hedgelab dashboard on http://{url_host(host)}:{sock.getsockname()[1]}/ (Ctrl-C stops it)", flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
