"""Newsroom benchmarks: ``python -m bench.<name>`` against the database in DATABASE_URL."""
