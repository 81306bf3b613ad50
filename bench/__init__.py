"""Benchmarks with their own data generator; they print figures, they do not pass or fail."""
