"""The handoff queue: conversations waiting for a live agent, who gets which, and when.

SQL holds every handoff and its timeline; Redis keeps a copy of each skill's order for fast reads
and tells the consoles about every change.

- service.py: a handoff's life (open, claim, transfer, first reply, resolve) and reads of it
- routing.py: the queue an agent sees, and round-robin auto-assignment
- assignment.py: the race-safe step that gives one handoff to one agent
- presence.py: agents going on and off line
- positions.py: place in the queue and expected wait
- hours.py (+ hours.yml): business hours and national holidays
- fast_path.py: the Redis copy of the queues; notify.py: the consoles' channel
- protocol.py: the protocol number; timeline.py: the append-only event log
- models.py, enums.py, errors.py, eligibility.py, sql.py: the shared pieces
"""
