"""Evaluation pages through the browser's eyes: CSRF on, logged in through the real form."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from supplychain.models import AnnualCertificate, AuditEntry, Evaluation, SchemeVersion, Supplier
from supplychain.services.evaluation import schemes
from tests.evaluation_factories import (
    all_manual,
    approve_all,
    gen_blacklist,
    gen_evaluation,
    gen_good_evidence,
    gen_screening,
    gen_submitted,
)
from tests.factories import gen_category, gen_credit_code, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login


class _Form(HTMLParser):
    """The fields a browser would send for the form posting to `action` (None: the page's own form)."""

    def __init__(self, action: str | None):
        super().__init__()
        self.action, self.inside, self.done = action, False, False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._first: str | None = None
        self._chosen = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and a.get("action", "") == (self.action or ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "y" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select, self._first, self._chosen = a.get("name"), None, "multiple" in a
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
                self._chosen = True
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select" and self._select:
            if not self._chosen and self._first is not None:  # a browser sends the first option
                self.fields.append((self._select, self._first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.removeprefix("\r\n").removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, action: str | None = None) -> dict[str, list[str]]:
    """Every field of a form as the browser would post it (lists, since names can repeat)."""
    parser = _Form(action)
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in parser.fields:
        fields.setdefault(name, []).append(value)
    return fields


def _post(client, url: str, data: dict, page: str):
    return client.post(
        url, data={"csrf_token": csrf_token(client.get(page).text), **data}, follow_redirects=True
    )


def _login(client, session, role: str):
    user = gen_user(session, role)
    session.commit()
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/", follow_redirects=True).text)})
    assert login(client, user.email).status_code == 302
    return user


# ------------------------------------------------------------------------------------------ the whole path


def test_admission_through_three_levels_to_trial_and_qualification(client, session):
    gen_category(session, "components", "零部件", "Components", requires_trial=True)
    supplier = gen_supplier(session, categories=["components"])
    gen_good_evidence(session, supplier, date.today())
    buyer = _login(client, session, "procurement")

    page = client.get(f"/evaluations/new?supplier_id={supplier.id}&kind=admission")
    assert page.status_code == 200 and supplier.name_zh in page.text
    fields = form_fields(page.text)
    fields.update(kind=["admission"])
    response = client.post("/evaluations/new", data=fields)
    assert response.status_code == 302
    evaluation = session.scalar(select(Evaluation).where(Evaluation.supplier_id == supplier.id))
    edit_url = f"/evaluations/{evaluation.id}/edit"

    # A bad score: every problem shown, nothing saved.
    page = client.get(edit_url)
    assert "ISO 9001" in page.text and "from the evidence" not in page.text  # Chinese by default
    fields = form_fields(page.text)
    keys = [name[len("score_") :] for name in fields if name.startswith("score_")]
    data = {**fields, **{f"score_{k}": "85" for k in keys}}
    data[f"score_{keys[0]}"], data[f"score_{keys[1]}"] = "abc", "120"
    page = client.post(edit_url, data=data)
    assert (
        page.status_code == 200
        and "请输入 0 到 100 之间的数字" in page.text
        and "分数必须在 0 到 100 之间" in page.text
    )
    session.expire_all()
    assert session.get(Evaluation, evaluation.id).manual_scores == {}
    data[f"score_{keys[0]}"], data[f"score_{keys[1]}"] = "８５", "85"  # full-width digits from a Chinese IME
    assert client.post(edit_url, data=data).status_code == 302

    view = client.get(f"/evaluations/{evaluation.id}")
    response = client.post(
        f"/evaluations/{evaluation.id}/submit",
        data=form_fields(view.text, f"/evaluations/{evaluation.id}/submit"),
        follow_redirects=True,
    )
    assert "已提交审批" in response.text
    for level in (1, 2, 3):
        _login(client, session, "reviewer")
        view = client.get(f"/evaluations/{evaluation.id}")
        fields = form_fields(view.text, f"/evaluations/{evaluation.id}/approve")
        assert fields["level"] == [str(level)]
        response = client.post(f"/evaluations/{evaluation.id}/approve", data=fields, follow_redirects=True)
        assert response.status_code == 200
    session.expire_all()
    evaluation = session.get(Evaluation, evaluation.id)
    assert evaluation.status == "final" and evaluation.outcome == "trial"
    assert session.get(Supplier, supplier.id).status == "trial"

    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    login(client, buyer.email)
    view = client.get(f"/evaluations/{evaluation.id}")
    fields = form_fields(view.text, f"/evaluations/{evaluation.id}/trial")
    fields.update(outcome=["passed"], note=["试用 50 件全部合格"])
    client.post(f"/evaluations/{evaluation.id}/trial", data=fields)
    session.expire_all()
    assert session.get(Supplier, supplier.id).status == "qualified"
    page = client.get(f"/suppliers/{supplier.id}")
    assert f"/evaluations/{evaluation.id}" in page.text and "试用合格" in page.text


def test_periodic_evaluation_shows_certificate_and_pdf_downloads(client, session):
    supplier = gen_supplier(session, status="qualified")
    gen_good_evidence(session, supplier)
    evaluation = approve_all(session, gen_submitted(session, supplier=supplier, value=95))
    session.commit()
    _login(client, session, "auditor")
    page = client.get(f"/evaluations/{evaluation.id}")
    assert (
        page.status_code == 200
        and "年度优秀供应商证书" in page.text
        and 'data-grade="excellent"' in page.text
    )
    assert 'data-percentile="100.0"' in page.text
    certificate = session.scalar(select(AnnualCertificate))
    pdf = client.get(f"/evaluations/certificates/{certificate.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    supplier_page = client.get(f"/suppliers/{supplier.id}")
    assert f"/evaluations/certificates/{certificate.id}.pdf" in supplier_page.text
    check = client.get(f"/evaluations/certificates/verify/{certificate.verification_code}")
    assert 'data-certificate-state="valid"' in check.text
    assert client.get("/evaluations/certificates/verify/NOPE").status_code == 404


def test_explanations_and_evidence_are_shown_in_english(client, session):
    evaluation = gen_submitted(session)
    session.commit()
    _login(client, session, "reviewer")
    client.post("/language/en", data={"csrf_token": csrf_token(client.get("/").text)})
    page = client.get(f"/evaluations/{evaluation.id}")
    assert "evaluator score 80 against the rubric" in page.text
    assert "Integrity pledge" in page.text and "Red lines" in page.text


# ------------------------------------------------------------------------------------------ approvals


def test_out_of_order_and_second_level_by_the_same_reviewer_are_refused(client, session):
    evaluation = gen_submitted(session)
    session.commit()
    _login(client, session, "reviewer")
    view = client.get(f"/evaluations/{evaluation.id}")
    fields = form_fields(view.text, f"/evaluations/{evaluation.id}/approve")
    page = client.post(
        f"/evaluations/{evaluation.id}/approve", data={**fields, "level": "2"}, follow_redirects=True
    )
    assert "第 1 级审批完成前不能审批第 2 级" in page.text
    client.post(f"/evaluations/{evaluation.id}/approve", data=fields)
    view = client.get(f"/evaluations/{evaluation.id}")
    assert "您已审批该评价的第 1 级" in view.text and f"/evaluations/{evaluation.id}/approve" not in view.text
    fields = {**fields, "level": "2", "version": str(session.get(Evaluation, evaluation.id).version_id + 1)}
    session.expire_all()
    fields["version"] = str(session.get(Evaluation, evaluation.id).version_id)
    page = client.post(f"/evaluations/{evaluation.id}/approve", data=fields, follow_redirects=True)
    assert "第 2 级须由其他审核人审批" in page.text
    session.expire_all()
    assert session.get(Evaluation, evaluation.id).approved_levels == 1


def test_return_needs_a_comment_and_goes_back_to_draft(client, session):
    evaluation = gen_submitted(session)
    session.commit()
    _login(client, session, "reviewer")
    url = f"/evaluations/{evaluation.id}/reject"
    fields = form_fields(client.get(f"/evaluations/{evaluation.id}").text, url)
    page = client.post(url, data=fields, follow_redirects=True)
    assert "请说明退回原因" in page.text
    page = client.post(url, data={**fields, "comment": "价格评分缺少比价记录"}, follow_redirects=True)
    assert "价格评分缺少比价记录" in page.text and 'data-evaluation-status="draft"' in page.text


# ------------------------------------------------------------------------------------------ locking


def test_second_save_of_the_same_draft_gets_a_conflict_and_overwrites_nothing(client, session, app):
    evaluation = gen_evaluation(session)
    first, second = gen_user(session, "procurement"), gen_user(session, "procurement")
    session.commit()
    edit_url = f"/evaluations/{evaluation.id}/edit"
    other = app.test_client()
    login(client, first.email)
    login(other, second.email)
    mine, theirs = form_fields(client.get(edit_url).text), form_fields(other.get(edit_url).text)
    assert client.post(edit_url, data={**mine, "score_quality_acceptance": "90"}).status_code == 302
    page = other.post(edit_url, data={**theirs, "score_quality_acceptance": "40"})
    assert page.status_code == 200 and "其他人已修改了它" in page.text
    session.expire_all()
    assert session.get(Evaluation, evaluation.id).manual_scores["quality_acceptance"] == 90.0


# ------------------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"period_year": "2099"}, "2000 至"),
        (
            {"period_type": "quarter", "period_index": "4", "period_year": str(date.today().year + 1)},
            "尚未开始",
        ),
        ({"period_index": "9", "period_type": "quarter"}, "不是有效的选择"),
        ({"category_id": "999999"}, "请选择该供应商的供货品类之一"),
        ({"supplier_id": "abc"}, "invalid-feedback"),
    ],
)
def test_bad_new_evaluation_input_is_shown_and_nothing_saved(client, session, change, message):
    supplier = gen_supplier(session, status="qualified")
    _login(client, session, "procurement")
    page = client.get(f"/evaluations/new?supplier_id={supplier.id}")
    fields = form_fields(page.text)
    fields.update({k: [v] for k, v in change.items()})
    response = client.post(f"/evaluations/new?supplier_id={supplier.id}", data=fields)
    assert response.status_code == 200 and message in response.text
    assert session.scalar(select(Evaluation)) is None


def test_blacklisted_and_overlapping_are_refused_on_the_form(client, session):
    blacklisted = gen_supplier(session, status="qualified")
    gen_blacklist(session, credit_code=blacklisted.credit_code)
    covered = gen_supplier(session, status="qualified")
    gen_evaluation(session, supplier=covered, period=("year", 2025, 1))
    _login(client, session, "procurement")
    for supplier, message in ((blacklisted, "已列入黑名单"), (covered, "已覆盖此期间的一部分")):
        fields = form_fields(client.get(f"/evaluations/new?supplier_id={supplier.id}").text)
        fields.update(kind=["periodic"], period_type=["quarter"], period_year=["2025"], period_index=["2"])
        response = client.post("/evaluations/new", data=fields)
        assert response.status_code == 200 and message in response.text
    assert len(session.scalars(select(Evaluation)).all()) == 1


def test_screening_needs_a_note_for_a_finding(client, session):
    supplier = gen_supplier(session)
    _login(client, session, "procurement")
    url = f"/evaluations/screening/{supplier.id}"
    fields = form_fields(client.get(url).text)
    page = client.post(url, data={**fields, "on_dishonest_list": "y"})
    assert page.status_code == 200 and "请说明发现的问题及查询渠道" in page.text
    response = client.post(
        url, data={**fields, "on_dishonest_list": "y", "note": "信用中国 2026-01 查询在列"}
    )
    assert response.status_code == 302
    page = client.get(f"/suppliers/{supplier.id}").text
    assert 'data-list="serious_dishonesty" data-result="listed"' in page and "严重违法失信名单" in page


# ------------------------------------------------------------------------------------------ schemes


def test_scheme_editor_shows_errors_per_field_then_saves_a_new_version(client, session):
    evaluation = gen_evaluation(session)
    session.commit()
    _login(client, session, "admin")
    url = "/schemes/edit/periodic"
    fields = form_fields(client.get(url).text)
    assert fields["dimensions-0-weight"] == ["30"]
    bad = {
        **fields,
        "dimensions-0-weight": ["35"],
        "bands-1-min_score": ["70"],
        "dimensions-1-criteria-0-weight": ["x"],
    }
    page = client.post(url, data=bad)
    assert page.status_code == 200
    assert "各维度权重合计须为 100（当前合计 105）" in page.text
    assert "重叠" in page.text  # the bands overlap
    assert "的权重须为大于 0 且不超过 100 的数字" in page.text
    assert session.scalar(select(SchemeVersion).where(SchemeVersion.version == 2)) is None
    page = client.post(url, data={**fields, "dimensions-0-key": ["k" * 70]})
    assert page.status_code == 200 and "部分字段过长" in page.text and "is-invalid" in page.text

    delivery = int(fields["dimensions-1-weight"][0])
    good = {
        **fields,
        "dimensions-0-weight": ["25"],
        "dimensions-1-weight": [str(delivery + 5)],
        "note": ["交付权重提高"],
    }
    response = client.post(url, data=good)
    assert response.status_code == 302
    session.expire_all()
    latest = schemes.latest(session, "periodic.default")
    assert latest.version == 2 and latest.definition["dimensions"][0]["weight"] == 25
    assert session.get(Evaluation, evaluation.id).scheme_version.version == 1  # old evaluations keep theirs
    assert session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "scheme")) is not None


