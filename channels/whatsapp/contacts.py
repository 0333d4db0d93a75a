"""Who a WhatsApp member is, kept out of sight: a pseudonym for keys, the number encrypted.

The conversation id (also Rasa's sender id, and in every log line) is an HMAC of the phone
number, so the same member always lands in the same conversation while nobody can read the number
back from it. The number itself is needed to answer, so it is stored encrypted (Fernet: AES-128-CBC
with an HMAC) with a key that lives only in the environment.
"""

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken

WHATSAPP_PREFIX = "whatsapp:"
CONVERSATION_PREFIX = "wa-"

# Where the member's country speaks Spanish; everyone else is greeted in Portuguese.
SPANISH_CALLING_CODES = ("+34", "+56", "+54", "+52", "+57", "+51", "+58", "+593", "+598", "+595")


class ContactVault:
    def __init__(self, *, pseudonym_key: str, encryption_key: str) -> None:
        if not pseudonym_key or not encryption_key:
            raise ValueError("CONTACT_PSEUDONYM_KEY and CONTACT_ENCRYPTION_KEY must be set")
        self._pseudonym_key = pseudonym_key.encode()
        self._fernet = Fernet(encryption_key.encode())

    def conversation_id(self, phone: str) -> str:
        digest = hmac.new(self._pseudonym_key, phone.encode(), hashlib.sha256).hexdigest()
        return CONVERSATION_PREFIX + digest[:40]

    def encrypt(self, phone: str) -> bytes:
        return self._fernet.encrypt(phone.encode())

    def decrypt(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken as error:
            raise ValueError(
                "the number was encrypted with another CONTACT_ENCRYPTION_KEY"
            ) from error


def phone_of(address: str) -> str:
    """`whatsapp:+5511...` → `+5511...`."""
    return address.removeprefix(WHATSAPP_PREFIX).strip()


def language_of(phone: str) -> str:
    return "es" if phone.startswith(SPANISH_CALLING_CODES) else "pt"
