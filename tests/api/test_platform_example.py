"""The example platform (scripts/platform_example.py) uses nothing but the OpenAPI document: it syncs the
master, gets block for a blacklisted supplier and warn for a conditional one with overdue actions, uploads a
year of spend and receipts, and the periodic evaluation then scores delivery and quality from the receipts."""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from supplychain.models import ReceiptLine, SpendLine
from supplychain.services.evaluation import evaluations
from supplychain.services.registry import qualifications
from tests.evaluation_factories import TODAY, all_manual, gen_evaluation, gen_good_evidence
from tests.evidence_factories import gen_action, gen_blacklist_entry
from tests.factories import gen_supplier
from tests.integration_factories import gen_api_client

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "platform_example.py"


def _platform():
    spec = importlib.util.spec_from_file_location("platform_example", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_platform_syncs_and_gets_block_and_warn(client, session):
    good = gen_supplier(session, status="qualified", categories=["equipment"])
    conditional = gen_supplier(session, status="conditional", categories=["equipment"])
    banned = gen_supplier(session, status="qualified", categories=["equipment"])
    for supplier, status in ((good, "qualified"), (conditional, "conditional"), (banned, "qualified")):
        qualifications.record(session, supplier, supplier.categories[0].id, status, date.today(), None, None)
    gen_action(session, conditional, due_on=date.today() - timedelta(days=1))
    gen_blacklist_entry(session, credit_code=banned.credit_code, supplier=banned)
    gen_good_evidence(session, good)
    _, token = gen_api_client(session, scopes=["suppliers:read", "changes:read", "purchase-checks:write",
                                               "spend:write", "receipts:write"])
    expected = {good.credit_code: "allow", conditional.credit_code: "warn", banned.credit_code: "block"}
    session.commit()

    def send(method, path, body):
        response = client.open(path, method=method, json=body,
                               headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
        return response.status_code, response.json

    result = _platform().run(send, "equipment", "GROUP", year=2025)
    assert result["answers"] == expected
    assert result["master"][banned.credit_code]["blacklist"]["blacklisted"] is True
    # A year of spend and receipts for the two suppliers it may buy from; none for the blocked one.
    assert result["spend"] == result["receipts"] == {"created": 24, "unchanged": 0}
    for model in (SpendLine, ReceiptLine):
        bought = session.execute(select(model.supplier_id, func.count()).group_by(model.supplier_id)).all()
        assert dict(bought) == {good.id: 12, conditional.id: 12}
    # Nothing changed since: the next sync from the cursor learns nothing new.
    assert _platform().run(send, "equipment", "GROUP", cursor=result["cursor"])["master"] == {}
    # The whole run again: the same lines, each found unchanged by its external id.
    again = _platform().run(send, "equipment", "GROUP", year=2025)
    assert again["spend"] == again["receipts"] == {"created": 0, "unchanged": 24}

    # The periodic evaluation of 2025 scores delivery and quality from those receipts, not by hand:
    # 10 of 12 lines on time (83.3 %: (83.3 - 80) / (98 - 80) = 18.5), 1,194 of 1,200 accepted (99.5 %: full).
    evaluation = gen_evaluation(session, supplier=good, period=("year", 2025, 1))
    scores = {key: value for key, value in all_manual(evaluation, 80).items()
              if key not in ("on_time_delivery", "quality_acceptance")}
    evaluations.save_scores(session, evaluation, scores, {}, evaluation.version_id, evaluation.created_by)
    evaluations.submit(session, evaluation, evaluation.version_id, evaluation.created_by, TODAY, 1)
    lines = {e["criterion_key"]: e for e in evaluation.result["explanations"]}
    assert lines["on_time_delivery"]["score"] == 18.5 and "from receipt data" in lines["on_time_delivery"]["text_en"]
    assert lines["quality_acceptance"]["score"] == 100 and "from receipt data" in lines["quality_acceptance"]["text_en"]
