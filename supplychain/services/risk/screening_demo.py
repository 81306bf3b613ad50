"""Demo screening results (issue 11 part 4), called by services.demo_data.demo.load after the demo evaluations.

Deterministic: a few suppliers in id order get their legal representative and a round of checks; one
registered supplier without an admission yet is found on the list of dishonest judgment debtors, so the
next admission review of it fails the red line.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.models import Supplier, User
from supplychain.models.evaluation import Evaluation
from supplychain.services.risk import screening

BUYER = "buyer@example.com"
REPRESENTATIVES = ("王建国", "李秀英", "张伟", "刘洋", "陈静")
RATINGS = ("green", "blue", "green", "yellow", "blue")


def load(session: Session, today: date) -> list[int]:
    """Add the demo results; returns the ids of the suppliers screened."""
    buyer = session.scalar(select(User).where(User.email == BUYER))
    reviewed = set(session.scalars(select(Evaluation.supplier_id)))
    qualified = list(session.scalars(select(Supplier).where(Supplier.status == "qualified", Supplier.country == "CN")
                                     .order_by(Supplier.id).limit(len(REPRESENTATIVES))))
    screened = []
    for supplier, name, rating in zip(qualified, REPRESENTATIVES, RATINGS, strict=False):
        supplier.legal_representative = supplier.legal_representative or name
        checked_on = today - timedelta(days=20 + supplier.id % 40)
        for code, result, source in (("serious_dishonesty", "clear", "信用中国"),
                                     ("principal_bribery", "clear", "中国裁判文书网"),
                                     ("abnormal_operations", "clear", "国家企业信用信息公示系统"),
                                     ("judgment_debtor", "clear", "中国执行信息公开网"),
                                     ("environmental_rating", rating, "省生态环境厅 2025 年度环保信用评价")):
            data = screening.ResultData(code, checked_on, result, source, "")
            screening.add_result(session, supplier.id, data, buyer)
        screened.append(supplier.id)
    debtor = session.scalar(select(Supplier).where(Supplier.status == "registered", Supplier.country == "CN",
                                                   Supplier.id.not_in(reviewed or {0}))
                            .order_by(Supplier.id.desc()).limit(1))
    if debtor is not None:
        debtor.legal_representative = debtor.legal_representative or "赵某某"
        screening.add_result(session, debtor.id, screening.ResultData(
            "judgment_debtor", today - timedelta(days=2), "listed", "中国执行信息公开网 (2026)渝0105执1234号",
            "列为失信被执行人：拒不履行生效判决（示例） / a dishonest judgment debtor (demo)"), buyer)
        screened.append(debtor.id)
    overseas = session.scalar(select(Supplier).where(Supplier.country != "CN").order_by(Supplier.id).limit(1))
    if overseas is not None:
        screening.add_result(session, overseas.id, screening.ResultData(
            "sanctions", today - timedelta(days=10), "clear", "UN / OFAC SDN / EU consolidated list", ""), buyer)
        screened.append(overseas.id)
    session.flush()
    return screened
