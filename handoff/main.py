"""Handoff service wiring. The queue, routing and agent console grow here."""

from common.app import create_service_app
from common.settings import ServiceSettings

app = create_service_app(
    service="handoff", title="Acolhe handoff service", settings=ServiceSettings()
)
