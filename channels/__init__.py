"""The gateway: the only process that touches member-facing channels (REST, web chat, WhatsApp)."""