def test_category_scheme_is_used_for_new_evaluations_of_the_category(client, session):
    category = gen_category(session, "logistics", "物流", "Logistics")
    _login(client, session, "admin")
    url = f"/schemes/edit/periodic/{category.id}"
    fields = form_fields(client.get(url).text)
    assert client.post(url, data=fields).status_code == 302
    supplier = gen_supplier(session, status="qualified", categories=["logistics"])
    evaluation = gen_evaluation(session, supplier=supplier)
    assert evaluation.scheme_version.code == "periodic.logistics"


# ----------------------------------------------------------------------------------- bulk, dual sourcing


def test_bulk_creation_page(client, session):
    category = gen_category(session)
    for _ in range(2):
        gen_supplier(session, status="qualified")
    _login(client, session, "procurement")
    fields = form_fields(client.get("/evaluations/bulk").text)
    fields.update(
        category_id=[str(category.id)], period_type=["half"], period_year=["2025"], period_index=["1"]
    )
    page = client.post("/evaluations/bulk", data=fields)
    assert page.status_code == 200 and "已创建 2 个评价" in page.text
    page = client.post("/evaluations/bulk", data=fields)
    assert "已创建 0 个评价" in page.text and "已覆盖此期间的一部分" in page.text


def test_dual_sourcing_flags_single_source_categories(client, session):
    gen_category(session, "equipment")
    gen_category(session, "logistics", "物流", "Logistics")
    for _ in range(2):
        gen_supplier(session, status="qualified", categories=["equipment"])
    gen_supplier(session, status="qualified", categories=["logistics"])
    for _ in range(3):
        supplier = gen_supplier(session, categories=["equipment"])
        gen_good_evidence(session, supplier, date.today())
        gen_screening(session, supplier, date.today())
        gen_submitted(session, supplier=supplier, kind="admission", today=date.today())
    _login(client, session, "auditor")
    page = client.get("/evaluations/dual-sourcing")
    assert page.status_code == 200
    logistics = page.text.split('data-category="logistics"')[1].split("</tr>")[0]
    equipment = page.text.split('data-category="equipment"')[1].split("</tr>")[0]
    assert 'data-risk="single-source"' in logistics and 'data-risk="single-source"' not in equipment
    assert 'data-risk="few-candidates"' not in equipment and 'data-risk="few-candidates"' in logistics
    bad = client.get("/evaluations/dual-sourcing?period_type=quarter&period_index=x&period_year=abc")
    assert bad.status_code == 200


