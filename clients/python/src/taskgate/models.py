"""Typed results.

Field names are those of the API's JSON. Every object keeps the JSON it was made from in ``raw``;
fields a newer server adds are in ``extra`` (and in ``raw``), so they never break this client.
Statuses, modes and event types are the documented strings, not enums, for the same reason; the
constants below name the documented values.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar, Dict, FrozenSet, Mapping, Optional, Tuple, Union

__all__ = [
    "TaskStatus",
    "ExecutionMode",
    "EventType",
    "Usage",
    "Task",
    "TaskEvent",
    "Session",
    "CancelResult",
    "ApprovalStatus",
    "Approval",
    "Pause",
    "Settings",
]


class TaskStatus:
    """The documented ``status`` strings of a task."""

    UNSPECIFIED = "TASK_STATUS_UNSPECIFIED"
    QUEUED = "TASK_STATUS_QUEUED"
    RUNNING = "TASK_STATUS_RUNNING"
    COMPLETED = "TASK_STATUS_COMPLETED"
    FAILED = "TASK_STATUS_FAILED"
    CANCELLED = "TASK_STATUS_CANCELLED"
    TIMEOUT = "TASK_STATUS_TIMEOUT"
    #: Stopped at a step boundary: paused by its tenant, or a tool call waits for a decision.
    PAUSED = "TASK_STATUS_PAUSED"
    #: Once a task has one of these it never changes again.
    TERMINAL: FrozenSet[str] = frozenset({COMPLETED, FAILED, CANCELLED, TIMEOUT})


class ExecutionMode:
    """The documented ``mode`` strings (``submit`` also accepts ``"simple"`` etc.)."""

    SIMPLE = "EXECUTION_MODE_SIMPLE"
    STANDARD = "EXECUTION_MODE_STANDARD"
    COMPLEX = "EXECUTION_MODE_COMPLEX"


class EventType:
    """The documented task event types."""

    TASK_QUEUED = "TASK_QUEUED"
    TASK_STARTED = "TASK_STARTED"
    LLM_OUTPUT = "LLM_OUTPUT"
    LLM_PARTIAL = "LLM_PARTIAL"
    TOOL_INVOKED = "TOOL_INVOKED"
    TOOL_RESULT = "TOOL_RESULT"
    SUBTASK_STARTED = "SUBTASK_STARTED"
    SUBTASK_COMPLETED = "SUBTASK_COMPLETED"
    TASK_COMPLETED = "TASK_COMPLETED"
    TASK_FAILED = "TASK_FAILED"
    TASK_CANCELLED = "TASK_CANCELLED"
    TASK_TIMEOUT = "TASK_TIMEOUT"
    TASK_RESTARTED = "TASK_RESTARTED"
    TASK_PAUSED = "TASK_PAUSED"
    TASK_RESUMED = "TASK_RESUMED"
    APPROVAL_REQUESTED = "APPROVAL_REQUESTED"
    APPROVAL_DECIDED = "APPROVAL_DECIDED"
    #: The last event of every task is exactly one of these.
    TERMINAL: FrozenSet[str] = frozenset({TASK_COMPLETED, TASK_FAILED, TASK_CANCELLED, TASK_TIMEOUT})


class ApprovalStatus:
    """The documented ``status`` strings of an approval."""

    UNSPECIFIED = "APPROVAL_STATUS_UNSPECIFIED"
    PENDING = "APPROVAL_STATUS_PENDING"
    APPROVED = "APPROVAL_STATUS_APPROVED"
    REFUSED = "APPROVAL_STATUS_REFUSED"
    #: The task ended, or ran again from its stored input, before a decision.
    EXPIRED = "APPROVAL_STATUS_EXPIRED"


_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:?\d{2})?$"
)


def parse_time(value: Any) -> Optional[datetime]:
    """An RFC 3339 timestamp (any number of fraction digits) as an aware datetime; else ``None``."""
    if not isinstance(value, str):
        return None
    m = _TIME.match(value.strip())
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    micros = int((m.group(7) or "0")[:6].ljust(6, "0"))
    zone = m.group(8)
    if zone is None or zone in ("Z", "z"):
        tz = timezone.utc
    else:
        digits = zone.replace(":", "")
        offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
        tz = timezone(-offset if digits[0] == "-" else offset)
    try:
        return datetime(year, month, day, hour, minute, second, micros, tzinfo=tz)
    except ValueError:
        return None


def format_time(value: Union[datetime, str]) -> str:
    """A filter bound as RFC 3339; naive datetimes are taken as UTC, strings are sent unchanged."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return str(value)


def _int(value: Any, default: Optional[int] = None) -> Optional[int]:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return default
    return default


def _float(value: Any) -> Optional[float]:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return None


def _str(value: Any, default: Optional[str] = None) -> Optional[str]:
    return value if isinstance(value, str) else default


