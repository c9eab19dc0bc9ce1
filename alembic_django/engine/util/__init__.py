"""Small helpers shared by the engine (stdlib only)."""
