"""`flask risk recompute` and `flask risk tiers --format csv` (issue 11), within an organisation with --org."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from sqlalchemy import delete

from supplychain.models import SupplierRisk
from supplychain.services.evidence import incidents
from tests.factories import gen_category, gen_organisation, gen_supplier


def _rows(output: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(output)))


def _suppliers(session):
    category = gen_category(session, code="engineering", name_zh="工程分包", name_en="Engineering subcontracting")
    category.risk_level = "high"
    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    risky = gen_supplier(session, name_zh="甲方高风险工程有限公司", categories=["engineering"], organisation=a)
    incidents.save_incident(session, risky, incidents.IncidentData(
        "safety", "major", date.today() - timedelta(days=30), "未系安全带"), None, date.today())
    calm = gen_supplier(session, name_zh="乙方低风险设备有限公司", organisation=b)
    session.commit()
    return risky, calm


def test_recompute_computes_every_supplier(app, session):
    risky, calm = _suppliers(session)
    session.execute(delete(SupplierRisk))
    session.commit()
    result = app.test_cli_runner().invoke(args=["risk", "recompute"])
    assert result.exit_code == 0, result.output
    assert "Recomputed the risk tiers of 2 suppliers" in result.output
    session.expire_all()
    assert session.get(SupplierRisk, risky.id).tier == "medium"
    assert session.get(SupplierRisk, calm.id).tier == "low"


def test_tiers_prints_supplier_credit_code_tier_score_and_reasons_riskiest_first(app, session):
    risky, calm = _suppliers(session)
    result = app.test_cli_runner().invoke(args=["risk", "tiers", "--format", "csv", "--lang", "en"])
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert [row["supplier"] for row in rows] == [risky.name_zh, calm.name_zh]
    first = rows[0]
    assert first["credit_code"] == risky.credit_code and first["tier"] == "medium" and first["score"] == "37.0"
    assert first["reasons"] == ("Category risk +25: Supplies Engineering subcontracting: a high-risk category.; "
                                "Incident history +12: Incidents in the last 3 years: 1, major or critical: 1.")
    assert rows[1]["reasons"] == ""


def test_tiers_in_chinese_for_one_organisation(app, session):
    risky, _calm = _suppliers(session)
    result = app.test_cli_runner().invoke(args=["risk", "tiers", "--org", "sub-a"])
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert [row["supplier"] for row in rows] == [risky.name_zh]
    assert "品类风险 +25: 供应工程分包：属于高风险品类。" in rows[0]["reasons"]


def test_an_unknown_organisation_is_refused(app, session):
    _suppliers(session)
    result = app.test_cli_runner().invoke(args=["risk", "tiers", "--org", "NOPE", "--lang", "en"])
    assert result.exit_code == 2
    assert "Unknown organisation NOPE." in result.output
