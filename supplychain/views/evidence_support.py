"""Shared pieces of the evidence pages: uploads, the store, form and service errors together, labels."""

from __future__ import annotations

from flask import abort, current_app
from sqlalchemy.orm.exc import StaleDataError

from supplychain import db, evidence_labels
from supplychain.errors import Conflict, ValidationFailed
from supplychain.services.core import attachments, locking
from supplychain.views import conflicts
from supplychain.views.forms_support import attach_errors, flash_errors


def store() -> attachments.Store:
    """The upload store configured for this app."""
    return attachments.Store.from_settings(current_app.config, current_app.instance_path)


def read_upload(storage, max_bytes: int) -> attachments.Upload | None:
    """The uploaded file of a form field (None without a file), read up to the limit plus one byte."""
    if storage is None or not getattr(storage, "filename", None):
        return None
    return attachments.Upload(storage.filename, storage.stream.read(max_bytes + 1))


def get_or_404(model, object_id: int):
    """The record, or a 404 page (also for softly deleted evidence: the identity map may still hold it)."""
    found = db.session.get(model, object_id)
    if found is None or getattr(found, "deleted_at", None) is not None:
        abort(404)
    return found


def show_errors(form, errors: dict) -> bool:
    """Put the service's errors on the fields the form itself did not fault; True when nothing is wrong.

    The form's own checks (a date that is not a date) and the service's rules are reported together.
    """
    for name, messages in errors.items():
        field = getattr(form, name, None)
        if field is not None and isinstance(getattr(field, "errors", None), list | tuple) and field.errors:
            continue
        attach_errors(form, {name: messages})  # as plain text: an echoed value never becomes markup
    return not any(f.errors for f in form) and not getattr(form, "form_errors", None)


def install(state) -> None:
    """Make the evidence labels available to every template (registered once by the attachments blueprint)."""
    state.app.jinja_env.globals.update(ev_label=evidence_labels.label, ev_badge=evidence_labels.badge)


def submit(form, check, save, record=None, entity_type: str | None = None, saved: dict | None = None):
    """Validate the form and the service's rules together; when both pass, save and commit.

    `check()` returns the service's errors without writing; `save()` writes. Returns what `save()`
    returned, or None when something was wrong (the errors are then on the form, nothing is saved).
    With `record` (an edit), the form's version must still be the record's: otherwise the conflict
    is shown with what changed (see supplychain.views.conflicts) and nothing is saved.
    """
    form.validate()
    if not show_errors(form, check()):
        return None
    try:
        if record is not None:
            locking.check(record, form.version_id.data)
        result = save()
    except (Conflict, StaleDataError):
        conflicts.show(form, record, entity_type, saved)
        return None
    except ValidationFailed as failed:
        db.session.rollback()
        show_errors(form, failed.errors)
        return None
    db.session.commit()
    return result


def run_and_flash(form, action) -> bool:
    """For a small form posted from another page: validate, run the action, commit or flash every error."""
    if not form.validate():
        flash_errors(form.errors)
        return False
    try:
        action()
    except ValidationFailed as failed:
        db.session.rollback()
        flash_errors(failed.errors)
        return False
    db.session.commit()
    return True
