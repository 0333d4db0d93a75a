"""`GET /`: the web chat page, and where its static files live."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).parent / "static"
BUNDLE = STATIC_DIR / "vendor" / "webchat.js"
BUILD_COMMAND = "cd channels/webchat && npm ci --ignore-scripts && npm run build"

router = APIRouter(tags=["web chat"])


@router.get("/", include_in_schema=False)
async def web_chat_page() -> FileResponse:
    # no-cache: a new deployment's page must not pair with an old cached one.
    return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})
