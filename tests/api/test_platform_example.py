"""The example platform (scripts/platform_example.py) uses nothing but the OpenAPI document: it syncs the
master, then gets block for a blacklisted supplier, warn for a conditional one with overdue actions."""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from pathlib import Path

from supplychain.services import qualifications
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
    _, token = gen_api_client(session, scopes=["suppliers:read", "changes:read", "purchase-checks:write"])
    expected = {good.credit_code: "allow", conditional.credit_code: "warn", banned.credit_code: "block"}
    session.commit()

    def send(method, path, body):
        response = client.open(path, method=method, json=body,
                               headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
        return response.status_code, response.json

    result = _platform().run(send, "equipment", "GROUP")
    assert result["answers"] == expected
    assert result["master"][banned.credit_code]["blacklist"]["blacklisted"] is True
    # Nothing changed since: the next sync from the cursor learns nothing new.
    assert _platform().run(send, "equipment", "GROUP", cursor=result["cursor"])["master"] == {}
