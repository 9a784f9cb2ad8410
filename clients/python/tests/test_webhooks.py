"""taskgate.webhooks.verify: the Standard Webhooks scheme, without a server.

Two vectors: one computed here from the scheme's definition (HMAC-SHA256 over "id.timestamp.body"
keyed by the base64-decoded secret), and one produced by the reference implementation, the npm
package ``standardwebhooks`` 1.3.0 (``new Webhook(secret).sign(id, new Date(ts * 1000), payload)``),
so that both sides agree with something this module did not write.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest

from taskgate import TaskgateError, WebhookVerificationError, webhooks

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"
TS = 1700000000
BODY = ('{"type":"task.completed","data":{"task_id":"task_01KBDX3XQ1ZJ7V6M2C8G4H5N0R",'
        '"status":"TASK_STATUS_COMPLETED"}}')
#: From the npm package standardwebhooks 1.3.0 for SECRET, MSG_ID, TS and BODY.
REFERENCE_SIGNATURE = "v1,ZpCODlLNUL6+GiwyC1ARprkNz4KjBBrUv1Dy5t1nMM8="


def headers(signature: str, msg_id: str = MSG_ID, ts: int = TS) -> dict:
    return {"webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": signature}


def test_signature_computed_from_the_scheme():
    key = base64.b64decode(SECRET[len("whsec_"):])
    digest = hmac.new(key, f"{MSG_ID}.{TS}.{BODY}".encode(), hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(digest).decode()
    assert webhooks.sign(SECRET, MSG_ID, TS, BODY) == expected
    assert webhooks.verify(SECRET, headers(expected), BODY.encode(), now=TS)["data"]["status"] == "TASK_STATUS_COMPLETED"


def test_reference_implementation_vector():
    assert webhooks.sign(SECRET, MSG_ID, TS, BODY) == REFERENCE_SIGNATURE
    event = webhooks.verify(SECRET, headers(REFERENCE_SIGNATURE), BODY, now=TS + 299)
    assert event == {"type": "task.completed",
                     "data": {"task_id": "task_01KBDX3XQ1ZJ7V6M2C8G4H5N0R", "status": "TASK_STATUS_COMPLETED"}}


def test_header_names_in_any_case_and_as_pairs():
    upper = {k.upper(): v for k, v in headers(REFERENCE_SIGNATURE).items()}
    assert webhooks.verify(SECRET, upper, BODY, now=TS)["type"] == "task.completed"
    pairs = [(k.encode(), v.encode()) for k, v in headers(REFERENCE_SIGNATURE).items()]
    assert webhooks.verify(SECRET, pairs, BODY, now=TS)["type"] == "task.completed"


def test_one_matching_signature_among_several_is_enough():
    listed = "v1,bm90IGl0 v2,whatever " + REFERENCE_SIGNATURE
    assert webhooks.verify(SECRET, headers(listed), BODY, now=TS)["type"] == "task.completed"


def test_current_time_by_default():
    now = int(time.time())
    signature = webhooks.sign(SECRET, MSG_ID, now, BODY)
    assert webhooks.verify(SECRET, headers(signature, ts=now), BODY)["type"] == "task.completed"


@pytest.mark.parametrize("change", ["body", "id", "timestamp", "secret", "signature"])
def test_any_change_is_refused(change):
    body, msg_id, ts, secret, sig = BODY, MSG_ID, TS, SECRET, REFERENCE_SIGNATURE
    if change == "body":
        body = BODY.replace("COMPLETED", "FAILED")
    elif change == "id":
        msg_id = "msg_other"
    elif change == "timestamp":
        ts = TS + 1
    elif change == "secret":
        secret = "whsec_" + base64.b64encode(b"another secret of 24 byt").decode()
    else:
        sig = "v1," + base64.b64encode(b"\0" * 32).decode()
    with pytest.raises(WebhookVerificationError, match="no matching signature") as info:
        webhooks.verify(secret, headers(sig, msg_id=msg_id, ts=ts), body, now=TS)
    assert isinstance(info.value, TaskgateError)


def test_timestamp_tolerance():
    with pytest.raises(WebhookVerificationError, match="too old"):
        webhooks.verify(SECRET, headers(REFERENCE_SIGNATURE), BODY, now=TS + 301)
    with pytest.raises(WebhookVerificationError, match="too new"):
        webhooks.verify(SECRET, headers(REFERENCE_SIGNATURE), BODY, now=TS - 301)
    assert webhooks.verify(SECRET, headers(REFERENCE_SIGNATURE), BODY, tolerance=3600, now=TS + 3000)
    with pytest.raises(WebhookVerificationError, match="not a number"):
        webhooks.verify(SECRET, {**headers(REFERENCE_SIGNATURE), "webhook-timestamp": "yesterday"}, BODY, now=TS)


def test_missing_headers_and_bad_secret():
    with pytest.raises(WebhookVerificationError, match="webhook-id, webhook-signature"):
        webhooks.verify(SECRET, {"webhook-timestamp": str(TS)}, BODY, now=TS)
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        webhooks.verify(SECRET, headers("v2," + REFERENCE_SIGNATURE[3:]), BODY, now=TS)
    with pytest.raises(ValueError):
        webhooks.verify("whsec_not base64!", headers(REFERENCE_SIGNATURE), BODY, now=TS)
