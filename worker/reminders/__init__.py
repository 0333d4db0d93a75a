"""Payment reminders around each due date (issue 7): when they may be sent (cadence.py) and the
pass that sends them through the gateway (job.py)."""
