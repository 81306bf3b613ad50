"""The facts of one supplier's API document, read in one statement (issue 10's look-up p95).

Categories, the blacklist entry in force, qualifications, certificates, the latest graded evaluation
and the relationships with their categories were seven queries, each a round trip that waits for the
database (and, on a busy machine, for a core). Here they are the branches of one ``UNION ALL`` with
the same ten columns; each row says which kind of fact it is. The session's organisation scope and
the soft-delete filter still apply to every branch (the ORM hooks reach into the union), so
evaluations and relationships stay those of the client's scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Date, DateTime, Integer, String, case, cast, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from supplychain.models import (
    BlacklistEntry,
    Certification,
    Evaluation,
    Organisation,
    Supplier,
    SupplierQualification,
    SupplierRelationship,
    SupplyCategory,
    relationship_categories,
    supplier_categories,
)

_COLUMNS = {"n1": Integer(), "n2": Integer(), "t1": String(), "t2": String(), "t3": String(),
            "d1": Date(), "d2": Date(), "ts": DateTime(timezone=True)}


@dataclass(frozen=True)
class CertificateRow:
    """The certificate columns the document shows (what ``certifications`` needs to judge one)."""

    id: int
    supplier_id: int
    cert_type: str
    other_name: str | None
    number: str
    issued_on: date
    expires_on: date | None
    verified: bool


@dataclass
class SupplierFacts:
    """Everything the document adds to the supplier's own columns, each list in the document's order."""

    categories: list[str] = field(default_factory=list)
    blacklist: tuple | None = None  # (since_on, until_on, reason)
    qualifications: list[tuple] = field(default_factory=list)  # (code, status, since_on, evaluation_id)
    certificates: list[CertificateRow] = field(default_factory=list)
    grade: tuple | None = None  # (grade, evaluation_id, kind, finalised_at)
    relationships: list[tuple] = field(default_factory=list)  # (id, organisation, status, since, until, category)


def _branch(kind: str, source, **values):
    """One branch of the union: the kind, then every column, a typed NULL where this kind has none."""
    columns = [literal(kind, String()).label("kind")]
    columns += [(values[name] if name in values else cast(null(), type_)).label(name)
                for name, type_ in _COLUMNS.items()]
    return source(*columns)


def _limit_one(kind: str, statement, **values):
    """A branch that keeps only the first row of an ordered statement (LIMIT inside a union needs a subquery)."""
    inner = statement.limit(1).subquery()
    return _branch(kind, select, **{name: inner.c[column] for name, column in values.items()})


def statement(supplier: Supplier, today: date):
    """The union of the supplier's facts."""
    sid = supplier.id
    blacklisted = or_(BlacklistEntry.supplier_id == sid,
                      BlacklistEntry.credit_code == supplier.credit_code if supplier.credit_code else False)
    blacklist = (select(BlacklistEntry.since_on, BlacklistEntry.until_on, BlacklistEntry.reason)
                 .where(blacklisted, BlacklistEntry.lifted_at.is_(None), BlacklistEntry.since_on <= today,
                        or_(BlacklistEntry.until_on.is_(None), BlacklistEntry.until_on >= today))
                 .order_by(BlacklistEntry.id))
    grade = (select(Evaluation.grade, Evaluation.id, Evaluation.kind, Evaluation.finalised_at)
             .where(Evaluation.supplier_id == sid, Evaluation.status == "final", Evaluation.grade.is_not(None))
             .order_by(Evaluation.finalised_at.desc(), Evaluation.id.desc()))
    return union_all(
        _branch("category", select, t1=SupplyCategory.code)
        .join_from(supplier_categories, SupplyCategory, SupplyCategory.id == supplier_categories.c.category_id)
        .where(supplier_categories.c.supplier_id == sid),
        _limit_one("blacklist", blacklist, d1="since_on", d2="until_on", t1="reason"),
        _branch("qualification", select, n1=SupplierQualification.evaluation_id, t1=SupplyCategory.code,
                t2=SupplierQualification.status, d1=SupplierQualification.since_on)
        .join(SupplyCategory, SupplyCategory.id == SupplierQualification.category_id)
        .where(SupplierQualification.supplier_id == sid),
        _branch("certificate", select, n1=Certification.id,
                n2=case((Certification.verified_on.is_(None), 0), else_=1), t1=Certification.cert_type,
                t2=Certification.other_name, t3=Certification.number, d1=Certification.issued_on,
                d2=Certification.expires_on)
        .where(Certification.supplier_id == sid),
        _limit_one("grade", grade, t1="grade", n1="id", t2="kind", ts="finalised_at"),
        _branch("relationship", select, n1=SupplierRelationship.id, t1=Organisation.code,
                t2=SupplierRelationship.status, t3=SupplyCategory.code, d1=SupplierRelationship.since_on,
                d2=SupplierRelationship.until_on)
        .join(Organisation, Organisation.id == SupplierRelationship.organisation_id)
        .outerjoin(relationship_categories, relationship_categories.c.relationship_id == SupplierRelationship.id)
        .outerjoin(SupplyCategory, SupplyCategory.id == relationship_categories.c.category_id)
        .where(SupplierRelationship.supplier_id == sid),
    )


def _last_first(value):
    """Sort key: a missing date after every date (certificates without expiry last)."""
    return (value is None, value or date.min)


def read(session: Session, supplier: Supplier, today: date) -> SupplierFacts:
    """The supplier's facts, in one round trip."""
    facts = SupplierFacts()
    for row in session.execute(statement(supplier, today)):
        kind = row.kind
        if kind == "category":
            facts.categories.append(row.t1)
        elif kind == "blacklist":
            facts.blacklist = (row.d1, row.d2, row.t1)
        elif kind == "qualification":
            facts.qualifications.append((row.t1, row.t2, row.d1, row.n1))
        elif kind == "certificate":
            facts.certificates.append(CertificateRow(row.n1, supplier.id, row.t1, row.t2, row.t3, row.d1, row.d2,
                                                     bool(row.n2)))
        elif kind == "grade":
            facts.grade = (row.t1, row.n1, row.t2, row.ts)
        else:
            facts.relationships.append((row.n1, row.t1, row.t2, row.d1, row.d2, row.t3))
    facts.categories.sort()
    facts.qualifications.sort(key=lambda q: q[0])
    facts.certificates.sort(key=lambda c: (c.cert_type, _last_first(c.expires_on), c.id))
    facts.relationships.sort(key=lambda r: (r[1], r[0], r[5] or ""))
    return facts

