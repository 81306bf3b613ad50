"""The disclosure editor's web forms (issue 12): entered figures, the policy register and narratives.

Each form refuses the issue's bad input with a message on the field and saves nothing; edits are locked
against a concurrent save, every change is audited, and a subsidiary's editor works on its own entries only.
"""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

from sqlalchemy import func, select

from supplychain.models import AuditEntry, DisclosureFigure, DisclosureNarrative, SupplyChainPolicy
from tests.factories import gen_organisation, gen_root, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login, post_form

EN = {"Accept-Language": "en"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _editor(client, session, role="procurement", organisation=None):
    supplier = gen_supplier(session, status="qualified", name_zh="重庆披露编辑甲有限公司", today=date(2023, 1, 1))
    supplier.registered_on = date(2023, 1, 1)  # the system computes from 2023
    user = gen_user(session, role, organisation=organisation)
    session.commit()
    assert login(client, user.email).status_code == 302
    return user


def _count(session, model, **where) -> int:
    session.rollback()  # end the test's read transaction: see what the requests committed
    stmt = select(func.count()).select_from(model)
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    return session.scalar(stmt)


def _audits(session, entity_type: str) -> int:
    return _count(session, AuditEntry, entity_type=entity_type)


def _figure(client, data: dict, org=None):
    url = "/disclosure/editor/figures/new" + (f"?org={org}" if org else "")
    base = {"year": "2024", "code": "KPI.total_suppliers", "kind": "restatement", "value": "", "source": "",
            "reason": ""}
    return post_form(client, url, {**base, **data}, headers=EN)


def test_entering_figures_refuses_the_issues_bad_input_and_saves_nothing(client, session):
    _editor(client, session)
    cases = (
        ({"year": "2023", "kind": "baseline", "value": "118", "source": "2023 report", "reason": "before"},
         "enter a restatement with a reason instead of a baseline"),
        ({"kind": "restatement", "value": "7"}, "A restatement needs a reason."),
        ({"year": "2026", "kind": "target", "value": "lots"}, "Enter a number."),
        ({"code": "KPI.pledge_signing_rate", "value": "120", "reason": "typo"}, "A percentage is at most 100."),
        ({"value": "2.5", "reason": "typo"}, "enter a whole number"),
        ({"code": "B9.nope", "value": "1", "reason": "x"}, "Unknown figure code."),
        ({"year": "20x4", "value": "1", "reason": "x"}, "Enter a year from 1990"),
    )
    for data, message in cases:
        response = _figure(client, data)
        assert response.status_code == 200, data
        assert message in response.text, (data, message)
        assert "is-invalid" in response.text
    assert _count(session, DisclosureFigure) == 0 and _audits(session, "disclosure_figure") == 0


def test_a_restatement_entered_on_the_web_is_marked_on_the_disclosure_and_audited(client, session):
    _editor(client, session)
    response = _figure(client, {"value": "7", "reason": "a supplier was missed"})
    assert response.status_code == 302 and "/disclosure/editor/figures" in response.headers["Location"]
    baseline = _figure(client, {"year": "2022", "kind": "baseline", "value": "118",
                                "source": "2022 ESG report p. 41", "reason": "before the system"})
    assert baseline.status_code == 302
    target = _figure(client, {"year": "2024", "kind": "target", "value": "12"})
    assert target.status_code == 302
    again = _figure(client, {"value": "8", "reason": "another"})
    assert "already has an entry of this kind for 2024: edit that entry" in again.text  # no blind overwrite
    listing = client.get("/disclosure/editor/figures", headers=EN).text
    assert "a supplier was missed" in listing and "2022 ESG report p. 41" in listing
    page = client.get("/disclosure/?year=2024", headers=EN).text
    assert 'data-basis="restated"' in page and 'data-basis="entered"' in page
    assert "/disclosure/editor/figures/new?year=2024&amp;code=KPI.training_sessions&amp;kind=target" in page
    assert re.search(r'data-target="KPI.total_suppliers">12<', page)
    assert _audits(session, "disclosure_figure") == 3
    row = session.scalar(select(DisclosureFigure).where(DisclosureFigure.kind == "restatement"))
    assert row.organisation_id is None and row.entered_by.startswith("procurement")


def test_editing_a_figure_is_locked_and_withdrawing_needs_a_reason(client, session):
    _editor(client, session)
    assert _figure(client, {"value": "7", "reason": "a supplier was missed"}).status_code == 302
    row = session.scalar(select(DisclosureFigure))
    url = f"/disclosure/editor/figures/{row.id}/edit"
    page = client.get(url, headers=EN)
    assert page.status_code == 200 and 'value="7"' in page.text
    token, version = csrf_token(page.text), str(row.version_id)
    saved = client.post(url, data={"csrf_token": token, "version_id": version, "value": "6",
                                   "reason": "recounted"}, headers=EN)
    assert saved.status_code == 302
    stale = client.post(url, data={"csrf_token": token, "version_id": version, "value": "5",
                                   "reason": "stale tab"}, headers=EN)
    assert stale.status_code == 200 and "Someone else saved this record" in stale.text
    session.rollback()
    row = session.get(DisclosureFigure, row.id)
    assert (float(row.value), row.reason) == (6.0, "recounted")
    emptied = client.post(url, data={"csrf_token": token, "version_id": str(row.version_id), "value": "6",
                                     "reason": ""}, headers=EN)
    assert "A restatement needs a reason." in emptied.text
    withdraw = f"/disclosure/editor/figures/{row.id}/withdraw"
    refused = client.post(withdraw, data={"csrf_token": token, "version_id": str(row.version_id), "reason": ""},
                          headers=EN, follow_redirects=True)
    assert "Give the reason for withdrawing the figure." in refused.text and _count(session, DisclosureFigure) == 1
    done = client.post(withdraw, data={"csrf_token": token, "version_id": str(row.version_id),
                                       "reason": "entered for the wrong year"}, headers=EN)
    assert done.status_code == 302 and _count(session, DisclosureFigure) == 0
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "disclosure_figure",
                                                    AuditEntry.action == "delete"))
    assert entry.note == "entered for the wrong year"
    assert client.post(withdraw, data={"csrf_token": token, "reason": "again"}).status_code == 404


