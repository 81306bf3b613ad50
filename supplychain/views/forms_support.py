"""Putting service validation errors onto form fields."""

from __future__ import annotations


def attach_errors(form, errors: dict[str, list]) -> None:
    """Show each service error on its field; errors without a field go to the form's general errors."""
    general = []
    for name, messages in errors.items():
        field = getattr(form, name.split(".")[0], None)
        if field is None or not hasattr(field, "errors"):
            general.extend(messages)
            continue
        if isinstance(field.errors, tuple):
            field.errors = list(field.errors)
        if isinstance(field.errors, dict):
            general.extend(messages)
            continue
        field.errors.extend(messages)
    form.form_errors = list(getattr(form, "form_errors", [])) + general
