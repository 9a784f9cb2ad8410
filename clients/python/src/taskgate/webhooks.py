"""Verifying webhook deliveries (the Standard Webhooks scheme).

A delivery carries three headers:

* ``webhook-id``: the message id (the same on every retry of one delivery: use it to deduplicate),
* ``webhook-timestamp``: seconds since the epoch when it was signed,
* ``webhook-signature``: a space-separated list of ``v1,<base64 HMAC-SHA256>`` signatures of
  ``"{id}.{timestamp}.{body}"``, keyed by the base64-decoded secret after its ``whsec_`` prefix
  (several while a secret is being rotated; one matching is enough).

>>> from taskgate import webhooks
>>> event = webhooks.verify(secret, request.headers, request.body)   # raises WebhookVerificationError

Pass the body exactly as received (bytes), before any JSON parsing: re-serialised JSON has
different bytes and fails the check.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any, Mapping, Optional, Union

from .errors import TaskgateError

__all__ = ["WebhookVerificationError", "verify", "sign", "DEFAULT_TOLERANCE"]

#: Deliveries signed more than this many seconds before (or after) now are refused.
DEFAULT_TOLERANCE = 300
SECRET_PREFIX = "whsec_"


class WebhookVerificationError(TaskgateError):
    """The delivery is not authentic: a header is missing, the timestamp is outside the
    tolerance, or no signature matches. Answer such a request with 400 (or 401)."""


def _key(secret: Union[str, bytes]) -> bytes:
    if isinstance(secret, bytes):
        return secret
    if not isinstance(secret, str) or not secret:
        raise ValueError("the webhook secret must be a non-empty string")
    text = secret[len(SECRET_PREFIX):] if secret.startswith(SECRET_PREFIX) else secret
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("the webhook secret is not base64 after its 'whsec_' prefix") from exc


def _bytes(body: Union[bytes, bytearray, memoryview, str]) -> bytes:
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise TypeError("body must be the raw request body (bytes or str)")


def _header(headers: Any, name: str) -> Optional[str]:
    """A header by name, case-insensitively, from a dict, ``httpx.Headers``, a WSGI-like mapping or
    a list of pairs; the first value when a framework gives a list."""
    items = headers.items() if hasattr(headers, "items") else headers
    for key, value in items:
        if isinstance(key, bytes):
            key = key.decode("latin-1")
        if str(key).lower() == name:
            if isinstance(value, (list, tuple)):
                value = value[0] if value else None
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            return None if value is None else str(value)
    return None


def _signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    content = f"{msg_id}.{timestamp}.".encode("utf-8") + body
    return base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode("ascii")


def sign(secret: Union[str, bytes], msg_id: str, timestamp: int, body: Union[bytes, str]) -> str:
    """The ``webhook-signature`` value (``v1,<base64>``) for a delivery; for tests of a receiver."""
    return "v1," + _signature(_key(secret), msg_id, int(timestamp), _bytes(body))


def verify(
    secret: Union[str, bytes],
    headers: Union[Mapping[str, Any], Any],
    body: Union[bytes, str],
    tolerance: float = DEFAULT_TOLERANCE,
    *,
    now: Optional[float] = None,
) -> Any:
    """Checks a webhook delivery and returns its body parsed as JSON.

    ``secret`` is the endpoint's ``whsec_...`` secret; ``headers`` any mapping (or list of pairs)
    of the request's headers, names in any case; ``body`` the raw body; ``tolerance`` the largest
    accepted difference in seconds between ``webhook-timestamp`` and now (``now`` defaults to the
    clock). Raises :class:`WebhookVerificationError` unless one ``v1`` signature matches (compared
    in constant time) and the timestamp is within the tolerance.
    """
    key = _key(secret)
    raw = _bytes(body)
    msg_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not msg_id or not stamp or not signatures:
        missing = [n for n, v in (("webhook-id", msg_id), ("webhook-timestamp", stamp),
                                  ("webhook-signature", signatures)) if not v]
        raise WebhookVerificationError("missing header(s): " + ", ".join(missing))
    try:
        timestamp = int(stamp.strip())
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not a number of seconds") from None
    current = time.time() if now is None else now
    if timestamp < current - tolerance:
        raise WebhookVerificationError("webhook-timestamp is too old")
    if timestamp > current + tolerance:
        raise WebhookVerificationError("webhook-timestamp is too new")
    expected = _signature(key, msg_id, timestamp, raw).encode("ascii")
    matched = False
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version != "v1" or not value:
            continue
        # Every candidate is compared (no early exit), each in constant time.
        matched |= hmac.compare_digest(value.encode("ascii", "replace"), expected)
    if not matched:
        raise WebhookVerificationError("no matching signature")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise WebhookVerificationError("the signed body is not JSON") from None
