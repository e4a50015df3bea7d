"""Scheduled digests and failure alerts: timing, the state store, the scheduler."""
