"""Scheduled and deferred jobs (reminders, delay warnings, CSAT surveys, SLA sweeps) on arq."""
