"""The organisation a record is saved for, checked together with the record's own problems."""

from __future__ import annotations

from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.errors import ValidationFailed


def organisation_or_raise(session: Session, errors: dict, chosen_id: int | None, actor,
                          record=None) -> int | None:
    """The organisation a new or edited record belongs to, or ValidationFailed with every problem at once.

    ``errors`` are the record's own problems; the organisation's are added under "organisation_id".
    An edited ``record`` keeps its organisation unless another one is chosen.
    """
    if record is not None:
        chosen_id = chosen_id or record.organisation_id
    organisation_id, problems = scope.record_organisation(session, chosen_id, actor)
    if problems:
        errors["organisation_id"] = problems
    if errors:
        raise ValidationFailed(errors)
    return organisation_id
