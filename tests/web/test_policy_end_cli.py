"""`flask disclosure-figures end-policy`: end a registered policy from the command line, with the policy form's
checks and audit (migration 0026's end date and superseding policy)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from supplychain.models import AuditEntry, SupplyChainPolicy
from tests.factories import gen_supplier, gen_user
from tests.web.helpers import login

EN = {"Accept-Language": "en"}


def _register(runner, number: str, day: str) -> None:
    result = runner.invoke(args=["disclosure-figures", "policy", "--title-zh", f"供应商管理办法 {number}",
                                 "--title-en", "Supplier management measures", "--number", number,
                                 "--effective-on", day])
    assert result.exit_code == 0, result.output


def _policies(session) -> list[SupplyChainPolicy]:
    session.expire_all()
    return list(session.scalars(select(SupplyChainPolicy).order_by(SupplyChainPolicy.id)))


def _audits(session, policy_id: int) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "supply_chain_policy",
                                                         AuditEntry.entity_id == policy_id)
                                .order_by(AuditEntry.id)))


def test_the_command_line_ends_a_policy_superseded_by_another(app, client, session, monkeypatch):
    monkeypatch.setenv("SUPPLYCHAIN_LANG", "en")
    supplier = gen_supplier(session, status="qualified", today=date(2023, 1, 1))
    supplier.registered_on = date(2023, 1, 1)
    user = gen_user(session, "auditor")
    session.commit()
    runner = app.test_cli_runner()
    _register(runner, "集团采〔2020〕5号", "2020-01-01")
    _register(runner, "集团采〔2024〕7号", "2024-07-01")
    old_id, new_id = (policy.id for policy in _policies(session))
    # Refused as the form refuses it, every problem at once, nothing saved.
    bad = runner.invoke(args=["disclosure-figures", "end-policy", str(old_id), "--ended-on", "2019-06-30",
                              "--superseded-by", str(old_id)])
    assert bad.exit_code == 2
    assert "--ended-on: The end date cannot be before the date the policy takes effect (2020-01-01)." in bad.stderr
    assert "--superseded-by: A policy cannot supersede itself." in bad.stderr
    not_a_date = runner.invoke(args=["disclosure-figures", "end-policy", str(old_id), "--ended-on", "mid-2024",
                                     "--superseded-by", "999"])
    assert not_a_date.exit_code == 2 and "--ended-on: Not a date: mid-2024." in not_a_date.stderr
    assert "--superseded-by: Choose a policy of the register." in not_a_date.stderr
    empty = runner.invoke(args=["disclosure-figures", "end-policy", str(old_id), "--ended-on", ""])
    assert empty.exit_code == 2 and "Enter the last day the policy was in force." in empty.stderr
    unknown = runner.invoke(args=["disclosure-figures", "end-policy", "999", "--ended-on", "2024-06-30"])
    assert unknown.exit_code == 2 and "No registered policy #999." in unknown.stderr
    assert _policies(session)[0].ended_on is None and len(_audits(session, old_id)) == 1
    # Ended: audited as the form's change, and the disclosure names it only in the years it was in force.
    good = runner.invoke(args=["disclosure-figures", "end-policy", str(old_id), "--ended-on", "2024-06-30",
                               "--superseded-by", str(new_id)])
    assert good.exit_code == 0, good.output
    assert f"#{old_id} 集团采〔2020〕5号" in good.output and f"2024-06-30 → #{new_id}" in good.output
    old = _policies(session)[0]
    assert (old.ended_on, old.superseded_by_id) == (date(2024, 6, 30), new_id)
    entry = _audits(session, old_id)[-1]
    assert entry.action == "update" and entry.actor_id is None
    assert entry.changes["ended_on"] == [None, "2024-06-30"] and entry.changes["superseded_by_id"] == [None, new_id]
    login(client, user.email)
    assert "集团采〔2020〕5号" in client.get("/disclosure/?year=2024", headers=EN).text
    assert "集团采〔2020〕5号" not in client.get("/disclosure/?year=2025", headers=EN).text
