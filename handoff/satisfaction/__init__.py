"""Satisfaction after a handoff: the member's CSAT answer, and a follow-up task for supervisors
when the score is low (DOMAIN.md: act on negative feedback quickly and visibly)."""
