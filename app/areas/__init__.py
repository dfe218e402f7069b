"""The official area list: loading it, its time zones, and the in-memory gazetteer for the engine."""
