"""What every Acolhe service (gateway, handoff, sandbox, worker) shares: settings, SQL, logs, health."""
