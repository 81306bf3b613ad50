"""The records behind one figure (and its denominator, for a rate), for the page's links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.models import (
    BlacklistEntry,
    Incident,
    IntegrityPledge,
    Supplier,
    TrainingSession,
)
from supplychain.models.evaluation import Evaluation
from supplychain.services.disclosure.compute import compute
from supplychain.services.disclosure.definitions import DEFAULT_SETTINGS, SPEC_BY_CODE, RecordSet, Settings, Spec, Value
from supplychain.services.disclosure.reporting_year import as_of_for, parse_year


@dataclass
class FigureRecords:
    """A figure's value and the records behind it (numerator, and the denominator for a rate)."""

    spec: Spec
    year: int
    as_of: date
    value: Value
    records: list
    denominator: list


_MODELS = {
    "supplier": Supplier,
    "evaluation": Evaluation,
    "incident": Incident,
    "training_session": TrainingSession,
    "pledge": IntegrityPledge,
    "blacklist_entry": BlacklistEntry,
}


def _load(session: Session, records: RecordSet | None, limit: int) -> list:
    if records is None or not records.ids:
        return []
    model = _MODELS[records.kind]
    ids = list(records.ids[:limit])
    by_id = {obj.id: obj for obj in session.scalars(select(model).where(model.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def figure_records(
    session: Session, year: Any, code: str, today: date, limit: int = 2000,
    settings: Settings = DEFAULT_SETTINGS,
) -> FigureRecords:
    """The records behind one figure of one year; raises ValidationFailed for a bad year or code."""
    year = parse_year(year, today)
    spec = SPEC_BY_CODE.get(code)
    if spec is None:
        raise ValidationFailed({"code": [_l("Unknown figure.")]})
    as_of = as_of_for(year, today)
    value = compute(session, year, as_of, settings)[code]
    return FigureRecords(
        spec,
        year,
        as_of,
        value,
        _load(session, value.records, limit),
        _load(session, value.denominator, limit),
    )
