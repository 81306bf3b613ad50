"""Showing an optimistic-lock conflict (issue 14): the user's input stays, the saved values are shown.

One mechanism for every edit form: the form's hidden ``version_id`` is checked by
:func:`supplychain.services.core.locking.check`; on a Conflict the view calls :func:`show`, which
rolls back, puts the message and a table of "saved now / your input" into ``g.conflict`` (rendered by
base.html) and moves the form's version on, so saving again deliberately keeps the user's values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import g, render_template
from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FileField, FormField, HiddenField, PasswordField, SubmitField
from wtforms.csrf.core import CSRFTokenField

from supplychain import db
from supplychain.services.core import audit

MESSAGE = _l("Someone else saved this record after you opened it, so your changes were NOT saved. They are "
             "still in the form below. Compare them with what is saved now, then save again to keep yours.")
_SKIPPED = (CSRFTokenField, SubmitField, HiddenField, FileField, FieldList, FormField, PasswordField)


@dataclass(frozen=True)
class Difference:
    """One field whose saved value differs from the user's input."""

    label: str
    saved: str
    yours: str


@dataclass(frozen=True)
class ConflictView:
    """What base.html shows above the form: the message, who saved last and the differing fields."""

    message: Any
    last_change: Any
    differences: list[Difference]

    @property
    def who(self) -> str:
        """Who saved last, by name (issue 13 D22: names, not e-mails), else the logged e-mail."""
        entry = self.last_change
        if entry is None:
            return "—"
        from supplychain.models import User

        user = db.session.get(User, entry.actor_id) if entry.actor_id else None
        return (user.name if user is not None and user.name else None) or entry.actor_email or "—"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return ", ".join(sorted(_text(v) for v in value))
    return str(value).strip()


def differences(form, saved: dict[str, Any]) -> list[Difference]:
    """Fields of the form whose input differs from the saved values (``saved`` maps field names to values)."""
    found = []
    for field in form:
        if isinstance(field, _SKIPPED) or field.name not in saved:
            continue
        saved_text, yours = _text(saved[field.name]), _text(field.data)
        if saved_text != yours:
            found.append(Difference(str(field.label.text), saved_text or "—", yours or "—"))
    return found


def show(form, record, entity_type: str | None = None, saved: dict[str, Any] | None = None) -> None:
    """After a Conflict: roll back, reload the record and show what differs; the user's input stays in the form.

    ``saved`` maps form field names to the record's values where the names differ; other fields are
    read from the record's attributes of the same name. A value may be a callable, read after the reload.
    """
    db.session.rollback()  # expires the record: what follows reads what is saved now
    values = {field.name: getattr(record, field.name) for field in form if hasattr(record, field.name)}
    values.update({name: value() if callable(value) else value for name, value in (saved or {}).items()})
    trail = audit.for_entity(db.session, entity_type, record.id, limit=1) if entity_type else []
    g.conflict = ConflictView(MESSAGE, trail[0] if trail else None, differences(form, values))
    if hasattr(form, "version_id"):
        form.version_id.data = str(record.version_id)


def show_saved_version(form, latest) -> None:
    """A scheme saved as a new version by someone else since the editor opened: say which, keep the input."""
    trail = audit.for_entity(db.session, "scheme", latest.id, limit=1) if latest is not None else []
    differences = []
    if latest is not None:
        differences.append(Difference(str(_l("Version")), str(latest.version), str(form.version_id.data or 0)))
    g.conflict = ConflictView(MESSAGE, trail[0] if trail else None, differences)
    form.version_id.data = str(latest.version if latest is not None else 0)


def init_app(app) -> None:
    """A save that lost a race outside the edit forms (a versioned row, a unique key): 409 and a plain message.

    Forms handle their races themselves and say more; this is the net under everything else.
    """
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm.exc import StaleDataError

    from supplychain.errors import Conflict

    def _conflict(error):
        app.logger.warning("lost a race: %s", error)
        db.session.rollback()
        message = _l("Someone else changed this record at the same moment, so nothing was saved. "
                     "Reload the page and try again.")
        return render_template("errors/error.html", code=409, title=_l("Conflict"), message=message), 409

    app.register_error_handler(StaleDataError, _conflict)
    app.register_error_handler(Conflict, _conflict)
    app.register_error_handler(IntegrityError, _conflict)
