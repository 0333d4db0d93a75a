"""The session cookie: HttpOnly (page scripts cannot read it), SameSite=Strict (other sites'
requests do not carry it), Secure unless in dev mode, and no Max-Age, so the browser drops it
when it closes; the server's idle and absolute limits apply either way."""

from starlette.responses import Response

from handoff.console.auth.runtime import ConsoleAuth


def set_session_cookie(response: Response, auth: ConsoleAuth, token: str) -> None:
    response.set_cookie(
        auth.cookie_name,
        token,
        path="/",
        httponly=True,
        samesite="strict",
        secure=auth.settings.secure_cookies,
    )


def clear_session_cookie(response: Response, auth: ConsoleAuth) -> None:
    response.delete_cookie(
        auth.cookie_name,
        path="/",
        httponly=True,
        samesite="strict",
        secure=auth.settings.secure_cookies,
    )


def cleared_cookie_headers(auth: ConsoleAuth) -> dict[str, str]:
    """Headers for an error response that also drops the browser's dead session cookie."""
    response = Response()
    clear_session_cookie(response, auth)
    return {"Set-Cookie": response.headers["set-cookie"]}
