"""Payment reminders around each due date (issue 7): when they may be sent; the sending comes
with the negotiation journey."""
