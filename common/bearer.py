"""The bearer token check of the services' internal APIs (the gateway's and the handoff
service's): constant-time comparison, and a 401 that says what is expected."""

import hmac

from fastapi import HTTPException, status


def require_bearer(authorization: str, token: str) -> None:
    """Raise 401 unless `authorization` is "Bearer <token>"."""
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="a valid bearer token is required",
            headers={"WWW-Authenticate": "Bearer"},
        )
