"""Every figure of one reporting year, computed from records, each keeping the ids of the records it
counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import regions, scope
from supplychain.models import (
    ESG_TOPICS,
    Audit,
    Certification,
    Incident,
    IntegrityPledge,
    SaqResponse,
    Supplier,
    TrainingAttendance,
    TrainingSession,
)
from supplychain.services.disclosure import spend_ledger
from supplychain.services.disclosure.criteria import final_evaluations
from supplychain.services.disclosure.definitions import (
    DEFAULT_SETTINGS,
    ENVIRONMENTAL_INCIDENTS,
    FIRST_YEAR,
    SAME_FIGURES,
    SOCIAL_INCIDENTS,
    SPEC_BY_CODE,
    Settings,
    Value,
    counted,
    half_up,
    rate_of,
    record_set,
)
from supplychain.services.disclosure.impacts import negative_impacts
from supplychain.services.disclosure.statuses import ENGAGED, statuses_on_days
from supplychain.services.disclosure.terminations import terminations

HK_MACAO_PROVINCES = ("810000", "820000")


def whole_units(amount: Decimal) -> int:
    """An amount rounded half up to the currency's whole unit (as the breakdown prints it)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Populations:
    """What every year of a disclosure reads alike, read once for all its years: the suppliers' statuses on
    each day asked for, the suppliers local to an organisation buying from them, and the pledge kinds each
    supplier's categories require."""

    statuses: dict[date, dict[int, tuple[str, str, str | None]]]
    local_ids: set[int]
    required_pledges: list

    def engaged_on(self, day: date) -> dict[int, tuple[str, str, str | None]]:
        """The suppliers in the supply chain on a day (one of the days read)."""
        return {sid: values for sid, values in self.statuses[day].items() if values[0] in ENGAGED}


def overseas_by_country(session: Session, supplier_ids: Iterable[int]) -> dict[str, list[int]]:
    """The overseas suppliers by country, keyed as B5.1.overseas's breakdown ("country:DE"; "country:—" without
    one): the country rows of the overseas_by_country layout and the records each row drills down to."""
    ids = sorted(set(supplier_ids))
    countries: dict[str, list[int]] = defaultdict(list)
    for start in range(0, len(ids), 1000):
        for sid, country in session.execute(select(Supplier.id, Supplier.country)
                                            .where(Supplier.id.in_(ids[start:start + 1000]))):
            countries[f"country:{country or '—'}"].append(sid)
    return {key: sorted(members) for key, members in countries.items()}


def days_needed(year: int, as_of: date) -> tuple[date, date]:
    """The days a year's figures need statuses on: its day, and the end of the year before (for "new")."""
    return as_of, date(year, 1, 1) - timedelta(days=1)


def populations(session: Session, days: Iterable[date]) -> Populations:
    """The populations of a disclosure for the session's scope, read once."""
    from supplychain.services.evidence import pledges

    return Populations(statuses_on_days(session, days), scope.local_supplier_ids(session),
                       pledges.required_pledges(session))


