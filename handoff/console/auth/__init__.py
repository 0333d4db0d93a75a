"""The agent console's security: password + TOTP login, sessions, CSRF, roles.

Deliberately empty, so that importing the tables (handoff/models.py) does not pull in FastAPI.
What the service and the console's pages use:

    from handoff.console.auth.router import install_console_auth     # wiring, in handoff/main.py
    from handoff.console.auth.settings import ConsoleAuthSettings
    from handoff.console.auth.dependencies import CurrentAgent, CurrentSupervisor, require_role
    from handoff.console.auth.dependencies import can_work_skill, WebSocketAgent
"""
