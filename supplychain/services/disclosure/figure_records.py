"""The records behind one figure (and its denominator, for a rate), for the page's links.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
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
from supplychain.services.disclosure import region_table
from supplychain.services.disclosure.compute import compute, overseas_by_country
from supplychain.services.disclosure.definitions import (
    DEFAULT_SETTINGS,
    SPEC_BY_CODE,
    RecordSet,
    Settings,
    Spec,
    Value,
    record_set,
)
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


def _layout_row(session: Session, values: dict[str, Value], code: str, settings: Settings) -> tuple[Spec, Value]:
    """A row of a region layout other than the seven regions (B5.1.hk_macao_overseas, B5.1.overseas.DE, and
    their .share): the row as a figure, counting exactly the suppliers the row counts (ValidationFailed for a
    row the layout does not print, e.g. a country without suppliers)."""
    overseas = values["B5.1.overseas"].records
    countries = overseas_by_country(session, overseas.ids) if overseas is not None else {}
    rows = region_table.layout_rows(values, settings, countries)
    row_code = code.removesuffix(".share")
    row = next((row for row in rows if row.code == row_code), None)
    if row is None:
        raise ValidationFailed({"code": [_l("Unknown figure.")]})
    (count_zh, count_en), (share_zh, share_en) = row.labels()
    if row_code == code:
        return Spec(code, "B5.1", "suppliers", count_en, count_zh), Value(row.count, row.records)
    every = record_set("supplier", [sid for each in rows if each.records for sid in each.records.ids])
    return Spec(code, "B5.1", "%", share_en, share_zh), Value(row.share, row.records, every)


def figure_records(
    session: Session, year: Any, code: str, today: date, limit: int = 2000,
    settings: Settings = DEFAULT_SETTINGS,
) -> FigureRecords:
    """The records behind one figure of one year; raises ValidationFailed for a bad year or code."""
    year = parse_year(year, today)
    spec = SPEC_BY_CODE.get(code)
    layout = region_table.layout_of(code.removesuffix(".share"))
    if spec is None and layout is None:
        raise ValidationFailed({"code": [_l("Unknown figure.")]})
    as_of = as_of_for(year, today)
    values = compute(session, year, as_of, settings)
    if spec is None:
        spec, value = _layout_row(session, values, code, replace(settings, region_layout=layout))
    else:
        value = values[code]
    return FigureRecords(
        spec,
        year,
        as_of,
        value,
        _load(session, value.records, limit),
        _load(session, value.denominator, limit),
    )