class _Model:
    """Shared behaviour: ``extra`` holds the JSON fields this version of the client does not know."""

    _KNOWN: ClassVar[FrozenSet[str]] = frozenset()
    raw: Dict[str, Any]

    @property
    def extra(self) -> Dict[str, Any]:
        return {k: v for k, v in self.raw.items() if k not in self._KNOWN}


def _known(cls: Any) -> Any:
    cls._KNOWN = frozenset(f.name for f in fields(cls) if f.name != "raw")
    return cls


@_known
@dataclass(frozen=True)
class Usage(_Model):
    """Token usage and estimated cost (USD) of a task or a session."""

    total_tokens: int = 0
    input_tokens: Optional[int] = None
    output_tokens: Optional[int] = None
    estimated_cost: Optional[float] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> Optional["Usage"]:
        if not isinstance(data, Mapping):
            return None
        return cls(
            total_tokens=_int(data.get("total_tokens"), 0) or 0,
            input_tokens=_int(data.get("input_tokens")),
            output_tokens=_int(data.get("output_tokens")),
            estimated_cost=_float(data.get("estimated_cost")),
            raw=dict(data),
        )


@_known
@dataclass(frozen=True)
class Approval(_Model):
    """A tool call that waits (or waited) for a person's decision before it runs.

    ``arguments`` is the call's arguments as the model wrote them (JSON text);
    :attr:`arguments_json` parses it. ``feedback`` and ``decided_at`` are ``None`` until decided.
    """

    approval_id: str
    task_id: str = ""
    tool: str = ""
    arguments: str = ""
    status: str = ApprovalStatus.UNSPECIFIED
    feedback: Optional[str] = None
    requested_at: Optional[datetime] = None
    decided_at: Optional[datetime] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_pending(self) -> bool:
        return self.status == ApprovalStatus.PENDING

    @property
    def arguments_json(self) -> Any:
        """``arguments`` parsed as JSON; the text itself when it is not JSON."""
        try:
            return json.loads(self.arguments)
        except ValueError:
            return self.arguments

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Approval":
        return cls(
            approval_id=_str(data.get("approval_id"), "") or "",
            task_id=_str(data.get("task_id"), "") or "",
            tool=_str(data.get("tool"), "") or "",
            arguments=_str(data.get("arguments"), "") or "",
            status=_str(data.get("status"), ApprovalStatus.UNSPECIFIED) or ApprovalStatus.UNSPECIFIED,
            feedback=_str(data.get("feedback")),
            requested_at=parse_time(data.get("requested_at")),
            decided_at=parse_time(data.get("decided_at")),
            raw=dict(data),
        )


@_known
@dataclass(frozen=True)
class Pause(_Model):
    """Why and since when a task is paused (``Task.pause``, set only while it is PAUSED).

    ``reason`` is the tenant's reason, or says which approval the task waits for;
    ``pending_approvals`` are the tool calls waiting for a decision, oldest first.
    """

    since: Optional[datetime] = None
    reason: str = ""
    pending_approvals: Tuple[Approval, ...] = ()
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> Optional["Pause"]:
        if not isinstance(data, Mapping):
            return None
        approvals = data.get("pending_approvals")
        return cls(
            since=parse_time(data.get("since")),
            reason=_str(data.get("reason"), "") or "",
            pending_approvals=tuple(Approval.from_json(a) for a in approvals if isinstance(a, Mapping))
            if isinstance(approvals, list) else (),
            raw=dict(data),
        )


@_known
@dataclass(frozen=True)
class Settings(_Model):
    """A tenant's defaults for its new tasks: ``require_approval`` lists the tools whose calls
    wait for a decision in tasks that do not name their own (``"*"``: every tool)."""

    require_approval: Tuple[str, ...] = ()
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Settings":
        tools = data.get("require_approval")
        return cls(
            require_approval=tuple(t for t in tools if isinstance(t, str)) if isinstance(tools, list) else (),
            raw=dict(data),
        )


