"""What Twilio sends TO the product: incoming WhatsApp messages, form-encoded and signed.

The field set follows Twilio's incoming-message webhook for WhatsApp senders, so the product's
webhook handler and its signature check meet in tests the same request they meet in production.
"""

import re
import secrets
from collections.abc import Sequence

import httpx
from twilio.request_validator import RequestValidator

from tests.twilio_standin.app import API_VERSION, WHATSAPP, new_sid

SIGNATURE_HEADER = "X-Twilio-Signature"
TWILIO_USER_AGENT = "TwilioProxy/1.1"


def whatsapp_address(phone: str) -> str:
    return phone if phone.startswith(WHATSAPP) else f"{WHATSAPP}{phone}"


def message_type_for(
    *,
    media: Sequence[tuple[str, str]],
    latitude: float | str | None,
    button_payload: str | None,
) -> str:
    """The MessageType Twilio reports, from what the message carries."""
    if latitude is not None:
        return "location"
    if button_payload is not None:
        return "button"
    if not media:
        return "text"
    kind = media[0][1].split("/", 1)[0]
    return kind if kind in ("image", "audio", "video") else "document"


def inbound_message_params(
    *,
    from_phone: str,
    to: str,
    body: str = "",
    message_sid: str | None = None,
    account_sid: str,
    media: Sequence[tuple[str, str]] = (),
    latitude: float | str | None = None,
    longitude: float | str | None = None,
    address: str | None = None,
    label: str | None = None,
    profile_name: str | None = None,
    button_payload: str | None = None,
    button_text: str | None = None,
    message_type: str | None = None,
) -> dict[str, str]:
    """The form Twilio posts for one incoming WhatsApp message.

    Phones may be given with or without the `whatsapp:` prefix. `media` is (url, content type)
    pairs, e.g. from `StandinControl.upload_media`; a message with media gets an "MM" SID.
    A button reply's ButtonText defaults to the body, which is what WhatsApp shows as sent.
    """
    sender = whatsapp_address(from_phone)
    sid = message_sid or new_sid("MM" if media else "SM")
    params = {
        "SmsMessageSid": sid,
        "NumMedia": str(len(media)),
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "To": whatsapp_address(to),
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": sender,
        "ApiVersion": API_VERSION,
        "WaId": re.sub(r"\D", "", sender),
        "MessageType": message_type
        or message_type_for(media=media, latitude=latitude, button_payload=button_payload),
    }
    if profile_name is not None:
        params["ProfileName"] = profile_name
    for index, (url, content_type) in enumerate(media):
        params[f"MediaContentType{index}"] = content_type
        params[f"MediaUrl{index}"] = url
    if latitude is not None:
        params["Latitude"] = str(latitude)
    if longitude is not None:
        params["Longitude"] = str(longitude)
    if address is not None:
        params["Address"] = address
    if label is not None:
        params["Label"] = label
    if button_payload is not None:
        params["ButtonPayload"] = button_payload
        params["ButtonText"] = body if button_text is None else button_text
    return params


def signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """The X-Twilio-Signature Twilio computes for a form POST to `url`."""
    computed: str = RequestValidator(auth_token).compute_signature(url, params)
    return computed


async def post_inbound(
    http: httpx.AsyncClient,
    url: str,
    params: dict[str, str],
    auth_token: str,
    signed: bool = True,
) -> httpx.Response:
    """POST the webhook like Twilio: form-encoded, signed with the account's auth token.

    The signature covers the absolute URL the request goes to, so a relative `url` against the
    client's base_url is signed as the product will see it.
    """
    headers = {"User-Agent": TWILIO_USER_AGENT, "I-Twilio-Idempotency-Token": secrets.token_hex(16)}
    request = http.build_request("POST", url, data=params, headers=headers)
    if signed:
        request.headers[SIGNATURE_HEADER] = signature(auth_token, str(request.url), params)
    return await http.send(request)