def test_the_policy_register_keeps_every_field_and_the_document(client, session):
    _editor(client, session)
    bad = post_form(client, "/disclosure/editor/policies/new",
                    {"title_zh": "供应商管理办法", "number": "", "effective_on": "",
                     "file": (BytesIO(b"MZ\x90\x00"), "tool.exe")},
                    headers=EN, content_type="multipart/form-data")
    assert bad.status_code == 200
    assert "Enter the policy&#39;s document number." in bad.text
    assert "Enter the date the policy takes effect." in bad.text
    assert "tool.exe" in bad.text or "PDF" in bad.text  # the file's own refusal
    assert _count(session, SupplyChainPolicy) == 0 and _audits(session, "supply_chain_policy") == 0
    root = gen_root(session)
    good = post_form(client, "/disclosure/editor/policies/new",
                     {"title_zh": "供应商管理办法", "title_en": "Supplier management measures",
                      "number": "集团采〔2023〕12号", "effective_on": "2023-03-01", "organisation_id": str(root.id),
                      "file": (BytesIO(PDF), "policy.pdf")},
                     headers=EN, content_type="multipart/form-data")
    assert good.status_code == 302
    policy = session.scalar(select(SupplyChainPolicy))
    assert policy.organisation_id is None and policy.attachment_id is not None  # the root's: the group's
    register = client.get("/disclosure/editor/policies", headers=EN).text
    assert "集团采〔2023〕12号" in register and "Supplier management measures" in register
    document = client.get(f"/disclosure/editor/policies/{policy.id}/file")
    assert document.status_code == 200 and document.data == PDF
    url = f"/disclosure/editor/policies/{policy.id}/edit"
    token = csrf_token(client.get(url).text)
    version = str(policy.version_id)
    fields = {"csrf_token": token, "title_zh": "供应商管理办法", "title_en": "Supplier management measures",
              "number": "集团采〔2024〕3号",
              "effective_on": "2024-01-01", "organisation_id": str(root.id), "version_id": version}
    assert client.post(url, data=fields, headers=EN).status_code == 302
    stale = client.post(url, data={**fields, "number": "集团采〔2024〕4号"}, headers=EN)
    assert "Someone else saved this record" in stale.text
    session.rollback()
    policy = session.get(SupplyChainPolicy, policy.id)
    assert policy.number == "集团采〔2024〕3号" and _audits(session, "supply_chain_policy") == 2
    page = client.get("/disclosure/?year=2024", headers=EN).text
    assert "Supplier management measures (集团采〔2024〕3号, in force from 2024-01-01)" in page


