"""Benchmarks: what the project's own code costs, measured against bare Django doing the same work."""
