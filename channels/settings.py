"""Gateway settings, read from the environment (see .env.example)."""

from pydantic import Field

from common.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    rasa_url: str = "http://localhost:5005"
    rasa_timeout_seconds: float = 30.0
    # Longer texts are refused (413), not cut: a cut message would change what the member said.
    max_message_chars: int = 4096
    # Caps what one HTTP request or socket.io packet may carry, so a huge body is refused before
    # it is parsed; generous for a 4096-character message plus metadata.
    max_body_bytes: int = 64 * 1024
    # Origins whose pages may open the web chat socket (e.g. an insurer site embedding the widget),
    # as a JSON list; list the gateway's own origin too then. Empty means same origin only.
    webchat_allowed_origins: list[str] = Field(default_factory=list)
