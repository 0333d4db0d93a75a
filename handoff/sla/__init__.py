"""Service levels of the handoff queue: targets and escalation ladders (sla.yml), and the
evaluator that records each breach once and escalates it."""
