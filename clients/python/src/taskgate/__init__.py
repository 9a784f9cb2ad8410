"""Python client for Taskgate, a service that runs AI-agent tasks.

>>> from taskgate import Taskgate
>>> client = Taskgate(api_key="sk_test_123456")          # or $TASKGATE_API_KEY / $TASKGATE_URL
>>> task = client.submit("What is the capital of France?")
>>> client.wait(task.task_id).result

``AsyncTaskgate`` offers the same operations for asyncio.
"""

from . import webhooks
from ._version import __version__
from .async_client import AsyncTaskgate
from .client import Taskgate
from .errors import (
    BadRequest,
    Conflict,
    NetworkError,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    ServerError,
    ServiceUnavailable,
    StreamError,
    TaskgateError,
    Unauthorized,
    UnprocessableEntity,
    WaitTimeout,
)
from .models import (
    Approval,
    ApprovalStatus,
    CancelResult,
    EventType,
    ExecutionMode,
    Pause,
    Session,
    Settings,
    Task,
    TaskEvent,
    TaskStatus,
    Usage,
)
from .webhooks import WebhookVerificationError

__all__ = [
    "__version__",
    "Taskgate",
    "AsyncTaskgate",
    "Task",
    "TaskEvent",
    "Session",
    "Usage",
    "CancelResult",
    "Approval",
    "Pause",
    "Settings",
    "ApprovalStatus",
    "TaskStatus",
    "ExecutionMode",
    "EventType",
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
    "WebhookVerificationError",
    "webhooks",
]
