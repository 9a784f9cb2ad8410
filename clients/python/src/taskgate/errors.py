"""Typed errors.

Every error the client raises is a :class:`TaskgateError`. Errors answered by the server carry the
HTTP ``status`` and the server's ``{"error": "..."}`` text as ``message``; errors that never got an
answer (network failures, a stream that could not be resumed, a client-side wait timeout) have
``status`` ``None``.
"""

from __future__ import annotations

import json
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from typing import Any, Dict, Mapping, Optional, Type

__all__ = [
    "TaskgateError",
    "BadRequest",
    "Unauthorized",
    "NotFound",
    "Conflict",
    "PayloadTooLarge",
    "UnprocessableEntity",
    "RateLimited",
    "ServerError",
    "ServiceUnavailable",
    "NetworkError",
    "StreamError",
    "WaitTimeout",
]


class TaskgateError(Exception):
    """Base class of every error raised by the client.

    ``status`` is the HTTP status (``None`` when the server never answered), ``message`` the
    server's ``error`` text, ``body`` the parsed JSON error body (or ``None``), and
    ``retry_after`` the server's ``Retry-After`` hint in seconds, when it sent one.
    """

    def __init__(
        self,
        message: str,
        status: Optional[int] = None,
        *,
        body: Optional[Dict[str, Any]] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.status} {self.message}" if self.status is not None else self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, message={self.message!r})"


class BadRequest(TaskgateError):
    """400: malformed input (blank query, unknown mode, invalid id, filter or token, ...)."""


class Unauthorized(TaskgateError):
    """401: the API key is missing, unknown or revoked."""


class NotFound(TaskgateError):
    """404: the task or session does not exist, or belongs to another tenant."""


class Conflict(TaskgateError):
    """409: e.g. cancelling a task that has already finished."""


class PayloadTooLarge(TaskgateError):
    """413: the query or the request body is over the server's limit."""


class UnprocessableEntity(TaskgateError):
    """422: e.g. an ``Idempotency-Key`` reused with a different request."""


class RateLimited(TaskgateError):
    """429: the key's rate limit was exceeded even after the client's retries.

    ``retry_after`` holds the server's ``Retry-After`` in seconds.
    """


class ServerError(TaskgateError):
    """5xx: the server failed to answer the request."""


class ServiceUnavailable(ServerError):
    """503: the server (or this replica) cannot serve the request right now."""


class NetworkError(TaskgateError):
    """The request got no answer (connection refused or dropped, timeout) after the retries."""


class StreamError(TaskgateError):
    """An event stream could not be resumed within the allowed reconnect attempts.

    ``last_seq`` is the ``seq`` of the last stored event delivered, so a caller can resume later
    with ``client.stream(task_id, after=err.last_seq)``.
    """

    def __init__(self, message: str, last_seq: int) -> None:
        super().__init__(message)
        self.last_seq = last_seq


class WaitTimeout(TaskgateError, TimeoutError):
    """:meth:`Taskgate.wait` ran out of time before the task reached a terminal status.

    ``task`` is the latest copy of the task that the client saw (``None`` if none arrived).
    Also an instance of the built-in :class:`TimeoutError`.
    """

    def __init__(self, message: str, task: Any = None) -> None:
        super().__init__(message)
        self.task = task


_BY_STATUS: Dict[int, Type[TaskgateError]] = {
    400: BadRequest,
    401: Unauthorized,
    404: NotFound,
    409: Conflict,
    413: PayloadTooLarge,
    422: UnprocessableEntity,
    429: RateLimited,
    503: ServiceUnavailable,
}


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """``Retry-After`` as seconds: either delay-seconds or an HTTP date; ``None`` when absent or bad."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - datetime.now(timezone.utc)).total_seconds()
    return max(0.0, seconds)


def error_for(status: int, content: bytes, headers: Mapping[str, str]) -> TaskgateError:
    """The typed error for an HTTP error answer (status >= 400)."""
    body: Optional[Dict[str, Any]] = None
    message = ""
    try:
        parsed = json.loads(content.decode("utf-8")) if content else None
    except (UnicodeDecodeError, ValueError):
        parsed = None
    if isinstance(parsed, dict):
        body = parsed
        if isinstance(parsed.get("error"), str):
            message = parsed["error"]
    if not message:
        text = content.decode("utf-8", "replace").strip() if content else ""
        message = text[:500] or f"HTTP {status}"
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else TaskgateError
    return cls(message, status, body=body, retry_after=parse_retry_after(headers.get("retry-after")))
