"""How the insurer signs the events it pushes to Acolhe, and how the gateway checks them: one
scheme, written once for the signer (sandbox/collections/delivery.py) and the verifier
(channels/insurer_events.py).

`X-Acolhe-Signature: sha256=<hex HMAC-SHA256(INSURER_EVENTS_SECRET, "<timestamp>." + raw body)>`
with `X-Acolhe-Timestamp: <unix seconds>`: the timestamp is signed with the body, so a captured
request cannot be replayed once the receiver's clock has moved on.
"""

import hashlib
import hmac

TIMESTAMP_HEADER = "X-Acolhe-Timestamp"
SIGNATURE_HEADER = "X-Acolhe-Signature"


def event_signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def signature_matches(secret: str, timestamp: str, body: bytes, given: str) -> bool:
    """In constant time: a wrong guess says nothing about how much of it was right."""
    expected = event_signature(secret, timestamp, body)
    return hmac.compare_digest(given.encode(), expected.encode())
