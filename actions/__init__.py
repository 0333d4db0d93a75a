"""Custom actions, one module per journey; run by the action server (`rasa run actions`).

escalation: emergencies and requests for a person. The journeys (authorization, claim status,
negotiation) add their modules here.
"""
