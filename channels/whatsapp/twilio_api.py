"""The Twilio REST client the gateway sends with: the official async client, pointed at a base URL.

TWILIO_API_BASE_URL is `https://api.twilio.com` in production; an egress proxy, or the tests'
local stand-in for Twilio, is reached by changing it. Only the scheme and host change: the
paths, forms and authentication stay the twilio library's own.
"""

from urllib.parse import urlsplit, urlunsplit

from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

TWILIO_API = "https://api.twilio.com"


class _BaseUrlHttpClient(AsyncTwilioHttpClient):
    def __init__(self, base_url: str, timeout_seconds: float) -> None:
        super().__init__(timeout=timeout_seconds)
        target = urlsplit(base_url)
        self._scheme, self._netloc = target.scheme, target.netloc

    async def request(self, method: str, url: str, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        parts = urlsplit(url)
        url = urlunsplit((self._scheme, self._netloc, parts.path, parts.query, parts.fragment))
        return await super().request(method, url, *args, **kwargs)


def twilio_client(
    *, account_sid: str, auth_token: str, base_url: str = TWILIO_API, timeout_seconds: float = 10.0
) -> Client:
    """An async-capable Client; close it with `await client.http_client.close()`."""
    return Client(
        account_sid,
        auth_token,
        http_client=_BaseUrlHttpClient(base_url, timeout_seconds),
    )
