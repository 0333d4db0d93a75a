"""Agents' private notes on a handoff: kept in SQL, shown in the console, never sent to the
member."""
