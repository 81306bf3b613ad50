"""Deterministic demo data: suppliers and accounts, the demo group, evidence and evaluations."""
