"""Integration with procurement platforms and ERPs: API clients, the changes feed, purchase checks."""
