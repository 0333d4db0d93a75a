"""Payment negotiation (issue 7): the policy engine first; the dialogue comes on top of it."""

from actions.negotiation.policy import negotiation_policy

# Read now: the action server imports this package at start, so a broken policy.yml stops it
# there, naming the key, rather than in front of a member.
negotiation_policy()
