"""The console page: `GET /console` serves static/index.html, `/console/static/...` its scripts
and styles. Everything comes from this service (no CDN), and the Content-Security-Policy says so:
scripts only from here and no inline scripts, connections only back here (the API and the
websocket), and no framing by another site (clickjacking)."""

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"
INDEX = STATIC_DIR / "index.html"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Inline style attributes are allowed (small layout tweaks); inline scripts are not.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}

router = APIRouter(tags=["console page"])


@router.get("/console", include_in_schema=False)
async def console_page() -> Response:
    if not INDEX.is_file():
        return PlainTextResponse(
            "the console page is not installed (handoff/console/static/index.html)",
            status_code=503,
        )
    return FileResponse(INDEX, media_type="text/html", headers=PAGE_HEADERS)


def mount_console_page(app: FastAPI) -> None:
    app.include_router(router)
    # check_dir=False: the folder may arrive after the service is built (or be missing in a
    # stripped image), and then /console answers 503 rather than the service failing to start.
    app.mount(
        "/console/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="console-static"
    )
