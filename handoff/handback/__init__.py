"""Giving the conversation back to the bot once its handoff is resolved.

The handoff is resolved in SQL first and stays resolved whatever the gateway does; the gateway is
then told (POST /api/conversations/{id}/handoff/end). A row in handoff_handbacks tracks that
call: `done_at` empty means "the gateway has not been told yet", and the background pass
(handoff/background.py) tries again with a growing delay until the gateway answers, or until
HANDOFF_HANDBACK_RETRY_HOURS have passed. A resolved handoff with no row at all (the process stopped
between the resolution and the first call) is found the same way.
"""