@_known
@dataclass(frozen=True)
class Task(_Model):
    """A task as the API returns it.

    ``result`` is the raw model output (``None`` until there is one); ``response`` is ``result``
    parsed as a JSON object, or ``{"result": "<text>"}``, once the task completed; ``error`` is
    ``""`` when there is no error. ``created_at``/``updated_at`` are aware UTC datetimes.
    """

    task_id: str
    status: str
    query: str = ""
    session_id: Optional[str] = None
    mode: Optional[str] = None
    result: Optional[str] = None
    response: Optional[Dict[str, Any]] = None
    error: str = ""
    created_at: Optional[datetime] = None
    updated_at: Optional[datetime] = None
    model_used: Optional[str] = None
    provider: Optional[str] = None
    usage: Optional[Usage] = None
    pause: Optional[Pause] = None
    require_approval: Tuple[str, ...] = ()
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_paused(self) -> bool:
        """True while the task is PAUSED (its ``pause`` says why and since when)."""
        return self.status == TaskStatus.PAUSED

    @property
    def pending_approvals(self) -> Tuple[Approval, ...]:
        """The tool calls this task waits on (empty unless it is paused for a decision)."""
        return self.pause.pending_approvals if self.pause is not None else ()

    @property
    def is_terminal(self) -> bool:
        """True once the task is COMPLETED, FAILED, CANCELLED or TIMEOUT (it never changes again)."""
        return self.status in TaskStatus.TERMINAL

    @property
    def is_completed(self) -> bool:
        return self.status == TaskStatus.COMPLETED

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Task":
        response = data.get("response")
        tools = data.get("require_approval")
        return cls(
            task_id=_str(data.get("task_id"), "") or "",
            status=_str(data.get("status"), TaskStatus.UNSPECIFIED) or TaskStatus.UNSPECIFIED,
            query=_str(data.get("query"), "") or "",
            session_id=_str(data.get("session_id")),
            mode=_str(data.get("mode")),
            result=_str(data.get("result")),
            response=response if isinstance(response, dict) else None,
            error=_str(data.get("error"), "") or "",
            created_at=parse_time(data.get("created_at")),
            updated_at=parse_time(data.get("updated_at")),
            model_used=_str(data.get("model_used")),
            provider=_str(data.get("provider")),
            usage=Usage.from_json(data.get("usage")),
            pause=Pause.from_json(data.get("pause")),
            require_approval=tuple(t for t in tools if isinstance(t, str)) if isinstance(tools, list) else (),
            raw=dict(data),
        )


@_known
@dataclass(frozen=True)
class TaskEvent(_Model):
    """One task event: ``{task_id, seq, type, message, payload, timestamp}``.

    ``data`` is the event's parsed ``payload`` (a dict, or ``None``); ``payload`` is an alias.
    ``seq`` starts at 1 per task and has no gaps; live-only ``LLM_PARTIAL`` events have ``seq`` 0.
    """

    type: str
    message: str = ""
    seq: int = 0
    data: Optional[Dict[str, Any]] = None
    task_id: str = ""
    timestamp: Optional[datetime] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    _KNOWN_JSON: ClassVar[FrozenSet[str]] = frozenset({"type", "message", "seq", "payload", "task_id", "timestamp"})

    @property
    def payload(self) -> Optional[Dict[str, Any]]:
        return self.data

    @property
    def is_terminal(self) -> bool:
        """True for TASK_COMPLETED, TASK_FAILED, TASK_CANCELLED and TASK_TIMEOUT."""
        return self.type in EventType.TERMINAL

    @property
    def is_partial(self) -> bool:
        """True for live-only pieces of model output (``LLM_PARTIAL``, ``seq`` 0)."""
        return self.seq == 0

    @property
    def extra(self) -> Dict[str, Any]:
        return {k: v for k, v in self.raw.items() if k not in self._KNOWN_JSON}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, type: Optional[str] = None, seq: Optional[int] = None) -> "TaskEvent":
        payload = data.get("payload")
        return cls(
            type=_str(data.get("type")) or type or "",
            message=_str(data.get("message"), "") or "",
            seq=_int(data.get("seq"), seq if seq is not None else 0) or 0,
            data=payload if payload is not None else None,
            task_id=_str(data.get("task_id"), "") or "",
            timestamp=parse_time(data.get("timestamp")),
            raw=dict(data),
        )


@_known
@dataclass(frozen=True)
class Session(_Model):
    """A session: a tenant's tasks with one ``session_id``, with their summed usage and cost."""

    session_id: str
    task_count: int = 0
    usage: Optional[Usage] = None
    first_activity_at: Optional[datetime] = None
    last_activity_at: Optional[datetime] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Session":
        return cls(
            session_id=_str(data.get("session_id"), "") or "",
            task_count=_int(data.get("task_count"), 0) or 0,
            usage=Usage.from_json(data.get("usage")),
            first_activity_at=parse_time(data.get("first_activity_at")),
            last_activity_at=parse_time(data.get("last_activity_at")),
            raw=dict(data),
        )


@_known
@dataclass(frozen=True)
class CancelResult(_Model):
    """The answer to a cancel: ``message`` is ``"Task cancelled"`` or ``"Task already cancelled"``."""

    success: bool
    message: str = ""
    task_id: str = ""
    status: str = ""
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "CancelResult":
        return cls(
            success=bool(data.get("success")),
            message=_str(data.get("message"), "") or "",
            task_id=_str(data.get("task_id"), "") or "",
            status=_str(data.get("status"), "") or "",
            raw=dict(data),
        )
