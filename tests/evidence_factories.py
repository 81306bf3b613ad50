"""gen_* helpers for the evidence records (one per model) and sample files for upload tests."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from supplychain import clock
from supplychain.models import (
    BlacklistEntry,
    CategoryRequirement,
    Certification,
    CorrectiveAction,
    Incident,
    IntegrityPledge,
    PledgeTemplate,
    Supplier,
    SupplyCategory,
    TrainingAttendance,
    TrainingSession,
)
from supplychain.services.evidence import pledges
from supplychain.services.registry import blacklist

_counter = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40 + b"\xff\xd9"
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 60
EXE = b"MZ\x90\x00" + b"\x00" * 60


def gen_template(session, kind: str = "integrity", effective_on: date = date(2020, 1, 1),
                 version: int | None = None) -> PledgeTemplate:
    """A pledge template version in both languages (the next version of its kind unless given)."""
    if version is None:
        version = 1 + max((t.version for t in pledges.list_templates(session, kind)), default=0)
    template = PledgeTemplate(kind=kind, version=version, title_zh=f"廉洁承诺书 {version}",
                              title_en=f"Integrity pledge {version}", text_zh="本公司承诺廉洁经营。",
                              text_en="We act with integrity.", effective_on=effective_on)
    session.add(template)
    session.flush()
    return template


def gen_pledge(session, supplier: Supplier, kind: str = "integrity", signed_on: date = date(2025, 1, 10),
               valid_until: date | None = None, template: PledgeTemplate | None = None) -> IntegrityPledge:
    """A paper pledge of the supplier against a template of its kind."""
    template = template or gen_template(session, kind)
    pledge = IntegrityPledge(supplier_id=supplier.id, kind=kind, template_id=template.id,
                             signatory_name="王伟", signatory_title="总经理",
                             signed_on=signed_on, valid_until=valid_until, method="paper",
                             text_sha256=pledges.template_digest(template))
    session.add(pledge)
    session.flush()
    return pledge


def gen_certificate(session, supplier: Supplier, cert_type: str = "iso9001",
                    issued_on: date = date(2024, 1, 1), expires_on: date | None = date(2027, 1, 1),
                    verified_on: date | None = date(2024, 1, 5), number: str | None = None) -> Certification:
    """A certificate of the supplier, verified unless verified_on=None."""
    cert = Certification(supplier_id=supplier.id, cert_type=cert_type,
                         number=number or f"CQC{next(_counter):08d}", issuer="中国质量认证中心",
                         issued_on=issued_on, expires_on=expires_on, verified_on=verified_on,
                         verification_method="cnca_register" if verified_on else None)
    session.add(cert)
    session.flush()
    return cert


def gen_training(session, held_on: date = date(2025, 5, 20), topic: str = "esg", hours: float = 3.0,
                 title: str | None = None, organiser: str | None = "供应链管理部") -> TrainingSession:
    """A training session."""
    training = TrainingSession(title=title or f"供应商ESG培训 {next(_counter)}", topic=topic, held_on=held_on,
                               hours=hours, mode="onsite", organiser=organiser)
    session.add(training)
    session.flush()
    return training


def gen_attendance(session, training: TrainingSession, supplier: Supplier, head_count: int = 2,
                   completed: bool = True) -> TrainingAttendance:
    """A supplier's attendance at a session."""
    attendance = TrainingAttendance(session_id=training.id, supplier_id=supplier.id, head_count=head_count,
                                    completed=completed)
    session.add(attendance)
    session.flush()
    return attendance


def gen_incident(session, supplier: Supplier, category: str = "environmental", severity: str = "major",
                 occurred_on: date = date(2025, 3, 1), status: str = "open", description: str = "废水超标排放",
                 source: str | None = "生态环境局通报") -> Incident:
    """An incident at the supplier."""
    incident = Incident(supplier_id=supplier.id, category=category, severity=severity,
                        occurred_on=occurred_on, description=description, source=source, status=status)
    session.add(incident)
    session.flush()
    return incident


def gen_action(session, supplier: Supplier, incident: Incident | None = None, due_on: date | None = None,
               status: str = "open") -> CorrectiveAction:
    """A corrective action of the supplier (due in 30 days unless given)."""
    action = CorrectiveAction(supplier_id=supplier.id, incident_id=incident.id if incident else None,
                              action="整改污水处理设施", owner="王伟",
                              due_on=due_on or clock.today() + timedelta(days=30), status=status)
    session.add(action)
    session.flush()
    return action


def gen_blacklist_entry(session, credit_code: str | None = None, supplier: Supplier | None = None,
                        reason: str = "bribery", since_on: date | None = None,
                        until_on: date | None = None) -> BlacklistEntry:
    """A blacklist entry through the service (the supplier, if any, becomes blacklisted)."""
    data = blacklist.EntryData(credit_code=credit_code or "", supplier_id=supplier.id if supplier else None,
                               company_name="黑名单测试公司", reason=reason, decided_by="招标监督委员会",
                               since_on=since_on or clock.today() - timedelta(days=10), until_on=until_on)
    return blacklist.add_entry(session, data, None, clock.today())


def gen_requirement(session, category: SupplyCategory, kind: str, value: str) -> CategoryRequirement:
    """A pledge or certificate the category requires."""
    row = CategoryRequirement(category_id=category.id, kind=kind, value=value)
    session.add(row)
    session.flush()
    return row
