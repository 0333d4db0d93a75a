"""Reference insurer API that the actions call; a real insurer points them at its own API."""