def test_a_superseded_policy_gets_an_end_date_and_a_bad_one_is_refused(client, session):
    _editor(client, session)
    root = gen_root(session)
    session.commit()
    for number, day in (("集团采〔2020〕5号", "2020-01-01"), ("集团采〔2024〕7号", "2024-07-01")):
        assert post_form(client, "/disclosure/editor/policies/new",
                         {"title_zh": f"供应商管理办法 {number}", "number": number, "effective_on": day,
                          "organisation_id": str(root.id)}, headers=EN).status_code == 302
    old, new = session.scalars(select(SupplyChainPolicy).order_by(SupplyChainPolicy.id)).all()
    url = f"/disclosure/editor/policies/{old.id}/edit"
    fields = {"title_zh": old.title_zh, "number": old.number, "effective_on": "2020-01-01",
              "organisation_id": str(root.id), "version_id": str(old.version_id)}
    bad = post_form(client, url, {**fields, "ended_on": "2019-06-30", "superseded_by_id": str(old.id)}, headers=EN)
    assert bad.status_code == 200
    assert "The end date cannot be before the date the policy takes effect (2020-01-01)." in bad.text
    assert "A policy cannot supersede itself." in bad.text
    assert _audits(session, "supply_chain_policy") == 2  # the two registrations; nothing saved
    good = post_form(client, url, {**fields, "ended_on": "2024-06-30", "superseded_by_id": str(new.id)}, headers=EN)
    assert good.status_code == 302
    session.rollback()
    old = session.get(SupplyChainPolicy, old.id)
    assert (old.ended_on, old.superseded_by_id) == (date(2024, 6, 30), new.id)
    register = client.get("/disclosure/editor/policies", headers=EN).text
    assert 'data-ended="2024-06-30"' in register and "superseded by" in register
    assert "集团采〔2020〕5号" in client.get("/disclosure/?year=2024", headers=EN).text
    assert "集团采〔2020〕5号" not in client.get("/disclosure/?year=2025", headers=EN).text


def test_auditors_read_the_register_but_change_nothing(client, session):
    _editor(client, session, role="auditor")
    assert client.get("/disclosure/editor/policies").status_code == 200
    assert client.get("/disclosure/editor/figures").status_code == 403
    token = csrf_token(client.get("/", follow_redirects=True).text)
    response = client.post("/disclosure/editor/policies/new", data={"csrf_token": token, "title_zh": "x"})
    assert response.status_code == 403 and _count(session, SupplyChainPolicy) == 0


def test_narratives_start_from_the_draft_and_warn_where_text_and_figures_disagree(client, session):
    _editor(client, session)
    sheet = client.get("/disclosure/editor/narratives?year=2024", headers=EN)
    assert sheet.status_code == 200 and "No environmental or social incident was recorded" in sheet.text
    url = "/disclosure/editor/narratives/2024/B5.3/en"
    form = client.get(url, headers=EN)
    assert form.status_code == 200 and "No environmental or social incident was recorded" in form.text
    empty = post_form(client, url, {"text": "  "}, headers=EN)
    assert empty.status_code == 200 and "Enter the narrative." in empty.text
    assert _count(session, DisclosureNarrative) == 0
    saved = post_form(client, url, {"text": "We audited 99 suppliers on site."}, headers=EN)
    assert saved.status_code == 302 and "#B5.3" in saved.headers["Location"]
    sheet = client.get("/disclosure/editor/narratives?year=2024", headers=EN).text
    assert "We audited 99 suppliers on site." in sheet
    assert re.search(r'data-disagreement="en">[^<]*: 99<', sheet)
    assert "We audited 99 suppliers on site." in client.get("/disclosure/?year=2024", headers=EN).text
    row = session.scalar(select(DisclosureNarrative))
    revert = client.post(url + "/revert", data={"csrf_token": csrf_token(client.get(url).text),
                                                "version_id": str(row.version_id)})
    assert revert.status_code == 302 and _count(session, DisclosureNarrative) == 0
    assert _audits(session, "disclosure_narrative") == 2
    for bad in ("/disclosure/editor/narratives/2024/B9/en", "/disclosure/editor/narratives/2024/B5.3/fr",
                "/disclosure/editor/narratives/2999/B5.3/en"):
        assert client.get(bad).status_code == 404
    assert client.get("/disclosure/editor/narratives?year=abc", headers=EN).status_code == 400


