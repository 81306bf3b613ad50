"""Services: plain functions taking a session and plain values; the one place that loads and saves."""
