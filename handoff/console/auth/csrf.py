"""Cross-site request forgery: state-changing requests must prove they come from the console.

Two checks, both required for POST/PUT/PATCH/DELETE carrying a session cookie:
- Origin (or, failing that, Referer) is the console's configured origin;
- X-CSRF-Token matches the session's token, which only the console's own page can read.
SameSite=Strict cookies already stop most forgeries; these hold where it does not (old browsers,
a sibling subdomain).
"""

import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import urlsplit

CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token_for(session_token: str) -> str:
    """The session's CSRF token, derived from its secret token so that nothing else is stored.

    The page reads it from GET /console/api/session; another site's page can read neither it nor
    the HttpOnly cookie it comes from.
    """
    return hmac.new(session_token.encode(), b"acolhe-console-csrf", hashlib.sha256).hexdigest()


def origin_problem(headers: Mapping[str, str], *, allowed_origin: str) -> str | None:
    """Why the request's origin is not the console's, or None when it is."""
    origin = headers.get("origin")
    if origin is None:
        referer = headers.get("referer")
        if not referer:
            return "the request names no Origin or Referer"
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    if origin != allowed_origin:
        return "the request comes from another origin than the console's"
    return None


def csrf_problem(
    method: str, headers: Mapping[str, str], *, session_token: str, allowed_origin: str
) -> str | None:
    """Why this request with a session cookie must be refused as a possible forgery, or None."""
    if method.upper() in SAFE_METHODS:
        return None
    problem = origin_problem(headers, allowed_origin=allowed_origin)
    if problem:
        return problem
    given = headers.get(CSRF_HEADER.lower(), "")
    if not given:
        return f"the {CSRF_HEADER} header is missing"
    if not hmac.compare_digest(given.encode(), csrf_token_for(session_token).encode()):
        return f"the {CSRF_HEADER} header does not match the session"
    return None