def test_evaluation_list_filters_and_awaiting_me(client, session):
    evaluation = gen_submitted(session)
    draft = gen_evaluation(session, period=("year", 2024, 1))
    session.commit()
    _login(client, session, "reviewer")
    page = client.get("/evaluations/?awaiting=1")
    assert (
        f'href="/evaluations/{evaluation.id}"' in page.text
        and f'href="/evaluations/{draft.id}"' not in page.text
    )
    page = client.get("/evaluations/?status=draft&kind=periodic&year=2024&category_id=abc&page=x")
    assert page.status_code == 200 and f'href="/evaluations/{draft.id}"' in page.text
    assert all_manual  # the factory helpers stay importable for the other tests


# ----------------------------------------------------------------------------------- the story


def _as(client, user):
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/", follow_redirects=True).text)})
    assert login(client, user.email).status_code == 302


def _evaluate(client, supplier_id: int, kind: str, scores: dict[str, str], reviewers, buyer, period=None):
    """Start, score, submit and approve at every level through the pages; returns the evaluation id."""
    _as(client, buyer)
    fields = form_fields(client.get(f"/evaluations/new?supplier_id={supplier_id}&kind={kind}").text)
    fields["kind"] = [kind]
    if period:
        fields.update(period_type=[period[0]], period_year=[str(period[1])], period_index=[str(period[2])])
    response = client.post("/evaluations/new", data=fields)
    assert response.status_code == 302, response.text
    evaluation_id = int(response.headers["Location"].rstrip("/edit").rsplit("/", 1)[1])
    edit_url = f"/evaluations/{evaluation_id}/edit"
    fields = form_fields(client.get(edit_url).text)
    keys = [name[len("score_") :] for name in fields if name.startswith("score_")]
    assert (
        client.post(
            edit_url, data={**fields, **{f"score_{k}": scores.get(k, scores["*"]) for k in keys}}
        ).status_code
        == 302
    )
    submit = f"/evaluations/{evaluation_id}/submit"
    client.post(submit, data=form_fields(client.get(f"/evaluations/{evaluation_id}").text, submit))
    for reviewer in reviewers:
        _as(client, reviewer)
        approve = f"/evaluations/{evaluation_id}/approve"
        client.post(approve, data=form_fields(client.get(f"/evaluations/{evaluation_id}").text, approve))
    return evaluation_id


