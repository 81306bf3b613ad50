"""Putting service validation errors onto form fields, and saving a form's changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm.exc import StaleDataError

from supplychain.errors import Conflict, ValidationFailed


def attach_errors(form, errors: dict[str, list]) -> None:
    """Show each service error on its field, as plain text (`plain`); errors without a field go to the form's
    general errors."""
    general = []
    for name, messages in plain(errors).items():
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


def plain(errors: dict) -> dict:
    """Messages as plain text: Flask-Babel's lazy strings claim to be safe HTML, so a value echoed in one
    (an e-mail address as typed) would reach the page unescaped; as str, Jinja escapes it."""
    return {
        key: [str(m) if hasattr(m, "__html__") else m for m in messages] for key, messages in errors.items()
    }


def flash_errors(errors: dict[str, list]) -> None:
    """Show every message of a refusal as a flash (for small forms that redirect instead of re-rendering)."""
    from flask import flash

    for messages in errors.values():
        for message in messages:
            flash(str(message), "danger")


@dataclass
class Outcome:
    """Whether the changes made inside :func:`saving` were committed."""

    saved: bool = False


@contextmanager
def saving(form=None, on_conflict: Callable[[], None] | None = None,
           conflict_errors: tuple[type[Exception], ...] = (Conflict, StaleDataError)) -> Iterator[Outcome]:
    """Commit what the block changes; on a refusal roll back and show why, and ``saved`` stays False.

    A ValidationFailed puts its messages on the form's fields, or flashes them when there is no form
    (small forms that redirect). With ``on_conflict``, one of ``conflict_errors`` (the record changed
    under the user) calls it instead (it rolls back itself, see :func:`supplychain.views.conflicts.show`).
    """
    from supplychain import db

    outcome = Outcome()
    try:
        yield outcome
    except conflict_errors:
        if on_conflict is None:
            raise
        on_conflict()
    except ValidationFailed as failed:
        db.session.rollback()
        if form is None:
            flash_errors(failed.errors)
        else:
            attach_errors(form, failed.errors)
    else:
        db.session.commit()
        outcome.saved = True
