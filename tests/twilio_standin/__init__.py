"""A local stand-in for Twilio's REST API (WhatsApp messaging), for tests and benchmarks.

The real twilio library reaches it through
`channels.whatsapp.twilio_api.twilio_client(base_url=...)`.
Run it in process with `StandinServer`, or as a process with `python -m tests.twilio_standin`.
"""

from tests.twilio_standin.app import create_app
from tests.twilio_standin.server import StandinControl, StandinServer
from tests.twilio_standin.webhooks import inbound_message_params, post_inbound, signature

__all__ = [
    "StandinControl",
    "StandinServer",
    "create_app",
    "inbound_message_params",
    "post_inbound",
    "signature",
]