def test_registration_admission_red_line_trial_and_two_periodic_evaluations(client, session):
    """Issue 4 "Done when", through the pages: register, admit (another rejected on a red line), trial,
    two periodic evaluations with three-level approval, with the certificate, the corrective actions and
    the status change each produced."""
    gen_category(session, "components", "零部件", "Components", requires_trial=True)
    buyer, admin = gen_user(session, "procurement"), gen_user(session, "admin")
    reviewers = [gen_user(session, "reviewer") for _ in range(3)]
    rejected = gen_supplier(session, categories=["components"], name_zh="重庆失信示例机械有限公司")
    session.commit()
    _as(client, buyer)
    page = client.get("/suppliers/new")
    fields = form_fields(page.text)
    fields.update(
        name_zh=["重庆长江精密零部件有限公司"],
        credit_code=[gen_credit_code()],
        province=["500000"],
        city=["重庆"],
        categories=["components"],
        **{"contacts-0-name": ["王伟"]},
    )
    response = client.post("/suppliers/new", data=fields)
    assert response.status_code == 302, response.text
    supplier = session.scalar(select(Supplier).where(Supplier.name_zh == "重庆长江精密零部件有限公司"))
    gen_good_evidence(session, supplier, date.today())
    gen_good_evidence(session, rejected, date.today())
    session.commit()

    for target, findings in ((supplier, {}), (rejected, {"principal_bribery_conviction": "y"})):
        url = f"/evaluations/screening/{target.id}"
        fields = form_fields(client.get(url).text)
        data = {**fields, **findings, "note": "中国裁判文书网查询" if findings else "", "source": "信用中国"}
        assert client.post(url, data=data).status_code == 302

    admitted = _evaluate(client, supplier.id, "admission", {"*": "88"}, reviewers, buyer)
    refused = _evaluate(client, rejected.id, "admission", {"*": "92"}, reviewers, buyer)
    session.expire_all()
    assert (session.get(Supplier, supplier.id).status, session.get(Supplier, rejected.id).status) == (
        "trial",
        "rejected",
    )
    assert session.get(Evaluation, refused).social_non_compliance
    _as(client, admin)
    page = client.get(f"/suppliers/{rejected.id}")
    assert "因社会责任不合规被拒绝的潜在供应商" in page.text  # the audit note with its reason

    _as(client, buyer)
    trial = f"/evaluations/{admitted}/trial"
    fields = form_fields(client.get(f"/evaluations/{admitted}").text, trial)
    client.post(trial, data={**fields, "outcome": "passed", "note": "试用 200 件合格"})
    session.expire_all()
    assert session.get(Supplier, supplier.id).status == "qualified"

    first = _evaluate(client, supplier.id, "periodic", {"*": "96"}, reviewers, buyer, ("year", 2024, 1))
    low = {"*": "85", "price_competitiveness": "20", "service_responsiveness": "35"}
    second = _evaluate(client, supplier.id, "periodic", low, reviewers, buyer, ("year", 2025, 1))
    session.expire_all()
    assert session.get(Evaluation, first).outcome == "certificate"
    assert session.get(Evaluation, second).outcome == "corrective_actions"
    _as(client, buyer)
    page = client.get(f"/suppliers/{supplier.id}")
    assert 'data-status="conditional"' in page.text
    certificate = session.scalar(
        select(AnnualCertificate).where(AnnualCertificate.supplier_id == supplier.id)
    )
    assert certificate.year == 2024 and f"/evaluations/certificates/{certificate.id}.pdf" in page.text
    assert "整改价格水平" in page.text and "整改服务质量" in page.text
