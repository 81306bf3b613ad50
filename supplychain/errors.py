"""Validation errors that carry every problem at once, per field or per row."""

from __future__ import annotations


class ValidationFailed(Exception):
    """Raised by a service when input is refused; `errors` maps a field name to its messages."""

    def __init__(self, errors: dict[str, list]):
        super().__init__("; ".join(f"{field}: {', '.join(map(str, msgs))}" for field, msgs in errors.items()))
        self.errors = errors


class Conflict(Exception):
    """Raised when a record changed under the user (optimistic locking); `record` is the record, when known."""

    def __init__(self, record=None):
        super().__init__("the record changed since it was read")
        self.record = record


def add_error(errors: dict[str, list], name: str, message) -> None:
    """Add a message to a field's problems (the errors a ValidationFailed carries: every problem at once)."""
    errors.setdefault(name, []).append(message)
