"""Fixtures for tests against a real, running Taskgate.

Environment: ``TASKGATE_URL`` (default ``http://localhost:8080``), ``TASKGATE_API_KEY`` (default
``sk_test_123456``) and ``TASKGATE_OTHER_API_KEY``, a key of a second tenant (default
``sk_test_other_tenant``). The app must run with simulation on (its embedded mode does).
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from typing import Iterator, List

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for _proxy
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # the package, uninstalled

from taskgate import Taskgate  # noqa: E402

BASE_URL = os.environ.setdefault("TASKGATE_URL", "http://localhost:8080").rstrip("/")
API_KEY = os.environ.get("TASKGATE_API_KEY") or "sk_test_123456"
OTHER_API_KEY = os.environ.get("TASKGATE_OTHER_API_KEY") or "sk_test_other_tenant"
# The API doc's loop builds its client with only api_key=..., so the URL must come from here.
os.environ["TASKGATE_URL"] = BASE_URL


def pytest_sessionstart(session: pytest.Session) -> None:
    try:
        ready = httpx.get(BASE_URL + "/q/health/ready", timeout=10)
    except httpx.HTTPError as exc:
        pytest.exit(f"Taskgate is not reachable at {BASE_URL}: {exc}", returncode=1)
    if ready.status_code != 200:
        pytest.exit(f"Taskgate at {BASE_URL} is not ready: HTTP {ready.status_code}", returncode=1)


def gaps_and_duplicates(seqs: List[int]) -> "tuple[int, int]":
    """How many seqs are missing before the highest one, and how many came more than once."""
    duplicates = len(seqs) - len(set(seqs))
    ordered = sorted(set(seqs))
    gaps = sum(b - a - 1 for a, b in zip([0] + ordered, ordered))
    return gaps, duplicates


def new_session_id(prefix: str = "py") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


@pytest.fixture(scope="session")
def client() -> Iterator[Taskgate]:
    with Taskgate(api_key=API_KEY, base_url=BASE_URL) as c:
        yield c


@pytest.fixture(scope="session")
def other_client() -> Iterator[Taskgate]:
    with Taskgate(api_key=OTHER_API_KEY, base_url=BASE_URL) as c:
        yield c


@pytest.fixture
def session_id() -> str:
    return new_session_id()


class RequestLog:
    """Records the requests and answers an httpx client sees (to count pages and retries)."""

    def __init__(self) -> None:
        self.requests: List[httpx.Request] = []
        self.statuses: List[int] = []

    def on_request(self, request: httpx.Request) -> None:
        self.requests.append(request)

    def on_response(self, response: httpx.Response) -> None:
        self.statuses.append(response.status_code)

    async def aon_request(self, request: httpx.Request) -> None:
        self.on_request(request)

    async def aon_response(self, response: httpx.Response) -> None:
        self.on_response(response)

    def paths(self) -> List[str]:
        return [r.url.path for r in self.requests]


@pytest.fixture
def logged_client() -> Iterator["tuple[Taskgate, RequestLog]"]:
    log = RequestLog()
    http = httpx.Client(event_hooks={"request": [log.on_request], "response": [log.on_response]})
    with Taskgate(api_key=API_KEY, base_url=BASE_URL, http_client=http) as c:
        yield c, log
    http.close()
