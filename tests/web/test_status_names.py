"""A lifecycle status has one name per language wherever it is named (the acceptance test found "conditional" as
有条件合格 in the dashboard chart and 限期整改 in the list beside it, "trial" as 试用, 试用供货, 试供货 and 试供):
the list, its filter, the dashboard's panel and chart, the scorecard and disclosure labels."""

from __future__ import annotations

import re

import pytest

from supplychain.labels import STATUS_LABELS, STATUS_NAMES
from supplychain.models import STATUSES
from tests.factories import gen_supplier, gen_user
from tests.web.helpers import login

ZH, HANT, EN = {"Accept-Language": "zh-CN"}, {"Accept-Language": "zh-TW"}, {"Accept-Language": "en"}
# The other names the two statuses went by; an import still reads them (importing.values).
OLD_NAMES = ("限期整改", "试用供货", "试供货", "试供", "試用供貨", "試供")


def test_the_catalogue_and_the_written_names_agree_in_every_language(app):
    from supplychain.hant import to_hant

    assert set(STATUS_NAMES) == set(STATUS_LABELS) == set(STATUSES)
    for headers, pick in ((ZH, lambda zh, en: zh), (HANT, lambda zh, en: to_hant(zh)), (EN, lambda zh, en: en)):
        with app.test_request_context(headers=headers):
            for key, names in STATUS_NAMES.items():
                assert str(STATUS_LABELS[key]) == pick(*names), (headers, key)
    assert STATUS_NAMES["conditional"][0] == "有条件合格" and STATUS_NAMES["trial"][0] == "试用"


def test_the_scorecard_and_the_disclosure_use_the_same_names():
    from supplychain.services.disclosure.definitions import POPULATION_LABELS
    from supplychain.services.evaluation.scorecards import STATUS_NAMES as SCORECARD_NAMES

    assert SCORECARD_NAMES is STATUS_NAMES
    zh, en = POPULATION_LABELS["in_supply_chain"]
    assert "试用、合格或有条件合格" in zh and "trial supply, qualified or conditional" in en
    assert not any(old in zh for old in OLD_NAMES)


@pytest.mark.parametrize(("headers", "conditional", "trial"), [
    (ZH, "有条件合格", "试用"), (HANT, "有條件合格", "試用"), (EN, "Conditional", "Trial supply")])
def test_one_name_across_the_list_its_filter_and_the_dashboard(client, session, headers, conditional, trial):
    for n in range(3):
        gen_supplier(session, name_zh=f"有条件供应商{n}有限公司", status="conditional")
    for n in range(2):
        gen_supplier(session, name_zh=f"试用供应商{n}有限公司", status="trial")
    admin = gen_user(session, "admin")
    session.commit()
    login(client, admin.email)

    home = client.get("/", headers=headers).text
    # The panel's count and the chart's bar carry the same name.
    assert re.search(rf'data-status="conditional">{conditional} 3<', home)
    assert re.search(rf'data-status="trial">{trial} 2<', home)
    charts = re.findall(r"<svg.*?</svg>", home, re.S)
    assert any(f">{conditional}<" in svg and f">{trial}<" in svg for svg in charts)

    listing = client.get("/suppliers/", headers=headers).text
    assert f'<option value="conditional" >{conditional}</option>' in listing
    assert f'<option value="trial" >{trial}</option>' in listing
    assert f">{conditional}</span>" in listing and f">{trial}</span>" in listing
    filtered = client.get("/suppliers/?status=conditional", headers=headers).text
    assert f'<option value="conditional" selected>{conditional}</option>' in filtered

    for page in (home, listing, filtered):
        assert not any(old in page for old in OLD_NAMES)


def test_every_name_a_status_is_shown_by_reads_back_in_an_import():
    """A list exported in any language goes back in: each status's shown name, simplified, traditional and English,
    is read as that status, and so are the names it went by before."""
    from supplychain.hant import to_hant
    from supplychain.importing.values import parse_status

    for key, (zh, en) in STATUS_NAMES.items():
        assert parse_status(zh) == parse_status(to_hant(zh)) == parse_status(en) == key, key
    assert {parse_status(old) for old in OLD_NAMES} == {"conditional", "trial"}
