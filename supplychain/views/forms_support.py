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


def fill_organisations(field, selected: int | None = None) -> None:
    """Offer the open organisations of the user's scope for a record; preselect the record's or the user's own."""
    from flask import request
    from flask_login import current_user

    from supplychain import db, scope

    field.choices = [(org.id, org.display_name) for org in scope.organisations_in_scope(db.session)
                     if org.is_open or org.id == selected]
    if request.method == "GET" or field.data is None:
        field.data = selected or current_user.organisation_id


def flash_errors(errors: dict[str, list]) -> None:
    """Show every message of a refusal as a flash (for small forms that redirect instead of re-rendering)."""
    from flask import flash

    for messages in errors.values():
        for message in messages:
            flash(str(message), "danger")
