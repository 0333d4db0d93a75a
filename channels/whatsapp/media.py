"""Files members send on WhatsApp (a medical request, a receipt), fetched from Twilio and kept.

Only the types in MEDIA_TYPES, up to MEDIA_MAX_BYTES, counted while downloading so a huge file
is cut off rather than filled onto the disk. Files are named by a random id, never by anything
the member wrote.
"""

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

import httpx


class MediaTooLarge(Exception):
    pass


class MediaUnavailable(Exception):
    """Twilio did not hand the file over now; worth trying again."""


class MediaGone(Exception):
    """Twilio refused the file for good (deleted, not found): asking again will not help."""


@dataclass(frozen=True)
class StoredMedia:
    id: str
    content_type: str
    size: int
    sha256: str


class MediaFolder:
    def __init__(self, *, folder: Path, max_bytes: int, http: httpx.AsyncClient) -> None:
        self._folder = folder
        self._max_bytes = max_bytes
        self._http = http

    @property
    def max_bytes(self) -> int:
        return self._max_bytes

    def path_of(self, media_id: str) -> Path:
        return self._folder / media_id

    async def fetch(self, url: str, *, content_type: str, auth: tuple[str, str]) -> StoredMedia:
        self._folder.mkdir(parents=True, exist_ok=True)
        media_id = secrets.token_hex(16)
        partial = self._folder / f"{media_id}.part"
        digest, size = hashlib.sha256(), 0
        try:
            async with self._http.stream("GET", url, auth=auth, follow_redirects=True) as response:
                if (
                    response.is_client_error
                    and response.status_code != httpx.codes.TOO_MANY_REQUESTS
                ):
                    raise MediaGone(f"HTTP {response.status_code}")
                if response.status_code != httpx.codes.OK:
                    raise MediaUnavailable(f"HTTP {response.status_code}")
                with partial.open("wb") as file:
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > self._max_bytes:
                            raise MediaTooLarge
                        digest.update(chunk)
                        file.write(chunk)
        except httpx.HTTPError as error:
            partial.unlink(missing_ok=True)
            raise MediaUnavailable(type(error).__name__) from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.rename(self.path_of(media_id))
        return StoredMedia(
            id=media_id, content_type=content_type, size=size, sha256=digest.hexdigest()
        )
