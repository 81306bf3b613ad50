"""Pledge templates, recording pledges (bad input refused whole), signing rates and missing pledges."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from supplychain.errors import ValidationFailed
from supplychain.models import Attachment, AuditEntry, IntegrityPledge
from supplychain.services.core import attachments
from supplychain.services.evidence import pledges
from tests.evidence_factories import HTML, PDF, gen_pledge, gen_requirement, gen_template
from tests.factories import gen_category, gen_supplier, gen_user

TODAY = date(2026, 6, 30)


@pytest.fixture
def store(tmp_path):
    return attachments.Store(tmp_path, 1024 * 1024)


def _data(template, **changes) -> pledges.PledgeData:
    values = dict(template_id=template.id, signatory_name="王伟", signatory_title="总经理",
                  signed_on=date(2026, 3, 1))
    values.update(changes)
    return pledges.PledgeData(**values)


def test_a_paper_pledge_is_recorded_with_its_scan_digest_and_audit(session, store):
    supplier, user = gen_supplier(session), gen_user(session)
    template = gen_template(session, "anti_bribery")
    upload = attachments.Upload("承诺书.pdf", PDF)
    pledge = pledges.record_pledge(session, supplier, _data(template), upload, store, user, TODAY)
    assert pledge.kind == "anti_bribery" and pledge.method == "paper" and pledge.template_id == template.id
    assert pledge.attachment.original_name == "承诺书.pdf"
    assert pledge.text_sha256 == pledges.template_digest(template)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "pledge"))
    assert entry.supplier_id == supplier.id and entry.actor_id == user.id
    assert entry.changes["signatory_name"] == [None, "王伟"]


def test_every_problem_is_reported_at_once_and_nothing_is_saved(session, store):
    supplier = gen_supplier(session)
    template = gen_template(session, effective_on=date(2026, 1, 1))
    data = _data(template, signatory_name=" ", signed_on=date(2026, 7, 1), valid_until=date(2026, 6, 1))
    with pytest.raises(ValidationFailed) as failed:
        pledges.record_pledge(session, supplier, data, attachments.Upload("x.pdf", HTML), store, None,
                              TODAY)
    errors = failed.value.errors
    assert set(errors) == {"signatory_name", "signed_on", "valid_until", "scan"}
    assert "future" in str(errors["signed_on"][0])
    assert session.scalar(select(func.count(IntegrityPledge.id))) == 0
    assert session.scalar(select(func.count(Attachment.id))) == 0
    assert list(store.folder.iterdir()) == []


def test_a_template_not_yet_in_effect_on_the_signing_day_is_refused(session, store):
    supplier = gen_supplier(session)
    template = gen_template(session, effective_on=date(2026, 4, 1))
    with pytest.raises(ValidationFailed) as failed:
        pledges.record_pledge(session, supplier, _data(template, signed_on=date(2026, 3, 31)), None, store,
                              None, TODAY)
    assert "2026-04-01" in str(failed.value.errors["signed_on"][0])
    data = _data(template, signed_on=date(2026, 4, 1))
    pledge = pledges.record_pledge(session, supplier, data, None, store, None, TODAY)
    assert pledge.signed_on == date(2026, 4, 1)


def test_kind_must_match_the_template(session, store):
    supplier = gen_supplier(session)
    template = gen_template(session, "integrity")
    with pytest.raises(ValidationFailed) as failed:
        data = _data(template, kind="wage_guarantee")
        pledges.record_pledge(session, supplier, data, None, store, None, TODAY)
    assert "template_id" in failed.value.errors
    with pytest.raises(ValidationFailed) as failed:
        pledges.record_pledge(session, supplier, _data(template, template_id=None), None, store, None, TODAY)
    assert "template_id" in failed.value.errors


def test_templates_are_versioned_and_a_signed_version_never_changes(session):
    admin = gen_user(session, "admin")
    data = pledges.TemplateData(kind="clean_government", title_zh="廉政责任书",
                                title_en="Clean-government letter",
                                text_zh="双方遵守廉政规定。", text_en="Both parties observe the rules.",
                                effective_on=date(2025, 1, 1))
    first = pledges.save_template(session, data, admin)
    second = pledges.save_template(session, data, admin)
    assert (first.version, second.version) == (1, 2)
    assert pledges.current_template(session, "clean_government", date(2025, 6, 1)) == second
    assert pledges.current_template(session, "clean_government", date(2024, 12, 31)) is None
    supplier = gen_supplier(session)
    gen_pledge(session, supplier, "clean_government", template=first)
    digest = pledges.template_digest(first)
    changed = pledges.TemplateData(**{**data.__dict__, "text_zh": "改过的文本"})
    with pytest.raises(ValidationFailed):
        pledges.save_template(session, changed, admin, first)
    assert pledges.template_digest(first) == digest
    edited = pledges.save_template(session, changed, admin, second)  # nobody signed version 2 yet
    assert edited.text_zh == "改过的文本"


def test_template_needs_every_text_and_a_date(session):
    with pytest.raises(ValidationFailed) as failed:
        pledges.save_template(session, pledges.TemplateData(kind="bogus"), None)
    assert {"kind", "title_zh", "title_en", "text_zh", "text_en", "effective_on"} <= set(failed.value.errors)


def test_portal_signature_keeps_time_address_browser_and_digest(session):
    supplier = gen_supplier(session)
    user = gen_user(session, "supplier", supplier=supplier)
    template = gen_template(session, "code_of_conduct")
    now = datetime(2026, 6, 1, 8, 30, tzinfo=UTC)
    pledge = pledges.sign_in_portal(session, supplier, template, "李娜", "法定代表人", user, now,
                                    "203.0.113.9", "Mozilla/5.0")
    assert (pledge.method, pledge.signed_on, pledge.ip_address) == ("portal", date(2026, 6, 1), "203.0.113.9")
    assert pledge.text_sha256 == pledges.template_digest(template)
    other = gen_supplier(session)
    with pytest.raises(ValidationFailed):
        pledges.sign_in_portal(session, other, template, "李娜", "", user, now, None, None)


def test_delete_needs_a_reason_and_is_audited(session):
    supplier = gen_supplier(session)
    pledge = gen_pledge(session, supplier)
    with pytest.raises(ValidationFailed):
        pledges.delete_pledge(session, pledge, " ", None)
    pledges.delete_pledge(session, pledge, "录入错误", None)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "delete"))
    assert entry.note == "录入错误" and entry.changes["kind"] == ["integrity", None]


def test_signing_rates_by_kind_overall_and_region_follow_category_requirements(session):
    engineering = gen_category(session, "engineering", "工程分包", "Engineering")
    equipment = gen_category(session, "equipment")
    for category in (engineering, equipment):
        gen_requirement(session, category, "pledge", "integrity")
    gen_requirement(session, engineering, "pledge", "wage_guarantee")
    builder = gen_supplier(session, status="qualified", categories=["engineering"])
    maker = gen_supplier(session, status="qualified", categories=["equipment"], province="310000",
                         city="上海")
    gen_supplier(session, status="exited", categories=["equipment"])  # not active: not counted
    integrity = gen_template(session, "integrity")
    gen_pledge(session, builder, "integrity", date(2026, 1, 5), template=integrity)
    gen_pledge(session, builder, "wage_guarantee", date(2026, 1, 5))
    gen_pledge(session, maker, "integrity", date(2024, 1, 5), valid_until=date(2025, 12, 31),
               template=integrity)
    rates = pledges.signing_rates(session, TODAY)
    assert (rates.by_kind["integrity"].signed, rates.by_kind["integrity"].required) == (1, 2)
    assert rates.by_kind["wage_guarantee"].percent == 100.0
    assert rates.by_kind["anti_bribery"].percent is None
    assert (rates.overall.signed, rates.overall.required) == (2, 3)
    assert rates.by_region["southwest"].percent == 100.0 and rates.by_region["east"].percent == 0.0
    assert (rates.suppliers_required, rates.suppliers_complete, rates.pledges_signed) == (2, 1, 2)
    earlier = pledges.signing_rates(session, date(2025, 6, 30))  # the expired pledge was in force then
    assert earlier.by_kind["integrity"].signed == 1 and earlier.by_kind["wage_guarantee"].signed == 0
    missing = pledges.missing_pledges(session, TODAY)
    assert [(s.id, kinds) for s, kinds in missing] == [(maker.id, ["integrity"])]
    assert pledges.missing_pledges(session, TODAY, kind="wage_guarantee") == []
