"""Annual Qualified / Excellent Supplier certificates: issued by final periodic evaluations (issue 4)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from supplychain import scope
from supplychain.models import Supplier, User
from supplychain.models.evaluation import AnnualCertificate, Evaluation
from supplychain.services.core import audit

KIND_NAMES = {
    "excellent": ("年度优秀供应商证书", "Excellent Supplier certificate"),
    "qualified": ("年度合格供应商证书", "Qualified Supplier certificate"),
}


def certificate_number(year: int, supplier_id: int) -> str:
    """A readable, unique number: the year and the supplier (one certificate per supplier and year)."""
    return f"QS-{year}-{supplier_id:06d}"


def verification_code(secret: str, year: int, supplier_id: int, evaluation_id: int) -> str:
    """A code printed on the certificate, derived from the secret so it cannot be guessed."""
    message = f"{year}:{supplier_id}:{evaluation_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:16].upper()


def by_verification_code(session: Session, code: str) -> AnnualCertificate | None:
    """The certificate printed with this code (None when none was), with its supplier loaded.

    Public: the answer is the same for everyone, whatever organisation scope the session has.
    """
    wanted = (code or "").strip().upper()[:40]
    with scope.whole_group(session):
        return session.scalar(
            select(AnnualCertificate)
            .options(joinedload(AnnualCertificate.supplier))
            .where(AnnualCertificate.verification_code == wanted)
        )


def for_supplier(session: Session, supplier_id: int) -> list[AnnualCertificate]:
    """A supplier's certificates, newest year first."""
    return list(
        session.scalars(
            select(AnnualCertificate)
            .where(AnnualCertificate.supplier_id == supplier_id)
            .order_by(AnnualCertificate.year.desc())
        )
    )


def issue(
    session: Session,
    supplier: Supplier,
    evaluation: Evaluation,
    kind: str,
    actor: User | None,
    today: date,
    secret: str,
) -> AnnualCertificate:
    """Issue (or update) the supplier's certificate for the evaluation's year; audited with its reason."""
    year = evaluation.period_year or today.year
    certificate = session.scalar(
        select(AnnualCertificate).where(
            AnnualCertificate.supplier_id == supplier.id, AnnualCertificate.year == year
        )
    )
    before = audit.snapshot(certificate, ("kind", "evaluation_id", "revoked_on")) if certificate else {}
    if certificate is None:
        certificate = AnnualCertificate(
            supplier_id=supplier.id, year=year, certificate_number=certificate_number(year, supplier.id)
        )
        session.add(certificate)
    certificate.kind = kind
    certificate.evaluation_id = evaluation.id
    certificate.supplier_name_zh = supplier.name_zh
    certificate.supplier_name_en = supplier.name_en or ""
    certificate.credit_code = supplier.credit_code
    certificate.issued_on = today
    certificate.valid_until = date(year + 1, 12, 31)
    certificate.verification_code = verification_code(secret, year, supplier.id, evaluation.id)
    certificate.revoked_on = None
    certificate.revoked_reason = None
    session.flush()
    zh, en = KIND_NAMES[kind]
    audit.record(
        session,
        actor,
        "issue" if not before else "reissue",
        "annual_certificate",
        certificate.id,
        audit.diff(before, audit.snapshot(certificate, ("kind", "evaluation_id", "revoked_on"))),
        supplier_id=supplier.id,
        note=f"{year} {zh} / {en}: 评价 #{evaluation.id} 定级 {evaluation.grade} "
        f"(evaluation #{evaluation.id} graded {evaluation.grade})",
    )
    return certificate


def revoke_for_year(
    session: Session, supplier: Supplier, evaluation: Evaluation, actor: User | None, today: date
) -> AnnualCertificate | None:
    """Revoke the year's certificate when a later evaluation of that year is Conditional or Unqualified."""
    year = evaluation.period_year
    certificate = session.scalar(
        select(AnnualCertificate).where(
            AnnualCertificate.supplier_id == supplier.id,
            AnnualCertificate.year == year,
            AnnualCertificate.revoked_on.is_(None),
        )
    )
    if certificate is None:
        return None
    certificate.revoked_on = today
    certificate.revoked_reason = (
        f"评价 #{evaluation.id} 定级 {evaluation.grade} / "
        f"evaluation #{evaluation.id} graded {evaluation.grade}"
    )
    audit.record(
        session,
        actor,
        "revoke",
        "annual_certificate",
        certificate.id,
        {"revoked_on": [None, today.isoformat()]},
        supplier_id=supplier.id,
        note=certificate.revoked_reason,
    )
    return certificate


def render_pdf(
    certificate: AnnualCertificate,
    issuer_zh: str,
    issuer_en: str,
    verification_url: str,
    font_path: str | None = None,
) -> bytes:
    """The bilingual certificate PDF (reports.certificate), from the stored record."""
    from reports.certificate import render_supplier_certificate
    from reports.data import CertificateData

    supplier = certificate.supplier
    data = CertificateData(
        kind=certificate.kind,
        # The names it was issued with (older records without them: the current ones).
        supplier_name_zh=certificate.supplier_name_zh or supplier.name_zh,
        supplier_name_en=(certificate.supplier_name_en if certificate.supplier_name_zh else supplier.name_en) or "",
        credit_code=certificate.credit_code if certificate.supplier_name_zh else supplier.credit_code,
        year=certificate.year,
        issuer_zh=issuer_zh,
        issuer_en=issuer_en,
        certificate_number=certificate.certificate_number,
        issued_on=certificate.issued_on,
        verification_code=certificate.verification_code,
        verification_url=verification_url,
        valid_until=certificate.valid_until,
    )
    return render_supplier_certificate(data, font_path=font_path)
