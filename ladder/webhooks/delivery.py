"""Sending one delivery: Standard Webhooks signing, an SSRF guard, short timeouts, backoff with jitter."""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import random
import secrets
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from ladder.models import WebhookDelivery, WebhookSubscription

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 5.0
GIVE_UP_AFTER = timedelta(hours=24)
FIRST_RETRY = 10.0  # seconds; doubles per attempt
LONGEST_WAIT = 3600.0


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class UnsafeURL(ValueError):
    """The URL is not http(s), or names a loopback, private or otherwise internal address."""


def _forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_url(url: str, *, resolve: bool = True) -> tuple[str, int, str]:
    """``(host, port, address)`` to connect to, or ``UnsafeURL``.

    Loopback, private, link-local and other non-global addresses are refused unless
    ``WEBHOOKS_ALLOW_PRIVATE`` is on (development and CI). The connection then goes to the checked
    address, so a name that resolves differently a moment later cannot redirect it.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL("Only http and https URLs with a host name are allowed.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeURL("The port is not valid.") from None
    host = parts.hostname
    allow_private = getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        if _forbidden(literal) and not allow_private:
            raise UnsafeURL(f"{host} is not a public address.")
        return host, port, str(literal)
    if not resolve:
        if host in ("localhost",) and not allow_private:
            raise UnsafeURL("localhost is not a public address.")
        return host, port, ""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeURL(f"{host} does not resolve.") from None
    addresses = [info[4][0] for info in infos]
    if not allow_private and any(_forbidden(ipaddress.ip_address(a.split("%")[0])) for a in addresses):
        raise UnsafeURL(f"{host} resolves to an address that is not public.")
    return host, port, addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, **kwargs) -> None:
        super().__init__(host, **kwargs)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT)
        self.sock.settimeout(READ_TIMEOUT)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, **kwargs) -> None:
        super().__init__(host, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT)
        sock.settimeout(READ_TIMEOUT)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None
    error: str


def signed_headers(secret: str, event_id: str, body: str, when: datetime) -> dict[str, str]:
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": Webhook(secret).sign(event_id, when, body),
        "content-type": "application/json",
        "user-agent": "pmladder-webhooks/1",
    }


def send(subscription: WebhookSubscription, delivery: WebhookDelivery) -> Outcome:
    """POST the signed event once; 2xx is success. Never raises for network trouble."""
    try:
        host, port, address = check_url(subscription.url)
    except UnsafeURL as exc:
        return Outcome(False, None, str(exc))
    parts = urlsplit(subscription.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    body = json.dumps(delivery.payload, separators=(",", ":"))
    headers = signed_headers(subscription.secret, delivery.event_id, body, timezone.now())
    headers["host"] = parts.netloc.rsplit("@", 1)[-1]
    cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = cls(host, address, port=port, timeout=READ_TIMEOUT)
    try:
        connection.request("POST", path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.read(65536)
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500])
    finally:
        connection.close()
    return Outcome(200 <= status < 300, status, "" if 200 <= status < 300 else f"HTTP {status}")


def next_wait(attempts: int) -> float:
    """Seconds before the next attempt: exponential backoff with full jitter in [½, 1½] of the step."""
    step = min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)
    return step * random.uniform(0.5, 1.5)


def attempt(delivery_id: int) -> float | None:
    """Try one delivery now, if it is still pending and due. Returns the seconds until the next try,
    or None when there is nothing more to do (delivered, failed for good, or taken by another worker)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("subscription")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        now = timezone.now()
        if delivery is None or delivery.next_attempt_at > now + timedelta(seconds=1):
            return None
        subscription = delivery.subscription
        if not subscription.is_active or subscription.flagged_at is not None:
            return None
        outcome = send(subscription, delivery)
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.response_code = outcome.status
        delivery.last_error = outcome.error
        wait = None
        if outcome.ok:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = delivery.last_attempt_at
        elif delivery.last_attempt_at - delivery.created_at >= GIVE_UP_AFTER:
            delivery.status = WebhookDelivery.Status.FAILED
            WebhookSubscription.objects.filter(pk=subscription.pk).update(flagged_at=delivery.last_attempt_at)
        else:
            wait = next_wait(delivery.attempts)
            delivery.next_attempt_at = delivery.last_attempt_at + timedelta(seconds=wait)
        delivery.save()
    return wait
