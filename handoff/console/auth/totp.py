"""The second factor: TOTP codes (RFC 6238, 6 digits, 30 s) from an authenticator app.

Secrets are kept encrypted with Fernet; this module never touches the database (the replay
guard is totp_replay.py).
"""

import hmac
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken

ISSUER = "Acolhe"
DIGITS = 6
STEP_SECONDS = 30
# Codes from the previous and next time step are accepted too: phones' clocks drift.
VALID_WINDOW = 1


class TotpSecrets:
    """Encrypts and decrypts TOTP secrets with the service's key."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def encrypt(self, secret: str) -> bytes:
        return self._fernet.encrypt(secret.encode())

    def decrypt(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken as error:
            raise ValueError(
                "the TOTP secret was encrypted with another CONSOLE_TOTP_ENCRYPTION_KEY"
            ) from error


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, *, account: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=ISSUER
    )


def qr_svg(uri: str) -> str:
    """The provisioning URI as an inline SVG QR code, for the enrolment page."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=2)


def time_step(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def matching_step(secret: str, code: str, *, now: datetime) -> int | None:
    """The time step whose code this is (within ±1 step of now), or None."""
    code = code.replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = time_step(now)
    found = None
    # Every candidate is compared, so timing does not reveal which step matched.
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found
