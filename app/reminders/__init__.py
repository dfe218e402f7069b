"""Reminders: planned as rows, moved into the outbox exactly once by the scheduler."""
