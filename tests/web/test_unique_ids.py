"""One id per element on a page: pages with several forms (approve and reject, remind and close, a filter above
a bulk form) give each field its own id, keep their names (what is posted), and every label names its field."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from supplychain.services.daily_work import notifications
from tests.campaign_factories import gen_campaign
from tests.evaluation_factories import TODAY, gen_evaluation, gen_good_evidence, gen_submitted
from tests.factories import gen_category, gen_supplier, gen_user
from tests.portal_factories import MINIMAL, gen_portal_user, gen_questionnaire
from tests.web.helpers import login


class _Ids(HTMLParser):
    """Every id attribute of a page, and the targets of its labels."""

    def __init__(self):
        super().__init__()
        self.ids: Counter = Counter()
        self.label_targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[attributes["id"]] += 1
        if tag == "label" and attributes.get("for"):
            self.label_targets.append(attributes["for"])


def _check(page) -> list[str]:
    """The page's problems: ids used more than once, labels for no element."""
    assert page.status_code == 200
    parser = _Ids()
    parser.feed(page.get_data(as_text=True))
    problems = [f"id {name!r} ×{count}" for name, count in parser.ids.items() if count > 1]
    problems += [f"label for {target!r}: no such element" for target in parser.label_targets
                 if target not in parser.ids]
    return problems


@pytest.mark.parametrize("role", ["procurement", "reviewer", "admin"])
def test_evaluation_pages_have_unique_ids(client, session, role):
    draft = gen_evaluation(session)
    submitted = gen_submitted(session)
    user = gen_user(session, role)
    session.commit()
    login(client, user.email)
    for evaluation in (draft, submitted):
        assert not _check(client.get(f"/evaluations/{evaluation.id}")), evaluation.status


def test_bulk_suppliers_page_has_unique_ids(client, session):
    gen_supplier(session, status="qualified")
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    assert not _check(client.get("/bulk/suppliers"))


def test_campaign_page_has_unique_ids(client, session):
    supplier = gen_supplier(session, status="qualified")
    campaign = gen_campaign(session, gen_questionnaire(session, {**MINIMAL, "code": "ids"}), [supplier])
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    assert not _check(client.get(f"/campaigns/{campaign.id}"))


def test_scoring_grid_page_has_unique_ids(client, session):
    """The score-grid form and the XLSX upload form each carry a CSRF token, neither with an id."""
    category = gen_category(session)
    buyer = gen_user(session, "procurement")
    for index in range(2):
        supplier = gen_supplier(session, status="qualified", name_zh=f"编号网格{index}有限公司")
        gen_good_evidence(session, supplier)
        gen_evaluation(session, supplier=supplier, actor=buyer, category=category, today=TODAY)
    session.commit()
    login(client, buyer.email)
    page = client.get(f"/bulk/evaluations/grid?category_id={category.id}")
    assert 'id="score-grid"' in page.text and "grid/upload" in page.text
    assert not _check(page)


def test_notifications_page_has_unique_ids(client, session):
    """One form per notification (and mark all as read), each with its CSRF token, none with an id."""
    user = gen_portal_user(session)
    for index in range(2):
        notifications.notify(session, user, notifications.Message(
            "certificate_expiring", f"ids-{index}", f"证书{index}即将到期", f"Certificate {index} expires soon",
            "/portal/"), datetime.now(UTC))
    session.commit()
    login(client, user.email)
    page = client.get("/notifications/")
    assert page.text.count("data-notification=") == 2
    assert not _check(page)