def compute(session: Session, year: int, as_of: date, settings: Settings = DEFAULT_SETTINGS,
            shared: Populations | None = None) -> dict[str, Value]:
    """Every figure of one reporting year, as of a day inside it (the year end, or today).

    `shared`: the populations read once for several years (`populations`); read here without it."""
    from supplychain.services.evidence import pledges

    first = date(year, 1, 1)
    places = settings.percent_places
    values: dict[str, Value] = {}
    shared = shared or populations(session, days_needed(year, as_of))
    engaged = shared.engaged_on(as_of)
    # B5.1 and the local suppliers, over the population the setting chooses (in the supply chain on D by
    # default; or every supplier registered on the platform by D, whatever its status).
    population = engaged
    if settings.b51_population == "registered":
        population = shared.statuses[as_of]
    elif settings.b51_population == "with_spend":
        spenders = spend_ledger.suppliers_with_spend(session, first, as_of)
        population = {sid: v for sid, v in shared.statuses[as_of].items() if sid in spenders}
    everyone = list(population)
    values["B5.1.total"] = counted("supplier", everyone)
    for region in regions.REGIONS:
        members = [sid for sid, (_s, key, _p) in population.items() if key == region.key]
        values[f"B5.1.{region.key}"] = counted("supplier", members)
        values[f"B5.1.{region.key}.share"] = rate_of(members, everyone, places=places)
    # Overseas by country (the breakdown), and Hong Kong and Macao (in the south region) for the layouts.
    overseas = [sid for sid, (_s, key, _p) in population.items() if key == "overseas"]
    countries = overseas_by_country(session, overseas)
    values["B5.1.overseas"] = Value(len(overseas), record_set("supplier", overseas),
                                    breakdown=tuple(sorted((key, len(ids)) for key, ids in countries.items())))
    hk_macao = [sid for sid, (_s, _k, province) in population.items() if province in HK_MACAO_PROVINCES]
    values["B5.1.hk_macao"] = counted("supplier", hk_macao)
    local = [sid for sid in population if sid in shared.local_ids]
    values["B5.1.local"] = counted("supplier", local)
    values["B5.1.local.share"] = rate_of(local, everyone, places=places)
    # B5.2: admission reviews and pledges.
    admissions = final_evaluations(session, date(FIRST_YEAR, 1, 1), as_of, "admission")
    admitted = {row.supplier_id for row in admissions.rows}
    values["B5.2.admission_reviewed"] = counted("supplier", [sid for sid in engaged if sid in admitted])
    # One signing rate per kind (pledges.signing_rates, as on /pledges/ and the dashboard): of the suppliers
    # in the supply chain on D whose categories require the kind, those with such a pledge in force on D.
    rates = pledges.signing_rates(session, as_of, population=engaged, required=shared.required_pledges)
    integrity = rates.by_kind["integrity"]
    values["B5.2.pledge_signed"] = counted("supplier", integrity.signed_ids)
    values["B5.2.pledge_signing_rate"] = rate_of(integrity.signed_ids, integrity.required_ids, places=places)
    for kind, rate in rates.by_kind.items():
        if kind != "integrity":
            values[f"B5.2.pledge.{kind}"] = rate_of(rate.signed_ids, rate.required_ids, places=places)
    values["B5.2.pledges_signed"] = counted(
        "pledge",
        session.scalars(
            select(IntegrityPledge.id).where(
                IntegrityPledge.signed_on >= first, IntegrityPledge.signed_on <= as_of
            )
        ),
    )
    # B5.3: evaluations with ESG criteria, reviewed questionnaires, incidents.
    year_evaluations = final_evaluations(session, first, as_of)
    esg = [row for row in year_evaluations.rows if year_evaluations.env(row) or year_evaluations.soc(row)]
    values["B5.3.assessed"] = counted("supplier", [row.supplier_id for row in esg])
    values["B5.3.evaluations"] = counted("evaluation", [row.id for row in esg])
    values["B5.3.questionnaires_reviewed"] = counted(
        "supplier",
        session.scalars(
            select(SaqResponse.supplier_id).where(
                SaqResponse.status == "reviewed",
                SaqResponse.reviewed_on >= first,
                SaqResponse.reviewed_on <= as_of,
            )
        ),
    )
    incidents = list(
        session.execute(
            select(Incident.id, Incident.supplier_id).where(
                Incident.occurred_on >= first,
                Incident.occurred_on <= as_of,
                Incident.category.in_(ENVIRONMENTAL_INCIDENTS + SOCIAL_INCIDENTS),
            )
        )
    )
    values["B5.3.incidents"] = counted("incident", [row.id for row in incidents])
    values["B5.3.suppliers_with_incidents"] = counted("supplier", [row.supplier_id for row in incidents])
    # B5.4: environmental selection and ISO 14001.
    iso14001 = set(
        session.scalars(
            select(Certification.supplier_id).where(
                Certification.cert_type == "iso14001",
                Certification.issued_on <= as_of,
                (Certification.expires_on.is_(None)) | (Certification.expires_on >= as_of),
            )
        )
    )
    holders = [sid for sid in engaged if sid in iso14001]
    year_admissions = [row for row in admissions.rows if row.as_of >= first]
    env_selected = {row.supplier_id for row in year_admissions if row.passed and admissions.env(row)}
    ever_selected = {row.supplier_id for row in admissions.rows if row.passed and admissions.env(row)}
    selected = [sid for sid in engaged if sid in ever_selected]
    values["B5.4.selected"] = counted("supplier", selected)
    values["B5.4.selected.share"] = rate_of(selected, everyone, places=places)
    values["B5.4.env_selected"] = counted("supplier", env_selected)
    # The green share of spend: spend with suppliers selected with environmental criteria (by D) ÷ all spend of
    # the year to D, in one currency; unavailable (printed as such, never 0) when no spend is recorded.
    spend = spend_ledger.green_spend(session, first, as_of, settings.spend_currency, ever_selected)
    values["B5.4.green_spend_share"] = Value(None) if spend is None or not spend.total else Value(
        half_up(spend.green, spend.total, places), record_set("supplier", spend.green_suppliers),
        record_set("supplier", spend.suppliers),
        breakdown=((f"spend:green:{spend.currency}", whole_units(spend.green)),
                   (f"spend:total:{spend.currency}", whole_units(spend.total))))
    values["B5.4.iso14001"] = counted("supplier", holders)
    # GRI 308-1 / 414-1: new suppliers screened.
    before = shared.engaged_on(first - timedelta(days=1))
    new = [sid for sid in engaged if sid not in before]
    env_screened = {row.supplier_id for row in admissions.rows if admissions.env(row)}
    soc_screened = {row.supplier_id for row in admissions.rows if admissions.soc(row)}
    for code, screened in (("GRI.308-1", env_screened), ("GRI.414-1", soc_screened)):
        part = [sid for sid in new if sid in screened]
        values[code] = rate_of(part, new, places=places)
        values[f"{code}.new"] = counted("supplier", new)
        values[f"{code}.screened"] = counted("supplier", part)
    # GRI 308-2 / 414-2. An audit held in the year assesses both (issue 11: site conditions and labour).
    audited = list(session.scalars(select(Audit.supplier_id).where(Audit.actual_on >= first,
                                                                   Audit.actual_on <= as_of)))
    values["GRI.308-2.a"] = counted(
        "supplier", [r.supplier_id for r in year_evaluations.rows if year_evaluations.env(r)] + audited
    )
    values["GRI.414-2.a"] = counted(
        "supplier", [r.supplier_id for r in year_evaluations.rows if year_evaluations.soc(r)] + audited
    )
    ended = terminations(session, first, as_of, settings.social_termination_reasons)
    for code, categories, topic in (("GRI.308-2", ENVIRONMENTAL_INCIDENTS, "environmental"),
                                    ("GRI.414-2", SOCIAL_INCIDENTS, "social")):
        for letter, value in negative_impacts(session, first, as_of, categories, topic, ended, places).items():
            values[f"{code}.{letter}"] = value
    # KPI table.
    values["KPI.suppliers_reviewed"] = counted("supplier", [row.supplier_id for row in year_evaluations.rows])
    values["KPI.rejected_social"] = counted(
        "supplier",
        [
            row.supplier_id
            for row in year_evaluations.rows
            if row.kind == "admission" and row.outcome == "rejected" and row.social_non_compliance
        ],
    )
    # One definition with GRI (e): KPI.terminated_social = GRI.308-2.e.why + GRI.414-2.e.why (D2).
    terminated = set(ended)
    values["KPI.terminated_social"] = counted("supplier", terminated)
    in_year = (
        TrainingSession.held_on >= first,
        TrainingSession.held_on <= as_of,
        TrainingSession.topic.in_(ESG_TOPICS),
    )
    sessions = list(session.scalars(select(TrainingSession.id).where(*in_year)))
    values["KPI.training_sessions"] = counted("training_session", sessions)
    people = (
        session.scalar(
            select(func.coalesce(func.sum(TrainingAttendance.head_count), 0))
            .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
            .where(*in_year)
        )
        or 0
    )
    values["KPI.training_participants"] = Value(int(people), record_set("training_session", sessions))
    for kpi, figure in SAME_FIGURES:
        values[kpi] = values[figure]
    assert set(values) == set(SPEC_BY_CODE), set(values) ^ set(SPEC_BY_CODE)
    return values
