"""The agent console: the web page agents work from, its API and websocket, and its security.

- auth/: login with password and TOTP, sessions, CSRF, roles (its own engineer's package)
- router.py (thin views) → reads.py, actions.py, supervision.py (what each route does, audited;
  access.py: who may see a handoff, refusals, the audit entry) → handoff/queue
- views.py: what an agent may see of a handoff (clinical details, by need)
- presenters.py, schemas.py: the JSON the page gets; errors.py: the refusals
- canned.py + canned.yml: canned responses and reply templates, pt and es
- websocket.py, hub.py, fanout.py, events.py: live events through Redis pub/sub
- page.py: GET /console and /console/static (the page itself lives in static/)
"""
