"""Handoff service: escalation API for the bot, agents' queue and console, SLA, CSAT and KPIs."""
