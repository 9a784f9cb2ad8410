"""Packaging facts that need no server."""

from __future__ import annotations

import re
from pathlib import Path

import taskgate
from taskgate.models import format_time, parse_time

ROOT = Path(__file__).resolve().parents[1]


def test_version_matches_pyproject():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^version = "([^"]+)"', pyproject, re.M).group(1) == taskgate.__version__ == "0.1.0"


def test_public_names():
    for name in taskgate.__all__:
        assert hasattr(taskgate, name), name
    assert issubclass(taskgate.ServiceUnavailable, taskgate.ServerError)
    assert issubclass(taskgate.WaitTimeout, TimeoutError)
    for cls in (taskgate.BadRequest, taskgate.Unauthorized, taskgate.NotFound, taskgate.Conflict,
                taskgate.PayloadTooLarge, taskgate.UnprocessableEntity, taskgate.RateLimited,
                taskgate.ServerError, taskgate.NetworkError, taskgate.StreamError, taskgate.WaitTimeout):
        assert issubclass(cls, taskgate.TaskgateError)


def test_timestamps_of_every_precision():
    assert parse_time("2025-10-22T10:30:00Z").isoformat() == "2025-10-22T10:30:00+00:00"
    assert parse_time("2026-12-02T02:18:27.519750479Z").microsecond == 519750
    assert parse_time("2026-12-02T02:18:27.5+02:00").isoformat() == "2026-12-02T02:18:27.500000+02:00"
    assert parse_time("not a time") is None and parse_time(None) is None
    assert format_time(parse_time("2025-10-22T10:30:00Z")) == "2025-10-22T10:30:00Z"
