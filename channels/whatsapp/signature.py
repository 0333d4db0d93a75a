"""Twilio's request signature, checked against the public URL Twilio called.

Behind a proxy the gateway sees its own host and scheme, not the ones Twilio signed, so the URL
is rebuilt from PUBLIC_BASE_URL plus the path and query the request arrived with.
"""

from fastapi import Request
from twilio.request_validator import RequestValidator

SIGNATURE_HEADER = "X-Twilio-Signature"


def public_url(public_base_url: str, request: Request) -> str:
    url = public_base_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    return url


def is_signed_by_twilio(
    *, auth_token: str, public_base_url: str, request: Request, form: dict[str, str]
) -> bool:
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:
        return False
    url = public_url(public_base_url, request)
    return bool(RequestValidator(auth_token).validate(url, form, signature))