def test_a_subsidiarys_editor_works_on_its_own_entries_only(client, session):
    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    root = gen_root(session)
    group_figure = DisclosureFigure(year=2024, code="KPI.total_suppliers", kind="target", value=9,
                                    entered_by="ESG office")
    b_figure = DisclosureFigure(organisation_id=b.id, year=2024, code="KPI.total_suppliers", kind="target",
                                value=4, entered_by="B's office")
    group_policy = SupplyChainPolicy(title_zh="集团采购管理指引", number="集团采〔2022〕1号",
                                     effective_on=date(2022, 1, 1))
    b_policy = SupplyChainPolicy(organisation_id=b.id, title_zh="乙公司采供业务管理制度", number="乙采〔2023〕2号",
                                 effective_on=date(2023, 1, 1))
    session.add_all([group_figure, b_figure, group_policy, b_policy,
                     DisclosureNarrative(organisation_id=b.id, year=2024, section="B5.3", language="en",
                                         text="B's own words.", entered_by="B")])
    session.flush()
    _editor(client, session, organisation=a)
    listing = client.get("/disclosure/editor/figures", headers=EN).text
    assert 'data-boundary="SUB-A"' in listing and "B&#39;s office" not in listing and "ESG office" not in listing
    assert _figure(client, {"kind": "target", "value": "3"}).status_code == 302
    mine = session.scalar(select(DisclosureFigure).where(DisclosureFigure.value == 3))
    assert mine.organisation_id == a.id
    editor = "/disclosure/editor"
    for path in (f"{editor}/figures/{b_figure.id}/edit", f"{editor}/figures/{group_figure.id}/edit",
                 f"{editor}/policies/{b_policy.id}/edit", f"{editor}/policies/{group_policy.id}/edit",
                 f"{editor}/policies/{b_policy.id}/file", f"{editor}/figures?org={b.id}",
                 f"{editor}/figures?org={root.id}", f"{editor}/narratives/2024/B5.3/en?org={b.id}"):
        assert client.get(path).status_code == 404, path
    token = csrf_token(client.get("/disclosure/editor/figures").text)
    assert client.post(f"/disclosure/editor/figures/{b_figure.id}/withdraw",
                       data={"csrf_token": token, "reason": "mine now"}).status_code == 404
    register = client.get("/disclosure/editor/policies", headers=EN).text
    assert "集团采〔2022〕1号" in register and "乙采〔2023〕2号" not in register  # the group's applies, read only
    assert f"/disclosure/editor/policies/{group_policy.id}/edit" not in register
    sheet = client.get("/disclosure/editor/narratives?year=2024", headers=EN).text
    assert "B&#39;s own words." not in sheet
    session.rollback()
    assert float(session.get(DisclosureFigure, b_figure.id).value) == 4 and _count(session, DisclosureFigure) == 3


def test_a_backdated_change_after_publication_shows_until_it_is_restated(client, session):
    from supplychain.clock import today
    from supplychain.models import DisclosurePublication, Supplier
    from supplychain.services.registry import blacklist

    _editor(client, session)
    year = today().year - 1
    page = client.get(f"/disclosure/?year={year}", headers=EN).text
    assert 'data-publication="not-published"' in page
    published = post_form(client, f"/disclosure/editor/publish/{year}", {}, page_url=f"/disclosure/?year={year}")
    assert published.status_code == 302
    page = client.get(f"/disclosure/?year={year}", headers=EN).text
    assert 'data-publication="published"' in page and "data-changed-since-publication" not in page
    supplier = session.scalar(select(Supplier))
    blacklist.add_entry(session, blacklist.EntryData(supplier_id=supplier.id, reason="illegal_labour",
                                                     decided_by="委员会", since_on=date(year, 6, 1)), None, today())
    session.commit()
    page = client.get(f"/disclosure/?year={year}", headers=EN).text
    assert f'data-change="{year} KPI.total_suppliers"' in page and f'data-change="{year} B5.1.total"' in page
    assert "published 1, now 0." in page
    assert f"/disclosure/editor/figures/new?year={year}&amp;code=KPI.total_suppliers&amp;kind=restatement" in page
    restated = _figure(client, {"year": str(year), "value": "0", "reason": "a blacklisting decided in June, "
                                                                          "entered late"})
    assert restated.status_code == 302
    page = client.get(f"/disclosure/?year={year}", headers=EN).text
    assert f'data-change="{year} KPI.total_suppliers"' not in page  # restated with a reason: no longer silent
    assert f'data-change="{year} B5.1.total"' not in page  # the same figure (docs: one number), restated with it
    current = post_form(client, f"/disclosure/editor/publish/{today().year}", {}, page_url="/disclosure/",
                        headers=EN, follow_redirects=True)
    assert f"The year {today().year} is not over" in current.text
    assert _count(session, DisclosurePublication) == 1 and _audits(session, "disclosure_publication") == 1


def test_the_editor_pages_speak_simplified_and_traditional_chinese(client, session):
    _editor(client, session)
    assert _figure(client, {"value": "7", "reason": "漏计一家供应商"}).status_code == 302
    assert post_form(client, "/disclosure/editor/narratives/2024/B5.3/zh", {"text": "本年审核 99 家供应商。"}
                     ).status_code == 302
    pages = ("/disclosure/editor/figures", "/disclosure/editor/policies", "/disclosure/editor/policies/new",
             "/disclosure/editor/narratives?year=2024", "/disclosure/editor/narratives/2024/B5.3/zh",
             "/disclosure/editor/figures/new", "/disclosure/?year=2024&population=with_spend")
    for language, words in (("zh-CN,zh;q=0.9", ("基准数、重述与目标", "制度登记册", "引用的数字不是本节的数据：99")),
                            ("zh-HK,zh;q=0.8", ("基準數、重列與目標", "制度登記冊", "引用的數字不是本節的數據：99"))):
        texts = []
        for path in pages:
            response = client.get(path, headers={"Accept-Language": language})
            assert response.status_code == 200, (language, path)
            texts.append(response.text)
        for word in words:
            assert any(word in text for text in texts), (language, word)
