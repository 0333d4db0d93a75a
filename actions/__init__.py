"""Custom actions, one module per journey; run by the action server (`rasa run actions`).

The foundation needs none: every answer so far is a response in domain.yml. The journeys
(authorization, claim status, negotiation) add their modules here.
"""
