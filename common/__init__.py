"""Shared by the services (gateway, handoff, sandbox, worker): settings, SQL, logs, health."""
