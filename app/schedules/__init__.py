"""P2K2 groups, e-Warong agents and meetings (P2K2 sessions, distributions): scheduling, views, messages."""
