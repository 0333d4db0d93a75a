"""The handoff service's internal API, called by the gateway (docs/handoff.md): open a handoff,
pass on the member's messages, hand over the CSAT answer. Bearer HANDOFF_API_TOKEN."""
