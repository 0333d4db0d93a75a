"""Gateway settings, read from the environment (see .env.example)."""

from pathlib import Path

from pydantic import Field, SecretStr

from common.settings import ServiceSettings

PACKAGE = Path(__file__).resolve().parent


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

    # --- the durable queue and the outbox
    # Conversations answered at once by one gateway process.
    turn_concurrency: int = 64
    # How often SQL is searched for work Redis lost (a crash between commit and enqueue).
    recovery_interval_seconds: float = 2.0
    # Longest wait between two attempts of the same message (bot down, channel failing).
    retry_cap_seconds: float = 30.0
    # An outbound message failing this many times in a row is given up and marked failed.
    outbox_max_attempts: int = 20

    # --- WhatsApp through Twilio: the channel is on when the first four are set
    twilio_account_sid: str = ""
    twilio_auth_token: SecretStr = SecretStr("")
    # The sender, e.g. whatsapp:+5511999999999
    whatsapp_from: str = ""
    # The URL Twilio calls the gateway at (https://acolhe.example.com): signatures are checked
    # against it, and status callbacks and media links are built from it.
    public_base_url: str = ""
    twilio_api_base_url: str = "https://api.twilio.com"
    twilio_timeout_seconds: float = 10.0
    whatsapp_templates_file: Path = PACKAGE / "whatsapp" / "templates.yml"
    # Keys for the member's phone number: an HMAC key for the conversation id and a Fernet key
    # (cryptography.fernet.Fernet.generate_key()) to encrypt the number at rest.
    contact_pseudonym_key: SecretStr = SecretStr("")
    contact_encryption_key: SecretStr = SecretStr("")
    # Files members send (medical requests, receipts).
    media_dir: Path = Path("var/media")
    media_max_bytes: int = 10 * 1024 * 1024
    media_types: list[str] = Field(
        default_factory=lambda: ["image/jpeg", "image/png", "image/webp", "application/pdf"]
    )

    # --- the API other services send through (handoff agents, reminders)
    gateway_api_token: SecretStr = SecretStr("")

    # --- events the insurer pushes (POST /webhooks/insurer): the key of their HMAC signature.
    # Unset: the webhook answers 503, so an insurer pointed at it retries rather than loses them.
    insurer_events_secret: SecretStr = SecretStr("")

    # --- the handoff service, where conversations go to agents (docs/handoff.md)
    handoff_url: str = "http://localhost:8001"
    handoff_api_token: SecretStr = SecretStr("")
    handoff_timeout_seconds: float = 5.0

    @property
    def whatsapp_enabled(self) -> bool:
        return bool(
            self.twilio_account_sid
            and self.twilio_auth_token.get_secret_value()
            and self.whatsapp_from
            and self.public_base_url
        )
